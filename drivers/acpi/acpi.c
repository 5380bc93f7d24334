// SPDX-License-Identifier: MIT
/*
 * ACPI root tables. See ACPI Specification 6.5, 5.2.5 (RSDP), 5.2.6 (system
 * description table header), 5.2.7 (RSDT), 5.2.8 (XSDT).
 */
#include "drivers/acpi/acpi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "lib/printf.h"
#include "lib/string.h"

#define ACPI_TABLE_MAX (16u << 20)	/* no sane table is larger */

static const struct acpi_header *root;
static unsigned entry_size;		/* 8 for the XSDT, 4 for the RSDT */
static uint32_t bad_tables;

int acpi_rsdp_check(const void *p, char *err, size_t errlen)
{
	const struct acpi_rsdp *r = p;

	if (memcmp(r->signature, "RSD PTR ", 8)) {
		ksnprintf(err, errlen, "RSDP signature missing");
		return -1;
	}
	if (!acpi_checksum_ok(r, 20)) {
		ksnprintf(err, errlen, "RSDP checksum bad");
		return -1;
	}
	if (r->revision >= 2) {
		if (r->length < sizeof(*r) || r->length > 4096) {
			ksnprintf(err, errlen, "RSDP length %u out of range", r->length);
			return -1;
		}
		if (!acpi_checksum_ok(r, r->length)) {
			ksnprintf(err, errlen, "RSDP extended checksum bad");
			return -1;
		}
	}
	return 0;
}

static uint64_t scan(uint64_t lo, uint64_t hi)
{
	char err[8];

	for (uint64_t a = lo; a + sizeof(struct acpi_rsdp) <= hi; a += 16)
		if (!acpi_rsdp_check(phys_ptr(a), err, sizeof(err)))
			return a;
	return 0;
}

uint64_t acpi_rsdp_scan_bios(void)
{
	uint16_t ebda_seg = *(volatile uint16_t *)phys_ptr(0x40e);	/* BDA */
	uint64_t ebda = (uint64_t)ebda_seg << 4, r = 0;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = scan(ebda, ebda + 1024);
	return r ? r : scan(0xe0000, 0x100000);
}

static int table_ok(const struct acpi_header *h)
{
	uint64_t a = (uintptr_t)h;

	/* An address outside the identity map would fault: treat it as bad. */
	if (!a || a + sizeof(*h) > paging_mapped_top())
		return 0;
	return h->length >= sizeof(*h) && h->length <= ACPI_TABLE_MAX &&
	       a + h->length <= paging_mapped_top() && acpi_checksum_ok(h, h->length);
}

static const struct acpi_header *entry(uint32_t i)
{
	uint64_t addr = 0;

	memcpy(&addr, (const uint8_t *)root + sizeof(*root) + i * entry_size, entry_size);
	return (const void *)(uintptr_t)addr;
}

static uint32_t entries(void)
{
	return (root->length - sizeof(*root)) / entry_size;
}

int acpi_init(uint64_t rsdp, char *err, size_t errlen)
{
	const struct acpi_rsdp *r = (const void *)(uintptr_t)rsdp;
	const struct acpi_header *h;

	root = NULL;
	if (!rsdp) {
		ksnprintf(err, errlen, "no ACPI RSDP from the loader or in the BIOS areas");
		return -1;
	}
	if (acpi_rsdp_check(r, err, errlen))
		return -1;
	if (r->revision >= 2 && r->xsdt) {
		h = (const void *)(uintptr_t)r->xsdt;
		entry_size = 8;
	} else {
		h = (const void *)(uintptr_t)r->rsdt;
		entry_size = 4;
	}
	if (!table_ok(h) || memcmp(h->signature, entry_size == 8 ? "XSDT" : "RSDT", 4)) {
		ksnprintf(err, errlen, "%s at 0x%lx: bad signature, length or checksum",
			  entry_size == 8 ? "XSDT" : "RSDT", (uint64_t)(uintptr_t)h);
		return -1;
	}
	root = h;
	bad_tables = 0;
	for (uint32_t i = 0; i < entries(); i++)
		bad_tables += !table_ok(entry(i));
	return 0;
}

int acpi_present(void)
{
	return root != NULL;
}

const char *acpi_root_name(void)
{
	return !root ? "none" : entry_size == 8 ? "XSDT" : "RSDT";
}

uint32_t acpi_bad_tables(void)
{
	return bad_tables;
}

const struct acpi_header *acpi_find(const char sig[4], int index)
{
	if (!root)
		return NULL;
	for (uint32_t i = 0; i < entries(); i++) {
		const struct acpi_header *h = entry(i);

		if (table_ok(h) && !memcmp(h->signature, sig, 4) && index-- == 0)
			return h;
	}
	return NULL;
}

uint32_t acpi_table_count(void)
{
	return root ? entries() : 0;
}

const struct acpi_header *acpi_table_at(uint32_t i)
{
	const struct acpi_header *h = entry(i);

	return table_ok(h) ? h : NULL;
}
