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
	GAP_VTD_IR_FAULTS,	/* VT-d: interrupt-remapping faults recorded (FRCD) */
	GAP_VTD_CFI,		/* VT-d: GCMD.CFI blocks compatibility-format messages */
	GAP_DMA_SOURCE_ID,	/* a device's DMA write to 0xFEExxxxx checked by source-id */
	GAP_AMDVI_EVENTS,	/* AMD-Vi: an event-log entry for a blocked interrupt */
	GAP_AMDVI_INTTABLEN,	/* AMD-Vi: IntTabLen bounds the interrupt table */
	GAP_AMDVI_INTCAPXT,	/* AMD-Vi: the XT interrupt control registers (0x170) */
	GAP_TSC_ADJUST,		/* a write to IA32_TSC_ADJUST moves the TSC */
};

/* Why this platform is known not to do it, or NULL: it must. */
const char *platform_gap(enum gap g);
/* 1 under KVM (its signature at CPUID 0x40000000), else 0. */
int gaps_under_kvm(void);

#endif
