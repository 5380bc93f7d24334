// SPDX-License-Identifier: MIT
/*
 * The bus walk. See PCI Local Bus 3.0, 6.2.1 (vendor 0xFFFF: no function
 * there), 6.2.1 header type bit 7 (multifunction), PCI-to-PCI Bridge 1.2,
 * 3.2.5.3-5 (secondary and subordinate bus numbers). Bridges are followed
 * as firmware configured them; buses that no bridge leads to but that hold
 * devices (the root buses of expander bridges such as QEMU's pxb-pcie,
 * which firmware describes only in AML) are found by scanning the rest of
 * each segment's bus range.
 */
#include "drivers/pci/pci.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "lib/printf.h"
#include "lib/string.h"

struct pci_dev pci_devs[PCI_DEVS_MAX];
uint32_t pci_ndevs;

static uint8_t visited[256 / 8];
static struct pci_enum_report *rep;

static void probe_fn(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, int parent, int *is_mf);

static void scan_bus(uint16_t seg, uint8_t bus, int parent)
{
	visited[bus / 8] |= (uint8_t)(1u << (bus % 8));
	for (uint8_t dev = 0; dev < 32; dev++) {
		int mf = 0;

		probe_fn(seg, bus, dev, 0, parent, &mf);
		for (uint8_t fn = 1; mf && fn < 8; fn++)
			probe_fn(seg, bus, dev, fn, parent, &mf);
	}
}

static void probe_fn(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, int parent, int *is_mf)
{
	struct pci_dev probe = { .seg = seg, .bus = bus, .dev = dev, .fn = fn };
	struct pci_dev *d;
	uint32_t id = pci_read32(&probe, PCI_VENDOR);
	uint8_t ht;
	uint16_t s;
	uint8_t b0, b1;

	if ((id & 0xffff) == 0xffff)
		return;
	if (pci_ndevs == PCI_DEVS_MAX) {
		rep->dropped++;
		return;
	}
	d = &pci_devs[pci_ndevs++];
	*d = probe;
	d->vendor = (uint16_t)id;
	d->device = (uint16_t)(id >> 16);
	d->class = pci_read32(d, PCI_REVISION) >> 8;
	ht = pci_read8(d, PCI_HEADER_TYPE);
	if (fn == 0)
		*is_mf = !!(ht & PCI_HEADER_MF);
	d->header = ht & 0x7f;
	d->parent = (int16_t)parent;
	pci_caps_walk(d);
	pci_bars_size(d);
	if (d->error[0])
		rep->errors++;
	if (d->header != PCI_HEADER_BRIDGE)
		return;
	rep->bridges++;
	d->sec_bus = pci_read8(d, PCI_SECONDARY_BUS);
	d->sub_bus = pci_read8(d, PCI_SUBORDINATE_BUS);
	for (uint32_t i = 0; pci_cfg_segment(i, &s, &b0, &b1) == 0; i++)
		if (s == seg)
			break;	/* every walked segment is listed: b0..b1 is its range */
	if (d->sec_bus <= bus || d->sec_bus < b0 || d->sec_bus > b1 ||
	    (visited[d->sec_bus / 8] & (1u << (d->sec_bus % 8)))) {
		if (d->sec_bus) {	/* 0: not configured, nothing below */
			rep->bad_bridges++;
			if (!d->error[0])
				ksnprintf(d->error, sizeof(d->error),
					  "secondary bus %u outside %u-%u, or already walked",
					  d->sec_bus, b0, b1);
		}
		return;
	}
	scan_bus(seg, d->sec_bus, (int)(d - pci_devs));
}

void pci_enumerate(struct pci_enum_report *r)
{
	uint64_t reads0 = pci_cfg_reads(), t0 = rdtsc();
	uint16_t seg;
	uint8_t lo, hi;

	memset(r, 0, sizeof(*r));
	rep = r;
	pci_ndevs = 0;
	for (uint32_t i = 0; pci_cfg_segment(i, &seg, &lo, &hi) == 0; i++) {
		memset(visited, 0, sizeof(visited));
		scan_bus(seg, lo, -1);
		for (uint32_t bus = lo + 1u; bus <= hi; bus++) {
			uint32_t before = pci_ndevs;

			if (visited[bus / 8] & (1u << (bus % 8)))
				continue;
			scan_bus(seg, (uint8_t)bus, -1);
			r->root_buses += pci_ndevs != before;
		}
	}
	r->reads = pci_cfg_reads() - reads0;
	r->ns = tsc_to_ns(rdtsc() - t0);
}

struct pci_dev *pci_find(uint16_t vendor, uint16_t device, uint32_t index)
{
	for (uint32_t i = 0; i < pci_ndevs; i++)
		if (pci_devs[i].vendor == vendor && pci_devs[i].device == device && index-- == 0)
			return &pci_devs[i];
	return 0;
}

void pci_bdf(const struct pci_dev *d, char *buf, unsigned long len)
{
	ksnprintf(buf, len, "%04x:%02x:%02x.%x", d->seg, d->bus, d->dev, d->fn);
}
