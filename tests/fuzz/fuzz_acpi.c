// SPDX-License-Identifier: MIT
/*
 * libFuzzer targets for the ACPI table parsers: one per parser, chosen at
 * compile time with -DFUZZ_<NAME> (make fuzz builds them all). The input is
 * the table; each parser must stay inside it whatever it holds. Seeds come
 * from the QEMU tables in tests/host/fixtures.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "drivers/acpi/dmar.h"
#include "drivers/acpi/ivrs.h"
#include "drivers/acpi/madt.h"
#include "drivers/acpi/tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly `size` bytes, so ASan sees any read past the end. */
	uint8_t *t = malloc(size ? size : 1);

	memcpy(t, data, size);
#if defined(FUZZ_MADT)
	static struct madt m;

	madt_parse(t, size, size & 1, &m);
#elif defined(FUZZ_MCFG)
	static struct mcfg m;

	mcfg_parse(t, size, &m);
#elif defined(FUZZ_HPET)
	static struct hpet_table m;

	hpet_table_parse(t, size, &m);
#elif defined(FUZZ_FADT)
	static struct fadt m;

	fadt_parse(t, size, &m);
#elif defined(FUZZ_SPCR)
	static struct spcr m;

	spcr_parse(t, size, &m);
#elif defined(FUZZ_DMAR)
	static struct dmar m;

	dmar_parse(t, size, &m);
#elif defined(FUZZ_IVRS)
	static struct ivrs m;

	ivrs_parse(t, size, &m);
#else
#error "define FUZZ_<PARSER>"
#endif
	free(t);
	return 0;
}
