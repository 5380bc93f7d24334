/* SPDX-License-Identifier: MIT */
/*
 * Affinity moves while a source fires (the *.affinity_moves tests). Every
 * `every` triggers all the interrupts move together to the next online
 * CPU; each move must be accepted and leave the interrupt on that CPU,
 * and each delivery after it must arrive there. AFFINITY_MOVES moves per
 * run, whatever samples= says: too few samples only make the moves
 * closer together.
 */
#ifndef TESTS_HARNESS_MOVER_H
#define TESTS_HARNESS_MOVER_H

#include "tests/harness/test.h"
#include "arch/x86/percpu.h"
#include "msi/irqdomain.h"

#define AFFINITY_MOVES		40
#define AFFINITY_TRIGGERS	2000	/* at most, and 50 between moves */

struct mover {
	struct irq_desc **irqs;
	uint32_t n;
	uint32_t every;		/* triggers between two moves */
	uint32_t triggers, moves, refused;
	int error;		/* the first refusal's */
	uint32_t error_cpu;	/* and where it asked to go */
	volatile uint32_t cpu;	/* where deliveries must arrive now */
	volatile uint32_t elsewhere, elsewhere_cpu, elsewhere_want;
	volatile uint32_t per_cpu[CPUS_MAX];
};

/* Start a run of interrupts irqs[0 .. n) on one CPU; returns how many
 * triggers to fire for `samples`. */
uint64_t mover_init(struct mover *m, struct irq_desc **irqs, uint32_t n, uint64_t samples);
/* Before each trigger: every `every`-th moves them all. */
void mover_step(struct mover *m);
/* From the handler, for each counted delivery: where it arrived. */
void mover_delivered(struct mover *m);
/* moves, refusals and the deliveries per CPU in the YAML; fail unless
 * every move was accepted and every delivery arrived where it should. */
void mover_report(struct test_ctx *t, const struct mover *m);

#endif
