// SPDX-License-Identifier: MIT
/* cpu.*: exceptions inside a test are caught, reported and survived. */
#include "tests/harness/test.h"
#include "arch/x86/exception.h"
#include "arch/x86/cpu.h"

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

/* MOVDIR64B (SDM Vol. 2B): 64 bytes from any source to a 64-byte aligned
 * destination, #GP(0) when the destination is not aligned. msilab submits
 * DSA/IAA descriptors with it; under TCG only the QEMU built from qemu/ has
 * it (qemu/patches/0002-tcg-movdir64b.patch). Destination in RAX, source
 * at [RDX], as drivers/idxd/instance.c writes it. */
static void movdir64b(void *dst, const void *src)
{
	asm volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0x02"
		     : : "a"(dst), "d"(src), "m"(*(const char (*)[64])src) : "memory");
}

struct movdir64b_args {
	void *dst;
	const void *src;
};

static void movdir64b_call(void *arg)
{
	struct movdir64b_args *a = arg;

	movdir64b(a->dst, a->src);
}

TEST(cpu, movdir64b)
{
	static uint8_t src[64 + 8], dst[128] __attribute__((aligned(64)));
	struct movdir64b_args a;
	struct recover r;
	int i, wrong = 0, v;

	if (cpuid(0, 0).a < 7 || !(cpuid(7, 0).c & (1u << 28))) {
		t_skip(t, "the CPU lacks MOVDIR64B (CPUID.7.0:ECX[28])");
		return;
	}
	for (i = 0; i < (int)sizeof(src); i++)
		src[i] = (uint8_t)(i * 7 + 1);
	for (i = 0; i < (int)sizeof(dst); i++)
		dst[i] = 0xee;
	a = (struct movdir64b_args){ dst, src + 3 };	/* the source need not be aligned */
	v = cpu_guarded_call(movdir64b_call, &a, &r);
	t_check(t, v < 0, "MOVDIR64B to an aligned destination raised vector %d", v);
	for (i = 0; i < 64; i++)
		wrong += dst[i] != src[3 + i];
	t_check(t, wrong == 0, "%d of 64 bytes differ from the source", wrong);
	t_check(t, dst[64] == 0xee, "MOVDIR64B wrote past its 64 bytes");

	for (i = 0; i < (int)sizeof(dst); i++)
		dst[i] = 0xee;
	a.dst = dst + 8;
	v = cpu_guarded_call(movdir64b_call, &a, &r);
	t_yaml(t, "unaligned_destination: {vector: %d}", v);
	t_check(t, v == 13, "MOVDIR64B to a destination 8 bytes off alignment: vector %d, not #GP (13)", v);
	t_check(t, dst[8] == 0xee, "the faulting MOVDIR64B wrote its destination");
}
