// SPDX-License-Identifier: MIT
/*
 * MSI and MSI-X capability helpers. See PCI Local Bus 3.0, 6.8.1.3 (MSI
 * control: MMC 3:1, MME 6:4, 64-bit 7, per-vector masking 8), 6.8.1.4-7
 * (address, data, mask and pending at 0x0c/0x10 or 0x10/0x14 for 64-bit),
 * 6.8.2.3-5 (MSI-X control: table size 10:0, function mask 14, enable 15;
 * table and PBA: BIR in bits 2:0 and a QWORD-aligned offset), 6.8.2.6-9
 * (16-byte entries: address low/high, data, vector control bit 0 = masked;
 * PBA: one bit per entry).
 */
#include "drivers/pci/msi.h"
#include "arch/x86/cpu.h"
#include "lib/errno.h"

int pci_msi_get(const struct pci_dev *d, struct pci_msi *m)
{
	uint16_t cap = pci_find_cap(d, PCI_CAP_ID_MSI), ctrl;

	*m = (struct pci_msi){ .cap = 0 };
	if (!cap)
		return -ENODEV;
	ctrl = pci_read16(d, cap + MSI_CTRL);
	m->cap = cap;
	m->is64 = !!(ctrl & MSI_CTRL_64BIT);
	m->maskable = !!(ctrl & MSI_CTRL_MASKABLE);
	m->nvec = 1u << (MSI_CTRL_MMC(ctrl) > 5 ? 5 : MSI_CTRL_MMC(ctrl));
	m->data_off = m->is64 ? 0x0c : 0x08;
	m->mask_off = m->is64 ? 0x10 : 0x0c;
	m->pending_off = m->is64 ? 0x14 : 0x10;
	return 0;
}

void pci_msi_write_msg(const struct pci_dev *d, const struct pci_msi *m, const struct msi_msg *msg)
{
	pci_write32(d, m->cap + MSI_ADDR_LO, msg->address_lo);
	if (m->is64)
		pci_write32(d, m->cap + 0x08, msg->address_hi);
	pci_write16(d, m->cap + m->data_off, (uint16_t)msg->data);
}

void pci_msi_read_msg(const struct pci_dev *d, const struct pci_msi *m, struct msi_msg *msg)
{
	msg->address_lo = pci_read32(d, m->cap + MSI_ADDR_LO);
	msg->address_hi = m->is64 ? pci_read32(d, m->cap + 0x08) : 0;
	msg->data = pci_read16(d, m->cap + m->data_off);
}

void pci_msi_enable(const struct pci_dev *d, const struct pci_msi *m, uint32_t log2_vectors)
{
	uint16_t ctrl = pci_read16(d, m->cap + MSI_CTRL) & ~(7u << MSI_CTRL_MME_SHIFT);

	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_INTX_DISABLE |
		    PCI_CMD_MASTER);
	pci_write16(d, m->cap + MSI_CTRL, (uint16_t)(ctrl | (log2_vectors & 7) << MSI_CTRL_MME_SHIFT |
						    MSI_CTRL_ENABLE));
}

void pci_msi_disable(const struct pci_dev *d, const struct pci_msi *m)
{
	pci_write16(d, m->cap + MSI_CTRL, pci_read16(d, m->cap + MSI_CTRL) & ~MSI_CTRL_ENABLE);
}

int pci_msi_mask(const struct pci_dev *d, const struct pci_msi *m, uint32_t vec, int masked)
{
	uint32_t bits;

	if (!m->maskable || vec >= m->nvec)
		return -EINVAL;
	bits = pci_read32(d, m->cap + m->mask_off);
	bits = masked ? bits | 1u << vec : bits & ~(1u << vec);
	pci_write32(d, m->cap + m->mask_off, bits);
	return 0;
}

uint32_t pci_msi_pending(const struct pci_dev *d, const struct pci_msi *m)
{
	return m->maskable ? pci_read32(d, m->cap + m->pending_off) : 0;
}

/* Physical address of a BAR plus offset, for the MSI-X table or PBA of
 * `len` bytes; 0 unless all of it lies inside the BAR. */
static uint64_t bir_addr(const struct pci_dev *d, uint32_t reg, uint64_t len)
{
	uint32_t bir = reg & 7;

	if (bir >= PCI_BARS_MAX || d->bars[bir].kind == BAR_NONE || d->bars[bir].kind == BAR_IO ||
	    !d->bars[bir].addr || (reg & ~7u) + len > d->bars[bir].size)
		return 0;
	return d->bars[bir].addr + (reg & ~7u);
}

int pci_msix_get(const struct pci_dev *d, struct pci_msix *x)
{
	uint16_t cap = pci_find_cap(d, PCI_CAP_ID_MSIX);

	*x = (struct pci_msix){ .cap = 0 };
	if (!cap)
		return -ENODEV;
	x->cap = cap;
	x->nvec = MSIX_CTRL_SIZE(pci_read16(d, cap + MSIX_CTRL));
	/* PCI 3.0 6.8.2: 16 bytes per entry; a PBA bit per entry, in qwords. */
	x->table = bir_addr(d, pci_read32(d, cap + MSIX_TABLE), (uint64_t)x->nvec * MSIX_ENTRY_SIZE);
	x->pba = bir_addr(d, pci_read32(d, cap + MSIX_PBA), (x->nvec + 63u) / 64 * 8);
	if (!x->table || !x->pba)
		return -EIO;
	/* A table that reads all ones is not there (or the BAR is not decoded). */
	if (mmio_read32(x->table + MSIX_ENTRY_CTRL) == 0xffffffffu &&
	    mmio_read32(x->table + MSIX_ENTRY_DATA) == 0xffffffffu)
		return -EIO;
	return 0;
}

static uint64_t entry(const struct pci_msix *x, uint32_t i)
{
	return x->table + (uint64_t)i * MSIX_ENTRY_SIZE;
}

void pci_msix_write_msg(const struct pci_msix *x, uint32_t i, const struct msi_msg *msg)
{
	mmio_write32(entry(x, i) + MSIX_ENTRY_ADDR_LO, msg->address_lo);
	mmio_write32(entry(x, i) + MSIX_ENTRY_ADDR_HI, msg->address_hi);
	mmio_write32(entry(x, i) + MSIX_ENTRY_DATA, msg->data);
	(void)mmio_read32(entry(x, i) + MSIX_ENTRY_DATA);	/* flush the posted writes */
}

void pci_msix_read_msg(const struct pci_msix *x, uint32_t i, struct msi_msg *msg)
{
	msg->address_lo = mmio_read32(entry(x, i) + MSIX_ENTRY_ADDR_LO);
	msg->address_hi = mmio_read32(entry(x, i) + MSIX_ENTRY_ADDR_HI);
	msg->data = mmio_read32(entry(x, i) + MSIX_ENTRY_DATA);
}

void pci_msix_mask(const struct pci_msix *x, uint32_t i, int masked)
{
	uint32_t c = mmio_read32(entry(x, i) + MSIX_ENTRY_CTRL);

	c = masked ? c | MSIX_ENTRY_MASKED : c & ~MSIX_ENTRY_MASKED;
	mmio_write32(entry(x, i) + MSIX_ENTRY_CTRL, c);
	(void)mmio_read32(entry(x, i) + MSIX_ENTRY_CTRL);
}

int pci_msix_masked(const struct pci_msix *x, uint32_t i)
{
	return !!(mmio_read32(entry(x, i) + MSIX_ENTRY_CTRL) & MSIX_ENTRY_MASKED);
}

int pci_msix_pending(const struct pci_msix *x, uint32_t i)
{
	return (mmio_read32(x->pba + (i / 32) * 4) >> (i % 32)) & 1;
}

void pci_msix_mask_all(const struct pci_dev *d, const struct pci_msix *x, int masked)
{
	uint16_t c = pci_read16(d, x->cap + MSIX_CTRL);

	pci_write16(d, x->cap + MSIX_CTRL, masked ? c | MSIX_CTRL_MASKALL : c & ~MSIX_CTRL_MASKALL);
}

void pci_msix_enable(const struct pci_dev *d, const struct pci_msix *x, int on)
{
	uint16_t c = pci_read16(d, x->cap + MSIX_CTRL);

	if (on) {
		pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_INTX_DISABLE |
			    PCI_CMD_MASTER | PCI_CMD_MEM);
		pci_write16(d, x->cap + MSIX_CTRL, (c | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASKALL);
	} else {
		pci_write16(d, x->cap + MSIX_CTRL, c & ~MSIX_CTRL_ENABLE);
	}
}
