// SPDX-License-Identifier: MIT
/*
 * iommu.* on AMD-Vi: the bodies tests/fw/iommu.c runs when the firmware
 * describes an IVRS. Where VT-d checks a handle and a source ID in the
 * IRTE, AMD-Vi picks the table by the requester's DeviceID and the entry
 * by the message data, so the same names check the AMD form of the same
 * promise: the message is the index, the table is the requester ID's,
 * another device's message reaches only that device's own table.
 * QEMU 10.0.2 writes no event-log entry at all and ignores IntTabLen
 * (docs/qemu.md): what needs either SKIPs with that reason there, after
 * checking what it can (the message was not delivered).
 */
#include "tests/fw/iommu_amd.h"
#include "tests/fw/remap_util.h"
#include "tests/harness/gaps.h"
#include "kernel/kernel.h"
#include "drivers/misc/edu.h"
#include "drivers/pci/msi.h"
#include "drivers/pci/pci.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/platform.h"
#include "arch/x86/tsc.h"
#include "arch/x86/vector.h"
#include "lib/errno.h"
#include "lib/stats.h"
#include "lib/string.h"

#define MSI_BASE	0xfee00000u

static struct amd_ir_unit *unit_or_skip(struct test_ctx *t)
{
	struct amd_ir_unit *u = amd_ir_remapping_unit();

	if (!u)
		t_skip(t, "no AMD-Vi unit with interrupt remapping on: %s", amd_ir_off_reason());
	return u;
}

/* Drain the event log into the report (the first few); how many had
 * `code` with the interrupt flag for `devid` (code 0: any). */
static uint32_t events(struct test_ctx *t, struct amd_ir_unit *u, uint8_t code, uint16_t devid,
		       uint32_t *total)
{
	struct amdvi_event e;
	uint32_t n = 0, match = 0;

	while (amd_ir_event_take(u, &e) && n < 4 * AMDVI_EVT_ENTRIES) {
		if (n++ < 4)
			t_yaml(t, "event%u: {code: %s, devid: 0x%04x, flags: 0x%03x, address: 0x%lx}",
			       n - 1, amdvi_event_name(e.code), e.devid, e.flags, e.address);
		match += (!code || (e.code == code && (e.flags & AMDVI_EVT_FLAG_I))) &&
			 e.devid == devid;
	}
	if (total)
		*total = n;
	return match;
}

static const char *irte_format(const struct amd_ir_unit *u)
{
	return u->hw.ga ? "128-bit" : "32-bit";
}

/* What the IVHD asks for is in Control and in the DTEs (Linux
 * iommu_init_flags, set_dev_entry_from_acpi): Control as read back, and
 * the passes of every device entry in each DTE it covers. */
static void ivhd_settings(struct test_ctx *t, const struct amd_ir_unit *u)
{
	const struct ivrs *v = &amd_ir.ivrs;
	uint8_t f = u->ivhd->flags;
	uint64_t want = (f & 1 ? AMDVI_CTL_HT_TUN_EN : 0) | (f & 2 ? AMDVI_CTL_PASSPW_EN : 0) |
			(f & 4 ? AMDVI_CTL_RESPASSPW_EN : 0) | (f & 8 ? AMDVI_CTL_ISOC_EN : 0);
	uint64_t mask = AMDVI_CTL_HT_TUN_EN | AMDVI_CTL_PASSPW_EN | AMDVI_CTL_RESPASSPW_EN |
			AMDVI_CTL_ISOC_EN;
	uint64_t ctl = mmio_read64(u->hw.base + AMDVI_CONTROL);
	uint32_t missing = 0, first = 0;

	t_check(t, (ctl & mask) == want, "Control 0x%lx: IVHD flags 0x%x ask for 0x%lx", ctl, f,
		want);
	for (uint32_t i = 0; i < v->ndevs; i++) {
		const struct ivrs_devs *r = &v->devs[i];
		uint64_t pass = amd_dte_pass(r->data);

		if (r->unit != u->ivrs_index || !pass)
			continue;
		for (uint32_t d = r->first; d <= r->last && d < u->hw.ndte; d++)
			if ((amdvi_dte_intr_of(&u->hw, (uint16_t)d) & pass) != pass && !missing++)
				first = d;
	}
	t_check(t, !missing, "%u DTEs lack the passes their IVHD entry asks for (first 0x%04x)",
		missing, first);
}

/* A unit the firmware described wrongly (base, EFR image, registers that
 * do not answer as an IOMMU's) is listed with the reason and left out:
 * SKIP when none is left. A unit that answered must come up. */
void amd_units(struct test_ctx *t)
{
	const struct ivrs *v = &amd_ir.ivrs;
	uint32_t probed = 0;

	t_yaml(t, "ivinfo: 0x%x", v->ivinfo);
	if (!amd_ir.nunits) {
		t_skip(t, "the IVRS describes no IOMMU: %s", amd_ir_off_reason());
		return;
	}
	for (uint32_t i = 0; i < amd_ir.nunits; i++) {
		const struct amd_ir_unit *u = &amd_ir.units[i];
		const struct amdvi_unit *h = &u->hw;

		t_yaml(t, "unit%u: {base: 0x%lx, devid: 0x%04x, efr: 0x%lx, efr_image: 0x%lx, ir: %s, "
		       "irte: %s, x2apic: %s, dtes: %u, blocked_devids: %u, pass_devids: %u, "
		       "control: 0x%lx, ivhd_flags: 0x%x, tables: %u, "
		       "invalidations: %lu, waits: %lu, event_overflows: %lu, "
		       "found: {control: 0x%lx, status: 0x%lx}, "
		       "pci_function: %s, error: \"%s\"}", i, u->ivhd->base, u->ivhd->devid, h->efr_reg,
		       u->ivhd->efr, u->ir_on ? "on" : "off", irte_format(u), h->xt ? "true" : "false",
		       h->ndte, u->blocked_devids, u->pass_devids, h->ctl, u->ivhd->flags, h->ntables, h->invalidations, h->waits,
		       h->evt_overflows, h->found_ctl, h->found_status, u->pci ? "true" : "false", u->error);
		if (!u->probed)
			continue;
		probed++;
		t_check(t, !kernel_config.ir || u->ir_on, "IOMMU 0x%lx: remapping not on: %s",
			u->ivhd->base, amd_ir.error);
		t_check(t, !u->ir_on || h->waits > 0, "remapping on with no completion wait done");
		t_check(t, !u->ir_on || u->blocked_devids > 0,
			"no DTE blocks compatibility messages");
		if (u->ir_on)
			ivhd_settings(t, u);
	}
	t_check(t, v->err.n == 0, "IVRS: %s", v->err.msg[0]);
	if (!probed)
		t_skip(t, "%s", amd_ir_off_reason());
}

/* The edu's interrupt, its table and index; and the IRTE decoded. */
struct remapped {
	struct irq_desc *irq;
	struct amdvi_table *table;
	uint32_t index;
	uint8_t vector;
	uint32_t dest;
	int on;
};

static int remapped(struct amd_ir_unit *u, struct irq_desc *irq, struct remapped *r)
{
	r->irq = irq;
	if (amd_ir_of(irq, &r->table, &r->index) != u)
		return 0;
	r->on = amdvi_irte_get(&u->hw, r->table, r->index, &r->vector, &r->dest);
	return 1;
}

void amd_devices_remapped(struct test_ctx *t)
{
	struct amd_ir_unit *u = unit_or_skip(t), *cu;
	struct edu *e = u ? rt_edu(t, 0) : 0;
	struct irq_desc *irq;
	struct remapped r;
	struct msi_msg msg;
	uint16_t devids[3];
	uint32_t n;
	uint64_t h;

	if (!e)
		return;
	if (!t_check(t, msi_alloc_irqs(&e->dev, 0, 1, 0, &irq) == 0, "edu interrupt"))
		return;
	irq_request(irq, rt_on_hit, e);
	pci_msi_read_msg(e->pci, &e->msi, &msg);
	t_yaml(t, "levels: %u", irq_levels(irq));
	t_yaml(t, "message: {address: 0x%x, data: 0x%x}", msg.address_lo, msg.data);
	if (t_check(t, irq_levels(irq) == 3 && remapped(u, irq, &r),
		    "edu is not behind the AMD-Vi remapping domain")) {
		t_check(t, msg.address_lo == MSI_BASE && msg.address_hi == 0 && msg.data == r.index,
			"device message 0x%x/0x%x is not 0xFEE00000 with IRTE %u as data",
			msg.address_lo, msg.data, r.index);
		n = amd_ir_devids(e->pci, &cu, devids);
		for (uint32_t i = 0; i < n; i++)
			t_check(t, amdvi_dte_intr_of(&u->hw, devids[i]) ==
				   amd_dte_intr(r.table->phys, AMDVI_IRT_LOG2),
				"the DTE of 0x%04x does not point at the edu's table", devids[i]);
		t_yaml(t, "table: {devid: 0x%04x, root: 0x%lx, entries: %u}", devids[0],
		       r.table->phys, AMDVI_IRT_ENTRIES);
		t_yaml(t, "irte: {index: %u, format: %s, remap: %s, vector: 0x%x, dest: %u}", r.index,
		       irte_format(u), r.on ? "true" : "false", r.vector, r.dest);
		t_check(t, r.on && r.vector == irq_vector(irq) && r.dest == cpus[irq_cpu(irq)].apic_id,
			"IRTE does not name vector 0x%x on APIC ID %u", irq_vector(irq),
			cpus[irq_cpu(irq)].apic_id);
	}
	h = rt_hits;
	edu_raise(e);
	t_check(t, rt_wait_hit(h, WAIT_MS) == 1, "edu interrupt not delivered through its IRTE");
	msi_free_irqs(&irq, 1);
}

/* The IRTE names CPU 1 after the move (rt_affinity_rewrites_only_irte). */
static uint32_t amd_irte_on_cpu1(struct test_ctx *t, void *unit, struct irq_desc *irq)
{
	struct remapped r;

	if (!remapped(unit, irq, &r))
		return ~0u;
	t_check(t, r.on && r.dest == cpus[1].apic_id && r.vector == irq_vector(irq),
		"IRTE names APIC ID %u vector 0x%x, not cpu1's %u and 0x%x", r.dest, r.vector,
		cpus[1].apic_id, irq_vector(irq));
	return r.index;
}

void amd_affinity_rewrites_only_irte(struct test_ctx *t)
{
	struct amd_ir_unit *u = unit_or_skip(t);
	struct edu *e = u ? rt_edu(t, 0) : 0;

	if (e)
		rt_affinity_rewrites_only_irte(t, e, amd_irte_on_cpu1, u);
}

void amd_handover_of_a_live_unit(struct test_ctx *t)
{
	struct amd_ir_unit *u = unit_or_skip(t);
	struct edu *e = u ? rt_edu(t, 0) : 0;
	const uint64_t live = AMDVI_CTL_IOMMU_EN | AMDVI_CTL_CMDBUF_EN;
	const uint64_t on = live | AMDVI_CTL_EVTLOG_EN;
	struct irq_desc *irq;
	uint64_t h, ctl;
	int err;

	if (!e)
		return;
	if (!t_check(t, msi_alloc_irqs(&e->dev, 0, 1, 0, &irq) == 0, "edu interrupt"))
		return;
	irq_request(irq, rt_on_hit, e);
	err = amd_ir_handover(u);
	t_yaml(t, "found: {control: 0x%lx, status: 0x%lx}", u->hw.found_ctl, u->hw.found_status);
	t_check(t, err == 0, "handover: %s", u->hw.error);
	t_check(t, (u->hw.found_ctl & live) == live, "the live unit was found with Control 0x%lx, "
		"not running its command buffer", u->hw.found_ctl);
	/* Enabled again: QEMU 10.0 remaps messages whatever Control says, so
	 * the register is what shows a unit left off (48882 3.4.4: no command
	 * runs and nothing is remapped without IommuEn and CmdBufEn). */
	ctl = u->hw.ops->read64(u->hw.ctx, AMDVI_CONTROL);
	t_yaml(t, "after: {control: 0x%lx}", ctl);
	t_check(t, (ctl & on) == on, "after the handover Control is 0x%lx, not enabled", ctl);
	h = rt_hits;
	edu_raise(e);
	t_check(t, rt_wait_hit(h, WAIT_MS) == 1, "edu interrupt not delivered after the handover");
	msi_free_irqs(&irq, 1);
}

/* Remapping off (every DTE forwarding) or on again, and the device's
 * domain given its parent from the topology again. */
static int remapping(struct test_ctx *t, void *unit, struct msi_device *dev, int on)
{
	struct amd_ir_unit *u = unit;
	int e = amd_ir_set_remapping(u, on);

	if (!t_check(t, e == 0, "remapping %s: %s", on ? "on" : "off", u->hw.error))
		return e;
	e = msi_device_update_parent(dev);
	t_check(t, e == 0, "edu's domain kept its parent: %s", err_name(e));
	return e;
}

void amd_remapping_cost_ratio(struct test_ctx *t)
{
	struct amd_ir_unit *u = unit_or_skip(t);

	if (u && rt_edu(t, 0))
		rt_cost_ratios(t, remapping, u);
}

static void amd_events(struct test_ctx *t, void *unit)
{
	uint32_t n = 0;

	events(t, unit, 0, 0, &n);
	t_yaml(t, "events: %u", n);
}

void amd_mask_source_vs_irte(struct test_ctx *t)
{
	struct amd_ir_unit *u = unit_or_skip(t);

	if (u)
		rt_mask_source_vs_irte(t, "an IRTE with RemapEn clear", amd_events, u);
}

/* --- security: messages that must not reach the victim ----------------- */

/* The first edu's remapped interrupt is the victim; the first edu sends. */
struct attack {
	struct amd_ir_unit *u;
	struct edu *a;
	struct remapped v;
	uint16_t devid;		/* the DeviceID the IOMMU sees the sender as */
};

static int attack_setup(struct test_ctx *t, struct attack *k, uint32_t edus)
{
	struct amd_ir_unit *cu;
	uint16_t devids[3];
	struct irq_desc *irq;

	if (!(k->u = unit_or_skip(t)) || !(k->a = rt_edu(t, 0)) ||
	    (edus > 1 && !rt_edu(t, edus - 1)))
		return -1;
	if (!t_check(t, msi_alloc_irqs(&k->a->dev, 0, 1, 0, &irq) == 0, "victim interrupt"))
		return -1;
	irq_request(irq, rt_on_hit, k->a);
	if (!t_check(t, remapped(k->u, irq, &k->v) && amd_ir_devids(k->a->pci, &cu, devids),
		     "the victim is not remapped")) {
		msi_free_irqs(&irq, 1);
		return -1;
	}
	k->devid = devids[0];
	events(t, k->u, 0, 0, 0);	/* what earlier tests left */
	return 0;
}

static void attack_done(struct attack *k)
{
	msi_free_irqs(&k->v.irq, 1);
}

/* Send `msg` from edu a: the victim's deliveries it caused. */
static uint64_t send(struct edu *a, const struct msi_msg *msg)
{
	struct msi_msg saved;
	uint64_t h = rt_hits;

	pci_msi_read_msg(a->pci, &a->msi, &saved);
	pci_msi_write_msg(a->pci, &a->msi, msg);
	pci_msi_enable(a->pci, &a->msi, 0);
	edu_raise(a);
	rt_quiet();
	edu_ack(a);
	pci_msi_write_msg(a->pci, &a->msi, &saved);
	return rt_hits - h;
}

/* Not delivered, and an IO_PAGE_FAULT with I for the sender recorded
 * (SKIP on QEMU, which records none). */
static void judge(struct test_ctx *t, struct attack *k, const struct msi_msg *m, uint64_t got,
		  const char *what)
{
	const char *unrecorded = platform_gap(GAP_AMDVI_EVENTS);
	uint32_t total = 0, match = events(t, k->u, AMDVI_EVT_IO_PAGE_FAULT, k->devid, &total);

	t_yaml(t, "message: {address: 0x%x, data: 0x%x}", m->address_lo, m->data);
	t_yaml(t, "victim_deliveries: %lu", got);
	t_yaml(t, "events: {total: %u, io_page_fault_for_sender: %u}", total, match);
	if (got) {
		t_fail(t, "%s reached the victim", what);
		return;
	}
	if (unrecorded)
		t_skip(t, "blocked; %s", unrecorded);
	else
		t_check(t, match, "%s blocked without an IO_PAGE_FAULT (I) for 0x%04x", what, k->devid);
}

static void index_msg(uint32_t index, struct msi_msg *m)
{
	*m = (struct msi_msg){ .address_lo = MSI_BASE, .data = index };
}

/* Every DTE of the table with IntTabLen `len`: 0 or the error. */
static int table_len(struct amd_ir_unit *u, struct amdvi_table *tb, uint32_t len)
{
	int e = 0;

	for (uint32_t i = 0; i < tb->ndevids && !e; i++)
		e = amdvi_dte_set_intr(&u->hw, tb->devids[i], amd_dte_intr(tb->phys, len));
	return e;
}

/* An index beyond the DTE's IntTabLen: the table is cut to the entries
 * below a spare index whose IRTE names the victim's vector. */
void amd_bad_handle_blocked(struct test_ctx *t)
{
	const char *unbounded = platform_gap(GAP_AMDVI_INTTABLEN);
	struct attack k;
	struct msi_msg m;
	uint32_t len = 0;
	uint64_t got;
	int j;

	if (attack_setup(t, &k, 1))
		return;
	j = amdvi_irte_alloc(k.v.table);
	if (!t_check(t, j > 0, "no spare IRTE: %s", err_name(j)) ||
	    !t_check(t, amdvi_irte_set(&k.u->hw, k.v.table, (uint32_t)j, irq_vector(k.v.irq),
				       cpus[irq_cpu(k.v.irq)].apic_id) == 0, "%s", k.u->hw.error))
		goto out;
	while ((2u << len) <= (uint32_t)j)
		len++;		/* 2^len <= j: j lies beyond the table */
	t_yaml(t, "int_tab_len: %u  # entries 0-%u; the message names %d", len, (1u << len) - 1, j);
	if (!t_check(t, table_len(k.u, k.v.table, len) == 0, "DTE: %s", k.u->hw.error)) {
		(void)t_check(t, table_len(k.u, k.v.table, AMDVI_IRT_LOG2) == 0, "DTE: %s",
			      k.u->hw.error);
		goto out;
	}
	index_msg((uint32_t)j, &m);
	got = send(k.a, &m);
	t_check(t, table_len(k.u, k.v.table, AMDVI_IRT_LOG2) == 0, "DTE: %s", k.u->hw.error);
	if (unbounded) {
		events(t, k.u, 0, 0, 0);
		t_yaml(t, "victim_deliveries: %lu", got);
		t_skip(t, "%s", unbounded);
	} else {
		judge(t, &k, &m, got, "a message with an index beyond IntTabLen");
	}
out:
	if (j >= 0) {
		t_check(t, amdvi_irte_clear(&k.u->hw, k.v.table, (uint32_t)j) == 0, "%s",
			k.u->hw.error);
		amdvi_irte_free(k.v.table, (uint32_t)j);
	}
	attack_done(&k);
}

void amd_nonpresent_irte_blocked(struct test_ctx *t)
{
	struct attack k;
	struct msi_msg m;
	int j;

	if (attack_setup(t, &k, 1))
		return;
	j = amdvi_irte_alloc(k.v.table);	/* allocated, never written: RemapEn clear */
	if (t_check(t, j >= 0, "no IRTE free: %s", err_name(j))) {
		index_msg((uint32_t)j, &m);
		judge(t, &k, &m, send(k.a, &m), "a message naming an IRTE with RemapEn clear");
		amdvi_irte_free(k.v.table, (uint32_t)j);
	}
	attack_done(&k);
}

static volatile uint64_t other_hits;

static void on_other(uint64_t tsc_now, void *arg)
{
	(void)tsc_now;
	edu_ack(arg);
	other_hits++;
}

/* AMD-Vi has no source ID in the IRTE: isolation is the table. The second
 * edu sends the victim's exact message; it goes through the second edu's
 * own table, to its own vector when the index is the same, never to the
 * victim's. */
void amd_source_id_mismatch_blocked(struct test_ctx *t)
{
	struct attack k;
	struct edu *b;
	struct irq_desc *irq;
	struct remapped rb;
	struct msi_msg m;
	uint64_t got, oh;

	if (attack_setup(t, &k, 2))
		return;
	b = rt_edu(t, 1);
	if (!t_check(t, msi_alloc_irqs(&b->dev, 0, 1, 1 % cpus_online, &irq) == 0, "second edu")) {
		attack_done(&k);
		return;
	}
	irq_request(irq, on_other, b);
	if (!t_check(t, remapped(k.u, irq, &rb), "the second edu is not remapped by the same unit")) {
		msi_free_irqs(&irq, 1);
		attack_done(&k);
		return;
	}
	t_yaml(t, "victim: {table: 0x%lx, index: %u, vector: 0x%x}", k.v.table->phys, k.v.index,
	       k.v.vector);
	t_yaml(t, "sender: {table: 0x%lx, index: %u, vector: 0x%x}", rb.table->phys, rb.index,
	       rb.vector);
	t_check(t, rb.table != k.v.table, "the two edu share one interrupt table");
	index_msg(k.v.index, &m);
	oh = other_hits;
	got = send(b, &m);
	t_yaml(t, "victim_deliveries: %lu", got);
	t_yaml(t, "sender_deliveries: %lu  # through its own IRTE %u", other_hits - oh, k.v.index);
	t_check(t, got == 0, "the second edu's message reached the victim's vector");
	if (rb.index == k.v.index)
		t_check(t, other_hits - oh == 1, "the same index in the sender's own table did not "
			"reach the sender's vector (%lu deliveries)", other_hits - oh);
	msi_free_irqs(&irq, 1);
	events(t, k.u, 0, 0, 0);
	attack_done(&k);
}

/* A compatibility-format message (the victim's vector and APIC ID) is read
 * as an index into the sender's table: the entry it lands on is not one
 * the driver wrote, so it must not reach the victim. */
void amd_compat_format_blocked(struct test_ctx *t)
{
	struct attack k;
	struct msi_msg m;
	uint32_t index;
	uint8_t vec;
	uint32_t dest;

	if (attack_setup(t, &k, 1))
		return;
	vector_compose_msi(cpus[irq_cpu(k.v.irq)].apic_id, irq_vector(k.v.irq), &m);
	index = m.data & 0x7ff;
	if (amdvi_irte_get(&k.u->hw, k.v.table, index, &vec, &dest)) {
		t_skip(t, "IRTE %u, which the compatibility message names, is in use", index);
		attack_done(&k);
		return;
	}
	judge(t, &k, &m, send(k.a, &m), "a compatibility-format message");
	attack_done(&k);
}

/* The 2011 attack (Wojtczuk and Rutkowska): the second edu DMAs the
 * victim's message to 0xFEE00000. The IOMMU reads it with the second
 * edu's DeviceID, so the victim's table is never consulted. */
void amd_dma_msi_injection_blocked(struct test_ctx *t)
{
	struct attack k;
	struct msi_msg victim;
	uint32_t *word = t_alloc(t, 4);
	struct edu *b;
	uint64_t h;
	int e;

	if (attack_setup(t, &k, 2) || !t_check(t, word != NULL, "no memory"))
		return;
	b = rt_edu(t, 1);
	pci_msi_read_msg(k.a->pci, &k.a->msi, &victim);
	*word = victim.data;
	h = rt_hits;
	e = edu_dma(b, (uintptr_t)word, EDU_BUF, 0);
	if (!e)
		e = edu_dma(b, EDU_BUF, victim.address_lo, EDU_DMA_TO_RAM);
	rt_quiet();
	t_yaml(t, "attacker: %02x:%02x.%x", b->pci->bus, b->pci->dev, b->pci->fn);
	t_yaml(t, "dma_to: 0x%x", victim.address_lo);
	t_yaml(t, "victim_deliveries: %lu", rt_hits - h);
	events(t, k.u, 0, 0, 0);
	attack_done(&k);
	if (!t_check(t, e == 0, "edu DMA did not complete within %u ms (dma_mask=0xffffffff?)",
		     EDU_DMA_BOUND_MS))
		return;
	t_check(t, rt_hits == h, "a DMA write of another device's message reached the victim");
}

/* A device below a PCIe-to-PCI bridge: the IOMMU sees the alias the IVRS
 * names, which must be the ID the topology gives, and its DTE must lead to
 * the device's table. */
void amd_requester_id_behind_bridge(struct test_ctx *t)
{
	struct amd_ir_unit *u = unit_or_skip(t), *cu;
	struct edu *d;
	struct irq_desc *irq;
	struct remapped r;
	uint16_t devids[3];
	uint32_t n, nev = 0;
	uint64_t h;

	if (!u)
		return;
	if (!(d = rt_edu_behind_bridge(t)))
		return;
	if (!t_check(t, msi_alloc_irqs(&d->dev, 0, 1, 0, &irq) == 0, "interrupt"))
		return;
	irq_request(irq, rt_on_hit, d);
	n = amd_ir_devids(d->pci, &cu, devids);
	events(t, u, 0, 0, 0);
	h = rt_hits;
	edu_raise(d);
	rt_wait_hit(h, WAIT_MS);
	events(t, u, 0, 0, &nev);
	t_yaml(t, "device: %02x:%02x.%x", d->pci->bus, d->pci->dev, d->pci->fn);
	t_yaml(t, "requester_id: 0x%04x", pci_requester_id(d->pci));
	t_yaml(t, "ivrs_alias: 0x%04x", n ? devids[0] : 0);
	t_yaml(t, "deliveries: %lu", rt_hits - h);
	t_yaml(t, "events: %u", nev);
	t_check(t, n && devids[0] == pci_requester_id(d->pci),
		"the IVRS alias 0x%04x is not the bridge's requester ID 0x%04x", n ? devids[0] : 0,
		pci_requester_id(d->pci));
	if (n && remapped(u, irq, &r))
		t_check(t, amdvi_dte_intr_of(&u->hw, devids[0]) ==
			   amd_dte_intr(r.table->phys, AMDVI_IRT_LOG2),
			"the alias's DTE does not lead to the device's table");
	t_check(t, rt_hits - h == 1 && nev == 0, "%lu deliveries, %u events", rt_hits - h, nev);
	msi_free_irqs(&irq, 1);
}

/* Many blocked messages in a row, the log drained after each; nothing
 * hangs, and the log does not overflow unnoticed. */
void amd_fault_storm(struct test_ctx *t)
{
	const char *unrecorded = platform_gap(GAP_AMDVI_EVENTS);
	struct attack k;
	struct msi_msg m;
	uint32_t n = 200, recorded = 0, got;
	uint64_t h;
	int j;

	if (attack_setup(t, &k, 1))
		return;
	j = amdvi_irte_alloc(k.v.table);
	if (!t_check(t, j >= 0, "no IRTE free")) {
		attack_done(&k);
		return;
	}
	index_msg((uint32_t)j, &m);
	pci_msi_write_msg(k.a->pci, &k.a->msi, &m);
	h = rt_hits;
	for (uint32_t i = 0; i < n; i++) {
		edu_raise(k.a);
		edu_ack(k.a);
		recorded += events(t, k.u, AMDVI_EVT_IO_PAGE_FAULT, k.devid, &got);
	}
	rt_quiet();
	recorded += events(t, k.u, AMDVI_EVT_IO_PAGE_FAULT, k.devid, &got);
	amdvi_irte_free(k.v.table, (uint32_t)j);
	t_yaml(t, "bad_messages: %u", n);
	t_yaml(t, "events_recorded: %u", recorded);
	t_yaml(t, "log_overflows: %lu  # the log restarted after each", k.u->hw.evt_overflows);
	t_yaml(t, "victim_deliveries: %lu", rt_hits - h);
	attack_done(&k);
	t_check(t, rt_hits == h, "%lu of %u blocked messages reached the victim", rt_hits - h, n);
	if (unrecorded)
		t_skip(t, "blocked; %s", unrecorded);
	else
		t_check(t, recorded == n || (recorded > 0 && k.u->hw.evt_overflows > 0),
			"%u blocked messages, %u events recorded and no log overflow", n, recorded);
}
