/* SPDX-License-Identifier: MIT */
/* Memory-map sanitizing: sorted, non-overlapping, merged. */
#ifndef KERNEL_MEMMAP_H
#define KERNEL_MEMMAP_H

#include "boot/boot_info.h"

struct memmap_fixes {
	uint32_t unsorted;	/* entries that were out of order */
	uint32_t overlaps;	/* pairs of entries that overlapped */
	uint32_t merged;	/* adjacent entries of one type joined */
	uint32_t dropped;	/* empty or wrapping entries removed, or no room */
};

/*
 * Rewrite map[0..*n) so that it is sorted by base, no two entries overlap
 * (where they did, the more restrictive type wins: usable RAM loses to
 * everything) and no two adjacent entries have the same type.
 */
void memmap_sanitize(struct mem_region *map, uint32_t *n, uint32_t cap,
		     struct memmap_fixes *fixes);

/* 1 if map[0..n) is sorted and free of overlaps. */
int memmap_is_sane(const struct mem_region *map, uint32_t n);

const char *mem_type_name(uint32_t type);

#endif
