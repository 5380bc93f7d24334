/* SPDX-License-Identifier: MIT */
/* ACPI root tables: RSDP, RSDT/XSDT, lookup by signature.
 * See ACPI Specification 6.5, 5.2.5 (RSDP), 5.2.6 (header), 5.2.7-8. */
#ifndef DRIVERS_ACPI_ACPI_H
#define DRIVERS_ACPI_ACPI_H

#include <stddef.h>
#include <stdint.h>

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI 6.5 table 5.4");

struct acpi_rsdp {
	char signature[8];	/* "RSD PTR " */
	uint8_t checksum;	/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;	/* 0: ACPI 1.0, 2: 2.0 and later */
	uint32_t rsdt;
	uint32_t length;	/* revision >= 2 from here */
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_rsdp) == 36, "ACPI 6.5 table 5.3");

/* 0 when p holds a valid RSDP (signature, checksums, length), else -1 with err. */
int acpi_rsdp_check(const void *p, char *err, size_t errlen);

/* Search the EBDA and 0xE0000-0xFFFFF (ACPI 6.5, 5.2.5.1); 0 if none. Must
 * run while page 0 is still mapped. */
uint64_t acpi_rsdp_scan_bios(void);

/* Select the XSDT (or RSDT) named by the RSDP at `rsdp`. 0, or -1 with err. */
int acpi_init(uint64_t rsdp, char *err, size_t errlen);
int acpi_present(void);
const char *acpi_root_name(void);	/* "XSDT", "RSDT" or "none" */

/* The index-th table with signature sig whose length and checksum are
 * valid, or NULL. Tables that fail the checks are counted, never returned. */
const struct acpi_header *acpi_find(const char sig[4], int index);
uint32_t acpi_bad_tables(void);
/* Every entry of the root table, valid or not (NULL for a bad address). */
uint32_t acpi_table_count(void);
const struct acpi_header *acpi_table_at(uint32_t i);

int acpi_checksum_ok(const void *p, size_t len);

#endif
