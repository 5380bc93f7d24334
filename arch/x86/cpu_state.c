// SPDX-License-Identifier: MIT
/* The one CPU state, on every CPU (arch/x86/cpu_state.h). See Intel SDM
 * Vol. 2A, CPUID 01H EDX (MCE bit 7, PAT bit 16) and 80000001H EDX (NX
 * bit 20). */
#include "arch/x86/cpu_state.h"
#include "arch/x86/cpu.h"

#define CPUID1_EDX_MCE		(1u << 7)
#define CPUID1_EDX_PAT		(1u << 16)
#define CPUIDX1_EDX_NX		(1u << 20)

void cpu_state_init(void)
{
	uint32_t edx1 = cpuid(1, 0).d, ext = cpuid(0x80000000, 0).a;
	uint64_t cr0 = read_cr0(), cr4 = CR4_STATE | (read_cr4() & CR4_LA57), efer = EFER_LME;
	int flush = !!(cr0 & (CR0_CD | CR0_NW));

	if (!(edx1 & CPUID1_EDX_MCE))
		cr4 &= ~CR4_MCE;
	if (ext >= 0x80000001 && (cpuid(0x80000001, 0).d & CPUIDX1_EDX_NX))
		efer |= EFER_NXE;
	write_cr0(CR0_STATE);
	write_cr4(cr4);
	wrmsr(MSR_EFER, (rdmsr(MSR_EFER) & EFER_LMA) | efer);
	if ((edx1 & CPUID1_EDX_PAT) && rdmsr(MSR_PAT) != PAT_STATE) {
		wrmsr(MSR_PAT, PAT_STATE);
		flush = 1;
	}
	if (flush) {
		wbinvd();
		write_cr3(read_cr3());	/* no global pages: every TLB entry goes */
	}
}

void cpu_state_read(struct cpu_state *s)
{
	s->cr0 = read_cr0();
	s->cr4 = read_cr4();
	s->efer = rdmsr(MSR_EFER);
	s->pat = (cpuid(1, 0).d & CPUID1_EDX_PAT) ? rdmsr(MSR_PAT) : 0;
}
