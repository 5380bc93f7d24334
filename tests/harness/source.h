/* SPDX-License-Identifier: MIT */
/*
 * An interrupt source the tests can fire at will: a device driver's
 * interrupts (an MSI, MSI-X or DEV_MSI domain) and the register writes that
 * raise vector i, with what the harness knows about the device under QEMU.
 */
#ifndef TESTS_HARNESS_SOURCE_H
#define TESTS_HARNESS_SOURCE_H

#include "msi/device.h"

#define SOURCE_VECS_MAX 16

struct irq_source {
	const char *name;
	const char *kind;	/* "PCI-MSI", "PCI-MSIX", "DEV-MSI" */
	struct msi_device *dev;	/* the driver's, with its domain */
	uint32_t nvec;		/* vectors it has (all are used) */
	int has_pending;	/* holds a message raised while masked */
	char absent[128];	/* why it is not usable here, or "" */
	/* Raise vector i; return the TSC just before the raising write, or for
	 * a timer the TSC at which it is due. */
	uint64_t (*trigger)(struct irq_source *s, uint32_t i);
	/* Before its interrupts are enabled: nothing stale may fire (an HPET
	 * comparator that expired earlier fires when enabled). May be NULL. */
	void (*quiesce)(struct irq_source *s);
	/* In the handler, after the stamp: what the device needs (edu: ack).
	 * 1: this is vector i's message for its trigger; 0: a message the
	 * device sent on its own, with no cause behind it (QEMU's e1000e
	 * re-sends from its throttling timer): not a delivery, but counted in
	 * `resends`. */
	int (*ack)(struct irq_source *s, uint32_t i);
	volatile uint64_t resends;
};

#endif
