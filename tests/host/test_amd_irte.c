// SPDX-License-Identifier: MIT
/*
 * drivers/iommu/amd/irte.c: both IRTE formats bit by bit against the
 * layouts of 48882 rev 3.08 2.2.5 (and Linux's union irte, irte_ga_lo/hi),
 * the DTE interrupt qword (2.2.2), the message and the commands (2.4).
 */
#include "tests/host/host.h"
#include "drivers/iommu/amd/irte.h"

static void irte32_layout(void **state)
{
	uint8_t v;
	uint32_t id;

	(void)state;
	/* RemapEn bit 0, IntType 0 (fixed), DM 0, destination 15:8, vector 23:16. */
	assert_int_equal(amd_irte32(0x41, 0x12), 0x00411201u);
	assert_int_equal(amd_irte32(0xff, 0xff), 0x00ffff01u);
	assert_int_equal(amd_irte32(0x30, 0x100), 0);	/* APIC ID 256 does not fit */
	assert_int_equal(amd_irte32_decode(0x00411201u, &v, &id), 1);
	assert_int_equal(v, 0x41);
	assert_int_equal(id, 0x12);
	assert_int_equal(amd_irte32_decode(0x00411200u, &v, &id), 0);	/* RemapEn clear */
}

static void irte_ga_layout(void **state)
{
	struct amd_irte_ga e = amd_irte_ga(0x41, 0x12345678);
	uint8_t v;
	uint32_t id;

	(void)state;
	/* low: RemapEn, destination[23:0] in 31:8; high: vector 7:0, destination[31:24] 63:56. */
	assert_int_equal(e.lo, 0x0000000034567801ull);
	assert_int_equal(e.hi, 0x1200000000000041ull);
	assert_int_equal(amd_irte_ga_decode(e, &v, &id), 1);
	assert_int_equal(v, 0x41);
	assert_int_equal(id, 0x12345678);
	e = amd_irte_ga(0x30, 0x12);			/* an xAPIC ID: high byte 0 */
	assert_int_equal(e.lo, 0x1201ull);
	assert_int_equal(e.hi, 0x30ull);
	e.lo &= ~1ull;
	assert_int_equal(amd_irte_ga_decode(e, &v, &id), 0);
}

static void dte_interrupt_qword(void **state)
{
	(void)state;
	/* IV, IntTabLen 9 (512 entries), root 0x12345000 at bits 51:6, IntCtl 2. */
	assert_int_equal(amd_dte_intr(0x12345000, 9), 0x2000000012345013ull);
	assert_int_equal(amd_dte_intr(0x12345000, 9) & AMD_DTE_IG, 0);	/* unmapped: a fault */
	assert_int_equal(amd_dte_intr(0x12345040, 0), 0x2000000012345041ull);
	assert_int_equal(amd_dte_intr(0x12345020, 9), 0);	/* not 64-byte aligned */
	assert_int_equal(amd_dte_intr(0x12345000, 12), 0);	/* 12-15 reserved */
	assert_int_equal(amd_dte_intr(1ull << 52, 9), 0);	/* beyond 52 bits */
}

static void message(void **state)
{
	struct msi_msg m;

	(void)state;
	assert_int_equal(amd_msg_compose(0x105, &m), 0);
	assert_int_equal(m.address_lo, 0xfee00000u);
	assert_int_equal(m.address_hi, 0);
	assert_int_equal(m.data, 0x105);
	assert_int_equal(amd_msg_compose(0x1ff, &m), 0);	/* the last usable index */
	assert_int_equal(m.data, 0x1ff);
	/* 0x200: data bits 10:8 = 2, an SMI to the IOMMU, not a table index. */
	assert_int_equal(amd_msg_compose(0x200, &m), -1);
}

static void commands(void **state)
{
	struct amd_cmd c = amd_cmd_completion_wait(0x123456788ull, 0xdeadbeefcafef00dull);

	(void)state;
	/* q0: S (bit 0), store address 51:3, opcode 1 in 63:60; q1: the data. */
	assert_int_equal(c.w[0], 0x23456789u);
	assert_int_equal(c.w[1], 0x10000001u);
	assert_int_equal(c.w[2], 0xcafef00du);
	assert_int_equal(c.w[3], 0xdeadbeefu);
	c = amd_cmd_inv_intr_table(0x0118);
	assert_int_equal(c.w[0], 0x0118);
	assert_int_equal(c.w[1], 0x50000000u);
	assert_int_equal(c.w[2] | c.w[3], 0);
	c = amd_cmd_inv_devtab_entry(0x0100);
	assert_int_equal(c.w[0], 0x0100);
	assert_int_equal(c.w[1], 0x20000000u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(irte32_layout),
		cmocka_unit_test(irte_ga_layout),
		cmocka_unit_test(dte_interrupt_qword),
		cmocka_unit_test(message),
		cmocka_unit_test(commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
