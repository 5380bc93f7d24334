// SPDX-License-Identifier: MIT
/*
 * The root of the hierarchy: a vector on a CPU (arch/x86/vector.c), its
 * handler (arch/x86/irq.c) and the compatibility-format message that
 * reaches it (SDM Vol. 3A 10.11.1). hwirq = cpu << 8 | vector.
 * An affinity move takes a new vector on the new CPU first, lets the level
 * above rewrite its message, then drains the old vector on the old CPU (an
 * interrupt already in its IRR is delivered, not lost) before freeing it.
 * Where a level above refuses the move, the new vector is given back and
 * the old one, still in use, named again (v_affinity_undo).
 * Host-tested with fake CPUs (tests/host/test_vector_domain.c).
 */
#include "msi/vector_domain.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/tsc.h"
#include "arch/x86/vector.h"
#include "lib/errno.h"

#define DRAIN_MS	10

struct irq_domain vector_domain;

static struct {
	struct vector_assign old;
	int moving;
	uint8_t shadow;		/* the new vector, held on the old CPU too; 0: none */
} moves[IRQ_DESCS_MAX];

static void on_vector(uint64_t tsc_now, void *arg)
{
	irq_desc_handle(arg, tsc_now);
}

static struct vector_assign assign_of(const struct irq_data *d)
{
	return (struct vector_assign){ .cpu = d->hwirq >> 8, .vector = (uint8_t)d->hwirq };
}

static int v_compose(struct irq_data *d, struct msi_msg *msg)
{
	struct vector_assign a = assign_of(d);

	return vector_compose_msi(cpus[a.cpu].apic_id, a.vector, msg);
}

static int v_set_affinity(struct irq_data *d, uint32_t cpu)
{
	struct vector_assign old = assign_of(d), a;
	int e;

	if (cpu >= cpus_online)
		return -EINVAL;
	if (cpu == old.cpu)
		return IRQ_AFFINITY_DONE;
	if ((e = vector_alloc(&vectors, (int)cpu, &a)))
		return e;
	if ((e = irq_register(a.cpu, a.vector, on_vector, d->desc))) {
		vector_free(&vectors, &a);
		return e;
	}
	/* The new vector held on the old CPU as well, where it is free there,
	 * for the move's length: a plain MSI without masking changes its
	 * data before its address (drivers/pci/msi_domain.c, Linux's x86
	 * msi_set_affinity), and a message between the two writes reaches
	 * the old CPU with the new vector; it is handled there, and the
	 * drain below delivers what waits in its IRR (where Linux checks the
	 * IRR and retriggers). Where the vector is taken on the old CPU, that
	 * interrupt's handler sees it, as in Linux. */
	moves[d->desc->irq].shadow = 0;
	if (!vector_claim(&vectors, old.cpu, a.vector)) {
		struct vector_assign s = { .cpu = old.cpu, .vector = a.vector };

		if (irq_register(old.cpu, a.vector, on_vector, d->desc))
			vector_free(&vectors, &s);
		else
			moves[d->desc->irq].shadow = a.vector;
	}
	moves[d->desc->irq].old = old;
	moves[d->desc->irq].moving = 1;
	d->hwirq = a.cpu << 8 | a.vector;
	return IRQ_AFFINITY_PROPAGATE;
}

/* The shadow of the new vector on the old CPU let go. */
static void shadow_free(uint32_t irq, uint32_t cpu)
{
	struct vector_assign s = { .cpu = cpu, .vector = moves[irq].shadow };

	if (!s.vector)
		return;
	irq_unregister(s.cpu, s.vector);
	vector_free(&vectors, &s);
	moves[irq].shadow = 0;
}

/* A level above refused the move (and wrote nothing): the new vector,
 * which nothing names, is given back and the old one, still in use, is
 * named again; it is not drained, and the next move starts from it. */
static void v_affinity_undo(struct irq_data *d)
{
	struct vector_assign a = assign_of(d), old = moves[d->desc->irq].old;

	if (!moves[d->desc->irq].moving)
		return;
	moves[d->desc->irq].moving = 0;
	shadow_free(d->desc->irq, old.cpu);
	irq_unregister(a.cpu, a.vector);
	vector_free(&vectors, &a);
	d->hwirq = old.cpu << 8 | old.vector;
}

/* What a drain found, by the CPU it ran on. Static, never on the caller's
 * stack: smp_call gives up after its timeout with the call still queued,
 * and the target runs it later, after the caller's frame is gone (issue
 * 24). A CPU takes one call at a time (smp_call_async is -EBUSY until the
 * last one is done), so its slot is not reused while a late call may still
 * write it; the call's argument carries CPU and vectors by value. */
static volatile int drain_err[CPUS_MAX];

/* Runs on the old CPU with interrupts on: whatever is in its IRR for the
 * old vector, or for the new one held there (bits 15:8, 0: none), is
 * delivered before the vectors go away. */
static void drain(void *arg)
{
	uintptr_t a = (uintptr_t)arg;
	uint8_t shadow = (uint8_t)(a >> 8);

	drain_err[a >> 16] = wait_ms(!lapic_irr_pending((uint8_t)a) &&
				     (!shadow || !lapic_irr_pending(shadow)), DRAIN_MS);
}

/* The old vector is freed only once drained: where the old CPU did not
 * answer or its IRR stayed set, it stays allocated with its handler (a
 * late delivery still lands) and the refusal is counted. */
static void v_affinity_done(struct irq_data *d)
{
	struct vector_assign old = moves[d->desc->irq].old;

	if (!moves[d->desc->irq].moving)
		return;
	moves[d->desc->irq].moving = 0;
	if (smp_call(old.cpu, drain, (void *)((uintptr_t)old.cpu << 16 |
					      (uintptr_t)moves[d->desc->irq].shadow << 8 |
					      old.vector),
		     SMP_CALL_TIMEOUT_MS) || drain_err[old.cpu]) {
		irq_stats.errors++;
		return;
	}
	shadow_free(d->desc->irq, old.cpu);
	irq_unregister(old.cpu, old.vector);
	vector_free(&vectors, &old);
}

static const struct irq_chip vector_chip = {
	.name = "VECTOR",
	.set_affinity = v_set_affinity,
	.affinity_done = v_affinity_done,
	.affinity_undo = v_affinity_undo,
	.compose_msi_msg = v_compose,
};

static int v_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *info)
{
	struct vector_assign a;
	int e = vector_alloc(&vectors, info->cpu, &a);

	(void)dom;
	if (e)
		return e;
	d->hwirq = a.cpu << 8 | a.vector;
	d->chip = &vector_chip;
	return 0;
}

static void v_free(struct irq_domain *dom, struct irq_data *d)
{
	struct vector_assign a = assign_of(d);

	(void)dom;
	vector_free(&vectors, &a);
}

static int v_activate(struct irq_domain *dom, struct irq_data *d)
{
	struct vector_assign a = assign_of(d);

	(void)dom;
	return irq_register(a.cpu, a.vector, on_vector, d->desc);
}

static void v_deactivate(struct irq_domain *dom, struct irq_data *d)
{
	struct vector_assign a = assign_of(d);

	(void)dom;
	irq_unregister(a.cpu, a.vector);
}

static const struct irq_domain_ops vector_ops = {
	.alloc = v_alloc,
	.free = v_free,
	.activate = v_activate,
	.deactivate = v_deactivate,
};

void vector_domain_init(void)
{
	vector_domain = (struct irq_domain){ .name = "VECTOR", .ops = &vector_ops };
	msi_set_root(&vector_domain);
}
