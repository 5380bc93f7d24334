/* SPDX-License-Identifier: MIT */
/* Room for any one parsed table, for code that parses them one at a time. */
#ifndef DRIVERS_ACPI_PARSED_H
#define DRIVERS_ACPI_PARSED_H

#include "drivers/acpi/dmar.h"
#include "drivers/acpi/ivrs.h"
#include "drivers/acpi/madt.h"
#include "drivers/acpi/tables.h"

union acpi_parsed {
	struct madt madt;
	struct mcfg mcfg;
	struct hpet_table hpet;
	struct fadt fadt;
	struct spcr spcr;
	struct dmar dmar;
	struct ivrs ivrs;
};

#endif
