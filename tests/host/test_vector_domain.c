// SPDX-License-Identifier: MIT
/*
 * msi/vector_domain.c, the real root of the hierarchy, on the host: the
 * CPUs, their handler tables, smp_call and the local APIC's IRR are fakes
 * here (arch/x86/vector.c, the allocator, is the real one). What they let
 * a test do that QEMU cannot: a level above the vector that refuses a move
 * (AMD-Vi with an APIC ID above 255 and no XTEn: QEMU's amd-iommu has no
 * XT interrupt support, issue 24), and an old CPU that answers a drain
 * only after smp_call has given up on it.
 */
#include "tests/host/host.h"
#include "msi/vector_domain.h"
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/tsc.h"
#include "arch/x86/vector.h"
#include "lib/errno.h"

/* --- the fakes ------------------------------------------------------------ */

struct cpu cpus[CPUS_MAX];
uint32_t cpus_online;
static void *handler_arg[4][256];
static uint32_t irr_reads[8];	/* IRR registers read by drains, by index */

int irq_register(uint32_t cpu, uint8_t vector, irq_fn fn, void *arg)
{
	(void)fn;
	if (cpu >= 4 || handler_arg[cpu][vector])
		return -EBUSY;
	handler_arg[cpu][vector] = arg;
	return 0;
}

void irq_unregister(uint32_t cpu, uint8_t vector)
{
	handler_arg[cpu][vector] = 0;
}

uint32_t lapic_read(uint32_t reg)
{
	irr_reads[(reg - LAPIC_IRR) / 0x10]++;
	return 0;			/* nothing pending: a drain succeeds */
}

uint64_t ms_to_tsc(uint64_t ms)
{
	return ms * 1000000;
}

/* smp_call: run fn now, or (late_cpu) time out and keep the call queued,
 * as arch/x86/smp.c does when the target does not answer in time. */
static int late_cpu = -1, calls;
static void (*queued_fn)(void *);
static void *queued_arg;
static char *stack_top;		/* the test case's frame */
static int arg_on_stack;

int smp_call(uint32_t cpu, void (*fn)(void *), void *arg, uint32_t timeout_ms)
{
	char here;

	(void)timeout_ms;
	calls++;
	/* Between this frame and the test case's lie the frames of the
	 * caller: an argument there dies when the caller returns. */
	arg_on_stack |= (char *)arg > &here && (char *)arg < stack_top;
	if ((int)cpu == late_cpu) {
		queued_fn = fn;
		queued_arg = arg;
		return -ETIMEDOUT;
	}
	fn(arg);
	return 0;
}

/* --- a level above the vector that may refuse a move ---------------------- */

static int refuse_move, top_moves;
static void *held_on_old_cpu;	/* the handler at the new vector on CPU 0, mid-move */

static int top_set_affinity(struct irq_data *d, uint32_t cpu)
{
	(void)cpu;
	if (refuse_move)
		return -ERANGE;		/* and writes nothing */
	top_moves++;
	held_on_old_cpu = handler_arg[0][d->parent->hwirq & 0xff];
	return IRQ_AFFINITY_DONE;
}

static const struct irq_chip top_chip = { .name = "top", .set_affinity = top_set_affinity };

static int top_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *i)
{
	(void)dom;
	d->hwirq = i->hwirq;
	d->chip = &top_chip;
	return 0;
}

static const struct irq_domain_ops top_ops = { .alloc = top_alloc };
static struct irq_domain top = { .name = "top", .ops = &top_ops, .parent = &vector_domain };

static struct irq_desc *setup_irq(void)
{
	struct irq_alloc_info info = { .hwirq = 0, .cpu = 0 };
	struct irq_desc *d;
	int e;

	refuse_move = 0;
	late_cpu = -1;
	cpus_online = 4;
	for (uint32_t i = 0; i < 4; i++)
		cpus[i] = (struct cpu){ .index = i, .apic_id = i, .online = 1 };
	memset(handler_arg, 0, sizeof(handler_arg));
	vector_pool_init(&vectors, 4);
	vector_domain_init();
	top.parent = &vector_domain;
	d = irq_domain_alloc(&top, &info, &e);
	assert_non_null(d);
	assert_int_equal(irq_domain_activate(d), 0);
	assert_int_equal(irq_cpu(d), 0);
	return d;
}

/* A level above refuses the move: the vector level gives its new vector
 * back and names the old one again (the one the entry still delivers to);
 * the old one is not drained nor freed; the next move starts from it. */
static void refused_move_gives_the_new_vector_back(void **state)
{
	struct irq_desc *d = setup_irq();
	uint8_t vec = irq_vector(d);

	(void)state;
	stack_top = __builtin_frame_address(0);
	calls = 0;
	refuse_move = 1;
	assert_int_equal(irq_set_affinity(d, 1), -ERANGE);
	assert_int_equal(irq_cpu(d), 0);
	assert_int_equal(irq_vector(d), vec);
	assert_int_equal(vector_count(&vectors, 1), 0);		/* given back */
	assert_int_equal(vector_count(&vectors, 0), 1);
	assert_true(vector_is_allocated(&vectors, 0, vec));
	for (int v = 0; v < 256; v++)
		assert_null(handler_arg[1][v]);
	assert_ptr_equal(handler_arg[0][vec], d);
	assert_int_equal(calls, 0);				/* nothing drained */
	/* The next move: from the vector in use, which is drained and freed. */
	refuse_move = 0;
	assert_int_equal(irq_set_affinity(d, 2), 0);
	assert_int_equal(irq_cpu(d), 2);
	assert_int_equal(calls, 1);
	assert_int_equal(vector_count(&vectors, 0), 0);
	assert_null(handler_arg[0][vec]);
	assert_int_equal(vector_in_use(&vectors), 1);
	assert_int_equal(irq_domain_free(d), 0);
	assert_int_equal(vector_in_use(&vectors), 0);
}

/* The old CPU does not answer the drain in time: the call stays queued
 * and runs later, after v_affinity_done has returned. Nothing it touches
 * may live on the caller's stack; the old vector stays allocated with its
 * handler (a late delivery still lands) and the refusal is counted; the
 * late drain looks at the old vector's IRR. */
static void late_drain_touches_no_dead_frame(void **state)
{
	struct irq_desc *d = setup_irq();
	uint8_t vec = irq_vector(d);
	uint32_t errors = irq_stats.errors;

	(void)state;
	stack_top = __builtin_frame_address(0);
	arg_on_stack = 0;
	late_cpu = 0;
	queued_fn = 0;
	assert_int_equal(irq_set_affinity(d, 3), 0);
	assert_int_equal(irq_cpu(d), 3);
	assert_non_null(queued_fn);
	assert_false(arg_on_stack);
	assert_int_equal(irq_stats.errors, errors + 1);
	assert_true(vector_is_allocated(&vectors, 0, vec));
	assert_ptr_equal(handler_arg[0][vec], d);
	/* Later, from another frame, CPU 0 runs the call. */
	memset(irr_reads, 0, sizeof(irr_reads));
	queued_fn(queued_arg);
	assert_int_equal(irr_reads[vec / 32], 1);
	late_cpu = -1;
	assert_int_equal(irq_domain_free(d), 0);
}

/* A plain MSI without masking changes its data before its address
 * (drivers/pci/msi_domain.c): a message between the writes reaches the
 * old CPU with the new vector. While the level above rewrites, the new
 * vector is held on the old CPU too, with the interrupt's handler; the
 * drain waits for both IRR bits, and both go away after it. */
static void move_holds_new_vector_on_old_cpu(void **state)
{
	struct irq_desc *d = setup_irq();
	struct vector_assign other;
	uint8_t vec = irq_vector(d), nv;

	(void)state;
	stack_top = __builtin_frame_address(0);
	assert_int_equal(vector_alloc(&vectors, 1, &other), 0);	/* CPU 1's first vector taken */
	assert_int_equal(other.vector, vec);
	memset(irr_reads, 0, sizeof(irr_reads));
	held_on_old_cpu = 0;
	assert_int_equal(irq_set_affinity(d, 1), 0);
	nv = irq_vector(d);
	assert_int_not_equal(nv, vec);
	assert_ptr_equal(held_on_old_cpu, d);		/* held on CPU 0 mid-move */
	assert_null(handler_arg[0][nv]);		/* and let go after */
	assert_null(handler_arg[0][vec]);
	assert_int_equal(vector_count(&vectors, 0), 0);
	assert_int_equal(irr_reads[nv / 32] + (nv / 32 != vec / 32 ? irr_reads[vec / 32] : 0), 2);
	/* Refused, the held vector is let go as well: CPU 2's first vector
	 * is free on CPU 1 once `other` is gone. */
	assert_int_equal(vector_free(&vectors, &other), 0);
	refuse_move = 1;
	assert_int_equal(irq_set_affinity(d, 2), -ERANGE);
	assert_int_equal(vector_count(&vectors, 1), 1);
	assert_null(handler_arg[1][other.vector]);
	assert_int_equal(vector_count(&vectors, 2), 0);
	refuse_move = 0;
	assert_int_equal(irq_domain_free(d), 0);
	assert_int_equal(vector_in_use(&vectors), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refused_move_gives_the_new_vector_back),
		cmocka_unit_test(late_drain_touches_no_dead_frame),
		cmocka_unit_test(move_holds_new_vector_on_old_cpu),
	};
	return RUN(tests);
}
