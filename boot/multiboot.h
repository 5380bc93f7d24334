/* SPDX-License-Identifier: MIT */
/*
 * Multiboot (0.6.96) and Multiboot2 (2.0) information parsing.
 * See "Multiboot Specification version 0.6.96", section 3.3, and
 * "Multiboot2 Specification version 2.0", sections 3.6 (boot information).
 */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/boot_info.h"

#define MB1_BOOTLOADER_MAGIC 0x2BADB002u
#define MB2_BOOTLOADER_MAGIC 0x36D76289u

/* Multiboot2 tag types (section 3.6.x). */
#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_MMAP		6
#define MB2_TAG_EFI64		12
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_TAG_LOAD_BASE	21

/* Multiboot (v1) info flags (section 3.3). */
#define MB1_INFO_CMDLINE	(1u << 2)
#define MB1_INFO_MMAP		(1u << 6)

/*
 * Parse a Multiboot2 information structure of at most `max` bytes into `bi`
 * (loader, cmdline, memmap, rsdp, efi_system_table). Returns 0, or -1 with a
 * reason in `err` when the structure is malformed; what was parsed before the
 * fault is kept.
 */
int mb2_parse(const void *info, size_t max, struct boot_info *bi,
	      char *err, size_t errlen);

/* The same for a Multiboot (v1) information structure at physical `info`. */
int mb1_parse(uint32_t info, struct boot_info *bi, char *err, size_t errlen);

/* What the entry's relocation pass (boot/relocate.c) did. */
struct mb_relocation {
	uint64_t delta;		/* run-time address minus link address */
	uint32_t applied;	/* R_X86_64_RELATIVE entries applied */
	uint32_t unknown;	/* entries of any other type, left alone */
};
extern struct mb_relocation mb_relocation;

#endif
