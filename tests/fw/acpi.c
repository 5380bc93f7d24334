// SPDX-License-Identifier: MIT
/*
 * acpi.dump (manual: tests=acpi.dump): every ACPI table in hex, as TAP
 * comment lines "# acpidump SIG ADDR LEN" and "# acpihex OFFSET: bytes",
 * for tools/acpidump.py to turn into files (host-test fixtures, or a lab
 * machine's tables to look at).
 */
#include "kernel/test.h"
#include "drivers/acpi/acpi.h"
#include "kernel/string.h"

static void dump(const struct acpi_header *h)
{
	const uint8_t *b = (const uint8_t *)h;

	kprintf("# acpidump %.4s 0x%lx %u\n", h->signature, (uint64_t)(uintptr_t)h, h->length);
	for (uint32_t off = 0; off < h->length; off += 32) {
		char line[32 * 2 + 1];
		uint32_t n = h->length - off < 32 ? h->length - off : 32;

		for (uint32_t i = 0; i < n; i++)
			ksnprintf(line + 2 * i, 3, "%02x", b[off + i]);
		kprintf("# acpihex %05x: %s\n", off, line);
	}
}

TEST_FULL(acpi, dump, 60000, TEST_MANUAL)
{
	uint32_t n = acpi_table_count(), shown = 0;

	if (!acpi_present()) {
		t_skip(t, "no ACPI root table");
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		const struct acpi_header *h = acpi_table_at(i);

		if (!h)
			continue;
		dump(h);
		shown++;
		/* The DSDT hangs off the FADT, not the root table. */
		if (!memcmp(h->signature, "FACP", 4) && h->length >= 44) {
			uint32_t dsdt;

			memcpy(&dsdt, (const uint8_t *)h + 40, 4);
			if (dsdt && acpi_checksum_ok((const void *)(uintptr_t)dsdt,
						     ((const struct acpi_header *)(uintptr_t)dsdt)->length)) {
				dump((const void *)(uintptr_t)dsdt);
				shown++;
			}
		}
	}
	t_yaml(t, "tables: %u", shown);
	t_yaml(t, "bad: %u", acpi_bad_tables());
}
