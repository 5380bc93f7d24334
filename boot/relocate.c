// SPDX-License-Identifier: MIT
/*
 * The Multiboot image's own relocations, applied by the entry
 * (boot/multiboot.asm) before any C code runs: the image is linked as a
 * position-independent executable at MB_LINK_BASE, and every absolute
 * pointer in its data (function tables, the test registry, string
 * tables) has an R_X86_64_RELATIVE entry that says where it is and what
 * it holds at the link address. Code reaches everything RIP-relative
 * (-fpic, hidden visibility), so this function itself runs unrelocated.
 * See the System V AMD64 psABI, section 4.4 (relocation types).
 */
#include "boot/multiboot.h"

#define R_X86_64_RELATIVE 8

struct elf64_rela {
	uint64_t offset;
	uint64_t info;
	int64_t addend;
};

/* The linker script puts the image's .rela.dyn between these. */
extern const struct elf64_rela __rela_start[], __rela_end[];

struct mb_relocation mb_relocation;

void mb_relocate(uint64_t delta);

void mb_relocate(uint64_t delta)
{
	const struct elf64_rela *r;

	mb_relocation.delta = delta;
	for (r = __rela_start; r < __rela_end; r++) {
		if ((uint32_t)r->info != R_X86_64_RELATIVE) {
			mb_relocation.unknown++;
			continue;
		}
		*(uint64_t *)(uintptr_t)(r->offset + delta) = (uint64_t)r->addend + delta;
		mb_relocation.applied++;
	}
}
