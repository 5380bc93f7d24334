// SPDX-License-Identifier: MIT
/*
 * TSC calibration. See Intel SDM Vol. 2A, CPUID leaf 15H (TSC/crystal ratio)
 * and 16H (base frequency, MHz); Vol. 3B, 18.7.3 (the TSC rate is the
 * crystal clock times EBX/EAX of leaf 15H). Measured figures use a window of
 * the reference counter, with each end read between two TSC reads.
 */
#include "arch/x86/tsc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/exception.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/stats.h"

#define WINDOW_MS	15
#define WINDOWS		3	/* the median of three is kept */
#define PAIR_TRIES	8	/* a read pair interrupted by the host is retried */
#define SPIN_MAX	50000000u	/* bound on reads of a reference counter */
#define SPIN_MS		200	/* bound in time on waiting for a window */
#define CEILING_HZ	10000000000ull	/* for that bound when CPUID names no rate */
#define GUESS_HZ	2000000000ull
#define MSR_TSC_ADJUST	0x3b

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

/* TSC cycles that are surely more than SPIN_MS: twice the rate CPUID
 * names, or a ceiling no x86 TSC reaches. The read count bounds a TSC that
 * does not count. */
static uint64_t spin_bound;

static uint64_t window(struct tsc_figure *f, uint64_t (*read)(void), uint64_t ref_hz,
		       uint64_t mask)
{
	uint64_t window = ref_hz * WINDOW_MS / 1000, r0, r1 = 0, t0, t1 = 0, d = 0, start;
	uint32_t i;

	/* Start on a fresh tick of the reference. */
	r0 = read();
	start = rdtsc();
	for (i = 0; i < SPIN_MAX && rdtsc() - start < spin_bound && read() == r0; i++)
		cpu_relax();
	if (read() == r0) {
		ksnprintf(f->note, sizeof(f->note), "counter did not advance in %d ms", SPIN_MS);
		return 0;
	}
	t1 = t0 = paired(read, &r0);
	for (i = 0; i < SPIN_MAX && t1 - t0 < spin_bound; i++) {
		t1 = paired(read, &r1);
		d = (r1 - r0) & mask;
		if (d >= window)
			break;
	}
	if (d < window) {
		ksnprintf(f->note, sizeof(f->note), "a window of %d ms not reached in %d ms",
			  WINDOW_MS, SPIN_MS);
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
	/* CPUID 0x15 is the TSC's own rate where the crystal is named. 0x16
	 * is the specified base frequency; the SDM (Vol. 2A, CPUID 16H
	 * footnote) says it does not reflect actual values and is for
	 * display, so it comes after both measured figures. */
	static const int order[] = { TSC_CPUID15, TSC_HPET, TSC_PMTIMER, TSC_CPUID16 };
	uint64_t nominal;

	from_cpuid(c);
	nominal = c->fig[TSC_CPUID15].hz ? c->fig[TSC_CPUID15].hz : c->fig[TSC_CPUID16].hz;
	spin_bound = (nominal ? 2 * nominal : CEILING_HZ) / 1000 * SPIN_MS;
	from_ref(&c->fig[TSC_HPET], hpet);
	from_ref(&c->fig[TSC_PMTIMER], pmtimer);

	c->invariant = cpuid(0x80000000, 0).a >= 0x80000007 &&
		       (cpuid(0x80000007, 0).d & (1u << 8));
	c->source = -1;
	c->hz = GUESS_HZ;
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (c->fig[order[i]].hz) {
			c->source = order[i];
			c->hz = c->fig[order[i]].hz;
			break;
		}
	}
}

int tsc_has_adjust(void)
{
	return cpuid(0, 0).a >= 7 && (cpuid(7, 0).b & (1u << 1));
}

int64_t tsc_adjust_read(void)
{
	return (int64_t)rdmsr(MSR_TSC_ADJUST);
}

int tsc_adjust_write(int64_t value)
{
	if (wrmsr_safe(MSR_TSC_ADJUST, (uint64_t)value))
		return -EIO;	/* #GP: the MSR refused the value */
	return tsc_adjust_read() == value ? 0 : -EIO;
}
