// SPDX-License-Identifier: MIT
/*
 * AMD-Vi units from the IVRS, the device-to-unit mapping by requester ID,
 * and the remapping domain (drivers/iommu/amd/irq_remap.h). The shape is
 * Linux's drivers/iommu/amd/iommu.c IR section (irq_remapping_alloc,
 * alloc_irq_table with its aliases, amd_ir_set_affinity, fill_msi_msg),
 * with one interrupt table per DeviceID the IOMMU sees.
 */
#include "drivers/iommu/amd/irq_remap.h"
#include "drivers/acpi/acpi.h"
#include "drivers/pci/pci.h"
#include "drivers/pci/msi.h"
#include "msi/vector_domain.h"
#include "arch/x86/cpu.h"
#include "arch/x86/exception.h"
#include "arch/x86/lapic.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"
#include "lib/bits.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/pfa.h"
#include "lib/printf.h"
#include "lib/string.h"

#define MMIO_SIZE	0x4000	/* the registers this driver uses lie in 16 KiB */

struct amd_ir_state amd_ir;

/* --- register access: MMIO ------------------------------------------- */

static uint64_t m_r64(void *ctx, uint32_t off) { return mmio_read64(*(uint64_t *)ctx + off); }

static void m_w64(void *ctx, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)(*(uint64_t *)ctx + off) = v;
}

static uint64_t m_now_us(void)
{
	return tsc_to_ns(rdtsc()) / 1000;
}

static void *m_pages(uint32_t n, uint64_t *phys)
{
	uint64_t p = pfa_alloc(&pfa, n, PAGE_SIZE, ~0ull);

	if (!p)
		return 0;
	memset((void *)(uintptr_t)p, 0, (size_t)n * PAGE_SIZE);
	*phys = p;
	return (void *)(uintptr_t)p;
}

static const struct amdvi_ops mmio_ops = {
	.read64 = m_r64, .write64 = m_w64, .now_us = m_now_us, .alloc_pages = m_pages,
};

/* --- which unit covers a device --------------------------------------- */

static struct amd_ir_unit *unit_of_ivrs(int i)
{
	for (uint32_t k = 0; k < amd_ir.nunits; k++)
		if ((int)amd_ir.units[k].ivrs_index == i)
			return &amd_ir.units[k];
	return 0;
}

uint32_t amd_ir_devids(const struct pci_dev *pci, struct amd_ir_unit **u, uint16_t *devids)
{
	uint16_t rid = pci_rid(pci), alias, req = pci_requester_id(pci);
	struct amd_ir_unit *unit = unit_of_ivrs(ivrs_lookup(&amd_ir.ivrs, pci->seg, rid, &alias));
	uint32_t n = 0;

	/* The IOMMU's own function is not remapped (Linux drops it from its
	 * IVHD's devices: "this is a lie"). */
	if (!unit || !unit->ir_on || rid == unit->ivhd->devid)
		return 0;
	*u = unit;
	devids[n++] = alias;
	/* The function's own ID, and the one the topology gives where the
	 * IVRS did not alias a PCIe-to-PCI bridge; not beyond the device
	 * table (sized from the IVRS): such an ID is not this IOMMU's. */
	if (rid != alias && rid < unit->hw.ndte)
		devids[n++] = rid;
	if (req != alias && req != rid && req < unit->hw.ndte)
		devids[n++] = req;
	return n;
}

static struct irq_domain *lookup(const struct msi_device *dev)
{
	struct amd_ir_unit *u;
	uint16_t devids[3];

	/* Platform devices (the HPET) keep the vector domain: their DeviceIDs'
	 * DTEs forward compatibility messages (see blocking_dtes). */
	if (!dev->pci || !amd_ir_devids(dev->pci, &u, devids))
		return 0;
	return &u->domain;
}

/* --- the remapping domain --------------------------------------------- */

static struct amd_ir_unit *unit_of(struct irq_data *d)
{
	return d->domain->host_data;
}

static int irte_write(struct irq_data *d)
{
	struct irq_data *v = d->parent;	/* the vector level */

	return amdvi_irte_set(&unit_of(d)->hw, d->chip_data, d->hwirq, (uint8_t)v->hwirq,
			      cpus[v->hwirq >> 8].apic_id);
}

static int r_compose(struct irq_data *d, struct msi_msg *msg)
{
	return amd_msg_compose(d->hwirq, msg) ? -ERANGE : 0;
}

static int r_set_affinity(struct irq_data *d, uint32_t cpu)
{
	int e;

	(void)cpu;
	e = irte_write(d);
	return e ? e : IRQ_AFFINITY_DONE;	/* the device's message stays as it is */
}

static const struct irq_chip remap_chip = {
	.name = "AMD-IR",
	.set_affinity = r_set_affinity,
	.compose_msi_msg = r_compose,
};

static int r_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *info)
{
	struct msi_device *dev = d->desc->levels[0].domain->owner;
	struct amd_ir_unit *u = dom->host_data, *cover;
	struct amdvi_table *t;
	uint16_t devids[3];
	uint32_t n;
	int i;

	(void)info;
	if (!dev || !dev->pci || !(n = amd_ir_devids(dev->pci, &cover, devids)) || cover != u)
		return -EINVAL;
	if (!(t = amdvi_table_get(&u->hw, devids, n)))
		return -ENOSPC;
	if ((i = amdvi_irte_alloc(t)) < 0)
		return i;
	d->hwirq = (uint32_t)i;
	d->chip = &remap_chip;
	d->chip_data = t;
	return 0;
}

static void r_free(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	amdvi_irte_free(d->chip_data, d->hwirq);
}

static int r_activate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	return irte_write(d);
}

static void r_deactivate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	if (amdvi_irte_clear(&unit_of(d)->hw, d->chip_data, d->hwirq))
		irq_stats.errors++;	/* the unit's error says why */
}

static const struct irq_domain_ops remap_ops = {
	.alloc = r_alloc,
	.free = r_free,
	.activate = r_activate,
	.deactivate = r_deactivate,
};

struct amd_ir_unit *amd_ir_of(const struct irq_desc *desc, struct amdvi_table **t,
			      uint32_t *index)
{
	for (uint32_t i = 0; i < desc->nlevels; i++) {
		if (desc->levels[i].domain->ops == &remap_ops) {
			*index = desc->levels[i].hwirq;
			*t = desc->levels[i].chip_data;
			return desc->levels[i].domain->host_data;
		}
	}
	return 0;
}

int amd_ir_irte_mask(struct irq_desc *desc, int masked)
{
	struct amdvi_table *t;
	uint32_t index;
	struct amd_ir_unit *u = amd_ir_of(desc, &t, &index);

	if (!u)
		return -ENOTSUP;
	return amdvi_irte_enable(&u->hw, t, index, !masked);
}

uint32_t amd_ir_irtes_in_use(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < amd_ir.nunits; i++)
		for (uint32_t k = 0; k < amd_ir.units[i].hw.ntables; k++)
			for (uint32_t w = 0; w < AMDVI_IRT_ENTRIES / 64; w++)
				n += popcount64(amd_ir.units[i].hw.tables[k].used[w]);
	return n;
}

/* --- bring-up ---------------------------------------------------------- */

static int special_devid(uint32_t unit, uint16_t devid)
{
	for (uint32_t i = 0; i < amd_ir.ivrs.nspecials; i++)
		if (amd_ir.ivrs.specials[i].unit == unit && amd_ir.ivrs.specials[i].devid == devid)
			return 1;
	return 0;
}

/* The highest DeviceID the IVRS gives the unit (Linux: last_bdf). */
static uint32_t last_devid(uint32_t unit)
{
	uint32_t last = amd_ir.ivrs.units[unit].devid;

	for (uint32_t i = 0; i < amd_ir.ivrs.ndevs; i++) {
		const struct ivrs_devs *r = &amd_ir.ivrs.devs[i];

		if (r->unit == unit) {
			last = r->last > last ? r->last : last;
			last = r->alias > last ? r->alias : last;
		}
	}
	for (uint32_t i = 0; i < amd_ir.ivrs.nspecials; i++)
		if (amd_ir.ivrs.specials[i].unit == unit && amd_ir.ivrs.specials[i].devid > last)
			last = amd_ir.ivrs.specials[i].devid;
	return last;
}

/* Every DeviceID the unit sees for the devices its IVHD lists gets IV with
 * IntCtl 0: a compatibility-format message from a device without a table
 * is aborted, as VT-d with CFI clear blocks it (Linux sets IV in every DTE,
 * init_device_table). Not the IOMMU's own, nor the IO-APIC's and HPET's
 * (48h entries): msilab leaves those in compatibility format. */
static uint32_t blocking_dtes(struct amd_ir_unit *u)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < amd_ir.ivrs.ndevs; i++) {
		const struct ivrs_devs *r = &amd_ir.ivrs.devs[i];

		if (r->unit != u->ivrs_index)
			continue;
		for (uint32_t d = r->first; d <= r->last; d++) {
			uint16_t seen = r->aliased ? r->alias : (uint16_t)d;

			if (seen == u->ivhd->devid || special_devid(u->ivrs_index, seen) ||
			    (amdvi_dte_intr_of(&u->hw, seen) & AMD_DTE_IV))
				continue;
			if (amdvi_dte_set_intr(&u->hw, seen, AMD_DTE_IV) == 0)
				n++;
		}
	}
	return n;
}

/* The passes each IVHD device entry asks for (INIT, ExtInt, NMI, LINT0,
 * LINT1), into the DTE of every DeviceID it covers and of the alias it
 * names, as Linux's init_iommu_from_acpi() -> set_dev_entry_from_acpi()
 * does: with IV set and no pass, such a message is aborted (48882 2.2.5).
 * The DTEs that carry one. */
static uint32_t pass_dtes(struct amd_ir_unit *u)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < amd_ir.ivrs.ndevs; i++) {
		const struct ivrs_devs *r = &amd_ir.ivrs.devs[i];
		uint64_t pass = amd_dte_pass(r->data);

		if (r->unit != u->ivrs_index || !pass)
			continue;
		for (uint32_t d = r->first; d <= r->last && d < u->hw.ndte; d++)
			n += amdvi_dte_set_pass(&u->hw, (uint16_t)d, pass) == 0;
		if (r->aliased && r->alias < u->hw.ndte)
			n += amdvi_dte_set_pass(&u->hw, r->alias, pass) == 0;
	}
	return n;
}

static struct pci_dev *own_function(const struct ivrs_unit *h)
{
	for (uint32_t i = 0; i < pci_ndevs; i++)
		if (pci_devs[i].seg == h->segment && pci_rid(&pci_devs[i]) == h->devid)
			return &pci_devs[i];
	return 0;
}

static void probe_one(void *arg)
{
	struct amd_ir_unit *u = arg;
	const struct ivrs_unit *h = u->ivhd;

	/* The ops read the base through ctx: the unit's own copy. */
	u->probed = amdvi_probe(&u->hw, &mmio_ops, &u->hw.base, h->base,
				(amd_ir.ivrs.ivinfo & 1) ? h->efr : 0) == 0;
}

static const char *base_problem(const struct ivrs_unit *h, const struct mem_region *map,
				uint32_t n)
{
	if (h->unusable)
		return "is zero or not 16 KiB aligned (a firmware bug)";
	for (uint32_t r = 0; r < n; r++)
		if (map[r].type == MEM_USABLE && h->base < map[r].base + map[r].size &&
		    map[r].base < h->base + MMIO_SIZE)
			return "lies inside RAM (a firmware bug)";
	if (paging_map_uc(h->base, MMIO_SIZE))
		return "cannot be mapped";
	return 0;
}

/* The unit is left out; the reason ("amd-vi 0xBASE: ...", as the unit's
 * own errors read) is the run's and the report's. A base the IVRS parse
 * already warned about is not warned about twice. */
static void unit_error(struct amd_ir_unit *u, const char *what)
{
	ksnprintf(u->error, sizeof(u->error), "%s; its devices are not remapped", what);
	memcpy(amd_ir.error, u->error, sizeof(amd_ir.error));
	if (!u->ivhd->unusable)
		warn("%s", u->error);
}

/* What the unit needs for every CPU: 32-bit IRTEs unless an x2APIC
 * destination needs the 128-bit format with XTEn (EFR.XTSup and GASup). */
static int enable(struct amd_ir_unit *u)
{
	int xt = lapic_mode() == LAPIC_X2APIC && (u->hw.efr & AMDVI_EFR_XTSUP) &&
		 (u->hw.efr & AMDVI_EFR_GASUP), e;

	char what[96];

	for (uint32_t i = 0; i < cpus_online && !xt; i++)
		if (cpus[i].apic_id > 255) {
			ksnprintf(what, sizeof(what), "amd-vi 0x%lx: APIC IDs above 255 need x2APIC "
				  "mode, EFR.XTSup and GASup", u->ivhd->base);
			unit_error(u, what);
			return -ENOTSUP;
		}
	if (amdvi_setup(&u->hw, last_devid(u->ivrs_index) + 1)) {
		unit_error(u, u->hw.error);
		return -ENOSPC;
	}
	u->pass_devids = pass_dtes(u);
	u->blocked_devids = blocking_dtes(u);
	if ((e = amdvi_enable(&u->hw, xt, xt))) {
		unit_error(u, u->hw.error);
		return e;
	}
	return 0;
}

static void init_unit(struct amd_ir_unit *u, const struct mem_region *map, uint32_t n)
{
	struct recover r;
	const char *why;
	int v, e;

	char what[96];

	if ((why = base_problem(u->ivhd, map, n))) {
		ksnprintf(what, sizeof(what), "amd-vi 0x%lx: register base %s", u->ivhd->base, why);
		unit_error(u, what);
		return;
	}
	v = cpu_guarded_call(probe_one, u, &r);
	if (v >= 0) {
		ksnprintf(what, sizeof(what), "amd-vi 0x%lx: reading its registers raised %s",
			  u->ivhd->base, exc_name((uint64_t)v));
		unit_error(u, what);
		return;
	}
	if (!u->probed) {
		unit_error(u, u->hw.error);
		return;
	}
	if (u->hw.efr != u->hw.efr_reg)
		warn("amd-vi 0x%lx: EFR 0x%lx disagrees with the IVRS image 0x%lx: the image is used "
		     "(Linux: \"EFR mismatch. Use IVHD EFR\")", u->ivhd->base, u->hw.efr_reg,
		     u->hw.efr);
	u->pci = own_function(u->ivhd);
	amdvi_ivhd_flags(&u->hw, u->ivhd->flags);
	if (amdvi_takeover(&u->hw)) {
		unit_error(u, u->hw.error);
		u->probed = 0;
		return;
	}
	if (!amd_ir.want_ir)
		return;
	e = enable(u);
	if (e == -ETIMEDOUT)
		u->probed = 0;	/* it never ran a command: it does not answer as an IOMMU */
	u->ir_on = e == 0;
}

void amd_ir_init(int want_ir, const struct mem_region *map, uint32_t nregions)
{
	const struct acpi_header *t = acpi_find("IVRS", 0);

	memset(&amd_ir, 0, sizeof(amd_ir));
	amd_ir.want_ir = want_ir;
	if (!t)
		return;
	amd_ir.have_ivrs = 1;
	if (ivrs_parse(t, t->length, &amd_ir.ivrs))
		ksnprintf(amd_ir.error, sizeof(amd_ir.error), "ivrs: %s", amd_ir.ivrs.err.msg[0]);
	for (uint32_t i = 0; i < amd_ir.ivrs.nunits && amd_ir.nunits < AMD_IR_UNITS_MAX; i++) {
		struct amd_ir_unit *u = &amd_ir.units[amd_ir.nunits++];

		u->ivhd = &amd_ir.ivrs.units[i];
		u->ivrs_index = i;
		u->domain = (struct irq_domain){ .name = "AMD-IR", .ops = &remap_ops,
						 .parent = &vector_domain, .host_data = u };
		init_unit(u, map, nregions);
	}
	msi_set_remap_lookup(lookup);
}

struct amd_ir_unit *amd_ir_remapping_unit(void)
{
	for (uint32_t i = 0; i < amd_ir.nunits; i++)
		if (amd_ir.units[i].ir_on)
			return &amd_ir.units[i];
	return 0;
}

const char *amd_ir_off_reason(void)
{
	if (amd_ir_remapping_unit())
		return "";
	if (!amd_ir.have_ivrs)
		return "no IVRS table";
	if (!amd_ir.want_ir)
		return "ir=off";
	if (amd_ir.error[0])
		return amd_ir.error;
	return "the IVRS describes no usable IOMMU";
}

/* Every DTE with interrupt fields back to forwarding (off), or each
 * table's DTEs and the blocking ones written again (on). */
int amd_ir_set_remapping(struct amd_ir_unit *u, int on)
{
	struct amdvi_unit *hw = &u->hw;
	int e = 0;

	if (!on) {
		for (uint32_t d = 0; d < hw->ndte && !e; d++)
			if (amdvi_dte_intr_of(hw, (uint16_t)d) & AMD_DTE_IV)
				e = amdvi_dte_set_intr(hw, (uint16_t)d, 0);
	} else {
		for (uint32_t i = 0; i < hw->ntables && !e; i++)
			for (uint32_t k = 0; k < hw->tables[i].ndevids && !e; k++)
				e = amdvi_dte_set_intr(hw, hw->tables[i].devids[k],
						       amd_dte_intr(hw->tables[i].phys, AMDVI_IRT_LOG2));
		if (!e)
			u->blocked_devids = blocking_dtes(u);
	}
	if (!e)
		u->ir_on = on;
	return e;
}

int amd_ir_handover(struct amd_ir_unit *u)
{
	int xt = u->hw.xt, was_on = u->ir_on, e = amdvi_takeover(&u->hw);

	if (!e)
		e = amdvi_enable(&u->hw, xt, xt);
	u->ir_on = was_on && !e;	/* the DTEs say whether it remaps, as before */
	if (!e && u->event_dev.domain)
		amdvi_set_comwait_int(&u->hw, 1);
	return e;
}

int amd_ir_event_take(struct amd_ir_unit *u, struct amdvi_event *e)
{
	return amdvi_event_take(&u->hw, e);
}

/* --- the IOMMU's own interrupt ------------------------------------------ */

/* In x2APIC mode (XTEn) the unit's own interrupt goes through its XT
 * interrupt control register, not its PCI MSI (Linux iommu_init_irq ->
 * iommu_setup_intcapxt with IRQ_REMAP_X2APIC_MODE): a device-level domain
 * whose "message" is that register, written from the vector level's CPU
 * and vector (so an APIC ID above 255 needs no 8-bit message field), 0
 * when masked (Linux intcapxt_mask_irq / intcapxt_unmask_irq). One 64-bit
 * write replaces it: an affinity move needs no mask around it. */
static void xt_write(struct irq_data *d, int on)
{
	struct amd_ir_unit *u = d->domain->host_data;
	uint32_t v = d->parent->hwirq;	/* the vector level: cpu << 8 | vector */

	amdvi_intcapxt_set(&u->hw, AMDVI_INTCAPXT_EVT, (uint8_t)v, cpus[v >> 8].apic_id, on);
}

static void xt_mask(struct irq_data *d) { xt_write(d, 0); }
static void xt_unmask(struct irq_data *d) { xt_write(d, 1); }

static int xt_set_affinity(struct irq_data *d, uint32_t cpu)
{
	(void)cpu;
	xt_write(d, !(d->desc->flags & IRQD_MASKED));
	return IRQ_AFFINITY_DONE;
}

static const struct irq_chip xt_chip = {
	.name = "AMD-Vi-XT",
	.mask = xt_mask,
	.unmask = xt_unmask,
	.set_affinity = xt_set_affinity,
};

static int xt_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *info)
{
	(void)dom;
	if (info->hwirq != 0)
		return -ENOSPC;	/* one: the general interrupt (event log, COMPLETION_WAIT) */
	d->hwirq = 0;
	d->chip = &xt_chip;
	d->chip_data = 0;
	return 0;
}

static void xt_free(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	(void)d;
}

static int xt_activate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	xt_write(d, 1);
	return 0;
}

static void xt_deactivate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	xt_write(d, 0);
}

static const struct irq_domain_ops xt_ops = {
	.alloc = xt_alloc,
	.free = xt_free,
	.activate = xt_activate,
	.deactivate = xt_deactivate,
};

struct msi_device *amd_ir_event_device(struct amd_ir_unit **unit)
{
	struct amd_ir_unit *u = amd_ir_remapping_unit();

	if (!u)
		return 0;
	if (!u->event_dev.domain && u->hw.xt) {
		/* An IOMMU's own messages are not remapped: the vector domain. */
		u->event_dev = msi_device_platform("amd-vi-xt");
		u->xt_domain = (struct irq_domain){ .name = "AMD-Vi-XT", .ops = &xt_ops,
						    .parent = &vector_domain, .host_data = u,
						    .owner = &u->event_dev };
		u->event_dev.domain = &u->xt_domain;
	}
	if (!u->event_dev.domain &&
	    (!u->pci || pci_msi_device_init(&u->event_dev, "amd-vi", u->pci) ||
	     pci_msi_domain_create(&u->event_dev)))
		return 0;
	amdvi_set_comwait_int(&u->hw, 1);
	*unit = u;
	return &u->event_dev;
}

uint64_t amd_ir_comwait_raise(struct amd_ir_unit *u)
{
	return amdvi_comwait_irq(&u->hw);
}

void amd_ir_comwait_ack(struct amd_ir_unit *u)
{
	amdvi_comwait_ack(&u->hw);
}
