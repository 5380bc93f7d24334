/* SPDX-License-Identifier: MIT */
/*
 * Order statistics over a sample array: nearest-rank percentiles, mean and a
 * fixed-width histogram with an overflow bucket: HIST_BUCKETS buckets of a
 * 1-2-5 width that cover min .. min + 2 * (p90 - min). Unit-agnostic: the caller
 * says what the numbers are.
 */
#ifndef LIB_STATS_H
#define LIB_STATS_H

#include <stdint.h>

#define HIST_BUCKETS 16

struct stats {
	uint64_t n;
	uint64_t min, p50, p90, p99, p999, p9999, p999999, max, mean;
	/* bucket i holds [lo + i*width, lo + (i+1)*width); overflow is >= the last */
	uint64_t hist_lo, hist_width;
	uint64_t hist[HIST_BUCKETS];
	uint64_t hist_overflow;
};

/* Sorts v[0..n) in place and fills s. n == 0 gives all zeros. */
void stats_compute(uint64_t *v, uint32_t n, struct stats *s);

/* The histogram's frame from s->min and s->p90 (counts cleared), then
 * `count` values of v into it: for statistics kept some other way. */
void stats_hist_frame(struct stats *s);
void stats_hist_add(struct stats *s, uint64_t v, uint64_t count);

/* Nearest-rank percentile of sorted v, in parts per `scale` (p99 = 99, 100). */
uint64_t stats_percentile(const uint64_t *sorted, uint32_t n, uint32_t part, uint32_t scale);

void stats_sort(uint64_t *v, uint32_t n);

/* a * b / c without overflow of the intermediate product (quotient must fit). */
uint64_t mul_div_u64(uint64_t a, uint64_t b, uint64_t c);

#endif
