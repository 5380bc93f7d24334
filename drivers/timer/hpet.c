// SPDX-License-Identifier: MIT
/*
 * HPET main counter, for TSC calibration. See IA-PC HPET Specification
 * 1.0a, 2.3.4 (GCAP_ID: period in femtoseconds, at most 0x05F5E100),
 * 2.3.5 (GEN_CONF.ENABLE_CNF); the base comes from the ACPI HPET table
 * (drivers/acpi/tables.c).
 */
#include "drivers/timer/hpet.h"
#include "drivers/acpi/acpi.h"
#include "drivers/acpi/tables.h"
#include "arch/x86/cpu.h"

#define HPET_PERIOD_MAX		0x05f5e100ull	/* 100 ns */

static uint64_t base, hz, mask;
static uint8_t number;

int hpet_init(void)
{
	const struct acpi_header *t = acpi_find("HPET", 0);
	static struct hpet_table ht;
	uint64_t cap, period;

	if (!t || hpet_table_parse(t, t->length, &ht))
		return -1;
	base = ht.base.address;
	number = ht.number;
	cap = mmio_read64(base + HPET_GCAP_ID);
	period = HPET_GCAP_PERIOD(cap);
	if (cap == ~0ull || period == 0 || period > HPET_PERIOD_MAX) {
		base = 0;
		return -1;
	}
	hz = 1000000000000000ull / period;
	mask = (cap & HPET_GCAP_64BIT) ? ~0ull : 0xffffffffull;
	*(volatile uint64_t *)(uintptr_t)(base + HPET_GEN_CONF) |= HPET_CONF_ENABLE;
	return 0;
}

uint64_t hpet_read(void)
{
	return mmio_read64(base + HPET_MAIN_COUNTER);
}

uint64_t hpet_hz(void)
{
	return hz;
}

uint64_t hpet_base(void)
{
	return base;
}

uint8_t hpet_number(void)
{
	return number;
}

uint64_t hpet_mask(void)
{
	return mask;
}
