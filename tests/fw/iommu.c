// SPDX-License-Identifier: MIT
/*
 * iommu.*: interrupt remapping, the same tests on both IOMMU families: the
 * VT-d bodies here, the AMD-Vi ones in tests/fw/iommu_amd.c, the tests
 * themselves registered at the end. Units and their bring-up, devices
 * really remapped, affinity moves that rewrite only the IRTE, remapping's
 * cost against a compatibility message in the same run, masking at the
 * source against masking at the IRTE, and the security cases: messages
 * with a bad handle, for a non-present IRTE, from the wrong requester, in
 * compatibility format with CFI clear, and a fault storm. What the QEMU in
 * use does not enforce or record SKIPs with that reason (docs/qemu.md);
 * nothing passes by assumption.
 */
#include "tests/fw/iommu_amd.h"
#include "tests/fw/remap_util.h"
#include "tests/harness/gaps.h"
#include "kernel/kernel.h"
#include "drivers/iommu/intel/irq_remap.h"
#include "drivers/misc/edu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/platform.h"
#include "arch/x86/tsc.h"
#include "arch/x86/vector.h"
#include "lib/errno.h"
#include "lib/stats.h"
#include "lib/string.h"

#define NO_DMAR		"no DMAR table (QEMU: -device intel-iommu,intremap=on)"

static struct ir_unit *unit_or_skip(struct test_ctx *t)
{
	struct ir_unit *u = ir_remapping_unit();

	if (!u && !strcmp(ir_iommu_name(), "none"))
		t_skip(t, NO_DMAR);
	else if (!u)
		t_skip(t, "no unit with interrupt remapping on: %s", ir_off_reason());
	return u;
}

static void vtd_units(struct test_ctx *t)
{
	const struct dmar *dmar = ir_dmar();
	struct ir_unit_info u;

	if (!strcmp(ir_iommu_name(), "none")) {
		t_skip(t, NO_DMAR);
		return;
	}
	t_yaml(t, "dmar_flags: 0x%x", dmar->flags);
	if (ir_rejected()) {
		for (uint32_t i = 0; i < dmar->nunits; i++)
			t_yaml(t, "unit%u: {base: 0x%lx, segment: %u}", i, dmar->units[i].base,
			       dmar->units[i].segment);
		t_skip(t, "%s", ir_off_reason());
		return;
	}
	for (uint32_t i = 0; ir_unit_info(i, &u) == 0; i++) {
		t_yaml(t, "unit%u: {base: 0x%lx, ver: 0x%x, cap: 0x%lx, ecap: 0x%lx, scopes: %u, "
		       "include_pci_all: %s, ir: %s, x2apic: %s, invalidations: %lu, coherent: %s, "
		       "flushes: %lu, found: {gsts: 0x%x, fsts: 0x%x, pmen: 0x%x, faults: %u}, "
		       "unresolved_scopes: %u}", i, u.base, u.ver, u.cap, u.ecap, u.nscopes,
		       u.include_pci_all ? "true" : "false", u.remapping ? "on" : "off",
		       u.x2apic ? "true" : "false", u.invalidations, u.coherent ? "true" : "false",
		       u.flushes, u.found_gsts, u.found_fsts, u.found_pmen, u.found_faults,
		       u.unresolved_scopes);
		t_check(t, u.probed, "unit 0x%lx: %s", u.base, u.error);
		t_check(t, !kernel_config.ir || u.remapping || !(dmar->flags & DMAR_FLAG_INTR_REMAP),
			"unit 0x%lx: remapping not on: %s", u.base, u.error);
		t_check(t, !u.cfi, "CFI set: compatibility interrupts allowed");
		t_check(t, u.coherent || !u.remapping || u.flushes > 0,
			"unit 0x%lx does not snoop, and no table write was written back", u.base);
	}
	t_check(t, dmar->err.n == 0, "DMAR: %s", dmar->err.msg[0]);
}


static void vtd_devices_remapped(struct test_ctx *t)
{
	struct ir_unit *u = unit_or_skip(t);
	struct edu *e = u ? rt_edu(t, 0) : 0;
	struct irq_desc *irq;
	struct msi_msg msg;
	uint32_t index;
	struct irte ent;
	uint64_t h;

	if (!e)
		return;
	if (!t_check(t, msi_alloc_irqs(&e->dev, 0, 1, 0, &irq) == 0, "edu interrupt"))
		return;
	irq_request(irq, rt_on_hit, e);
	pci_msi_read_msg(e->pci, &e->msi, &msg);
	t_yaml(t, "levels: %u", irq_levels(irq));
	t_yaml(t, "message: {address: 0x%x, data: 0x%x}", msg.address_lo, msg.data);
	t_check(t, irq_levels(irq) == 3 && ir_of(irq, &index), "edu is not behind the remapping domain");
	t_check(t, ir_msg_index(&msg) == (int)index, "device message 0x%x is not IRTE %u's handle",
		msg.address_lo, index);
	ent = ir_irte_read(u, index);
	t_yaml(t, "irte: {index: %u, lo: 0x%lx, hi: 0x%lx}", index, ent.lo, ent.hi);
	t_check(t, (ent.lo & IRTE_P) && IRTE_VECTOR_OF(ent.lo) == irq_vector(irq),
		"IRTE 0x%lx does not name vector 0x%x", ent.lo, irq_vector(irq));
	t_check(t, IRTE_SID_OF(ent.hi) == pci_requester_id(e->pci) &&
		   (ent.hi & IRTE_SVT_MASK) == IRTE_SVT_RID,
		"IRTE does not check requester ID 0x%x: 0x%lx", pci_requester_id(e->pci), ent.hi);
	h = rt_hits;
	edu_raise(e);
	t_check(t, rt_wait_hit(h, WAIT_MS) == 1, "edu interrupt not delivered through its IRTE");
	msi_free_irqs(&irq, 1);
	/* Freed: the IRTE cleared (P off), or the device's handle still works. */
	ent = ir_irte_read(u, index);
	t_check(t, !(ent.lo & IRTE_P), "IRTE %u still present after free: 0x%lx", index, ent.lo);
}

/* The IRTE names CPU 1 after the move (rt_affinity_rewrites_only_irte). */
static uint32_t vtd_irte_on_cpu1(struct test_ctx *t, void *unit, struct irq_desc *irq)
{
	struct ir_unit_info info;
	uint32_t index;
	struct irte ent;

	ir_of(irq, &index);
	ent = ir_irte_read(unit, index);
	ir_unit_info(0, &info);
	t_check(t, (info.x2apic ? IRTE_DST_X2APIC_OF(ent.lo) : IRTE_DST_XAPIC_OF(ent.lo)) ==
		   cpus[1].apic_id, "IRTE destination 0x%lx is not cpu1's APIC ID %u", ent.lo,
		cpus[1].apic_id);
	return index;
}

static void vtd_affinity_rewrites_only_irte(struct test_ctx *t)
{
	struct ir_unit *u = unit_or_skip(t);
	struct edu *e = u ? rt_edu(t, 0) : 0;

	if (e)
		rt_affinity_rewrites_only_irte(t, e, vtd_irte_on_cpu1, u);
}

/* A second owner takes the live unit over (remapping and queued
 * invalidation on, as a previous boot or a kexec would leave it) and brings
 * remapping back up, the table kept: the device's interrupt still goes
 * through its IRTE. */
static void vtd_handover_of_a_live_unit(struct test_ctx *t)
{
	struct ir_unit *u = unit_or_skip(t);
	struct edu *e = u ? rt_edu(t, 0) : 0;
	struct ir_unit_info info;
	struct irq_desc *irq;
	uint64_t h;
	int err;

	if (!e)
		return;
	if (!t_check(t, msi_alloc_irqs(&e->dev, 0, 1, 0, &irq) == 0, "edu interrupt"))
		return;
	irq_request(irq, rt_on_hit, e);
	err = ir_handover(u);
	ir_unit_info(0, &info);
	t_yaml(t, "found: {gsts: 0x%x, fsts: 0x%x, pmen: 0x%x, faults: %u}", info.found_gsts,
	       info.found_fsts, info.found_pmen, info.found_faults);
	t_check(t, err == 0, "handover: %s", ir_unit_error(u));
	t_check(t, (info.found_gsts & (VTD_GCMD_IRE | VTD_GCMD_QIE)) ==
		   (VTD_GCMD_IRE | VTD_GCMD_QIE), "the live unit was found with GSTS 0x%x, not "
		"remapping with queued invalidation", info.found_gsts);
	h = rt_hits;
	edu_raise(e);
	t_check(t, rt_wait_hit(h, WAIT_MS) == 1, "edu interrupt not delivered after the handover");
	msi_free_irqs(&irq, 1);
}

/* Remapping on, then off for the unit and the same device domain given
 * its parent again from the topology (now the vector domain), then on. */
static int remapping(struct test_ctx *t, void *unit, struct msi_device *dev, int on)
{
	struct ir_unit *u = unit;
	int e = ir_set_remapping(u, on);

	if (!t_check(t, e == 0, "remapping %s: %s", on ? "on" : "off", ir_unit_error(u)))
		return e;
	e = msi_device_update_parent(dev);
	t_check(t, e == 0, "edu's domain kept its parent: %s", err_name(e));
	return e;
}

static void vtd_remapping_cost_ratio(struct test_ctx *t)
{
	struct ir_unit *u = unit_or_skip(t);

	if (u && rt_edu(t, 0))
		rt_cost_ratios(t, remapping, u);
}

static void vtd_faults(struct test_ctx *t, void *unit)
{
	struct vtd_fault f;

	while (ir_fault_take(unit, &f))
		t_yaml(t, "fault: {reason: 0x%x, sid: 0x%x, index: %u}", f.reason, f.sid, f.index);
}

static void vtd_mask_source_vs_irte(struct test_ctx *t)
{
	struct ir_unit *u = unit_or_skip(t);

	if (u)
		rt_mask_source_vs_irte(t, "a non-present IRTE", vtd_faults, u);
}

/* --- security: messages that must not reach the victim ----------------- */

static volatile uint64_t fault_irqs;

static void on_fault(uint64_t tsc_now, void *arg)
{
	(void)tsc_now;
	(void)arg;
	fault_irqs++;
}

/* The first edu sends; its own remapped interrupt is the victim. */
struct attack {
	struct ir_unit *u;
	struct edu *a;			/* the device that sends */
	struct irq_desc *victim;	/* an interrupt that must not fire */
	struct irq_desc *fault;		/* the unit's fault event */
};

/* `edus` edu devices needed (the attack uses the first; a second plays
 * the other requester). 0, or -1 with the test skipped or failed. */
static int attack_setup(struct test_ctx *t, struct attack *k, uint32_t edus)
{
	struct msi_device *fd;

	if (!(k->u = unit_or_skip(t)) || !(k->a = rt_edu(t, 0)) ||
	    (edus > 1 && !rt_edu(t, edus - 1)))
		return -1;
	if (!t_check(t, msi_alloc_irqs(&k->a->dev, 0, 1, 0, &k->victim) == 0, "victim interrupt"))
		return -1;
	irq_request(k->victim, rt_on_hit, k->a);
	fd = ir_fault_event_device(&k->u);
	k->fault = 0;
	if (fd && msi_alloc_irqs(fd, 0, 1, 0, &k->fault) == 0)
		irq_request(k->fault, on_fault, 0);
	return 0;
}

/* Send `msg` from device a; then: not delivered, and the fault recorded. */
static void attack_run(struct test_ctx *t, struct attack *k, const struct msi_msg *msg,
		       uint8_t reason, const char *what)
{
	struct edu *a = k->a;
	struct vtd_fault f = { 0 };
	struct msi_msg saved;
	uint64_t h = rt_hits, fi = fault_irqs;
	const char *unblocked = reason == VTD_FR_IR_REQ_COMPAT ? platform_gap(GAP_VTD_CFI) : 0;
	const char *unrecorded = platform_gap(GAP_VTD_IR_FAULTS);
	int got = 0;

	pci_msi_read_msg(a->pci, &a->msi, &saved);
	pci_msi_write_msg(a->pci, &a->msi, msg);
	pci_msi_enable(a->pci, &a->msi, 0);
	edu_raise(a);
	rt_quiet();
	edu_ack(a);
	pci_msi_write_msg(a->pci, &a->msi, &saved);
	while (ir_fault_take(k->u, &f))
		got = got || f.reason == reason;
	t_yaml(t, "message: {address: 0x%x, data: 0x%x}", msg->address_lo, msg->data);
	t_yaml(t, "victim_deliveries: %lu", rt_hits - h);
	t_yaml(t, "fault: {reason: 0x%x, expected: 0x%x, sid: 0x%x, index: %u}", f.reason, reason,
	       f.sid, f.index);
	t_yaml(t, "fault_event_interrupts: %lu", fault_irqs - fi);
	if (rt_hits != h) {
		if (unblocked)
			t_skip(t, "%s", unblocked);
		else
			t_fail(t, "%s reached the victim", what);
		return;
	}
	if (unrecorded) {
		t_skip(t, "blocked; %s", unrecorded);
		return;
	}
	t_check(t, got, "%s blocked without fault 0x%x recorded", what, reason);
	t_check(t, fault_irqs != fi || !k->fault, "no fault-event interrupt for fault 0x%x", reason);
}

static void attack_done(struct attack *k)
{
	msi_free_irqs(&k->victim, 1);
	if (k->fault)
		msi_free_irqs(&k->fault, 1);
}

static void vtd_bad_handle_blocked(struct test_ctx *t)
{
	struct attack k;
	struct msi_msg m;

	if (attack_setup(t, &k, 1))
		return;
	ir_msg_compose(VTD_IRT_ENTRIES + 5, 0, 0, &m);	/* beyond the table */
	attack_run(t, &k, &m, VTD_FR_IR_INDEX_OVER, "a message with a handle beyond the table");
	attack_done(&k);
}

static void vtd_nonpresent_irte_blocked(struct test_ctx *t)
{
	struct attack k;
	struct msi_msg m;
	int i;

	if (attack_setup(t, &k, 1))
		return;
	i = ir_irte_reserve(k.u);	/* allocated, never written: not present */
	if (t_check(t, i >= 0, "no IRTE free: %s", err_name(i))) {
		ir_msg_compose((uint32_t)i, 0, 0, &m);
		attack_run(t, &k, &m, VTD_FR_IR_ENTRY_P, "a message naming a non-present IRTE");
		ir_irte_release(k.u, (uint32_t)i);
	}
	attack_done(&k);
}

/* The victim's IRTE checks the second edu's requester ID; the first edu
 * sends the victim's message. */
static void vtd_source_id_mismatch_blocked(struct test_ctx *t)
{
	struct attack k;
	struct msi_msg m;
	struct edu *b;
	uint32_t index;
	struct irte e;
	int err;

	if (attack_setup(t, &k, 2))
		return;
	b = rt_edu(t, 1);
	ir_of(k.victim, &index);
	e = ir_irte_read(k.u, index);
	e.hi = IRTE_SID(pci_requester_id(b->pci)) | IRTE_SVT_RID;
	err = ir_irte_write(k.u, index, e);
	if (t_check(t, err == 0, "IRTE %u not rewritten: %s", index, ir_unit_error(k.u))) {
		ir_msg_compose(index, 0, 0, &m);
		attack_run(t, &k, &m, VTD_FR_IR_SID_ERR, "a message from the wrong requester");
	}
	attack_done(&k);
}

static void vtd_compat_format_blocked(struct test_ctx *t)
{
	struct attack k;
	struct msi_msg m;

	if (attack_setup(t, &k, 1))
		return;
	vector_compose_msi(cpus[irq_cpu(k.victim)].apic_id, irq_vector(k.victim), &m);
	attack_run(t, &k, &m, VTD_FR_IR_REQ_COMPAT, "a compatibility-format message with CFI clear");
	attack_done(&k);
}

/* The 2011 attack (Wojtczuk and Rutkowska, "Following the White Rabbit"):
 * a device's DMA writes another device's interrupt message to 0xFEExxxxx.
 * The second edu DMAs the victim's remappable message; the IRTE checks the
 * first edu's requester ID. The edu needs dma_mask=0xffffffff. */
static void vtd_dma_msi_injection_blocked(struct test_ctx *t)
{
	struct attack k;
	struct edu *b;
	struct msi_msg victim;
	struct vtd_fault f = { 0 };
	uint32_t *word = t_alloc(t, 4);
	const char *unchecked = platform_gap(GAP_DMA_SOURCE_ID);
	uint64_t h;
	int e, faulted = 0;

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
	while (ir_fault_take(k.u, &f))
		faulted = faulted || f.reason == VTD_FR_IR_SID_ERR;
	attack_done(&k);
	t_yaml(t, "attacker: %02x:%02x.%x", b->pci->bus, b->pci->dev, b->pci->fn);
	t_yaml(t, "dma_to: 0x%x", victim.address_lo);
	t_yaml(t, "victim_deliveries: %lu", rt_hits - h);
	t_yaml(t, "fault: {reason: 0x%x, sid: 0x%x}", f.reason, f.sid);
	if (!t_check(t, e == 0, "edu DMA did not complete within %u ms (dma_mask=0xffffffff?)",
		     EDU_DMA_BOUND_MS))
		return;
	if (unchecked) {
		t_skip(t, "%s", unchecked);
		return;
	}
	t_check(t, rt_hits == h, "a DMA write of another device's message reached the victim");
	t_check(t, faulted, "blocked without a source-id fault (0x%x)", VTD_FR_IR_SID_ERR);
}

/* A device below a PCIe-to-PCI bridge: its requests carry the bridge's
 * secondary bus and devfn 0, and its IRTE must check that ID (QEMU 10
 * checks the source ID of real MSI writes: a wrong SID is fault 0x26). */
static void vtd_requester_id_behind_bridge(struct test_ctx *t)
{
	struct ir_unit *u = unit_or_skip(t);
	struct edu *d;
	struct irq_desc *irq;
	struct vtd_fault f = { 0 };
	uint64_t h;
	int faults = 0;

	if (!u)
		return;
	if (!(d = rt_edu_behind_bridge(t)))
		return;
	if (!t_check(t, msi_alloc_irqs(&d->dev, 0, 1, 0, &irq) == 0, "interrupt"))
		return;
	irq_request(irq, rt_on_hit, d);
	h = rt_hits;
	edu_raise(d);
	rt_wait_hit(h, WAIT_MS);
	while (ir_fault_take(u, &f))
		faults++;
	msi_free_irqs(&irq, 1);
	t_yaml(t, "device: %02x:%02x.%x", d->pci->bus, d->pci->dev, d->pci->fn);
	t_yaml(t, "requester_id: 0x%04x", pci_requester_id(d->pci));
	t_yaml(t, "deliveries: %lu", rt_hits - h);
	t_yaml(t, "faults: %d  # last reason 0x%x", faults, f.reason);
	t_check(t, rt_hits - h == 1 && faults == 0, "%lu deliveries, %d faults (reason 0x%x)", rt_hits - h,
		faults, f.reason);
}

/* Many faults in a row; the log drained after each; nothing hangs. */
/* Many blocked messages in a row, the faults taken after each: every one
 * recorded, or the unit said it dropped some (FSTS.PFO: VT-d 3.4, 11.4.9),
 * none reaching the victim, and nothing hangs. */
static void vtd_fault_storm(struct test_ctx *t)
{
	const char *unrecorded = platform_gap(GAP_VTD_IR_FAULTS);
	uint32_t n = 200, recorded = 0, overflows = 0;
	struct attack k;
	struct msi_msg m;
	struct vtd_fault f;
	uint64_t h;

	if (attack_setup(t, &k, 1))
		return;
	ir_msg_compose(VTD_IRT_ENTRIES + 9, 0, 0, &m);
	pci_msi_write_msg(k.a->pci, &k.a->msi, &m);
	h = rt_hits;
	for (uint32_t i = 0; i < n; i++) {
		edu_raise(k.a);
		edu_ack(k.a);
		while (ir_fault_take(k.u, &f)) {	/* one FRCD on QEMU: clear F between faults */
			recorded++;
			overflows += f.overflow;
		}
	}
	/* Faults still arriving are counted for QUIET_MS (a wait that no
	 * condition ends early). */
	(void)wait_ms((recorded += ir_fault_take(k.u, &f), 0), QUIET_MS);
	t_yaml(t, "bad_messages: %u", n);
	t_yaml(t, "faults_recorded: %u", recorded);
	t_yaml(t, "overflows_seen: %u", overflows);
	t_yaml(t, "victim_deliveries: %lu", rt_hits - h);
	t_yaml(t, "fault_event_interrupts: %lu", fault_irqs);
	attack_done(&k);
	t_check(t, rt_hits == h, "%lu of %u blocked messages reached the victim", rt_hits - h, n);
	if (unrecorded) {
		t_skip(t, "blocked; %s", unrecorded);
		return;
	}
	t_check(t, recorded == n || (recorded > 0 && overflows > 0),
		"%u blocked messages, %u faults recorded and no overflow flagged", n, recorded);
}

/* --- the tests: VT-d above, AMD-Vi in tests/fw/iommu_amd.c --------------- */

/* The body for the IOMMU family the firmware describes: AMD-Vi with an
 * IVRS, else VT-d (which SKIPs without a DMAR). */
#define FAMILY(name) (amd_ir.have_ivrs ? amd_##name(t) : vtd_##name(t))

TEST(iommu, units, .needs = "vt-d or amd-vi")
{
	FAMILY(units);
}

TEST(iommu, devices_remapped, .needs = "ir (vt-d or amd-vi), edu")
{
	FAMILY(devices_remapped);
}

TEST(iommu, affinity_rewrites_only_irte, .needs = "ir (vt-d or amd-vi), edu, 2 cpus")
{
	FAMILY(affinity_rewrites_only_irte);
}

TEST(iommu, handover_of_a_live_unit, .needs = "ir (vt-d or amd-vi), edu")
{
	FAMILY(handover_of_a_live_unit);
}

TEST(iommu, remapping_cost_ratio, .needs = "ir (vt-d or amd-vi), edu")
{
	FAMILY(remapping_cost_ratio);
}

TEST(iommu, mask_source_vs_irte, .needs = "ir (vt-d or amd-vi), igb or e1000e")
{
	FAMILY(mask_source_vs_irte);
}

TEST(iommu, bad_handle_blocked, .needs = "ir (vt-d or amd-vi), edu")
{
	FAMILY(bad_handle_blocked);
}

TEST(iommu, nonpresent_irte_blocked, .needs = "ir (vt-d or amd-vi), edu")
{
	FAMILY(nonpresent_irte_blocked);
}

TEST(iommu, source_id_mismatch_blocked, .needs = "ir (vt-d or amd-vi), 2 edu")
{
	FAMILY(source_id_mismatch_blocked);
}

TEST(iommu, compat_format_blocked, .needs = "ir (vt-d or amd-vi), edu")
{
	FAMILY(compat_format_blocked);
}

TEST(iommu, dma_msi_injection_blocked, .budget_ms = 20000,
     .needs = "ir (vt-d or amd-vi), 2 edu with dma_mask=0xffffffff")
{
	FAMILY(dma_msi_injection_blocked);
}

TEST(iommu, requester_id_behind_bridge,
     .needs = "ir (vt-d or amd-vi), edu behind a pcie-pci-bridge")
{
	FAMILY(requester_id_behind_bridge);
}

TEST(iommu, fault_storm, .needs = "ir (vt-d or amd-vi), edu")
{
	FAMILY(fault_storm);
}
