// SPDX-License-Identifier: MIT
/* kernel/cmdline.c and lib/glob.c: options, warnings, test selection. */
#include "tests/host/host.h"
#include "kernel/cmdline.h"
#include "lib/glob.h"

static struct config c;

static void defaults(void **state)
{
	(void)state;
	config_parse("", &c);
	assert_int_equal(c.console_base, 0x3f8);
	assert_int_equal(c.console_baud, 115200);
	assert_string_equal(c.tests, "*");
	assert_int_equal(c.samples, CONFIG_SAMPLES_DEFAULT);
	assert_int_equal(c.exit, EXIT_AUTO);
	assert_int_equal(c.nwarnings, 0);
	config_parse(NULL, &c);
	assert_string_equal(c.options, "");
}

/* The options that are one of a few names: each name, and a bad one warned
 * about with the default kept. */
static void choices(void **state)
{
	(void)state;
	config_parse("apic=x2apic ir=off idle=poll cpus=300", &c);
	assert_int_equal(c.apic, APIC_X2APIC);
	assert_int_equal(c.ir, 0);
	assert_int_equal(c.idle_poll, 1);
	assert_int_equal(c.cpus, 300);
	assert_int_equal(c.nwarnings, 0);
	config_parse("apic=xapic idle=halt", &c);
	assert_int_equal(c.apic, APIC_XAPIC);
	assert_int_equal(c.idle_poll, 0);
	assert_int_equal(c.ir, 1);
	config_parse("idle=mwait cpus=513", &c);
	assert_int_equal(c.idle_poll, 0);
	assert_int_equal(c.cpus, CONFIG_CPUS_MAX);
	assert_int_equal(c.nwarnings, 2);
}

static void consoles(void **state)
{
	(void)state;
	config_parse("console=ttyS1", &c);
	assert_int_equal(c.console_base, 0x2f8);
	config_parse("console=ttyS0,57600", &c);
	assert_int_equal(c.console_base, 0x3f8);
	assert_int_equal(c.console_baud, 57600);
	config_parse("console=io:0x2f8", &c);
	assert_int_equal(c.console_base, 0x2f8);
	config_parse("console=io:0x3e8,9600", &c);
	assert_int_equal(c.console_base, 0x3e8);
	assert_int_equal(c.console_baud, 9600);
	assert_int_equal(c.console, CONSOLE_IO);
	assert_int_equal(c.nwarnings, 0);
	/* MMIO UARTs known only from an SPCR, named by hand. */
	config_parse("console=mmio32,0xfe032000,57600", &c);
	assert_int_equal(c.console, CONSOLE_MMIO32);
	assert_int_equal(c.console_base, 0xfe032000);
	assert_int_equal(c.console_baud, 57600);
	config_parse("console=mmio,0xfedc9000", &c);
	assert_int_equal(c.console, CONSOLE_MMIO);
	assert_int_equal(c.console_baud, 115200);
	config_parse("console=ttyS1 console=auto", &c);
	assert_int_equal(c.console, CONSOLE_AUTO);
	assert_int_equal(c.nwarnings, 0);
	config_parse("console=mmio32,0xfe032001 console=mmio32 console=mmio,0x1000,9600,1", &c);
	assert_int_equal(c.nwarnings, 3);	/* unaligned, no address, a field too many */
	assert_int_equal(c.console, CONSOLE_AUTO);
}

static void bad_values_warn_and_keep_defaults(void **state)
{
	(void)state;
	config_parse("console=ttyS7 console=io:zz samples=0 samples=10000000001 exit=later "
		     "console=ttyS0,1000000 tests= samples", &c);
	assert_int_equal(c.console, CONSOLE_AUTO);
	assert_int_equal(c.console_base, 0x3f8);
	assert_int_equal(c.console_baud, 115200);
	assert_int_equal(c.samples, CONFIG_SAMPLES_DEFAULT);
	assert_int_equal(c.exit, EXIT_AUTO);
	assert_string_equal(c.tests, "*");
	assert_int_equal(c.nwarnings, 8);
	assert_string_equal(c.warnings[0], "option 'console': bad value 'ttyS7', ignored; values: "
			    "auto, ttyS0-3, io:0xPORT, mmio,ADDR, mmio32,ADDR; each ,BAUD (50-115200)");
	assert_string_equal(c.warnings[7], "option 'samples' needs a value: 2 ... 10000000000 (the "
			    "first is reported apart as cold)");
}

/* samples=1 leaves no sample once the cold one is set apart: refused with
 * the range, the default kept; 2 is the least that makes a figure. */
static void samples_range(void **state)
{
	(void)state;
	config_parse("samples=1", &c);
	assert_int_equal(c.samples, CONFIG_SAMPLES_DEFAULT);
	assert_int_equal(c.nwarnings, 1);
	assert_string_equal(c.warnings[0], "option 'samples': bad value '1', ignored; values: 2 ... "
			    "10000000000 (the first is reported apart as cold)");
	config_parse("samples=2", &c);
	assert_int_equal(c.samples, 2);
	assert_int_equal(c.nwarnings, 0);
}

/* A number that does not fit in 64 bits is refused, not taken modulo 2^64:
 * 0x10000000000000005 was 5, io:0x1000000000000002f8 was COM2 (issue 24). */
static void numbers_that_do_not_fit(void **state)
{
	(void)state;
	config_parse("samples=0x10000000000000005", &c);
	assert_int_equal(c.samples, CONFIG_SAMPLES_DEFAULT);
	assert_int_equal(c.nwarnings, 1);
	assert_string_equal(c.warnings[0], "option 'samples': bad value '0x10000000000000005', "
			    "ignored; values: 2 ... 10000000000 (the first is reported apart as cold)");
	config_parse("console=io:0x1000000000000002f8", &c);
	assert_int_equal(c.console, CONSOLE_AUTO);
	assert_int_equal(c.console_base, 0x3f8);
	assert_int_equal(c.nwarnings, 1);
	config_parse("cpus=0x10000000000000001 console=mmio,0x100000000fedc9000 "
		     "console=ttyS0,0x10000000000009600 samples=18446744073709551621 "
		     "soak=18446744073709551617ms", &c);
	assert_int_equal(c.cpus, CONFIG_CPUS_MAX);
	assert_int_equal(c.console, CONSOLE_AUTO);
	assert_int_equal(c.console_baud, 115200);
	assert_int_equal(c.samples, CONFIG_SAMPLES_DEFAULT);
	assert_int_equal(c.soak_ms, 0);
	assert_int_equal(c.nwarnings, 5);
	/* What fits still parses, leading zeros and the largest value too. */
	config_parse("samples=0x00000000000000000000000000005 console=mmio,0xffffffffffffffff "
		     "cpus=000000000000000000000007", &c);
	assert_int_equal(c.nwarnings, 0);
	assert_int_equal(c.samples, 5);
	assert_int_equal(c.console_base, 0xffffffffffffffffull);
	assert_int_equal(c.cpus, 7);
}

/* A misspelt key or value gets the closest valid one, when one is close
 * (an edit in three characters, a swap of two counting as one, case not at
 * all), and the list of what is valid. */
static void mistakes_get_answers(void **state)
{
	(void)state;
	config_parse("sampels=100 apic=x3apic exit=hlat idle=pol ir=yes Samples=5", &c);
	assert_int_equal(c.nwarnings, 6);
	assert_int_equal(c.samples, CONFIG_SAMPLES_DEFAULT);
	assert_string_equal(c.warnings[0], "unknown option 'sampels', ignored; did you mean 'samples'? "
			    "options: console, tests, samples, exit, cpus, apic, ir, idle, soak, progress");
	assert_string_equal(c.warnings[1], "option 'apic': bad value 'x3apic', ignored; did you mean "
			    "'x2apic'? values: auto, xapic, x2apic");
	assert_string_equal(c.warnings[2], "option 'exit': bad value 'hlat', ignored; did you mean "
			    "'halt'? values: auto, qemu, halt, reboot");
	assert_string_equal(c.warnings[3], "option 'idle': bad value 'pol', ignored; did you mean "
			    "'poll'? values: halt, poll");
	/* Nothing close: no guess, the list only. */
	assert_string_equal(c.warnings[4], "option 'ir': bad value 'yes', ignored; values: off, on");
	assert_string_equal(c.warnings[5], "unknown option 'Samples', ignored; did you mean 'samples'? "
			    "options: console, tests, samples, exit, cpus, apic, ir, idle, soak, progress");
	config_parse("cpus=0 soak=5x progres=1s", &c);
	assert_string_equal(c.warnings[0], "option 'cpus': bad value '0', ignored; values: 1 ... 512");
	assert_string_equal(c.warnings[1], "option 'soak': bad value '5x', ignored; values: a number "
			    "and ms, s, m or h (30s, 10m, 8h)");
	assert_string_equal(c.warnings[2], "unknown option 'progres', ignored; did you mean "
			    "'progress'? options: console, tests, samples, exit, cpus, apic, ir, idle, "
			    "soak, progress");
	/* Every warning fits the console's held line (lib/console.c: 160),
	 * a long word cut to 29 characters and "...". */
	config_parse("console=mmio32,0x1234567890abcdef0123456789abcdef0123456789 "
		     "progress_every_so_often_and_then_some=1", &c);
	assert_int_equal(c.nwarnings, 2);
	assert_true(strlen(c.warnings[0]) < CONFIG_WARN_LEN - 1);
	assert_true(strlen(c.warnings[1]) < CONFIG_WARN_LEN - 1);
	assert_non_null(strstr(c.warnings[0], "'mmio32,0x1234567890abcdef0123...'"));
	assert_non_null(strstr(c.warnings[1], "'progress_every_so_often_and_t...'"));
}

static void unknown_keys_warn(void **state)
{
	(void)state;
	config_parse("samples=10000000000", &c);
	assert_int_equal(c.nwarnings, 0);
	assert_int_equal(c.samples, 10000000000ull);
	config_parse("quiet foo=bar samples=5", &c);
	assert_int_equal(c.nwarnings, 2);
	assert_string_equal(c.warnings[0], "unknown option 'quiet', ignored; options: console, tests, "
			    "samples, exit, cpus, apic, ir, idle, soak, progress");
	assert_string_equal(c.warnings[1], "unknown option 'foo', ignored; options: console, tests, "
			    "samples, exit, cpus, apic, ir, idle, soak, progress");
	assert_int_equal(c.samples, 5);
}

static void too_many_warnings_are_counted(void **state)
{
	(void)state;
	config_parse("a b c d e f g h i j", &c);
	assert_int_equal(c.nwarnings, 10);
	assert_string_equal(c.warnings[CONFIG_WARN_MAX - 1], "unknown option 'h', ignored; options: "
			    "console, tests, samples, exit, cpus, apic, ir, idle, soak, progress");
}

static void image_path_is_not_an_option(void **state)
{
	(void)state;
	config_parse("/boot/msilab.elf  tests=lapic.* exit=qemu", &c);
	assert_int_equal(c.nwarnings, 0);
	assert_string_equal(c.options, "tests=lapic.* exit=qemu");
	assert_string_equal(c.tests, "lapic.*");
	assert_int_equal(c.exit, EXIT_QEMU);
	config_parse("msilab.efi samples=7", &c);
	assert_string_equal(c.options, "samples=7");
	config_parse("\\EFI\\BOOT\\BOOTX64.EFI", &c);
	assert_string_equal(c.options, "");
	/* Only the first word may be the image. */
	config_parse("samples=7 /boot/x.elf", &c);
	assert_int_equal(c.nwarnings, 1);
}

static void exit_modes(void **state)
{
	(void)state;
	config_parse("exit=halt", &c);
	assert_int_equal(c.exit, EXIT_HALT);
	config_parse("exit=reboot", &c);
	assert_int_equal(c.exit, EXIT_REBOOT);
	assert_string_equal(exit_mode_name(EXIT_REBOOT), "reboot");
}

static void globs(void **state)
{
	(void)state;
	assert_true(glob_match("*", 1, "lapic.self_ipi_latency"));
	assert_true(glob_match("lapic.*", 7, "lapic.x"));
	assert_false(glob_match("lapic.*", 7, "lapi.x"));
	assert_true(glob_match("*.tsc_*", 7, "timer.tsc_calibration"));
	assert_true(glob_match("b?ot.*", 6, "boot.rsdp_found"));
	assert_false(glob_match("boot", 4, "boot.rsdp_found"));
	assert_true(glob_match("", 0, ""));
	assert_true(glob_match("a*b*c", 5, "aXXbYYc"));
	assert_false(glob_match("a*b*c", 5, "aXXbYY"));
}

static void selection(void **state)
{
	(void)state;
	assert_true(glob_select("*", "boot", "rsdp_found", 0));
	assert_true(glob_select("cpu.*,boot.rsdp_found", "boot", "rsdp_found", 0));
	assert_false(glob_select("cpu.*,lapic.*", "boot", "rsdp_found", 0));
	assert_false(glob_select(",,", "boot", "rsdp_found", 0));
	/* Manual tests need their suite named. */
	assert_false(glob_select("*", "selftest", "hang", 1));
	assert_false(glob_select("self*", "selftest", "hang", 1));
	assert_true(glob_select("selftest.*", "selftest", "hang", 1));
	assert_true(glob_select("boot.*,selftest.hang", "selftest", "hang", 1));
}

static void soak_and_progress(void **state)
{
	(void)state;
	config_parse("soak=8h", &c);
	assert_int_equal(c.nwarnings, 0);
	assert_int_equal(c.soak_ms, 8ull * 3600 * 1000);
	assert_int_equal(c.progress_ms, CONFIG_PROGRESS_DEFAULT_MS);
	assert_string_equal(c.tests, "soak.*");		/* soak= alone: the soak */
	config_parse("soak=30s progress=1s tests=*,soak.*", &c);
	assert_int_equal(c.soak_ms, 30000);
	assert_int_equal(c.progress_ms, 1000);
	assert_string_equal(c.tests, "*,soak.*");
	config_parse("soak=10m soak=250ms", &c);
	assert_int_equal(c.soak_ms, 250);
	config_parse("soak=5x soak=0s soak=h soak=9999999h progress=10", &c);
	assert_int_equal(c.nwarnings, 5);
	assert_int_equal(c.soak_ms, 0);
	assert_int_equal(c.progress_ms, CONFIG_PROGRESS_DEFAULT_MS);
	assert_string_equal(c.tests, "*");
	assert_string_equal(c.warnings[0], "option 'soak': bad value '5x', ignored; values: a number "
			    "and ms, s, m or h (30s, 10m, 8h)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults),
		cmocka_unit_test(consoles),
		cmocka_unit_test(choices),
		cmocka_unit_test(bad_values_warn_and_keep_defaults),
		cmocka_unit_test(samples_range),
		cmocka_unit_test(numbers_that_do_not_fit),
		cmocka_unit_test(mistakes_get_answers),
		cmocka_unit_test(soak_and_progress),
		cmocka_unit_test(unknown_keys_warn),
		cmocka_unit_test(too_many_warnings_are_counted),
		cmocka_unit_test(image_path_is_not_an_option),
		cmocka_unit_test(exit_modes),
		cmocka_unit_test(globs),
		cmocka_unit_test(selection),
	};
	return RUN(tests);
}
