// SPDX-License-Identifier: MIT
/* Latency figures as YAML under a test point (docs/report-format.md). */
#include "kernel/test.h"
#include "kernel/stats.h"
#include "arch/x86/tsc.h"

void t_latency(struct test_ctx *t, uint64_t *samples, uint32_t n,
	       const struct irq_tally *tally)
{
	char hist[HIST_BUCKETS * 12 + 8];
	struct stats s;
	size_t h = 0;

	if (n < 2) {
		t_fail(t, "%u samples: too few for a distribution", n);
		return;
	}
	/* Without a TSC frequency source, ns would be a guess: stay in cycles. */
	if (tsc.source >= 0)
		for (uint32_t i = 0; i < n; i++)
			samples[i] = tsc_to_ns(samples[i]);
	stats_compute(samples + 1, n - 1, &s);

	t_yaml(t, "unit: %s", tsc.source >= 0 ? "ns" : "tsc_cycles");
	t_yaml(t, "samples: %u", s.n);
	t_yaml(t, "cold: %lu", samples[0]);
	t_yaml(t, "min: %lu", s.min);
	t_yaml(t, "p50: %lu", s.p50);
	t_yaml(t, "p90: %lu", s.p90);
	t_yaml(t, "p99: %lu", s.p99);
	t_yaml(t, "p999: %lu", s.p999);
	t_yaml(t, "max: %lu", s.max);
	t_yaml(t, "mean: %lu", s.mean);
	for (int i = 0; i < HIST_BUCKETS; i++)
		h += ksnprintf(hist + h, sizeof(hist) - h, "%s%u", i ? ", " : "", s.hist[i]);
	t_yaml(t, "histogram: {lo: %lu, width: %lu, counts: [%s], overflow: %u}",
	       s.hist_lo, s.hist_width, hist, s.hist_overflow);
	if (!tally)
		return;
	t_yaml(t, "triggers: %lu", tally->triggers);
	t_yaml(t, "delivered: %lu", tally->delivered);
	t_yaml(t, "lost: %lu", tally->lost);
	t_yaml(t, "duplicates: %lu", tally->duplicates);
	t_yaml(t, "spurious: %lu", tally->spurious);
	t_check(t, !tally->lost && !tally->duplicates && !tally->spurious,
		"%lu lost, %lu duplicated, %lu spurious interrupts", tally->lost,
		tally->duplicates, tally->spurious);
}
