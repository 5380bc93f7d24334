/* SPDX-License-Identifier: MIT */
/*
 * An HPET timer delivering through its FSB route, as a DEV_MSI device: the
 * message lives in the timer's FSB interrupt route register, the timer's
 * interrupt enable is the mask. See IA-PC HPET Specification 1.0a, 2.3.8
 * (Tn_CONF), 2.3.9 (comparator), 2.3.10 (Tn_FSB_INT_ROUTE: value in 31:0,
 * address in 63:32). QEMU offers FSB delivery only with -global
 * hpet.msi=on; it delivers the message straight to the APIC bus, past any
 * IOMMU (docs/qemu.md).
 */
#ifndef DRIVERS_TIMER_HPET_FSB_H
#define DRIVERS_TIMER_HPET_FSB_H

#include "lib/compiler.h"
#include <stdint.h>
#include "drivers/timer/hpet.h"
#include "msi/device.h"

struct hpet_fsb {
	uint32_t timer;		/* the timer used */
	struct msi_device dev;	/* with its DEV_MSI domain, one slot */
	char error[96];
};

/* The highest-numbered timer with FSB delivery, one-shot, edge, disabled
 * until unmasked, with its DEV_MSI domain. 0, or -ENODEV with h->error. */
int hpet_fsb_probe(struct hpet_fsb *h) MUST_CHECK;

/* Arm the comparator `ticks` ahead of the main counter, in one 64-bit
 * write (no half-written comparator can lie in the past). */
static inline void hpet_fsb_arm(const struct hpet_fsb *h, uint64_t ticks)
{
	uint64_t c = hpet_read();

	*(volatile uint64_t *)(uintptr_t)(hpet_base() + HPET_TN_CMP(h->timer)) = c + ticks;
}

/* Park the comparator far ahead, so that enabling the interrupt does not
 * deliver an expiry from before (QEMU does deliver it). */
void hpet_fsb_park(const struct hpet_fsb *h);

#endif
