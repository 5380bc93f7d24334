// SPDX-License-Identifier: MIT
/*
 * selftest.*: the runner's own failure paths. These tests fail on purpose,
 * so they are manual (tests=selftest.*); the harness configuration
 * "selftest" checks that each fails the way it should and that the run
 * goes on (tests/qemu/configs).
 */
#include "kernel/test.h"
#include "arch/x86/cpu.h"

TEST_FULL(selftest, unguarded_ud, 0, TEST_MANUAL)
{
	(void)t;
	asm volatile("ud2");
}

TEST_FULL(selftest, unguarded_pf, 0, TEST_MANUAL)
{
	(void)t;
	*(volatile uint32_t *)phys_ptr(0x20) = 1;	/* page 0 is not mapped */
}

TEST_FULL(selftest, hang, 300, TEST_MANUAL)
{
	(void)t;
	for (;;)
		cpu_relax();
}

TEST_FULL(selftest, explicit_fail, 0, TEST_MANUAL)
{
	t_fail(t, "failed on purpose with a \"quoted\" word");
}

TEST_FULL(selftest, skip, 0, TEST_MANUAL)
{
	t_skip(t, "skipped on purpose");
}

TEST_FULL(selftest, after, 0, TEST_MANUAL)
{
	t_check(t, irqs_enabled(), "interrupts off after the failures before");
}
