// SPDX-License-Identifier: MIT
/* timer.*: TSC frequency sources agree; the cost of a timestamp; the time
 * the platform steals; SMIs counted. */
#include "tests/harness/test.h"
#include "arch/x86/cpu.h"
#include "arch/x86/hygiene.h"
#include "arch/x86/irq.h"
#include "arch/x86/platform.h"
#include "arch/x86/tsc.h"
#include "lib/stats.h"

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
	struct series *s = t_series(t);

	if (!t_check(t, s != NULL, "no memory for a series"))
		return;
	for (uint64_t i = 0; i < t->samples; i++) {
		uint64_t a = rdtsc();

		series_add(s, (int64_t)(rdtsc() - a));
	}
	t_latency(t, NULL, s, NULL);
}

#define GAPS_MS		100	/* one window, as Linux's hwlat tracer spins in */
#define GAP_US		10	/* hwlat's default threshold */
#define GAPS_KEPT	4096

/* The platform's stolen time: spin with interrupts off reading the TSC and
 * count every step longer than GAP_US (an SMI, a hypervisor exit, a host
 * preempting this vCPU). Reported, not judged; the one check is that the
 * TSC never runs backwards on one CPU. */
TEST(timer, gaps, .budget_ms = 5000)
{
	uint64_t *gap = t_alloc(t, GAPS_KEPT * sizeof(*gap));
	uint64_t t0, last, end, bound = us_to_tsc(GAP_US), total = 0, max = 0;
	uint32_t n = 0, all = 0, backwards = 0;
	struct hygiene h0, h1;

	if (!t_check(t, gap != NULL, "no memory"))
		return;
	hygiene_read(&h0);
	irq_disable();
	last = t0 = rdtsc();
	end = t0 + ms_to_tsc(GAPS_MS);
	while (last < end) {
		uint64_t now = rdtsc(), d = now - last;

		if ((int64_t)d < 0) {
			backwards++;
		} else if (d > bound) {
			all++;
			total += d;
			max = d > max ? d : max;
			if (n < GAPS_KEPT)
				gap[n++] = d;
		}
		last = now;
	}
	irq_enable();
	hygiene_read(&h1);
	t_yaml(t, "window_ms: %d", GAPS_MS);
	t_yaml(t, "threshold_ns: %d", GAP_US * 1000);
	t_yaml(t, "gaps: %u", all);
	t_yaml(t, "max_gap_ns: %lu", tsc_to_ns(max));
	t_yaml(t, "stolen_ns: %lu", tsc_to_ns(total));
	t_yaml(t, "stolen_ppm: %lu", total * 1000000 / (last - t0));
	if (n) {
		struct stats st;

		stats_compute(gap, n, &st);
		t_yaml(t, "gap_p50_ns: %lu", tsc_to_ns(st.p50));
	}
	if (h0.has_smi && h1.has_smi)
		t_yaml(t, "smis: %lu", hygiene_smis(&h0, &h1));
	else
		t_yaml(t, "smis: unknown  # no MSR_SMI_COUNT (Intel only)");
	t_check(t, backwards == 0, "the TSC went backwards %u times on this CPU", backwards);
}

/* The chipset's APM control port: on QEMU's ICH9 any value but 0x02 and 0x03
 * (ACPI enable and disable) raises an SMI on every CPU when the firmware
 * set SMI_EN.APMC_EN (QEMU hw/isa/lpc_ich9.c, ich9_apm_ctrl_changed). */
#define APM_CNT		0xb2
#define APM_COMMAND	0x00
#define SMIS		5
#define SMI_WAIT_MS	10

static uint64_t smi_count_now(void)
{
	struct hygiene h;

	hygiene_read(&h);
	return h.smi;
}

/* MSR_SMI_COUNT counts SMIs: five raised through the chipset's APM port
 * must show as five. Under QEMU only: on hardware a write to 0xB2 is a
 * command to the firmware's SMM code, and msilab never sends one. */
TEST(timer, smi_count)
{
	struct hygiene h0, h1;

	if (!platform_is_qemu()) {
		t_skip(t, "raises SMIs through port 0xB2: only under QEMU, never on a real machine");
		return;
	}
	hygiene_read(&h0);
	if (!h0.has_smi) {
		t_skip(t, "no MSR_SMI_COUNT (an Intel MSR; this CPU says %s)",
		       cpu_is_intel() ? "GenuineIntel but the read faults" : "another vendor");
		return;
	}
	/* One at a time, each waited for (bounded): QEMU 7.2 counted 1 of 5
	 * SMIs raised back to back, and 5 of 5 raised so. */
	for (int i = 0; i < SMIS; i++) {
		hygiene_read(&h1);
		outb(APM_CNT, APM_COMMAND);
		(void)wait_ms(smi_count_now() != h1.smi, SMI_WAIT_MS);
	}
	hygiene_read(&h1);
	t_yaml(t, "raised: %d", SMIS);
	t_yaml(t, "counted: %lu", hygiene_smis(&h0, &h1));
	t_check(t, hygiene_smis(&h0, &h1) == SMIS, "%d SMIs raised, %lu counted%s", SMIS,
		hygiene_smis(&h0, &h1), hygiene_smis(&h0, &h1) ? "" :
		" (the firmware left APM SMIs disabled, or has no SMM?)");
}
