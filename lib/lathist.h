/* SPDX-License-Identifier: MIT */
/*
 * A log-linear histogram of unsigned values (HdrHistogram's idea, Gil
 * Tene): fixed memory, exact count, min, max and sum, and percentiles
 * within a stated relative error, however many values. Values below 256
 * have a bucket each; above, every power of two [2^e, 2^(e+1)) is split
 * into 128 equal buckets, so a bucket is at most 1/128 of its lower bound
 * wide, and a percentile reported as its bucket's midpoint (clamped to
 * [min, max]) is within 1/256 (0.39 %) of the exact nearest-rank value.
 * Values from 2^LATHIST_MAX_BITS up are counted, and shown in max, but
 * not placed: percentiles that land there report max.
 */
#ifndef LIB_LATHIST_H
#define LIB_LATHIST_H

#include <stdint.h>

#define LATHIST_SUB_BITS	7	/* 128 buckets per power of two */
#define LATHIST_MAX_BITS	48	/* placed: below 2^48 (a day in ns, 26 h of a 3 GHz TSC) */
#define LATHIST_LINEAR		(2u << LATHIST_SUB_BITS)	/* 256 exact buckets */
#define LATHIST_BUCKETS		(LATHIST_LINEAR + \
				 (LATHIST_MAX_BITS - LATHIST_SUB_BITS - 1) * (1u << LATHIST_SUB_BITS))
/* The bound on a percentile's relative error, 2^-(LATHIST_SUB_BITS + 1),
 * in parts per million rounded up (3907). */
#define LATHIST_ERROR_PPM	((1000000u + (2u << LATHIST_SUB_BITS) - 1) >> (LATHIST_SUB_BITS + 1))

struct lathist {
	uint64_t count, min, max;
	uint64_t sum_hi, sum_lo;	/* 128-bit sum, for the mean */
	uint64_t beyond;		/* values >= 2^LATHIST_MAX_BITS */
	uint64_t bucket[LATHIST_BUCKETS];
};

void lathist_init(struct lathist *h);

static inline uint32_t lathist_index(uint64_t v)
{
	uint32_t e;

	if (v < LATHIST_LINEAR)
		return (uint32_t)v;
	e = 63 - (uint32_t)__builtin_clzll(v);		/* 2^e <= v, e >= 8 */
	return LATHIST_LINEAR + (e - LATHIST_SUB_BITS - 1) * (1u << LATHIST_SUB_BITS) +
	       (uint32_t)((v >> (e - LATHIST_SUB_BITS)) & ((1u << LATHIST_SUB_BITS) - 1));
}

static inline void lathist_record(struct lathist *h, uint64_t v)
{
	uint64_t lo = h->sum_lo + v;

	h->sum_hi += lo < h->sum_lo;
	h->sum_lo = lo;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	if (v >> LATHIST_MAX_BITS)
		h->beyond++;
	else
		h->bucket[lathist_index(v)]++;
}

/* The first value of bucket i, and how many values it holds. */
uint64_t lathist_lower(uint32_t i);
uint64_t lathist_width(uint32_t i);

/* The nearest-rank percentile `part`/`scale` (p99.9: 999, 1000), as the
 * midpoint of its bucket clamped to [min, max]; 0 for an empty histogram. */
uint64_t lathist_percentile(const struct lathist *h, uint64_t part, uint64_t scale);
/* The mean, rounded; 0 for an empty histogram. */
uint64_t lathist_mean(const struct lathist *h);

#endif
