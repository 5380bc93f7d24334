// SPDX-License-Identifier: MIT
/* Page-frame allocator: pure, host-tested (tests/host/test_pfa.c). */
#include "lib/pfa.h"
#include "lib/string.h"

struct pfa pfa;

static void remove_at(struct pfa *a, uint32_t i)
{
	memmove(&a->r[i], &a->r[i + 1], (a->n - i - 1) * sizeof(a->r[0]));
	a->n--;
}

/* Insert a free run keeping the list sorted and merged. */
static void insert(struct pfa *a, uint64_t base, uint64_t pages)
{
	uint32_t i = 0;

	if (pages == 0)
		return;
	while (i < a->n && a->r[i].base < base)
		i++;
	if (i > 0 && a->r[i - 1].base + a->r[i - 1].pages * PAGE_SIZE == base) {
		a->r[i - 1].pages += pages;
		if (i < a->n && base + pages * PAGE_SIZE == a->r[i].base) {
			a->r[i - 1].pages += a->r[i].pages;
			remove_at(a, i);
		}
		return;
	}
	if (i < a->n && base + pages * PAGE_SIZE == a->r[i].base) {
		a->r[i].base = base;
		a->r[i].pages += pages;
		return;
	}
	if (a->n == PFA_RANGES) {
		a->lost_pages += pages;
		return;
	}
	memmove(&a->r[i + 1], &a->r[i], (a->n - i) * sizeof(a->r[0]));
	a->r[i] = (struct pfa_range){ .base = base, .pages = pages };
	a->n++;
}

void pfa_init(struct pfa *a, const struct mem_region *map, uint32_t n)
{
	memset(a, 0, sizeof(*a));
	for (uint32_t i = 0; i < n; i++) {
		uint64_t lo = (map[i].base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		uint64_t hi = (map[i].base + map[i].size) & ~(PAGE_SIZE - 1);

		if (map[i].type == MEM_USABLE && hi > lo)
			insert(a, lo, (hi - lo) / PAGE_SIZE);
	}
	pfa_reserve(a, 0, PAGE_SIZE);	/* 0 means "no page" to callers */
}

void pfa_reserve(struct pfa *a, uint64_t base, uint64_t size)
{
	uint64_t lo = base & ~(PAGE_SIZE - 1);
	uint64_t hi = (base + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	for (uint32_t i = 0; i < a->n;) {
		struct pfa_range r = a->r[i];
		uint64_t end = r.base + r.pages * PAGE_SIZE;

		if (end <= lo || r.base >= hi) {
			i++;
			continue;
		}
		remove_at(a, i);
		if (r.base < lo)
			insert(a, r.base, (lo - r.base) / PAGE_SIZE);
		if (end > hi)
			insert(a, hi, (end - hi) / PAGE_SIZE);
		i = 0;	/* the list changed under us; ranges are few */
	}
}

uint64_t pfa_alloc(struct pfa *a, uint64_t pages, uint64_t align, uint64_t limit)
{
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	for (uint32_t i = 0; i < a->n; i++) {
		uint64_t start = (a->r[i].base + align - 1) & ~(align - 1);
		uint64_t end = a->r[i].base + a->r[i].pages * PAGE_SIZE;

		if (pages == 0 || start + pages * PAGE_SIZE > end ||
		    start + pages * PAGE_SIZE > limit)
			continue;
		pfa_reserve(a, start, pages * PAGE_SIZE);
		return start;
	}
	return 0;
}

void pfa_free(struct pfa *a, uint64_t base, uint64_t pages)
{
	insert(a, base & ~(PAGE_SIZE - 1), pages);
}

uint64_t pfa_free_pages(const struct pfa *a)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < a->n; i++)
		n += a->r[i].pages;
	return n;
}
