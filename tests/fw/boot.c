// SPDX-License-Identifier: MIT
/* boot.*: what the loader handed over is sane. */
#include "kernel/kernel.h"
#include "lib/memmap.h"
#include "lib/pfa.h"
#include "tests/harness/test.h"
#include "drivers/acpi/acpi.h"

TEST(boot, memmap_sane)
{
	const struct boot_info *bi = kernel_boot;
	uint64_t usable = 0, largest = 0;

	for (uint32_t i = 0; i < bi->nregions; i++) {
		const struct mem_region *r = &bi->memmap[i];

		t_check(t, r->size != 0, "region %u is empty", i);
		if (r->type == MEM_USABLE) {
			usable += r->size;
			if (r->size > largest)
				largest = r->size;
		}
	}
	t_yaml(t, "regions: %u", bi->nregions);
	t_yaml(t, "usable_kib: %lu", usable >> 10);
	t_yaml(t, "largest_usable_kib: %lu", largest >> 10);
	t_yaml(t, "sanitized: {unsorted: %u, overlaps: %u, merged: %u, dropped: %u}",
	       kernel_memmap_fixes.unsorted, kernel_memmap_fixes.overlaps,
	       kernel_memmap_fixes.merged, kernel_memmap_fixes.dropped);
	t_check(t, bi->nregions > 0, "the loader gave no memory map");
	t_check(t, memmap_is_sane(bi->memmap, bi->nregions),
		"memory map not sorted or overlapping after sanitizing");
	t_check(t, largest >= (1u << 20), "no usable region of 1 MiB or more");
}

TEST(boot, rsdp_found)
{
	const struct boot_info *bi = kernel_boot;
	const struct acpi_rsdp *r = (const void *)(uintptr_t)bi->rsdp;
	char err[96];

	if (!t_check(t, bi->rsdp != 0, "no ACPI RSDP from the loader or in the BIOS areas"))
		return;
	t_yaml(t, "rsdp: 0x%lx", bi->rsdp);
	t_yaml(t, "revision: %u", r->revision);
	t_yaml(t, "oem: \"%.6s\"", r->oem_id);
	t_yaml(t, "root: %s", acpi_root_name());
	t_check(t, acpi_rsdp_check(r, err, sizeof(err)) == 0, "%s", err);
	t_check(t, acpi_present(), "root table unusable: %s", kernel_acpi_error);
}

TEST(boot, cmdline_seen)
{
	const struct config *c = &kernel_config;

	if (!c->options[0]) {
		t_skip(t, "the loader passed no command line");
		return;
	}
	t_yaml(t, "options: \"%s\"", c->options);
	t_yaml(t, "warnings: %d", c->nwarnings);
	t_check(t, !kernel_boot->cmdline_truncated, "command line truncated");
}

/* Pages from the allocator lie in usable RAM, away from the firmware image. */
TEST(boot, page_allocator)
{
	const struct boot_info *bi = kernel_boot;
	uint64_t before = pfa_free_pages(&pfa), p, q;
	int in_ram = 0;

	p = pfa_alloc(&pfa, 1, PAGE_SIZE, ~0ull);
	q = pfa_alloc(&pfa, 16, 64 * 1024, ~0ull);
	if (!t_check(t, p && q, "allocation failed with %lu pages free", before))
		return;
	t_yaml(t, "free_pages: %lu", before);
	t_yaml(t, "one_page: 0x%lx", p);
	t_yaml(t, "sixteen_aligned_64k: 0x%lx", q);
	t_check(t, q % (64 * 1024) == 0, "aligned allocation at 0x%lx", q);
	for (uint32_t i = 0; i < bi->nregions; i++) {
		const struct mem_region *r = &bi->memmap[i];

		if (r->type == MEM_USABLE && p >= r->base && p + PAGE_SIZE <= r->base + r->size)
			in_ram = 1;
	}
	t_check(t, in_ram, "page 0x%lx is not in usable RAM", p);
	t_check(t, p + PAGE_SIZE <= bi->image_base || p >= bi->image_base + bi->image_size,
		"page 0x%lx overlaps the firmware image", p);
	t_check(t, p >= (1u << 20), "page 0x%lx below 1 MiB", p);
	pfa_free(&pfa, p, 1);
	pfa_free(&pfa, q, 16);
	t_check(t, pfa_free_pages(&pfa) == before, "free pages %lu after free, %lu before",
		pfa_free_pages(&pfa), before);
}

/*
 * The image runs where the loader put it: its own pointers in data point
 * into the image as it lies now (Multiboot: the entry's relocations;
 * UEFI: the firmware's), the loader's Multiboot2 load base agrees with
 * where the code finds itself, and the memory map calls that place RAM.
 */
static const char image_probe_target[] = "msilab";
/* volatile: read from memory, not folded by the compiler. */
static const char *volatile image_probe = image_probe_target;

TEST(boot, image_placement)
{
	const struct boot_info *bi = kernel_boot;
	uint64_t base = bi->image_base, end = bi->image_base + bi->image_size;
	const char *ram = NULL;

	t_yaml(t, "image: {base: 0x%lx, size: 0x%lx}", base, bi->image_size);
	if (bi->loader != BOOT_UEFI) {
		t_yaml(t, "linked: 0x%lx", bi->image_linked);
		t_yaml(t, "relocations: {applied: %u, unknown: %u}", bi->relocs_applied,
		       bi->relocs_unknown);
		t_check(t, bi->relocs_applied > 0, "the entry applied no relocations");
		t_check(t, bi->relocs_unknown == 0,
			"%u relocations of a type other than R_X86_64_RELATIVE", bi->relocs_unknown);
	}
	if (bi->load_base_tag) {
		t_yaml(t, "load_base_tag: 0x%lx", bi->load_base_tag);
		t_check(t, bi->load_base_tag == base, "the loader says 0x%lx, the code runs at 0x%lx",
			bi->load_base_tag, base);
	}
	t_check(t, image_probe == image_probe_target,
		"a pointer in data reads 0x%lx, its target is at 0x%lx",
		(uint64_t)(uintptr_t)image_probe, (uint64_t)(uintptr_t)image_probe_target);
	for (uint32_t i = 0; i < bi->nregions; i++) {
		const struct mem_region *r = &bi->memmap[i];

		if (base >= r->base && end <= r->base + r->size)
			ram = r->type == MEM_USABLE || r->type == MEM_LOADER ||
			      r->type == MEM_BOOT_SERVICES ? "yes" : "no";
	}
	t_yaml(t, "in_ram: %s", ram ? ram : "unmapped");
	t_check(t, ram && ram[0] == 'y', "the image [0x%lx, 0x%lx) is not inside one RAM region",
		base, end);
}
