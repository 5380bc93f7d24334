// SPDX-License-Identifier: MIT
/*
 * ACPI PM timer: a 3.579545 MHz counter of 24 or 32 bits at an I/O port.
 * See ACPI Specification 6.5, 4.8.3.3 (PM timer), 5.2.9 table 5.9 (FADT:
 * PM_TMR_BLK at offset 76, flags at 112 with TMR_VAL_EXT bit 8,
 * X_PM_TMR_BLK at 208).
 */
#include "drivers/timer/pmtimer.h"
#include "drivers/acpi/acpi.h"
#include "arch/x86/cpu.h"
#include "kernel/string.h"

#define FADT_PM_TMR_BLK		76
#define FADT_FLAGS		112
# define FADT_TMR_VAL_EXT	(1u << 8)
#define FADT_X_PM_TMR_BLK	208	/* generic address structure */
#define GAS_SPACE_IO		1

static uint16_t port;
static uint32_t mask;

int pmtimer_init(void)
{
	const struct acpi_header *f = acpi_find("FACP", 0);
	const uint8_t *b = (const uint8_t *)f;
	uint32_t blk = 0, flags = 0;

	if (!f || f->length < FADT_FLAGS + 4)
		return -1;
	memcpy(&blk, b + FADT_PM_TMR_BLK, 4);
	memcpy(&flags, b + FADT_FLAGS, 4);
	if (f->length >= FADT_X_PM_TMR_BLK + 12 && b[FADT_X_PM_TMR_BLK] == GAS_SPACE_IO) {
		uint64_t x;

		memcpy(&x, b + FADT_X_PM_TMR_BLK + 4, 8);
		if (x && x <= 0xffff)
			blk = (uint32_t)x;
	}
	if (!blk || blk > 0xffff)
		return -1;
	port = (uint16_t)blk;
	mask = (flags & FADT_TMR_VAL_EXT) ? 0xffffffffu : 0xffffffu;
	return 0;
}

uint32_t pmtimer_read(void)
{
	return inl(port) & mask;
}

uint32_t pmtimer_mask(void)
{
	return mask;
}

uint16_t pmtimer_port(void)
{
	return port;
}
