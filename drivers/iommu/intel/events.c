// SPDX-License-Identifier: MIT
/*
 * A VT-d unit's own interrupts as DEV_MSI users, never remapped (they are
 * platform devices outside every scope: msi_parent_domain gives them the
 * vector domain). See VT-d 4.1, 11.4.8.3-6 (fault event: FECTL with IM bit
 * 31 and IP bit 30, FEDATA, FEADDR, FEUADDR) and 11.4.9.5-8 (invalidation
 * completion event: IECTL, IEDATA, IEADDR, IEUADDR).
 * The completion event is also an interrupt source for the latency tests:
 * it is raised by a wait descriptor with IF (no status write: QEMU aborts
 * on both), and the handler clears ICS.IWC.
 */
#include "drivers/iommu/intel/irq_remap.h"
#include "lib/errno.h"
#include "lib/printf.h"

struct event_regs {
	uint32_t ctl, data, addr, uaddr;
};

static const struct event_regs fault_regs = {
	.ctl = VTD_FECTL, .data = VTD_FEDATA, .addr = VTD_FEADDR, .uaddr = VTD_FEUADDR,
};
static const struct event_regs inv_regs = {
	.ctl = VTD_IECTL, .data = VTD_IEDATA, .addr = VTD_IEADDR, .uaddr = VTD_IEUADDR,
};

struct event {
	struct vtd_unit *u;
	const struct event_regs *r;
};

static struct event fault_ev, inv_ev;

static void ev_write(void *ctx, uint32_t slot, const struct msi_msg *m)
{
	struct event *e = ctx;

	(void)slot;
	e->u->ops->write32(e->u->ctx, e->r->data, m->data);
	e->u->ops->write32(e->u->ctx, e->r->addr, m->address_lo);
	e->u->ops->write32(e->u->ctx, e->r->uaddr, m->address_hi);
}

static void ev_mask(void *ctx, uint32_t slot)
{
	struct event *e = ctx;

	(void)slot;
	e->u->ops->write32(e->u->ctx, e->r->ctl, VTD_EVT_IM);
}

static void ev_unmask(void *ctx, uint32_t slot)
{
	struct event *e = ctx;

	(void)slot;
	e->u->ops->write32(e->u->ctx, e->r->ctl, 0);
}

static int ev_pending(void *ctx, uint32_t slot)
{
	struct event *e = ctx;

	(void)slot;
	return !!(e->u->ops->read32(e->u->ctx, e->r->ctl) & VTD_EVT_IP);
}

static const struct dev_msi_ops ev_ops = {
	.write_msg = ev_write,
	.mask = ev_mask,
	.unmask = ev_unmask,
	.pending = ev_pending,
};

static struct ir_unit *first_unit(void)
{
	for (uint32_t i = 0; i < ir.nunits; i++)
		if (ir.units[i].probed)
			return &ir.units[i];
	return 0;
}

/* One unit's event as a DEV_MSI device, its domain created once. */
static struct msi_device *event_device(struct ir_unit *u, struct msi_device *dev, struct event *ev,
				       const struct event_regs *r, const char *name)
{
	if (!dev->domain) {
		*ev = (struct event){ .u = &u->vtd, .r = r };
		*dev = msi_device_platform(name);
		if (!dev_msi_domain_create(dev, &ev_ops, ev, 1))
			return 0;
	}
	return dev;
}

struct msi_device *ir_fault_event_device(struct ir_unit **unit)
{
	struct ir_unit *u = first_unit();

	if (!u)
		return 0;
	*unit = u;
	return event_device(u, &u->fault_dev, &fault_ev, &fault_regs, "vtd-fault");
}

struct msi_device *ir_inv_event_device(struct ir_unit **unit)
{
	struct ir_unit *u = first_unit();

	if (!u || !u->ir_on)
		return 0;
	*unit = u;
	return event_device(u, &u->inv_dev, &inv_ev, &inv_regs, "vtd-inv");
}

uint64_t ir_inv_event_raise(struct ir_unit *u)
{
	return vtd_qi_wait_irq(&u->vtd);
}

void ir_inv_event_ack(struct ir_unit *u)
{
	vtd_inv_event_ack(&u->vtd);
}
