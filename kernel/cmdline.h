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

enum apic_choice {
	APIC_AUTO,	/* x2APIC where the CPU has it */
	APIC_XAPIC,
	APIC_X2APIC,
};

#define CONFIG_WARN_MAX		8
#define CONFIG_WARN_LEN		120
#define CONFIG_TESTS_LEN	256
#define CONFIG_SAMPLES_DEFAULT	10000
#define CONFIG_SAMPLES_MAX	100000
#define CONFIG_CPUS_MAX		64

struct config {
	uint16_t console_port;
	uint32_t console_baud;
	int console_given;		/* console= was on the command line */
	char tests[CONFIG_TESTS_LEN];	/* comma-separated globs */
	uint32_t samples;
	enum exit_mode exit;
	enum apic_choice apic;
	uint32_t cpus;			/* at most this many CPUs, the boot CPU included */
	int ir;				/* interrupt remapping wanted (ir=on|off) */
	const char *options;		/* the command line less a leading image path */
	int nwarnings;
	char warnings[CONFIG_WARN_MAX][CONFIG_WARN_LEN];
};

/* Fill `cfg` with defaults, then apply `cmdline` (which must outlive cfg). */
void config_parse(const char *cmdline, struct config *cfg);

const char *exit_mode_name(enum exit_mode m);

#endif
