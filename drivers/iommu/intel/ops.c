// SPDX-License-Identifier: MIT
/*
 * VT-d behind the IOMMU interface (drivers/iommu/iommu.h): the DMAR's
 * units, an interrupt's IRTE (VT-d 4.1, 9.10) and its remappable message
 * (5.1.5.2), fault records (7.1.3; reasons 0x20-0x26), the invalidation
 * completion event as the unit's own interrupt, and what the iommu.*
 * tests read of the unit's registers.
 */
#include "drivers/iommu/iommu.h"
#include "drivers/iommu/intel/irq_remap.h"
#include "drivers/pci/pci.h"
#include "lib/console.h"
#include "lib/errno.h"

static struct ir_unit *unit(struct iommu_unit *u) { return (struct ir_unit *)u; }

static int v_init(int want_ir, const struct mem_region *map, uint32_t nregions)
{
	ir_init(want_ir, map, nregions);
	if (!ir.have_dmar)
		return 0;
	if (ir.error[0])
		warn("iommu: %s", ir.error);
	for (uint32_t i = 0; i < ir.dmar.warn.n && i < ACPI_ERRORS_MAX; i++)
		if (!ir.rejected)	/* a rejection already named the unit */
			warn("dmar: %s", ir.dmar.warn.msg[i]);
	if (ir.dmar.ntype[DMAR_RMRR] || ir.dmar.ntype[DMAR_SATC])
		warn("dmar: %u RMRR and %u SATC structures not applied: msilab leaves DMA "
		     "untranslated, so what they reserve stays reachable", ir.dmar.ntype[DMAR_RMRR],
		     ir.dmar.ntype[DMAR_SATC]);
	return 1;
}

static struct iommu_unit *v_remapping_unit(void)
{
	return (struct iommu_unit *)ir_remapping_unit();
}

static int v_set_remapping(struct iommu_unit *u, int on) { return ir_set_remapping(unit(u), on); }
static int v_handover(struct iommu_unit *u) { return ir_handover(unit(u)); }

static const char *v_unit_error(const struct iommu_unit *u)
{
	return ir_unit_error((const struct ir_unit *)u);
}

/* --- entries ------------------------------------------------------------ */

static void v_entry_read(struct iommu_entry *e)
{
	struct ir_unit *u = unit(e->unit);
	struct irte ent = ir_irte_read(u, e->index);

	e->present = !!(ent.lo & IRTE_P);
	e->vector = (uint8_t)IRTE_VECTOR_OF(ent.lo);
	e->dest = (uint32_t)(u->vtd.x2apic ? IRTE_DST_X2APIC_OF(ent.lo) : IRTE_DST_XAPIC_OF(ent.lo));
}

static struct iommu_unit *v_entry_of(const struct irq_desc *irq, struct iommu_entry *e)
{
	struct ir_unit *u = ir_of(irq, &e->index);

	if (!u)
		return 0;
	e->unit = (struct iommu_unit *)u;
	e->table = u;
	v_entry_read(e);
	return e->unit;
}

static int v_entry_reserve(struct iommu_entry *e)
{
	int i = ir_irte_reserve(unit(e->unit));	/* allocated, never written: not present */

	if (i < 0)
		return i;
	e->index = (uint32_t)i;
	return 0;
}

static void v_entry_release(const struct iommu_entry *e)
{
	ir_irte_release(unit(e->unit), e->index);
}

static void v_entry_msg(const struct iommu_entry *e, struct msi_msg *m)
{
	ir_msg_compose(e->index, 0, 0, m);
}

static int v_msg_names(const struct iommu_entry *e, const struct msi_msg *m)
{
	return ir_msg_index(m) == (int)e->index;
}

/* A handle beyond the table (IRTA.S): fault 0x21 (VT-d 4.1, 5.1.4.1). */
static int v_bad_index(struct iommu_entry *victim, struct msi_msg *m, struct iommu_report *r)
{
	(void)victim;
	(void)r;
	ir_msg_compose(VTD_IRT_ENTRIES + 5, 0, 0, m);
	return 0;
}

static int v_bad_index_undo(struct iommu_entry *victim)
{
	(void)victim;
	return 0;
}

/* --- faults ------------------------------------------------------------- */

static int v_fault_take(struct iommu_unit *u, struct iommu_fault *f)
{
	struct vtd_fault v;

	if (!ir_fault_take(unit(u), &v))
		return 0;
	*f = (struct iommu_fault){ .code = v.reason, .sid = v.sid, .overflow = v.overflow };
	ksnprintf(f->text, sizeof(f->text), "{reason: 0x%x, sid: 0x%x, index: %u}", v.reason, v.sid,
		  v.index);
	return 1;
}

static const uint8_t reasons[IOMMU_BLOCKS] = {
	[IOMMU_BLOCK_BAD_INDEX] = VTD_FR_IR_INDEX_OVER,
	[IOMMU_BLOCK_NOT_PRESENT] = VTD_FR_IR_ENTRY_P,
	[IOMMU_BLOCK_WRONG_SOURCE] = VTD_FR_IR_SID_ERR,
	[IOMMU_BLOCK_COMPAT] = VTD_FR_IR_REQ_COMPAT,
	[IOMMU_BLOCK_DMA] = VTD_FR_IR_SID_ERR,
};

static int v_fault_is(const struct iommu_fault *f, enum iommu_block why,
		      const struct pci_dev *sender)
{
	(void)sender;
	return f->code == reasons[why];
}

static struct msi_device *v_fault_device(struct iommu_unit *u)
{
	struct ir_unit *first;

	(void)u;
	return ir_fault_event_device(&first);
}

static int v_platform_covered(const struct msi_device *dev)
{
	return ir_platform_covered(dev);
}

/* --- its own interrupt: the invalidation completion event --------------- */

static struct msi_device *inv_device(struct iommu_unit **u)
{
	return ir_inv_event_device((struct ir_unit **)u);
}

static uint64_t inv_raise(struct iommu_unit *u) { return ir_inv_event_raise(unit(u)); }
static void inv_ack(struct iommu_unit *u) { ir_inv_event_ack(unit(u)); }

static void v_own_irq(struct iommu_own_irq *irq)
{
	*irq = (struct iommu_own_irq){
		.name = "vtd-inv", .kind = "DEV-MSI", .has_pending = 1,
		.absent = "no VT-d unit with queued invalidation on (QEMU: -device "
			  "intel-iommu,intremap=on; ir=off turns it off)",
		.device = inv_device, .raise = inv_raise, .ack = inv_ack,
	};
}

/* --- what the tests read ------------------------------------------------ */

static void v_firmware_report(struct iommu_report *r)
{
	iommu_yaml(r, "dmar_flags: 0x%x", ir.dmar.flags);
}

static const char *v_firmware_error(void)
{
	/* A rejected DMAR is the SKIP's reason already. */
	return ir.rejected || !ir.dmar.err.n ? 0 : ir.dmar.err.msg[0];
}

static uint32_t v_unit_count(void)
{
	return ir.nunits;
}

static int v_unit_report(uint32_t i, struct iommu_report *r)
{
	const struct ir_unit *u = &ir.units[i];
	const struct vtd_unit *h = &u->vtd;
	int coherent = !!(h->ecap & VTD_ECAP_C);

	if (ir.rejected) {
		iommu_yaml(r, "unit%u: {base: 0x%lx, segment: %u}", i, u->drhd->base,
			   u->drhd->segment);
		return -ENODEV;
	}
	iommu_yaml(r, "unit%u: {base: 0x%lx, ver: 0x%x, cap: 0x%lx, ecap: 0x%lx, scopes: %u, "
		   "include_pci_all: %s, ir: %s, x2apic: %s, invalidations: %lu, coherent: %s, "
		   "flushes: %lu, found: {gsts: 0x%x, fsts: 0x%x, pmen: 0x%x, faults: %u}, "
		   "unresolved_scopes: %u}", i, u->drhd->base, h->ver, h->cap, h->ecap,
		   u->drhd->nscopes, u->drhd->flags & DRHD_INCLUDE_PCI_ALL ? "true" : "false",
		   u->ir_on ? "on" : "off", h->x2apic ? "true" : "false", h->invalidations,
		   coherent ? "true" : "false", h->flushes, h->found_gsts, h->found_fsts,
		   h->found_pmen, h->found_faults, u->unresolved);
	iommu_check(r, u->probed, "unit 0x%lx: %s", u->drhd->base, h->error);
	iommu_check(r, !ir.want_ir || u->ir_on || !(ir.dmar.flags & DMAR_FLAG_INTR_REMAP),
		    "unit 0x%lx: remapping not on: %s", u->drhd->base, h->error);
	iommu_check(r, !(h->gcmd & VTD_GCMD_CFI), "CFI set: compatibility interrupts allowed");
	iommu_check(r, coherent || !u->ir_on || h->flushes > 0,
		    "unit 0x%lx does not snoop, and no table write was written back", u->drhd->base);
	return 0;
}

static void v_entry_report(const struct iommu_entry *e, struct iommu_report *r)
{
	struct irte ent = ir_irte_read(unit(e->unit), e->index);

	iommu_yaml(r, "irte: {index: %u, lo: 0x%lx, hi: 0x%lx}", e->index, ent.lo, ent.hi);
}

/* SVT 01 with the requester ID (VT-d 4.1, 9.10: SID, SQ 00). */
static void v_requester_report(const struct irq_desc *irq, const struct pci_dev *pci,
			       struct iommu_report *r)
{
	uint32_t index;
	struct ir_unit *u = ir_of(irq, &index);
	struct irte ent;

	if (!iommu_check(r, u != 0, "not remapped"))
		return;
	ent = ir_irte_read(u, index);
	iommu_yaml(r, "irte_sid: 0x%04lx", IRTE_SID_OF(ent.hi));
	iommu_check(r, IRTE_SID_OF(ent.hi) == pci_requester_id(pci) &&
		       (ent.hi & IRTE_SVT_MASK) == IRTE_SVT_RID,
		    "IRTE does not check requester ID 0x%x: 0x%lx", pci_requester_id(pci), ent.hi);
}

static void v_handover_report(struct iommu_unit *u, struct iommu_report *r)
{
	const struct vtd_unit *h = &unit(u)->vtd;

	iommu_yaml(r, "found: {gsts: 0x%x, fsts: 0x%x, pmen: 0x%x, faults: %u}", h->found_gsts,
		   h->found_fsts, h->found_pmen, h->found_faults);
	iommu_check(r, (h->found_gsts & (VTD_GCMD_IRE | VTD_GCMD_QIE)) ==
		       (VTD_GCMD_IRE | VTD_GCMD_QIE), "the live unit was found with GSTS 0x%x, "
		    "not remapping with queued invalidation", h->found_gsts);
}

const struct iommu_ops vtd_iommu_ops = {
	.name = "vt-d",
	.qemu_device = "intel-iommu",
	.init = v_init,
	.remapping_unit = v_remapping_unit,
	.off_reason = ir_off_reason,
	.entries_in_use = ir_irtes_in_use,
	.set_remapping = v_set_remapping,
	.handover = v_handover,
	.unit_error = v_unit_error,
	.entry_of = v_entry_of,
	.entry_read = v_entry_read,
	.entry_mask = ir_irte_mask,
	.entry_reserve = v_entry_reserve,
	.entry_release = v_entry_release,
	.entry_msg = v_entry_msg,
	.msg_names = v_msg_names,
	.bad_index = v_bad_index,
	.bad_index_undo = v_bad_index_undo,
	.fault_take = v_fault_take,
	.fault_is = v_fault_is,
	.records = (1u << IOMMU_BLOCKS) - 1,
	.fault_device = v_fault_device,
	.own_irq = v_own_irq,
	.platform_covered = v_platform_covered,
	.firmware_report = v_firmware_report,
	.firmware_error = v_firmware_error,
	.unit_count = v_unit_count,
	.unit_report = v_unit_report,
	.entry_report = v_entry_report,
	.requester_report = v_requester_report,
	.handover_report = v_handover_report,
	.entry_off = "a non-present IRTE",
	.table_per_device = 0,
};
