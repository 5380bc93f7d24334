// SPDX-License-Identifier: MIT
/* Device-side allocation, parent selection and DEV_MSI domains: pure,
 * host-tested (tests/host/test_irqdomain.c). */
#include "msi/device.h"
#include "lib/bits.h"
#include "lib/errno.h"
#include "lib/string.h"

static struct irq_domain *root;
static struct irq_domain *(*remap_lookup)(const struct msi_device *dev);

void msi_set_root(struct irq_domain *r)
{
	root = r;
}

void msi_set_remap_lookup(struct irq_domain *(*lookup)(const struct msi_device *dev))
{
	remap_lookup = lookup;
}

struct irq_domain *msi_parent_domain(const struct msi_device *dev)
{
	struct irq_domain *r = remap_lookup ? remap_lookup(dev) : 0;

	return r ? r : root;
}

int msi_device_update_parent(struct msi_device *dev)
{
	if (!dev->domain)
		return -EINVAL;
	if (dev->domain->live)
		return -EBUSY;
	dev->domain->parent = msi_parent_domain(dev);
	return 0;
}

void dev_msi_assign_domain(struct msi_device *child, struct msi_device *physical)
{
	child->physical = physical;
	child->domain = physical->domain;
}

int msi_alloc_irqs(struct msi_device *dev, uint32_t first, uint32_t n, int cpu,
		   struct irq_desc **out)
{
	for (uint32_t i = 0; i < n; i++) {
		struct irq_alloc_info info = { .hwirq = first + i, .cpu = cpu };
		int e = -ENODEV;

		out[i] = dev->domain ? irq_domain_alloc(dev->domain, &info, &e) : 0;
		if (out[i] && (e = irq_domain_activate(out[i])) != 0)
			irq_domain_free(out[i]);
		if (e) {
			msi_free_irqs(out, i);
			return e;
		}
	}
	return 0;
}

void msi_free_irqs(struct irq_desc **descs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		irq_domain_free(descs[i]);
		descs[i] = 0;
	}
}

/* --- DEV_MSI ---------------------------------------------------------- */

#define DEV_MSI_DOMAINS 16

struct dev_msi_domain {
	struct irq_domain dom;
	const struct dev_msi_ops *ops;
	void *ctx;
	uint32_t nslots;
	uint64_t used[DEV_MSI_SLOTS_MAX / 64];
};

static struct dev_msi_domain pool[DEV_MSI_DOMAINS];

static struct dev_msi_domain *dm_of(struct irq_data *d)
{
	return d->chip_data;
}

static void dm_mask(struct irq_data *d)
{
	dm_of(d)->ops->mask(dm_of(d)->ctx, d->hwirq);
}

static void dm_unmask(struct irq_data *d)
{
	dm_of(d)->ops->unmask(dm_of(d)->ctx, d->hwirq);
}

static int dm_pending(struct irq_data *d)
{
	return dm_of(d)->ops->pending ? dm_of(d)->ops->pending(dm_of(d)->ctx, d->hwirq) : -ENOTSUP;
}

static void dm_write(struct irq_data *d, const struct msi_msg *msg)
{
	dm_of(d)->ops->write_msg(dm_of(d)->ctx, d->hwirq, msg);
}

/* The vector moved below: a new message, masked around the write unless
 * the device writes it in one access. */
static int dm_set_affinity(struct irq_data *d, uint32_t cpu)
{
	struct msi_msg msg;
	int e = irq_data_compose_msg(d, &msg), guard = !dm_of(d)->ops->atomic_write;

	(void)cpu;
	if (e)
		return e;
	if (guard)
		dm_mask(d);
	dm_write(d, &msg);
	if (guard && !(d->desc->flags & IRQD_MASKED))
		dm_unmask(d);
	return IRQ_AFFINITY_DONE;
}

static const struct irq_chip dev_msi_chip = {
	.name = "DEV-MSI",
	.mask = dm_mask,
	.unmask = dm_unmask,
	.pending = dm_pending,
	.set_affinity = dm_set_affinity,
	.write_msi_msg = dm_write,
};

static int dm_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *info)
{
	struct dev_msi_domain *dm = dom->host_data;
	uint32_t s = info->hwirq;

	if (s >= dm->nslots)
		return -ENOSPC;
	if (dm->used[s / 64] & (1ull << (s % 64)))
		return -EBUSY;
	dm->used[s / 64] |= 1ull << (s % 64);
	d->hwirq = s;
	d->chip = &dev_msi_chip;
	d->chip_data = dm;
	return 0;
}

static void dm_free(struct irq_domain *dom, struct irq_data *d)
{
	struct dev_msi_domain *dm = dom->host_data;

	dm->used[d->hwirq / 64] &= ~(1ull << (d->hwirq % 64));
}

static int dm_activate(struct irq_domain *dom, struct irq_data *d)
{
	struct msi_msg msg;
	int e = irq_data_compose_msg(d, &msg);

	(void)dom;
	if (e)
		return e;
	dm_mask(d);
	dm_write(d, &msg);
	dm_unmask(d);
	return 0;
}

static void dm_deactivate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	dm_mask(d);
}

static const struct irq_domain_ops dev_msi_ops = {
	.alloc = dm_alloc,
	.free = dm_free,
	.activate = dm_activate,
	.deactivate = dm_deactivate,
};

struct irq_domain *dev_msi_domain_create(struct msi_device *dev, const struct dev_msi_ops *ops,
					 void *ctx, uint32_t nslots)
{
	if (!nslots || nslots > DEV_MSI_SLOTS_MAX || !ops || !ops->write_msg || !ops->mask ||
	    !ops->unmask)
		return 0;
	for (uint32_t i = 0; i < DEV_MSI_DOMAINS; i++) {
		struct dev_msi_domain *dm = &pool[i];

		if (dm->ops)
			continue;
		memset(dm, 0, sizeof(*dm));
		dm->ops = ops;
		dm->ctx = ctx;
		dm->nslots = nslots;
		dm->dom = (struct irq_domain){ .name = dev->name, .ops = &dev_msi_ops,
					       .parent = msi_parent_domain(dev), .host_data = dm,
					       .owner = dev };
		dev->domain = &dm->dom;
		return &dm->dom;
	}
	return 0;
}

void dev_msi_usage(uint32_t *domains, uint32_t *slots)
{
	*domains = *slots = 0;
	for (uint32_t i = 0; i < DEV_MSI_DOMAINS; i++) {
		if (!pool[i].ops)
			continue;
		(*domains)++;
		for (uint32_t w = 0; w < DEV_MSI_SLOTS_MAX / 64; w++)
			*slots += popcount64(pool[i].used[w]);
	}
}

void dev_msi_domain_destroy(struct irq_domain *dom)
{
	struct dev_msi_domain *dm = dom ? dom->host_data : 0;

	if (dm && dm >= pool && dm < pool + DEV_MSI_DOMAINS && !dom->live)
		dm->ops = 0;
}
