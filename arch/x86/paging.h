/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_PAGING_H
#define ARCH_X86_PAGING_H

#include "lib/compiler.h"
#include <stdint.h>
#include "lib/memmap.h"

/*
 * Build and load our own identity map: RAM write-back, everything else
 * uncached, page 0 not present (a NULL dereference faults). Returns 0, or
 * -1 when page-table memory ran out (the loader's tables stay in use).
 */
int paging_init(const struct mem_region *map, uint32_t n);

/* 1 once paging_init() has loaded our tables: the loader's (and UEFI
 * boot-services memory holding them) are no longer in use. */
int paging_own_tables(void);

/* Top of the identity map (exclusive). */
uint64_t paging_mapped_top(void);

/* Make [base, base + size) reachable, identity-mapped and uncached, also
 * above the initial map (a 64-bit BAR, an ECAM window high up). 0, or
 * -ENOSPC when page-table memory ran out, -ERANGE beyond 48 address bits. */
int paging_map_uc(uint64_t base, uint64_t size) MUST_CHECK;

#endif
