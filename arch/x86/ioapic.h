/* SPDX-License-Identifier: MIT */
/* IO-APIC. See Intel 82093AA I/O APIC data sheet (290566-001), 3.0-3.2. */
#ifndef ARCH_X86_IOAPIC_H
#define ARCH_X86_IOAPIC_H

#include <stdint.h>

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WIN		0x10
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VER		0x01
# define IOAPIC_VER_MAXREDIR(v)	(((v) >> 16) & 0xff)	/* pins - 1 */
#define IOAPIC_REG_RTE(pin)	(0x10 + 2 * (pin))	/* low dword; high at +1 */
# define IOAPIC_RTE_MASKED	(1u << 16)
# define IOAPIC_RTE_LEVEL	(1u << 15)
# define IOAPIC_RTE_ACTIVE_LOW	(1u << 13)
# define IOAPIC_RTE_DEST(id)	((uint64_t)(id) << 56)	/* physical destination */

#define IOAPICS_MAX 64

struct ioapic {
	uint64_t base;
	uint32_t gsi_base;
	uint32_t pins;
	uint8_t id;
};

extern struct ioapic ioapics[IOAPICS_MAX];
extern uint32_t nioapics;

/* Take the IO-APIC at `base` (as the MADT lists it) into use with every
 * pin masked. 0, -EIO when it reads all ones (left out), -ENOSPC beyond
 * IOAPICS_MAX. */
int ioapic_add(uint8_t id, uint64_t base, uint32_t gsi_base);

/* Route `gsi` to `vector` on `apic_id` (flags: IOAPIC_RTE_LEVEL,
 * IOAPIC_RTE_ACTIVE_LOW), left masked. 0, -ENOENT (no such GSI), -ERANGE
 * (APIC ID above 255 needs interrupt remapping). */
int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id, uint32_t flags);
int ioapic_set_masked(uint32_t gsi, int masked);
/* The redirection entry of `gsi` in *rte; -ENOENT when there is none. */
int ioapic_read_rte(uint32_t gsi, uint64_t *rte);

#endif
