// SPDX-License-Identifier: MIT
/* The C side of interrupt entry (arch/x86/entry.asm irq_common). */
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "lib/errno.h"
#include "lib/string.h"

volatile struct irq_counts irq_counts;

void irq_cpu_init(struct irq_handler *table)
{
	memset(table, 0, 256 * sizeof(*table));
	this_cpu()->handlers = table;
}

static uint32_t handlers_dynamic;	/* registered on VEC_ALLOC_FIRST..LAST */

static int dynamic(uint8_t vector)
{
	return vector >= VEC_ALLOC_FIRST && vector <= VEC_ALLOC_LAST;
}

uint32_t irq_handlers_dynamic(void)
{
	return __atomic_load_n(&handlers_dynamic, __ATOMIC_RELAXED);
}

int irq_register(uint32_t cpu, uint8_t vector, irq_fn fn, void *arg)
{
	struct irq_handler *h;

	if (cpu >= CPUS_MAX || !cpus[cpu].handlers)
		return -EINVAL;
	h = &cpus[cpu].handlers[vector];
	if (h->fn)
		return -EBUSY;
	h->arg = arg;
	__atomic_store_n(&h->fn, fn, __ATOMIC_RELEASE);
	if (dynamic(vector))
		__atomic_fetch_add(&handlers_dynamic, 1, __ATOMIC_RELAXED);
	return 0;
}

void irq_unregister(uint32_t cpu, uint8_t vector)
{
	if (cpu < CPUS_MAX && cpus[cpu].handlers &&
	    __atomic_exchange_n(&cpus[cpu].handlers[vector].fn, (irq_fn)0, __ATOMIC_ACQ_REL) &&
	    dynamic(vector))
		__atomic_fetch_sub(&handlers_dynamic, 1, __ATOMIC_RELAXED);
}

void irq_unregister_all_dynamic(void)
{
	for (uint32_t c = 0; c < CPUS_MAX; c++)
		for (int v = VEC_ALLOC_FIRST; v <= VEC_ALLOC_LAST; v++)
			irq_unregister(c, (uint8_t)v);
}

void irq_dispatch(uint64_t vector, uint64_t tsc)
{
	struct irq_handler *h = &this_cpu()->handlers[vector];
	irq_fn fn = __atomic_load_n(&h->fn, __ATOMIC_ACQUIRE);

	if (vector == VEC_SPURIOUS) {
		/* No EOI for the spurious vector (SDM Vol. 3A 10.9). */
		__atomic_fetch_add(&irq_counts.spurious, 1, __ATOMIC_RELAXED);
		return;
	}
	if (fn) {
		fn(tsc, h->arg);
	} else {
		__atomic_fetch_add(&irq_counts.unowned, 1, __ATOMIC_RELAXED);
		irq_counts.last_unowned = (uint8_t)vector;
	}
	lapic_eoi();
}
