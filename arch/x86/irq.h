/* SPDX-License-Identifier: MIT */
/*
 * Vector-level interrupt handlers, per CPU (a vector is allocated on one
 * CPU: arch/x86/vector.h). The entry stub passes the TSC value it took
 * first thing; handlers run with interrupts off and must not print.
 */
#ifndef ARCH_X86_IRQ_H
#define ARCH_X86_IRQ_H

#include "lib/compiler.h"
#include <stdint.h>

/* System vectors, at the top of the range (Intel SDM Vol. 3A, 10.8.3.1:
 * higher vectors have higher priority). */
#define VEC_SPURIOUS	0xff	/* local APIC spurious vector (SVR) */
#define VEC_WATCHDOG	0xfe	/* test watchdog, local APIC timer */
#define VEC_LAPIC_ERROR	0xfd
#define VEC_SMP_CALL	0xfc	/* wakes a CPU for smp_call() */
/* Allocatable range (arch/x86/vector.c): below are exceptions and the
 * masked 8259 at 0x20-0x2f; above are the system vectors. */
#define VEC_ALLOC_FIRST	0x30
#define VEC_ALLOC_LAST	0xef
#define VEC_ALLOC_COUNT	(VEC_ALLOC_LAST - VEC_ALLOC_FIRST + 1)

typedef void (*irq_fn)(uint64_t tsc, void *arg);

struct irq_handler {
	irq_fn fn;
	void *arg;
};

/* The handler table a CPU starts with (4 KiB, zeroed). */
void irq_cpu_init(struct irq_handler *table);

/* Install fn for `vector` on CPU `cpu` (an index). 0, -EBUSY when the
 * vector already has a handler there, -EINVAL for a CPU that is not set up. */
int irq_register(uint32_t cpu, uint8_t vector, irq_fn fn, void *arg) MUST_CHECK;
void irq_unregister(uint32_t cpu, uint8_t vector);
/* Drop every handler tests registered (vectors 0x30-0xef, every CPU). */
void irq_unregister_all_dynamic(void);
/* Handlers registered on those vectors now, all CPUs. */
uint32_t irq_handlers_dynamic(void);

struct irq_counts {
	uint64_t unowned;	/* interrupts on a vector with no handler */
	uint64_t spurious;	/* local APIC spurious-vector deliveries */
	uint8_t last_unowned;
};

extern volatile struct irq_counts irq_counts;

#endif
