// SPDX-License-Identifier: MIT
/*
 * AMD-Vi bring-up and interrupt-table upkeep (drivers/iommu/amd/amdvi.h).
 * Control is written from a software copy, never from a read of it. Every
 * DTE and IRTE change is followed by its invalidation and a COMPLETION_WAIT
 * whose store is polled with a bound (Linux iommu.c: modify_irte(),
 * iommu_flush_irt_and_complete(), set_dte_irq_entry(), build_completion_wait):
 * an IOMMU may cache both (48882 2.2.5; QEMU caches neither, so the host
 * model in tests/host/test_amdvi.c is what checks this).
 */
#include "drivers/iommu/amd/amdvi.h"
#include "arch/x86/cpu.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "lib/wait.h"

#define rd(u, o) ((u)->ops->read64((u)->ctx, (o)))
#define wr(u, o, v) ((u)->ops->write64((u)->ctx, (o), (v)))
#define amdvi_wait(u, cond) WAIT_UNTIL(cond, AMDVI_POLL_US, (u)->ops->now_us)

#define CMD_CW_INTERRUPT	(1u << 1)	/* COMPLETION_WAIT: I */
#define CMD_INV_IOMMU_ALL	0x8		/* needs EFR.IASup */
#define DTE_PER_PAGE		(4096 / (AMDVI_DTE_QWORDS * 8))

static int fail(struct amdvi_unit *u, int e, const char *what)
{
	ksnprintf(u->error, sizeof(u->error), "amd-vi 0x%lx: %s", u->base, what);
	return e;
}

static int timed_out(struct amdvi_unit *u, const char *what)
{
	ksnprintf(u->error, sizeof(u->error), "amd-vi 0x%lx: %s within " WAIT_BOUND_FMT, u->base,
		  what, WAIT_BOUND(AMDVI_POLL_US));
	return -ETIMEDOUT;
}

static void control(struct amdvi_unit *u, uint64_t bits, int on)
{
	u->ctl = on ? u->ctl | bits : u->ctl & ~bits;
	wr(u, AMDVI_CONTROL, u->ctl);
}

int amdvi_probe(struct amdvi_unit *u, const struct amdvi_ops *ops, void *ctx, uint64_t base,
		uint64_t efr_image)
{
	uint64_t ctl;

	memset(u, 0, sizeof(*u));
	u->ops = ops;
	u->ctx = ctx;
	u->base = base;
	u->efr_reg = rd(u, AMDVI_EFR);
	ctl = rd(u, AMDVI_CONTROL);
	if (u->efr_reg == ~0ull || ctl == ~0ull)
		return fail(u, -ENODEV, "registers read all-ones");
	/* The IVHD's copy when there is one (Linux early_iommu_features_init
	 * takes it, late_iommu_features_init only warns when the register
	 * differs: real firmware ships images that do). */
	u->efr = efr_image ? efr_image : u->efr_reg;
	return 0;
}

void amdvi_ivhd_flags(struct amdvi_unit *u, uint8_t flags)
{
	u->ctl_fw = (flags & 1 ? AMDVI_CTL_HT_TUN_EN : 0) | (flags & 2 ? AMDVI_CTL_PASSPW_EN : 0) |
		    (flags & 4 ? AMDVI_CTL_RESPASSPW_EN : 0) | (flags & 8 ? AMDVI_CTL_ISOC_EN : 0);
}

int amdvi_takeover(struct amdvi_unit *u)
{
	u->found_ctl = rd(u, AMDVI_CONTROL);
	u->found_status = rd(u, AMDVI_STATUS);
	u->ctl = u->found_ctl;
	control(u, ~0ull, 0);	/* everything off: a previous owner's PPR, vAPIC, ... too */
	if (amdvi_wait(u, !(rd(u, AMDVI_STATUS) & (AMDVI_ST_CMD_RUN | AMDVI_ST_EVT_RUN))))
		return timed_out(u, "Status.CmdBufRun/EventLogRun did not clear");
	wr(u, AMDVI_STATUS, AMDVI_ST_CLEAR);
	return 0;
}

/* --- commands ------------------------------------------------------------ */

static uint32_t head_index(struct amdvi_unit *u)
{
	return (uint32_t)((rd(u, AMDVI_CMD_HEAD) & AMDVI_PTR_MASK) >> 4);
}

/* Room for one command: the slot after the tail must not be the head (a
 * tail equal to the head is an empty buffer). */
static int cmd_room(struct amdvi_unit *u)
{
	uint32_t next = (u->cmd_tail + 1) % AMDVI_CMD_ENTRIES;

	if (!amdvi_wait(u, head_index(u) != next))
		return 0;
	timed_out(u, "the command buffer head did not move off a full buffer");
	return -ENOSPC;
}

static void cmd_put(struct amdvi_unit *u, struct amd_cmd c)
{
	u->cmd[u->cmd_tail] = c;
	u->cmd_tail = (u->cmd_tail + 1) % AMDVI_CMD_ENTRIES;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the command before the tail */
}

static void cmd_commit(struct amdvi_unit *u)
{
	wr(u, AMDVI_CMD_TAIL, (uint64_t)u->cmd_tail << 4);
}

static int queue(struct amdvi_unit *u, struct amd_cmd c)
{
	int e = cmd_room(u);

	if (e)
		return e;
	cmd_put(u, c);
	cmd_commit(u);
	return 0;
}

int amdvi_sync(struct amdvi_unit *u)
{
	uint64_t seq = ++u->store_seq;
	int e = queue(u, amd_cmd_completion_wait(u->store_phys, seq));

	if (e)
		return e;
	if (amdvi_wait(u, *u->store == seq))
		return timed_out(u, "the COMPLETION_WAIT store did not come");
	u->waits++;
	return 0;
}

int amdvi_command(struct amdvi_unit *u, struct amd_cmd c)
{
	int e = queue(u, c);

	if (e)
		return e;
	u->invalidations++;
	return amdvi_sync(u);
}

void amdvi_set_comwait_int(struct amdvi_unit *u, int on)
{
	control(u, AMDVI_CTL_COMWAITINT_EN, on);
}

void amdvi_intcapxt_set(struct amdvi_unit *u, uint32_t off, uint8_t vector, uint32_t apic_id,
			int on)
{
	wr(u, off, on ? amd_intcapxt(vector, apic_id) : 0);
}

uint64_t amdvi_comwait_irq(struct amdvi_unit *u)
{
	struct amd_cmd c = amd_cmd_completion_wait(0, 0);
	uint64_t t0;

	c.w[0] = CMD_CW_INTERRUPT;	/* I alone: no store */
	if (cmd_room(u))
		return rdtsc();
	cmd_put(u, c);
	t0 = rdtsc();
	cmd_commit(u);
	return t0;
}

void amdvi_comwait_ack(struct amdvi_unit *u)
{
	wr(u, AMDVI_STATUS, AMDVI_ST_COMWAIT_INT);	/* write 1 to clear */
}

/* --- bring-up ------------------------------------------------------------ */

static int alloc(struct amdvi_unit *u, uint32_t pages, void **p, uint64_t *phys)
{
	*p = u->ops->alloc_pages(pages, phys);
	return *p ? 0 : fail(u, -ENOSPC, "no memory for its tables");
}

/* Every cache the unit may hold from before: all at once where EFR.IASup
 * says it can, else each DTE and interrupt table. */
static int invalidate_all(struct amdvi_unit *u)
{
	struct amd_cmd all = { .w = { 0, (uint32_t)CMD_INV_IOMMU_ALL << 28, 0, 0 } };
	int e;

	if (u->efr & AMDVI_EFR_IASUP)
		return amdvi_command(u, all);
	for (uint32_t d = 0; d < u->ndte; d++) {
		if ((e = queue(u, amd_cmd_inv_devtab_entry((uint16_t)d))) ||
		    (e = queue(u, amd_cmd_inv_intr_table((uint16_t)d))))
			return e;
		u->invalidations += 2;
		if (d % 64 == 63 && (e = amdvi_sync(u)))
			return e;
	}
	return amdvi_sync(u);
}

int amdvi_setup(struct amdvi_unit *u, uint32_t ndte)
{
	uint32_t pages = (ndte + DTE_PER_PAGE - 1) / DTE_PER_PAGE;
	void *store;
	int e;

	if (!ndte || pages > 512)
		return fail(u, -EINVAL, "device table size out of range");
	if ((e = alloc(u, pages, (void **)&u->devtab, &u->devtab_phys)) ||
	    (e = alloc(u, 1, (void **)&u->cmd, &u->cmd_phys)) ||
	    (e = alloc(u, 1, (void **)&u->evt, &u->evt_phys)) ||
	    (e = alloc(u, 1, &store, &u->store_phys)))
		return e;
	u->store = store;
	u->ndte = pages * DTE_PER_PAGE;
	return 0;
}

int amdvi_enable(struct amdvi_unit *u, int ga, int xt)
{
	if (ga && !(u->efr & AMDVI_EFR_GASUP))
		return fail(u, -ENOTSUP, "128-bit IRTEs need EFR.GASup");
	if (xt && (!ga || !(u->efr & AMDVI_EFR_XTSUP)))
		return fail(u, -ENOTSUP, "x2APIC destinations need EFR.XTSup and 128-bit IRTEs");
	if (!u->devtab)
		return fail(u, -EINVAL, "enabled before its tables were set up");
	u->ga = ga;
	u->xt = xt;
	/* The enable order of Linux's early_enable_iommu(). */
	control(u, AMDVI_CTL_IOMMU_EN, 0);
	/* Linux's iommu_init_flags(): the IVHD's flags, the timeout, Coherent. */
	control(u, AMDVI_CTL_HT_TUN_EN | AMDVI_CTL_PASSPW_EN | AMDVI_CTL_RESPASSPW_EN |
		   AMDVI_CTL_ISOC_EN | AMDVI_CTL_INV_TIMEOUT(7), 0);
	control(u, u->ctl_fw | AMDVI_CTL_INV_TIMEOUT(AMDVI_INV_TO_1S), 1);
	control(u, AMDVI_CTL_COHERENT, 1);
	wr(u, AMDVI_DEVTAB, u->devtab_phys | (u->ndte / DTE_PER_PAGE - 1));
	wr(u, AMDVI_CMDBUF, u->cmd_phys | AMDVI_LEN(AMDVI_CMD_LOG2));
	wr(u, AMDVI_CMD_HEAD, 0);
	wr(u, AMDVI_CMD_TAIL, 0);
	u->cmd_tail = 0;
	control(u, AMDVI_CTL_CMDBUF_EN, 1);
	wr(u, AMDVI_EVTLOG, u->evt_phys | AMDVI_LEN(AMDVI_EVT_LOG2));
	wr(u, AMDVI_EVT_HEAD, 0);
	wr(u, AMDVI_EVT_TAIL, 0);
	u->evt_head = 0;
	control(u, AMDVI_CTL_EVTLOG_EN, 1);
	control(u, AMDVI_CTL_GA_EN, ga);
	control(u, AMDVI_CTL_XT_EN, xt);
	/* The PCI MSI route holds 8 bits of destination and does not deliver
	 * in x2APIC mode (Linux iommu_init_irq: iommu_setup_intcapxt and
	 * CONTROL_INTCAPXT_EN with IRQ_REMAP_X2APIC_MODE). */
	control(u, AMDVI_CTL_INTCAPXT_EN, xt);
	control(u, AMDVI_CTL_IOMMU_EN, 1);
	if (amdvi_wait(u, rd(u, AMDVI_STATUS) & AMDVI_ST_CMD_RUN))
		return timed_out(u, "Status.CmdBufRun did not set");
	return invalidate_all(u);
}

/* --- device table -------------------------------------------------------- */

int amdvi_dte_set_intr(struct amdvi_unit *u, uint16_t devid, uint64_t intr)
{
	volatile uint64_t *q;

	if (devid >= u->ndte)
		return fail(u, -ERANGE, "DeviceID beyond the device table");
	/* One 64-bit store: the IOMMU never sees half of the interrupt qword. */
	q = &u->devtab[devid * AMDVI_DTE_QWORDS + 2];
	*q = (intr & ~AMD_DTE_PASS_MASK) | (*q & AMD_DTE_PASS_MASK);
	if (!(u->ctl & AMDVI_CTL_IOMMU_EN))
		return 0;	/* amdvi_enable invalidates everything */
	return amdvi_command(u, amd_cmd_inv_devtab_entry(devid));
}

int amdvi_dte_set_pass(struct amdvi_unit *u, uint16_t devid, uint64_t pass)
{
	if (devid >= u->ndte)
		return fail(u, -ERANGE, "DeviceID beyond the device table");
	u->devtab[devid * AMDVI_DTE_QWORDS + 2] |= pass & AMD_DTE_PASS_MASK;
	/* The same qword again: its invalidation when the unit is enabled. */
	return amdvi_dte_set_intr(u, devid, u->devtab[devid * AMDVI_DTE_QWORDS + 2]);
}

uint64_t amdvi_dte_intr_of(const struct amdvi_unit *u, uint16_t devid)
{
	return devid < u->ndte ? u->devtab[devid * AMDVI_DTE_QWORDS + 2] : 0;
}

/* --- interrupt tables ---------------------------------------------------- */

static struct amdvi_table *table_of(struct amdvi_unit *u, uint16_t devid)
{
	for (uint32_t i = 0; i < u->ntables; i++)
		for (uint32_t j = 0; j < u->tables[i].ndevids; j++)
			if (u->tables[i].devids[j] == devid)
				return &u->tables[i];
	return 0;
}

/* Point DeviceIDs the table lacks at it. */
static int table_join(struct amdvi_unit *u, struct amdvi_table *t, const uint16_t *devids,
		      uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct amdvi_table *other = table_of(u, devids[i]);

		if (other == t)
			continue;
		if (other)
			return fail(u, -EEXIST, "an alias already has another interrupt table");
		if (t->ndevids == AMDVI_TABLE_DEVIDS)
			return fail(u, -ENOSPC, "too many DeviceIDs for one interrupt table");
		t->devids[t->ndevids++] = devids[i];
		if (amdvi_dte_set_intr(u, devids[i], amd_dte_intr(t->phys, AMDVI_IRT_LOG2)))
			return -EIO;
	}
	return 0;
}

struct amdvi_table *amdvi_table_get(struct amdvi_unit *u, const uint16_t *devids, uint32_t n)
{
	struct amdvi_table *t;
	uint32_t bytes = AMDVI_IRT_ENTRIES * (u->ga ? 16 : 4);

	if (!(u->ctl & AMDVI_CTL_IOMMU_EN)) {
		fail(u, -EINVAL, "interrupt table asked for before the IOMMU is enabled");
		return 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (devids[i] >= u->ndte) {
			fail(u, -ERANGE, "DeviceID beyond the device table");
			return 0;
		}
	}
	if ((t = table_of(u, devids[0])))
		return table_join(u, t, devids, n) ? 0 : t;
	if (n > AMDVI_TABLE_DEVIDS || u->ntables == AMDVI_TABLES_MAX) {
		fail(u, -ENOSPC, "out of interrupt tables");
		return 0;
	}
	for (uint32_t i = 1; i < n; i++) {
		if (table_of(u, devids[i])) {
			fail(u, -EEXIST, "an alias already has another interrupt table");
			return 0;
		}
	}
	t = &u->tables[u->ntables];
	memset(t, 0, sizeof(*t));
	if (alloc(u, (bytes + 4095) / 4096, &t->entries, &t->phys))
		return 0;
	for (uint32_t i = 0; i < n; i++)
		t->devids[t->ndevids++] = devids[i];
	u->ntables++;
	for (uint32_t i = 0; i < n; i++) {
		if (amdvi_dte_set_intr(u, devids[i], amd_dte_intr(t->phys, AMDVI_IRT_LOG2))) {
			u->ntables--;
			return 0;
		}
	}
	return t;
}

int amdvi_irte_alloc(struct amdvi_table *t)
{
	for (uint32_t i = 0; i < AMDVI_IRT_ENTRIES; i++) {
		if (!(t->used[i / 64] & (1ull << (i % 64)))) {
			t->used[i / 64] |= 1ull << (i % 64);
			return (int)i;
		}
	}
	return -ENOSPC;
}

void amdvi_irte_free(struct amdvi_table *t, uint32_t index)
{
	if (index < AMDVI_IRT_ENTRIES)
		t->used[index / 64] &= ~(1ull << (index % 64));
}

/* Every DeviceID that uses the table, then one wait. */
static int invalidate_table(struct amdvi_unit *u, const struct amdvi_table *t)
{
	int e;

	for (uint32_t i = 0; i < t->ndevids; i++) {
		if ((e = queue(u, amd_cmd_inv_intr_table(t->devids[i]))))
			return e;
		u->invalidations++;
	}
	return amdvi_sync(u);
}

static void ga_write(volatile struct amd_irte_ga *p, struct amd_irte_ga n)
{
	if (p->lo & AMD_IRTE_REMAP_EN) {
		store128(p, n.lo, n.hi);	/* in use: the IOMMU never reads half of each */
		return;
	}
	/* Not in use: the high qword, then the low one that enables it. */
	p->hi = n.hi;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	p->lo = n.lo;
}

static int is_masked(const struct amdvi_table *t, uint32_t index)
{
	return (t->masked[index / 64] >> (index % 64)) & 1;
}

int amdvi_irte_set(struct amdvi_unit *u, struct amdvi_table *t, uint32_t index, uint8_t vector,
		   uint32_t apic_id)
{
	if (index >= AMDVI_IRT_ENTRIES)
		return fail(u, -ERANGE, "IRTE index beyond the table");
	if (u->ga) {
		struct amd_irte_ga e = amd_irte_ga(vector, apic_id);

		if (apic_id > 0xff && !u->xt)
			return fail(u, -ERANGE, "an APIC ID above 255 without XTEn");
		if (is_masked(t, index))
			e.lo &= ~(uint64_t)AMD_IRTE_REMAP_EN;
		ga_write(&((volatile struct amd_irte_ga *)t->entries)[index], e);
	} else {
		uint32_t e = amd_irte32(vector, apic_id);

		if (!e)
			return fail(u, -ERANGE, "an APIC ID above 255 in a 32-bit IRTE");
		if (is_masked(t, index))
			e &= ~AMD_IRTE_REMAP_EN;
		((volatile uint32_t *)t->entries)[index] = e;
	}
	return invalidate_table(u, t);
}

int amdvi_irte_enable(struct amdvi_unit *u, struct amdvi_table *t, uint32_t index, int on)
{
	volatile uint64_t *lo = &((volatile struct amd_irte_ga *)t->entries)[index].lo;
	volatile uint32_t *e32 = &((volatile uint32_t *)t->entries)[index];

	if (index >= AMDVI_IRT_ENTRIES)
		return fail(u, -ERANGE, "IRTE index beyond the table");
	if (on)
		t->masked[index / 64] &= ~(1ull << (index % 64));
	else
		t->masked[index / 64] |= 1ull << (index % 64);
	/* RemapEn is in the low qword (dword): one store changes only it. */
	if (u->ga)
		*lo = on ? *lo | AMD_IRTE_REMAP_EN : *lo & ~(uint64_t)AMD_IRTE_REMAP_EN;
	else
		*e32 = on ? *e32 | AMD_IRTE_REMAP_EN : *e32 & ~AMD_IRTE_REMAP_EN;
	return invalidate_table(u, t);
}

int amdvi_irte_clear(struct amdvi_unit *u, struct amdvi_table *t, uint32_t index)
{
	int e;

	if (index >= AMDVI_IRT_ENTRIES)
		return fail(u, -ERANGE, "IRTE index beyond the table");
	t->masked[index / 64] &= ~(1ull << (index % 64));
	if (!u->ga) {
		((volatile uint32_t *)t->entries)[index] = 0;
		return invalidate_table(u, t);
	}
	/* RemapEn off first, and seen so, before the rest goes (Xen's
	 * free_intremap_entry). */
	if ((e = amdvi_irte_enable(u, t, index, 0)))
		return e;
	t->masked[index / 64] &= ~(1ull << (index % 64));
	((volatile struct amd_irte_ga *)t->entries)[index].hi = 0;
	((volatile struct amd_irte_ga *)t->entries)[index].lo = 0;
	return invalidate_table(u, t);
}

int amdvi_irte_get(const struct amdvi_unit *u, const struct amdvi_table *t, uint32_t index,
		   uint8_t *vector, uint32_t *apic_id)
{
	if (index >= AMDVI_IRT_ENTRIES)
		return 0;
	if (u->ga)
		return amd_irte_ga_decode(((const struct amd_irte_ga *)t->entries)[index], vector,
					  apic_id);
	return amd_irte32_decode(((const uint32_t *)t->entries)[index], vector, apic_id);
}

/* --- event log ----------------------------------------------------------- */

/* After an overflow the IOMMU writes no entry until the log is restarted:
 * EventLogEn and EventIntEn off, the overflow cleared, both on again
 * (Linux's amd_iommu_restart_log, which leaves a log still running). */
static void event_log_restart(struct amdvi_unit *u)
{
	uint64_t on = u->ctl & (AMDVI_CTL_EVTLOG_EN | AMDVI_CTL_EVTINT_EN);
	uint64_t st = rd(u, AMDVI_STATUS);

	if (!(st & AMDVI_ST_EVT_OVERFLOW) || (st & AMDVI_ST_EVT_RUN))
		return;
	u->evt_overflows++;
	control(u, on, 0);
	wr(u, AMDVI_STATUS, AMDVI_ST_EVT_OVERFLOW);
	control(u, on, 1);
}

int amdvi_event_take(struct amdvi_unit *u, struct amdvi_event *e)
{
	uint32_t tail = (uint32_t)((rd(u, AMDVI_EVT_TAIL) & AMDVI_PTR_MASK) >> 4);
	volatile uint64_t *q;

	event_log_restart(u);
	if (tail == u->evt_head || tail >= AMDVI_EVT_ENTRIES)
		return 0;
	q = &u->evt[u->evt_head * 2];
	if (!(q[0] >> 60))
		return 0;	/* not written yet: the next call sees it */
	e->devid = (uint16_t)q[0];
	e->flags = (uint16_t)((q[0] >> 48) & 0xfff);
	e->code = (uint8_t)(q[0] >> 60);
	e->address = q[1];
	q[0] = q[1] = 0;
	u->evt_head = (u->evt_head + 1) % AMDVI_EVT_ENTRIES;
	wr(u, AMDVI_EVT_HEAD, (uint64_t)u->evt_head << 4);
	wr(u, AMDVI_STATUS, AMDVI_ST_EVT_INT);
	return 1;
}

const char *amdvi_event_name(uint8_t code)
{
	static const char *const names[] = {
		[AMDVI_EVT_ILLEGAL_DTE] = "ILLEGAL_DEV_TABLE_ENTRY",
		[AMDVI_EVT_IO_PAGE_FAULT] = "IO_PAGE_FAULT",
		[AMDVI_EVT_DEV_TAB_HW] = "DEV_TAB_HARDWARE_ERROR",
		[AMDVI_EVT_PAGE_TAB_HW] = "PAGE_TAB_HARDWARE_ERROR",
		[AMDVI_EVT_ILLEGAL_CMD] = "ILLEGAL_COMMAND_ERROR",
		[AMDVI_EVT_CMD_HW] = "COMMAND_HARDWARE_ERROR",
		[AMDVI_EVT_IOTLB_TIMEOUT] = "IOTLB_INV_TIMEOUT",
		[AMDVI_EVT_INVALID_REQ] = "INVALID_DEVICE_REQUEST",
	};

	return code < sizeof(names) / sizeof(names[0]) && names[code] ? names[code] : "unknown";
}
