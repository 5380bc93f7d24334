// SPDX-License-Identifier: MIT
/* arch/x86/apic_mode.c: the local APIC mode decision table. */
#include "tests/host/host.h"
#include "arch/x86/apic_mode.h"

static struct apic_decision decide(struct apic_facts f)
{
	return apic_mode_decide(&f);
}

static void locked_is_never_left(void **state)
{
	struct apic_decision d = decide((struct apic_facts){ .request = LAPIC_WANT_XAPIC,
		.has_x2apic = 1, .locked = 1, .bios_enabled_x2apic = 1, .dmar_opt_out = 1 });

	(void)state;
	assert_int_equal(d.mode, LAPIC_X2APIC);
	assert_int_equal(d.reason, APIC_REASON_LOCKED);
	assert_true(d.overridden);
}

static void requests_followed_where_the_cpu_allows(void **state)
{
	(void)state;
	assert_int_equal(decide((struct apic_facts){ .request = LAPIC_WANT_XAPIC, .has_x2apic = 1,
						      .bios_enabled_x2apic = 1 }).mode, LAPIC_XAPIC);
	assert_int_equal(decide((struct apic_facts){ .request = LAPIC_WANT_X2APIC, .has_x2apic = 1,
						      .dmar_opt_out = 1 }).mode, LAPIC_X2APIC);
	struct apic_decision d = decide((struct apic_facts){ .request = LAPIC_WANT_X2APIC });
	assert_int_equal(d.mode, LAPIC_XAPIC);
	assert_int_equal(d.reason, APIC_REASON_NO_X2APIC);
	assert_true(d.overridden);
}

static void auto_follows_the_platform(void **state)
{
	struct apic_facts f = { .request = LAPIC_AUTO, .has_x2apic = 1, .remapping = 1,
				.bare_metal = 1, .max_apic_id = 15 };
	struct apic_decision d;

	(void)state;
	d = decide(f);
	assert_int_equal(d.mode, LAPIC_X2APIC);
	assert_int_equal(d.reason, APIC_REASON_AVAILABLE);
	/* The DMAR's opt-out, unless the BIOS already runs x2APIC. */
	f.dmar_opt_out = 1;
	d = decide(f);
	assert_int_equal(d.mode, LAPIC_XAPIC);
	assert_string_equal(apic_reason_name(d.reason), "dmar-opt-out");
	f.bios_enabled_x2apic = 1;
	assert_int_equal(decide(f).mode, LAPIC_X2APIC);
	/* Bare metal without remapping: xAPIC while the IDs fit... */
	f = (struct apic_facts){ .request = LAPIC_AUTO, .has_x2apic = 1, .bare_metal = 1,
				 .max_apic_id = 200 };
	d = decide(f);
	assert_int_equal(d.mode, LAPIC_XAPIC);
	assert_int_equal(d.reason, APIC_REASON_NO_REMAPPING);
	/* ... x2APIC when they do not (the CPUs could not start otherwise). */
	f.max_apic_id = 300;
	d = decide(f);
	assert_int_equal(d.mode, LAPIC_X2APIC);
	assert_int_equal(d.reason, APIC_REASON_WIDE_IDS);
	f.dmar_opt_out = 1;	/* an opt-out cannot shrink the IDs either */
	assert_int_equal(decide(f).mode, LAPIC_X2APIC);
	/* Under a hypervisor without remapping, x2APIC as offered. */
	f = (struct apic_facts){ .request = LAPIC_AUTO, .has_x2apic = 1, .max_apic_id = 3 };
	assert_int_equal(decide(f).mode, LAPIC_X2APIC);
	/* No x2APIC at all. */
	f.has_x2apic = 0;
	assert_int_equal(decide(f).reason, APIC_REASON_NO_X2APIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locked_is_never_left),
		cmocka_unit_test(requests_followed_where_the_cpu_allows),
		cmocka_unit_test(auto_follows_the_platform),
	};
	return RUN(tests);
}
