/* SPDX-License-Identifier: MIT */
/* The memory map: its region types, and sanitizing (sorted, non-overlapping, merged). */
#ifndef LIB_MEMMAP_H
#define LIB_MEMMAP_H

#include <stdint.h>

/* Memory types, in the order of precedence used when entries overlap. */
enum mem_type {
	MEM_USABLE = 1,		/* free RAM */
	MEM_RESERVED = 2,	/* anything we must not touch */
	MEM_ACPI_RECLAIM = 3,	/* ACPI tables */
	MEM_ACPI_NVS = 4,
	MEM_BAD = 5,
	MEM_LOADER = 6,		/* the firmware image and what the loader gave it */
	MEM_MMIO = 7,		/* reported by the firmware as device memory */
	MEM_BOOT_SERVICES = 8,	/* UEFI boot-services code and data: free after
				 * ExitBootServices once the firmware's page
				 * tables (which may live there) are replaced */
};

#define MEMMAP_MAX 256	/* entries a map may hold */

struct mem_region {
	uint64_t base;
	uint64_t size;
	uint32_t type;		/* enum mem_type */
};

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

/* The lowest 4 KiB page in [0x1000, limit) that is free RAM, else (when
 * boot_services_free) UEFI boot-services memory; 0 when there is none.
 * *type says which it was. For the AP trampoline below 640 KiB: some UEFI
 * machines leave no conventional page there. */
uint64_t memmap_low_page(const struct mem_region *map, uint32_t n, uint64_t limit,
			 int boot_services_free, uint32_t *type);

#endif
