// SPDX-License-Identifier: MIT
/* The C side of interrupt entry (arch/x86/entry.asm irq_common). */
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"

struct handler {
	irq_fn fn;
	void *arg;
};

static struct handler handlers[256];
volatile struct irq_counts irq_counts;

int irq_register(uint8_t vector, irq_fn fn, void *arg)
{
	if (handlers[vector].fn)
		return -1;
	handlers[vector].arg = arg;
	handlers[vector].fn = fn;
	return 0;
}

void irq_unregister(uint8_t vector)
{
	handlers[vector].fn = 0;
	handlers[vector].arg = 0;
}

void irq_unregister_all_dynamic(void)
{
	for (int v = VEC_FIRST_FREE; v <= VEC_LAST_FREE; v++)
		irq_unregister((uint8_t)v);
}

void irq_dispatch(uint64_t vector, uint64_t tsc)
{
	struct handler *h = &handlers[vector];

	if (vector == VEC_SPURIOUS) {
		irq_counts.spurious++;	/* no EOI for the spurious vector (SDM 10.9) */
		return;
	}
	if (h->fn) {
		h->fn(tsc, h->arg);
	} else {
		irq_counts.unowned++;
		irq_counts.last_unowned = (uint8_t)vector;
	}
	lapic_eoi();
}
