// SPDX-License-Identifier: MIT
/*
 * BAR decoding and sizing. See PCI Local Bus 3.0, 6.2.5.1: bit 0 is 1 for
 * I/O; memory BARs have type in bits 2:1 (00 32-bit, 10 64-bit) and
 * prefetchable in bit 3; the size comes from writing all ones and reading
 * back the bits that stick. Decoding is off while a BAR holds all ones,
 * but on a function in use: a host bridge, whose decode must never go off
 * (Linux: mmio_always_on), a display controller (the firmware's
 * framebuffer), the console's UART. Firmware's assignments are kept:
 * nothing is moved.
 * MMIO BARs are mapped uncached (arch/x86/paging.c).
 */
#include "drivers/pci/pci.h"
#include "arch/x86/paging.h"
#include "lib/printf.h"

static uint32_t probe(const struct pci_dev *d, uint16_t off, uint32_t orig)
{
	uint32_t v;

	pci_write32(d, off, 0xffffffffu);
	v = pci_read32(d, off);
	pci_write32(d, off, orig);
	return v;
}

#define PCI_CLASS_DISPLAY	0x03

static struct {
	int set;
	uint16_t seg;
	uint8_t bus, dev, fn;
} keep;

void pci_keep_decode(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	keep.set = 1;
	keep.seg = seg;
	keep.bus = bus;
	keep.dev = dev;
	keep.fn = fn;
}

/* A function whose decode must stay on while its BARs are sized: one the
 * firmware or the console is using. */
static int in_use(const struct pci_dev *d)
{
	return d->class >> 8 == PCI_CLASS_HOST_BRIDGE || d->class >> 16 == PCI_CLASS_DISPLAY ||
	       (keep.set && d->seg == keep.seg && d->bus == keep.bus && d->dev == keep.dev &&
		d->fn == keep.fn);
}

int pci_bars_size(struct pci_dev *d)
{
	unsigned n = d->header == 0 ? 6 : d->header == 1 ? 2 : 0;
	uint16_t cmd = pci_read16(d, PCI_COMMAND);
	int ret = 0;

	if (!in_use(d))
		pci_write16(d, PCI_COMMAND, cmd & ~(PCI_CMD_IO | PCI_CMD_MEM));
	for (unsigned i = 0; i < n; i++) {
		uint16_t off = (uint16_t)(PCI_BAR0 + 4 * i);
		uint32_t lo = pci_read32(d, off), m = probe(d, off, lo);
		struct pci_bar *b = &d->bars[i];

		if (m == 0 || m == 0xffffffffu) {
			/* Unimplemented (reads 0) or nothing there (all ones). */
			if (lo != 0 && lo != 0xffffffffu && !d->error[0]) {
				ksnprintf(d->error, sizeof(d->error), "BAR%u = 0x%x sizes to zero", i, lo);
				ret = -1;
			}
			continue;
		}
		if (lo & 1) {
			b->kind = BAR_IO;
			b->addr = lo & ~3u;
			b->size = (~(m & ~3u) + 1) & 0xffff;
		} else if (((lo >> 1) & 3) == 2 && i + 1 < n) {
			uint32_t hi = pci_read32(d, off + 4), mh = probe(d, off + 4, hi);
			uint64_t mask = (uint64_t)mh << 32 | (m & ~0xfu);

			b->kind = BAR_MEM64;
			b->addr = (uint64_t)hi << 32 | (lo & ~0xfu);
			b->size = ~mask + 1;
			i++;	/* the upper half is this BAR's */
		} else {
			b->kind = BAR_MEM32;
			b->addr = lo & ~0xfu;
			b->size = (uint32_t)(~(m & ~0xfu) + 1);
		}
		b->prefetch = !(lo & 1) && (lo & 8);
		if (b->kind != BAR_IO && b->addr && paging_map_uc(b->addr, b->size) && !d->error[0]) {
			ksnprintf(d->error, sizeof(d->error), "BAR%u at 0x%lx cannot be mapped", i, b->addr);
			ret = -1;
		}
	}
	pci_write16(d, PCI_COMMAND, cmd);
	return ret;
}
