/* SPDX-License-Identifier: MIT */
/*
 * The IOMMU family the firmware describes, for what is the same on both:
 * bring-up, its name in the report header, whether interrupts are
 * remapped and why not. VT-d (a DMAR) and AMD-Vi (an IVRS) register their
 * own topology lookups with msi/; nothing else names a family.
 */
#ifndef DRIVERS_IOMMU_IOMMU_H
#define DRIVERS_IOMMU_IOMMU_H

#include "lib/memmap.h"

/* VT-d when the firmware has a DMAR, else AMD-Vi when it has an IVRS
 * (never both: a machine has one kind). After pci_init. */
void iommu_init(int want_ir, const struct mem_region *map, uint32_t nregions);
/* "vt-d", "amd-vi" or "none". */
const char *iommu_name(void);
/* Some unit remaps interrupts; else why none does. */
int iommu_ir_enabled(void);
const char *iommu_ir_off_reason(void);

#endif
