/* SPDX-License-Identifier: MIT */
/*
 * MSI and MSI-X capabilities, and the PCI/MSI and PCI/MSI-X irq domains
 * built on them.
 * Messages are struct msi_msg as composed by the parent domain (compat or
 * remappable format, any destination width): these helpers only store them.
 * See PCI Local Bus 3.0, 6.8.1 (MSI) and 6.8.2 (MSI-X).
 */
#ifndef DRIVERS_PCI_MSI_H
#define DRIVERS_PCI_MSI_H

#include "lib/compiler.h"
#include "drivers/pci/pci.h"
#include "arch/x86/msi_msg.h"
#include "msi/device.h"

#define MSI_CTRL		0x02
# define MSI_CTRL_ENABLE	(1u << 0)
# define MSI_CTRL_MMC(c)	(((c) >> 1) & 7)	/* log2 vectors capable */
# define MSI_CTRL_MME_SHIFT	4			/* log2 vectors enabled */
# define MSI_CTRL_64BIT		(1u << 7)
# define MSI_CTRL_MASKABLE	(1u << 8)
#define MSI_ADDR_LO		0x04

#define MSIX_CTRL		0x02
# define MSIX_CTRL_SIZE(c)	(((c) & 0x7ff) + 1)
# define MSIX_CTRL_MASKALL	(1u << 14)
# define MSIX_CTRL_ENABLE	(1u << 15)
#define MSIX_TABLE		0x04	/* offset | BIR */
#define MSIX_PBA		0x08
#define MSIX_ENTRY_SIZE		16
# define MSIX_ENTRY_ADDR_LO	0x0
# define MSIX_ENTRY_ADDR_HI	0x4
# define MSIX_ENTRY_DATA	0x8
# define MSIX_ENTRY_CTRL	0xc
#  define MSIX_ENTRY_MASKED	(1u << 0)

struct pci_msi {
	uint16_t cap;		/* 0: no MSI */
	uint8_t is64, maskable;
	uint32_t nvec;		/* vectors the function can ask for (1-32) */
	uint16_t data_off, mask_off, pending_off;
};

struct pci_msix {
	uint16_t cap;		/* 0: no MSI-X */
	uint32_t nvec;		/* table entries */
	uint64_t table, pba;	/* physical addresses */
};

/* Read the capability; 0, -ENODEV (none), -EIO (its BAR is unusable or the
 * table reads all ones). */
int pci_msi_get(const struct pci_dev *d, struct pci_msi *m);
int pci_msix_get(const struct pci_dev *d, struct pci_msix *x);

/* MSI: the message (data low 16 bits), multiple-message enable, per-vector
 * mask and pending bits (where maskable). */
void pci_msi_write_msg(const struct pci_dev *d, const struct pci_msi *m, const struct msi_msg *msg);
void pci_msi_read_msg(const struct pci_dev *d, const struct pci_msi *m, struct msi_msg *msg);
void pci_msi_enable(const struct pci_dev *d, const struct pci_msi *m, uint32_t log2_vectors);
void pci_msi_disable(const struct pci_dev *d, const struct pci_msi *m);
int pci_msi_mask(const struct pci_dev *d, const struct pci_msi *m, uint32_t vec, int masked);
uint32_t pci_msi_pending(const struct pci_dev *d, const struct pci_msi *m);

/* MSI-X: one table entry each; writes are flushed by a read-back. */
void pci_msix_write_msg(const struct pci_msix *x, uint32_t entry, const struct msi_msg *msg);
void pci_msix_read_msg(const struct pci_msix *x, uint32_t entry, struct msi_msg *msg);
void pci_msix_mask(const struct pci_msix *x, uint32_t entry, int masked);
int pci_msix_masked(const struct pci_msix *x, uint32_t entry);
int pci_msix_pending(const struct pci_msix *x, uint32_t entry);
/* Enable (function mask cleared) or disable MSI-X; INTx is turned off. */
void pci_msix_enable(const struct pci_dev *d, const struct pci_msix *x, int on);
void pci_msix_mask_all(const struct pci_dev *d, const struct pci_msix *x, int masked);

/* PCI/MSI and PCI/MSI-X domains (drivers/pci/msi_domain.c). */

/* A PCI function as a device of the irq layer: its segment, the requester
 * ID its messages carry (pci_requester_id), no domain yet. 0, or -EINVAL
 * without a function. */
int pci_msi_device_init(struct msi_device *dev, const char *name, struct pci_dev *pci);
/* Create dev's MSI or MSI-X domain, its parent taken from the topology
 * (msi_parent_domain): 0, -ENODEV (no such capability), -EIO (MSI-X table
 * unusable), -ENOSPC (no domain left), -EBUSY (the old domain still has
 * interrupts allocated). */
int pci_msi_domain_create(struct msi_device *dev) MUST_CHECK;
int pci_msix_domain_create(struct msi_device *dev) MUST_CHECK;

#endif
