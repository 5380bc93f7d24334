/* SPDX-License-Identifier: MIT */
/* Host tests and benchmarks: the same pseudo-random sequence on every host
 * (xorshift64*, Vigna 2016), and an order for qsort of uint64_t. */
#ifndef TESTS_HOST_XORSHIFT_H
#define TESTS_HOST_XORSHIFT_H

#include <stdint.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static inline uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static inline int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

#endif
