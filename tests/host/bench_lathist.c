// SPDX-License-Identifier: MIT
/*
 * make bench-stats: what a latency figure costs (tests/harness/test.h's
 * struct series, lib/lathist.c) and how far its percentiles lie from the
 * exact ones on 10^6 samples. Run under callgrind, the instructions of
 * one lathist_record() come out of `record_loop` divided by N (the
 * Makefile prints them). Not a test: figures, no assertions.
 */
#include <stdio.h>
#include <stdlib.h>
#include "lib/lathist.h"
#include "tests/host/xorshift.h"

#define N 1000000
#define SERIES_BYTES (4 * 8 + sizeof(struct lathist) + 8 + 16384 * 8)

static uint64_t v[N];
static struct lathist h;



__attribute__((noinline)) static void record_loop(void)
{
	for (uint32_t i = 0; i < N; i++)
		lathist_record(&h, v[i]);
}

static void report(const char *name)
{
	static const uint64_t p[][2] = { { 50, 100 }, { 99, 100 }, { 999, 1000 } };

	lathist_init(&h);
	record_loop();
	qsort(v, N, sizeof(v[0]), cmp_u64);
	printf("%-26s", name);
	for (int i = 0; i < 3; i++) {
		uint64_t rank = (N * p[i][0] + p[i][1] - 1) / p[i][1];
		uint64_t exact = v[rank - 1], got = lathist_percentile(&h, p[i][0], p[i][1]);
		double err = ((double)got - (double)exact) * 1e6 / (double)exact;

		printf("  p%-4s exact %8lu hist %8lu (%+6.0f ppm)", i == 0 ? "50" : i == 1 ? "99" : "99.9",
		       exact, got, err);
	}
	printf("\n");
}

int main(void)
{
	printf("a figure: struct lathist %zu bytes, struct series %zu bytes (16384 kept samples), "
	       "whatever samples= says\n", sizeof(struct lathist), (size_t)SERIES_BYTES);
	printf("percentiles of %d samples, histogram against an exact sort (bound 3907 ppm):\n", N);
	for (uint32_t i = 0; i < N; i++)
		v[i] = 900 + rnd() % 200;
	report("uniform 900-1100 ns");
	for (uint32_t i = 0; i < N; i++)
		v[i] = i % 1000 ? 500 + rnd() % 100 + (rnd() % 50 == 0 ? rnd() % 5000 : 0)
				: 50000 + rnd() % 10000000;
	report("body 500 ns, tail to 10 ms");
	for (uint32_t i = 0; i < N; i++)
		v[i] = rnd() >> (rnd() % 40 + 24);	/* below 2^40 ns */
	report("log-uniform 1 ns - 18 min");
	return 0;
}
