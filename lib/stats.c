// SPDX-License-Identifier: MIT
/* Statistics for latency samples: pure, host-tested (tests/host/test_stats.c). */
#include "lib/stats.h"
#include "lib/string.h"

uint64_t mul_div_u64(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t hi, lo, q, r;

	asm("mulq %3" : "=a"(lo), "=d"(hi) : "a"(a), "rm"(b));
	if (hi >= c)		/* the quotient would not fit: saturate */
		return UINT64_MAX;
	asm("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(c));
	(void)r;
	return q;
}

static void sift_down(uint64_t *v, uint32_t root, uint32_t n)
{
	for (;;) {
		uint32_t child = 2 * root + 1;
		uint64_t t;

		if (child >= n)
			return;
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (v[root] >= v[child])
			return;
		t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

void stats_sort(uint64_t *v, uint32_t n)
{
	for (uint32_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (uint32_t end = n; end > 1; end--) {
		uint64_t t = v[0];

		v[0] = v[end - 1];
		v[end - 1] = t;
		sift_down(v, 0, end - 1);
	}
}

uint64_t stats_percentile(const uint64_t *sorted, uint32_t n, uint32_t part, uint32_t scale)
{
	uint64_t rank;

	if (n == 0)
		return 0;
	rank = ((uint64_t)n * part + scale - 1) / scale;	/* ceil(n * p) */
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

/* The smallest 1, 2 or 5 times a power of ten that is >= x. */
static uint64_t nice_width(uint64_t x)
{
	uint64_t p = 1;

	for (;;) {
		if (p >= x)
			return p;
		if (2 * p >= x)
			return 2 * p;
		if (5 * p >= x)
			return 5 * p;
		p *= 10;
	}
}

void stats_compute(uint64_t *v, uint32_t n, struct stats *s)
{
	uint64_t sum = 0;

	memset(s, 0, sizeof(*s));
	if (n == 0)
		return;
	stats_sort(v, n);
	s->n = n;
	s->min = v[0];
	s->max = v[n - 1];
	s->p50 = stats_percentile(v, n, 50, 100);
	s->p90 = stats_percentile(v, n, 90, 100);
	s->p99 = stats_percentile(v, n, 99, 100);
	s->p999 = stats_percentile(v, n, 999, 1000);
	s->p9999 = stats_percentile(v, n, 9999, 10000);
	s->p999999 = stats_percentile(v, n, 999999, 1000000);
	for (uint32_t i = 0; i < n; i++)
		sum += v[i];
	s->mean = (sum + n / 2) / n;
	stats_hist_frame(s);
	for (uint32_t i = 0; i < n; i++)
		stats_hist_add(s, v[i], 1);
}

/* The buckets span the body, min to twice p90's distance from it; the
 * tail beyond lands in the overflow bucket (and shows in p99..max). */
void stats_hist_frame(struct stats *s)
{
	uint64_t span = 2 * (s->p90 - s->min) + 1;

	s->hist_width = nice_width((span + HIST_BUCKETS - 1) / HIST_BUCKETS);
	s->hist_lo = s->min - s->min % s->hist_width;
	memset(s->hist, 0, sizeof(s->hist));
	s->hist_overflow = 0;
}

void stats_hist_add(struct stats *s, uint64_t v, uint64_t count)
{
	uint64_t b = v < s->hist_lo ? 0 : (v - s->hist_lo) / s->hist_width;

	if (b < HIST_BUCKETS)
		s->hist[b] += count;
	else
		s->hist_overflow += count;
}
