/* SPDX-License-Identifier: MIT */
/*
 * Vector-level interrupt handlers. The entry stub passes the TSC value it
 * took first thing; handlers run with interrupts off and must not print.
 */
#ifndef ARCH_X86_IRQ_H
#define ARCH_X86_IRQ_H

#include <stdint.h>

/* System vectors, at the top of the range (Intel SDM Vol. 3A, 10.8.3.1:
 * higher vectors have higher priority). */
#define VEC_SPURIOUS	0xff	/* local APIC spurious vector (SVR) */
#define VEC_WATCHDOG	0xfe	/* test watchdog, local APIC timer */
#define VEC_LAPIC_ERROR	0xfd
#define VEC_FIRST_FREE	0x30	/* below: exceptions and the masked 8259 */
#define VEC_LAST_FREE	0xef

typedef void (*irq_fn)(uint64_t tsc, void *arg);

/* Returns 0, or -1 when the vector already has a handler. */
int irq_register(uint8_t vector, irq_fn fn, void *arg);
void irq_unregister(uint8_t vector);
/* Drop every handler that tests registered (after a test was aborted). */
void irq_unregister_all_dynamic(void);

struct irq_counts {
	uint64_t unowned;	/* interrupts on a vector with no handler */
	uint64_t spurious;	/* local APIC spurious-vector deliveries */
	uint8_t last_unowned;
};

extern volatile struct irq_counts irq_counts;

#endif
