// SPDX-License-Identifier: MIT
/* timer.*: TSC frequency sources agree; the cost of a timestamp. */
#include "tests/harness/test.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"

#define AGREE_PPM 20000	/* 2 %: sources measured over 25 ms on a busy host */

static uint64_t diff_ppm(uint64_t a, uint64_t b)
{
	uint64_t d = a > b ? a - b : b - a;

	return d * 1000000 / b;
}

TEST(timer, tsc_calibration)
{
	/* CPUID 0x16 is the processor base frequency: on some CPUs not the TSC
	 * rate (SDM Vol. 2A, CPUID 16H), so it is reported, never held to. */
	static const int exact[] = { TSC_CPUID15, TSC_HPET, TSC_PMTIMER };

	for (int s = 0; s < TSC_NSRC; s++)
		t_yaml(t, "%s: {hz: %lu, note: \"%s\"}", tsc_source_name(s), tsc.fig[s].hz,
		       tsc.fig[s].note);
	t_yaml(t, "chosen: %s", tsc_source_name(tsc.source));
	t_yaml(t, "hz: %lu", tsc.hz);
	t_yaml(t, "invariant: %s", tsc.invariant ? "true" : "false");
	if (!t_check(t, tsc.source >= 0, "no TSC frequency source (CPUID 0x15/0x16, HPET, PM timer)"))
		return;
	t_check(t, tsc.hz >= 10000000ull && tsc.hz <= 20000000000ull,
		"TSC at %lu Hz is implausible", tsc.hz);
	for (unsigned i = 0; i < 3; i++) {
		for (unsigned j = i + 1; j < 3; j++) {
			const struct tsc_figure *a = &tsc.fig[exact[i]], *b = &tsc.fig[exact[j]];

			if (!a->hz || !b->hz)
				continue;
			t_yaml(t, "%s_vs_%s_ppm: %lu", tsc_source_name(exact[i]),
			       tsc_source_name(exact[j]), diff_ppm(a->hz, b->hz));
			t_check(t, diff_ppm(a->hz, b->hz) <= AGREE_PPM,
				"%s says %lu Hz, %s says %lu Hz", tsc_source_name(exact[i]),
				a->hz, tsc_source_name(exact[j]), b->hz);
		}
	}
	if (tsc.fig[TSC_CPUID16].hz)
		t_yaml(t, "cpuid16_vs_chosen_ppm: %lu", diff_ppm(tsc.fig[TSC_CPUID16].hz, tsc.hz));
}

/* Two back-to-back TSC reads: what one timestamp costs. */
TEST(timer, timestamp_overhead)
{
	uint32_t n = t->samples;
	uint64_t *s = t_alloc(t, n * sizeof(*s));

	if (!t_check(t, s != NULL, "no memory for %u samples", n))
		return;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t a = rdtsc();

		s[i] = rdtsc() - a;
	}
	t_latency(t, NULL, s, n, NULL);
}
