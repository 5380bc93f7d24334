/* SPDX-License-Identifier: MIT */
/* TSC frequency, from CPUID or measured against the HPET or ACPI PM timer. */
#ifndef ARCH_X86_TSC_H
#define ARCH_X86_TSC_H

#include <stdint.h>

enum tsc_src { TSC_CPUID15, TSC_CPUID16, TSC_HPET, TSC_PMTIMER, TSC_NSRC };

struct tsc_figure {
	uint64_t hz;		/* 0: not available */
	char note[80];		/* why not, or how */
};

struct tsc_calibration {
	uint64_t hz;		/* the one in use */
	int source;		/* enum tsc_src, or -1: none (hz is a guess) */
	int invariant;		/* CPUID 0x80000007 EDX[8] */
	struct tsc_figure fig[TSC_NSRC];
};

extern struct tsc_calibration tsc;

void tsc_calibrate(struct tsc_calibration *c);
const char *tsc_source_name(int src);

/* TSC cycles to nanoseconds with the calibrated frequency. */
uint64_t tsc_to_ns(uint64_t cycles);
uint64_t ms_to_tsc(uint64_t ms);

#endif
