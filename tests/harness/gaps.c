// SPDX-License-Identifier: MIT
/* What a platform is known not to do: tests/harness/gaps.h. Each QEMU
 * entry was found by running that QEMU (docs/qemu.md). */
#include "tests/harness/gaps.h"
#include "drivers/iommu/iommu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/platform.h"
#include "lib/printf.h"
#include "lib/string.h"

/* KVM's CPUID signature at leaf 0x40000000: "KVMKVMKVM\0\0\0" in EBX, ECX, EDX. */
int gaps_under_kvm(void)
{
	struct cpuid r;

	if (!(cpuid(1, 0).c & CPUID1_ECX_HYPERVISOR))
		return 0;
	r = cpuid(0x40000000, 0);
	return r.b == 0x4b4d564b && r.c == 0x564b4d56 && r.d == 0x4d;
}

/* What QEMU's IOMMU models lack, each found by running them (docs/qemu.md):
 * the gap, the model, the first QEMU (major) that has it or 0 for none
 * yet, and the words. */
static const struct iommu_gap {
	enum gap gap;
	const char *model;
	uint32_t fixed_in;
	const char *why;
} iommu_gaps[] = {
	{ GAP_IR_FAULTS, "intel-iommu", 10, "intel-iommu records no interrupt-remapping fault "
	  "(7.2 records none; 10.0 does)" },
	{ GAP_IR_COMPAT, "intel-iommu", 0, "QEMU does not honour GCMD.CFI: a compatibility-format "
	  "message passes with CFI clear (7.2 and 10.0)" },
	{ GAP_IR_DMA_SOURCE_ID, "intel-iommu", 0, "QEMU checks no source-id on a device's DMA "
	  "write to 0xFEExxxxx (7.2 and 10.0)" },
	{ GAP_IR_FAULTS, "amd-iommu", 0, "QEMU's amd-iommu writes no event-log entry for a "
	  "blocked interrupt (10.0.2)" },
	{ GAP_IR_TABLE_BOUND, "amd-iommu", 0, "QEMU's amd-iommu ignores IntTabLen: it reads any "
	  "index of the table (10.0.2)" },
	{ GAP_IOMMU_OWN_IRQ_X2APIC, "amd-iommu", 0, "QEMU's amd-iommu has no XT interrupt control "
	  "registers (0x170, IntCapXTEn): no own interrupt in x2APIC mode (10.0.2)" },
};

const char *platform_gap(enum gap g)
{
	static char why[160];
	uint32_t major = 0, minor = 0;
	int known;

	if (g == GAP_TSC_ADJUST)
		return gaps_under_kvm() ? "a KVM guest: whether the host adds IA32_TSC_ADJUST to the TSC "
				     "is the host's (nested KVM here keeps the MSR and does not)" : 0;
	if (!platform_is_qemu())
		return 0;	/* real hardware does all of it (the specifications) */
	known = platform_qemu_version(&major, &minor) == 0;
	for (uint32_t i = 0; i < sizeof(iommu_gaps) / sizeof(iommu_gaps[0]); i++) {
		const struct iommu_gap *e = &iommu_gaps[i];

		if (e->gap != g || strcmp(e->model, iommu_qemu_device()))
			continue;
		if (!e->fixed_in)
			return e->why;
		if (known && major >= e->fixed_in)
			return 0;
		ksnprintf(why, sizeof(why), "QEMU %s%u.%u's %s", known ? "" : "of unknown version ",
			  major, minor, e->why);
		return why;
	}
	return 0;
}
