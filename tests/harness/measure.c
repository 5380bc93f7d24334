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
#include "lib/string.h"

void series_init(struct series *s)
{
	memset(s, 0, offsetof(struct series, raw));
	lathist_init(&s->hist);
}

struct series *t_series(struct test_ctx *t)
{
	struct series *s = t_alloc(t, sizeof(*s));

	if (s)
		series_init(s);
	return s;
}

void series_add(struct series *s, int64_t cycles)
{
	uint64_t v;

	cycles -= s->offset;
	if (cycles < 0) {
		s->below++;
		cycles = 0;
	}
	v = (uint64_t)cycles;
	if (s->n++ == 0) {
		s->cold = v;
		return;
	}
	lathist_record(&s->hist, v);
	if (s->nraw < SERIES_RAW)
		s->raw[s->nraw++] = v;
}

/* TSC cycles to the figure's unit: ns, or cycles without a TSC frequency. */
static uint64_t unit(uint64_t cycles)
{
	return tsc.source >= 0 ? tsc_to_ns(cycles) : cycles;
}

/* The statistics of a series too long to keep: from its histogram,
 * percentiles within 1/256, the fixed-width histogram by bucket midpoint. */
static void hist_stats(const struct lathist *h, struct stats *st)
{
	memset(st, 0, sizeof(*st));
	st->n = h->count;
	st->min = unit(h->min);
	st->max = unit(h->max);
	st->mean = unit(lathist_mean(h));
	st->p50 = unit(lathist_percentile(h, 50, 100));
	st->p90 = unit(lathist_percentile(h, 90, 100));
	st->p99 = unit(lathist_percentile(h, 99, 100));
	st->p999 = unit(lathist_percentile(h, 999, 1000));
	st->p9999 = unit(lathist_percentile(h, 9999, 10000));
	st->p999999 = unit(lathist_percentile(h, 999999, 1000000));
	stats_hist_frame(st);
	for (uint32_t i = 0; i < LATHIST_BUCKETS; i++)
		if (h->bucket[i])
			stats_hist_add(st, unit(lathist_lower(i) + lathist_width(i) / 2), h->bucket[i]);
	st->hist_overflow += h->beyond;
}

void series_stats(struct series *s, struct stats *st)
{
	if (s->n < 2)
		memset(st, 0, sizeof(*st));
	else if (s->n - 1 <= SERIES_RAW) {
		for (uint32_t i = 0; i < s->nraw; i++)
			s->raw[i] = unit(s->raw[i]);
		stats_compute(s->raw, s->nraw, st);
	} else {
		hist_stats(&s->hist, st);
	}
}

void t_latency(struct test_ctx *t, const char *label, struct series *s,
	       const struct irq_tally *tally)
{
	const char *in = label ? "  " : "";
	char hist[HIST_BUCKETS * 22 + 8];
	int exact = s->n >= 2 && s->n - 1 <= SERIES_RAW;
	struct stats st;
	size_t h = 0;

	if (label)
		t_yaml(t, "%s:", label);
	t->figures++;
	if (s->n < 2) {
		t_yaml(t, "%ssamples: %lu", in, s->n);
		if (tally)
			t_tally(t, label, tally);	/* why there are none, as a rule */
		t_fail(t, "%s%s%lu samples: too few for a distribution", label ? label : "",
		       label ? ": " : "", s->n);
		memset(&t->last, 0, sizeof(t->last));
		return;
	}
	series_stats(s, &st);
	if (t->nfigures < TEST_FIGURES_MAX) {
		struct t_figure *f = &t->figure[t->nfigures++];

		ksnprintf(f->label, sizeof(f->label), "%s", label ? label : "");
		f->unit = tsc.source >= 0 ? "ns" : "cycles";
		f->p50 = st.p50;
		f->p99 = st.p99;
		f->max = st.max;
		f->samples = st.n;
		f->lost = -1;
	}
	t_yaml(t, "%sunit: %s", in, tsc.source >= 0 ? "ns" : "tsc_cycles");
	t_yaml(t, "%ssamples: %lu", in, st.n);
	if (exact)
		t_yaml(t, "%sresolution: exact", in);
	else
		t_yaml(t, "%sresolution: {percentiles_ppm: %u, kept: %u}", in, LATHIST_ERROR_PPM,
		       SERIES_RAW);
	t_yaml(t, "%scold: %lu", in, unit(s->cold));
	t_yaml(t, "%smin: %lu", in, st.min);
	t_yaml(t, "%sp50: %lu", in, st.p50);
	t_yaml(t, "%sp90: %lu", in, st.p90);
	t_yaml(t, "%sp99: %lu", in, st.p99);
	t_yaml(t, "%sp999: %lu", in, st.p999);
	if (st.n >= 10000)
		t_yaml(t, "%sp9999: %lu", in, st.p9999);
	if (st.n >= 1000000)
		t_yaml(t, "%sp999999: %lu", in, st.p999999);
	t_yaml(t, "%smax: %lu", in, st.max);
	t_yaml(t, "%smean: %lu", in, st.mean);
	for (int i = 0; i < HIST_BUCKETS; i++)
		h += ksnprintf(hist + h, sizeof(hist) - h, "%s%lu", i ? ", " : "", st.hist[i]);
	t_yaml(t, "%shistogram: {lo: %lu, width: %lu, counts: [%s], overflow: %lu}",
	       in, st.hist_lo, st.hist_width, hist, st.hist_overflow);
	t->last = st;
	if (tally)
		t_tally(t, label, tally);
}

void t_tally(struct test_ctx *t, const char *label, const struct irq_tally *tally)
{
	const char *in = label ? "  " : "";

	t_yaml(t, "%striggers: %lu", in, tally->triggers);
	t_yaml(t, "%sdelivered: %lu", in, tally->delivered);
	t_yaml(t, "%slost: %lu", in, tally->lost);
	/* The figure just reported under the same label, for the summary. */
	if (t->nfigures && !strcmp(t->figure[t->nfigures - 1].label, label ? label : ""))
		t->figure[t->nfigures - 1].lost = (int64_t)tally->lost;
	t_yaml(t, "%sduplicates: %lu", in, tally->duplicates);
	t_yaml(t, "%sspurious: %lu", in, tally->spurious);
	t_check(t, !tally->lost && !tally->duplicates && !tally->spurious,
		"%s%s%lu lost, %lu duplicated, %lu spurious interrupts", label ? label : "",
		label ? ": " : "", tally->lost, tally->duplicates, tally->spurious);
}

void t_target_start(struct test_ctx *t, uint32_t cpu, struct series *s)
{
	struct tsc_offset off = { 0 };

	t->target.cpu = cpu;
	t->target.valid = hygiene_read_on(cpu, &t->target.h0) == 0;
	t->target.offset_error = 0;
	t->target.uncertainty = 0;
	s->offset = 0;
	if (cpu == this_cpu()->index)
		return;
	/* A host that holds a vCPU off its core stretches every round trip of
	 * a burst: up to TSC_OFFSET_TRIES bursts, the tightest kept. */
	for (uint32_t k = 0; k < TSC_OFFSET_TRIES; k++) {
		struct tsc_offset o;
		int e = smp_tsc_offset(cpu, 200, &o);

		if (e) {
			t->target.offset_error = e;
			return;
		}
		if (k == 0 || o.uncertainty < off.uncertainty)
			off = o;
		if (tsc_to_ns(off.uncertainty) <= CROSS_CPU_OFFSET_MAX_NS / 4)
			break;
	}
	s->offset = off.offset;
	s->uncertainty = off.uncertainty;
	t->target.uncertainty = off.uncertainty;
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

/* A cross-CPU figure left out: its map is opened all the same (callers add
 * keys to it) with why, if known, and the tally, judged as ever: a lost
 * interrupt has nothing to do with the clock. */
static void left_out(struct test_ctx *t, const char *label, const char *why,
		     const struct irq_tally *tally)
{
	t_yaml(t, "%s:", label);
	if (why)
		t_yaml(t, "  %s", why);
	t_yaml(t, "  figure: left out");
	if (tally)
		t_tally(t, label, tally);
}

void t_latency_on(struct test_ctx *t, const char *label, uint32_t cpu, struct series *s,
		  const struct irq_tally *tally)
{
	char why[64];
	uint64_t mag = s->offset < 0 ? (uint64_t)-s->offset : (uint64_t)s->offset;

	if (cpu == this_cpu()->index) {
		t_latency(t, label, s, tally);
		t_yaml(t, "%srelation: self", label ? "  " : "");
		return;
	}
	if (!label)
		label = "figure";	/* a cross-CPU figure is always nested */
	if (!t_check(t, t->target.cpu == cpu, "%s: t_target_start() was not called for CPU %u",
		     label, cpu) ||
	    !t_check(t, t->target.offset_error == 0, "%s: TSC offset of CPU %u not measured: %s",
		     label, cpu, err_name(t->target.offset_error))) {
		left_out(t, label, 0, tally);
		return;
	}
	/* The figure is left out for the clock alone (left_out). */
	if (tsc_to_ns(t->target.uncertainty) > CROSS_CPU_UNCERTAINTY_MAX_NS) {
		ksnprintf(why, sizeof(why), "tsc_offset_uncertainty_ns: %lu",
			  tsc_to_ns(t->target.uncertainty));
		t_skip(t, "%s: CPU %u's TSC offset is known only to +-%lu ns (the tightest of %u "
		       "ping-pong bursts; an overloaded host?), beyond %u ns: not measured",
		       label, cpu, tsc_to_ns(t->target.uncertainty), TSC_OFFSET_TRIES,
		       CROSS_CPU_UNCERTAINTY_MAX_NS);
		left_out(t, label, why, tally);
		return;
	}
	if (tsc_to_ns(mag) > CROSS_CPU_OFFSET_MAX_NS) {
		ksnprintf(why, sizeof(why), "tsc_offset_ns: %s%lu", s->offset < 0 ? "-" : "",
			  tsc_to_ns(mag));
		t_skip(t, "%s: CPU %u's TSC is %s%lu ns from this CPU's, beyond %u ns: not one clock",
		       label, cpu, s->offset < 0 ? "-" : "", tsc_to_ns(mag),
		       CROSS_CPU_OFFSET_MAX_NS);
		left_out(t, label, why, tally);
		return;
	}
	t_latency(t, label, s, tally);
	t_yaml(t, "  relation: %s", topo_relation_name(smp_relation(this_cpu()->index, cpu)));
	t_yaml(t, "  tsc_offset_ns: %s%lu", s->offset < 0 ? "-" : "", tsc_to_ns(mag));
	t_yaml(t, "  tsc_offset_uncertainty_ns: %lu", tsc_to_ns(t->target.uncertainty));
	t_yaml(t, "  below_offset: %lu", s->below);
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

/* Whether p holds a delivery after count0 stamped no earlier than `since`
 * (this CPU's clock). The stamp is on the target's clock: less the series'
 * offset, give or take the offset's uncertainty (t_target_start). */
static int fresh(const struct irq_probe *p, uint64_t count0, uint64_t since,
		 const struct series *s)
{
	return p->count != count0 &&
	       (int64_t)(p->stamp - (uint64_t)s->offset + s->uncertainty - since) >= 0;
}

int probe_wait(struct irq_probe *p, uint64_t count0, uint64_t since, const struct series *s,
	       uint64_t wait)
{
	uint64_t start = rdtsc();

	while (!fresh(p, count0, since, s) && rdtsc() - start < wait)
		cpu_relax();
	return fresh(p, count0, since, s);
}

uint64_t measure_irq(struct irq_probe *p, uint64_t (*trigger)(void *), void *ctx,
		     uint64_t n, uint64_t wait, struct series *s, struct irq_tally *tally)
{
	uint64_t noise0 = irq_counts.spurious + irq_counts.unowned, k = 0;
	uint32_t in_a_row = 0;

	p->count = 0;
	for (uint64_t i = 0; i < n && in_a_row < LOST_IN_A_ROW_MAX; i++) {
		uint64_t before = p->count, t0, now;

		tally->triggers++;
		t0 = trigger(ctx);	/* may lie ahead: a timer's expiry */
		/* A delivery stamped before this trigger's write (or, for a timer,
		 * before the arming returned) is a late one of an earlier trigger:
		 * it shows up as a duplicate, and this trigger waits on. */
		now = rdtsc();
		if (!probe_wait(p, before, t0 < now ? t0 : now, s, wait)) {
			tally->lost++;
			in_a_row++;
			continue;
		}
		in_a_row = 0;
		series_add(s, (int64_t)(p->stamp - t0));
		k++;
	}
	/* Deliveries after the last trigger's count as duplicates too. */
	delay_ms(TAIL_MS);
	tally->delivered = p->count;
	if (p->count > tally->triggers - tally->lost)
		tally->duplicates = p->count - (tally->triggers - tally->lost);
	tally->spurious = irq_counts.spurious + irq_counts.unowned - noise0;
	return k;
}
