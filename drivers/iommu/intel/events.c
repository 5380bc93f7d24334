// SPDX-License-Identifier: MIT
/*
 * A VT-d unit's own interrupts as DEV_MSI users, never remapped (they are
 * platform devices outside every scope: msi_parent_domain gives them the
 * vector domain). See VT-d 4.1, 11.4.8.3-6 (fault event: FECTL with IM bit
 * 31 and IP bit 30, FEDATA, FEADDR, FEUADDR) and 11.4.9.5-8 (invalidation
 * completion event: IECTL, IEDATA, IEADDR, IEUADDR).
 * The completion event is also an interrupt source for the latency tests:
 * the trigger is a wait descriptor with IF (no status write: QEMU aborts
 * on both), the handler clears ICS.IWC.
 */
#include "drivers/iommu/intel/irq_remap.h"
#include "msi/source.h"
#include "kernel/errno.h"
#include "kernel/printf.h"

struct event_regs {
	uint32_t ctl, data, addr, uaddr;
};

static const struct event_regs fault_regs = { VTD_FECTL, VTD_FEDATA, VTD_FEADDR, VTD_FEUADDR };
static const struct event_regs inv_regs = { VTD_IECTL, VTD_IEDATA, VTD_IEADDR, VTD_IEUADDR };

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

static const struct dev_msi_ops ev_ops = { ev_write, ev_mask, ev_unmask, ev_pending, 0 };

static struct ir_unit *first_unit(void)
{
	for (uint32_t i = 0; i < ir.nunits; i++)
		if (ir.units[i].probed)
			return &ir.units[i];
	return 0;
}

static uint64_t inv_trigger(struct irq_source *s, uint32_t i)
{
	(void)s;
	(void)i;
	return vtd_qi_wait_irq(inv_ev.u);
}

static void inv_ack(struct irq_source *s, uint32_t i)
{
	(void)s;
	(void)i;
	vtd_inv_event_ack(inv_ev.u);
}

int vtd_inv_source(struct irq_source *s)
{
	struct ir_unit *u = first_unit();

	*s = (struct irq_source){ .name = "vtd-inv", .kind = "DEV-MSI", .nvec = 1, .has_pending = 1,
				  .trigger = inv_trigger, .ack = inv_ack };
	if (!u || !u->ir_on) {
		ksnprintf(s->absent, sizeof(s->absent), "no VT-d unit with queued invalidation on "
			  "(QEMU: -device intel-iommu,intremap=on; ir=off turns it off)");
		return -ENODEV;
	}
	inv_ev = (struct event){ &u->vtd, &inv_regs };
	s->dev = (struct msi_device){ "vtd-inv", 0, 0, 0, 0, 0 };
	if (!dev_msi_domain_create(&s->dev, &ev_ops, &inv_ev, 1)) {
		ksnprintf(s->absent, sizeof(s->absent), "no DEV_MSI domain left");
		return -ENODEV;
	}
	return 0;
}

struct msi_device *vtd_fault_device(struct ir_unit **unit)
{
	struct ir_unit *u = first_unit();

	if (!u)
		return 0;
	*unit = u;
	if (!u->fault_dev.domain) {
		fault_ev = (struct event){ &u->vtd, &fault_regs };
		u->fault_dev = (struct msi_device){ "vtd-fault", 0, 0, 0, 0, 0 };
		if (!dev_msi_domain_create(&u->fault_dev, &ev_ops, &fault_ev, 1))
			return 0;
	}
	return &u->fault_dev;
}
