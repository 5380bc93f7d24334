/* SPDX-License-Identifier: MIT */
/*
 * Interrupt remapping in the irq hierarchy: one remapping domain per VT-d
 * unit, between the vector domain and the device domains, chosen for a
 * device by the DMAR scope that covers its requester ID.
 */
#ifndef DRIVERS_IOMMU_INTEL_IRQ_REMAP_H
#define DRIVERS_IOMMU_INTEL_IRQ_REMAP_H

#include "lib/compiler.h"
#include "drivers/acpi/dmar.h"
#include "lib/memmap.h"
#include "drivers/iommu/intel/vtd.h"
#include "msi/device.h"

#define IR_UNITS_MAX DMAR_UNITS_MAX

struct ir_unit {
	struct vtd_unit vtd;
	const struct dmar_unit *drhd;
	struct irq_domain domain;
	int probed;		/* registers answered */
	int ir_on;		/* remapping enabled */
	uint32_t unresolved;	/* device scopes that name no function found */
	struct msi_device fault_dev;	/* its fault event, a DEV_MSI user */
	struct msi_device inv_dev;	/* its invalidation completion event, too */
};

struct ir_state {
	int have_dmar;
	int want_ir;		/* ir= of the command line */
	int rejected;		/* a unit the firmware described wrongly: remapping off */
	struct dmar dmar;
	uint32_t nunits;
	struct ir_unit units[IR_UNITS_MAX];
	char error[128];
};

extern struct ir_state ir;

/* Parse the DMAR; check every unit's register base against the memory map
 * and the other units; read each unit's registers under a recovery point;
 * any unit that is not one turns remapping off for the whole platform
 * (ir_rejected(), the reason in ir.error). Then take each unit over from
 * its previous owner and, unless ir=off, enable interrupt remapping;
 * register the topology lookup. Before the vector domain's users. */
void ir_init(int want_ir, const struct mem_region *map, uint32_t nregions);
/* Remapping was turned off because the firmware described a unit wrongly. */
int ir_rejected(void);
/* The first unit that remaps, or NULL; then why none does: "no DMAR
 * table", "ir=off", the DMAR's own "no interrupt remapping", or the error
 * that stopped a unit. */
struct ir_unit *ir_remapping_unit(void);
const char *ir_off_reason(void);

/* Take the unit over again and bring remapping back up on it, its table
 * kept: what a second owner does after the first (a kexec-like
 * handover). 0, or the error with ir_unit_error(). */
int ir_handover(struct ir_unit *u) MUST_CHECK;

/* Interrupt remapping on or off for the unit (GCMD.IRE; the table and the
 * queue stay). Device domains keep their parent until
 * msi_device_update_parent(). 0 or -ETIMEDOUT with ir_unit_error(). */
int ir_set_remapping(struct ir_unit *u, int on) MUST_CHECK;
const char *ir_unit_error(const struct ir_unit *u);

/* The unit's interrupt remapping table and fault log, for tests that
 * check what the hardware was told and what it refused. */
struct irte ir_irte_read(const struct ir_unit *u, uint32_t index);
int ir_irte_reserve(struct ir_unit *u);			/* index, or -ENOSPC */
void ir_irte_release(struct ir_unit *u, uint32_t index);
/* IRTEs reserved now, every unit together. */
uint32_t ir_irtes_in_use(void);
int ir_fault_take(struct ir_unit *u, struct vtd_fault *f);	/* 1, or 0: none left */

/* Whether a platform device (the HPET) is named by some unit's device
 * scope: with remapping on, one that is not cannot send a remappable
 * message, and its compatibility-format ones are blocked (CFI clear). */
int ir_platform_covered(const struct msi_device *dev);

/* The unit whose scope covers the PCI function seg:bdf (its own bus,
 * device and function, not its requester ID), or NULL. */
struct ir_unit *ir_unit_for(uint16_t seg, uint16_t rid);

/* The remapping level of an interrupt (NULL when it is not remapped):
 * its unit and IRTE index. */
struct ir_unit *ir_of(const struct irq_desc *desc, uint32_t *index);
/* Mask or unmask an interrupt at its IRTE (P cleared, entry invalidated). */
int ir_irte_mask(struct irq_desc *desc, int masked) MUST_CHECK;

/* The first unit's fault event and invalidation completion event as
 * DEV_MSI devices (their domains created on the first call), or NULL
 * without a unit (for the completion event: without one that remaps). */
struct msi_device *ir_fault_event_device(struct ir_unit **unit);
struct msi_device *ir_inv_event_device(struct ir_unit **unit);
/* Raise the completion event: the TSC just before the queue tail write. */
uint64_t ir_inv_event_raise(struct ir_unit *u);
/* In its handler: clear ICS.IWC, so that the next one raises. */
void ir_inv_event_ack(struct ir_unit *u);

#endif
