// SPDX-License-Identifier: MIT
/*
 * An HPET timer's FSB route as a DEV_MSI user. See IA-PC HPET
 * Specification 1.0a, 2.3.8 (Tn_CONF), 2.3.10 (Tn_FSB_INT_ROUTE). An
 * edge-triggered expiry with INT_ENB clear is dropped: no pending state.
 */
#include "drivers/timer/hpet_fsb.h"
#include "arch/x86/cpu.h"
#include "lib/errno.h"
#include "lib/printf.h"

#define PARK_S		10	/* seconds ahead, while no test uses the timer */

static uint32_t rd_conf(uint32_t timer)
{
	return mmio_read32(hpet_base() + HPET_TN_CONF(timer));
}

static void wr_conf(uint32_t timer, uint32_t v)
{
	mmio_write32(hpet_base() + HPET_TN_CONF(timer), v);
	(void)rd_conf(timer);	/* flush */
}

static void fsb_write_msg(void *ctx, uint32_t slot, const struct msi_msg *msg)
{
	struct hpet_fsb *h = ctx;

	(void)slot;
	/* One 64-bit write: value and address change together. The FSB
	 * address is 32 bits: a message above 4 GiB cannot be routed. */
	*(volatile uint64_t *)(uintptr_t)(hpet_base() + HPET_TN_FSB(h->timer)) =
		(uint64_t)msg->address_lo << 32 | msg->data;
}

static void fsb_mask(void *ctx, uint32_t slot)
{
	struct hpet_fsb *h = ctx;

	(void)slot;
	wr_conf(h->timer, rd_conf(h->timer) & ~HPET_TN_INT_ENB);
}

static void fsb_unmask(void *ctx, uint32_t slot)
{
	struct hpet_fsb *h = ctx;

	(void)slot;
	wr_conf(h->timer, rd_conf(h->timer) | HPET_TN_INT_ENB);
}

static const struct dev_msi_ops fsb_ops = {
	.write_msg = fsb_write_msg,
	.mask = fsb_mask,
	.unmask = fsb_unmask,
	.atomic_write = 1,
};

void hpet_fsb_park(const struct hpet_fsb *h)
{
	*(volatile uint64_t *)(uintptr_t)(hpet_base() + HPET_TN_CMP(h->timer)) =
		hpet_read() + hpet_hz() * PARK_S;
}

int hpet_fsb_probe(struct hpet_fsb *h)
{
	uint32_t ntimers, t;

	*h = (struct hpet_fsb){ .dev = msi_device_platform("hpet") };
	h->dev.platform = MSI_PLATFORM_HPET;	/* DMAR scopes name it by its number */
	h->dev.platform_id = hpet_number();
	if (!hpet_base()) {
		ksnprintf(h->error, sizeof(h->error), "no HPET");
		return -ENODEV;
	}
	ntimers = HPET_GCAP_NUM_TIM(mmio_read32(hpet_base() + HPET_GCAP_ID));
	for (t = ntimers; t-- > 0;)
		if (rd_conf(t) & HPET_TN_FSB_CAP)
			break;
	if (t >= ntimers) {
		ksnprintf(h->error, sizeof(h->error), "no HPET timer with FSB delivery");
		return -ENODEV;
	}
	h->timer = t;
	wr_conf(t, (rd_conf(t) & ~(HPET_TN_INT_ENB | HPET_TN_TYPE_PERIODIC | HPET_TN_INT_TYPE_LEVEL)) |
		   HPET_TN_FSB_EN);
	if (!dev_msi_domain_create(&h->dev, &fsb_ops, h, 1)) {
		ksnprintf(h->error, sizeof(h->error), "no DEV_MSI domain left");
		return -ENOSPC;
	}
	return 0;
}
