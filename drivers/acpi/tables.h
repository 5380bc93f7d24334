/* SPDX-License-Identifier: MIT */
/*
 * Parsers for the small ACPI tables: MCFG, HPET, FADT, SPCR. Each takes a
 * buffer of `len` bytes, never reads past it, and returns 0, or -1 with
 * the problems in ->err and what was valid kept.
 */
#ifndef DRIVERS_ACPI_TABLES_H
#define DRIVERS_ACPI_TABLES_H

#include "drivers/acpi/table.h"

/* MCFG: PCI Firmware Specification 3.2, 4.1.2 (table 4-3). */
#define MCFG_SEGMENTS_MAX 16

struct mcfg_segment {
	uint64_t base;		/* ECAM base of bus 0 of this segment */
	uint16_t segment;
	uint8_t bus_start, bus_end;
};

struct mcfg {
	uint32_t n;
	struct mcfg_segment seg[MCFG_SEGMENTS_MAX];
	struct acpi_errors err;
	struct acpi_errors warn;	/* facts that do not stop a parse */
};

int mcfg_parse(const void *t, size_t len, struct mcfg *m);

/* HPET: IA-PC HPET Specification 1.0a, 3.2.4 (table 3). */
struct hpet_table {
	uint32_t block_id;	/* the capabilities' low 32 bits */
	struct acpi_gas base;
	uint8_t number;
	uint16_t min_tick;
	struct acpi_errors err;
};

int hpet_table_parse(const void *t, size_t len, struct hpet_table *h);

/* FADT: ACPI 6.5, 5.2.9 (table 5.9): the fields msilab uses. */
#define FADT_FLAG_TMR_VAL_EXT	(1u << 8)
#define FADT_FLAG_RESET_REG_SUP	(1u << 10)
#define FADT_FLAG_HW_REDUCED	(1u << 20)
#define FADT_BOOT_8042		(1u << 1)
#define FADT_BOOT_NO_MSI	(1u << 3)	/* "MSI Not Supported" */

struct fadt {
	uint8_t revision;
	uint64_t dsdt;		/* X_DSDT where present, else DSDT */
	uint16_t sci_int;
	uint32_t pm_timer_port;	/* 0: none */
	uint8_t pm_timer_32bit;
	uint32_t flags;
	uint16_t boot_arch;	/* IA-PC boot architecture flags */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	struct acpi_errors err;
};

int fadt_parse(const void *t, size_t len, struct fadt *f);

/* SPCR: Microsoft Serial Port Console Redirection Table, revision 2. */
#define SPCR_IF_16550		0x00
#define SPCR_IF_16450		0x01
#define SPCR_IF_16550_GAS	0x12	/* 16550 described by the GAS */

struct spcr {
	uint8_t interface;
	struct acpi_gas base;
	/* A UART that is a PCI function (vendor not 0xffff): where it is. */
	uint16_t pci_vendor, pci_device;
	uint8_t pci_segment, pci_bus, pci_dev, pci_fn;
	uint32_t baud;		/* 0: as the firmware left it */
	uint8_t irq;
	uint32_t gsi;
	struct acpi_errors err;
};

int spcr_parse(const void *t, size_t len, struct spcr *s);

#endif
