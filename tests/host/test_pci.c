// SPDX-License-Identifier: MIT
/*
 * drivers/pci/{enum,cap,bar}.c against a fake configuration space. QEMU
 * cannot show these cases (its devices have well-formed capability lists,
 * BARs that size, bridges inside the MCFG range), so a fake register block
 * stands in for the configuration access layer (drivers/pci/cfg.c) here:
 * a few functions with 4 KiB of config space each, and BARs that answer an
 * all-ones write with their size mask as hardware does.
 */
#include "tests/host/host.h"
#include "drivers/pci/msi.h"
#include "lib/errno.h"

struct fake_fn {
	uint8_t bus, dev, fn;
	uint8_t cfg[4096];
	uint32_t bar_mask[6];
	uint8_t sizing[6];
};

static struct fake_fn fns[16];
static int nfns;
static uint8_t seg_lo = 0, seg_hi = 255;
static uint64_t nreads;

static struct fake_fn *find(const struct pci_dev *d)
{
	for (int i = 0; i < nfns; i++)
		if (fns[i].bus == d->bus && fns[i].dev == d->dev && fns[i].fn == d->fn)
			return &fns[i];
	return NULL;
}

/* The configuration access API, faked. */
uint32_t pci_read32(const struct pci_dev *d, uint16_t off)
{
	struct fake_fn *f = find(d);
	uint32_t v;

	nreads++;
	if (!f || d->seg != 0)
		return 0xffffffffu;
	off &= 0xffc;
	if (off >= PCI_BAR0 && off < PCI_BAR0 + 24 && f->sizing[(off - PCI_BAR0) / 4])
		return f->bar_mask[(off - PCI_BAR0) / 4];
	memcpy(&v, f->cfg + off, 4);
	return v;
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
	struct fake_fn *f = find(d);

	if (!f)
		return;
	if (off >= PCI_BAR0 && off < PCI_BAR0 + 24) {
		f->sizing[(off - PCI_BAR0) / 4] = v == 0xffffffffu;
		if (v == 0xffffffffu)
			return;
	}
	memcpy(f->cfg + off, &v, 4);
}

void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v)
{
	struct fake_fn *f = find(d);

	if (f)
		memcpy(f->cfg + off, &v, 2);
}

int pci_cfg_segment(uint32_t i, uint16_t *seg, uint8_t *lo, uint8_t *hi)
{
	if (i)
		return -1;
	*seg = 0;
	*lo = seg_lo;
	*hi = seg_hi;
	return 0;
}

uint64_t pci_cfg_reads(void) { return nreads; }
int paging_map_uc(uint64_t base, uint64_t size) { (void)base; (void)size; return 0; }
uint64_t tsc_to_ns(uint64_t c) { return c; }

static struct fake_fn *add(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t vendor, uint8_t header)
{
	struct fake_fn *f = &fns[nfns++];

	memset(f, 0, sizeof(*f));
	f->bus = bus;
	f->dev = dev;
	f->fn = fn;
	memcpy(f->cfg, &vendor, 2);
	f->cfg[2] = 0x34;
	f->cfg[PCI_HEADER_TYPE] = header;
	return f;
}

static void cap(struct fake_fn *f, uint8_t off, uint8_t id, uint8_t next)
{
	f->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	if (!f->cfg[PCI_CAP_PTR])
		f->cfg[PCI_CAP_PTR] = off;
	f->cfg[off] = id;
	f->cfg[off + 1] = next;
}

static void ext_cap(struct fake_fn *f, uint16_t off, uint16_t id, uint16_t next)
{
	uint32_t h = id | 1u << 16 | (uint32_t)next << 20;

	memcpy(f->cfg + off, &h, 4);
}

static void reset(void)
{
	nfns = 0;
	seg_lo = 0;
	seg_hi = 255;
}

static struct pci_enum_report r;

static struct pci_dev *dev_at(uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (uint32_t i = 0; i < pci_ndevs; i++)
		if (pci_devs[i].bus == bus && pci_devs[i].dev == dev && pci_devs[i].fn == fn)
			return &pci_devs[i];
	return NULL;
}

static void walks_bridges_and_functions(void **state)
{
	struct fake_fn *b;

	(void)state;
	reset();
	add(0, 0, 0, 0x8086, 0);
	b = add(0, 1, 0, 0x1b36, PCI_HEADER_BRIDGE | PCI_HEADER_MF);
	b->cfg[PCI_SECONDARY_BUS] = 1;
	b->cfg[PCI_SUBORDINATE_BUS] = 1;
	add(0, 1, 3, 0x1234, 0);		/* function 3 of a multifunction device */
	add(1, 0, 0, 0x1234, 0);		/* behind the bridge */
	add(0, 2, 1, 0x1234, 0);		/* function 1 without function 0: not there */
	add(0x40, 0, 0, 0x1b36, 0);		/* a root bus no bridge leads to */
	pci_enumerate(&r);
	assert_int_equal(pci_ndevs, 5);
	assert_non_null(dev_at(0, 1, 3));
	assert_null(dev_at(0, 2, 1));
	assert_int_equal(dev_at(1, 0, 0)->parent, dev_at(0, 1, 0) - pci_devs);
	assert_int_equal(dev_at(0x40, 0, 0)->parent, -1);
	assert_int_equal(r.root_buses, 1);
	assert_int_equal(r.bridges, 1);
	assert_int_equal(r.errors, 0);
}

static void bridge_outside_the_segment(void **state)
{
	struct fake_fn *b, *loop;

	(void)state;
	reset();
	seg_hi = 15;				/* the MCFG says buses 0-15 */
	b = add(0, 1, 0, 0x1b36, PCI_HEADER_BRIDGE);
	b->cfg[PCI_SECONDARY_BUS] = 40;		/* firmware put it at 40 */
	add(40, 0, 0, 0x1234, 0);
	loop = add(0, 2, 0, 0x1b36, PCI_HEADER_BRIDGE);
	loop->cfg[PCI_SECONDARY_BUS] = 0;	/* unconfigured: not an error */
	pci_enumerate(&r);
	assert_int_equal(pci_ndevs, 2);
	assert_int_equal(r.bad_bridges, 1);
	assert_non_null(strstr(dev_at(0, 1, 0)->error, "secondary bus 40 outside 0-15"));
	assert_null(dev_at(40, 0, 0));
}

static void bridge_back_to_its_own_bus(void **state)
{
	struct fake_fn *b;

	(void)state;
	reset();
	b = add(0, 1, 0, 0x1b36, PCI_HEADER_BRIDGE);
	b->cfg[PCI_SECONDARY_BUS] = 2;
	b = add(2, 0, 0, 0x1b36, PCI_HEADER_BRIDGE);
	b->cfg[PCI_SECONDARY_BUS] = 2;		/* loops to itself */
	pci_enumerate(&r);
	assert_int_equal(pci_ndevs, 2);
	assert_int_equal(r.bad_bridges, 1);
}

static void capability_loop_and_header_pointer(void **state)
{
	struct fake_fn *a, *b;

	(void)state;
	reset();
	a = add(0, 3, 0, 0x1234, 0);
	cap(a, 0x40, PCI_CAP_ID_MSI, 0x50);
	cap(a, 0x50, PCI_CAP_ID_PM, 0x40);	/* back to the first */
	b = add(0, 4, 0, 0x1234, 0);
	cap(b, 0x40, PCI_CAP_ID_MSI, 0x20);	/* into the header */
	pci_enumerate(&r);
	assert_non_null(strstr(dev_at(0, 3, 0)->error, "capability list loops at 0x40"));
	assert_int_equal(dev_at(0, 3, 0)->ncaps, 2);
	assert_non_null(strstr(dev_at(0, 4, 0)->error, "pointer into the header at 0x20"));
	assert_int_equal(r.errors, 2);
}

static void extended_capabilities(void **state)
{
	struct fake_fn *a, *b;

	(void)state;
	reset();
	a = add(0, 3, 0, 0x1234, 0);
	cap(a, 0x40, PCI_CAP_ID_EXP, 0);
	ext_cap(a, 0x100, 0x0001, 0x140);	/* AER */
	ext_cap(a, 0x140, 0x000e, 0);		/* ARI */
	b = add(0, 4, 0, 0x1234, 0);
	cap(b, 0x40, PCI_CAP_ID_EXP, 0);
	ext_cap(b, 0x100, 0x0001, 0x180);
	ext_cap(b, 0x180, 0x0002, 0x100);	/* loops */
	pci_enumerate(&r);
	assert_int_equal(dev_at(0, 3, 0)->next_caps, 2);
	assert_int_equal(pci_find_ext_cap(dev_at(0, 3, 0), 0x000e), 0x140);
	assert_non_null(strstr(dev_at(0, 4, 0)->error, "extended capability list loops at 0x100"));
}

static void bars_sized(void **state)
{
	struct fake_fn *a;
	uint32_t v;
	struct pci_dev *d;

	(void)state;
	reset();
	a = add(0, 5, 0, 0x1234, 0);
	v = 0xfe000000;				/* BAR0: 32-bit, 1 MiB */
	memcpy(a->cfg + 0x10, &v, 4);
	a->bar_mask[0] = 0xfff00000;
	v = 0x0000000c;				/* BAR2-3: 64-bit prefetchable, 8 GiB at 0x8_0000_0000 */
	memcpy(a->cfg + 0x18, &v, 4);
	v = 0x8;
	memcpy(a->cfg + 0x1c, &v, 4);
	a->bar_mask[2] = 0x0000000c;
	a->bar_mask[3] = 0xfffffffe;
	v = 0xc001;				/* BAR4: I/O, 32 ports */
	memcpy(a->cfg + 0x20, &v, 4);
	a->bar_mask[4] = 0xffffffe1;
	pci_enumerate(&r);
	d = dev_at(0, 5, 0);
	assert_int_equal(d->bars[0].kind, BAR_MEM32);
	assert_int_equal(d->bars[0].size, 1 << 20);
	assert_int_equal(d->bars[2].kind, BAR_MEM64);
	assert_int_equal(d->bars[2].addr, 0x800000000ull);
	assert_int_equal(d->bars[2].size, 8ull << 30);
	assert_true(d->bars[2].prefetch);
	assert_int_equal(d->bars[3].kind, BAR_NONE);	/* the upper half */
	assert_int_equal(d->bars[4].kind, BAR_IO);
	assert_int_equal(d->bars[4].addr, 0xc000);
	assert_int_equal(d->bars[4].size, 32);
	assert_string_equal(d->error, "");
	/* The command register is as it was: decoding restored. */
	assert_int_equal(a->cfg[PCI_COMMAND] & 3, 0);
}

static void bar_sizing_to_zero(void **state)
{
	struct fake_fn *a;
	uint32_t v = 0xfe100000;

	(void)state;
	reset();
	a = add(0, 5, 0, 0x1234, 0);
	memcpy(a->cfg + 0x10, &v, 4);
	a->bar_mask[0] = 0;			/* an address, but no bit sticks */
	pci_enumerate(&r);
	assert_non_null(strstr(dev_at(0, 5, 0)->error, "BAR0 = 0xfe100000 sizes to zero"));
	assert_int_equal(dev_at(0, 5, 0)->bars[0].kind, BAR_NONE);
}

/* An MSI-X table whose BAR reads all ones (a device that fell off the bus,
 * or a BAR the firmware left undecoded): refused, not used. The "BAR" is a
 * host buffer here. */
static void msix_table_all_ones(void **state)
{
	static uint32_t bar[1024];
	struct fake_fn *a;
	struct pci_msix x;
	uint32_t v;
	uint16_t ctrl = 4;	/* table size 5 */

	(void)state;
	reset();
	a = add(0, 7, 0, 0x8086, 0);
	cap(a, 0x40, PCI_CAP_ID_MSIX, 0);
	memcpy(a->cfg + 0x42, &ctrl, 2);
	v = 0x0;		/* table at BAR0 + 0 */
	memcpy(a->cfg + 0x44, &v, 4);
	v = 0x800;		/* PBA at BAR0 + 0x800 */
	memcpy(a->cfg + 0x48, &v, 4);
	pci_enumerate(&r);
	dev_at(0, 7, 0)->bars[0] = (struct pci_bar){ BAR_MEM32, 0, (uintptr_t)bar, sizeof(bar) };
	memset(bar, 0, sizeof(bar));
	assert_int_equal(pci_msix_get(dev_at(0, 7, 0), &x), 0);
	assert_int_equal(x.nvec, 5);
	assert_int_equal(x.pba, (uintptr_t)bar + 0x800);
	memset(bar, 0xff, sizeof(bar));
	assert_int_equal(pci_msix_get(dev_at(0, 7, 0), &x), -EIO);
	/* A table offset past its BAR is refused too. */
	v = 0x10000;
	memcpy(a->cfg + 0x44, &v, 4);
	memset(bar, 0, sizeof(bar));
	assert_int_equal(pci_msix_get(dev_at(0, 7, 0), &x), -EIO);
}

static void nothing_there(void **state)
{
	(void)state;
	reset();
	pci_enumerate(&r);
	assert_int_equal(pci_ndevs, 0);
	assert_int_equal(r.reads, 256 * 32);	/* function 0 of every device, once */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_bridges_and_functions),
		cmocka_unit_test(bridge_outside_the_segment),
		cmocka_unit_test(bridge_back_to_its_own_bus),
		cmocka_unit_test(capability_loop_and_header_pointer),
		cmocka_unit_test(extended_capabilities),
		cmocka_unit_test(bars_sized),
		cmocka_unit_test(bar_sizing_to_zero),
		cmocka_unit_test(msix_table_all_ones),
		cmocka_unit_test(nothing_there),
	};
	return RUN(tests);
}
