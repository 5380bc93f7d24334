/* SPDX-License-Identifier: MIT */
/*
 * The command line: space-separated key=value options (docs/cmdline.md).
 * Unknown keys and bad values become warnings that the report prints.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdint.h>

enum exit_mode {
	EXIT_AUTO,	/* isa-debug-exit under QEMU, else halt */
	EXIT_QEMU,
	EXIT_HALT,
	EXIT_REBOOT,
};

enum console_kind {
	CONSOLE_AUTO,	/* the SPCR's UART, else every legacy port that answers, mirrored */
	CONSOLE_IO,	/* a 16550 at an I/O port */
	CONSOLE_MMIO,	/* a 16550 in memory, byte registers */
	CONSOLE_MMIO32,	/* a 16550 in memory, 32-bit registers 4 bytes apart */
};

enum apic_choice {
	APIC_AUTO,	/* x2APIC where the CPU has it */
	APIC_XAPIC,
	APIC_X2APIC,
};

#define CONFIG_WARN_MAX		8
#define CONFIG_WARN_LEN		160	/* lib/console.c holds warnings of 160 */
#define CONFIG_TESTS_LEN	256
#define CONFIG_SAMPLES_DEFAULT	10000
#define CONFIG_SAMPLES_MIN	2	/* the first is the cold sample, apart */
#define CONFIG_SAMPLES_MAX	10000000000ull	/* constant memory: tests/harness/test.h */
#define CONFIG_CPUS_MAX		512	/* CPUS_MAX */
#define CONFIG_PROGRESS_DEFAULT_MS	10000
#define CONFIG_DURATION_MAX_MS	(366ull * 24 * 3600 * 1000)	/* a year */

struct config {
	enum console_kind console;
	uint64_t console_base;		/* port or address (auto: COM1 until ACPI is read) */
	uint32_t console_baud;
	char tests[CONFIG_TESTS_LEN];	/* comma-separated globs */
	uint64_t samples;
	enum exit_mode exit;
	enum apic_choice apic;
	uint32_t cpus;			/* at most this many CPUs, the boot CPU included */
	int ir;				/* interrupt remapping wanted (ir=on|off) */
	int idle_poll;			/* idle=poll: idle CPUs spin, not hlt */
	uint64_t soak_ms;		/* soak=: 0, or how long the soak runs */
	uint64_t progress_ms;		/* progress=: a soak's progress line period */
	int tests_given;		/* tests= was on the command line */
	const char *options;		/* the command line less a leading image path */
	int nwarnings;
	char warnings[CONFIG_WARN_MAX][CONFIG_WARN_LEN];
};

/* Fill `cfg` with defaults, then apply `cmdline` (which must outlive cfg). */
void config_parse(const char *cmdline, struct config *cfg);

const char *exit_mode_name(enum exit_mode m);

#endif
