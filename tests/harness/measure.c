// SPDX-License-Identifier: MIT
/* Latency figures as YAML under a test point (docs/report-format.md), and
 * the generic interrupt-latency loop. */
#include "tests/harness/test.h"
#include "lib/stats.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irq.h"
#include "arch/x86/smp.h"
#include "arch/x86/tsc.h"
#include "lib/errno.h"

void t_latency(struct test_ctx *t, const char *label, uint64_t *samples, uint32_t n,
	       const struct irq_tally *tally)
{
	const char *in = label ? "  " : "";
	char hist[HIST_BUCKETS * 12 + 8];
	struct stats s;
	size_t h = 0;

	if (label)
		t_yaml(t, "%s:", label);
	t->figures++;
	if (n < 2) {
		t_yaml(t, "%ssamples: %u", in, n);
		t_fail(t, "%s%s%u samples: too few for a distribution", label ? label : "",
		       label ? ": " : "", n);
		return;
	}
	/* Without a TSC frequency source, ns would be a guess: stay in cycles. */
	if (tsc.source >= 0)
		for (uint32_t i = 0; i < n; i++)
			samples[i] = tsc_to_ns(samples[i]);
	stats_compute(samples + 1, n - 1, &s);
	if (t->nfigures < TEST_FIGURES_MAX) {
		struct t_figure *f = &t->figure[t->nfigures++];

		ksnprintf(f->label, sizeof(f->label), "%s", label ? label : "");
		f->unit = tsc.source >= 0 ? "ns" : "cycles";
		f->p50 = s.p50;
		f->p99 = s.p99;
		f->max = s.max;
	}

	t_yaml(t, "%sunit: %s", in, tsc.source >= 0 ? "ns" : "tsc_cycles");
	t_yaml(t, "%ssamples: %u", in, s.n);
	t_yaml(t, "%scold: %lu", in, samples[0]);
	t_yaml(t, "%smin: %lu", in, s.min);
	t_yaml(t, "%sp50: %lu", in, s.p50);
	t_yaml(t, "%sp90: %lu", in, s.p90);
	t_yaml(t, "%sp99: %lu", in, s.p99);
	t_yaml(t, "%sp999: %lu", in, s.p999);
	t_yaml(t, "%smax: %lu", in, s.max);
	t_yaml(t, "%smean: %lu", in, s.mean);
	for (int i = 0; i < HIST_BUCKETS; i++)
		h += ksnprintf(hist + h, sizeof(hist) - h, "%s%u", i ? ", " : "", s.hist[i]);
	t_yaml(t, "%shistogram: {lo: %lu, width: %lu, counts: [%s], overflow: %u}",
	       in, s.hist_lo, s.hist_width, hist, s.hist_overflow);
	if (!tally)
		return;
	t_yaml(t, "%striggers: %lu", in, tally->triggers);
	t_yaml(t, "%sdelivered: %lu", in, tally->delivered);
	t_yaml(t, "%slost: %lu", in, tally->lost);
	t_yaml(t, "%sduplicates: %lu", in, tally->duplicates);
	t_yaml(t, "%sspurious: %lu", in, tally->spurious);
	t_check(t, !tally->lost && !tally->duplicates && !tally->spurious,
		"%s%s%lu lost, %lu duplicated, %lu spurious interrupts", label ? label : "",
		label ? ": " : "", tally->lost, tally->duplicates, tally->spurious);
}

void t_target_start(struct test_ctx *t, uint32_t cpu)
{
	t->target.cpu = cpu;
	t->target.valid = hygiene_read_on(cpu, &t->target.h0) == 0;
}

/* What t_target_start() saw change on the figure's CPU, if it was called. */
static void target_platform(struct test_ctx *t, uint32_t cpu)
{
	struct hygiene h1;
	char smis[24] = "unknown", ratio[24] = "unknown";
	int valid = t->target.valid && t->target.cpu == cpu;

	t->target.valid = 0;
	if (!valid || hygiene_read_on(cpu, &h1)) {
		t_yaml(t, "  target_platform: {cpu: %u, smis: unknown, aperf_mperf_pct: unknown}", cpu);
		return;
	}
	if (t->target.h0.has_smi && h1.has_smi)
		ksnprintf(smis, sizeof(smis), "%lu", hygiene_smis(&t->target.h0, &h1));
	if (hygiene_aperf_pct(&t->target.h0, &h1) >= 0)
		ksnprintf(ratio, sizeof(ratio), "%ld", hygiene_aperf_pct(&t->target.h0, &h1));
	t_yaml(t, "  target_platform: {cpu: %u, smis: %s, aperf_mperf_pct: %s}", cpu, smis, ratio);
}

void t_latency_on(struct test_ctx *t, const char *label, uint32_t cpu, uint64_t *samples,
		  uint32_t n, const struct irq_tally *tally)
{
	struct tsc_offset off = { 0 };
	uint64_t mag, below = 0;
	int e;

	if (cpu == this_cpu()->index) {
		t_latency(t, label, samples, n, tally);
		t_yaml(t, "%srelation: self", label ? "  " : "");
		return;
	}
	if (!label)
		label = "figure";	/* a cross-CPU figure is always nested */
	e = smp_tsc_offset(cpu, 200, &off);
	if (!t_check(t, e == 0, "%s: TSC offset of CPU %u not measured: %s", label, cpu,
		     err_name(e)))
		return;
	mag = off.offset < 0 ? (uint64_t)-off.offset : (uint64_t)off.offset;
	if (tsc_to_ns(mag) > CROSS_CPU_OFFSET_MAX_NS) {
		t_yaml(t, "%s: {tsc_offset_ns: %s%lu, figure: left out}", label,
		       off.offset < 0 ? "-" : "", tsc_to_ns(mag));
		t_skip(t, "%s: CPU %u's TSC is %s%lu ns from this CPU's, beyond %u ns: not one clock",
		       label, cpu, off.offset < 0 ? "-" : "", tsc_to_ns(mag),
		       CROSS_CPU_OFFSET_MAX_NS);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		int64_t v = (int64_t)samples[i] - off.offset;

		below += v < 0;
		samples[i] = v < 0 ? 0 : (uint64_t)v;
	}
	t_latency(t, label, samples, n, tally);
	t_yaml(t, "  relation: %s", topo_relation_name(smp_relation(this_cpu()->index, cpu)));
	t_yaml(t, "  tsc_offset_ns: %s%lu", off.offset < 0 ? "-" : "", tsc_to_ns(mag));
	t_yaml(t, "  tsc_offset_uncertainty_ns: %lu", tsc_to_ns(off.uncertainty));
	t_yaml(t, "  below_offset: %lu", below);
	target_platform(t, cpu);
}

/* Give up after this many triggers in a row were lost: the source is dead. */
#define LOST_IN_A_ROW_MAX 3
/* How long to watch for duplicates after the last trigger. */
#define TAIL_MS 20

void irq_probe_handler(uint64_t tsc_now, void *arg)
{
	struct irq_probe *p = arg;

	p->stamp = tsc_now;
	p->count++;
}

uint32_t measure_irq(struct irq_probe *p, uint64_t (*trigger)(void *), void *ctx,
		     uint32_t n, uint64_t wait, uint64_t *samples, struct irq_tally *tally)
{
	uint64_t noise0 = irq_counts.spurious + irq_counts.unowned;
	uint32_t k = 0, in_a_row = 0;

	p->count = 0;
	for (uint32_t i = 0; i < n && in_a_row < LOST_IN_A_ROW_MAX; i++) {
		uint64_t before = p->count, start = rdtsc(), t0, fresh, now;

		tally->triggers++;
		t0 = trigger(ctx);	/* may lie ahead: a timer's expiry */
		/* A delivery stamped before this trigger's write (or, for a timer,
		 * before the arming returned) is a late one of an earlier trigger:
		 * it shows up as a duplicate, and this trigger waits on. */
		now = rdtsc();
		fresh = t0 < now ? t0 : now;
		do
			now = rdtsc();
		while ((p->count == before || (int64_t)(p->stamp - fresh) < 0) && now - start < wait);
		if (p->count == before || (int64_t)(p->stamp - fresh) < 0) {
			tally->lost++;
			in_a_row++;
			continue;
		}
		in_a_row = 0;
		samples[k++] = p->stamp - t0;
	}
	/* Deliveries after the last trigger's count as duplicates too. */
	delay_ms(TAIL_MS);
	tally->delivered = p->count;
	if (p->count > tally->triggers - tally->lost)
		tally->duplicates = p->count - (tally->triggers - tally->lost);
	tally->spurious = irq_counts.spurious + irq_counts.unowned - noise0;
	return k;
}
