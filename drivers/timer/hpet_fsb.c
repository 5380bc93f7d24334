// SPDX-License-Identifier: MIT
/*
 * An HPET timer delivering through its FSB route as a DEV_MSI source: the
 * message lives in the timer's FSB interrupt route register, the timer's
 * interrupt enable is the mask. See IA-PC HPET Specification 1.0a, 2.3.4
 * (GCAP_ID bits 12:8: number of timers - 1), 2.3.8 (Tn_CONF: INT_TYPE 1,
 * INT_ENB 2, TYPE 3, FSB_EN 14, FSB_INT_DEL_CAP 15), 2.3.9 (comparator),
 * 2.3.10 (Tn_FSB_INT_ROUTE: value in 31:0, address in 63:32).
 * QEMU offers FSB delivery only with -global hpet.msi=on; it delivers the
 * message straight to the APIC bus, past any IOMMU, and an edge-triggered
 * expiry with INT_ENB clear is dropped: there is no pending state.
 */
#include "msi/source.h"
#include "drivers/timer/hpet.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "kernel/errno.h"
#include "kernel/printf.h"
#include "kernel/stats.h"

#define HPET_TN_CONF(n)		(0x100 + 0x20 * (n))
# define TN_INT_TYPE_LEVEL	(1u << 1)
# define TN_INT_ENB		(1u << 2)
# define TN_TYPE_PERIODIC	(1u << 3)
# define TN_FSB_EN		(1u << 14)
# define TN_FSB_CAP		(1u << 15)
#define HPET_TN_CMP(n)		(0x108 + 0x20 * (n))
#define HPET_TN_FSB(n)		(0x110 + 0x20 * (n))
#define DUE_US			20
#define PARK_S			10	/* seconds ahead, while no test uses the timer */

static uint32_t timer;

static uint32_t rd_conf(void)
{
	return mmio_read32(hpet_base() + HPET_TN_CONF(timer));
}

static void wr_conf(uint32_t v)
{
	mmio_write32(hpet_base() + HPET_TN_CONF(timer), v);
	(void)rd_conf();	/* flush */
}

static void fsb_write_msg(void *ctx, uint32_t slot, const struct msi_msg *msg)
{
	(void)ctx;
	(void)slot;
	/* One 64-bit write: value and address change together. The FSB
	 * address is 32 bits: a message above 4 GiB cannot be routed. */
	*(volatile uint64_t *)(uintptr_t)(hpet_base() + HPET_TN_FSB(timer)) =
		(uint64_t)msg->address_lo << 32 | msg->data;
}

static void fsb_mask(void *ctx, uint32_t slot)
{
	(void)ctx;
	(void)slot;
	wr_conf(rd_conf() & ~TN_INT_ENB);
}

static void fsb_unmask(void *ctx, uint32_t slot)
{
	(void)ctx;
	(void)slot;
	wr_conf(rd_conf() | TN_INT_ENB);
}

static const struct dev_msi_ops fsb_ops = {
	.write_msg = fsb_write_msg,
	.mask = fsb_mask,
	.unmask = fsb_unmask,
	.atomic_write = 1,
};

/* Arm the comparator DUE_US ahead; the due time in TSC from a paired read. */
static uint64_t fsb_trigger(struct irq_source *s, uint32_t i)
{
	uint64_t delta = hpet_hz() * DUE_US / 1000000, t0, c;

	(void)s;
	(void)i;
	t0 = rdtsc();
	c = hpet_read();
	/* One 64-bit write: no half-written comparator can lie in the past. */
	*(volatile uint64_t *)(uintptr_t)(hpet_base() + HPET_TN_CMP(timer)) = c + delta;
	return t0 + mul_div_u64(delta, tsc.hz, hpet_hz());
}

/* Park the comparator far ahead, so that enabling the timer's interrupt
 * does not deliver an expiry from before (QEMU does deliver it). */
static void fsb_quiesce(struct irq_source *s)
{
	(void)s;
	*(volatile uint64_t *)(uintptr_t)(hpet_base() + HPET_TN_CMP(timer)) =
		hpet_read() + hpet_hz() * PARK_S;
}

int hpet_fsb_source(struct irq_source *s)
{
	uint32_t ntimers;

	*s = (struct irq_source){ .name = "hpet", .kind = "DEV-MSI", .nvec = 1,
				  .trigger = fsb_trigger, .quiesce = fsb_quiesce };
	if (!hpet_base()) {
		ksnprintf(s->absent, sizeof(s->absent), "no HPET");
		return -ENODEV;
	}
	ntimers = ((mmio_read32(hpet_base() + HPET_GCAP_ID) >> 8) & 0x1f) + 1;
	for (timer = ntimers; timer-- > 0;)
		if (mmio_read32(hpet_base() + HPET_TN_CONF(timer)) & TN_FSB_CAP)
			break;
	if (timer >= ntimers) {
		ksnprintf(s->absent, sizeof(s->absent),
			  "no HPET timer with FSB delivery (QEMU: -global hpet.msi=on)");
		return -ENODEV;
	}
	/* One-shot, edge, FSB delivery, disabled until unmasked. */
	wr_conf((rd_conf() & ~(TN_INT_ENB | TN_TYPE_PERIODIC | TN_INT_TYPE_LEVEL)) | TN_FSB_EN);
	s->dev = (struct msi_device){ "hpet", 0, 0, 0, 0, 0 };
	if (!dev_msi_domain_create(&s->dev, &fsb_ops, NULL, 1)) {
		ksnprintf(s->absent, sizeof(s->absent), "no DEV_MSI domain left");
		return -ENODEV;
	}
	return 0;
}
