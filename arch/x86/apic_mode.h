/* SPDX-License-Identifier: MIT */
/*
 * Which local APIC mode to run, from the facts of the machine: a pure
 * decision table, host-tested (tests/host/test_apic_mode.c). The rules:
 * a BIOS-locked x2APIC is never left (SDM Vol. 3A 10.12.5; IA32_ARCH_
 * CAPABILITIES bit 21 and IA32_XAPIC_DISABLE_STATUS bit 0); apic= on the
 * command line is followed where the CPU allows; otherwise (auto) xAPIC
 * where the CPU has no x2APIC, where the DMAR asks for opt-out (VT-d 4.1,
 * 8.1, flags bit 1) and the BIOS did not enable x2APIC itself (as FreeBSD's
 * madt.c), and on bare metal without interrupt remapping while every APIC
 * ID fits 8 bits (no MSI reaches an x2APIC-only ID without remapping);
 * else x2APIC.
 */
#ifndef ARCH_X86_APIC_MODE_H
#define ARCH_X86_APIC_MODE_H

#include <stdint.h>
#include "arch/x86/lapic.h"

struct apic_facts {
	enum lapic_request request;	/* apic= */
	int has_x2apic;			/* CPUID.1:ECX[21] */
	int bios_enabled_x2apic;	/* IA32_APIC_BASE.EXTD at handover */
	int locked;			/* the BIOS locked x2APIC on */
	int dmar_opt_out;		/* the DMAR's X2APIC_OPT_OUT flag */
	int bare_metal;			/* no hypervisor */
	int remapping;			/* interrupt remapping will be on */
	uint32_t max_apic_id;		/* the MADT's highest */
};

enum apic_reason {
	APIC_REASON_REQUESTED,		/* apic= on the command line */
	APIC_REASON_NO_X2APIC,		/* the CPU has none */
	APIC_REASON_LOCKED,		/* the BIOS locked x2APIC */
	APIC_REASON_DMAR_OPT_OUT,	/* the DMAR asks for xAPIC */
	APIC_REASON_NO_REMAPPING,	/* bare metal, no remapping, IDs fit xAPIC */
	APIC_REASON_WIDE_IDS,		/* APIC IDs above 254 need x2APIC */
	APIC_REASON_AVAILABLE,		/* auto: the CPU has it */
};

struct apic_decision {
	enum lapic_mode mode;
	enum apic_reason reason;
	int overridden;			/* apic= could not be followed */
};

struct apic_decision apic_mode_decide(const struct apic_facts *f);
/* "requested", "no-x2apic", "locked", "dmar-opt-out", "no-remapping",
 * "wide-apic-ids", "available": the header's apic_reason= value. */
const char *apic_reason_name(enum apic_reason r);

#endif
