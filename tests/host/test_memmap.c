// SPDX-License-Identifier: MIT
/* lib/memmap.c: sorting, overlap resolution, merging, dropping. */
#include "tests/host/host.h"
#include "lib/memmap.h"

#define MiB (1ull << 20)

static struct mem_region m[MEMMAP_MAX];
static struct memmap_fixes f;

static void already_sane_is_unchanged(void **state)
{
	uint32_t n = 3;

	(void)state;
	m[0] = (struct mem_region){ 0, 640 << 10, MEM_USABLE };
	m[1] = (struct mem_region){ 0xf0000, 0x10000, MEM_RESERVED };
	m[2] = (struct mem_region){ MiB, 255 * MiB, MEM_USABLE };
	memmap_sanitize(m, &n, MEMMAP_MAX, &f);
	assert_int_equal(n, 3);
	assert_int_equal(f.unsorted + f.overlaps + f.merged + f.dropped, 0);
	assert_int_equal(m[2].base, MiB);
	assert_true(memmap_is_sane(m, n));
}

static void unsorted_is_sorted(void **state)
{
	uint32_t n = 3;

	(void)state;
	m[0] = (struct mem_region){ 8 * MiB, MiB, MEM_USABLE };
	m[1] = (struct mem_region){ 0, MiB, MEM_RESERVED };
	m[2] = (struct mem_region){ 2 * MiB, MiB, MEM_ACPI_RECLAIM };
	assert_false(memmap_is_sane(m, n));
	memmap_sanitize(m, &n, MEMMAP_MAX, &f);
	assert_int_equal(f.unsorted, 1);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].base, 0);
	assert_int_equal(m[1].base, 2 * MiB);
	assert_int_equal(m[2].base, 8 * MiB);
	assert_true(memmap_is_sane(m, n));
}

static void overlap_reserved_wins_over_usable(void **state)
{
	uint32_t n = 2;

	(void)state;
	m[0] = (struct mem_region){ 0, 16 * MiB, MEM_USABLE };
	m[1] = (struct mem_region){ 4 * MiB, 2 * MiB, MEM_RESERVED };
	memmap_sanitize(m, &n, MEMMAP_MAX, &f);
	assert_int_equal(f.overlaps, 1);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].type, MEM_USABLE);
	assert_int_equal(m[0].size, 4 * MiB);
	assert_int_equal(m[1].type, MEM_RESERVED);
	assert_int_equal(m[1].base, 4 * MiB);
	assert_int_equal(m[2].type, MEM_USABLE);
	assert_int_equal(m[2].base, 6 * MiB);
	assert_int_equal(m[2].size, 10 * MiB);
}

static void adjacent_same_type_merges(void **state)
{
	uint32_t n = 3;

	(void)state;
	m[0] = (struct mem_region){ 0, MiB, MEM_USABLE };
	m[1] = (struct mem_region){ MiB, MiB, MEM_USABLE };
	m[2] = (struct mem_region){ 2 * MiB, MiB, MEM_USABLE };
	memmap_sanitize(m, &n, MEMMAP_MAX, &f);
	assert_int_equal(n, 1);
	assert_int_equal(f.merged, 2);
	assert_int_equal(m[0].size, 3 * MiB);
}

static void empty_and_wrapping_are_dropped(void **state)
{
	uint32_t n = 3;

	(void)state;
	m[0] = (struct mem_region){ MiB, 0, MEM_USABLE };
	m[1] = (struct mem_region){ UINT64_MAX - 10, 100, MEM_USABLE };
	m[2] = (struct mem_region){ 0, MiB, MEM_USABLE };
	memmap_sanitize(m, &n, MEMMAP_MAX, &f);
	assert_int_equal(f.dropped, 2);
	assert_int_equal(n, 1);
}

static void holes_stay_holes(void **state)
{
	uint32_t n = 2;

	(void)state;
	m[0] = (struct mem_region){ 0, MiB, MEM_USABLE };
	m[1] = (struct mem_region){ 4 * MiB, MiB, MEM_USABLE };
	memmap_sanitize(m, &n, MEMMAP_MAX, &f);
	assert_int_equal(n, 2);
	assert_int_equal(f.merged, 0);
}

static void unknown_type_beats_everything(void **state)
{
	uint32_t n = 2;

	(void)state;
	m[0] = (struct mem_region){ 0, 2 * MiB, MEM_ACPI_NVS };
	m[1] = (struct mem_region){ 0, 2 * MiB, 99 };
	memmap_sanitize(m, &n, MEMMAP_MAX, &f);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].type, 99);
	assert_string_equal(mem_type_name(99), "unknown");
	assert_string_equal(mem_type_name(MEM_USABLE), "usable");
}

static void capacity_limit_drops(void **state)
{
	uint32_t n = 4;

	(void)state;
	for (int i = 0; i < 4; i++)
		m[i] = (struct mem_region){ i * 2 * MiB, MiB, MEM_USABLE };
	memmap_sanitize(m, &n, 3, &f);
	assert_int_equal(n, 3);
	assert_int_equal(f.dropped, 1);
}

/* The AP trampoline page: free RAM first; UEFI boot-services memory below
 * the limit only when the firmware's page tables are no longer in use. */
static void low_page_from_boot_services(void **state)
{
	const struct mem_region map[] = {
		{ 0, 0x1000, MEM_USABLE },		/* page 0: never */
		{ 0x1000, 0x8f000, MEM_BOOT_SERVICES },
		{ 0x90000, 0x10000, MEM_LOADER },
		{ MiB, 255 * MiB, MEM_USABLE },		/* above the limit */
	};
	uint32_t type = 0;

	(void)state;
	assert_int_equal(memmap_low_page(map, 4, 0xa0000, 0, &type), 0);
	assert_int_equal(memmap_low_page(map, 4, 0xa0000, 1, &type), 0x1000);
	assert_int_equal(type, MEM_BOOT_SERVICES);
	/* A free page wins over boot-services memory, even higher up. */
	const struct mem_region both[] = {
		{ 0x1000, 0x8000, MEM_BOOT_SERVICES }, { 0x9000, 0x2800, MEM_USABLE },
	};
	assert_int_equal(memmap_low_page(both, 2, 0xa0000, 1, &type), 0x9000);
	assert_int_equal(type, MEM_USABLE);
	/* Unaligned: the page must fit whole below the limit. */
	const struct mem_region tight[] = { { 0x9f800, 0x1000, MEM_USABLE } };
	assert_int_equal(memmap_low_page(tight, 1, 0xa0000, 1, &type), 0);
	assert_string_equal(mem_type_name(MEM_BOOT_SERVICES), "boot_services");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(already_sane_is_unchanged),
		cmocka_unit_test(low_page_from_boot_services),
		cmocka_unit_test(unsorted_is_sorted),
		cmocka_unit_test(overlap_reserved_wins_over_usable),
		cmocka_unit_test(adjacent_same_type_merges),
		cmocka_unit_test(empty_and_wrapping_are_dropped),
		cmocka_unit_test(holes_stay_holes),
		cmocka_unit_test(unknown_type_beats_everything),
		cmocka_unit_test(capacity_limit_drops),
	};
	return RUN(tests);
}
