// SPDX-License-Identifier: MIT
/*
 * A DSA/IAA instance's Interrupt Message Store as a DEV_MSI domain, and
 * its work queues as child devices (drivers/idxd/ims.h). The design of the
 * DEV_MSI review, literally: the physical device creates the domain over
 * its own storage (slots = the IMS size), its parent taken from the
 * device's topology (msi_parent_domain: the remapping unit whose scope
 * covers the device, or the vector domain); each WQ is a child device that
 * takes its interrupts from it (dev_msi_assign_domain); masking is done at
 * the source. Pure: host-tested against the model (tests/host/test_idxd.c).
 */
#include "drivers/idxd/ims.h"
#include "lib/errno.h"

static void ims_write(void *ctx, uint32_t slot, const struct msi_msg *m)
{
	idxd_ims_write(((struct idxd_ims *)ctx)->hw, slot, m);
}

static void ims_mask(void *ctx, uint32_t slot)
{
	idxd_ims_mask(((struct idxd_ims *)ctx)->hw, slot, 1);
}

static void ims_unmask(void *ctx, uint32_t slot)
{
	idxd_ims_mask(((struct idxd_ims *)ctx)->hw, slot, 0);
}

/* No pending callback: what control bit 1 means is not documented, and
 * ims.masked_completion reports it rather than relies on it. The message
 * is three dword writes, not atomic: an affinity move masks around it. */
static const struct dev_msi_ops ims_ops = {
	.write_msg = ims_write, .mask = ims_mask, .unmask = ims_unmask, .atomic_write = 0,
};

uint32_t idxd_ims_restore(struct idxd_ims *ims)
{
	for (uint32_t s = 0; s < ims->hw->ims_size; s++)
		idxd_ims_mask(ims->hw, s, 1);
	return ims->dev.domain ? irq_domain_restore(ims->dev.domain) : 0;
}

int idxd_ims_domain_create(struct idxd_ims *ims, struct idxd *hw, struct msi_device physical,
			   uint32_t nwqs)
{
	uint32_t slots = hw->ims_size < DEV_MSI_SLOTS_MAX ? hw->ims_size : DEV_MSI_SLOTS_MAX;

	if (!hw->ims_size)
		return -ENODEV;
	if (nwqs > IDXD_WQS_MAX)
		return -EINVAL;
	ims->hw = hw;
	ims->dev = physical;
	for (uint32_t s = 0; s < hw->ims_size; s++)
		idxd_ims_mask(hw, s, 1);	/* the reset value is not documented */
	if (!dev_msi_domain_create(&ims->dev, &ims_ops, ims, slots))
		return -ENOSPC;
	ims->nwqs = nwqs;
	for (uint32_t w = 0; w < nwqs; w++) {
		ims->wqs[w] = (struct msi_device){ .name = "wq", .seg = physical.seg,
						   .rid = physical.rid, .pci = physical.pci };
		dev_msi_assign_domain(&ims->wqs[w], &ims->dev);
	}
	return 0;
}
