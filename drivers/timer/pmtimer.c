// SPDX-License-Identifier: MIT
/*
 * ACPI PM timer: a 3.579545 MHz counter of 24 or 32 bits at an I/O port.
 * See ACPI Specification 6.5, 4.8.3.3; the port and width come from the
 * FADT (drivers/acpi/tables.c).
 */
#include "drivers/timer/pmtimer.h"
#include "drivers/acpi/acpi.h"
#include "drivers/acpi/tables.h"
#include "arch/x86/cpu.h"

static uint16_t port;
static uint32_t mask;

int pmtimer_init(void)
{
	const struct acpi_header *h = acpi_find("FACP", 0);
	static struct fadt f;

	if (!h)
		return -1;
	fadt_parse(h, h->length, &f);
	if (!f.pm_timer_port)
		return -1;
	port = (uint16_t)f.pm_timer_port;
	mask = f.pm_timer_32bit ? 0xffffffffu : 0xffffffu;
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
