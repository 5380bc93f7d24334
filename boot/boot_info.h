/* SPDX-License-Identifier: MIT */
/*
 * What every loader hands to kernel_main(). boot/ fills it; nothing above
 * boot/ knows which loader ran except through `loader` (for the report).
 */
#ifndef BOOT_BOOT_INFO_H
#define BOOT_BOOT_INFO_H

#include <stdint.h>

enum boot_loader {
	BOOT_UEFI,
	BOOT_MULTIBOOT2,
	BOOT_MULTIBOOT1,
};

/* Memory types, in the order of precedence used when entries overlap. */
enum mem_type {
	MEM_USABLE = 1,		/* free RAM */
	MEM_RESERVED = 2,	/* anything we must not touch */
	MEM_ACPI_RECLAIM = 3,	/* ACPI tables */
	MEM_ACPI_NVS = 4,
	MEM_BAD = 5,
	MEM_LOADER = 6,		/* the firmware image and what the loader gave it */
	MEM_MMIO = 7,		/* reported by the firmware as device memory */
};

struct mem_region {
	uint64_t base;
	uint64_t size;
	uint32_t type;		/* enum mem_type */
};

#define BOOT_MEMMAP_MAX 256
#define BOOT_CMDLINE_MAX 1024

struct boot_info {
	enum boot_loader loader;
	uint32_t nregions;
	struct mem_region memmap[BOOT_MEMMAP_MAX];
	uint32_t memmap_dropped;	/* entries beyond BOOT_MEMMAP_MAX */
	uint64_t rsdp;			/* physical address, 0 if none */
	uint64_t efi_system_table;	/* physical address, 0 if none */
	uint64_t image_base, image_size; /* where the firmware itself lies */
	char cmdline[BOOT_CMDLINE_MAX];
	uint32_t cmdline_truncated;
	/* RSDP copied from a Multiboot2 ACPI tag (the tag may be the only copy). */
	uint8_t rsdp_copy[36];
	char error[128];	/* what the loader's information got wrong */
};

const char *boot_loader_name(enum boot_loader l);

/* The common kernel entry; never returns. */
void kernel_main(struct boot_info *bi) __attribute__((noreturn));

#endif
