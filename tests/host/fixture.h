/* SPDX-License-Identifier: MIT */
/* ACPI tables dumped from QEMU by the firmware (tests=acpi.dump, then
 * tools/acpidump.py), read by the host tests. */
#ifndef TESTS_HOST_FIXTURE_H
#define TESTS_HOST_FIXTURE_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef FIXTURES
#define FIXTURES "tests/host/fixtures"
#endif

/* The file's bytes (malloc'ed; the caller frees) and its size. */
static inline uint8_t *fixture(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	uint8_t *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("fixture %s: cannot open", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		fail_msg("fixture %s: cannot read", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Fix the ACPI checksum (byte 9) after a test changed a table. */
static inline void fixture_checksum(uint8_t *t, size_t len)
{
	uint8_t sum = 0;

	t[9] = 0;
	for (size_t i = 0; i < len; i++)
		sum += t[i];
	t[9] = (uint8_t)-sum;
}

static void parse_hung(int sig)
{
	(void)sig;
	fail_msg("the parse did not return within its watchdog: a walk that never advances");
}

/* Fail the running test, instead of hanging the run, if it has not
 * disarmed the watchdog (parse_watchdog(0)) within `seconds`: for a
 * zero-length structure that would stop a walk from advancing. */
static inline void parse_watchdog(unsigned seconds)
{
	struct sigaction sa = { .sa_handler = parse_hung, .sa_flags = SA_NODEFER };

	sigaction(SIGALRM, &sa, 0);
	alarm(seconds);
}

#endif
