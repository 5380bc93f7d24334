// SPDX-License-Identifier: MIT
/* From the Multiboot entry (boot/multiboot.asm) to msilab_main(). */
#include "boot/multiboot.h"
#include "lib/printf.h"
#include "tests/harness/main.h"

extern char __image_start[], __bss_end[];

static struct boot_info bi;

void mb_main(uint32_t magic, uint32_t info) __attribute__((noreturn));

void mb_main(uint32_t magic, uint32_t info)
{
	bi.image_base = (uintptr_t)__image_start;
	bi.image_size = (uintptr_t)__bss_end - (uintptr_t)__image_start;
	bi.image_linked = bi.image_base - mb_relocation.delta;
	bi.relocs_applied = mb_relocation.applied;
	bi.relocs_unknown = mb_relocation.unknown;
	if (magic == MB2_BOOTLOADER_MAGIC)
		mb2_parse((const void *)(uintptr_t)info, 1u << 20, &bi, bi.error, sizeof(bi.error));
	else if (magic == MB1_BOOTLOADER_MAGIC)
		mb1_parse(info, &bi, bi.error, sizeof(bi.error));
	else
		ksnprintf(bi.error, sizeof(bi.error), "unknown Multiboot magic 0x%x", magic);
	msilab_main(&bi);
}
