// SPDX-License-Identifier: MIT
/* lib/printf.c: the firmware's own formatting. */
#include "tests/host/host.h"

/* Odd formats on purpose: the firmware must print them without harm. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#include "lib/printf.h"

static char buf[256];

#define FMT(expect, ...) do {							\
	int n_ = ksnprintf(buf, sizeof(buf), __VA_ARGS__);			\
	assert_string_equal(buf, expect);					\
	assert_int_equal(n_, strlen(expect));					\
} while (0)

static void integers(void **state)
{
	(void)state;
	FMT("0", "%d", 0);
	FMT("-42 17", "%d %i", -42, 17);
	FMT("4294967295", "%u", 4294967295u);
	FMT("-9223372036854775808", "%ld", INT64_MIN);
	FMT("18446744073709551615", "%lu", UINT64_MAX);
	FMT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	FMT("123456789abcdef0", "%lx", (unsigned long)0x123456789abcdef0ull);
	FMT("7", "%zu", (size_t)7);
}

static void widths_and_flags(void **state)
{
	(void)state;
	FMT("   42", "%5d", 42);
	FMT("00042", "%05d", 42);
	FMT("42   |", "%-5d|", 42);
	FMT("-0042", "%05d", -42);
	FMT("0x00ff", "0x%04x", 0xff);
	FMT("  ab", "%*s", 4, "ab");
	FMT("abc", "%.3s", "abcdef");
	FMT("ab", "%.*s", 2, "abcdef");
	FMT("(null)", "%s", (char *)NULL);
	FMT("x|", "%-1c|", 'x');
	FMT("100%", "%d%%", 100);
	FMT("0x1000", "%p", (void *)0x1000);
}

static void truncation(void **state)
{
	char small[6];
	int n;

	(void)state;
	n = ksnprintf(small, sizeof(small), "%s", "abcdefgh");
	assert_int_equal(n, 8);		/* what it would have written */
	assert_string_equal(small, "abcde");
	n = ksnprintf(small, 0, "%d", 12345);
	assert_int_equal(n, 5);
	n = ksnprintf(small, 1, "%d", 12345);
	assert_string_equal(small, "");
}

static void unknown_conversion_is_shown(void **state)
{
	(void)state;
	FMT("%q", "%q");
	FMT("end%", "end%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers),
		cmocka_unit_test(widths_and_flags),
		cmocka_unit_test(truncation),
		cmocka_unit_test(unknown_conversion_is_shown),
	};
	return RUN(tests);
}
