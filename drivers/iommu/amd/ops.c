// SPDX-License-Identifier: MIT
/*
 * AMD-Vi behind the IOMMU interface (drivers/iommu/iommu.h), AMD 48882 rev
 * 3.08: the IVRS's IOMMUs; an interrupt's IRTE in its device's table,
 * picked by the requester's DeviceID (2.2.5), the message 0xFEE00000 with
 * the index as data; IO_PAGE_FAULT events with I for blocked interrupts
 * (2.5.3); the completion interrupt as the unit's own; and what the
 * iommu.* tests read of its Control register and DTEs. Isolation is by
 * table, not by a source ID in the entry: another device's message goes
 * through the sender's own table and is recorded as nothing.
 */
#include "drivers/iommu/iommu.h"
#include "drivers/iommu/amd/irq_remap.h"
#include "drivers/pci/pci.h"
#include "lib/console.h"
#include "lib/errno.h"

#define MSI_BASE	0xfee00000u

static struct amd_ir_unit *unit(struct iommu_unit *u) { return (struct amd_ir_unit *)u; }

static int a_init(int want_ir, const struct mem_region *map, uint32_t nregions)
{
	amd_ir_init(want_ir, map, nregions);
	for (uint32_t i = 0; i < amd_ir.ivrs.warn.n && i < ACPI_ERRORS_MAX; i++)
		warn("ivrs: %s", amd_ir.ivrs.warn.msg[i]);
	return amd_ir.have_ivrs;
}

static struct iommu_unit *a_remapping_unit(void)
{
	return (struct iommu_unit *)amd_ir_remapping_unit();
}

static int a_set_remapping(struct iommu_unit *u, int on)
{
	return amd_ir_set_remapping(unit(u), on);
}

static int a_handover(struct iommu_unit *u) { return amd_ir_handover(unit(u)); }

static const char *a_unit_error(const struct iommu_unit *u)
{
	return ((const struct amd_ir_unit *)u)->hw.error;
}

/* --- entries ------------------------------------------------------------ */

static void a_entry_read(struct iommu_entry *e)
{
	e->present = amdvi_irte_get(&unit(e->unit)->hw, e->table, e->index, &e->vector, &e->dest);
}

static struct iommu_unit *a_entry_of(const struct irq_desc *irq, struct iommu_entry *e)
{
	struct amdvi_table *t;
	struct amd_ir_unit *u = amd_ir_of(irq, &t, &e->index);

	if (!u)
		return 0;
	e->unit = (struct iommu_unit *)u;
	e->table = t;
	a_entry_read(e);
	return e->unit;
}

static int a_entry_reserve(struct iommu_entry *e)
{
	int j = amdvi_irte_alloc(e->table);	/* allocated, never written: RemapEn clear */

	if (j < 0)
		return j;
	e->index = (uint32_t)j;
	return 0;
}

static void a_entry_release(const struct iommu_entry *e)
{
	amdvi_irte_free(e->table, e->index);
}

static void a_entry_msg(const struct iommu_entry *e, struct msi_msg *m)
{
	*m = (struct msi_msg){ .address_lo = MSI_BASE, .data = e->index };
}

static int a_msg_names(const struct iommu_entry *e, const struct msi_msg *m)
{
	return m->address_lo == MSI_BASE && m->address_hi == 0 && m->data == e->index;
}

/* Every DTE of the table with IntTabLen `len`: 0 or the error. */
static int table_len(struct amd_ir_unit *u, struct amdvi_table *tb, uint32_t len)
{
	int e = 0;

	for (uint32_t i = 0; i < tb->ndevids && !e; i++)
		e = amdvi_dte_set_intr(&u->hw, tb->devids[i], amd_dte_intr(tb->phys, len));
	return e;
}

/* The spare entry bad_index wrote, kept for its undo (one test at a time). */
static int spare = -1;

/* An index beyond the DTE's IntTabLen (2.2.5): the victim's table is cut
 * to the entries below a spare one that names the victim's vector, and
 * the message names the spare. */
static int a_bad_index(struct iommu_entry *v, struct msi_msg *m, struct iommu_report *r)
{
	struct amd_ir_unit *u = unit(v->unit);
	uint32_t len = 0;
	int e;

	spare = amdvi_irte_alloc(v->table);
	if (!iommu_check(r, spare > 0, "no spare IRTE: %d", spare))
		return spare < 0 ? spare : -ENOSPC;
	e = amdvi_irte_set(&u->hw, v->table, (uint32_t)spare, v->vector, v->dest);
	while (!e && (2u << len) <= (uint32_t)spare)
		len++;		/* 2^len <= spare: the spare lies beyond the table */
	iommu_yaml(r, "int_tab_len: %u  # entries 0-%u; the message names %d", len,
		   (1u << len) - 1, spare);
	if (!e)
		e = table_len(u, v->table, len);
	a_entry_msg(&(struct iommu_entry){ .index = (uint32_t)spare }, m);
	iommu_check(r, e == 0, "%s", u->hw.error);
	return e;
}

static int a_bad_index_undo(struct iommu_entry *v)
{
	struct amd_ir_unit *u = unit(v->unit);
	int e = table_len(u, v->table, AMDVI_IRT_LOG2);

	if (spare > 0) {
		if (!e)
			e = amdvi_irte_clear(&u->hw, v->table, (uint32_t)spare);
		amdvi_irte_free(v->table, (uint32_t)spare);
	}
	spare = -1;
	return e;
}

/* --- faults: the event log ---------------------------------------------- */

static int a_fault_take(struct iommu_unit *iu, struct iommu_fault *f)
{
	struct amd_ir_unit *u = unit(iu);
	uint64_t overflows = u->hw.evt_overflows;
	struct amdvi_event e;

	if (!amd_ir_event_take(u, &e))
		return 0;
	*f = (struct iommu_fault){ .code = e.code, .sid = e.devid, .flags = e.flags,
				   .overflow = u->hw.evt_overflows != overflows };
	ksnprintf(f->text, sizeof(f->text), "{code: %s, devid: 0x%04x, flags: 0x%03x, "
		  "address: 0x%lx}", amdvi_event_name(e.code), e.devid, e.flags, e.address);
	return 1;
}

/* An IO_PAGE_FAULT with I for the DeviceID the IOMMU sees the sender as. */
static int a_fault_is(const struct iommu_fault *f, enum iommu_block why,
		      const struct pci_dev *sender)
{
	struct amd_ir_unit *u;
	uint16_t devids[3];

	(void)why;
	return f->code == AMDVI_EVT_IO_PAGE_FAULT && (f->flags & AMDVI_EVT_FLAG_I) &&
	       amd_ir_devids(sender, &u, devids) && f->sid == devids[0];
}

static struct msi_device *a_fault_device(struct iommu_unit *u)
{
	(void)u;
	return 0;	/* its event interrupt is its own_irq */
}

/* msilab leaves the HPET's and IO-APIC's DeviceIDs forwarding. */
static int a_platform_covered(const struct msi_device *dev)
{
	(void)dev;
	return 1;
}

/* --- its own interrupt: the completion interrupt ------------------------ */

static struct msi_device *cw_device(struct iommu_unit **u)
{
	return amd_ir_event_device((struct amd_ir_unit **)u);
}

static uint64_t cw_raise(struct iommu_unit *u) { return amd_ir_comwait_raise(unit(u)); }
static void cw_ack(struct iommu_unit *u) { amd_ir_comwait_ack(unit(u)); }

static void a_own_irq(struct iommu_own_irq *irq)
{
	struct amd_ir_unit *u = amd_ir_remapping_unit();
	int xt = u && u->hw.xt;

	*irq = (struct iommu_own_irq){
		.name = "amdvi-cw", .kind = xt ? "AMD-Vi-XT" : "PCI-MSI", .x2apic_register = xt,
		.absent = "no AMD-Vi unit with remapping on and its PCI function found (QEMU: "
			  "-device amd-iommu,intremap=on; ir=off turns it off)",
		.device = cw_device, .raise = cw_raise, .ack = cw_ack,
	};
}

/* --- what the tests read ------------------------------------------------ */

static void a_firmware_report(struct iommu_report *r)
{
	iommu_yaml(r, "ivinfo: 0x%x", amd_ir.ivrs.ivinfo);
}

static const char *a_firmware_error(void)
{
	return amd_ir.ivrs.err.n ? amd_ir.ivrs.err.msg[0] : 0;
}

static uint32_t a_unit_count(void)
{
	return amd_ir.nunits;
}

/* What the IVHD asks for is in Control and in the DTEs (Linux
 * iommu_init_flags, set_dev_entry_from_acpi): Control as read back, and
 * the passes of every device entry in each DTE it covers. */
static void ivhd_settings(const struct amd_ir_unit *u, struct iommu_report *r)
{
	const struct ivrs *v = &amd_ir.ivrs;
	uint8_t f = u->ivhd->flags;
	uint64_t want = (f & 1 ? AMDVI_CTL_HT_TUN_EN : 0) | (f & 2 ? AMDVI_CTL_PASSPW_EN : 0) |
			(f & 4 ? AMDVI_CTL_RESPASSPW_EN : 0) | (f & 8 ? AMDVI_CTL_ISOC_EN : 0);
	uint64_t mask = AMDVI_CTL_HT_TUN_EN | AMDVI_CTL_PASSPW_EN | AMDVI_CTL_RESPASSPW_EN |
			AMDVI_CTL_ISOC_EN;
	uint64_t ctl = u->hw.ops->read64(u->hw.ctx, AMDVI_CONTROL);
	uint32_t missing = 0, first = 0;

	iommu_check(r, (ctl & mask) == want, "Control 0x%lx: IVHD flags 0x%x ask for 0x%lx", ctl,
		    f, want);
	for (uint32_t i = 0; i < v->ndevs; i++) {
		const struct ivrs_devs *d = &v->devs[i];
		uint64_t pass = amd_dte_pass(d->data);

		if (d->unit != u->ivrs_index || !pass)
			continue;
		for (uint32_t id = d->first; id <= d->last && id < u->hw.ndte; id++)
			if ((amdvi_dte_intr_of(&u->hw, (uint16_t)id) & pass) != pass && !missing++)
				first = id;
	}
	iommu_check(r, !missing, "%u DTEs lack the passes their IVHD entry asks for (first 0x%04x)",
		    missing, first);
}

/* A unit the firmware described wrongly (base, EFR image, registers that
 * do not answer as an IOMMU's) is listed with the reason and left out. */
static int a_unit_report(uint32_t i, struct iommu_report *r)
{
	const struct amd_ir_unit *u = &amd_ir.units[i];
	const struct amdvi_unit *h = &u->hw;

	iommu_yaml(r, "unit%u: {base: 0x%lx, devid: 0x%04x, efr: 0x%lx, efr_image: 0x%lx, ir: %s, "
		   "irte: %s, x2apic: %s, dtes: %u, blocked_devids: %u, pass_devids: %u, "
		   "control: 0x%lx, ivhd_flags: 0x%x, tables: %u, invalidations: %lu, waits: %lu, "
		   "event_overflows: %lu, found: {control: 0x%lx, status: 0x%lx}, "
		   "pci_function: %s, error: \"%s\"}", i, u->ivhd->base, u->ivhd->devid, h->efr_reg,
		   u->ivhd->efr, u->ir_on ? "on" : "off", h->ga ? "128-bit" : "32-bit",
		   h->xt ? "true" : "false", h->ndte, u->blocked_devids, u->pass_devids, h->ctl,
		   u->ivhd->flags, h->ntables, h->invalidations, h->waits, h->evt_overflows,
		   h->found_ctl, h->found_status, u->pci ? "true" : "false", u->error);
	if (!u->probed)
		return -ENODEV;
	iommu_check(r, !amd_ir.want_ir || u->ir_on, "IOMMU 0x%lx: remapping not on: %s",
		    u->ivhd->base, amd_ir.error);
	iommu_check(r, !u->ir_on || h->waits > 0, "remapping on with no completion wait done");
	iommu_check(r, !u->ir_on || u->blocked_devids > 0, "no DTE blocks compatibility messages");
	if (u->ir_on)
		ivhd_settings(u, r);
	return 0;
}

static void a_entry_report(const struct iommu_entry *e, struct iommu_report *r)
{
	const struct amdvi_table *t = e->table;

	iommu_yaml(r, "table: {devid: 0x%04x, root: 0x%lx, entries: %u}", t->devids[0], t->phys,
		   AMDVI_IRT_ENTRIES);
	iommu_yaml(r, "irte: {index: %u, format: %s, remap: %s, vector: 0x%x, dest: %u}", e->index,
		   unit(e->unit)->hw.ga ? "128-bit" : "32-bit", e->present ? "true" : "false",
		   e->vector, e->dest);
}

/* The DeviceIDs the requests may carry (the IVRS alias first, which must
 * be the requester ID the topology gives) lead to the device's table. */
static void a_requester_report(const struct irq_desc *irq, const struct pci_dev *pci,
			       struct iommu_report *r)
{
	struct amd_ir_unit *u, *cu;
	struct amdvi_table *t;
	uint16_t devids[3];
	uint32_t index, n;

	if (!iommu_check(r, (u = amd_ir_of(irq, &t, &index)) != 0, "not remapped"))
		return;
	n = amd_ir_devids(pci, &cu, devids);
	iommu_yaml(r, "ivrs_alias: 0x%04x", n ? devids[0] : 0);
	iommu_check(r, n && devids[0] == pci_requester_id(pci),
		    "the IVRS alias 0x%04x is not the requester ID 0x%04x", n ? devids[0] : 0,
		    pci_requester_id(pci));
	for (uint32_t i = 0; i < n; i++)
		iommu_check(r, amdvi_dte_intr_of(&u->hw, devids[i]) ==
			       amd_dte_intr(t->phys, AMDVI_IRT_LOG2),
			    "the DTE of 0x%04x does not lead to the device's table", devids[i]);
}

/* Found live, and enabled again: QEMU 10.0 remaps messages whatever
 * Control says, so the register is what shows a unit left off (48882
 * 3.4.4: no command runs and nothing is remapped without IommuEn and
 * CmdBufEn). */
static void a_handover_report(struct iommu_unit *iu, struct iommu_report *r)
{
	const struct amdvi_unit *h = &unit(iu)->hw;
	const uint64_t live = AMDVI_CTL_IOMMU_EN | AMDVI_CTL_CMDBUF_EN;
	const uint64_t on = live | AMDVI_CTL_EVTLOG_EN;
	uint64_t ctl = h->ops->read64(h->ctx, AMDVI_CONTROL);

	iommu_yaml(r, "found: {control: 0x%lx, status: 0x%lx}", h->found_ctl, h->found_status);
	iommu_check(r, (h->found_ctl & live) == live, "the live unit was found with Control 0x%lx, "
		    "not running its command buffer", h->found_ctl);
	iommu_yaml(r, "after: {control: 0x%lx}", ctl);
	iommu_check(r, (ctl & on) == on, "after the handover Control is 0x%lx, not enabled", ctl);
}

const struct iommu_ops amdvi_iommu_ops = {
	.name = "amd-vi",
	.qemu_device = "amd-iommu",
	.init = a_init,
	.remapping_unit = a_remapping_unit,
	.off_reason = amd_ir_off_reason,
	.entries_in_use = amd_ir_irtes_in_use,
	.set_remapping = a_set_remapping,
	.handover = a_handover,
	.unit_error = a_unit_error,
	.entry_of = a_entry_of,
	.entry_read = a_entry_read,
	.entry_mask = amd_ir_irte_mask,
	.entry_reserve = a_entry_reserve,
	.entry_release = a_entry_release,
	.entry_msg = a_entry_msg,
	.msg_names = a_msg_names,
	.bad_index = a_bad_index,
	.bad_index_undo = a_bad_index_undo,
	.fault_take = a_fault_take,
	.fault_is = a_fault_is,
	/* Another requester's message, by MSI or DMA, goes through the
	 * sender's own table: nothing to record. */
	.records = 1u << IOMMU_BLOCK_BAD_INDEX | 1u << IOMMU_BLOCK_NOT_PRESENT |
		   1u << IOMMU_BLOCK_COMPAT,
	.fault_device = a_fault_device,
	.own_irq = a_own_irq,
	.platform_covered = a_platform_covered,
	.firmware_report = a_firmware_report,
	.firmware_error = a_firmware_error,
	.unit_count = a_unit_count,
	.unit_report = a_unit_report,
	.entry_report = a_entry_report,
	.requester_report = a_requester_report,
	.handover_report = a_handover_report,
	.entry_off = "an IRTE with RemapEn clear",
	.table_per_device = 1,
};
