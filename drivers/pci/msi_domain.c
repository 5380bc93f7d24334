// SPDX-License-Identifier: MIT
/*
 * PCI/MSI and PCI/MSI-X domains, one per device, over the capability
 * helpers of drivers/pci/msi.c. An MSI-X entry is masked while its message
 * changes (PCI Local Bus 3.0, 6.8.2.9: changing an unmasked entry's address
 * or data is undefined), so a message raised meanwhile waits in the PBA.
 * Plain MSI gets one vector here: several (multiple-message enable) need a
 * block of contiguous, aligned vectors that only interrupt remapping gives
 * on x86.
 */
#include "drivers/pci/msi.h"
#include "lib/errno.h"
#include "lib/string.h"

#define PCI_MSI_DOMAINS 16
#define ENTRIES_MAX 2048

struct pci_msi_domain {
	struct irq_domain dom;
	struct msi_device *dev;
	int is_msix;
	struct pci_msi msi;
	struct pci_msix msix;
	uint32_t active;
	uint64_t used[ENTRIES_MAX / 64];
};

static struct pci_msi_domain pool[PCI_MSI_DOMAINS];

static struct pci_msi_domain *pd_of(struct irq_data *d)
{
	return d->chip_data;
}

/* --- MSI ------------------------------------------------------------------ */

static void msi_mask(struct irq_data *d)
{
	pci_msi_mask(pd_of(d)->dev->pci, &pd_of(d)->msi, d->hwirq, 1);
}

static void msi_unmask(struct irq_data *d)
{
	pci_msi_mask(pd_of(d)->dev->pci, &pd_of(d)->msi, d->hwirq, 0);
}

static int msi_pending(struct irq_data *d)
{
	return (pci_msi_pending(pd_of(d)->dev->pci, &pd_of(d)->msi) >> d->hwirq) & 1;
}

static void msi_write(struct irq_data *d, const struct msi_msg *msg)
{
	pci_msi_write_msg(pd_of(d)->dev->pci, &pd_of(d)->msi, msg);
}

/*
 * The vector moved below and nothing remaps it: the message changes with
 * the vector live, in separate configuration writes (address, then data),
 * and a message raised between them must not reach the new CPU with the
 * old vector. Where the function can mask the vector (PCI Local Bus 3.0,
 * 6.8.3.5: a masked vector's message is held, its pending bit set, and
 * sent at the unmask), it is masked around the writes, as Linux moves a
 * masked interrupt (kernel/irq/migration.c, irq_move_masked_irq). Where it
 * cannot, Linux's x86 msi_set_affinity (arch/x86/kernel/apic/msi.c): the
 * new vector on the old CPU first (only the data changes), then the new
 * destination (only the address), so that a message in between reaches
 * either CPU with the new vector, never the new CPU with the old one.
 * Linux then checks the old CPU's IRR for the new vector and retriggers;
 * here the vector level holds the new vector on the old CPU for the move
 * (where it is free there) with this interrupt's handler, and its drain
 * waits for that IRR bit too (msi/vector_domain.c).
 */
static int msi_set_affinity(struct irq_data *d, uint32_t cpu)
{
	struct pci_msi_domain *pd = pd_of(d);
	struct msi_msg msg, now;
	int e = irq_data_compose_msg(d, &msg);

	(void)cpu;
	if (e)
		return e;
	if (pd->msi.maskable) {
		msi_mask(d);
		msi_write(d, &msg);
		if (!(d->desc->flags & IRQD_MASKED))
			msi_unmask(d);
		return IRQ_AFFINITY_DONE;
	}
	pci_msi_read_msg(pd->dev->pci, &pd->msi, &now);
	if ((now.address_lo != msg.address_lo || now.address_hi != msg.address_hi) &&
	    (uint16_t)now.data != (uint16_t)msg.data) {
		now.data = msg.data;
		msi_write(d, &now);
	}
	msi_write(d, &msg);
	return IRQ_AFFINITY_DONE;
}

static const struct irq_chip msi_chip_maskable = {
	.name = "PCI-MSI", .mask = msi_mask, .unmask = msi_unmask, .pending = msi_pending,
	.set_affinity = msi_set_affinity, .write_msi_msg = msi_write,
};

/* Without per-vector masking an MSI cannot be masked at the source. */
static const struct irq_chip msi_chip = {
	.name = "PCI-MSI", .set_affinity = msi_set_affinity, .write_msi_msg = msi_write,
};

/* --- MSI-X ---------------------------------------------------------------- */

static void msix_mask(struct irq_data *d)
{
	pci_msix_mask(&pd_of(d)->msix, d->hwirq, 1);
}

static void msix_unmask(struct irq_data *d)
{
	pci_msix_mask(&pd_of(d)->msix, d->hwirq, 0);
}

static int msix_pending(struct irq_data *d)
{
	return pci_msix_pending(&pd_of(d)->msix, d->hwirq);
}

static void msix_write(struct irq_data *d, const struct msi_msg *msg)
{
	pci_msix_write_msg(&pd_of(d)->msix, d->hwirq, msg);
}

static int msix_set_affinity(struct irq_data *d, uint32_t cpu)
{
	struct msi_msg msg;
	int e = irq_data_compose_msg(d, &msg);

	(void)cpu;
	if (e)
		return e;
	msix_mask(d);
	msix_write(d, &msg);
	if (!(d->desc->flags & IRQD_MASKED))
		msix_unmask(d);
	return IRQ_AFFINITY_DONE;
}

static const struct irq_chip msix_chip = {
	.name = "PCI-MSIX", .mask = msix_mask, .unmask = msix_unmask, .pending = msix_pending,
	.set_affinity = msix_set_affinity, .write_msi_msg = msix_write,
};

/* --- the domain ----------------------------------------------------------- */

static int pd_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *info)
{
	struct pci_msi_domain *pd = dom->host_data;
	uint32_t n = pd->is_msix ? pd->msix.nvec : 1, h = info->hwirq;

	if (h >= n)
		return pd->is_msix || h >= pd->msi.nvec ? -ENOSPC : -ENOTSUP;
	if (pd->used[h / 64] & (1ull << (h % 64)))
		return -EBUSY;
	pd->used[h / 64] |= 1ull << (h % 64);
	d->hwirq = h;
	d->chip = pd->is_msix ? &msix_chip : pd->msi.maskable ? &msi_chip_maskable : &msi_chip;
	d->chip_data = pd;
	return 0;
}

static void pd_free(struct irq_domain *dom, struct irq_data *d)
{
	struct pci_msi_domain *pd = dom->host_data;

	pd->used[d->hwirq / 64] &= ~(1ull << (d->hwirq % 64));
}

static int pd_activate(struct irq_domain *dom, struct irq_data *d)
{
	struct pci_msi_domain *pd = dom->host_data;
	const struct pci_dev *pci = pd->dev->pci;
	struct msi_msg msg;
	int e = irq_data_compose_msg(d, &msg);

	if (e)
		return e;
	if (pd->is_msix) {
		msix_mask(d);
		msix_write(d, &msg);
		if (pd->active++ == 0)
			pci_msix_enable(pci, &pd->msix, 1);
		msix_unmask(d);
	} else {
		msi_write(d, &msg);
		if (pd->active++ == 0)
			pci_msi_enable(pci, &pd->msi, 0);
	}
	return 0;
}

static void pd_deactivate(struct irq_domain *dom, struct irq_data *d)
{
	struct pci_msi_domain *pd = dom->host_data;

	if (pd->is_msix)
		msix_mask(d);
	if (--pd->active == 0) {
		if (pd->is_msix)
			pci_msix_enable(pd->dev->pci, &pd->msix, 0);
		else
			pci_msi_disable(pd->dev->pci, &pd->msi);
	}
}

static const struct irq_domain_ops pd_ops = {
	.alloc = pd_alloc,
	.free = pd_free,
	.activate = pd_activate,
	.deactivate = pd_deactivate,
};

static int create(struct msi_device *dev, int is_msix)
{
	struct pci_msi_domain *pd = 0;
	int e;

	for (uint32_t i = 0; i < PCI_MSI_DOMAINS && !pd; i++)
		if (!pool[i].dev || pool[i].dev == dev)
			pd = &pool[i];
	if (!pd || !dev->pci)
		return -ENOSPC;
	if (pd->dev == dev && pd->dom.live)
		return -EBUSY;	/* interrupts of the old domain are still allocated */
	memset(pd, 0, sizeof(*pd));
	pd->is_msix = is_msix;
	e = is_msix ? pci_msix_get(dev->pci, &pd->msix) : pci_msi_get(dev->pci, &pd->msi);
	if (e)
		return e;
	if (is_msix && pd->msix.nvec > ENTRIES_MAX)
		return -EIO;
	pd->dev = dev;
	pd->dom = (struct irq_domain){ .name = is_msix ? "PCI-MSIX" : "PCI-MSI", .ops = &pd_ops,
				       .parent = msi_parent_domain(dev), .host_data = pd,
				       .owner = dev };
	dev->domain = &pd->dom;
	return 0;
}

int pci_msi_device_init(struct msi_device *dev, const char *name, struct pci_dev *pci)
{
	if (!pci)
		return -EINVAL;
	*dev = (struct msi_device){ .name = name, .seg = pci->seg, .rid = pci_requester_id(pci),
				    .pci = pci };
	return 0;
}

int pci_msi_domain_create(struct msi_device *dev)
{
	return create(dev, 0);
}

int pci_msix_domain_create(struct msi_device *dev)
{
	return create(dev, 1);
}
