// SPDX-License-Identifier: MIT
/*
 * Capability walkers that cannot loop. See PCI Local Bus 3.0, 6.7 (the list
 * starts at 0x34 when status bit 4 is set; pointers are dword aligned and
 * above the 64-byte header) and PCIe Base 5.0, 7.6.3 (extended capability
 * header at 0x100: ID 15:0, version 19:16, next 31:20).
 */
#include "drivers/pci/pci.h"
#include "lib/printf.h"

#define EXT_SLOTS ((4096 - PCI_EXT_CAP_FIRST) / 4)

static int fail(struct pci_dev *d, const char *what, uint16_t off)
{
	if (!d->error[0])
		ksnprintf(d->error, sizeof(d->error), "%s at 0x%x", what, off);
	return -1;
}

static int walk_caps(struct pci_dev *d)
{
	uint8_t seen[256 / 8] = { 0 };
	uint16_t off;

	if (!(pci_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	for (off = pci_read8(d, PCI_CAP_PTR) & 0xfc; off; off = pci_read8(d, off + 1) & 0xfc) {
		if (off < PCI_CAP_FIRST)
			return fail(d, "capability pointer into the header", off);
		if (seen[off / 8] & (1u << (off % 8)))
			return fail(d, "capability list loops", off);
		seen[off / 8] |= (uint8_t)(1u << (off % 8));
		if (d->ncaps == PCI_CAPS_MAX)
			return fail(d, "more capabilities than recorded", off);
		d->caps[d->ncaps++] = (struct pci_cap){ .id = pci_read8(d, off), .off = off };
	}
	return 0;
}

static int walk_ext_caps(struct pci_dev *d)
{
	uint8_t seen[EXT_SLOTS / 8] = { 0 };
	uint16_t off = PCI_EXT_CAP_FIRST;
	uint32_t h = pci_read32(d, off);

	/* No extended space (legacy access, conventional PCI) reads as all ones
	 * or zero. */
	if (h == 0 || h == 0xffffffffu || !pci_find_cap(d, PCI_CAP_ID_EXP))
		return 0;
	for (;;) {
		unsigned slot = (off - PCI_EXT_CAP_FIRST) / 4;

		if (seen[slot / 8] & (1u << (slot % 8)))
			return fail(d, "extended capability list loops", off);
		seen[slot / 8] |= (uint8_t)(1u << (slot % 8));
		if (d->next_caps == PCI_CAPS_MAX)
			return fail(d, "more extended capabilities than recorded", off);
		if ((h & 0xffff) != 0)	/* ID 0 with a next pointer: a placeholder */
			d->ext_caps[d->next_caps++] = (struct pci_cap){ .id = (uint16_t)(h & 0xffff), .off = off };
		off = (h >> 20) & 0xffc;
		if (!off)
			return 0;
		if (off < PCI_EXT_CAP_FIRST)
			return fail(d, "extended capability pointer below 0x100", off);
		h = pci_read32(d, off);
	}
}

int pci_caps_walk(struct pci_dev *d)
{
	d->ncaps = d->next_caps = 0;
	if (walk_caps(d))
		return -1;
	return walk_ext_caps(d);
}

uint16_t pci_find_cap(const struct pci_dev *d, uint8_t id)
{
	for (unsigned i = 0; i < d->ncaps; i++)
		if (d->caps[i].id == id)
			return d->caps[i].off;
	return 0;
}

uint16_t pci_find_ext_cap(const struct pci_dev *d, uint16_t id)
{
	for (unsigned i = 0; i < d->next_caps; i++)
		if (d->ext_caps[i].id == id)
			return d->ext_caps[i].off;
	return 0;
}

#define PCI_EXP_FLAGS		0x02
#define PCI_EXP_TYPE(f)		(((f) >> 4) & 0xf)
#define PCI_EXP_TYPE_PCI_BRIDGE	0x7	/* PCI Express to PCI/PCI-X bridge */

uint16_t pci_requester_id(const struct pci_dev *d)
{
	uint16_t rid = pci_rid(d);

	for (const struct pci_dev *b = d; b->parent >= 0;) {
		const struct pci_dev *up = &pci_devs[b->parent];
		uint16_t exp = pci_find_cap(up, PCI_CAP_ID_EXP);

		if (exp && PCI_EXP_TYPE(pci_read16(up, exp + PCI_EXP_FLAGS)) == PCI_EXP_TYPE_PCI_BRIDGE)
			rid = (uint16_t)(up->sec_bus << 8);
		else if (!exp)
			rid = pci_rid(up);	/* a conventional bridge forwards as itself */
		b = up;
	}
	return rid;
}
