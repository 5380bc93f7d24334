/* SPDX-License-Identifier: MIT */
/*
 * What every loader hands over (boot/ fills it, msilab_main() takes it):
 * nothing else knows which loader ran except through `loader` (for the
 * report).
 */
#ifndef KERNEL_BOOT_INFO_H
#define KERNEL_BOOT_INFO_H

#include <stdint.h>
#include "lib/memmap.h"

enum boot_loader {
	BOOT_UEFI,
	BOOT_MULTIBOOT2,
	BOOT_MULTIBOOT1,
};

#define BOOT_MEMMAP_MAX MEMMAP_MAX
#define BOOT_CMDLINE_MAX 1024

struct boot_info {
	enum boot_loader loader;
	uint32_t nregions;
	struct mem_region memmap[BOOT_MEMMAP_MAX];
	uint32_t memmap_dropped;	/* entries beyond BOOT_MEMMAP_MAX */
	uint64_t rsdp;			/* physical address, 0 if none */
	uint64_t efi_system_table;	/* physical address, 0 if none */
	uint64_t image_base, image_size; /* where the firmware itself lies */
	/* Multiboot: the link address, the loader's Multiboot2 load base tag
	 * (0 if it gave none) and the relocations the entry applied. */
	uint64_t image_linked, load_base_tag;
	uint32_t relocs_applied, relocs_unknown;
	char cmdline[BOOT_CMDLINE_MAX];
	uint32_t cmdline_truncated;
	/* RSDP copied from a Multiboot2 ACPI tag (the tag may be the only copy). */
	uint8_t rsdp_copy[36];
	char error[128];	/* what the loader's information got wrong */
};

const char *boot_loader_name(enum boot_loader l);

#endif
