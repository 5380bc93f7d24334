/* SPDX-License-Identifier: MIT */
/*
 * Page-frame allocator: a sorted list of free ranges of 4 KiB pages, built
 * from the usable entries of the sanitized memory map. Page 0 is never
 * handed out: an address of 0 means "none".
 */
#ifndef LIB_PFA_H
#define LIB_PFA_H

#include <stdint.h>
#include "lib/memmap.h"

#define PAGE_SIZE 4096ull
#define PFA_RANGES 128

struct pfa_range {
	uint64_t base;	/* page aligned */
	uint64_t pages;
};

struct pfa {
	uint32_t n;
	struct pfa_range r[PFA_RANGES];
	uint64_t lost_pages;	/* could not be recorded: no room in r[] */
};

extern struct pfa pfa;	/* the firmware's */

void pfa_init(struct pfa *a, const struct mem_region *map, uint32_t n);
/* Remove [base, base+size) from the free ranges (rounded out to pages). */
void pfa_reserve(struct pfa *a, uint64_t base, uint64_t size);
/* Lowest free run of `pages` pages aligned to `align` bytes below `limit`;
 * 0 when there is none. */
uint64_t pfa_alloc(struct pfa *a, uint64_t pages, uint64_t align, uint64_t limit);
void pfa_free(struct pfa *a, uint64_t base, uint64_t pages);
uint64_t pfa_free_pages(const struct pfa *a);

#endif
