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

/* Delivered over reference cycles between two readings, in percent; -1
 * when either reading lacks the counters or MPERF did not move. */
static inline int64_t hygiene_aperf_pct(const struct hygiene *from, const struct hygiene *to)
{
	if (!from->has_aperf || !to->has_aperf || to->mperf == from->mperf)
		return -1;
	return (int64_t)((to->aperf - from->aperf) * 100 / (to->mperf - from->mperf));
}

/* CPU `cpu`'s counters, read on it through smp_call (arch/x86/smp.h);
 * 0 or a negative errno (the CPU did not answer in time). */
int hygiene_read_on(uint32_t cpu, struct hygiene *h);

/* C1E on the calling CPU: 1 enabled, 0 disabled, -1 unknown. */
int hygiene_c1e(void);
/* The CPU says GenuineIntel (the model-specific MSRs above are Intel's). */
int cpu_is_intel(void);

#endif
