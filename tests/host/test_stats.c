// SPDX-License-Identifier: MIT
/* lib/stats.c: percentiles, mean, histogram, sorting, mul_div_u64. */
#include <stdlib.h>
#include "tests/host/host.h"
#include "lib/stats.h"

static uint64_t v[100000];

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void nearest_rank_percentiles(void **state)
{
	struct stats s;

	(void)state;
	for (int i = 0; i < 100; i++)
		v[i] = 100 - i;		/* 1..100, reversed */
	stats_compute(v, 100, &s);
	assert_int_equal(s.n, 100);
	assert_int_equal(s.min, 1);
	assert_int_equal(s.p50, 50);
	assert_int_equal(s.p90, 90);
	assert_int_equal(s.p99, 99);
	assert_int_equal(s.p999, 100);
	assert_int_equal(s.max, 100);
	assert_int_equal(s.mean, 51);	/* 50.5 rounded */
}

static void percentile_edges(void **state)
{
	uint64_t one = 7;
	struct stats s;

	(void)state;
	stats_compute(&one, 1, &s);
	assert_int_equal(s.min, 7);
	assert_int_equal(s.p50, 7);
	assert_int_equal(s.p999, 7);
	assert_int_equal(s.max, 7);
	assert_int_equal(s.hist[0], 1);
	stats_compute(v, 0, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.max, 0);
	for (int i = 0; i < 1000; i++)
		v[i] = i + 1;
	assert_int_equal(stats_percentile(v, 1000, 999, 1000), 999);
	assert_int_equal(stats_percentile(v, 1000, 1, 1000), 1);
	assert_int_equal(stats_percentile(v, 1000, 0, 100), 1);
}

static void sort_matches_qsort(void **state)
{
	static uint64_t ref[100000];

	(void)state;
	srand(1);
	for (int i = 0; i < 100000; i++)
		ref[i] = v[i] = ((uint64_t)rand() << 20) ^ (uint64_t)rand();
	for (int i = 0; i < 1000; i++)
		ref[i] = v[i] = 42;	/* duplicates */
	stats_sort(v, 100000);
	qsort(ref, 100000, sizeof(ref[0]), cmp);
	assert_memory_equal(v, ref, sizeof(ref));
}

static void histogram_covers_every_sample(void **state)
{
	struct stats s;
	uint64_t total;

	(void)state;
	/* A body at 500..599 and a tail of 10 samples at 50000. */
	for (int i = 0; i < 990; i++)
		v[i] = 500 + i % 100;
	for (int i = 990; i < 1000; i++)
		v[i] = 50000;
	stats_compute(v, 1000, &s);
	total = s.hist_overflow;
	for (int i = 0; i < HIST_BUCKETS; i++)
		total += s.hist[i];
	assert_int_equal(total, 1000);
	assert_int_equal(s.hist_overflow, 10);	/* the tail */
	assert_true(s.hist_lo <= s.min);
	assert_true(s.hist_lo + HIST_BUCKETS * s.hist_width > s.p90);
	/* widths are 1, 2 or 5 times a power of ten */
	for (uint64_t w = s.hist_width; w >= 10; w /= 10)
		assert_int_equal(w % 10, 0);
	assert_true(s.hist_width == 1 || s.hist_width == 2 || s.hist_width == 5 ||
		    s.hist_width % 10 == 0);
	assert_int_equal(s.hist_width, 20);	/* span 2 * (589 - 500) + 1 = 179 -> /16 -> 20 */
	assert_int_equal(s.hist_lo, 500);
	assert_int_equal(s.hist[0], 200);	/* 500..519: 20 values, 10 samples each */
}

static void constant_samples(void **state)
{
	struct stats s;

	(void)state;
	for (int i = 0; i < 500; i++)
		v[i] = 25;
	stats_compute(v, 500, &s);
	assert_int_equal(s.p50, 25);
	assert_int_equal(s.max, s.p50);
	assert_int_equal(s.hist_width, 1);
	assert_int_equal(s.hist[0], 500);
	assert_int_equal(s.hist_overflow, 0);
}

static void mul_div(void **state)
{
	(void)state;
	assert_int_equal(mul_div_u64(3, 1000000000ull, 3000000000ull), 1);
	/* 2^40 cycles at 3 GHz in ns: the product overflows 64 bits. */
	assert_int_equal(mul_div_u64(1ull << 40, 1000000000ull, 3000000000ull), 366503875925ull);
	assert_int_equal(mul_div_u64(UINT64_MAX, 2, 1), UINT64_MAX);	/* saturates */
	assert_int_equal(mul_div_u64(0, 5, 7), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nearest_rank_percentiles),
		cmocka_unit_test(percentile_edges),
		cmocka_unit_test(sort_matches_qsort),
		cmocka_unit_test(histogram_covers_every_sample),
		cmocka_unit_test(constant_samples),
		cmocka_unit_test(mul_div),
	};
	return RUN(tests);
}
