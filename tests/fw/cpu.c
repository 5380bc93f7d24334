// SPDX-License-Identifier: MIT
/* cpu.*: exceptions inside a test are caught, reported and survived. */
#include "tests/harness/test.h"
#include "arch/x86/exception.h"

#define PF_ERR_PRESENT	(1u << 0)
#define PF_ERR_WRITE	(1u << 1)

extern const char cpu_test_ud_insn[];

static __attribute__((noinline)) void raise_ud(void *arg)
{
	(void)arg;
	asm volatile(".globl cpu_test_ud_insn\n"
		     ".hidden cpu_test_ud_insn\n"
		     "cpu_test_ud_insn: ud2");
}

static __attribute__((noinline)) void write_page0(void *arg)
{
	*(volatile uint64_t *)arg = 0x5a;	/* page 0 is not mapped */
}

TEST(cpu, exception_recovery)
{
	struct recover r;
	int v;

	v = cpu_guarded_call(raise_ud, NULL, &r);
	t_yaml(t, "ud: {vector: %d, rip: 0x%lx, expected_rip: 0x%lx}", v,
	       v >= 0 ? r.frame.rip : 0, (uint64_t)(uintptr_t)cpu_test_ud_insn);
	t_check(t, v == 6, "ud2 raised vector %d, not #UD (6)", v);
	t_check(t, v != 6 || r.frame.rip == (uintptr_t)cpu_test_ud_insn,
		"#UD reported at rip 0x%lx, the ud2 is at 0x%lx", r.frame.rip,
		(uint64_t)(uintptr_t)cpu_test_ud_insn);

	v = cpu_guarded_call(write_page0, (void *)0x18, &r);
	t_yaml(t, "pf: {vector: %d, cr2: 0x%lx, error: 0x%lx}", v, v >= 0 ? r.cr2 : 0,
	       v >= 0 ? r.frame.error : 0);
	t_check(t, v == 14, "write to page 0 raised vector %d, not #PF (14)", v);
	t_check(t, v != 14 || r.cr2 == 0x18, "#PF CR2 0x%lx, expected 0x18", r.cr2);
	t_check(t, v != 14 || (r.frame.error & (PF_ERR_PRESENT | PF_ERR_WRITE)) == PF_ERR_WRITE,
		"#PF error code 0x%lx: expected a write to a non-present page", r.frame.error);

	/* And the test itself goes on with interrupts and stack intact. */
	v = cpu_guarded_call(raise_ud, NULL, &r);
	t_check(t, v == 6, "second #UD: vector %d", v);
	t_check(t, recover_top != &r, "recovery point left on the stack");
}
