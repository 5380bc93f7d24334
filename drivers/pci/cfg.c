// SPDX-License-Identifier: MIT
/*
 * Configuration space access: ECAM for every MCFG segment (PCIe Base 5.0,
 * 7.2.2: base + bus << 20 | device << 15 | function << 12 | offset, the MCFG
 * base being bus 0's), and the legacy mechanism #1 (PCI Local Bus 3.0,
 * 3.2.2.3.2: 0xCF8 = enable | bus << 16 | device << 11 | function << 8 |
 * register, data at 0xCFC) for segment 0 and offsets below 256.
 */
#include "drivers/pci/pci.h"
#include "lib/console.h"
#include "drivers/acpi/tables.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"

#define CF8_ENABLE	0x80000000u
#define PORT_ADDR	0xcf8
#define PORT_DATA	0xcfc

static struct mcfg_segment segs[MCFG_SEGMENTS_MAX];
static uint32_t nsegs;
static enum pci_access access = PCI_ACCESS_LEGACY;
static uint64_t reads;

void pci_cfg_init(const struct mcfg *m)
{
	nsegs = 0;
	for (uint32_t i = 0; m && i < m->n; i++) {
		uint64_t top = m->seg[i].base + ((uint64_t)m->seg[i].bus_end + 1) * (1u << 20);

		if (paging_map_uc(m->seg[i].base, top - m->seg[i].base) == 0)
			segs[nsegs++] = m->seg[i];
	}
	access = nsegs ? PCI_ACCESS_ECAM : PCI_ACCESS_LEGACY;
}

void pci_cfg_set_access(enum pci_access a)
{
	access = a == PCI_ACCESS_ECAM && nsegs ? PCI_ACCESS_ECAM : PCI_ACCESS_LEGACY;
}

enum pci_access pci_cfg_access(void)
{
	return access;
}

uint32_t pci_cfg_segments(void)
{
	return access == PCI_ACCESS_ECAM ? nsegs : 1;
}

int pci_cfg_segment(uint32_t i, uint16_t *seg, uint8_t *bus_start, uint8_t *bus_end)
{
	if (access == PCI_ACCESS_LEGACY) {
		if (i)
			return -1;
		*seg = 0;
		*bus_start = 0;
		*bus_end = 255;
		return 0;
	}
	if (i >= nsegs)
		return -1;
	*seg = segs[i].segment;
	*bus_start = segs[i].bus_start;
	*bus_end = segs[i].bus_end;
	return 0;
}

uint64_t pci_cfg_reads(void)
{
	return reads;
}

/* The ECAM address of (d, off), or 0 when no segment covers it. */
static uint64_t ecam(const struct pci_dev *d, uint16_t off)
{
	for (uint32_t i = 0; i < nsegs; i++)
		if (segs[i].segment == d->seg && d->bus >= segs[i].bus_start &&
		    d->bus <= segs[i].bus_end)
			return segs[i].base + ((uint64_t)d->bus << 20 | (uint64_t)d->dev << 15 |
					       (uint64_t)d->fn << 12 | off);
	return 0;
}

static uint32_t cf8(const struct pci_dev *d, uint16_t off)
{
	return CF8_ENABLE | (uint32_t)d->bus << 16 | (uint32_t)d->dev << 11 |
	       (uint32_t)d->fn << 8 | (off & 0xfc);
}

uint32_t pci_read32(const struct pci_dev *d, uint16_t off)
{
	uint64_t a;

	reads++;
	if (access == PCI_ACCESS_ECAM && (a = ecam(d, off & 0xffc)))
		return mmio_read32(a);
	if (d->seg != 0 || off >= 256)
		return 0xffffffffu;	/* not reachable without ECAM */
	outl(PORT_ADDR, cf8(d, off));
	return inl(PORT_DATA);
}

uint16_t pci_read16(const struct pci_dev *d, uint16_t off)
{
	return (uint16_t)(pci_read32(d, off & ~3) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_dev *d, uint16_t off)
{
	return (uint8_t)(pci_read32(d, off & ~3) >> ((off & 3) * 8));
}

void pci_write32(const struct pci_dev *d, uint16_t off, uint32_t v)
{
	uint64_t a;

	if (access == PCI_ACCESS_ECAM && (a = ecam(d, off & 0xffc))) {
		mmio_write32(a, v);
		return;
	}
	if (d->seg != 0 || off >= 256)
		return;
	outl(PORT_ADDR, cf8(d, off));
	outl(PORT_DATA, v);
}

/* A real 16-bit write: a read-modify-write of the dword would write the
 * neighbouring register too (the status register's bits clear on a 1). */
void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v)
{
	uint64_t a;

	if (access == PCI_ACCESS_ECAM && (a = ecam(d, off & 0xffe))) {
		*(volatile uint16_t *)(uintptr_t)a = v;
		return;
	}
	if (d->seg != 0 || off >= 256)
		return;
	outl(PORT_ADDR, cf8(d, off));
	outw((uint16_t)(PORT_DATA + (off & 2)), v);
}

static int set_mem_master(const struct pci_dev *d)
{
	uint16_t cmd = pci_read16(d, PCI_COMMAND), want = PCI_CMD_MEM | PCI_CMD_MASTER;

	if ((cmd & want) == want)
		return 0;
	pci_write16(d, PCI_COMMAND, cmd | want);
	return 1;
}

uint32_t pci_enable_memory_and_master(const struct pci_dev *d)
{
	uint32_t changed = 0;
	char bdf[16], below[16];

	set_mem_master(d);
	pci_bdf(d, below, sizeof(below));
	for (const struct pci_dev *b = d; b->parent >= 0;) {
		b = &pci_devs[b->parent];
		if (set_mem_master(b)) {
			pci_bdf(b, bdf, sizeof(bdf));
			warn("pci: bridge %s had memory decode or bus mastering off: turned on for "
			     "%s below it", bdf, below);
			changed++;
		}
	}
	return changed;
}

/* Whether addr lies in the bridge's memory or prefetchable window. */
static int in_window(const struct pci_dev *b, uint64_t addr)
{
	uint64_t base = (uint64_t)(pci_read16(b, PCI_MEM_BASE) & 0xfff0) << 16;
	uint64_t limit = (uint64_t)(pci_read16(b, PCI_MEM_LIMIT) & 0xfff0) << 16 | 0xfffff;
	uint16_t pb = pci_read16(b, PCI_PREF_BASE), pl = pci_read16(b, PCI_PREF_LIMIT);
	uint64_t pbase = (uint64_t)(pb & 0xfff0) << 16, plimit = (uint64_t)(pl & 0xfff0) << 16 | 0xfffff;

	if (base <= limit && addr >= base && addr <= limit)
		return 1;
	if ((pb & 0xf) == 1) {	/* 64-bit prefetchable window */
		pbase |= (uint64_t)pci_read32(b, PCI_PREF_BASE_HI) << 32;
		plimit |= (uint64_t)pci_read32(b, PCI_PREF_LIMIT_HI) << 32;
	}
	return pbase <= plimit && addr >= pbase && addr <= plimit;
}

const char *pci_mmio_unusable(const struct pci_dev *d, uint64_t addr)
{
	uint16_t pm = pci_find_cap(d, PCI_CAP_ID_PM);

	if (!(pci_read16(d, PCI_COMMAND) & PCI_CMD_MEM))
		return "memory decode is off";
	if (!addr)
		return "the BAR is unassigned";
	if (pm && (pci_read16(d, pm + PCI_PM_CTRL) & 3))
		return "the function is not in D0";
	for (const struct pci_dev *b = d; b->parent >= 0;) {
		b = &pci_devs[b->parent];
		if (!in_window(b, addr))
			return "the address lies outside a bridge window above it";
	}
	return 0;
}
