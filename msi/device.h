/* SPDX-License-Identifier: MIT */
/*
 * A device that raises message interrupts, and the one function that picks
 * the parent of its domain from its topology.
 */
#ifndef MSI_DEVICE_H
#define MSI_DEVICE_H

#include "lib/compiler.h"
#include <stdint.h>
#include "msi/irqdomain.h"

struct pci_dev;

struct msi_device {
	const char *name;
	uint16_t seg;
	uint16_t rid;			/* requester ID (bus << 8 | devfn) */
	struct pci_dev *pci;		/* NULL for a platform device (HPET, VT-d) */
	/* A platform device that ACPI names by kind and enumeration ID (an
	 * IOMMU's device scope for the HPET with that number), else NONE. */
	enum { MSI_PLATFORM_NONE, MSI_PLATFORM_HPET } platform;
	uint8_t platform_id;
	struct msi_device *physical;	/* a child's physical device, else NULL */
	struct irq_domain *domain;	/* its device-level domain */
};

/* A platform device (HPET, a VT-d unit's event): outside every PCI scope. */
static inline struct msi_device msi_device_platform(const char *name)
{
	return (struct msi_device){ .name = name };
}

/* The root of every hierarchy: the vector domain (msi/vector_domain.c). */
void msi_set_root(struct irq_domain *root);

/* Interrupt remapping registers a function that returns the remapping
 * domain whose unit's scope covers a device, or NULL (drivers/iommu). */
void msi_set_remap_lookup(struct irq_domain *(*lookup)(const struct msi_device *dev));

/*
 * The parent for `dev`'s domain, from where the device sits: the remapping
 * domain of the unit whose scope covers dev's requester ID, else (remapping
 * off, or a device outside every scope) the vector domain.
 */
struct irq_domain *msi_parent_domain(const struct msi_device *dev);

/* Derive dev's domain's parent again from its topology (after remapping
 * was turned on or off for its unit). 0, or -EBUSY while the domain has
 * interrupts allocated. */
int msi_device_update_parent(struct msi_device *dev) MUST_CHECK;

/* A child device (a slice of a physical device) takes its domain from the
 * physical device. */
void dev_msi_assign_domain(struct msi_device *child, struct msi_device *physical);

/* Allocate and activate n interrupts at hwirq first .. first + n - 1 of the
 * device's domain, vectors on `cpu` (-1: least loaded). 0, or an error with
 * nothing left allocated. */
int msi_alloc_irqs(struct msi_device *dev, uint32_t first, uint32_t n, int cpu,
		   struct irq_desc **out) MUST_CHECK;
void msi_free_irqs(struct irq_desc **descs, uint32_t n);

/* DEV_MSI: a domain whose messages live in device storage, with the
 * driver's own callbacks per slot. */
struct dev_msi_ops {
	void (*write_msg)(void *ctx, uint32_t slot, const struct msi_msg *msg);
	void (*mask)(void *ctx, uint32_t slot);
	void (*unmask)(void *ctx, uint32_t slot);
	int (*pending)(void *ctx, uint32_t slot);	/* NULL: no pending state */
	/* write_msg replaces the whole message in one access: an affinity move
	 * need not mask around it. */
	int atomic_write;
};

#define DEV_MSI_SLOTS_MAX 2048	/* an SPR DSA or IAA IMS: 8 x 256 */

/* Create dev's DEV_MSI domain (parent chosen by msi_parent_domain) with
 * nslots slots. NULL when the pool is exhausted or nslots is out of range. */
struct irq_domain *dev_msi_domain_create(struct msi_device *dev, const struct dev_msi_ops *ops,
					 void *ctx, uint32_t nslots);
void dev_msi_domain_destroy(struct irq_domain *dom);
/* DEV_MSI domains alive now, and the slots allocated in them. */
void dev_msi_usage(uint32_t *domains, uint32_t *slots);

/* PCI/MSI and PCI/MSI-X domains for dev->pci (drivers/pci/msi_domain.c): 0, -ENODEV
 * (no such capability), -EIO (MSI-X table unusable), -ENOSPC (no domain). */
int pci_msi_domain_create(struct msi_device *dev);
int pci_msix_domain_create(struct msi_device *dev);

#endif
