// SPDX-License-Identifier: MIT
/*
 * selftest.*: the runner's own failure paths. These tests fail on purpose,
 * so they are manual (tests=selftest.*); the harness configuration
 * "selftest" checks that each fails the way it should and that the run
 * goes on (tests/qemu/configs.toml).
 */
#include "tests/harness/test.h"
#include "arch/x86/cpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/irq.h"
#include "arch/x86/vector.h"
#include "arch/x86/nmi_watch.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"

TEST(selftest, unguarded_ud, .flags = TEST_MANUAL)
{
	(void)t;
	asm volatile("ud2");
}

TEST(selftest, unguarded_pf, .flags = TEST_MANUAL)
{
	(void)t;
	*(volatile uint32_t *)phys_ptr(0x20) = 1;	/* page 0 is not mapped */
}

TEST(selftest, hang, .budget_ms = 300, .flags = TEST_MANUAL)
{
	(void)t;
	for (;;)
		cpu_relax();
}

static void spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		cpu_relax();
}

/* A hang that leaves another CPU busy: the runner restarts that CPU. */
TEST(selftest, hang_with_busy_cpu, .budget_ms = 300, .flags = TEST_MANUAL)
{
	if (cpus_online < 2) {
		t_skip(t, "needs a second CPU");
		return;
	}
	if (!t_check(t, smp_call_async(1, spin_forever, NULL) == 0, "cpu1 did not take the call"))
		return;
	for (;;)
		cpu_relax();
}

static void nothing(void *arg)
{
	(void)arg;
}

TEST(selftest, explicit_fail, .flags = TEST_MANUAL)
{
	t_fail(t, "failed on purpose with a \"quoted\" word");
}

TEST(selftest, skip, .flags = TEST_MANUAL)
{
	t_skip(t, "skipped on purpose");
}

/* Hangs with interrupts off: only the NMI watchdog can stop it. */
TEST(selftest, hang_interrupts_off, .budget_ms = 300, .flags = TEST_MANUAL)
{
	if (nmi_watch_cpu() < 0) {
		t_skip(t, "one CPU: no NMI watchdog to stop it");
		return;
	}
	asm volatile("cli");
	for (;;)
		cpu_relax();
}

static void ignore(uint64_t tsc, void *arg)
{
	(void)tsc;
	(void)arg;
}

/* Keeps a vector and its handler: the runner's accounting calls it a leak. */
TEST(selftest, leak, .flags = TEST_MANUAL)
{
	struct vector_assign va;

	if (!t_check(t, vector_alloc(&vectors, 0, &va) == 0, "no vector"))
		return;
	t_check(t, irq_register(0, va.vector, ignore, NULL) == 0, "no handler");
}

/* --- the harness's own accounting (tests/harness/measure.c), on purpose:
 * an interrupt lost, one delivered twice, one spurious; a target CPU whose
 * clock runs behind; a loss while a cross-CPU figure is left out. */

#define ACCT_TRIGGERS	20
#define ACCT_WAIT_MS	1000	/* a delivery later than this is lost: generous, as
				 * for every source (TCG on a busy host holds a vCPU
				 * off its core for tens of ms) */
#define ACCT_NONE_WAIT_MS 20	/* the triggers that raise nothing: short */

struct acct {
	struct irq_probe p;
	int64_t skew;			/* added to each stamp: the target's clock */
	struct vector_assign va;	/* the probe's vector, on `cpu` */
	uint8_t stray;			/* a vector nobody owns */
	uint32_t cpu;
	int twice, spurious, none;
};

static struct acct acct;

/* The target CPU's clock as `skew` cycles from this one's: its stamps
 * moved by that much (QEMU's TCG has one TSC for all CPUs and ignores a
 * write to it, and -cpu max has no IA32_TSC_ADJUST). */
static void acct_handler(uint64_t tsc_now, void *arg)
{
	struct acct *a = arg;

	irq_probe_handler(tsc_now + (uint64_t)a->skew, &a->p);
}

static uint64_t acct_trigger(void *arg)
{
	struct acct *a = arg;
	uint64_t t0 = rdtsc(), c0 = a->p.count;

	if (a->none)
		return t0;
	if (a->cpu == this_cpu()->index)
		lapic_self_ipi(a->va.vector);
	else if (lapic_send_ipi(cpus[a->cpu].apic_id, a->va.vector))
		return t0;
	if (a->twice) {		/* once counted, again: one trigger, two deliveries */
		(void)wait_ms(a->p.count != c0, ACCT_WAIT_MS);
		lapic_self_ipi(a->va.vector);
	}
	if (a->spurious)
		lapic_self_ipi(a->stray);
	return t0;
}

/* ACCT_TRIGGERS triggers as `a` says, measured and reported as a figure on
 * a->cpu (t_latency_on), that CPU's clock a->skew cycles from this one's
 * (the series' offset as if the ping-pong had measured it). */
static void acct_run(struct test_ctx *t, struct acct *a)
{
	struct series *s = t_series(t);
	struct irq_tally tally = { 0 };
	struct vector_assign stray;

	if (!t_check(t, s != NULL, "no memory") ||
	    !t_check(t, vector_alloc(&vectors, (int)a->cpu, &a->va) == 0, "no vector") ||
	    !t_check(t, vector_alloc(&vectors, 0, &stray) == 0, "no second vector"))
		return;
	vector_free(&vectors, &stray);		/* nobody owns it now */
	a->stray = stray.vector;
	if (!t_check(t, irq_register(a->cpu, a->va.vector, acct_handler, a) == 0, "no handler")) {
		vector_free(&vectors, &a->va);
		return;
	}
	t_target_start(t, a->cpu, s);
	s->offset += a->skew;
	measure_irq(&a->p, acct_trigger, a, ACCT_TRIGGERS,
		    ms_to_tsc(a->none ? ACCT_NONE_WAIT_MS : ACCT_WAIT_MS), s, &tally);
	t_latency_on(t, "figure", a->cpu, s, &tally);
	/* A key of the figure's own after it, as the device tests add theirs
	 * (tests/fw/msi.c target_wait): the block must stay YAML whatever
	 * t_latency_on printed (left out, failed). */
	t_yaml(t, "  wait_ms: %u", a->none ? ACCT_NONE_WAIT_MS : ACCT_WAIT_MS);
	if (a->skew < 0)	/* each sample is a latency, the offset taken off */
		t_check(t, s->below == 0, "%lu samples below the offset", s->below);
	irq_unregister(a->cpu, a->va.vector);
	vector_free(&vectors, &a->va);
}

TEST(selftest, lost_counted, .flags = TEST_MANUAL)
{
	acct = (struct acct){ .none = 1 };
	acct_run(t, &acct);
}

TEST(selftest, duplicate_counted, .flags = TEST_MANUAL)
{
	acct = (struct acct){ .twice = 1 };
	acct_run(t, &acct);
}

TEST(selftest, spurious_counted, .flags = TEST_MANUAL)
{
	acct = (struct acct){ .spurious = 1 };
	acct_run(t, &acct);
}

/* Stamps 8 us behind this CPU's clock, as a target CPU whose TSC runs
 * behind would give, and the offset that says so: every delivery, about
 * a microsecond after its trigger on this CPU, must count as fresh once
 * the offset is applied, and be measured. */
TEST(selftest, target_clock_behind, .flags = TEST_MANUAL)
{
	acct = (struct acct){ .skew = -(int64_t)ms_to_tsc(1) * 8 / 1000 };
	acct_run(t, &acct);
}

/* CPU 1's clock a second ahead: the figure is left out (not one clock),
 * and the interrupts lost meanwhile fail the test all the same. */
TEST(selftest, lost_while_figure_left_out, .flags = TEST_MANUAL)
{
	if (cpus_online < 2) {
		t_skip(t, "needs a second CPU");
		return;
	}
	acct = (struct acct){ .cpu = 1, .none = 1, .skew = (int64_t)ms_to_tsc(1000) };
	acct_run(t, &acct);
}

/* The same without a loss: the figure left out and the test SKIPs, its
 * YAML block (the figure's tally and the key after it) still a block. */
TEST(selftest, left_out_skips, .flags = TEST_MANUAL)
{
	if (cpus_online < 2) {
		t_skip(t, "needs a second CPU");
		return;
	}
	acct = (struct acct){ .cpu = 1, .skew = (int64_t)ms_to_tsc(1000) };
	acct_run(t, &acct);
}

TEST(selftest, after, .flags = TEST_MANUAL)
{
	t_check(t, irqs_enabled(), "interrupts off after the failures before");
	for (uint32_t cpu = 0; cpu < cpus_online; cpu++)
		t_check(t, smp_call(cpu, nothing, NULL, SMP_CALL_TIMEOUT_MS) == 0,
			"cpu%u does not answer after the failures before", cpu);
	t_yaml(t, "cpus_answering: %u", cpus_online);
}
