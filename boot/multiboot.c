// SPDX-License-Identifier: MIT
/*
 * Multiboot and Multiboot2 information into struct boot_info.
 * See Multiboot2 Specification 2.0 section 3.6 and Multiboot 0.6.96 section 3.3.
 * Everything is copied out: the information lies in memory that the
 * firmware later hands to the page allocator.
 */
#include "boot/multiboot.h"
#include "lib/printf.h"
#include "lib/string.h"

static void copy_cmdline(struct boot_info *bi, const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] && n < sizeof(bi->cmdline) - 1) {
		bi->cmdline[n] = s[n];
		n++;
	}
	bi->cmdline[n] = 0;
	bi->cmdline_truncated = n == sizeof(bi->cmdline) - 1 && n < max && s[n];
}

static void add_region(struct boot_info *bi, uint64_t base, uint64_t len,
		       uint32_t e820_type)
{
	uint32_t type = e820_type >= MEM_USABLE && e820_type <= MEM_BAD ?
			e820_type : MEM_RESERVED;

	if (len == 0)
		return;
	if (bi->nregions == BOOT_MEMMAP_MAX) {
		bi->memmap_dropped++;
		return;
	}
	bi->memmap[bi->nregions++] = (struct mem_region){ .base = base, .size = len, .type = type };
}

struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

static void mb2_mmap(struct boot_info *bi, const uint8_t *tag, uint32_t size)
{
	uint32_t esize, off;

	if (size < 16)
		return;
	memcpy(&esize, tag + 8, 4);
	if (esize < 20)
		return;
	for (off = 16; off + esize <= size; off += esize) {
		uint64_t base, len;
		uint32_t type;

		memcpy(&base, tag + off, 8);
		memcpy(&len, tag + off + 8, 8);
		memcpy(&type, tag + off + 16, 4);
		add_region(bi, base, len, type);
	}
}

static void mb2_acpi(struct boot_info *bi, const uint8_t *tag, uint32_t size,
		     int is_new)
{
	uint32_t n = size - 8;

	/* A new (v2) RSDP wins over an old one, whichever tag comes first. */
	if (bi->rsdp == (uint64_t)(uintptr_t)bi->rsdp_copy && !is_new)
		return;
	if (n > sizeof(bi->rsdp_copy))
		n = sizeof(bi->rsdp_copy);
	if (n < 20)
		return;
	memset(bi->rsdp_copy, 0, sizeof(bi->rsdp_copy));
	memcpy(bi->rsdp_copy, tag + 8, n);
	bi->rsdp = (uint64_t)(uintptr_t)bi->rsdp_copy;
}

int mb2_parse(const void *info, size_t max, struct boot_info *bi,
	      char *err, size_t errlen)
{
	const uint8_t *p = info;
	uint32_t total, off;

	bi->loader = BOOT_MULTIBOOT2;
	if (max < 8) {
		ksnprintf(err, errlen, "multiboot2: information shorter than its header");
		return -1;
	}
	memcpy(&total, p, 4);
	if (total < 16 || total > max) {
		ksnprintf(err, errlen, "multiboot2: total_size %u out of range", total);
		return -1;
	}
	for (off = 8; off + 8 <= total; off = (off + 7) & ~7u) {
		struct mb2_tag t;

		memcpy(&t, p + off, sizeof(t));
		if (t.size < 8 || t.size > total - off) {
			ksnprintf(err, errlen,
				 "multiboot2: tag type %u at offset %u has size %u past the end (%u)",
				 t.type, off, t.size, total);
			return -1;
		}
		switch (t.type) {
		case MB2_TAG_END:
			return 0;
		case MB2_TAG_CMDLINE:
			copy_cmdline(bi, (const char *)p + off + 8, t.size - 8);
			break;
		case MB2_TAG_MMAP:
			mb2_mmap(bi, p + off, t.size);
			break;
		case MB2_TAG_EFI64:
			if (t.size >= 16)
				memcpy(&bi->efi_system_table, p + off + 8, 8);
			break;
		case MB2_TAG_LOAD_BASE:
			if (t.size >= 12)
				memcpy(&bi->load_base_tag, p + off + 8, 4);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			mb2_acpi(bi, p + off, t.size, t.type == MB2_TAG_ACPI_NEW);
			break;
		default:
			break;
		}
		off += t.size;
	}
	ksnprintf(err, errlen, "multiboot2: no end tag within %u bytes", total);
	return -1;
}

int mb1_parse(uint32_t info, struct boot_info *bi, char *err, size_t errlen)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)info;
	uint32_t flags;

	bi->loader = BOOT_MULTIBOOT1;
	memcpy(&flags, p, 4);
	if (flags & MB1_INFO_CMDLINE) {
		uint32_t s;

		memcpy(&s, p + 16, 4);
		copy_cmdline(bi, (const char *)(uintptr_t)s, BOOT_CMDLINE_MAX * 4);
	}
	if (flags & MB1_INFO_MMAP) {
		uint32_t len, addr, off;

		memcpy(&len, p + 44, 4);
		memcpy(&addr, p + 48, 4);
		/* Each entry: u32 size (not counting itself), u64 base, u64 len, u32 type. */
		for (off = 0; off + 24 <= len;) {
			const uint8_t *e = (const uint8_t *)(uintptr_t)(addr + off);
			uint32_t size, type;
			uint64_t base, n;

			memcpy(&size, e, 4);
			if (size < 20) {
				ksnprintf(err, errlen, "multiboot: memory map entry size %u < 20", size);
				return -1;
			}
			memcpy(&base, e + 4, 8);
			memcpy(&n, e + 12, 8);
			memcpy(&type, e + 20, 4);
			add_region(bi, base, n, type);
			off += size + 4;
		}
	} else {
		ksnprintf(err, errlen, "multiboot: loader gave no memory map");
		return -1;
	}
	return 0;
}
