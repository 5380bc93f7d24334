// SPDX-License-Identifier: MIT
/* lib/pfa.c: the page-frame allocator's free-range list. */
#include "tests/host/host.h"
#include "lib/pfa.h"

#define MiB (1ull << 20)

static struct pfa a;

static void build(void)
{
	static const struct mem_region map[] = {
		{ 0, 640 << 10, MEM_USABLE },
		{ 0xf0000, 0x10000, MEM_RESERVED },
		{ MiB + 100, 15 * MiB, MEM_USABLE },	/* unaligned start: rounded in */
		{ 32 * MiB, 32 * MiB, MEM_ACPI_RECLAIM },
	};

	pfa_init(&a, map, 4);
}

static void init_takes_usable_pages_only(void **state)
{
	(void)state;
	build();
	assert_int_equal(a.n, 2);
	assert_int_equal(a.r[0].base, PAGE_SIZE);	/* page 0 is never handed out */
	assert_int_equal(a.r[0].pages, 159);
	assert_int_equal(a.r[1].base, MiB + PAGE_SIZE);
	assert_int_equal(a.r[1].pages, (16 * MiB - MiB - PAGE_SIZE) / PAGE_SIZE);
}

static void reserve_splits_and_trims(void **state)
{
	uint64_t before;

	(void)state;
	build();
	before = pfa_free_pages(&a);
	pfa_reserve(&a, 0, MiB);			/* all of low memory */
	pfa_reserve(&a, 4 * MiB + 1, 10);		/* rounds out to one page */
	assert_int_equal(a.n, 2);
	assert_int_equal(a.r[0].base, MiB + PAGE_SIZE);
	assert_int_equal(a.r[1].base, 4 * MiB + PAGE_SIZE);
	assert_int_equal(pfa_free_pages(&a), before - 159 - 1);
}

static void alloc_aligned_below_limit(void **state)
{
	uint64_t p, q;

	(void)state;
	build();
	pfa_reserve(&a, 0, MiB);
	p = pfa_alloc(&a, 1, PAGE_SIZE, ~0ull);
	assert_int_equal(p, MiB + PAGE_SIZE);
	q = pfa_alloc(&a, 4, 2 * MiB, ~0ull);
	assert_int_equal(q, 2 * MiB);
	assert_int_equal(pfa_alloc(&a, 1, PAGE_SIZE, MiB), 0);	/* nothing below 1 MiB */
	assert_int_equal(pfa_alloc(&a, 100000, PAGE_SIZE, ~0ull), 0);	/* too big */
	assert_int_equal(pfa_alloc(&a, 0, PAGE_SIZE, ~0ull), 0);
}

static void free_merges_back(void **state)
{
	uint64_t before, p, q;

	(void)state;
	build();
	before = pfa_free_pages(&a);
	p = pfa_alloc(&a, 3, PAGE_SIZE, ~0ull);
	q = pfa_alloc(&a, 5, 64 << 10, ~0ull);
	assert_true(p && q);
	pfa_free(&a, q, 5);
	pfa_free(&a, p, 3);
	assert_int_equal(pfa_free_pages(&a), before);
	assert_int_equal(a.n, 2);
}

static void exhaustion_and_lost_ranges(void **state)
{
	static struct mem_region map[PFA_RANGES + 8];

	(void)state;
	for (int i = 0; i < PFA_RANGES + 8; i++)
		map[i] = (struct mem_region){ (uint64_t)(i + 1) * 2 * PAGE_SIZE, PAGE_SIZE, MEM_USABLE };
	pfa_init(&a, map, PFA_RANGES + 8);
	assert_int_equal(a.n, PFA_RANGES);
	assert_int_equal(a.lost_pages, 8);
	for (int i = 0; i < PFA_RANGES; i++)
		assert_int_not_equal(pfa_alloc(&a, 1, PAGE_SIZE, ~0ull), 0);
	assert_int_equal(pfa_alloc(&a, 1, PAGE_SIZE, ~0ull), 0);
	assert_int_equal(pfa_free_pages(&a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_takes_usable_pages_only),
		cmocka_unit_test(reserve_splits_and_trims),
		cmocka_unit_test(alloc_aligned_below_limit),
		cmocka_unit_test(free_merges_back),
		cmocka_unit_test(exhaustion_and_lost_ranges),
	};
	return RUN(tests);
}
