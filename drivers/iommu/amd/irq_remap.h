/* SPDX-License-Identifier: MIT */
/*
 * AMD-Vi interrupt remapping in the irq hierarchy: one remapping domain per
 * IOMMU, between the vector domain and the device domains, chosen for a
 * device by the IVHD whose device entries cover its requester ID
 * (ivrs_lookup). Unlike VT-d's one table per unit, each device (with its
 * aliases) has its own interrupt table: a device's first interrupt creates
 * it and points the DTE of every DeviceID it may appear as at it. The
 * message is 0xFEE00000 with the table index as data; an affinity move
 * rewrites only the IRTE. docs/design.md, "AMD-Vi".
 */
#ifndef DRIVERS_IOMMU_AMD_IRQ_REMAP_H
#define DRIVERS_IOMMU_AMD_IRQ_REMAP_H

#include "lib/compiler.h"
#include "drivers/acpi/ivrs.h"
#include "drivers/iommu/amd/amdvi.h"
#include "lib/memmap.h"
#include "msi/device.h"

#define AMD_IR_UNITS_MAX	16

struct amd_ir_unit {
	struct amdvi_unit hw;
	const struct ivrs_unit *ivhd;
	uint32_t ivrs_index;		/* its index in the IVRS's units */
	struct irq_domain domain;
	int probed;			/* registers answered */
	int ir_on;			/* remapping enabled */
	uint32_t blocked_devids;	/* DTEs set to abort compatibility messages */
	uint32_t pass_devids;		/* DTEs with the IVHD's INIT/ExtInt/NMI/LINT passes */
	struct pci_dev *pci;		/* its own PCI function (class 0806), or NULL */
	struct msi_device event_dev;	/* its completion and event interrupt: the PCI MSI, */
	struct irq_domain xt_domain;	/* or with XTEn this, the XT register at 0x170 */
	char error[128];		/* why it was left out, else "" */
};

struct amd_ir_state {
	int have_ivrs;
	int want_ir;
	struct ivrs ivrs;
	uint32_t nunits;
	struct amd_ir_unit units[AMD_IR_UNITS_MAX];
	char error[128];
};

extern struct amd_ir_state amd_ir;

/* Parse the IVRS; map and read each usable IOMMU's registers under a
 * recovery point (the IVRS EFR image held against the register); take
 * each over; unless ir=off, give it a device table whose entries for every
 * DeviceID the IVRS gives it abort compatibility messages (IV, IntCtl 0;
 * the IO-APIC's and HPET's DeviceIDs are left forwarding), enable it, and
 * register the topology lookup. A unit that fails is left out with the
 * reason in amd_ir.error; the others go on. After pci_init, before the
 * vector domain's users. */
void amd_ir_init(int want_ir, const struct mem_region *map, uint32_t nregions);
/* The first unit that remaps, or NULL; and why none does. */
struct amd_ir_unit *amd_ir_remapping_unit(void);
const char *amd_ir_off_reason(void);

/* The unit, table and index of a remapped interrupt, or NULL. */
struct amd_ir_unit *amd_ir_of(const struct irq_desc *desc, struct amdvi_table **t,
			      uint32_t *index);
/* The unit that covers a PCI function and the DeviceIDs whose DTE its
 * table goes into (the alias the IOMMU sees first, then the function's
 * own requester ID when different): their number, 0 when no unit that
 * remaps covers it. */
uint32_t amd_ir_devids(const struct pci_dev *pci, struct amd_ir_unit **u, uint16_t *devids);
/* Mask or unmask at the IRTE (RemapEn), invalidated and waited for. */
int amd_ir_irte_mask(struct irq_desc *desc, int masked) MUST_CHECK;
/* AMD-Vi has no global switch (48882 2.2.5: remapping is per DTE): off
 * writes every DTE that has interrupt fields back to forwarding, on
 * writes each table's DTEs and the blocking ones again. Device domains
 * keep their parent until msi_device_update_parent(). 0 or the error in
 * u->hw.error. */
int amd_ir_set_remapping(struct amd_ir_unit *u, int on) MUST_CHECK;
/* Take the live unit over again and enable it, its tables kept (what a
 * second owner does after the first). 0 or the error in u->hw.error. */
int amd_ir_handover(struct amd_ir_unit *u) MUST_CHECK;
/* The next event-log entry: 1, or 0 when none. */
int amd_ir_event_take(struct amd_ir_unit *u, struct amdvi_event *e);
/* IRTEs in use now, every unit and table together. */
uint32_t amd_ir_irtes_in_use(void);

/* The first remapping unit's completion interrupt as an MSI device, under
 * the vector domain (an IOMMU's own messages are not remapped): its PCI
 * MSI, or with XTEn (x2APIC mode) its XT interrupt control register at
 * 0x170 with IntCapXTEn, as Linux's iommu_init_irq(); or NULL. Raise: the TSC just before the tail write of a
 * COMPLETION_WAIT with I; ack: Status.ComWaitInt cleared. */
struct msi_device *amd_ir_event_device(struct amd_ir_unit **unit);
uint64_t amd_ir_comwait_raise(struct amd_ir_unit *u);
void amd_ir_comwait_ack(struct amd_ir_unit *u);

#endif
