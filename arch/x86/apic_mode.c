// SPDX-License-Identifier: MIT
/* The local APIC mode decision (arch/x86/apic_mode.h): pure. */
#include "arch/x86/apic_mode.h"

#define XAPIC_ID_MAX	254	/* 255 is the broadcast ID */

struct apic_decision apic_mode_decide(const struct apic_facts *f)
{
	struct apic_decision d = { .mode = LAPIC_X2APIC, .reason = APIC_REASON_AVAILABLE };

	if (f->locked) {
		d.reason = APIC_REASON_LOCKED;
		d.overridden = f->request == LAPIC_WANT_XAPIC;
		return d;
	}
	if (!f->has_x2apic) {
		d.mode = LAPIC_XAPIC;
		d.reason = f->request == LAPIC_AUTO ? APIC_REASON_NO_X2APIC : APIC_REASON_REQUESTED;
		d.overridden = f->request == LAPIC_WANT_X2APIC;
		if (d.overridden)
			d.reason = APIC_REASON_NO_X2APIC;
		return d;
	}
	if (f->request != LAPIC_AUTO) {
		d.mode = f->request == LAPIC_WANT_X2APIC ? LAPIC_X2APIC : LAPIC_XAPIC;
		d.reason = APIC_REASON_REQUESTED;
		return d;
	}
	if (f->dmar_opt_out && !f->bios_enabled_x2apic && f->max_apic_id <= XAPIC_ID_MAX) {
		d.mode = LAPIC_XAPIC;
		d.reason = APIC_REASON_DMAR_OPT_OUT;
		return d;
	}
	if (f->max_apic_id > XAPIC_ID_MAX) {
		d.reason = APIC_REASON_WIDE_IDS;
		return d;
	}
	if (f->bare_metal && !f->remapping && !f->bios_enabled_x2apic) {
		d.mode = LAPIC_XAPIC;
		d.reason = APIC_REASON_NO_REMAPPING;
	}
	return d;
}

const char *apic_reason_name(enum apic_reason r)
{
	static const char *const names[] = {
		[APIC_REASON_REQUESTED] = "requested", [APIC_REASON_NO_X2APIC] = "no-x2apic",
		[APIC_REASON_LOCKED] = "locked", [APIC_REASON_DMAR_OPT_OUT] = "dmar-opt-out",
		[APIC_REASON_NO_REMAPPING] = "no-remapping", [APIC_REASON_WIDE_IDS] = "wide-apic-ids",
		[APIC_REASON_AVAILABLE] = "available",
	};

	return r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}
