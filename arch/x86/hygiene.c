// SPDX-License-Identifier: MIT
/* Measurement hygiene counters (arch/x86/hygiene.h). */
#include "arch/x86/hygiene.h"
#include "arch/x86/cpu.h"
#include "arch/x86/exception.h"
#include "arch/x86/smp.h"

#define MSR_SMI_COUNT	0x34
#define MSR_MPERF	0xe7
#define MSR_APERF	0xe8
#define MSR_POWER_CTL	0x1fc
#define POWER_CTL_C1E	(1u << 1)

int cpu_is_intel(void)
{
	struct cpuid r = cpuid(0, 0);

	return r.b == 0x756e6547 && r.d == 0x49656e69 && r.c == 0x6c65746e;	/* GenuineIntel */
}

void hygiene_read(struct hygiene *h)
{
	uint64_t v;

	*h = (struct hygiene){ 0 };
	if (cpu_is_intel() && rdmsr_safe(MSR_SMI_COUNT, &v) == 0) {
		h->smi = v & 0xffffffffu;	/* bits 31:0 */
		h->has_smi = 1;
	}
	if (cpuid(0, 0).a >= 6 && (cpuid(6, 0).c & 1) && rdmsr_safe(MSR_MPERF, &h->mperf) == 0 &&
	    rdmsr_safe(MSR_APERF, &h->aperf) == 0)
		h->has_aperf = 1;
}

static void read_here(void *h)
{
	hygiene_read(h);
}

int hygiene_read_on(uint32_t cpu, struct hygiene *h)
{
	if (cpu == this_cpu()->index) {
		hygiene_read(h);
		return 0;
	}
	return smp_call(cpu, read_here, h, SMP_CALL_TIMEOUT_MS);
}

int hygiene_c1e(void)
{
	uint64_t v;

	if (!cpu_is_intel() || rdmsr_safe(MSR_POWER_CTL, &v))
		return -1;
	return !!(v & POWER_CTL_C1E);
}
