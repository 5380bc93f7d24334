// SPDX-License-Identifier: MIT
/*
 * Identity-mapped 4-level page tables with 2 MiB pages, and 4 KiB pages for
 * the first 2 MiB. See Intel SDM Vol. 3A, 4.5 (4-level paging) and 11.12.3
 * (PAT: with the power-on PAT, PCD|PWT selects entry 3, UC).
 */
#include "arch/x86/paging.h"
#include "arch/x86/cpu.h"
#include "lib/errno.h"
#include "lib/pfa.h"
#include "lib/string.h"

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_PS		(1ull << 7)	/* 2 MiB page in a PD entry */
#define PTE_UC		(PTE_PCD | PTE_PWT)

#define SZ_2M		(2ull << 20)
#define SZ_1G		(1ull << 30)
#define SZ_4G		(4ull << 30)
#define MAP_MAX		(512ull << 30)	/* one PDPT */

static uint64_t mapped_top;
static uint64_t *pml4;

uint64_t paging_mapped_top(void)
{
	return mapped_top;
}

/* Memory the firmware describes as RAM of any kind gets write-back. */
static int is_ram(const struct mem_region *map, uint32_t n, uint64_t lo, uint64_t hi)
{
	for (uint32_t i = 0; i < n; i++) {
		const struct mem_region *r = &map[i];

		if (r->type == MEM_MMIO || r->type == MEM_RESERVED || r->type == MEM_BAD)
			continue;
		if (r->base < hi && lo < r->base + r->size)
			return 1;
	}
	return 0;
}

static uint64_t *new_table(void)
{
	uint64_t p = pfa_alloc(&pfa, 1, PAGE_SIZE, SZ_4G);

	if (p)
		memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
	return (uint64_t *)(uintptr_t)p;
}

int paging_own_tables(void)
{
	return pml4 != NULL;
}

int paging_init(const struct mem_region *map, uint32_t n)
{
	uint64_t top = SZ_4G, *root, *pdpt, *pt;

	for (uint32_t i = 0; i < n; i++)
		if (map[i].base + map[i].size > top)
			top = map[i].base + map[i].size;
	top = (top + SZ_1G - 1) & ~(SZ_1G - 1);
	if (top > MAP_MAX)
		top = MAP_MAX;

	root = new_table();
	pdpt = new_table();
	pt = new_table();
	if (!root || !pdpt || !pt)
		return -1;
	root[0] = (uintptr_t)pdpt | PTE_P | PTE_RW;

	for (uint64_t g = 0; g < top; g += SZ_1G) {
		uint64_t *pd = new_table();

		if (!pd)
			return -1;
		pdpt[g / SZ_1G] = (uintptr_t)pd | PTE_P | PTE_RW;
		for (uint64_t a = g; a < g + SZ_1G; a += SZ_2M) {
			uint64_t cache = is_ram(map, n, a, a + SZ_2M) ? 0 : PTE_UC;

			pd[(a % SZ_1G) / SZ_2M] = a | PTE_P | PTE_RW | PTE_PS | cache;
		}
		if (g == 0)
			pd[0] = (uintptr_t)pt | PTE_P | PTE_RW;
	}
	for (uint64_t a = PAGE_SIZE; a < SZ_2M; a += PAGE_SIZE) {
		uint64_t cache = is_ram(map, n, a, a + PAGE_SIZE) ? 0 : PTE_UC;

		pt[a / PAGE_SIZE] = a | PTE_P | PTE_RW | cache;
	}
	write_cr3((uintptr_t)root);
	pml4 = root;
	mapped_top = top;
	return 0;
}

static uint64_t *table_at(uint64_t *parent, unsigned index)
{
	uint64_t *t;

	if (parent[index] & PTE_P)
		return (uint64_t *)(uintptr_t)(parent[index] & 0x000ffffffffff000ull);
	t = new_table();
	if (t)
		parent[index] = (uintptr_t)t | PTE_P | PTE_RW;
	return t;
}

int paging_map_uc(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	if (end < base || end > (1ull << 48))
		return -ERANGE;
	if (!pml4)
		return end <= mapped_top ? 0 : -ENOSPC;
	for (uint64_t a = base & ~(SZ_2M - 1); a < end; a += SZ_2M) {
		uint64_t *pdpt, *pd;

		if (a < mapped_top)
			continue;	/* the initial map has it, with its own cache type */
		pdpt = table_at(pml4, (a >> 39) & 511);
		pd = pdpt ? table_at(pdpt, (a >> 30) & 511) : 0;
		if (!pd)
			return -ENOSPC;
		if (!(pd[(a >> 21) & 511] & PTE_P))
			pd[(a >> 21) & 511] = a | PTE_P | PTE_RW | PTE_PS | PTE_UC;
	}
	write_cr3(read_cr3());	/* flush: entries went from not-present to present */
	return 0;
}
