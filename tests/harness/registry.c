// SPDX-License-Identifier: MIT
/*
 * The report's order, declared: suites in this order, each suite's tests
 * in source order (a suite lives in one file). The tests themselves come
 * from the msilab_tests linker section that TEST() fills.
 */
#include "tests/harness/registry.h"
#include "lib/console.h"
#include "lib/string.h"

extern const struct test __tests_start[], __tests_end[];

static const char *const suite_order[] = {
	"boot", "cpu", "timer", "lapic", "smp", "vector", "ioapic", "acpi", "pci",
	"edu", "e1000e", "igb", "hpet", "vtd_inv", "amdvi_cw", "ims", "msi", "iommu", "soak", "selftest",
};

#define NSUITES (sizeof(suite_order) / sizeof(suite_order[0]))

static const struct test *sorted[REGISTRY_MAX];
static uint32_t nsorted;

static uint32_t rank(const struct test *t)
{
	for (uint32_t i = 0; i < NSUITES; i++)
		if (!strcmp(suite_order[i], t->suite))
			return i;
	return NSUITES;	/* not declared: last */
}

static int before(const struct test *a, const struct test *b)
{
	uint32_t ra = rank(a), rb = rank(b);

	if (ra != rb)
		return ra < rb;
	if (ra == NSUITES && strcmp(a->suite, b->suite))
		return strcmp(a->suite, b->suite) < 0;
	return a->line < b->line;
}

static void check(void)
{
	for (uint32_t i = 0; i < nsorted; i++) {
		const struct test *t = sorted[i], *prev = i ? sorted[i - 1] : 0;
		int same_suite = prev && !strcmp(prev->suite, t->suite);

		if (rank(t) == NSUITES && !same_suite)
			warn("registry: suite %s is not in the report order "
			     "(tests/harness/registry.c); it runs last", t->suite);
		if (same_suite && strcmp(prev->file, t->file))
			warn("registry: suite %s is spread over %s and %s", t->suite, prev->file,
			     t->file);
		for (uint32_t j = 0; j < i; j++)
			if (!strcmp(sorted[j]->suite, t->suite) && !strcmp(sorted[j]->name, t->name))
				warn("registry: %s.%s is declared twice", t->suite, t->name);
	}
	if (__tests_end - __tests_start > REGISTRY_MAX)
		warn("registry: %ld tests, only the first %d are run",
		     (long)(__tests_end - __tests_start), REGISTRY_MAX);
}

uint32_t registry_tests(const struct test ***out)
{
	if (!nsorted) {
		/* Insertion sort: a few hundred entries, once. */
		for (const struct test *t = __tests_start; t < __tests_end && nsorted < REGISTRY_MAX;
		     t++) {
			uint32_t i = nsorted++;

			for (; i > 0 && before(t, sorted[i - 1]); i--)
				sorted[i] = sorted[i - 1];
			sorted[i] = t;
		}
		check();
	}
	*out = sorted;
	return nsorted;
}

void registry_print(void)
{
	const struct test **all;
	uint32_t n = registry_tests(&all);

	for (uint32_t i = 0; i < n; i++)
		kprintf("# test %s.%s %s needs=\"%s\" budget_ms=%u file=%s:%u\n", all[i]->suite,
			all[i]->name, all[i]->flags & TEST_MANUAL ? "manual" : "default",
			all[i]->needs ? all[i]->needs : "", test_budget_ms(all[i]), all[i]->file,
			all[i]->line);
}
