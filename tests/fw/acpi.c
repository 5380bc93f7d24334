// SPDX-License-Identifier: MIT
/*
 * acpi.dump (manual: tests=acpi.dump): every ACPI table in hex, as TAP
 * comment lines "# acpidump SIG ADDR LEN" and "# acpihex OFFSET: bytes",
 * for tools/acpidump.py to turn into files (host-test fixtures, or a lab
 * machine's tables to look at).
 */
#include "tests/harness/test.h"
#include "drivers/acpi/acpi.h"
#include "drivers/acpi/parsed.h"
#include "lib/string.h"

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

TEST(acpi, dump, .budget_ms = 60000, .flags = TEST_MANUAL)
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

static union acpi_parsed parsed;

static void check_errors(struct test_ctx *t, const char *sig, const struct acpi_errors *e)
{
	for (uint32_t i = 0; i < e->n && i < ACPI_ERRORS_MAX; i++)
		t_fail(t, "%s: %s", sig, e->msg[i]);
}

/* Every table msilab reads, through its parser: a summary, or what is wrong. */
TEST(acpi, tables_parse)
{
	const struct acpi_header *h;

	if (!acpi_present()) {
		t_skip(t, "no ACPI root table");
		return;
	}
	t_yaml(t, "root: %s", acpi_root_name());
	t_yaml(t, "tables: %u", acpi_table_count());
	t_yaml(t, "bad_tables: %u", acpi_bad_tables());
	if ((h = acpi_find("APIC", 0))) {
		madt_parse(h, h->length, 1, &parsed.madt);
		t_yaml(t, "APIC: {cpus: %u, ioapics: %u, overrides: %u, nmis: %u}", parsed.madt.ncpus,
		       parsed.madt.nioapics, parsed.madt.noverrides, parsed.madt.nnmis);
		check_errors(t, "APIC", &parsed.madt.err);
	}
	if ((h = acpi_find("MCFG", 0))) {
		mcfg_parse(h, h->length, &parsed.mcfg);
		for (uint32_t i = 0; i < parsed.mcfg.n; i++)
			t_yaml(t, "MCFG%u: {segment: %u, buses: %u-%u, base: 0x%lx}", i,
			       parsed.mcfg.seg[i].segment, parsed.mcfg.seg[i].bus_start,
			       parsed.mcfg.seg[i].bus_end, parsed.mcfg.seg[i].base);
		check_errors(t, "MCFG", &parsed.mcfg.err);
	}
	if ((h = acpi_find("HPET", 0))) {
		hpet_table_parse(h, h->length, &parsed.hpet);
		t_yaml(t, "HPET: {base: 0x%lx, number: %u}", parsed.hpet.base.address,
		       parsed.hpet.number);
		check_errors(t, "HPET", &parsed.hpet.err);
	}
	if ((h = acpi_find("FACP", 0))) {
		fadt_parse(h, h->length, &parsed.fadt);
		t_yaml(t, "FACP: {revision: %u, pm_timer: 0x%x, pm_timer_bits: %d, hw_reduced: %s, "
		       "msi_not_supported: %s}", parsed.fadt.revision, parsed.fadt.pm_timer_port,
		       parsed.fadt.pm_timer_32bit ? 32 : 24,
		       parsed.fadt.flags & FADT_FLAG_HW_REDUCED ? "true" : "false",
		       parsed.fadt.boot_arch & FADT_BOOT_NO_MSI ? "true" : "false");
		check_errors(t, "FACP", &parsed.fadt.err);
	}
	if ((h = acpi_find("SPCR", 0))) {
		spcr_parse(h, h->length, &parsed.spcr);
		t_yaml(t, "SPCR: {interface: %u, space: %u, address: 0x%lx, baud: %u}",
		       parsed.spcr.interface, parsed.spcr.base.space, parsed.spcr.base.address,
		       parsed.spcr.baud);
		check_errors(t, "SPCR", &parsed.spcr.err);
	}
	if ((h = acpi_find("DMAR", 0))) {
		dmar_parse(h, h->length, &parsed.dmar);
		t_yaml(t, "DMAR: {units: %u, scopes: %u, rmrr: %u, intr_remap: %s}", parsed.dmar.nunits,
		       parsed.dmar.nscopes, parsed.dmar.nrmrr,
		       parsed.dmar.flags & DMAR_FLAG_INTR_REMAP ? "true" : "false");
		check_errors(t, "DMAR", &parsed.dmar.err);
	}
	if ((h = acpi_find("IVRS", 0))) {
		ivrs_parse(h, h->length, &parsed.ivrs);
		t_yaml(t, "IVRS: {ivhd: %u, specials: %u, ivmd: %u}", parsed.ivrs.nunits,
		       parsed.ivrs.nspecials, parsed.ivrs.nivmd);
		check_errors(t, "IVRS", &parsed.ivrs.err);
	}
}
