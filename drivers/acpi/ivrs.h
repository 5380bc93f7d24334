/* SPDX-License-Identifier: MIT */
/* IVRS parsing. See AMD I/O Virtualization Technology (IOMMU) Specification
 * (48882, rev 3.08), 5.2 (IVRS), 5.2.2 (IVHD), 5.2.2.1-3 (device entries). */
#ifndef DRIVERS_ACPI_IVRS_H
#define DRIVERS_ACPI_IVRS_H

#include "drivers/acpi/table.h"

#define IVRS_UNITS_MAX		32
#define IVRS_SPECIALS_MAX	16

#define IVRS_SPECIAL_IOAPIC	1
#define IVRS_SPECIAL_HPET	2

struct ivrs_unit {		/* an IVHD block */
	uint8_t type;		/* 0x10, 0x11 or 0x40 */
	uint8_t flags;
	uint16_t devid;		/* the IOMMU's own requester ID */
	uint16_t cap_offset;
	uint64_t base;
	uint16_t segment;
	uint16_t info;
	uint32_t attr;		/* 0x10: IOMMU feature reporting; 0x11/0x40: attributes */
	uint64_t efr, efr2;	/* 0x11/0x40: images of the MMIO EFR and EFR2 (0 for 0x10) */
	uint32_t nentries;	/* device entries */
	uint8_t unusable;	/* its register base is 0 or not 16 KiB aligned (a warning says) */
};

/* EFR bits msilab reads (48882 rev 3.08, 3.4.12, MMIO offset 0x30). */
#define IVRS_EFR_XTSUP		(1ull << 2)	/* x2APIC destinations (XTEn) */
#define IVRS_EFR_GASUP		(1ull << 7)	/* 128-bit (guest virtual APIC) IRTEs */

/* A run of requester IDs a unit's device entries cover (5.2.2.3): a select
 * entry (first == last), a range (start ... end entry), ALL (0-0xffff), or
 * an alias: the unit sees the devices first..last as `alias`. */
struct ivrs_devs {
	uint16_t first, last;
	uint16_t alias;		/* the DeviceID the IOMMU sees: first itself unless aliased */
	uint8_t data;		/* DTE setting: INITPass, EIntPass, NMIPass, Lint0/1Pass ... */
	uint8_t aliased;
	uint8_t unit;		/* index into units */
};

#define IVRS_DEVS_MAX		256

struct ivrs_special {		/* device entry 0x48: an IO-APIC or HPET */
	uint8_t variety;
	uint8_t handle;
	uint16_t devid;
	uint8_t unit;		/* index into units */
};

struct ivrs {
	uint32_t ivinfo;
	/* One IOMMU can be described by blocks of several types (QEMU gives
	 * 10h and 11h): as Linux does, only the blocks of the highest type
	 * present are read, one unit each; nblocks counts all of them. */
	uint8_t ivhd_type;
	uint32_t nblocks;
	uint32_t nunits, nspecials, nivmd;
	uint32_t unknown_entries;	/* device entries of a type not defined, stepped over */
	struct ivrs_unit units[IVRS_UNITS_MAX];
	struct ivrs_special specials[IVRS_SPECIALS_MAX];
	uint32_t ndevs;
	struct ivrs_devs devs[IVRS_DEVS_MAX];
	struct acpi_errors err;
	struct acpi_errors warn;	/* facts that do not stop a parse */
};

int ivrs_parse(const void *t, size_t len, struct ivrs *v);

/*
 * The unit whose device entries cover requester ID `rid` in `segment`,
 * and in *devid the DeviceID that unit sees it as (the alias, where an
 * alias entry says so: a device behind a PCIe-to-PCI bridge). The most
 * specific entry wins: a select or alias entry over a range, a narrower
 * range over a wider one, a range over ALL. The unit's index, or -1 when
 * no usable unit covers it (its messages are then not remapped). Device
 * entries of two units that claim the same requester IDs are a warning of
 * the parse.
 */
int ivrs_lookup(const struct ivrs *v, uint16_t segment, uint16_t rid, uint16_t *devid);

#endif
