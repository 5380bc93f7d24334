// SPDX-License-Identifier: MIT
/*
 * The generic part of the irq-domain hierarchy: descriptor pool, parent-
 * first allocation with unwinding, bottom-up activation, affinity moves that
 * stop at the first level that completes them, and masking at the source.
 * Pure: host-tested with fake domains (tests/host/test_irqdomain.c).
 */
#include "msi/irqdomain.h"
#include "lib/errno.h"
#include "lib/string.h"

static struct irq_desc descs[IRQ_DESCS_MAX];
struct irq_stats irq_stats;

static int refuse(int e)
{
	irq_stats.errors++;
	return e;
}

static struct irq_desc *desc_get(void)
{
	for (uint32_t i = 0; i < IRQ_DESCS_MAX; i++) {
		if (!(descs[i].flags & IRQD_ALLOCATED)) {
			memset(&descs[i], 0, sizeof(descs[i]));
			descs[i].irq = i;
			descs[i].flags = IRQD_ALLOCATED;
			irq_stats.descs_in_use++;
			return &descs[i];
		}
	}
	return 0;
}

static int valid(const struct irq_desc *desc)
{
	return desc && desc >= descs && desc < descs + IRQ_DESCS_MAX &&
	       (desc->flags & IRQD_ALLOCATED);
}

static void free_levels(struct irq_desc *desc, uint32_t from)
{
	/* Top down: the device level lets go before its parents. */
	for (uint32_t i = from; i < desc->nlevels; i++) {
		struct irq_data *d = &desc->levels[i];

		if (d->domain->ops->free)
			d->domain->ops->free(d->domain, d);
		d->domain->live--;
	}
}

struct irq_desc *irq_domain_alloc(struct irq_domain *dom, const struct irq_alloc_info *info,
				  int *err)
{
	struct irq_domain *chain[IRQ_LEVELS_MAX];
	struct irq_desc *desc;
	uint32_t n = 0;

	for (struct irq_domain *p = dom; p; p = p->parent) {
		if (n == IRQ_LEVELS_MAX) {
			*err = refuse(-EINVAL);
			return 0;
		}
		chain[n++] = p;
	}
	if (!n || !(desc = desc_get())) {
		*err = refuse(n ? -ENOSPC : -EINVAL);
		return 0;
	}
	desc->nlevels = n;
	for (uint32_t i = 0; i < n; i++) {
		desc->levels[i].domain = chain[i];
		desc->levels[i].desc = desc;
		desc->levels[i].parent = i + 1 < n ? &desc->levels[i + 1] : 0;
	}
	/* Parent first: the root (vector) level, then up to the device. */
	for (uint32_t i = n; i-- > 0;) {
		struct irq_data *d = &desc->levels[i];
		int e = d->domain->ops->alloc(d->domain, d, info);

		if (e) {
			free_levels(desc, i + 1);
			desc->flags = 0;
			irq_stats.descs_in_use--;
			*err = refuse(e);
			return 0;
		}
		d->domain->live++;
	}
	*err = 0;
	return desc;
}

int irq_domain_activate(struct irq_desc *desc)
{
	uint32_t i;

	if (!valid(desc))
		return refuse(-EINVAL);
	if (desc->flags & IRQD_ACTIVATED)
		return 0;
	for (i = desc->nlevels; i-- > 0;) {
		struct irq_data *d = &desc->levels[i];
		int e = d->domain->ops->activate ? d->domain->ops->activate(d->domain, d) : 0;

		if (e) {
			/* Undo the levels below, top down. */
			for (uint32_t j = i + 1; j < desc->nlevels; j++)
				if (desc->levels[j].domain->ops->deactivate)
					desc->levels[j].domain->ops->deactivate(desc->levels[j].domain,
										&desc->levels[j]);
			return refuse(e);
		}
	}
	desc->flags |= IRQD_ACTIVATED;
	return 0;
}

void irq_domain_deactivate(struct irq_desc *desc)
{
	if (!valid(desc) || !(desc->flags & IRQD_ACTIVATED))
		return;
	for (uint32_t i = 0; i < desc->nlevels; i++) {
		struct irq_data *d = &desc->levels[i];

		if (d->domain->ops->deactivate)
			d->domain->ops->deactivate(d->domain, d);
	}
	desc->flags &= ~IRQD_ACTIVATED;
}

int irq_domain_free(struct irq_desc *desc)
{
	if (!valid(desc))
		return refuse(-EINVAL);
	irq_domain_deactivate(desc);
	free_levels(desc, 0);
	desc->flags = 0;
	desc->handler = 0;
	irq_stats.descs_in_use--;
	return 0;
}

uint32_t irq_free_all(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < IRQ_DESCS_MAX; i++)
		if (descs[i].flags & IRQD_ALLOCATED)
			n += irq_domain_free(&descs[i]) == 0;
	return n;
}

uint32_t irq_domain_restore(struct irq_domain *dom)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < IRQ_DESCS_MAX; i++) {
		struct irq_desc *desc = &descs[i];
		struct irq_data *d = &desc->levels[0];
		struct msi_msg msg;

		if (!(desc->flags & IRQD_ACTIVATED) || d->domain != dom || !d->chip ||
		    !d->chip->write_msi_msg || !d->chip->mask || !d->chip->unmask ||
		    irq_data_compose_msg(d, &msg))
			continue;
		d->chip->mask(d);
		d->chip->write_msi_msg(d, &msg);
		if (!(desc->flags & IRQD_MASKED))
			d->chip->unmask(d);
		n++;
	}
	return n;
}

int irq_data_compose_msg(struct irq_data *d, struct msi_msg *msg)
{
	for (struct irq_data *p = d->parent; p; p = p->parent)
		if (p->chip && p->chip->compose_msi_msg)
			return p->chip->compose_msi_msg(p, msg);
	return -EINVAL;
}

int irq_request(struct irq_desc *desc, irq_fn fn, void *arg)
{
	if (!valid(desc))
		return refuse(-EINVAL);
	desc->handler_arg = arg;
	__atomic_store_n(&desc->handler, fn, __ATOMIC_RELEASE);
	return 0;
}

void irq_desc_handle(struct irq_desc *desc, uint64_t tsc)
{
	irq_fn fn = __atomic_load_n(&desc->handler, __ATOMIC_ACQUIRE);

	desc->count++;
	if (fn)
		fn(tsc, desc->handler_arg);
}

/* Masking is explicit and at the source: the device level's chip. */
int irq_mask(struct irq_desc *desc)
{
	struct irq_data *d;

	if (!valid(desc))
		return refuse(-EINVAL);
	d = &desc->levels[0];
	if (!d->chip || !d->chip->mask)
		return -ENOTSUP;
	d->chip->mask(d);
	desc->flags |= IRQD_MASKED;
	return 0;
}

int irq_unmask(struct irq_desc *desc)
{
	struct irq_data *d;

	if (!valid(desc))
		return refuse(-EINVAL);
	d = &desc->levels[0];
	if (!d->chip || !d->chip->unmask)
		return -ENOTSUP;
	d->chip->unmask(d);
	desc->flags &= ~IRQD_MASKED;
	return 0;
}

int irq_pending(struct irq_desc *desc)
{
	struct irq_data *d;

	if (!valid(desc))
		return refuse(-EINVAL);
	d = &desc->levels[0];
	return d->chip && d->chip->pending ? d->chip->pending(d) : -ENOTSUP;
}

int irq_set_affinity(struct irq_desc *desc, uint32_t cpu)
{
	uint32_t i;

	if (!valid(desc) || !(desc->flags & IRQD_ACTIVATED))
		return refuse(-EINVAL);
	/* From the vector level up, until a level completes the move. */
	for (i = desc->nlevels; i-- > 0;) {
		struct irq_data *d = &desc->levels[i];
		int r;

		if (!d->chip || !d->chip->set_affinity)
			continue;
		r = d->chip->set_affinity(d, cpu);
		if (r < 0) {
			/* Refused here (AMD-Vi: an APIC ID above 255 without
			 * XTEn): every level below moved and propagated; each
			 * goes back, top down as they unwind elsewhere, so that
			 * the vector level gives back its new vector only once
			 * nothing above names it. No affinity_done: the old
			 * vector is the one in use, and the next move starts
			 * from it. */
			for (uint32_t j = i + 1; j < desc->nlevels; j++)
				if (desc->levels[j].chip && desc->levels[j].chip->affinity_undo)
					desc->levels[j].chip->affinity_undo(&desc->levels[j]);
			return refuse(r);
		}
		if (r == IRQ_AFFINITY_DONE)
			break;
	}
	for (i = desc->nlevels; i-- > 0;)
		if (desc->levels[i].chip && desc->levels[i].chip->affinity_done)
			desc->levels[i].chip->affinity_done(&desc->levels[i]);
	return 0;
}

uint32_t irq_cpu(const struct irq_desc *desc)
{
	return desc->levels[desc->nlevels - 1].hwirq >> 8;
}

uint8_t irq_vector(const struct irq_desc *desc)
{
	return (uint8_t)desc->levels[desc->nlevels - 1].hwirq;
}

uint32_t irq_levels(const struct irq_desc *desc)
{
	return desc->nlevels;
}

uint32_t irq_domain_live(const struct irq_domain *dom)
{
	return dom->live;
}
