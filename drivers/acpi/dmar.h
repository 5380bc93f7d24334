/* SPDX-License-Identifier: MIT */
/* DMAR parsing. See Intel VT-d Specification (rev 4.1), chapter 8. */
#ifndef DRIVERS_ACPI_DMAR_H
#define DRIVERS_ACPI_DMAR_H

#include "drivers/acpi/table.h"
#include "lib/memmap.h"

#define DMAR_UNITS_MAX		64	/* a multi-socket server has dozens */
#define DMAR_SCOPES_MAX		1024
#define DMAR_PATH_MAX		8

#define DMAR_FLAG_INTR_REMAP	(1u << 0)
#define DMAR_FLAG_X2APIC_OPT_OUT (1u << 1)
#define DRHD_INCLUDE_PCI_ALL	(1u << 0)

/* Device scope types (8.3.1). */
#define DMAR_SCOPE_ENDPOINT	1
#define DMAR_SCOPE_BRIDGE	2	/* the bridge and everything below it */
#define DMAR_SCOPE_IOAPIC	3
#define DMAR_SCOPE_HPET		4
#define DMAR_SCOPE_NAMESPACE	5

struct dmar_scope {
	uint8_t type;
	uint8_t enum_id;	/* IO-APIC ID or HPET number */
	uint8_t bus;		/* start bus */
	uint8_t npath;
	uint8_t path[DMAR_PATH_MAX][2];	/* (device, function) from the start bus down */
};

struct dmar_unit {		/* a DRHD: one remapping hardware unit */
	uint64_t base;
	uint16_t segment;
	uint8_t flags;		/* DRHD_INCLUDE_PCI_ALL */
	uint8_t size;		/* register set: 2^size pages */
	uint32_t first_scope, nscopes;	/* into struct dmar.scopes */
};

/* Remapping structure types (8.2, table 8-2): DRHD is read, the others
 * are counted and named. */
#define DMAR_DRHD	0
#define DMAR_RMRR	1	/* reserved memory region */
#define DMAR_ATSR	2	/* root port ATS capability */
#define DMAR_RHSA	3	/* remapping hardware static affinity */
#define DMAR_ANDD	4	/* ACPI name-space device declaration */
#define DMAR_SATC	5	/* SoC integrated address translation cache */
#define DMAR_SIDP	6	/* SoC integrated device property */
#define DMAR_TYPES	7

struct dmar {
	uint8_t haw;		/* host address width - 1 */
	uint8_t flags;		/* DMAR_FLAG_* */
	uint32_t nunits, nscopes, nrmrr, natsr, nother;
	uint32_t ntype[DMAR_TYPES];	/* structures of each known type */
	struct dmar_unit units[DMAR_UNITS_MAX];
	struct dmar_scope scopes[DMAR_SCOPES_MAX];
	struct acpi_errors err;
	/* Well-formed, but not usable as it stands (a register base of 0 or
	 * not page aligned: a known firmware bug): the driver decides. */
	struct acpi_errors warn;
};

int dmar_parse(const void *t, size_t len, struct dmar *d);
/* Why unit i's register base cannot be a remapping unit: "is zero", "is not
 * page aligned", "lies beyond the address space", "lies inside RAM" (a
 * usable region of map[0..n), when a map is given) or "overlaps another
 * unit's registers"; NULL when it can be. A known firmware bug class
 * (Linux dmar.c: "Your BIOS is broken; DMAR reported at address 0"). */
const char *dmar_unit_base_problem(const struct dmar *d, uint32_t i,
				   const struct mem_region *map, uint32_t n);

/* The unit whose device scope of `type` (DMAR_SCOPE_IOAPIC, _HPET) names
 * enumeration ID `enum_id`, and the source ID the device's requests carry
 * (the scope's start bus and its last path step's device and function,
 * 8.3.1.1): the unit's index, or -1 when no scope names it. */
int dmar_platform_scope(const struct dmar *d, uint8_t type, uint8_t enum_id, uint16_t *sid);

/* "DRHD", "RMRR", ..., or NULL for a type the specification does not name. */
const char *dmar_type_name(uint16_t type);

#endif
