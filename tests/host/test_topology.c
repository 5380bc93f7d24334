// SPDX-License-Identifier: MIT
/* arch/x86/topology.c: APIC ID bits to SMT sibling, same and other package. */
#include "tests/host/host.h"
#include "arch/x86/topology.h"

/* One leaf 0xB/0x1F subleaf: level `type` (ECX[15:8]), next-level shift. */
static struct cpuid level(uint32_t type, uint32_t shift)
{
	return (struct cpuid){ .a = shift, .c = type << 8 };
}

/* QEMU -smp 8,sockets=2,cores=2,threads=2: APIC ID bit 0 thread, bit 1
 * core, bit 2 package (leaf 0xB: SMT shift 1, core shift 2). */
static void two_packages_of_two_cores_of_two_threads(void **state)
{
	const struct cpuid lv[] = { level(1, 1), level(2, 2), level(0, 0) };
	const uint32_t ids[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct topo_shifts s;
	int32_t out[REL_N];

	(void)state;
	assert_int_equal(topo_from_levels(lv, 3, TOPO_LEAF_B, &s), 0);
	assert_int_equal(s.smt, 1);
	assert_int_equal(s.pkg, 2);
	assert_int_equal(topo_relation(&s, 0, 0), REL_SELF);
	assert_int_equal(topo_relation(&s, 0, 1), REL_SMT_SIBLING);
	assert_int_equal(topo_relation(&s, 0, 2), REL_SAME_PACKAGE);
	assert_int_equal(topo_relation(&s, 0, 3), REL_SAME_PACKAGE);
	assert_int_equal(topo_relation(&s, 1, 4), REL_OTHER_PACKAGE);
	assert_int_equal(topo_relation(&s, 6, 7), REL_SMT_SIBLING);
	topo_targets(&s, ids, 8, 0, out);
	assert_int_equal(out[REL_SELF], 0);
	assert_int_equal(out[REL_SMT_SIBLING], 1);
	assert_int_equal(out[REL_SAME_PACKAGE], 2);
	assert_int_equal(out[REL_OTHER_PACKAGE], 4);
	topo_targets(&s, ids, 8, 5, out);	/* from CPU 5: its sibling is 4 */
	assert_int_equal(out[REL_SMT_SIBLING], 4);
	assert_int_equal(out[REL_SAME_PACKAGE], 6);
	assert_int_equal(out[REL_OTHER_PACKAGE], 0);
	assert_string_equal(topo_relation_name(REL_OTHER_PACKAGE), "other_package");
}

/* No SMT (QEMU -smp 4: four cores), die levels between core and package
 * (leaf 0x1F), and a hierarchy that does not add up. */
static void levels_without_smt_with_dies_and_bad(void **state)
{
	const struct cpuid cores[] = { level(2, 2), level(0, 0) };
	const struct cpuid dies[] = { level(1, 1), level(2, 4), level(5, 6), level(0, 0) };
	const struct cpuid shrink[] = { level(1, 3), level(2, 2) };
	const uint32_t ids[] = { 0, 1, 2, 3 };
	struct topo_shifts s;
	int32_t out[REL_N];

	(void)state;
	assert_int_equal(topo_from_levels(cores, 2, TOPO_LEAF_B, &s), 0);
	assert_int_equal(s.smt, 0);
	assert_int_equal(s.pkg, 2);
	topo_targets(&s, ids, 4, 0, out);
	assert_int_equal(out[REL_SMT_SIBLING], -1);
	assert_int_equal(out[REL_SAME_PACKAGE], 1);
	assert_int_equal(out[REL_OTHER_PACKAGE], -1);

	assert_int_equal(topo_from_levels(dies, 4, TOPO_LEAF_1F, &s), 0);
	assert_int_equal(s.pkg, 6);	/* the die is inside the package */
	assert_int_equal(topo_relation(&s, 0, 16), REL_SAME_PACKAGE);
	assert_int_equal(topo_relation(&s, 0, 64), REL_OTHER_PACKAGE);

	assert_int_equal(topo_from_levels(shrink, 2, TOPO_LEAF_B, &s), -1);
	assert_int_equal(topo_from_levels(cores + 1, 1, TOPO_LEAF_B, &s), -1);	/* no level */
	topo_targets(&s, ids, 4, 9, out);	/* `from` out of range: nothing */
	assert_int_equal(out[REL_SELF], -1);
}

/* CPUID 1's count and AMD's threads per core, rounded up to powers of two. */
static void legacy_counts(void **state)
{
	struct topo_shifts s;

	(void)state;
	topo_from_counts(16, 2, &s);
	assert_int_equal(s.pkg, 4);
	assert_int_equal(s.smt, 1);
	assert_int_equal(s.source, TOPO_LEGACY);
	topo_from_counts(6, 1, &s);
	assert_int_equal(s.pkg, 3);
	assert_int_equal(s.smt, 0);
	topo_from_counts(0, 4, &s);	/* a count of 0 is 1; SMT never wider than the package */
	assert_int_equal(s.pkg, 0);
	assert_int_equal(s.smt, 0);
	assert_int_equal(topo_relation(&s, 0, 1), REL_OTHER_PACKAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_packages_of_two_cores_of_two_threads),
		cmocka_unit_test(levels_without_smt_with_dies_and_bad),
		cmocka_unit_test(legacy_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
