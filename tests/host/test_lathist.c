// SPDX-License-Identifier: MIT
/*
 * lib/lathist.c: every percentile within 1/256 of the exact
 * nearest-rank value of a sorted copy, on random and adversarial
 * distributions; exact count, min, max and mean; the bucket layout.
 */
#include <stdlib.h>
#include "tests/host/host.h"
#include "lib/lathist.h"
#include "tests/host/xorshift.h"

#define N_MAX 1000000
static uint64_t v[N_MAX];
static struct lathist h;



static const uint64_t parts[][2] = {
	{ 1, 1000000 }, { 1, 100 }, { 50, 100 }, { 90, 100 }, { 99, 100 }, { 999, 1000 },
	{ 9999, 10000 }, { 999999, 1000000 }, { 1, 1 },
};

/* Record v[0..n), then hold every percentile against the sorted copy. */
static void check(uint32_t n)
{
	unsigned __int128 sum = 0;

	lathist_init(&h);
	for (uint32_t i = 0; i < n; i++) {
		lathist_record(&h, v[i]);
		sum += v[i];
	}
	qsort(v, n, sizeof(v[0]), cmp_u64);
	assert_int_equal(h.count, n);
	assert_int_equal(h.min, v[0]);
	assert_int_equal(h.max, v[n - 1]);
	assert_int_equal(lathist_mean(&h), (uint64_t)((sum + n / 2) / n));
	for (size_t p = 0; p < sizeof(parts) / sizeof(parts[0]); p++) {
		uint64_t rank = ((unsigned __int128)n * parts[p][0] + parts[p][1] - 1) / parts[p][1];
		uint64_t exact = v[(rank ? rank : 1) - 1];
		uint64_t got = lathist_percentile(&h, parts[p][0], parts[p][1]);
		uint64_t err = got > exact ? got - exact : exact - got;

		/* |got - exact| <= exact / 256, exactly */
		if ((unsigned __int128)err << (LATHIST_SUB_BITS + 1) > exact)
			fail_msg("n=%u p=%lu/%lu: got %lu, exact %lu", n, parts[p][0], parts[p][1],
				 got, exact);
	}
}

static void layout(void **state)
{
	(void)state;
	assert_int_equal(LATHIST_ERROR_PPM, 3907);	/* 1/256, rounded up */
	for (uint64_t x = 0; x < 300000; x++) {
		uint32_t i = lathist_index(x);

		assert_true(x >= lathist_lower(i) && x < lathist_lower(i) + lathist_width(i));
		assert_true(lathist_width(i) * 128 <= (lathist_lower(i) > 256 ? lathist_lower(i) : 256));
	}
	for (int e = 8; e < LATHIST_MAX_BITS; e++) {
		uint64_t lo = 1ull << e, hi = (2ull << e) - 1;

		assert_int_equal(lathist_lower(lathist_index(lo)), lo);
		assert_int_equal(lathist_lower(lathist_index(hi)) + lathist_width(lathist_index(hi)),
				 hi + 1);
	}
	assert_int_equal(lathist_index((1ull << LATHIST_MAX_BITS) - 1), LATHIST_BUCKETS - 1);
	assert_int_equal(lathist_index(255) + 1, lathist_index(256));
}

static void empty_and_single(void **state)
{
	(void)state;
	lathist_init(&h);
	assert_int_equal(lathist_percentile(&h, 50, 100), 0);
	assert_int_equal(lathist_mean(&h), 0);
	v[0] = 123456789;
	check(1);
	assert_int_equal(lathist_percentile(&h, 50, 100), 123456789);	/* clamped to min=max */
	/* The mean rounds half up, as lib/stats.c does: (1 + 2) / 2 is 2. */
	v[0] = 1;
	v[1] = 2;
	check(2);
	assert_int_equal(lathist_mean(&h), 2);
}

static void uniform_random(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < N_MAX; i++)
		v[i] = rnd() % 1000000;
	check(N_MAX);
}

static void log_uniform_random(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < N_MAX; i++)
		v[i] = rnd() >> (rnd() % 48 + 16);	/* below 2^48, every octave alike */
	check(N_MAX);
}

/* The latency shape: a narrow body and a long, thin tail. */
static void body_and_tail(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < N_MAX; i++)
		v[i] = i % 1000 ? 900 + rnd() % 200 : 50000 + rnd() % 10000000;
	check(N_MAX);
}

/* Every value on a bucket's edge, or one below, where rounding bites. */
static void bucket_edges(void **state)
{
	uint32_t n = 0;

	(void)state;
	for (uint32_t i = LATHIST_LINEAR; i < LATHIST_BUCKETS && n + 2 < N_MAX; i += 7) {
		v[n++] = lathist_lower(i);
		v[n++] = lathist_lower(i) + lathist_width(i) - 1;
	}
	check(n);
}

static void constant_and_bimodal(void **state)
{
	(void)state;
	for (uint32_t i = 0; i < 1000; i++)
		v[i] = 1000003;
	check(1000);
	for (uint32_t i = 0; i < 100001; i++)
		v[i] = i % 2 ? 10 : 10000019;
	check(100001);
}

static void beyond_the_range(void **state)
{
	(void)state;
	lathist_init(&h);
	lathist_record(&h, 5);
	lathist_record(&h, UINT64_MAX);
	assert_int_equal(h.beyond, 1);
	assert_int_equal(lathist_percentile(&h, 1, 2), 5);
	assert_int_equal(lathist_percentile(&h, 1, 1), UINT64_MAX);
	assert_int_equal(lathist_mean(&h), UINT64_MAX / 2 + 3);	/* (2^64 + 4) / 2 */
	/* A sum just below 2^64 carries when the rounding half is added:
	 * (0 + 2^64 - 1 + 1) / 2 is 2^63. */
	lathist_init(&h);
	lathist_record(&h, 0);
	lathist_record(&h, UINT64_MAX);
	assert_int_equal(lathist_mean(&h), 1ull << 63);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout),
		cmocka_unit_test(empty_and_single),
		cmocka_unit_test(uniform_random),
		cmocka_unit_test(log_uniform_random),
		cmocka_unit_test(body_and_tail),
		cmocka_unit_test(bucket_edges),
		cmocka_unit_test(constant_and_bimodal),
		cmocka_unit_test(beyond_the_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
