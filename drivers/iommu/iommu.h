/* SPDX-License-Identifier: MIT */
/*
 * One interface for every IOMMU family (after FreeBSD's struct x86_iommu,
 * sys/x86/iommu/x86_iommu.h): VT-d (drivers/iommu/intel/, a DMAR) and
 * AMD-Vi (drivers/iommu/amd/, an IVRS) each fill one struct iommu_ops, and
 * drivers/iommu/iommu.c dispatches to the family the firmware describes.
 * Bring-up (probe, takeover, remapping on), remapping on and off, the
 * remapping entry of an interrupt (decoded, masked, reserved, the message
 * that names it) with its invalidation, the unit's fault records or event
 * log, the unit's own interrupt, and what the iommu.* tests read of the
 * family's registers (through struct iommu_report: the driver formats,
 * the test reports). Nothing outside drivers/iommu names a family; a new
 * one is a folder with its ops, listed in iommu.c.
 */
#ifndef DRIVERS_IOMMU_IOMMU_H
#define DRIVERS_IOMMU_IOMMU_H

#include "lib/compiler.h"
#include "lib/memmap.h"
#include "lib/printf.h"
#include "msi/device.h"

struct pci_dev;
struct iommu_unit;	/* a family's unit: struct ir_unit, struct amd_ir_unit */

/* An interrupt's remapping entry, decoded. */
struct iommu_entry {
	struct iommu_unit *unit;
	void *table;		/* VT-d: the unit's one table; AMD-Vi: the device's */
	uint32_t index;
	int present;		/* VT-d P, AMD-Vi RemapEn */
	uint8_t vector;
	uint32_t dest;		/* APIC ID */
};

/* Why a message must not reach its target: what a test sends. */
enum iommu_block {
	IOMMU_BLOCK_BAD_INDEX,		/* an index beyond the table */
	IOMMU_BLOCK_NOT_PRESENT,	/* an entry never written */
	IOMMU_BLOCK_WRONG_SOURCE,	/* another requester's message */
	IOMMU_BLOCK_COMPAT,		/* compatibility format */
	IOMMU_BLOCK_DMA,		/* a DMA write of another requester's message */
	IOMMU_BLOCKS
};

/* One record of a blocked request: a VT-d fault record, an AMD-Vi event. */
struct iommu_fault {
	uint32_t code;		/* VT-d fault reason, AMD-Vi event code */
	uint16_t sid;		/* requester ID, DeviceID */
	uint32_t flags;		/* AMD-Vi: the event's flags (I: an interrupt) */
	int overflow;		/* records were dropped before this one */
	char text[112];		/* a YAML flow map of it */
};

/* Where a family's report hooks write: a YAML line, a failed check. */
struct iommu_report {
	void *arg;
	void (*yaml)(void *arg, const char *line);
	void (*fail)(void *arg, const char *why);
};
void iommu_yaml(struct iommu_report *r, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* cond, after reporting the failure when it is 0. */
int iommu_check(struct iommu_report *r, int cond, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* The unit's own interrupt as a test source (VT-d: its invalidation
 * completion event, DEV_MSI; AMD-Vi: its completion interrupt, PCI MSI or
 * the XT register). */
struct iommu_own_irq {
	const char *name;		/* the source's name: "vtd-inv" */
	const char *kind;		/* "DEV-MSI", "PCI-MSI", "AMD-Vi-XT" */
	int has_pending;		/* a pending bit holds it while masked */
	int x2apic_register;		/* routed through a register for x2APIC destinations */
	const char *absent;		/* what to give the machine when there is none */
	/* Its device (domains made on the first call), or NULL. */
	struct msi_device *(*device)(struct iommu_unit **unit);
	uint64_t (*raise)(struct iommu_unit *u);	/* the TSC just before the raising write */
	void (*ack)(struct iommu_unit *u);		/* in its handler */
};

struct iommu_ops {
	const char *name;		/* the report header's iommu=: "vt-d" */
	const char *qemu_device;	/* QEMU's model of it (tests/harness/gaps.c) */
	/* Probe the firmware's table; if there is one, take every unit over
	 * and, with want_ir, enable remapping and register the topology
	 * lookup with msi/. 1 when the firmware describes this family. */
	int (*init)(int want_ir, const struct mem_region *map, uint32_t nregions);
	struct iommu_unit *(*remapping_unit)(void);
	const char *(*off_reason)(void);
	uint32_t (*entries_in_use)(void);
	/* Remapping off or on for the unit, its tables kept; device domains
	 * keep their parent until msi_device_update_parent(). */
	int (*set_remapping)(struct iommu_unit *u, int on) MUST_CHECK;
	/* Taken over again and enabled, its tables kept (a second owner). */
	int (*handover)(struct iommu_unit *u) MUST_CHECK;
	const char *(*unit_error)(const struct iommu_unit *u);

	/* The entry of a remapped interrupt (its unit), or NULL. */
	struct iommu_unit *(*entry_of)(const struct irq_desc *irq, struct iommu_entry *e);
	/* e's present, vector and dest read again from its table. */
	void (*entry_read)(struct iommu_entry *e);
	/* Masked or unmasked at the entry, invalidated and waited for. */
	int (*entry_mask)(struct irq_desc *irq, int masked) MUST_CHECK;
	/* A free index of e's table into e->index, never written: 0 or the error. */
	int (*entry_reserve)(struct iommu_entry *e) MUST_CHECK;
	void (*entry_release)(const struct iommu_entry *e);
	/* The message that names entry e->index of e->table. */
	void (*entry_msg)(const struct iommu_entry *e, struct msi_msg *m);
	/* Whether a device's message names entry e. */
	int (*msg_names)(const struct iommu_entry *e, const struct msi_msg *m);
	/* For IOMMU_BLOCK_BAD_INDEX: m names an index beyond the table the
	 * victim's requester uses, and an entry there (if the family can
	 * have one) would reach the victim; undo puts the table back. */
	int (*bad_index)(struct iommu_entry *victim, struct msi_msg *m, struct iommu_report *r);
	int (*bad_index_undo)(struct iommu_entry *victim);

	/* The next record of a blocked request: 1, or 0 when none. */
	int (*fault_take)(struct iommu_unit *u, struct iommu_fault *f);
	/* Whether f records `why`, sent by `sender`. */
	int (*fault_is)(const struct iommu_fault *f, enum iommu_block why,
			const struct pci_dev *sender);
	uint32_t records;		/* 1 << enum iommu_block: what the family records */
	/* Its fault event as an MSI device (made on the first call), or NULL. */
	struct msi_device *(*fault_device)(struct iommu_unit *u);
	void (*own_irq)(struct iommu_own_irq *irq);
	/* A platform device (the HPET) can send through remapping. */
	int (*platform_covered)(const struct msi_device *dev);

	/* What the tests read of the family's own registers and tables. */
	void (*firmware_report)(struct iommu_report *r);	/* the table's flags */
	const char *(*firmware_error)(void);			/* its parse error, or NULL */
	uint32_t (*unit_count)(void);
	/* YAML and checks of unit i: 0, or -ENODEV: left out (unchecked). */
	int (*unit_report)(uint32_t i, struct iommu_report *r);
	void (*entry_report)(const struct iommu_entry *e, struct iommu_report *r);
	/* The entry checks the requester ID pci's requests carry. */
	void (*requester_report)(const struct irq_desc *irq, const struct pci_dev *pci,
				 struct iommu_report *r);
	/* What the handover found, and the unit after it. */
	void (*handover_report)(struct iommu_unit *u, struct iommu_report *r);
	const char *entry_off;		/* a masked entry: "a non-present IRTE" */
	int table_per_device;		/* each device has its own table */
};

extern const struct iommu_ops vtd_iommu_ops, amdvi_iommu_ops;

/* The first family whose firmware table there is (a machine has one
 * kind); its warnings given. After pci_init. */
void iommu_init(int want_ir, const struct mem_region *map, uint32_t nregions);
/* The family the firmware describes, or NULL. */
const struct iommu_ops *iommu(void);
/* Its name, or "none"; and the QEMU device that models it, or "". */
const char *iommu_name(void);
const char *iommu_qemu_device(void);
/* Some unit remaps interrupts; else why none does. */
int iommu_ir_enabled(void);
const char *iommu_ir_off_reason(void);
struct iommu_unit *iommu_remapping_unit(void);
/* Remapping entries in use, every unit together. */
uint32_t iommu_entries_in_use(void);
/* The entry of a remapped interrupt, or NULL: not remapped. */
struct iommu_unit *iommu_entry_of(const struct irq_desc *irq, struct iommu_entry *e);
int iommu_entry_mask(struct irq_desc *irq, int masked) MUST_CHECK;
/* Whether a platform device (the HPET) can send through remapping: with
 * remapping on, one that no unit's scope names cannot. */
int iommu_platform_covered(const struct msi_device *dev);

#endif
