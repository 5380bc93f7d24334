/* SPDX-License-Identifier: MIT */
/*
 * What a platform is known not to do, decided from the platform alone
 * (under QEMU, its version: the machine type in the report's header)
 * before a test measures anything. A test asks first; with a gap it still
 * runs what the platform can show and then SKIPs with the gap's words;
 * without one it judges everything it sees. A SKIP never follows an
 * observation (docs/design.md, "How we know a test can fail"); the
 * behaviour of each QEMU is in docs/qemu.md.
 */
#ifndef TESTS_HARNESS_GAPS_H
#define TESTS_HARNESS_GAPS_H

enum gap {
	/* The IOMMU's (drivers/iommu/iommu.h), by QEMU's model of it: */
	GAP_IR_FAULTS,		/* a blocked interrupt recorded (a fault record, an event) */
	GAP_IR_COMPAT,		/* a compatibility-format message blocked */
	GAP_IR_DMA_SOURCE_ID,	/* a device's DMA write to 0xFEExxxxx checked by source */
	GAP_IR_TABLE_BOUND,	/* an index beyond the table's length blocked */
	GAP_IOMMU_OWN_IRQ_X2APIC, /* the unit's own interrupt's x2APIC register */
	GAP_TSC_ADJUST,		/* a write to IA32_TSC_ADJUST moves the TSC */
};

/* Why this platform is known not to do it, or NULL: it must. */
const char *platform_gap(enum gap g);
/* 1 under KVM (its signature at CPUID 0x40000000), else 0. */
int gaps_under_kvm(void);

#endif
