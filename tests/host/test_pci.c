// SPDX-License-Identifier: MIT
/*
 * drivers/pci/{enum,cap,bar}.c against a fake configuration space. QEMU
 * cannot show these cases (its devices have well-formed capability lists,
 * BARs that size, bridges inside the MCFG range), so a fake register block
 * stands in for the configuration access layer (drivers/pci/cfg.c) here:
 * a few functions with 4 KiB of config space each, and BARs that answer an
 * all-ones write with their size mask as hardware does.
 */
#define _GNU_SOURCE	/* REG_EFL */
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "tests/host/host.h"
#include "drivers/pci/msi.h"
#include "lib/errno.h"

struct fake_fn {
	uint8_t bus, dev, fn;
	uint8_t cfg[4096];
	uint32_t bar_mask[6];
	uint8_t sizing[6];
	int sized_decoding;	/* all ones written to a BAR with decode on */
	int decode_cleared;	/* a command write that turned decode off */
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

/* A device model for plain MSI (QEMU cannot show this: its devices raise
 * a message only when told to, never between two configuration writes).
 * The watched function raises its interrupt right after every write into
 * its MSI capability, as a busy NIC might: where MSI is enabled and vector
 * 0 not masked, the message is sent as the capability holds it then
 * (address and data: PCI Local Bus 3.0, 6.8.1.3-6.8.1.6; a masked vector
 * sets its pending bit instead, 6.8.1.7-6.8.1.8). */
static struct { uint8_t bus, dev, fn, cap; int is64, maskable; } msi_model;
static struct { uint32_t address_lo; uint16_t data; } sent[32];
static int nsent, held;

static void msi_model_after_write(struct fake_fn *f, uint16_t off)
{
	uint8_t c = msi_model.cap;
	uint16_t ctrl, data;
	uint32_t addr, mask = 0;

	if (!c || f->bus != msi_model.bus || f->dev != msi_model.dev || f->fn != msi_model.fn ||
	    off < c || off >= c + 0x18)
		return;
	memcpy(&ctrl, f->cfg + c + 2, 2);
	if (!(ctrl & 1))
		return;
	if (msi_model.maskable)
		memcpy(&mask, f->cfg + c + (msi_model.is64 ? 0x10 : 0x0c), 4);
	if (mask & 1) {
		held++;
		return;
	}
	memcpy(&addr, f->cfg + c + 4, 4);
	memcpy(&data, f->cfg + c + (msi_model.is64 ? 0x0c : 0x08), 2);
	if (nsent < 32)
		sent[nsent++] = (typeof(sent[0])){ addr, data };
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
		if (v == 0xffffffffu && (f->cfg[PCI_COMMAND] & (PCI_CMD_IO | PCI_CMD_MEM)))
			f->sized_decoding++;
		f->sizing[(off - PCI_BAR0) / 4] = v == 0xffffffffu;
		if (v == 0xffffffffu)
			return;
	}
	memcpy(f->cfg + off, &v, 4);
	msi_model_after_write(f, off);
}

void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v)
{
	struct fake_fn *f = find(d);

	if (!f)
		return;
	if (off == PCI_COMMAND && (f->cfg[PCI_COMMAND] & PCI_CMD_MEM) && !(v & PCI_CMD_MEM))
		f->decode_cleared++;
	memcpy(f->cfg + off, &v, 2);
	msi_model_after_write(f, off);
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

/* A function at 00:dev.0 with an MSI-X capability at 0x40: `nvec`
 * entries, its Table and PBA registers (offset | BIR) as given (PCI 3.0
 * 6.8.2.4-6.8.2.5). */
static struct fake_fn *msix_fn(uint8_t dev, uint16_t nvec, uint32_t table, uint32_t pba)
{
	struct fake_fn *a = add(0, dev, 0, 0x8086, 0);
	uint16_t ctrl = nvec - 1;

	cap(a, 0x40, PCI_CAP_ID_MSIX, 0);
	memcpy(a->cfg + 0x42, &ctrl, 2);
	memcpy(a->cfg + 0x44, &table, 4);
	memcpy(a->cfg + 0x48, &pba, 4);
	return a;
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

/* PCI 3.0 6.2.5.1: while a BAR holds all ones it decodes an address range
 * that is not its own, so decoding is off while sizing (Linux:
 * __pci_read_base) and restored after; but not on a host bridge, whose
 * decode carries the CPU's own memory accesses (Linux: mmio_always_on). */
static void bars_sized_with_decode_off(void **state)
{
	struct fake_fn *a, *hb;
	uint32_t v = 0xfe000000, class = PCI_CLASS_HOST_BRIDGE << 16;

	(void)state;
	reset();
	a = add(0, 5, 0, 0x1234, 0);
	memcpy(a->cfg + 0x10, &v, 4);
	a->bar_mask[0] = 0xfff00000;
	a->cfg[PCI_COMMAND] = PCI_CMD_IO | PCI_CMD_MEM;
	hb = add(0, 0, 0, 0x8086, 0);
	memcpy(hb->cfg + PCI_REVISION, &class, 4);
	v = 0xfd000000;
	memcpy(hb->cfg + 0x10, &v, 4);
	hb->bar_mask[0] = 0xfff00000;
	hb->cfg[PCI_COMMAND] = PCI_CMD_MEM;
	pci_enumerate(&r);
	assert_int_equal(dev_at(0, 5, 0)->bars[0].size, 1 << 20);
	assert_int_equal(a->sized_decoding, 0);
	assert_int_equal(a->cfg[PCI_COMMAND], PCI_CMD_IO | PCI_CMD_MEM);	/* restored */
	assert_int_equal(dev_at(0, 0, 0)->bars[0].size, 1 << 20);
	assert_int_equal(hb->decode_cleared, 0);
	assert_int_equal(hb->cfg[PCI_COMMAND], PCI_CMD_MEM);
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

	(void)state;
	reset();
	/* table at BAR0 + 0; PBA at BAR0 + 0x800 */
	a = msix_fn(7, 5, 0x0, 0x800);
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

/* PCI 3.0 6.8.1: the MSI capability's layout depends on Message Control:
 * 64-bit (bit 7) moves the data to 0x0c and the mask and pending bits to
 * 0x10/0x14 (from 0x0c/0x10); only a function with per-vector masking
 * (bit 8) has them, and past a capability without them lies another. */
static void msi_capability_layout(void **state)
{
	struct fake_fn *a, *b, *c;
	struct pci_msi m;
	struct msi_msg msg = { .address_lo = 0xfee01000, .address_hi = 0x12345678, .data = 0x4041 };
	uint16_t ctrl64 = MSI_CTRL_64BIT | MSI_CTRL_MASKABLE | 2 << 1;	/* 4 vectors */
	uint16_t ctrl32 = MSI_CTRL_MASKABLE;
	uint16_t ctrl64_nomask = MSI_CTRL_64BIT;
	uint32_t v;

	(void)state;
	reset();
	a = add(0, 8, 0, 0x8086, 0);
	cap(a, 0x50, PCI_CAP_ID_MSI, 0);
	memcpy(a->cfg + 0x52, &ctrl64, 2);
	b = add(0, 9, 0, 0x8086, 0);
	cap(b, 0x60, PCI_CAP_ID_MSI, 0);
	memcpy(b->cfg + 0x62, &ctrl32, 2);
	c = add(0, 10, 0, 0x8086, 0);
	cap(c, 0x70, PCI_CAP_ID_MSI, 0);
	memcpy(c->cfg + 0x72, &ctrl64_nomask, 2);
	memset(c->cfg + 0x80, 0xee, 8);	/* whatever follows the capability */
	pci_enumerate(&r);

	/* 64-bit, maskable, 4 vectors. */
	assert_int_equal(pci_msi_get(dev_at(0, 8, 0), &m), 0);
	assert_true(m.is64);
	assert_true(m.maskable);
	assert_int_equal(m.nvec, 4);
	pci_msi_write_msg(dev_at(0, 8, 0), &m, &msg);
	memcpy(&v, a->cfg + 0x54, 4);
	assert_int_equal(v, 0xfee01000);	/* Message Address */
	memcpy(&v, a->cfg + 0x58, 4);
	assert_int_equal(v, 0x12345678);	/* Message Upper Address */
	memcpy(&v, a->cfg + 0x5c, 4);
	assert_int_equal(v & 0xffff, 0x4041);	/* Message Data */
	assert_int_equal(pci_msi_mask(dev_at(0, 8, 0), &m, 2, 1), 0);
	memcpy(&v, a->cfg + 0x60, 4);
	assert_int_equal(v, 1u << 2);		/* Mask Bits at 0x10 */
	memcpy(&v, a->cfg + 0x5c, 4);
	assert_int_equal(v & 0xffff, 0x4041);	/* the data untouched */
	v = 1u << 3;
	memcpy(a->cfg + 0x64, &v, 4);		/* Pending Bits at 0x14 */
	assert_int_equal(pci_msi_pending(dev_at(0, 8, 0), &m), 1u << 3);
	assert_int_equal(pci_msi_mask(dev_at(0, 8, 0), &m, 4, 1), -EINVAL);	/* 4 vectors */

	/* 32-bit, maskable: data at 0x08, mask at 0x0c, pending at 0x10. */
	assert_int_equal(pci_msi_get(dev_at(0, 9, 0), &m), 0);
	assert_false(m.is64);
	assert_true(m.maskable);
	assert_int_equal(m.nvec, 1);
	pci_msi_write_msg(dev_at(0, 9, 0), &m, &msg);
	memcpy(&v, b->cfg + 0x68, 4);
	assert_int_equal(v & 0xffff, 0x4041);
	assert_int_equal(pci_msi_mask(dev_at(0, 9, 0), &m, 0, 1), 0);
	memcpy(&v, b->cfg + 0x6c, 4);
	assert_int_equal(v, 1);
	memcpy(&v, b->cfg + 0x68, 4);
	assert_int_equal(v & 0xffff, 0x4041);

	/* 64-bit without per-vector masking: no mask or pending register;
	 * nothing is written past the capability. */
	assert_int_equal(pci_msi_get(dev_at(0, 10, 0), &m), 0);
	assert_true(m.is64);
	assert_false(m.maskable);
	assert_int_equal(pci_msi_mask(dev_at(0, 10, 0), &m, 0, 1), -EINVAL);
	assert_int_equal(pci_msi_pending(dev_at(0, 10, 0), &m), 0);
	memcpy(&v, c->cfg + 0x80, 4);
	assert_int_equal(v, 0xeeeeeeee);
}

/* PCI 3.0 6.8.2.4-5: the table and the PBA each name their BAR in bits
 * 2:0 (BIR) of an otherwise QWORD-aligned offset; a NIC typically puts
 * them in BAR4 or BAR5, apart from BAR0's registers. 6.8.2.9: Vector
 * Control bits 31:1 are reserved and must be preserved (PCIe 6 puts the
 * steering tag there); 6.8.2.10: the PBA holds one bit per entry. */
static void msix_table_and_pba_through_their_bars(void **state)
{
	static uint32_t bar0[1024], bar2[1024], bar4[4096];
	struct pci_msix x;
	struct pci_dev *d;

	(void)state;
	reset();
	/* table at BAR4 + 0x2000; PBA at BAR2 + 0x800 */
	(void)msix_fn(7, 64, 0x2000 | 4, 0x0800 | 2);
	pci_enumerate(&r);
	d = dev_at(0, 7, 0);
	d->bars[0] = (struct pci_bar){ BAR_MEM32, 0, (uintptr_t)bar0, sizeof(bar0) };
	d->bars[2] = (struct pci_bar){ BAR_MEM32, 0, (uintptr_t)bar2, sizeof(bar2) };
	d->bars[4] = (struct pci_bar){ BAR_MEM32, 0, (uintptr_t)bar4, sizeof(bar4) };
	memset(bar4, 0, sizeof(bar4));
	memset(bar2, 0, sizeof(bar2));
	assert_int_equal(pci_msix_get(d, &x), 0);
	assert_int_equal(x.nvec, 64);
	assert_int_equal(x.table, (uintptr_t)bar4 + 0x2000);
	assert_int_equal(x.pba, (uintptr_t)bar2 + 0x800);

	/* Entry 33 pending: bit 1 of the PBA's second dword, nothing else. */
	bar2[0x800 / 4 + 1] = 1u << 1;
	assert_int_equal(pci_msix_pending(&x, 33), 1);
	assert_int_equal(pci_msix_pending(&x, 1), 0);
	assert_int_equal(pci_msix_pending(&x, 32), 0);

	/* Masking entry 2 sets bit 0 of its Vector Control and nothing else. */
	bar4[0x2000 / 4 + 2 * 4 + 3] = 0xa5a50000;
	pci_msix_mask(&x, 2, 1);
	assert_int_equal(bar4[0x2000 / 4 + 2 * 4 + 3], 0xa5a50001);
	assert_true(pci_msix_masked(&x, 2));
	pci_msix_mask(&x, 2, 0);
	assert_int_equal(bar4[0x2000 / 4 + 2 * 4 + 3], 0xa5a50000);
	assert_false(pci_msix_masked(&x, 2));
}

/* A table or PBA that starts inside its BAR and runs past its end is
 * refused: the firmware would write beyond the BAR's mapping. */
static void msix_table_past_its_bar(void **state)
{
	static uint32_t bar0[1024];
	struct fake_fn *a;
	struct pci_msix x;
	struct pci_dev *d;
	uint32_t v;

	(void)state;
	reset();
	/* table at BAR0 + 2 KiB: it ends where the BAR does; the PBA just below it */
	a = msix_fn(7, 128, 0x0800, 0x07f0);	/* 2 KiB of table, a 16-byte PBA */
	pci_enumerate(&r);
	d = dev_at(0, 7, 0);
	memset(bar0, 0, sizeof(bar0));
	d->bars[0] = (struct pci_bar){ BAR_MEM32, 0, (uintptr_t)bar0, sizeof(bar0) };
	assert_int_equal(pci_msix_get(d, &x), 0);
	v = 0x0810;		/* 16 bytes later: the last entry lies past the BAR */
	memcpy(a->cfg + 0x44, &v, 4);
	assert_int_equal(pci_msix_get(d, &x), -EIO);
	v = 0x0800;
	memcpy(a->cfg + 0x44, &v, 4);
	v = 0x0ff8;		/* the PBA's second qword past the end */
	memcpy(a->cfg + 0x48, &v, 4);
	assert_int_equal(pci_msix_get(d, &x), -EIO);
}

/* --- MSI-X entries change only while masked ---------------------------------
 * PCI 3.0 6.8.2.9: if an entry's address or data changes while it is
 * unmasked, the result is undefined (the three dword writes are not one
 * access: a message can go out half old, half new). The PCI/MSI-X domain
 * (drivers/pci/msi_domain.c) masks the entry around every message write,
 * as Linux's pci_msi_domain_write_msg() does, and leaves it unmasked after
 * only if it was. QEMU applies a write at once and cannot show the order,
 * so the table here is a read-only page: each write to it traps, is logged
 * with the entry's Vector Control as it was, and is let through by one
 * single step (the trap flag). */

#define TRAP_LOG 64
static uint8_t *wtab;			/* the watched table page */
static struct { uint32_t off, ctrl; } wlog[TRAP_LOG];
static int nwlog;

static void on_write(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t a = (uintptr_t)si->si_addr;

	(void)sig;
	if (a < (uintptr_t)wtab || a >= (uintptr_t)wtab + 4096)
		abort();	/* a real fault */
	if (nwlog < TRAP_LOG) {
		uint32_t off = (uint32_t)(a - (uintptr_t)wtab), ctrl;

		memcpy(&ctrl, wtab + (off & ~15u) + MSIX_ENTRY_CTRL, 4);
		wlog[nwlog].off = off;
		wlog[nwlog++].ctrl = ctrl;
	}
	mprotect(wtab, 4096, PROT_READ | PROT_WRITE);
	uc->uc_mcontext.gregs[REG_EFL] |= 0x100;	/* TF: trap after the store */
}

static void after_write(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	mprotect(wtab, 4096, PROT_READ);
	uc->uc_mcontext.gregs[REG_EFL] &= ~0x100;
}

/* Every write to an entry's address or data found it masked. */
static void writes_under_mask(uint32_t entry, int min_writes)
{
	int n = 0;

	for (int i = 0; i < nwlog; i++) {
		if (wlog[i].off / MSIX_ENTRY_SIZE != entry || wlog[i].off % 16 == MSIX_ENTRY_CTRL)
			continue;
		n++;
		if (!(wlog[i].ctrl & MSIX_ENTRY_MASKED))
			fail_msg("entry %u: message dword at 0x%x written while unmasked", entry,
				 wlog[i].off % 16);
	}
	assert_true(n >= min_writes);
}

static int fake_vec_next = 0x40;

static int fake_vec_compose(struct irq_data *d, struct msi_msg *m)
{
	m->address_lo = 0xfee00000u | (d->hwirq >> 8) << 12;
	m->address_hi = 0;
	m->data = d->hwirq & 0xff;
	return 0;
}

static int fake_vec_move(struct irq_data *d, uint32_t cpu)
{
	d->hwirq = cpu << 8 | (uint32_t)fake_vec_next++;
	return IRQ_AFFINITY_PROPAGATE;
}

static const struct irq_chip fake_vec_chip = {
	.name = "fake-vector", .set_affinity = fake_vec_move, .compose_msi_msg = fake_vec_compose,
};

static int fake_vec_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *i)
{
	(void)dom;
	d->hwirq = (uint32_t)(i->cpu < 0 ? 0 : i->cpu) << 8 | (uint32_t)fake_vec_next++;
	d->chip = &fake_vec_chip;
	return 0;
}

static const struct irq_domain_ops fake_vec_ops = { .alloc = fake_vec_alloc };
static struct irq_domain fake_vec = { .name = "fake-vector", .ops = &fake_vec_ops };

static void msix_affinity_masks_around_update(void **state)
{
	struct sigaction sa = { .sa_flags = SA_SIGINFO | SA_NODEFER };
	struct sigaction old_segv, old_trap;
	struct msi_device dev;
	struct irq_desc *desc[2];
	struct pci_msix x;
	uint32_t addr;

	(void)state;
	reset();
	/* table at BAR0 + 0; PBA at BAR0 + 0x800 */
	(void)msix_fn(6, 4, 0, 0x800);
	pci_enumerate(&r);
	wtab = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(wtab != MAP_FAILED);
	for (int i = 0; i < 4; i++)	/* reset state: every entry masked */
		wtab[i * 16 + MSIX_ENTRY_CTRL] = MSIX_ENTRY_MASKED;
	wtab[1 * 16 + MSIX_ENTRY_CTRL] = 0;	/* left unmasked by firmware */
	dev_at(0, 6, 0)->bars[0] = (struct pci_bar){ BAR_MEM32, 0, (uintptr_t)wtab, 4096 };
	msi_set_root(&fake_vec);
	assert_int_equal(pci_msi_device_init(&dev, "fake-nic", dev_at(0, 6, 0)), 0);
	assert_int_equal(pci_msix_domain_create(&dev), 0);

	sa.sa_sigaction = on_write;
	sigaction(SIGSEGV, &sa, &old_segv);
	sa.sa_sigaction = after_write;
	sigaction(SIGTRAP, &sa, &old_trap);
	mprotect(wtab, 4096, PROT_READ);

	/* Activation writes entry 1's first message: under the mask, even
	 * though firmware left the entry unmasked; unmasked after. */
	nwlog = 0;
	assert_int_equal(msi_alloc_irqs(&dev, 1, 1, 0, &desc[0]), 0);
	writes_under_mask(1, 3);
	assert_int_equal(pci_msix_get(dev_at(0, 6, 0), &x), 0);
	assert_false(pci_msix_masked(&x, 1));

	/* An affinity move of an unmasked entry: masked around, unmasked after. */
	nwlog = 0;
	assert_int_equal(irq_set_affinity(desc[0], 1), 0);
	writes_under_mask(1, 3);
	memcpy(&addr, wtab + 16 + MSIX_ENTRY_ADDR_LO, 4);
	assert_int_equal(addr, 0xfee01000);	/* the new message went in */
	assert_false(pci_msix_masked(&x, 1));

	/* A masked entry stays masked through a move. */
	assert_int_equal(irq_mask(desc[0]), 0);
	nwlog = 0;
	assert_int_equal(irq_set_affinity(desc[0], 0), 0);
	writes_under_mask(1, 3);
	assert_true(pci_msix_masked(&x, 1));
	assert_int_equal(irq_unmask(desc[0]), 0);
	assert_false(pci_msix_masked(&x, 1));

	mprotect(wtab, 4096, PROT_READ | PROT_WRITE);
	sigaction(SIGSEGV, &old_segv, 0);
	sigaction(SIGTRAP, &old_trap, 0);
	msi_free_irqs(desc, 1);
	munmap(wtab, 4096);
}

/* Plain MSI moved without remapping: the address and the data are two
 * configuration writes with the vector live. No message may reach the new
 * CPU with the old vector (it belongs to nothing there, or to another
 * interrupt). Maskable: masked around the writes (PCI 3.0 6.8.3.5), the
 * message held and sent once after. Not maskable: Linux's x86
 * msi_set_affinity order (arch/x86/kernel/apic/msi.c): the new vector on
 * the old CPU first, then the new destination. */
static void msi_move_between_writes(int maskable, int is64)
{
	struct fake_fn *a;
	struct msi_device dev;
	struct irq_desc *desc;
	uint16_t ctrl = (uint16_t)((maskable ? MSI_CTRL_MASKABLE : 0) | (is64 ? MSI_CTRL_64BIT : 0));
	uint16_t old_vec;

	reset();
	a = add(0, 5, 0, 0x8086, 0);
	cap(a, 0x50, PCI_CAP_ID_MSI, 0);
	memcpy(a->cfg + 0x52, &ctrl, 2);
	pci_enumerate(&r);
	msi_set_root(&fake_vec);
	assert_int_equal(pci_msi_device_init(&dev, "fake-msi", dev_at(0, 5, 0)), 0);
	assert_int_equal(pci_msi_domain_create(&dev), 0);
	assert_int_equal(msi_alloc_irqs(&dev, 0, 1, 0, &desc), 0);
	msi_model = (typeof(msi_model)){ 0, 5, 0, 0x50, is64, maskable };
	for (uint32_t to = 1; to <= 3; to++) {
		old_vec = (uint16_t)(desc->levels[1].hwirq & 0xff);
		nsent = held = 0;
		assert_int_equal(irq_set_affinity(desc, to), 0);
		for (int i = 0; i < nsent; i++) {
			uint32_t dest = sent[i].address_lo >> 12 & 0xff;

			if (dest == to && sent[i].data == old_vec)
				fail_msg("move to CPU %u: a message to CPU %u with the old vector 0x%x",
					 to, dest, old_vec);
		}
		assert_int_equal(sent[nsent - 1].address_lo, 0xfee00000u | to << 12);
		assert_int_equal(sent[nsent - 1].data, desc->levels[1].hwirq & 0xff);
		if (maskable) {
			assert_true(held > 0);		/* held under the mask ... */
			assert_int_equal(nsent, 1);	/* ... and sent at the unmask */
		}
	}
	msi_model.cap = 0;
	msi_free_irqs(&desc, 1);
}

static void msi_affinity_no_stray_message(void **state)
{
	(void)state;
	msi_move_between_writes(0, 1);
	msi_move_between_writes(0, 0);
	msi_move_between_writes(1, 1);
	msi_move_between_writes(1, 0);
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
		cmocka_unit_test(bars_sized_with_decode_off),
		cmocka_unit_test(bar_sizing_to_zero),
		cmocka_unit_test(msix_table_all_ones),
		cmocka_unit_test(msi_capability_layout),
		cmocka_unit_test(msix_table_and_pba_through_their_bars),
		cmocka_unit_test(msix_table_past_its_bar),
		cmocka_unit_test(msix_affinity_masks_around_update),
		cmocka_unit_test(msi_affinity_no_stray_message),
		cmocka_unit_test(nothing_there),
	};
	return RUN(tests);
}
