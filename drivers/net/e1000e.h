/* SPDX-License-Identifier: MIT */
/*
 * e1000e (82574L, 8086:10d3) as an MSI-X source: five vectors, raised by
 * software through the interrupt cause set register. See Intel 82574
 * datasheet, 10.2.4 (ICR, ICS, IMS, IMC, EIAC, IVAR). QEMU raises an MSI-X
 * vector for a cause newly set in ICR and enabled in IMS
 * (hw/net/e1000e_core.c), so a trigger clears the cause first and the
 * handler reads ICR (clear on read); a masked vector's message waits in
 * the PBA. EITR is set to 0 (no throttling); QEMU keeps at least 500 x
 * 256 ns (E1000E_MIN_XITR) and sends each vector's message again when
 * that interval ends, with no cause in ICR (docs/qemu.md).
 */
#ifndef DRIVERS_NET_E1000E_H
#define DRIVERS_NET_E1000E_H

#include "lib/compiler.h"
#include <stdint.h>
#include "arch/x86/cpu.h"
#include "drivers/pci/msi.h"

#define E1000E_VENDOR		0x8086
#define E1000E_DEVICE		0x10d3

#define E1000E_ICR		0x00c0	/* interrupt cause read (clear on read, write 1 to clear) */
#define E1000E_ICS		0x00c8	/* interrupt cause set */
#define E1000E_IMS		0x00d0	/* interrupt mask set */
#define E1000E_IMC		0x00d8	/* interrupt mask clear */
#define E1000E_EIAC		0x00dc	/* extended interrupt auto clear */
#define E1000E_IVAR		0x00e4	/* interrupt vector allocation: 4 bits per cause */
#define E1000E_EITR(n)		(0x00e8 + 4 * (n))	/* extended interrupt throttling, per vector */
# define E1000E_IVAR_VALID	0x8	/* with the vector in bits 2:0 */
#define E1000E_CAUSE_FIRST	20	/* ICR bit of RxQ0; then RxQ1, TxQ0, TxQ1, Other */
#define E1000E_CAUSE(vec)	(1u << (E1000E_CAUSE_FIRST + (vec)))
#define E1000E_NVEC		5

struct e1000e {
	struct pci_dev *pci;
	uint64_t mmio;
	struct msi_device dev;	/* with its PCI/MSI-X domain */
	char error[96];
};

/* The first e1000e, its causes mapped one to a vector (IVAR) and enabled,
 * its MSI-X domain created. 0, -ENODEV (none), or another error with
 * e->error saying why. */
int e1000e_probe(struct e1000e *e) MUST_CHECK;

/* Vector vec's cause: cleared (so that setting it raises anew), then set. */
static inline void e1000e_cause_clear(const struct e1000e *e, uint32_t vec)
{
	mmio_write32(e->mmio + E1000E_ICR, E1000E_CAUSE(vec));
}

static inline void e1000e_cause_set(const struct e1000e *e, uint32_t vec)
{
	mmio_write32(e->mmio + E1000E_ICS, E1000E_CAUSE(vec));
}

/* In the handler: read ICR, which clears it; returns what it held. */
static inline uint32_t e1000e_ack(const struct e1000e *e)
{
	return mmio_read32(e->mmio + E1000E_ICR);
}

#endif
