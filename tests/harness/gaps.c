// SPDX-License-Identifier: MIT
/* What a platform is known not to do: tests/harness/gaps.h. Each QEMU
 * entry was found by running that QEMU (docs/qemu.md). */
#include "tests/harness/gaps.h"
#include "arch/x86/cpu.h"
#include "arch/x86/platform.h"
#include "lib/printf.h"

/* KVM's CPUID signature at leaf 0x40000000: "KVMKVMKVM\0\0\0" in EBX, ECX, EDX. */
int gaps_under_kvm(void)
{
	struct cpuid r;

	if (!(cpuid(1, 0).c & CPUID1_ECX_HYPERVISOR))
		return 0;
	r = cpuid(0x40000000, 0);
	return r.b == 0x4b4d564b && r.c == 0x564b4d56 && r.d == 0x4d;
}

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
	switch (g) {
	case GAP_VTD_IR_FAULTS:
		if (known && major >= 10)
			return 0;
		ksnprintf(why, sizeof(why), "QEMU %s%u.%u's intel-iommu records no interrupt-remapping "
			  "fault (7.2 records none; 10.0 does)", known ? "" : "of unknown version ",
			  major, minor);
		return why;
	case GAP_VTD_CFI:
		return "QEMU does not honour GCMD.CFI: a compatibility-format message passes with CFI "
		       "clear (7.2 and 10.0)";
	case GAP_DMA_SOURCE_ID:
		return "QEMU checks no source-id on a device's DMA write to 0xFEExxxxx (7.2 and 10.0)";
	case GAP_AMDVI_EVENTS:
		return "QEMU's amd-iommu writes no event-log entry for a blocked interrupt (10.0.2)";
	case GAP_AMDVI_INTTABLEN:
		return "QEMU's amd-iommu ignores IntTabLen: it reads any index of the table (10.0.2)";
	case GAP_AMDVI_INTCAPXT:
		return "QEMU's amd-iommu has no XT interrupt control registers (0x170, IntCapXTEn): "
		       "no own interrupt in x2APIC mode (10.0.2)";
	case GAP_TSC_ADJUST:
		break;
	}
	return 0;
}
