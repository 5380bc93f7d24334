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

TEST(selftest, after, .flags = TEST_MANUAL)
{
	t_check(t, irqs_enabled(), "interrupts off after the failures before");
	for (uint32_t cpu = 0; cpu < cpus_online; cpu++)
		t_check(t, smp_call(cpu, nothing, NULL, SMP_CALL_TIMEOUT_MS) == 0,
			"cpu%u does not answer after the failures before", cpu);
	t_yaml(t, "cpus_answering: %u", cpus_online);
}
