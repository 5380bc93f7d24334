// SPDX-License-Identifier: MIT
/* Machine-check banks and NMI accounting (arch/x86/mce.h). */
#include "arch/x86/mce.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "lib/printf.h"

#define CPUID1_EDX_MCE	(1u << 7)
#define CPUID1_EDX_MCA	(1u << 14)

volatile struct nmi_counts nmi_counts;

static int have_mca(void)
{
	uint32_t d = cpuid(1, 0).d;

	return (d & CPUID1_EDX_MCE) && (d & CPUID1_EDX_MCA);
}

uint32_t mce_collect(struct mce_bank *out, uint32_t max, int clear)
{
	uint32_t n = 0, banks;

	if (!have_mca())
		return 0;
	banks = MCG_CAP_COUNT(rdmsr(MSR_MCG_CAP));
	for (uint32_t i = 0; i < banks && i < MCE_BANKS_MAX; i++) {
		uint64_t s = rdmsr(MSR_MC_STATUS(i));

		if (!(s & MC_STATUS_VAL))
			continue;
		if (n < max)
			out[n] = (struct mce_bank){
				.bank = i, .status = s,
				.addr = s & MC_STATUS_ADDRV ? rdmsr(MSR_MC_ADDR(i)) : 0,
				.misc = s & MC_STATUS_MISCV ? rdmsr(MSR_MC_MISC(i)) : 0,
			};
		n++;
		if (clear)
			wrmsr(MSR_MC_STATUS(i), 0);
	}
	return n;
}

uint64_t mce_status_take(void)
{
	uint64_t s;

	if (!have_mca())
		return 0;
	s = rdmsr(MSR_MCG_STATUS);
	wrmsr(MSR_MCG_STATUS, s & ~MCG_STATUS_MCIP);
	return s;
}

void mce_dump_yaml(const struct mce_bank *b, uint32_t n, const char *in, char *buf,
		   unsigned long size)
{
	unsigned long len = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < n && len + 1 < size; i++) {
		int w = ksnprintf(buf + len, size - len,
				  "%s- {bank: %u, status: 0x%lx, addr: 0x%lx, misc: 0x%lx, "
				  "uncorrected: %s}\n", in, b[i].bank, b[i].status, b[i].addr, b[i].misc,
				  b[i].status & MC_STATUS_UC ? "true" : "false");

		if (w < 0)
			break;
		len += (unsigned long)w;
	}
}

static volatile int stopping;

void cpu_stop_others(void)
{
	stopping = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (lapic_send_nmi_others())
		nmi_counts.stop_failed = 1;	/* the ICR stayed busy: reported by the caller */
}

void nmi_handle(void)
{
	if (stopping)
		for (;;)
			asm volatile("cli; hlt");
	nmi_counts.last_reason = inb(NMI_STATUS_PORT);
	nmi_counts.last_cpu = this_cpu()->index;
	__atomic_fetch_add(&nmi_counts.count, 1, __ATOMIC_RELAXED);
}
