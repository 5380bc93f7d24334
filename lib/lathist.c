// SPDX-License-Identifier: MIT
/* Log-linear histogram (lib/lathist.h): pure, host-tested (tests/host/test_lathist.c). */
#include "lib/lathist.h"
#include "lib/string.h"

void lathist_init(struct lathist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

uint64_t lathist_lower(uint32_t i)
{
	uint32_t k, e;

	if (i < LATHIST_LINEAR)
		return i;
	k = i - LATHIST_LINEAR;
	e = k / (1u << LATHIST_SUB_BITS) + LATHIST_SUB_BITS + 1;
	return (1ull << e) + (uint64_t)(k % (1u << LATHIST_SUB_BITS)) * (1ull << (e - LATHIST_SUB_BITS));
}

uint64_t lathist_width(uint32_t i)
{
	if (i < LATHIST_LINEAR)
		return 1;
	return 1ull << ((i - LATHIST_LINEAR) / (1u << LATHIST_SUB_BITS) + 1);
}

uint64_t lathist_percentile(const struct lathist *h, uint64_t part, uint64_t scale)
{
	uint64_t rank, seen = 0, v;

	if (h->count == 0)
		return 0;
	/* ceil(count * part / scale) without overflow for count up to 2^64 / scale */
	rank = h->count / scale * part + (h->count % scale * part + scale - 1) / scale;
	if (rank < 1)
		rank = 1;
	for (uint32_t i = 0; i < LATHIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			v = lathist_lower(i) + lathist_width(i) / 2;
			return v < h->min ? h->min : v > h->max ? h->max : v;
		}
	}
	return h->max;		/* the rank lies among the values beyond */
}

uint64_t lathist_mean(const struct lathist *h)
{
	uint64_t q = 0, hi = h->sum_hi, lo = h->sum_lo, n = h->count;

	if (n == 0)
		return 0;
	if (hi >= n)		/* a mean beyond 2^64: cannot be, values are 64-bit */
		return h->max;
	/* (hi:lo + n/2) / n, one 128-by-64 division */
	lo += n / 2;
	hi += lo < n / 2;
	asm("divq %2" : "=a"(q), "+d"(hi) : "rm"(n), "0"(lo));
	return q;
}
