/* SPDX-License-Identifier: MIT */
/*
 * What the platform did to a measurement, where the CPU can say: SMIs
 * taken (MSR_SMI_COUNT, 0x34: Intel, SDM Vol. 4, "SMI Counter (R/O)"),
 * the ratio of delivered to reference cycles (IA32_APERF 0xE8 over
 * IA32_MPERF 0xE7, enumerated by CPUID.06H:ECX[0]; SDM Vol. 3B 15.2), and
 * whether C1E is enabled (MSR_POWER_CTL 0x1FC bit 1: Intel, SDM Vol. 4).
 * Each read is guarded: an MSR a CPU or hypervisor lacks reads as absent.
 */
#ifndef ARCH_X86_HYGIENE_H
#define ARCH_X86_HYGIENE_H

#include <stdint.h>

struct hygiene {
	uint64_t smi;
	uint64_t aperf, mperf;
	uint8_t has_smi, has_aperf;
};

/* The calling CPU's counters now. */
void hygiene_read(struct hygiene *h);
/* SMIs between two readings (the counter is 32 bits and wraps). */
static inline uint64_t hygiene_smis(const struct hygiene *from, const struct hygiene *to)
{
	return (to->smi - from->smi) & 0xffffffffu;
}

/* C1E on the calling CPU: 1 enabled, 0 disabled, -1 unknown. */
int hygiene_c1e(void);
/* The CPU says GenuineIntel (the model-specific MSRs above are Intel's). */
int cpu_is_intel(void);

#endif
