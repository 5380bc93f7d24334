// SPDX-License-Identifier: MIT
/*
 * IO-APIC: every pin masked at boot; route one pin to a vector on a CPU.
 * See Intel 82093AA data sheet, 3.1 (IOREGSEL/IOWIN), 3.2.2 (IOAPICVER:
 * maximum redirection entry in bits 23:16), 3.2.4 (redirection table).
 */
#include "arch/x86/ioapic.h"
#include "arch/x86/cpu.h"
#include "lib/errno.h"

struct ioapic ioapics[IOAPICS_MAX];
uint32_t nioapics;

static uint32_t rd(const struct ioapic *io, uint32_t reg)
{
	mmio_write32(io->base + IOAPIC_REGSEL, reg);
	return mmio_read32(io->base + IOAPIC_WIN);
}

static void wr(const struct ioapic *io, uint32_t reg, uint32_t v)
{
	mmio_write32(io->base + IOAPIC_REGSEL, reg);
	mmio_write32(io->base + IOAPIC_WIN, v);
}

static struct ioapic *find(uint32_t gsi, uint32_t *pin)
{
	for (uint32_t i = 0; i < nioapics; i++) {
		struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi < io->gsi_base + io->pins) {
			*pin = gsi - io->gsi_base;
			return io;
		}
	}
	return 0;
}

int ioapic_add(uint8_t id, uint64_t base, uint32_t gsi_base)
{
	struct ioapic io = { .base = base, .gsi_base = gsi_base, .id = id };
	uint32_t ver;

	if (nioapics == IOAPICS_MAX)
		return -ENOSPC;
	ver = rd(&io, IOAPIC_REG_VER);
	if (ver == 0xffffffffu)
		return -EIO;
	io.pins = IOAPIC_VER_MAXREDIR(ver) + 1;
	for (uint32_t pin = 0; pin < io.pins; pin++) {
		wr(&io, IOAPIC_REG_RTE(pin) + 1, 0);
		wr(&io, IOAPIC_REG_RTE(pin), IOAPIC_RTE_MASKED);
	}
	ioapics[nioapics++] = io;
	return 0;
}

int ioapic_read_rte(uint32_t gsi, uint64_t *rte)
{
	uint32_t pin;
	struct ioapic *io = find(gsi, &pin);

	if (!io)
		return -ENOENT;
	*rte = rd(io, IOAPIC_REG_RTE(pin)) | (uint64_t)rd(io, IOAPIC_REG_RTE(pin) + 1) << 32;
	return 0;
}

int ioapic_set_masked(uint32_t gsi, int masked)
{
	uint32_t pin, lo;
	struct ioapic *io = find(gsi, &pin);

	if (!io)
		return -ENOENT;
	lo = rd(io, IOAPIC_REG_RTE(pin));
	lo = masked ? lo | IOAPIC_RTE_MASKED : lo & ~IOAPIC_RTE_MASKED;
	wr(io, IOAPIC_REG_RTE(pin), lo);
	return 0;
}

int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t apic_id, uint32_t flags)
{
	uint32_t pin;
	struct ioapic *io = find(gsi, &pin);

	if (!io)
		return -ENOENT;
	if (apic_id > 0xff)
		return -ERANGE;
	wr(io, IOAPIC_REG_RTE(pin), IOAPIC_RTE_MASKED);
	wr(io, IOAPIC_REG_RTE(pin) + 1, (uint32_t)(IOAPIC_RTE_DEST(apic_id) >> 32));
	wr(io, IOAPIC_REG_RTE(pin), IOAPIC_RTE_MASKED | vector |
	   (flags & (IOAPIC_RTE_LEVEL | IOAPIC_RTE_ACTIVE_LOW)));
	return 0;
}
