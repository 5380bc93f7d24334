// SPDX-License-Identifier: MIT
/* boot/multiboot.c: Multiboot2 tags into struct boot_info. */
#include "tests/host/host.h"
#include "boot/multiboot.h"

static uint8_t buf[4096] __attribute__((aligned(8)));
static size_t len;
static struct boot_info bi;
static char err[128];

static void start(void)
{
	memset(buf, 0, sizeof(buf));
	memset(&bi, 0, sizeof(bi));
	err[0] = 0;
	len = 8;
}

static void tag(uint32_t type, const void *body, uint32_t n)
{
	uint32_t size = 8 + n;

	memcpy(buf + len, &type, 4);
	memcpy(buf + len + 4, &size, 4);
	if (n)
		memcpy(buf + len + 8, body, n);
	len = (len + size + 7) & ~7ul;
}

static void finish(void)
{
	uint32_t total;

	tag(MB2_TAG_END, NULL, 0);
	total = (uint32_t)len;
	memcpy(buf, &total, 4);
}

static void rsdp(uint8_t *out, uint8_t rev, uint8_t mark)
{
	memset(out, 0, 36);
	memcpy(out, "RSD PTR ", 8);
	out[15] = rev;
	out[9] = mark;	/* OEM id: tells the copies apart */
}

static void mmap_tag(void)
{
	uint8_t b[8 + 3 * 24] = { 0 };
	uint32_t esize = 24;
	struct { uint64_t base, len; uint32_t type, zero; } e[3] = {
		{ 0, 0x9fc00, 1, 0 }, { 0x100000, 0x7ee0000, 1, 0 }, { 0xfffc0000, 0x40000, 77, 0 },
	};

	memcpy(b, &esize, 4);
	memcpy(b + 8, e, sizeof(e));
	tag(MB2_TAG_MMAP, b, sizeof(b));
}

static void full_information(void **state)
{
	uint8_t old[36], new_[36];
	uint64_t st = 0x7fe00000;
	uint32_t load_base = 0x200000;

	(void)state;
	start();
	tag(MB2_TAG_CMDLINE, "/boot/msilab.elf tests=boot.*", 30);
	mmap_tag();
	rsdp(new_, 2, 'N');
	rsdp(old, 0, 'O');
	tag(MB2_TAG_ACPI_NEW, new_, 36);
	tag(MB2_TAG_ACPI_OLD, old, 20);		/* after the new one: must not win */
	tag(MB2_TAG_EFI64, &st, 8);
	tag(MB2_TAG_LOAD_BASE, &load_base, 4);
	tag(99, "ignored", 7);
	finish();
	assert_int_equal(mb2_parse(buf, sizeof(buf), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.loader, BOOT_MULTIBOOT2);
	assert_string_equal(bi.cmdline, "/boot/msilab.elf tests=boot.*");
	assert_int_equal(bi.nregions, 3);
	assert_int_equal(bi.memmap[1].base, 0x100000);
	assert_int_equal(bi.memmap[1].type, MEM_USABLE);
	assert_int_equal(bi.memmap[2].type, MEM_RESERVED);	/* unknown type 77 */
	assert_int_equal(bi.rsdp, (uintptr_t)bi.rsdp_copy);
	assert_int_equal(bi.rsdp_copy[9], 'N');
	assert_int_equal(bi.efi_system_table, st);
	assert_int_equal(bi.load_base_tag, load_base);
}

static void new_rsdp_wins_in_either_order(void **state)
{
	uint8_t old[36], new_[36];

	(void)state;
	start();
	rsdp(old, 0, 'O');
	rsdp(new_, 2, 'N');
	tag(MB2_TAG_ACPI_OLD, old, 20);
	tag(MB2_TAG_ACPI_NEW, new_, 36);
	finish();
	assert_int_equal(mb2_parse(buf, sizeof(buf), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.rsdp_copy[9], 'N');
}

static void total_size_past_buffer(void **state)
{
	(void)state;
	start();
	finish();
	assert_int_equal(mb2_parse(buf, 12, &bi, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "total_size"));
	assert_int_equal(mb2_parse(buf, 4, &bi, err, sizeof(err)), -1);
}

static void tag_past_end(void **state)
{
	uint32_t bad = 4000;

	(void)state;
	start();
	tag(MB2_TAG_CMDLINE, "x", 2);
	finish();
	memcpy(buf + 12, &bad, 4);	/* the cmdline tag's size */
	assert_int_equal(mb2_parse(buf, sizeof(buf), &bi, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "past the end"));
}

static void missing_end_tag(void **state)
{
	uint32_t total;

	(void)state;
	start();
	tag(MB2_TAG_CMDLINE, "abc", 4);
	total = (uint32_t)len;
	memcpy(buf, &total, 4);
	assert_int_equal(mb2_parse(buf, sizeof(buf), &bi, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no end tag"));
	assert_string_equal(bi.cmdline, "abc");	/* what came before is kept */
}

static void unterminated_cmdline_is_bounded(void **state)
{
	(void)state;
	start();
	tag(MB2_TAG_CMDLINE, "abcdef", 6);	/* no NUL inside the tag */
	finish();
	assert_int_equal(mb2_parse(buf, sizeof(buf), &bi, err, sizeof(err)), 0);
	assert_string_equal(bi.cmdline, "abcdef");
}

static void tiny_mmap_entries_are_ignored(void **state)
{
	uint8_t b[8 + 16] = { 0 };
	uint32_t esize = 8;	/* smaller than an entry */

	(void)state;
	start();
	memcpy(b, &esize, 4);
	tag(MB2_TAG_MMAP, b, sizeof(b));
	finish();
	assert_int_equal(mb2_parse(buf, sizeof(buf), &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.nregions, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_information),
		cmocka_unit_test(new_rsdp_wins_in_either_order),
		cmocka_unit_test(total_size_past_buffer),
		cmocka_unit_test(tag_past_end),
		cmocka_unit_test(missing_end_tag),
		cmocka_unit_test(unterminated_cmdline_is_bounded),
		cmocka_unit_test(tiny_mmap_entries_are_ignored),
	};
	return RUN(tests);
}
