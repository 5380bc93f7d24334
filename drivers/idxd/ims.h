/* SPDX-License-Identifier: MIT */
/* A DSA/IAA instance's IMS as a DEV_MSI domain; its WQs as children
 * (drivers/idxd/ims.c). */
#ifndef DRIVERS_IDXD_IMS_H
#define DRIVERS_IDXD_IMS_H

#include "lib/compiler.h"
#include "drivers/idxd/idxd.h"
#include "msi/device.h"

struct idxd_ims {
	struct idxd *hw;
	struct msi_device dev;			/* the physical device */
	struct msi_device wqs[IDXD_WQS_MAX];	/* its work queues, children */
	uint32_t nwqs;
};

/* Every IMS entry masked; the physical device (`physical`: its name,
 * requester ID and PCI function, which decide the parent) given a
 * DEV_MSI domain over min(IMS size, DEV_MSI_SLOTS_MAX) slots; nwqs child
 * devices assigned to it. 0, -ENODEV (no IMS), -EINVAL, -ENOSPC (no
 * domain left). */
int idxd_ims_domain_create(struct idxd_ims *ims, struct idxd *hw, struct msi_device physical,
			   uint32_t nwqs) MUST_CHECK;

/* After a device reset (a halt recovered): what the IMS holds then is
 * not documented, so every entry is masked again and each slot in use
 * gets its message and mask state back from the hierarchy. Returns how
 * many slots were in use. */
uint32_t idxd_ims_restore(struct idxd_ims *ims);

#endif
