// SPDX-License-Identifier: MIT
/*
 * The interrupt sources of this machine: each device driver's interrupts
 * with a trigger that stamps the TSC just before the raising write, and
 * what the harness knows of the device under QEMU (docs/qemu.md).
 * Between a trigger's TSC read and its raising write nothing else may
 * run (make bench's -icount figures count every instruction there): a
 * trigger works on a local copy of its device, which the register writes
 * cannot alias, with the register address loaded before the stamp. The
 * HPET's trigger is the exception: its figure runs from the comparator's
 * due time, so it reads the counter as soon after the stamp as it can.
 */
#include "tests/harness/sources.h"
#include "tests/harness/gaps.h"
#include "drivers/idxd/instance.h"
#include "drivers/iommu/iommu.h"
#include "drivers/misc/edu.h"
#include "drivers/net/e1000e.h"
#include "drivers/net/igb.h"
#include "drivers/timer/hpet_fsb.h"
#include "arch/x86/cpu.h"
#include "arch/x86/platform.h"
#include "arch/x86/tsc.h"
#include "lib/errno.h"
#include "lib/stats.h"
#include "lib/string.h"

#define HPET_DUE_US	20	/* the comparator is armed this far ahead */

static struct edu *edu;
static struct e1000e e1000e;
static struct igb igb;
static struct hpet_fsb hpet;

/* --- edu: PCI-MSI ------------------------------------------------------ */

static uint64_t edu_trigger(struct irq_source *s, uint32_t i)
{
	const struct edu e = *edu;
	uint64_t t0;

	(void)s;
	(void)i;
	asm volatile("" : : "r"(e.mmio));	/* loaded before the stamp, like the others */
	t0 = rdtsc();
	edu_raise(&e);
	return t0;
}

static int edu_source_ack(struct irq_source *s, uint32_t i)
{
	(void)s;
	(void)i;
	edu_ack(edu);
	return 1;
}

static void edu_source(struct irq_source *s)
{
	int e = edu_get(0, &edu);

	*s = (struct irq_source){ .name = "edu", .kind = "PCI-MSI", .nvec = 1,
				  .trigger = edu_trigger, .ack = edu_source_ack };
	if (e == -ENODEV)
		ksnprintf(s->absent, sizeof(s->absent), "no edu device (QEMU: -device edu)");
	else if (e)
		ksnprintf(s->absent, sizeof(s->absent), "%s", edu->error);
	else
		s->dev = &edu->dev;
}

/* --- e1000e: PCI-MSIX ---------------------------------------------------- */

/*
 * QEMU 10's e1000e sends each vector's message at once, inside the ICS
 * write, and again when the vector's throttling timer expires, 500 x 256 ns
 * later, whether or not anything waited (hw/net/e1000e_core.c:
 * e1000e_msix_notify_one, e1000e_intrmgr_on_msix_throttling_timer; EITR
 * cannot go below E1000E_MIN_XITR). The second message has no cause in
 * ICR, and that tells it apart. Reading ICR clears every cause, so what
 * one handler reads is kept for the others (`causes`: a re-send handled on
 * one CPU must not take another vector's fresh cause with it); and a
 * vector is raised again only once its previous re-send is in (bounded,
 * generously: under TCG a halted CPU takes milliseconds to wake), so that
 * a late re-send is never taken for the new trigger's message. A vector
 * masked across its message gets no re-send and waits the whole bound,
 * so the bound stays short. On hardware, with EITR 0, nothing is re-sent
 * and nothing waits.
 */
#define E1000E_RESEND_WAIT_MS	20
#define E1000E_CHECK_WAIT_MS	100	/* a loaded host runs QEMU's timers late */

static uint32_t e1000e_causes;			/* read from ICR, not yet claimed */
static volatile uint8_t e1000e_resend_due[E1000E_NVEC];

static uint64_t e1000e_trigger(struct irq_source *s, uint32_t i)
{
	const struct e1000e e = e1000e;
	uint64_t t0;

	(void)s;
	if (e1000e_resend_due[i])
		(void)wait_ms(!e1000e_resend_due[i], E1000E_RESEND_WAIT_MS);
	e1000e_resend_due[i] = 0;
	e1000e_cause_clear(&e, i);	/* raise it anew */
	t0 = rdtsc();
	e1000e_cause_set(&e, i);
	return t0;
}

static int e1000e_source_ack(struct irq_source *s, uint32_t i)
{
	uint32_t mine = E1000E_CAUSE(i);
	uint32_t had = __atomic_fetch_or(&e1000e_causes, e1000e_ack(&e1000e), __ATOMIC_ACQ_REL);

	(void)s;
	had |= __atomic_fetch_and(&e1000e_causes, ~mine, __ATOMIC_ACQ_REL);
	if (had & mine) {
		e1000e_resend_due[i] = platform_is_qemu();
		return 1;
	}
	e1000e_resend_due[i] = 0;
	return 0;
}

static void count_hit(uint64_t tsc, void *arg)
{
	(void)tsc;
	__atomic_add_fetch((volatile uint32_t *)arg, 1, __ATOMIC_RELAXED);
}

/*
 * With MSI-X on, a cause read from ICR must be gone from it (clear on
 * read, 82574 10.2.4): else a handler cannot tell a message's cause from a
 * re-send's. QEMU 7.2's e1000e keeps it (its e1000e_mac_icr_read clears ICR
 * on a read only while IMS is 0): 1 then. Learnt from one cause raised on
 * vector 0, whose re-send (QEMU 10.0, above) is waited for before the
 * vector goes: after the free it would wait in the PBA, pending for
 * whoever looks next (in CI it did). The two messages merge into one
 * when the re-send comes while interrupts are still off: then the bound
 * runs out, once, with nothing left to come.
 */
static int e1000e_icr_kept(void)
{
	static volatile uint32_t hits;
	struct irq_desc *irq;
	uint32_t kept;

	if (msi_alloc_irqs(&e1000e.dev, 0, 1, 0, &irq))
		return 0;
	irq_request(irq, count_hit, (void *)&hits);
	/* Interrupts off meanwhile: QEMU 7.2 sends again for a cause that
	 * stays, as fast as the CPU takes them. */
	irq_disable();
	e1000e_cause_set(&e1000e, 0);
	(void)e1000e_ack(&e1000e);
	kept = e1000e_ack(&e1000e) & E1000E_CAUSE(0);
	e1000e_cause_clear(&e1000e, 0);
	irq_enable();
	if (platform_is_qemu())
		(void)wait_ms(hits >= 2, E1000E_CHECK_WAIT_MS);
	msi_free_irqs(&irq, 1);
	return kept != 0;
}

static void e1000e_source(struct irq_source *s)
{
	int e = e1000e_probe(&e1000e);

	*s = (struct irq_source){ .name = "e1000e", .kind = "PCI-MSIX", .nvec = E1000E_NVEC,
				  .has_pending = 1, .trigger = e1000e_trigger, .ack = e1000e_source_ack };
	if (e == -ENODEV)
		ksnprintf(s->absent, sizeof(s->absent), "no e1000e (QEMU: -device e1000e)");
	else if (e)
		ksnprintf(s->absent, sizeof(s->absent), "%s", e1000e.error);
	else if (e1000e_icr_kept())
		ksnprintf(s->absent, sizeof(s->absent), "this e1000e keeps ICR after a read with "
			  "MSI-X on (QEMU 7.2's model): its messages cannot be told from re-sends");
	else
		s->dev = &e1000e.dev;
}

/* --- igb: PCI-MSIX ------------------------------------------------------- */

static uint64_t igb_trigger(struct irq_source *s, uint32_t i)
{
	const struct igb g = igb;
	uint64_t t0;

	(void)s;
	igb_rearm(&g, i);
	t0 = rdtsc();
	igb_raise(&g, i);
	return t0;
}

static void igb_source(struct irq_source *s)
{
	int e = igb_probe(&igb);

	*s = (struct irq_source){ .name = "igb", .kind = "PCI-MSIX", .nvec = igb.nvec,
				  .has_pending = 1, .trigger = igb_trigger };
	if (e == -ENODEV)
		ksnprintf(s->absent, sizeof(s->absent),
			  "no igb (QEMU 10: -device igb; QEMU 7.2 has none)");
	else if (e)
		ksnprintf(s->absent, sizeof(s->absent), "%s", igb.error);
	else
		s->dev = &igb.dev;
}

/* --- hpet: an HPET timer's FSB route, DEV-MSI ------------------------------ */

/* Armed HPET_DUE_US ahead; the due time in TSC from the read just after t0. */
static uint64_t hpet_trigger(struct irq_source *s, uint32_t i)
{
	uint64_t delta = hpet_hz() * HPET_DUE_US / 1000000, t0;

	(void)s;
	(void)i;
	t0 = rdtsc();
	hpet_fsb_arm(&hpet, delta);
	return t0 + mul_div_u64(delta, tsc.hz, hpet_hz());
}

static void hpet_quiesce(struct irq_source *s)
{
	(void)s;
	hpet_fsb_park(&hpet);
}

static void hpet_source(struct irq_source *s)
{
	int e = hpet_fsb_probe(&hpet);

	*s = (struct irq_source){ .name = "hpet", .kind = "DEV-MSI", .nvec = 1,
				  .trigger = hpet_trigger, .quiesce = hpet_quiesce };
	if (e == -ENODEV && hpet_base())
		ksnprintf(s->absent, sizeof(s->absent), "%s (QEMU: -global hpet.msi=on)", hpet.error);
	else if (e)
		ksnprintf(s->absent, sizeof(s->absent), "%s", hpet.error);
	else if (iommu_ir_enabled() && !iommu_platform_covered(&hpet.dev))
		/* QEMU's DMAR has no HPET scope, and QEMU sends HPET messages past
		 * the IOMMU: on hardware a compatibility-format one is blocked. */
		ksnprintf(s->absent, sizeof(s->absent), "interrupt remapping is on and no IOMMU "
			  "unit's scope names HPET %u: its messages cannot be remapped", hpet_number());
	else
		s->dev = &hpet.dev;
}

/* --- the IOMMU unit's own interrupt (drivers/iommu/iommu.h: its name and
 * route are the family's) ------------------------------------------------- */

static struct iommu_own_irq own;
static struct iommu_unit *own_unit;

static uint64_t own_trigger(struct irq_source *s, uint32_t i)
{
	(void)s;
	(void)i;
	return own.raise(own_unit);
}

static int own_ack(struct irq_source *s, uint32_t i)
{
	(void)s;
	(void)i;
	own.ack(own_unit);
	return 1;
}

static void iommu_source(struct irq_source *s)
{
	const struct iommu_ops *f = iommu();
	const char *gap;

	if (!f) {
		*s = (struct irq_source){ .name = "iommu", .kind = "none", .nvec = 1 };
		ksnprintf(s->absent, sizeof(s->absent), "no IOMMU: %s", iommu_ir_off_reason());
		return;
	}
	f->own_irq(&own);
	gap = own.x2apic_register ? platform_gap(GAP_IOMMU_OWN_IRQ_X2APIC) : 0;
	*s = (struct irq_source){ .name = own.name, .kind = own.kind, .nvec = 1,
				  .has_pending = own.has_pending, .trigger = own_trigger,
				  .ack = own_ack };
	/* Decided from the platform before anything is measured. */
	if (gap) {
		ksnprintf(s->absent, sizeof(s->absent), "%s", gap);
		return;
	}
	s->dev = own.device(&own_unit);
	if (!s->dev)
		ksnprintf(s->absent, sizeof(s->absent), "%s", own.absent);
}

/* --- the registry ---------------------------------------------------------- */

static struct irq_source sources[5];

/* The unit's fault event's device lives as long as its unit: made here,
 * before any test, like every source's (the runner counts domains). */
static void iommu_fault_device(void)
{
	if (iommu())
		(void)iommu()->fault_device(iommu_remapping_unit());
}

void sources_init(void)
{
	edu_source(&sources[0]);
	e1000e_source(&sources[1]);
	igb_source(&sources[2]);
	hpet_source(&sources[3]);
	iommu_source(&sources[4]);
	idxd_init();	/* DSA/IAA: their IMS domains live as long as the run */
	iommu_fault_device();
}

struct irq_source *source_get(const char *name)
{
	for (uint32_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (sources[i].name && !strcmp(sources[i].name, name))
			return &sources[i];
	return 0;
}
