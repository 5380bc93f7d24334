/* SPDX-License-Identifier: MIT */
/*
 * Interrupt remapping in the irq hierarchy: one remapping domain per VT-d
 * unit, between the vector domain and the device domains, chosen for a
 * device by the DMAR scope that covers its requester ID.
 */
#ifndef DRIVERS_IOMMU_INTEL_IRQ_REMAP_H
#define DRIVERS_IOMMU_INTEL_IRQ_REMAP_H

#include "drivers/acpi/dmar.h"
#include "drivers/iommu/intel/vtd.h"
#include "msi/device.h"

#define IR_UNITS_MAX DMAR_UNITS_MAX

struct ir_unit {
	struct vtd_unit vtd;
	const struct dmar_unit *drhd;
	struct irq_domain domain;
	int probed;		/* registers answered */
	int ir_on;		/* remapping enabled */
	struct msi_device fault_dev;	/* its fault event, a DEV_MSI user */
};

struct ir_state {
	int have_dmar;
	struct dmar dmar;
	uint32_t nunits;
	struct ir_unit units[IR_UNITS_MAX];
	char error[128];
};

extern struct ir_state ir;

/* Parse the DMAR, probe every unit and, unless ir=off, enable interrupt
 * remapping on each; register the topology lookup. Before msi_init(). */
void ir_init(int want_ir);
/* "vt-d", or "none"; and whether any unit remaps. */
const char *ir_iommu_name(void);
int ir_enabled(void);

/* The unit whose scope covers the PCI function seg:bdf (its own bus,
 * device and function, not its requester ID), or NULL. */
struct ir_unit *ir_unit_for(uint16_t seg, uint16_t rid);

/* The remapping level of an interrupt (NULL when it is not remapped):
 * its unit and IRTE index. */
struct ir_unit *ir_of(const struct irq_desc *desc, uint32_t *index);
/* Mask or unmask an interrupt at its IRTE (P cleared, entry invalidated). */
int ir_irte_mask(struct irq_desc *desc, int masked);

/* The first unit's fault event as a DEV_MSI device (domain created on the
 * first call), or NULL without a unit. */
struct msi_device *vtd_fault_device(struct ir_unit **unit);

#endif
