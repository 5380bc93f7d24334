/* SPDX-License-Identifier: MIT */
/*
 * What every ACPI table parser shares: the header check and an error list.
 * The parsers (madt, mcfg, dmar, ivrs, spcr, hpet, fadt) are pure functions
 * of a byte buffer, host-tested on QEMU's tables and fuzzed (tests/fuzz).
 */
#ifndef DRIVERS_ACPI_TABLE_H
#define DRIVERS_ACPI_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include "lib/printf.h"

#define ACPI_ERRORS_MAX 8

struct acpi_errors {
	uint32_t n;		/* every problem found; the first few described */
	char msg[ACPI_ERRORS_MAX][96];
};

void acpi_err(struct acpi_errors *e, const char *fmt, ...) PRINTF_LIKE(2, 3);

/*
 * Check a table of `len` available bytes: at least `min_len` long, the
 * signature, the header's length within `len`, and the checksum. Returns
 * the length to parse (the header's, or `len` when the header claims more),
 * or 0 when nothing can be parsed; problems go to e.
 */
size_t acpi_table_check(const void *t, size_t len, const char sig[4], size_t min_len,
			struct acpi_errors *e);

static inline uint16_t acpi_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t acpi_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t acpi_rd64(const uint8_t *p)
{
	return acpi_rd32(p) | (uint64_t)acpi_rd32(p + 4) << 32;
}

/* Generic Address Structure (ACPI 6.5, 5.2.3.2), 12 bytes. */
struct acpi_gas {
	uint8_t space;		/* 0 memory, 1 I/O */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t address;
};

#define ACPI_GAS_MEMORY	0
#define ACPI_GAS_IO	1

static inline struct acpi_gas acpi_rd_gas(const uint8_t *p)
{
	return (struct acpi_gas){ .space = p[0], .bit_width = p[1], .bit_offset = p[2],
				  .access_size = p[3], .address = acpi_rd64(p + 4) };
}

#endif
