/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data. GS_BASE points at the CPU's own struct cpu, whose first
 * field points at itself, so this_cpu() is one load: mov %gs:0.
 */
#ifndef ARCH_X86_PERCPU_H
#define ARCH_X86_PERCPU_H

#include <stdint.h>

#define CPUS_MAX	512	/* per-CPU data is static: 512 x ~400 bytes */
#define MSR_GS_BASE	0xc0000101

struct recover;
struct irq_handler;

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes (SDM Vol. 3A 8.7)");

struct cpu {
	struct cpu *self;		/* %gs:0 */
	uint32_t index;			/* 0 is the boot CPU */
	uint32_t apic_id;
	volatile uint32_t online;
	struct recover *recover;	/* innermost recovery point */
	struct irq_handler *handlers;	/* 256 entries (arch/x86/irq.c) */

	/* smp_call mailbox (arch/x86/smp.c) */
	void (*volatile call_fn)(void *);
	void *volatile call_arg;
	volatile uint32_t call_seq, done_seq;
	volatile int call_vector;	/* -1, or the exception the call raised */
	volatile uint64_t call_rip;

	/* IA32_TSC_ADJUST as bring-up found it, and the error of making it
	 * the boot CPU's (0: equal or set; arch/x86/smp.c) */
	int64_t tsc_adjust_found;
	int tsc_adjust_err;

	uint64_t gdt[5] __attribute__((aligned(16)));
	struct tss64 tss __attribute__((aligned(16)));
};

extern struct cpu cpus[CPUS_MAX];
extern uint32_t cpus_online;	/* cpus[0 .. cpus_online) are up */

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;

	asm volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

/* Load c's GDT and TSS (IST stacks ist[0..2] for #NMI, #DF, #MC) and point
 * GS_BASE at c. */
void cpu_desc_init(struct cpu *c, const uint64_t ist_top[3]);

#endif
