// SPDX-License-Identifier: MIT
/* Memory-map sanitizing: pure, host-tested (tests/host/test_memmap.c). */
#include "lib/memmap.h"
#include "lib/stats.h"
#include "lib/string.h"

/* Higher wins where entries overlap. */
static int rank(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return 0;
	case MEM_BOOT_SERVICES: return 1;
	case MEM_LOADER: return 2;
	case MEM_ACPI_RECLAIM: return 3;
	case MEM_ACPI_NVS: return 4;
	case MEM_MMIO: return 5;
	case MEM_RESERVED: return 6;
	default: return 7;	/* bad memory, unknown types */
	}
}

const char *mem_type_name(uint32_t type)
{
	static const char *const names[] = {
		[MEM_USABLE] = "usable", [MEM_RESERVED] = "reserved",
		[MEM_ACPI_RECLAIM] = "acpi", [MEM_ACPI_NVS] = "nvs",
		[MEM_BAD] = "bad", [MEM_LOADER] = "loader", [MEM_MMIO] = "mmio",
		[MEM_BOOT_SERVICES] = "boot_services",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "unknown";
}

int memmap_is_sane(const struct mem_region *map, uint32_t n)
{
	for (uint32_t i = 0; i + 1 < n; i++)
		if (map[i].base + map[i].size > map[i + 1].base)
			return 0;
	return 1;
}

/* 1 if one entry of `type` ends at `at` and another begins there. */
static int adjacent(const struct mem_region *map, uint32_t n, uint64_t at, uint32_t type)
{
	int ends = 0, begins = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (map[i].type != type)
			continue;
		ends |= map[i].base + map[i].size == at;
		begins |= map[i].base == at;
	}
	return ends && begins;
}

void memmap_sanitize(struct mem_region *map, uint32_t *n, uint32_t cap,
		     struct memmap_fixes *fixes)
{
	static uint64_t edges[2 * MEMMAP_MAX];
	static struct mem_region out[MEMMAP_MAX];
	uint32_t in = 0, nedges = 0, nout = 0;

	memset(fixes, 0, sizeof(*fixes));
	if (*n > MEMMAP_MAX) {
		fixes->dropped += *n - MEMMAP_MAX;
		*n = MEMMAP_MAX;
	}
	/* Drop empty and wrapping entries; count disorder and overlaps. */
	for (uint32_t i = 0; i < *n; i++) {
		if (map[i].size == 0 || map[i].base + map[i].size < map[i].base) {
			fixes->dropped++;
			continue;
		}
		map[in++] = map[i];
	}
	for (uint32_t i = 0; i + 1 < in; i++)
		if (map[i + 1].base < map[i].base)
			fixes->unsorted++;
	for (uint32_t i = 0; i < in; i++)
		for (uint32_t j = i + 1; j < in; j++)
			if (map[i].base < map[j].base + map[j].size &&
			    map[j].base < map[i].base + map[i].size)
				fixes->overlaps++;

	/* Cut the line at every edge; each piece takes the winning type. */
	for (uint32_t i = 0; i < in; i++) {
		edges[nedges++] = map[i].base;
		edges[nedges++] = map[i].base + map[i].size;
	}
	stats_sort(edges, nedges);
	for (uint32_t e = 0; e + 1 < nedges; e++) {
		uint64_t lo = edges[e], hi = edges[e + 1];
		int best = -1;
		uint32_t type = 0;

		if (lo == hi)
			continue;
		for (uint32_t i = 0; i < in; i++) {
			if (map[i].base <= lo && hi <= map[i].base + map[i].size &&
			    rank(map[i].type) > best) {
				best = rank(map[i].type);
				type = map[i].type;
			}
		}
		if (best < 0)
			continue;	/* a hole */
		if (nout && out[nout - 1].type == type &&
		    out[nout - 1].base + out[nout - 1].size == lo) {
			out[nout - 1].size += hi - lo;
			fixes->merged += adjacent(map, in, lo, type);
			continue;
		}
		if (nout == cap || nout == MEMMAP_MAX) {
			fixes->dropped++;
			continue;
		}
		out[nout++] = (struct mem_region){ .base = lo, .size = hi - lo, .type = type };
	}
	memcpy(map, out, nout * sizeof(out[0]));
	*n = nout;
}

uint64_t memmap_low_page(const struct mem_region *map, uint32_t n, uint64_t limit,
			 int boot_services_free, uint32_t *type)
{
	static const uint32_t order[] = { MEM_USABLE, MEM_BOOT_SERVICES };

	for (uint32_t pass = 0; pass < (boot_services_free ? 2u : 1u); pass++) {
		for (uint32_t i = 0; i < n; i++) {
			uint64_t lo = (map[i].base + 0xfff) & ~0xfffull, hi = map[i].base + map[i].size;

			if (lo < 0x1000)
				lo = 0x1000;	/* keep the real-mode IVT and BDA */
			if (map[i].type == order[pass] && lo + 0x1000 <= hi && lo + 0x1000 <= limit) {
				*type = order[pass];
				return lo;
			}
		}
	}
	return 0;
}
