// SPDX-License-Identifier: MIT
/*
 * What the iommu.* tests lean on (tests/fw/remap_util.h): an edu's
 * deliveries counted, bounded waits, the edu latency loop, triggers while
 * masked at the source or at the remapping entry, and the report the
 * IOMMU family's hooks write to.
 */
#include "tests/fw/remap_util.h"
#include "drivers/iommu/iommu.h"
#include "drivers/misc/edu.h"
#include "drivers/pci/pci.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"
#include "lib/errno.h"
#include "lib/stats.h"

volatile uint64_t rt_hits;
volatile uint32_t rt_hit_cpu;

void rt_on_hit(uint64_t tsc_now, void *arg)
{
	(void)tsc_now;
	edu_ack(arg);
	rt_hit_cpu = this_cpu()->index;
	rt_hits++;
}

/* The index-th edu, or SKIP. */
struct edu *rt_edu(struct test_ctx *t, uint32_t index)
{
	struct edu *e;
	int err = edu_get(index, &e);

	if (err == -ENODEV)
		t_skip(t, "needs %u edu device%s (QEMU: -device edu)", index + 1, index ? "s" : "");
	else if (err)
		t_skip(t, "%s", e->error);
	return err ? 0 : e;
}

/* 1 when a delivery came within `ms`, 0 when none did. */
uint64_t rt_wait_hit(uint64_t before, uint64_t ms)
{
	(void)wait_ms(rt_hits != before, ms);
	return rt_hits - before;
}

void rt_quiet(void)
{
	delay_ms(QUIET_MS);
}

struct edu *rt_edu_behind_bridge(struct test_ctx *t)
{
	struct edu *e;

	for (uint32_t i = 0; edu_get(i, &e) != -ENODEV; i++)
		if (!e->status && pci_requester_id(e->pci) != pci_rid(e->pci))
			return e;
	t_skip(t, "no edu behind a PCIe-to-PCI bridge (QEMU: -device pcie-pci-bridge,id=pb "
	       "-device edu,bus=pb,addr=3)");
	return 0;
}

/* The generic measure_irq loop with the edu source's trigger. */
static struct irq_probe src_probe;

static void on_probe(uint64_t tsc_now, void *arg)
{
	struct irq_source *s = arg;

	if (s->ack)
		(void)s->ack(s, 0);	/* the edu's: always its trigger's (the igb has none) */
	irq_probe_handler(tsc_now, &src_probe);
}

static uint64_t src_trigger(void *ctx)
{
	struct irq_source *s = ctx;

	return s->trigger(s, 0);
}

uint64_t rt_source_samples(struct irq_source *s, struct series *smp, uint64_t n)
{
	struct irq_tally tally = { 0 };
	struct irq_desc *irq;
	uint64_t k;

	if (msi_alloc_irqs(s->dev, 0, 1, 0, &irq))
		return 0;
	irq_request(irq, on_probe, s);
	k = measure_irq(&src_probe, src_trigger, s, n, ms_to_tsc(WAIT_MS), smp, &tally);
	msi_free_irqs(&irq, 1);
	return k;
}

/* Remapping on, then off for the unit and the same device domain given
 * its parent again from the topology (now the vector domain), then on. */
static int remap(struct test_ctx *t, struct iommu_unit *u, struct msi_device *dev, int on)
{
	int e = iommu()->set_remapping(u, on);

	if (!t_check(t, e == 0, "remapping %s: %s", on ? "on" : "off", iommu()->unit_error(u)))
		return e;
	e = msi_device_update_parent(dev);
	t_check(t, e == 0, "edu's domain kept its parent: %s", err_name(e));
	return e;
}

void rt_cost_ratio(struct test_ctx *t, struct irq_source *s, const char *label,
		   struct iommu_unit *unit)
{
	uint64_t n = t->samples < 5000 ? t->samples : 5000, kon, koff = 0;
	struct series *on = t_series(t), *off = t_series(t);
	struct stats son, soff;

	if (!t_check(t, on && off, "no memory"))
		return;
	kon = rt_source_samples(s, on, n);
	if (remap(t, unit, s->dev, 0) == 0)
		koff = rt_source_samples(s, off, n);
	remap(t, unit, s->dev, 1);
	t_check(t, kon == n && koff == n, "%s: %lu and %lu of %lu delivered", s->name, kon, koff, n);
	series_stats(on, &son);
	series_stats(off, &soff);
	if (!label) {
		t_yaml(t, "remapped: {p50: %lu, p99: %lu, mean: %lu}", son.p50, son.p99, son.mean);
		t_yaml(t, "compatibility: {p50: %lu, p99: %lu, mean: %lu}", soff.p50, soff.p99,
		       soff.mean);
		t_yaml(t, "unit: ns");
		t_yaml(t, "on_over_off_p50_pct: %lu", soff.p50 ? son.p50 * 100 / soff.p50 : 0);
		return;
	}
	t_yaml(t, "%s: {remapped_p50: %lu, compatibility_p50: %lu, on_over_off_p50_pct: %lu}", label,
	       son.p50, soff.p50, soff.p50 ? son.p50 * 100 / soff.p50 : 0);
}

void rt_cost_ratios(struct test_ctx *t, struct iommu_unit *unit)
{
	struct irq_source *igb = source_get("igb");

	rt_cost_ratio(t, source_get("edu"), NULL, unit);
	if (igb && !igb->absent[0])
		rt_cost_ratio(t, igb, "igb", unit);
	else
		t_yaml(t, "igb: absent  # %s", igb ? igb->absent : "no such source");
}

/* --- masking: at the source against at the IRTE ------------------------ */

struct irq_source *rt_maskable_source(void)
{
	struct irq_source *s = source_get("igb");

	if (!s || s->absent[0])
		s = source_get("e1000e");
	return s && !s->absent[0] ? s : 0;
}

volatile uint64_t rt_src_hits;

void rt_on_src(uint64_t tsc_now, void *arg)
{
	struct irq_source *s = arg;

	(void)tsc_now;
	if (s->ack && !s->ack(s, 0)) {
		s->resends++;	/* the device's own message, not a delivery */
		return;
	}
	rt_src_hits++;
}

/* Mask or unmask one way or the other: 0, or the error. */
static int mask(struct irq_desc *irq, int at_irte, int masked)
{
	if (at_irte)
		return iommu_entry_mask(irq, masked);
	return masked ? irq_mask(irq) : irq_unmask(irq);
}

/* Trigger while masked one way or the other: 1 = held and delivered on
 * unmask, 0 = dropped, -1 = got through the mask, -2 = (un)masking failed. */
int rt_masked_trigger(struct irq_source *s, struct irq_desc *irq, int at_irte)
{
	uint64_t h = rt_src_hits;

	if (mask(irq, at_irte, 1))
		return -2;
	s->trigger(s, 0);
	rt_quiet();
	if (rt_src_hits != h)
		return -1;
	if (mask(irq, at_irte, 0))
		return -2;
	(void)wait_ms(rt_src_hits != h, QUIET_MS);
	return rt_src_hits != h;
}

void rt_mask_source_vs_irte(struct test_ctx *t, struct iommu_unit *unit)
{
	const char *irte_off = iommu()->entry_off;
	struct irq_source *s = rt_maskable_source();
	struct series *ms = t_series(t), *mi = t_series(t);
	uint32_t n = 500, bad = 0;
	struct irq_desc *irq;
	int held_src, held_irte;

	if (!s) {
		t_skip(t, "no source that masks at the source (igb or e1000e MSI-X)");
		return;
	}
	if (!t_check(t, ms && mi && msi_alloc_irqs(s->dev, 0, 1, 0, &irq) == 0, "setup"))
		return;
	irq_request(irq, rt_on_src, s);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t t0 = rdtsc();

		bad += irq_mask(irq) != 0;
		bad += irq_unmask(irq) != 0;
		series_add(ms, (int64_t)(rdtsc() - t0));
		t0 = rdtsc();
		bad += mask(irq, 1, 1) != 0;
		bad += mask(irq, 1, 0) != 0;
		series_add(mi, (int64_t)(rdtsc() - t0));
	}
	held_src = rt_masked_trigger(s, irq, 0);
	held_irte = rt_masked_trigger(s, irq, 1);
	rt_faults(t, unit, 0, 0, 0);
	msi_free_irqs(&irq, 1);
	t_yaml(t, "source: %s", s->name);
	t_yaml(t, "trigger_while_source_masked: %s", rt_held_name(held_src));
	t_yaml(t, "trigger_while_irte_masked: %s  # %s", rt_held_name(held_irte), irte_off);
	t_latency(t, "source_mask_unmask", ms, NULL);
	t_latency(t, "irte_mask_unmask", mi, NULL);
	t_check(t, bad == 0, "%u mask or unmask calls failed", bad);
	t_check(t, held_src == 1, "a message raised while masked at the source was not held");
	t_check(t, held_irte >= 0, "a message got through %s", irte_off);
}

const char *rt_held_name(int held)
{
	return held > 0 ? "held" : held == 0 ? "dropped" : held == -1 ? "delivered" : "mask failed";
}

void rt_affinity_rewrites_only_irte(struct test_ctx *t, struct edu *e)
{
	struct msi_msg before, after;
	struct iommu_entry ent = { 0 };
	struct irq_desc *irq;
	uint64_t h;

	if (cpus_online < 2) {
		t_skip(t, "one CPU online: nowhere to move to");
		return;
	}
	if (!t_check(t, msi_alloc_irqs(&e->dev, 0, 1, 0, &irq) == 0, "edu interrupt"))
		return;
	irq_request(irq, rt_on_hit, e);
	pci_msi_read_msg(e->pci, &e->msi, &before);
	t_check(t, irq_set_affinity(irq, 1) == 0, "move to cpu1 failed");
	pci_msi_read_msg(e->pci, &e->msi, &after);
	t_check(t, before.address_lo == after.address_lo && before.data == after.data,
		"device message changed: 0x%x/0x%x -> 0x%x/0x%x", before.address_lo, before.data,
		after.address_lo, after.data);
	if (t_check(t, iommu_entry_of(irq, &ent) != 0, "edu is not remapped"))
		t_check(t, ent.present && ent.dest == cpus[1].apic_id && ent.vector == irq_vector(irq),
			"IRTE names APIC ID %u vector 0x%x, not cpu1's %u and 0x%x", ent.dest,
			ent.vector, cpus[1].apic_id, irq_vector(irq));
	h = rt_hits;
	edu_raise(e);
	t_check(t, rt_wait_hit(h, WAIT_MS) == 1 && rt_hit_cpu == 1, "delivered %lu times, on cpu%u",
		rt_hits - h, rt_hit_cpu);
	t_yaml(t, "irte_index: %u", ent.index);
	t_yaml(t, "delivered_on: cpu%u", rt_hit_cpu);
	msi_free_irqs(&irq, 1);
}

/* --- the report the family's hooks write to ----------------------------- */

static void report_yaml(void *arg, const char *line)
{
	t_yaml(arg, "%s", line);
}

static void report_fail(void *arg, const char *why)
{
	t_fail(arg, "%s", why);
}

struct iommu_report rt_report(struct test_ctx *t)
{
	return (struct iommu_report){ .arg = t, .yaml = report_yaml, .fail = report_fail };
}

uint32_t rt_faults(struct test_ctx *t, struct iommu_unit *u, int why, const struct pci_dev *sender,
		   struct rt_faults *out)
{
	struct iommu_fault f;
	struct rt_faults n = { 0 };

	while (n.total < RT_FAULTS_MAX && iommu()->fault_take(u, &f)) {
		if (n.total++ < 4)
			t_yaml(t, "fault%u: %s", n.total - 1, f.text);
		n.matching += sender && iommu()->fault_is(&f, (enum iommu_block)why, sender);
		n.overflows += f.overflow;
		n.last = f;
	}
	if (out)
		*out = n;
	return n.matching;
}
