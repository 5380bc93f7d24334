// SPDX-License-Identifier: MIT
/*
 * TSC calibration. See Intel SDM Vol. 2A, CPUID leaf 15H (TSC/crystal ratio)
 * and 16H (base frequency, MHz); Vol. 3B, 18.7.3 (the TSC rate is the
 * crystal clock times EBX/EAX of leaf 15H). Measured figures use a window of
 * the reference counter, with each end read between two TSC reads.
 */
#include "arch/x86/tsc.h"
#include "arch/x86/cpu.h"
#include "lib/printf.h"
#include "lib/stats.h"

#define WINDOW_MS	15
#define WINDOWS		3	/* the median of three is kept */
#define PAIR_TRIES	8	/* a read pair interrupted by the host is retried */
#define SPIN_MAX	50000000u	/* bound on reads of a reference counter */
#define GUESS_HZ	2000000000ull

struct tsc_calibration tsc;

static const char *const src_names[TSC_NSRC] = {
	"cpuid15", "cpuid16", "hpet", "pmtimer",
};

const char *tsc_source_name(int src)
{
	return src >= 0 && src < TSC_NSRC ? src_names[src] : "none";
}

uint64_t tsc_to_ns(uint64_t cycles)
{
	return mul_div_u64(cycles, 1000000000ull, tsc.hz);
}

uint64_t ms_to_tsc(uint64_t ms)
{
	return mul_div_u64(ms, tsc.hz, 1000);
}

uint64_t us_to_tsc(uint64_t us)
{
	return mul_div_u64(us, tsc.hz, 1000000);
}

void delay_us(uint64_t us)
{
	(void)wait_us(0, us);
}

void delay_ms(uint64_t ms)
{
	(void)wait_ms(0, ms);
}

static void from_cpuid(struct tsc_calibration *c)
{
	uint32_t max = cpuid(0, 0).a;
	struct cpuid r;

	if (max < 0x15) {
		ksnprintf(c->fig[TSC_CPUID15].note, 80, "CPUID max leaf 0x%x < 0x15", max);
		ksnprintf(c->fig[TSC_CPUID16].note, 80, "CPUID max leaf 0x%x < 0x16", max);
		return;
	}
	r = cpuid(0x15, 0);
	if (r.a && r.b && r.c)
		c->fig[TSC_CPUID15].hz = (uint64_t)r.c * r.b / r.a;
	else
		ksnprintf(c->fig[TSC_CPUID15].note, 80,
			  "leaf 0x15 incomplete: eax=%u ebx=%u ecx=%u", r.a, r.b, r.c);
	if (max < 0x16) {
		ksnprintf(c->fig[TSC_CPUID16].note, 80, "CPUID max leaf 0x%x < 0x16", max);
		return;
	}
	r = cpuid(0x16, 0);
	if (r.a & 0xffff)
		c->fig[TSC_CPUID16].hz = (uint64_t)(r.a & 0xffff) * 1000000;
	else
		ksnprintf(c->fig[TSC_CPUID16].note, 80, "leaf 0x16 reports no base frequency");
}

/* TSC at the midpoint of one reference read: of a few tries, the one
 * bracketed most tightly (a vCPU preempted mid-pair would skew it). */
static uint64_t paired(uint64_t (*read)(void), uint64_t *ref)
{
	uint64_t best = ~0ull, mid = 0;

	for (int i = 0; i < PAIR_TRIES; i++) {
		uint64_t a = rdtsc(), r = read(), b = rdtsc();

		if (b - a < best) {
			best = b - a;
			mid = a + (b - a) / 2;
			*ref = r;
		}
	}
	return mid;
}

static uint64_t window(struct tsc_figure *f, uint64_t (*read)(void), uint64_t ref_hz,
		       uint64_t mask)
{
	uint64_t window = ref_hz * WINDOW_MS / 1000, r0, r1 = 0, t0, t1 = 0, d = 0;
	uint32_t i;

	/* Start on a fresh tick of the reference. */
	r0 = read();
	for (i = 0; i < SPIN_MAX && read() == r0; i++)
		cpu_relax();
	if (i == SPIN_MAX) {
		ksnprintf(f->note, sizeof(f->note), "counter did not advance in %u reads", SPIN_MAX);
		return 0;
	}
	t0 = paired(read, &r0);
	for (i = 0; i < SPIN_MAX; i++) {
		t1 = paired(read, &r1);
		d = (r1 - r0) & mask;
		if (d >= window)
			break;
	}
	if (i == SPIN_MAX) {
		ksnprintf(f->note, sizeof(f->note), "window of %lu ticks not reached in %u reads",
			  window, SPIN_MAX);
		return 0;
	}
	return mul_div_u64(t1 - t0, ref_hz, d);
}

static void measure(struct tsc_figure *f, uint64_t (*read)(void), uint64_t ref_hz,
		    uint64_t mask)
{
	uint64_t hz[WINDOWS];

	for (int i = 0; i < WINDOWS; i++)
		if (!(hz[i] = window(f, read, ref_hz, mask)))
			return;
	stats_sort(hz, WINDOWS);
	/* Rounded to the kHz: finer digits are read noise. */
	f->hz = (hz[WINDOWS / 2] + 500) / 1000 * 1000;
	ksnprintf(f->note, sizeof(f->note), "median of %d windows of %d ms, spread %lu ppm",
		  WINDOWS, WINDOW_MS, (hz[WINDOWS - 1] - hz[0]) * 1000000 / hz[WINDOWS / 2]);
}

static void from_ref(struct tsc_figure *f, const struct tsc_ref *ref)
{
	if (ref->read)
		measure(f, ref->read, ref->hz, ref->mask);
	else
		ksnprintf(f->note, sizeof(f->note), "%s", ref->absent);
}

void tsc_calibrate(struct tsc_calibration *c, const struct tsc_ref *hpet,
		   const struct tsc_ref *pmtimer)
{
	from_cpuid(c);
	from_ref(&c->fig[TSC_HPET], hpet);
	from_ref(&c->fig[TSC_PMTIMER], pmtimer);

	c->invariant = cpuid(0x80000000, 0).a >= 0x80000007 &&
		       (cpuid(0x80000007, 0).d & (1u << 8));
	c->source = -1;
	c->hz = GUESS_HZ;
	for (int s = 0; s < TSC_NSRC; s++) {
		if (c->fig[s].hz) {
			c->source = s;
			c->hz = c->fig[s].hz;
			break;
		}
	}
}
