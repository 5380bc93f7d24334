// SPDX-License-Identifier: MIT
/*
 * iommu.*: interrupt remapping, written once against the IOMMU interface
 * (drivers/iommu/iommu.h) for every family. Units and their bring-up,
 * devices really remapped, affinity moves that rewrite only the entry,
 * a handover of a live unit, remapping's cost against a compatibility
 * message in the same run, masking at the source against masking at the
 * entry, and the security cases: messages with an index beyond the table,
 * for an entry never written, from another requester (by MSI and by DMA),
 * in compatibility format, and a fault storm. Where families differ (a
 * source ID in the entry or a table per device; fault records or an event
 * log) the family's hooks say how; what the QEMU in use does not enforce
 * or record SKIPs with that reason (tests/harness/gaps.c, docs/qemu.md);
 * nothing passes by assumption.
 */
#include "tests/fw/remap_util.h"
#include "tests/harness/gaps.h"
#include "drivers/iommu/iommu.h"
#include "drivers/misc/edu.h"
#include "drivers/pci/msi.h"
#include "drivers/pci/pci.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"
#include "arch/x86/vector.h"
#include "lib/errno.h"

#define NO_IOMMU	"no DMAR or IVRS table (QEMU: -device intel-iommu,intremap=on or " \
			"-device amd-iommu,intremap=on)"

static struct iommu_unit *unit_or_skip(struct test_ctx *t)
{
	struct iommu_unit *u = iommu_remapping_unit();

	if (!iommu())
		t_skip(t, NO_IOMMU);
	else if (!u)
		t_skip(t, "no unit with interrupt remapping on: %s", iommu_ir_off_reason());
	return u;
}

/* A unit the firmware described wrongly is listed with the reason and left
 * out: SKIP when none is left. A unit that answered must come up. */
TEST(iommu, units, .needs = "vt-d or amd-vi")
{
	const struct iommu_ops *f = iommu();
	struct iommu_report r = rt_report(t);
	uint32_t n, checked = 0;
	const char *err;

	if (!f) {
		t_skip(t, NO_IOMMU);
		return;
	}
	f->firmware_report(&r);
	if (!(n = f->unit_count())) {
		t_skip(t, "the firmware describes no unit: %s", iommu_ir_off_reason());
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		checked += f->unit_report(i, &r) == 0;
	err = f->firmware_error();
	t_check(t, !err, "%s: %s", f->name, err);
	if (!checked)
		t_skip(t, "%s", iommu_ir_off_reason());
}

TEST(iommu, devices_remapped, .needs = "ir (vt-d or amd-vi), edu")
{
	struct iommu_unit *u = unit_or_skip(t);
	struct edu *e = u ? rt_edu(t, 0) : 0;
	struct iommu_report r = rt_report(t);
	struct iommu_entry ent = { 0 };
	struct irq_desc *irq;
	struct msi_msg msg;
	int remapped;
	uint64_t h;

	if (!e)
		return;
	if (!t_check(t, msi_alloc_irqs(&e->dev, 0, 1, 0, &irq) == 0, "edu interrupt"))
		return;
	irq_request(irq, rt_on_hit, e);
	pci_msi_read_msg(e->pci, &e->msi, &msg);
	t_yaml(t, "levels: %u", irq_levels(irq));
	t_yaml(t, "message: {address: 0x%x, data: 0x%x}", msg.address_lo, msg.data);
	remapped = irq_levels(irq) == 3 && iommu_entry_of(irq, &ent) == u;
	if (t_check(t, remapped, "edu is not behind the remapping domain")) {
		iommu()->entry_report(&ent, &r);
		t_check(t, iommu()->msg_names(&ent, &msg), "device message 0x%x/0x%x does not name "
			"IRTE %u", msg.address_lo, msg.data, ent.index);
		t_check(t, ent.present && ent.vector == irq_vector(irq) &&
			   ent.dest == cpus[irq_cpu(irq)].apic_id,
			"IRTE does not name vector 0x%x on APIC ID %u", irq_vector(irq),
			cpus[irq_cpu(irq)].apic_id);
		iommu()->requester_report(irq, e->pci, &r);
	}
	h = rt_hits;
	edu_raise(e);
	t_check(t, rt_wait_hit(h, WAIT_MS) == 1, "edu interrupt not delivered through its IRTE");
	msi_free_irqs(&irq, 1);
	/* Freed: the entry cleared, or the device's message still works. */
	if (remapped) {
		iommu()->entry_read(&ent);
		t_check(t, !ent.present, "IRTE %u still present after free", ent.index);
	}
}

TEST(iommu, affinity_rewrites_only_irte, .needs = "ir (vt-d or amd-vi), edu, 2 cpus")
{
	struct edu *e = unit_or_skip(t) ? rt_edu(t, 0) : 0;

	if (e)
		rt_affinity_rewrites_only_irte(t, e);
}

/* A second owner takes the live unit over (remapping on, as a previous
 * boot or a kexec would leave it) and brings remapping back up, the tables
 * kept: the device's interrupt still goes through its entry. */
TEST(iommu, handover_of_a_live_unit, .needs = "ir (vt-d or amd-vi), edu")
{
	struct iommu_unit *u = unit_or_skip(t);
	struct edu *e = u ? rt_edu(t, 0) : 0;
	struct iommu_report r = rt_report(t);
	struct irq_desc *irq;
	uint64_t h;
	int err;

	if (!e)
		return;
	if (!t_check(t, msi_alloc_irqs(&e->dev, 0, 1, 0, &irq) == 0, "edu interrupt"))
		return;
	irq_request(irq, rt_on_hit, e);
	err = iommu()->handover(u);
	t_check(t, err == 0, "handover: %s", iommu()->unit_error(u));
	iommu()->handover_report(u, &r);
	h = rt_hits;
	edu_raise(e);
	t_check(t, rt_wait_hit(h, WAIT_MS) == 1, "edu interrupt not delivered after the handover");
	msi_free_irqs(&irq, 1);
}

TEST(iommu, remapping_cost_ratio, .needs = "ir (vt-d or amd-vi), edu")
{
	struct iommu_unit *u = unit_or_skip(t);

	if (u && rt_edu(t, 0))
		rt_cost_ratios(t, u);
}

TEST(iommu, mask_source_vs_irte, .needs = "ir (vt-d or amd-vi), igb or e1000e")
{
	struct iommu_unit *u = unit_or_skip(t);

	if (u)
		rt_mask_source_vs_irte(t, u);
}

/* --- security: messages that must not reach the victim ----------------- */

static volatile uint64_t fault_irqs, other_hits;

static void on_fault(uint64_t tsc_now, void *arg)
{
	(void)tsc_now;
	(void)arg;
	fault_irqs++;
}

static void on_other(uint64_t tsc_now, void *arg)
{
	(void)tsc_now;
	edu_ack(arg);
	other_hits++;
}

/* The first edu's remapped interrupt is the victim; the first edu sends
 * unless a test says otherwise. */
struct attack {
	struct iommu_unit *u;
	struct edu *a;
	struct irq_desc *victim;
	struct iommu_entry v;		/* the victim's entry */
	struct irq_desc *fault;		/* the unit's fault event, if it has one */
};

/* `edus` edu devices needed. 0, or -1 with the test skipped or failed. */
static int attack_setup(struct test_ctx *t, struct attack *k, uint32_t edus)
{
	struct msi_device *fd;

	if (!(k->u = unit_or_skip(t)) || !(k->a = rt_edu(t, 0)) ||
	    (edus > 1 && !rt_edu(t, edus - 1)))
		return -1;
	if (!t_check(t, msi_alloc_irqs(&k->a->dev, 0, 1, 0, &k->victim) == 0, "victim interrupt"))
		return -1;
	irq_request(k->victim, rt_on_hit, k->a);
	if (!t_check(t, iommu_entry_of(k->victim, &k->v) == k->u, "the victim is not remapped")) {
		msi_free_irqs(&k->victim, 1);
		return -1;
	}
	fd = iommu()->fault_device(k->u);
	k->fault = 0;
	if (fd && msi_alloc_irqs(fd, 0, 1, 0, &k->fault) == 0)
		irq_request(k->fault, on_fault, 0);
	rt_faults(t, k->u, 0, 0, 0);	/* what earlier tests left */
	return 0;
}

static void attack_done(struct attack *k)
{
	msi_free_irqs(&k->victim, 1);
	if (k->fault)
		msi_free_irqs(&k->fault, 1);
}

/* Send `msg` from edu s: the victim's deliveries it caused. */
static uint64_t send(struct edu *s, const struct msi_msg *msg)
{
	struct msi_msg saved;
	uint64_t h = rt_hits;

	pci_msi_read_msg(s->pci, &s->msi, &saved);
	pci_msi_write_msg(s->pci, &s->msi, msg);
	pci_msi_enable(s->pci, &s->msi, 0);
	edu_raise(s);
	rt_quiet();
	edu_ack(s);
	pci_msi_write_msg(s->pci, &s->msi, &saved);
	return rt_hits - h;
}

/* What a platform may let through for each kind (tests/harness/gaps.c). */
static const char *let_through(enum iommu_block why)
{
	switch (why) {
	case IOMMU_BLOCK_BAD_INDEX:	return platform_gap(GAP_IR_TABLE_BOUND);
	case IOMMU_BLOCK_COMPAT:	return platform_gap(GAP_IR_COMPAT);
	case IOMMU_BLOCK_DMA:		return platform_gap(GAP_IR_DMA_SOURCE_ID);
	default:			return 0;
	}
}

/* `got` deliveries of the victim after `sender` sent `what`: none, and
 * where the family records this kind, a record of it (SKIP where the
 * platform records none). */
static void judge(struct test_ctx *t, struct attack *k, enum iommu_block why,
		  const struct pci_dev *sender, const struct msi_msg *m, uint64_t got, uint64_t fi,
		  const char *what)
{
	const char *through = let_through(why), *unrecorded = platform_gap(GAP_IR_FAULTS);
	struct rt_faults n;

	rt_faults(t, k->u, why, sender, &n);
	if (m)
		t_yaml(t, "message: {address: 0x%x, data: 0x%x}", m->address_lo, m->data);
	t_yaml(t, "victim_deliveries: %lu", got);
	t_yaml(t, "faults: {total: %u, for_this: %u}", n.total, n.matching);
	t_yaml(t, "fault_event_interrupts: %lu", fault_irqs - fi);
	if (got) {
		if (through)
			t_skip(t, "%s", through);
		else
			t_fail(t, "%s reached the victim", what);
		return;
	}
	if (!(iommu()->records & (1u << why)))
		return;
	if (unrecorded) {
		t_skip(t, "blocked; %s", unrecorded);
		return;
	}
	t_check(t, n.matching, "%s blocked without a fault recorded for it", what);
	t_check(t, fault_irqs != fi || !k->fault, "no fault-event interrupt for it");
}

/* Send m from the first edu and judge it. */
static void attack(struct test_ctx *t, struct attack *k, enum iommu_block why,
		   const struct msi_msg *m, const char *what)
{
	uint64_t fi = fault_irqs;

	judge(t, k, why, k->a->pci, m, send(k->a, m), fi, what);
}

TEST(iommu, bad_handle_blocked, .needs = "ir (vt-d or amd-vi), edu")
{
	struct iommu_report r = rt_report(t);
	struct attack k;
	struct msi_msg m;

	if (attack_setup(t, &k, 1))
		return;
	if (iommu()->bad_index(&k.v, &m, &r) == 0)
		attack(t, &k, IOMMU_BLOCK_BAD_INDEX, &m, "a message with an index beyond the table");
	t_check(t, iommu()->bad_index_undo(&k.v) == 0, "the table not put back: %s",
		iommu()->unit_error(k.u));
	attack_done(&k);
}

TEST(iommu, nonpresent_irte_blocked, .needs = "ir (vt-d or amd-vi), edu")
{
	struct attack k;
	struct iommu_entry spare;
	struct msi_msg m;
	int e;

	if (attack_setup(t, &k, 1))
		return;
	spare = k.v;
	e = iommu()->entry_reserve(&spare);	/* never written: not present */
	if (t_check(t, e == 0, "no IRTE free: %s", err_name(e))) {
		iommu()->entry_msg(&spare, &m);
		attack(t, &k, IOMMU_BLOCK_NOT_PRESENT, &m, "a message naming an IRTE never written");
		iommu()->entry_release(&spare);
	}
	attack_done(&k);
}

/* The second edu sends the victim's exact message. VT-d's entry checks
 * the victim's requester ID (a source-id fault); AMD-Vi reads it in the
 * second edu's own table, to its own vector when the index is the same,
 * never the victim's. */
TEST(iommu, source_id_mismatch_blocked, .needs = "ir (vt-d or amd-vi), 2 edu")
{
	struct iommu_entry own = { 0 };
	struct irq_desc *irq;
	struct attack k;
	struct msi_msg m;
	uint64_t fi, oh, got;
	struct edu *b;

	if (attack_setup(t, &k, 2))
		return;
	b = rt_edu(t, 1);
	if (!t_check(t, msi_alloc_irqs(&b->dev, 0, 1, 1 % cpus_online, &irq) == 0, "second edu")) {
		attack_done(&k);
		return;
	}
	irq_request(irq, on_other, b);
	if (t_check(t, iommu_entry_of(irq, &own) == k.u,
		    "the second edu is not remapped by the same unit")) {
		t_yaml(t, "victim: {index: %u, vector: 0x%x}", k.v.index, k.v.vector);
		t_yaml(t, "sender: {index: %u, vector: 0x%x}", own.index, own.vector);
		t_check(t, !iommu()->table_per_device || own.table != k.v.table,
			"the two edu share one interrupt table");
		pci_msi_read_msg(k.a->pci, &k.a->msi, &m);
		oh = other_hits;
		fi = fault_irqs;
		got = send(b, &m);
		judge(t, &k, IOMMU_BLOCK_WRONG_SOURCE, b->pci, &m, got, fi,
		      "a message from the wrong requester");
		t_yaml(t, "sender_deliveries: %lu  # through its own IRTE %u", other_hits - oh,
		       own.index);
		if (own.table != k.v.table && own.index == k.v.index)
			t_check(t, other_hits - oh == 1, "the same index in the sender's own table did "
				"not reach the sender's vector (%lu deliveries)", other_hits - oh);
	}
	msi_free_irqs(&irq, 1);
	attack_done(&k);
}

TEST(iommu, compat_format_blocked, .needs = "ir (vt-d or amd-vi), edu")
{
	struct iommu_entry landing;
	struct attack k;
	struct msi_msg m;

	if (attack_setup(t, &k, 1))
		return;
	vector_compose_msi(cpus[irq_cpu(k.victim)].apic_id, irq_vector(k.victim), &m);
	/* Where the family reads its data as an index, it must land on an
	 * entry not in use. */
	landing = k.v;
	landing.index = m.data & 0x7ff;
	if (iommu()->table_per_device && (iommu()->entry_read(&landing), landing.present))
		t_skip(t, "IRTE %u, which the compatibility message names, is in use", landing.index);
	else
		attack(t, &k, IOMMU_BLOCK_COMPAT, &m, "a compatibility-format message");
	attack_done(&k);
}

/* The 2011 attack (Wojtczuk and Rutkowska, "Following the White Rabbit"):
 * a device's DMA writes another device's interrupt message to 0xFEExxxxx.
 * The second edu DMAs the victim's message; it must be read as the
 * second edu's. The edu needs dma_mask=0xffffffff. */
TEST(iommu, dma_msi_injection_blocked, .budget_ms = 20000,
     .needs = "ir (vt-d or amd-vi), 2 edu with dma_mask=0xffffffff")
{
	uint32_t *word = t_alloc(t, 4);
	struct msi_msg victim;
	struct attack k;
	struct edu *b;
	uint64_t h, fi;
	int e;

	if (attack_setup(t, &k, 2) || !t_check(t, word != NULL, "no memory"))
		return;
	b = rt_edu(t, 1);
	pci_msi_read_msg(k.a->pci, &k.a->msi, &victim);
	*word = victim.data;
	h = rt_hits;
	fi = fault_irqs;
	e = edu_dma(b, (uintptr_t)word, EDU_BUF, 0);
	if (!e)
		e = edu_dma(b, EDU_BUF, victim.address_lo, EDU_DMA_TO_RAM);
	rt_quiet();
	t_yaml(t, "attacker: %02x:%02x.%x", b->pci->bus, b->pci->dev, b->pci->fn);
	t_yaml(t, "dma_to: 0x%x", victim.address_lo);
	if (t_check(t, e == 0, "edu DMA did not complete within %u ms (dma_mask=0xffffffff?)",
		    EDU_DMA_BOUND_MS))
		judge(t, &k, IOMMU_BLOCK_DMA, b->pci, 0, rt_hits - h, fi,
		      "a DMA write of another device's message");
	attack_done(&k);
}

/* A device below a PCIe-to-PCI bridge: its requests carry the bridge's
 * secondary bus and devfn 0, and its entry must be found and checked by
 * that ID (QEMU 10's intel-iommu checks the source ID of real MSI writes:
 * a wrong one is fault 0x26). */
TEST(iommu, requester_id_behind_bridge,
     .needs = "ir (vt-d or amd-vi), edu behind a pcie-pci-bridge")
{
	struct iommu_unit *u = unit_or_skip(t);
	struct iommu_report r = rt_report(t);
	struct irq_desc *irq;
	struct rt_faults n;
	struct edu *d;
	uint64_t h;

	if (!u || !(d = rt_edu_behind_bridge(t)))
		return;
	if (!t_check(t, msi_alloc_irqs(&d->dev, 0, 1, 0, &irq) == 0, "interrupt"))
		return;
	irq_request(irq, rt_on_hit, d);
	rt_faults(t, u, 0, 0, 0);
	h = rt_hits;
	edu_raise(d);
	rt_wait_hit(h, WAIT_MS);
	rt_faults(t, u, 0, 0, &n);
	t_yaml(t, "device: %02x:%02x.%x", d->pci->bus, d->pci->dev, d->pci->fn);
	t_yaml(t, "requester_id: 0x%04x", pci_requester_id(d->pci));
	iommu()->requester_report(irq, d->pci, &r);
	t_yaml(t, "deliveries: %lu", rt_hits - h);
	t_yaml(t, "faults: %u  # last code 0x%x", n.total, n.last.code);
	t_check(t, rt_hits - h == 1 && n.total == 0, "%lu deliveries, %u faults (code 0x%x)",
		rt_hits - h, n.total, n.last.code);
	msi_free_irqs(&irq, 1);
}

/* Many blocked messages in a row, the records taken after each: every one
 * recorded, or the unit said it dropped some (VT-d FSTS.PFO, 11.4.9;
 * AMD-Vi an event log overflow), none reaching the victim, and nothing
 * hangs. */
TEST(iommu, fault_storm, .needs = "ir (vt-d or amd-vi), edu")
{
	const char *unrecorded = platform_gap(GAP_IR_FAULTS);
	uint32_t n = 200, recorded = 0, overflows = 0;
	struct iommu_entry spare;
	struct rt_faults f;
	struct attack k;
	struct msi_msg m;
	uint64_t h;

	if (attack_setup(t, &k, 1))
		return;
	spare = k.v;
	if (!t_check(t, iommu()->entry_reserve(&spare) == 0, "no IRTE free")) {
		attack_done(&k);
		return;
	}
	iommu()->entry_msg(&spare, &m);
	pci_msi_write_msg(k.a->pci, &k.a->msi, &m);
	h = rt_hits;
	for (uint32_t i = 0; i < n; i++) {
		edu_raise(k.a);
		edu_ack(k.a);
		/* one FRCD on QEMU's intel-iommu: taken between faults */
		recorded += rt_faults(t, k.u, IOMMU_BLOCK_NOT_PRESENT, k.a->pci, &f);
		overflows += f.overflows;
	}
	rt_quiet();
	recorded += rt_faults(t, k.u, IOMMU_BLOCK_NOT_PRESENT, k.a->pci, &f);
	overflows += f.overflows;
	iommu()->entry_release(&spare);
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
