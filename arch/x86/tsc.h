/* SPDX-License-Identifier: MIT */
/* TSC frequency, from CPUID or measured against a reference counter. */
#ifndef ARCH_X86_TSC_H
#define ARCH_X86_TSC_H

#include <stdint.h>
#include "lib/compiler.h"
#include "arch/x86/cpu.h"
#include "lib/wait.h"

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

/* A counter of known rate to measure the TSC against (the HPET and the
 * ACPI PM timer, drivers/timer/), or why there is none (read == NULL). */
struct tsc_ref {
	uint64_t (*read)(void);
	uint64_t hz;
	uint64_t mask;		/* the counter's width */
	const char *absent;
};

/* Every figure is taken (CPUID 0x15 and 0x16, each reference measured over
 * three 15 ms windows, each wait bounded in time); the first available of
 * CPUID 0x15, HPET, PM timer, CPUID 0x16 is used. */
void tsc_calibrate(struct tsc_calibration *c, const struct tsc_ref *hpet,
		   const struct tsc_ref *pmtimer);
const char *tsc_source_name(int src);

/* IA32_TSC_ADJUST (MSR 0x3b; SDM Vol. 3B 18.17.3): added to the TSC, so
 * equal values on every CPU give TSCs that agree. tsc_has_adjust() is
 * CPUID.(EAX=07H,ECX=0):EBX[1]. tsc_adjust_write() sets it on the calling
 * CPU: 0, or -EIO when the write faults or does not read back. */
int tsc_has_adjust(void);
int64_t tsc_adjust_read(void);
int tsc_adjust_write(int64_t value) MUST_CHECK;

/* TSC cycles to nanoseconds with the calibrated frequency. */
uint64_t tsc_to_ns(uint64_t cycles);
uint64_t ms_to_tsc(uint64_t ms);
uint64_t us_to_tsc(uint64_t us);

/* Spin until `cond` holds, for at most `ms` (`us`) of TSC time: 0 or
 * -ETIMEDOUT (lib/wait.h). */
#define wait_ms(cond, ms) WAIT_UNTIL(cond, ms_to_tsc(ms), rdtsc)
#define wait_us(cond, us) WAIT_UNTIL(cond, us_to_tsc(us), rdtsc)

/* Spin for `us` microseconds (`ms` milliseconds). */
void delay_us(uint64_t us);
void delay_ms(uint64_t ms);

#endif
