/* SPDX-License-Identifier: MIT */
/*
 * MADT (APIC) parsing. See ACPI Specification 6.5, 5.2.12 (MADT) and
 * tables 5.44-5.53 (the structures used here).
 */
#ifndef DRIVERS_ACPI_MADT_H
#define DRIVERS_ACPI_MADT_H

#include <stddef.h>
#include <stdint.h>
#include "drivers/acpi/table.h"

#define MADT_CPUS_MAX		1024
#define MADT_IOAPICS_MAX	64
#define MADT_OVERRIDES_MAX	32
/* Every local APIC NMI entry is kept (Linux's acpi_parse_lapic_nmi and
 * acpi_parse_x2apic_nmi apply each one, with no limit): a laptop lists 20-24,
 * one per CPU and LINT, and the one dropped by a cap of 16 was the boot
 * CPU's. Room for a local APIC and an x2APIC entry for LINT0 and LINT1 of
 * every CPU cpus[] can hold (ACPI 6.5, 5.2.12.7 and 5.2.12.13); more is
 * warned about, never silently cut. */
#define MADT_NMIS_MAX		(4 * MADT_CPUS_MAX)

#define MADT_TYPE_LAPIC		0
#define MADT_TYPE_IOAPIC	1
#define MADT_TYPE_OVERRIDE	2
#define MADT_TYPE_NMI_SOURCE	3
#define MADT_TYPE_LAPIC_NMI	4
#define MADT_TYPE_LAPIC_ADDR	5
#define MADT_TYPE_X2APIC	9
#define MADT_TYPE_X2APIC_NMI	10

#define MADT_CPU_ENABLED	(1u << 0)
#define MADT_CPU_ONLINE_CAPABLE	(1u << 1)

struct madt_cpu {
	uint32_t apic_id;
	uint32_t uid;
	uint32_t flags;		/* MADT_CPU_* */
	uint8_t x2apic_entry;	/* from a type 9 entry */
};

struct madt_ioapic {
	uint8_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

struct madt_override {
	uint8_t bus, source;
	uint32_t gsi;
	uint16_t flags;		/* MPS INTI flags: polarity bits 1:0, trigger 3:2 */
};

struct madt_lapic_nmi {
	uint32_t uid;		/* 0xff / 0xffffffff: all processors */
	uint16_t flags;
	uint8_t lint;
};

struct madt {
	uint8_t revision;	/* the table header's */
	uint64_t lapic_addr;
	uint32_t flags;		/* bit 0: PC-AT compatible dual 8259 */
	uint32_t ncpus, nioapics, noverrides, nnmis;
	struct madt_cpu cpus[MADT_CPUS_MAX];
	struct madt_ioapic ioapics[MADT_IOAPICS_MAX];
	struct madt_override overrides[MADT_OVERRIDES_MAX];
	struct madt_lapic_nmi nmis[MADT_NMIS_MAX];
	uint32_t nmis_listed;	/* NMI entries in the table (nmis[] keeps them all) */
	uint32_t unknown;	/* structures of a reserved or OEM type, stepped over */
	uint32_t reserved_flag;	/* CPUs with bit 1 set before revision 5 (ignored) */
	struct acpi_errors err;
	struct acpi_errors warn;	/* facts that do not stop a parse */
};

/*
 * Parse a MADT of `len` bytes (the table's own length field is checked
 * against it). Returns 0 when the table is well formed; otherwise -1, with
 * everything valid that could be read kept and the problems in m->err.
 * What does not stop the parse goes to m->warn: more NMI entries than
 * MADT_NMIS_MAX (four per CPU), structures of a reserved or OEM type
 * (stepped over by their length: a type 0x7F entry is not an IO-APIC).
 * Entries are never read past the table. Duplicate APIC IDs keep the first;
 * xAPIC-only systems (x2apic=0) cannot use APIC IDs above 254, and those
 * CPUs are left out.
 */
int madt_parse(const void *table, size_t len, int x2apic, struct madt *m);

/* cpus[] holds every CPU that is enabled or online capable (the bit counts
 * from revision 5 on). Only enabled ones are running: madt_usable_cpus()
 * counts them and madt_enabled_apic_ids() lists their APIC IDs, in table
 * order, at most `max`. An online-capable CPU is one the platform may
 * hot-add; Linux counts it as possible, not present, and so it is not
 * started here. */
uint32_t madt_usable_cpus(const struct madt *m);
uint32_t madt_enabled_apic_ids(const struct madt *m, uint32_t *ids, uint32_t max);

#endif
