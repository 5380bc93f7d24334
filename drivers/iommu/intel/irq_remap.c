// SPDX-License-Identifier: MIT
/*
 * VT-d units from the DMAR, the device-to-unit mapping by requester ID, and
 * the remapping domain. See VT-d 4.1, 8.3.1 (device scope paths: from the
 * start bus, each (device, function) step but the last is a bridge whose
 * secondary bus holds the next), 5.1.5.2 (remappable messages), 9.10.
 * An interrupt's IRTE checks the requester ID of the device (SVT 01).
 * With remapping, an affinity move rewrites only the IRTE.
 */
#include "drivers/iommu/intel/irq_remap.h"
#include "drivers/acpi/acpi.h"
#include "drivers/pci/pci.h"
#include "msi/vector_domain.h"
#include "arch/x86/cpu.h"
#include "arch/x86/exception.h"
#include "arch/x86/lapic.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"
#include "lib/bits.h"
#include "lib/errno.h"
#include "lib/pfa.h"
#include "lib/console.h"
#include "lib/printf.h"
#include "lib/string.h"

struct ir_state ir;

/* --- register access: MMIO ------------------------------------------- */

static uint32_t m_r32(void *ctx, uint32_t off) { return mmio_read32(*(uint64_t *)ctx + off); }
static void m_w32(void *ctx, uint32_t off, uint32_t v) { mmio_write32(*(uint64_t *)ctx + off, v); }
static uint64_t m_r64(void *ctx, uint32_t off) { return mmio_read64(*(uint64_t *)ctx + off); }

static void m_w64(void *ctx, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)(*(uint64_t *)ctx + off) = v;
}

static uint64_t m_now_us(void)
{
	return tsc_to_ns(rdtsc()) / 1000;
}

static void *m_page(uint64_t *phys)
{
	uint64_t p = pfa_alloc(&pfa, 1, PAGE_SIZE, ~0ull);

	if (!p)
		return 0;
	memset((void *)(uintptr_t)p, 0, PAGE_SIZE);
	*phys = p;
	return (void *)(uintptr_t)p;
}

static const struct vtd_ops mmio_ops = {
	.read32 = m_r32,
	.write32 = m_w32,
	.read64 = m_r64,
	.write64 = m_w64,
	.now_us = m_now_us,
	.alloc_page = m_page,
	.flush = cache_flush_range,
};

/* --- which unit covers a device --------------------------------------- */

static struct pci_dev *find_fn(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
	for (uint32_t i = 0; i < pci_ndevs; i++)
		if (pci_devs[i].seg == seg && pci_devs[i].bus == bus && pci_devs[i].dev == dev &&
		    pci_devs[i].fn == fn)
			return &pci_devs[i];
	return 0;
}

/* Follow a scope's path to the function it names (8.3.1.1). */
static struct pci_dev *resolve(uint16_t seg, const struct dmar_scope *s)
{
	uint8_t bus = s->bus;
	struct pci_dev *d = 0;

	for (uint32_t i = 0; i < s->npath; i++) {
		d = find_fn(seg, bus, s->path[i][0], s->path[i][1]);
		if (!d)
			return 0;	/* a scope naming a bus or device that does not exist */
		if (i + 1 < s->npath) {
			if (d->header != PCI_HEADER_BRIDGE)
				return 0;
			bus = d->sec_bus;
		}
	}
	return d;
}

static int covers(const struct ir_unit *u, uint16_t seg, uint16_t rid)
{
	const struct dmar_unit *h = u->drhd;

	if (h->segment != seg)
		return 0;
	for (uint32_t i = 0; i < h->nscopes; i++) {
		const struct dmar_scope *s = &ir.dmar.scopes[h->first_scope + i];
		struct pci_dev *d;

		if (s->type != DMAR_SCOPE_ENDPOINT && s->type != DMAR_SCOPE_BRIDGE)
			continue;
		if (!(d = resolve(seg, s)))
			continue;
		if (pci_rid(d) == rid)
			return 1;
		if (s->type == DMAR_SCOPE_BRIDGE && d->header == PCI_HEADER_BRIDGE &&
		    (rid >> 8) >= d->sec_bus && (rid >> 8) <= d->sub_bus)
			return 1;
	}
	return 0;
}

struct ir_unit *ir_unit_for(uint16_t seg, uint16_t rid)
{
	struct ir_unit *all = 0;

	for (uint32_t i = 0; i < ir.nunits; i++) {
		struct ir_unit *u = &ir.units[i];

		if (covers(u, seg, rid))
			return u;
		if ((u->drhd->flags & DRHD_INCLUDE_PCI_ALL) && u->drhd->segment == seg)
			all = u;	/* for what no other unit claims */
	}
	return all;
}

/* A platform device's unit and source ID, from its DMAR device scope. */
static struct ir_unit *platform_unit(const struct msi_device *dev, uint16_t *sid)
{
	int i = dev->platform == MSI_PLATFORM_HPET ?
		dmar_platform_scope(&ir.dmar, DMAR_SCOPE_HPET, dev->platform_id, sid) : -1;

	return i >= 0 && (uint32_t)i < ir.nunits ? &ir.units[i] : 0;
}

int ir_platform_covered(const struct msi_device *dev)
{
	uint16_t sid;

	return platform_unit(dev, &sid) != 0;
}

static struct irq_domain *lookup(const struct msi_device *dev)
{
	struct ir_unit *u;
	uint16_t sid;

	if (!dev->pci) {
		/* The HPET through the unit whose scope names it; the VT-d units'
		 * own events are never remapped. */
		u = platform_unit(dev, &sid);
		return u && u->ir_on ? &u->domain : 0;
	}
	u = ir_unit_for(dev->seg, pci_rid(dev->pci));	/* scopes name the function itself */
	return u && u->ir_on ? &u->domain : 0;
}

/* --- the remapping domain --------------------------------------------- */

static struct ir_unit *unit_of(struct irq_data *d)
{
	return d->domain->host_data;
}

static struct irte irte_for(struct irq_data *d)
{
	struct irq_data *v = d->parent;	/* the vector level */
	struct msi_device *dev = d->desc->levels[0].domain->owner;
	uint32_t cpu = v->hwirq >> 8;
	uint16_t sid;

	if (dev && !dev->pci && platform_unit(dev, &sid))
		/* The HPET's function bits are not to be trusted (Linux:
		 * set_hpet_sid(..., SQ_13_IGNORE_3), "some platforms are broken"). */
		return irte_compose((uint8_t)v->hwirq, cpus[cpu].apic_id, unit_of(d)->vtd.x2apic,
				    sid, IRTE_SQ_IGNORE_2_0);
	return irte_compose((uint8_t)v->hwirq, cpus[cpu].apic_id, unit_of(d)->vtd.x2apic,
			    dev && dev->pci ? dev->rid : -1, IRTE_SQ_ALL);
}

static int r_compose(struct irq_data *d, struct msi_msg *msg)
{
	ir_msg_compose(d->hwirq, 0, 0, msg);
	return 0;
}

static int r_set_affinity(struct irq_data *d, uint32_t cpu)
{
	int e;

	(void)cpu;
	e = vtd_irte_write(&unit_of(d)->vtd, d->hwirq, irte_for(d));
	return e ? e : IRQ_AFFINITY_DONE;	/* the device's message stays as it is */
}

static const struct irq_chip remap_chip = {
	.name = "IR-VTD",
	.set_affinity = r_set_affinity,
	.compose_msi_msg = r_compose,
};

static int r_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *info)
{
	int i = vtd_irte_alloc(&((struct ir_unit *)dom->host_data)->vtd);

	(void)info;
	if (i < 0)
		return i;
	d->hwirq = (uint32_t)i;
	d->chip = &remap_chip;
	return 0;
}

static void r_free(struct irq_domain *dom, struct irq_data *d)
{
	vtd_irte_free(&((struct ir_unit *)dom->host_data)->vtd, d->hwirq);
}

static int r_activate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	return vtd_irte_write(&unit_of(d)->vtd, d->hwirq, irte_for(d));
}

static void r_deactivate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	if (vtd_irte_write(&unit_of(d)->vtd, d->hwirq, (struct irte){ .lo = 0, .hi = 0 }))
		irq_stats.errors++;	/* the unit's error says why */
}

static const struct irq_domain_ops remap_ops = {
	.alloc = r_alloc,
	.free = r_free,
	.activate = r_activate,
	.deactivate = r_deactivate,
};

struct ir_unit *ir_of(const struct irq_desc *desc, uint32_t *index)
{
	for (uint32_t i = 0; i < desc->nlevels; i++) {
		if (desc->levels[i].domain->ops == &remap_ops) {
			*index = desc->levels[i].hwirq;
			return desc->levels[i].domain->host_data;
		}
	}
	return 0;
}

int ir_irte_mask(struct irq_desc *desc, int masked)
{
	uint32_t index;
	struct ir_unit *u = ir_of(desc, &index);
	struct irte e;

	if (!u)
		return -ENOTSUP;
	e = vtd_irte_read(&u->vtd, index);
	e.lo = masked ? e.lo & ~IRTE_P : e.lo | IRTE_P;
	return vtd_irte_write(&u->vtd, index, e);
}

/* --- bring-up ---------------------------------------------------------- */

/* Remapping off for the whole platform, the reason kept for the report and
 * the tests' SKIP (Linux: "[Firmware Bug]: Your BIOS is broken"). */
static void reject(const char *fmt, uint32_t unit, uint64_t base, const char *why)
{
	ksnprintf(ir.error, sizeof(ir.error), fmt, unit, base, why);
	ir.rejected = 1;
}

/* Device scopes (endpoint, bridge) that name a bus or function the PCI walk
 * did not find: the devices they meant fall to an INCLUDE_PCI_ALL unit, if
 * any. Counted per unit and named in a warning. */
static void count_unresolved(void)
{
	for (uint32_t i = 0; i < ir.nunits; i++) {
		struct ir_unit *u = &ir.units[i];

		for (uint32_t j = 0; j < u->drhd->nscopes; j++) {
			const struct dmar_scope *s = &ir.dmar.scopes[u->drhd->first_scope + j];

			if ((s->type == DMAR_SCOPE_ENDPOINT || s->type == DMAR_SCOPE_BRIDGE) &&
			    !resolve(u->drhd->segment, s))
				u->unresolved++;
		}
		if (u->unresolved)
			warn("dmar: unit %u at 0x%lx: %u device scopes name no function the walk "
			     "found (absent, or SR-IOV functions not enabled: QEMU's igb)", i,
			     u->drhd->base, u->unresolved);
	}
}

static void probe_one(void *arg)
{
	struct ir_unit *u = arg;

	/* The ops read the base through ctx: the unit's own copy. */
	u->probed = vtd_probe(&u->vtd, &mmio_ops, &u->vtd.base, u->drhd->base) == 0;
}

/* Every unit's registers read, each under a recovery point: a unit that
 * faults or does not answer as one rejects remapping for the platform. */
static int probe_all(void)
{
	for (uint32_t i = 0; i < ir.nunits; i++) {
		struct ir_unit *u = &ir.units[i];
		struct recover r;
		int v;

		if (paging_map_uc(u->drhd->base, PAGE_SIZE << u->drhd->size)) {
			reject("dmar: unit %u at 0x%lx: %s; interrupt remapping off", i, u->drhd->base,
			       "its registers cannot be mapped");
			return -1;
		}
		v = cpu_guarded_call(probe_one, u, &r);
		if (v >= 0) {
			reject("dmar: unit %u at 0x%lx: reading its registers raised %s; interrupt "
			       "remapping off", i, u->drhd->base, exc_name((uint64_t)v));
			return -1;
		}
		if (!u->probed) {
			reject("dmar: unit %u at 0x%lx: %s; interrupt remapping off", i, u->drhd->base,
			       u->vtd.error);
			return -1;
		}
	}
	return 0;
}

void ir_init(int want_ir, const struct mem_region *map, uint32_t nregions)
{
	const struct acpi_header *t = acpi_find("DMAR", 0);
	const char *why;

	memset(&ir, 0, sizeof(ir));
	ir.want_ir = want_ir;
	if (!t)
		return;
	ir.have_dmar = 1;
	if (dmar_parse(t, t->length, &ir.dmar))
		ksnprintf(ir.error, sizeof(ir.error), "dmar: %s", ir.dmar.err.msg[0]);
	for (uint32_t i = 0; i < ir.dmar.nunits && i < IR_UNITS_MAX; i++) {
		if ((why = dmar_unit_base_problem(&ir.dmar, i, map, nregions))) {
			reject("dmar: unit %u: register base 0x%lx %s (a firmware bug); interrupt "
			       "remapping off", i, ir.dmar.units[i].base, why);
			return;
		}
	}
	for (uint32_t i = 0; i < ir.dmar.nunits && i < IR_UNITS_MAX; i++) {
		struct ir_unit *u = &ir.units[ir.nunits++];

		u->drhd = &ir.dmar.units[i];
		u->domain = (struct irq_domain){ .name = "IR-VTD", .ops = &remap_ops,
						 .parent = &vector_domain, .host_data = u };
	}
	if (probe_all())
		return;
	count_unresolved();
	for (uint32_t i = 0; i < ir.nunits; i++) {
		struct ir_unit *u = &ir.units[i];

		if (vtd_takeover(&u->vtd)) {
			ksnprintf(ir.error, sizeof(ir.error), "%s", u->vtd.error);
			u->probed = 0;
			continue;
		}
		if (u->vtd.found_queue_stuck)
			warn("vtd 0x%lx: the invalidation queue left on did not drain (IQH != IQT); "
			     "turned off after its bound (Linux dmar_disable_qi)", u->vtd.base);
		if (!want_ir || !(ir.dmar.flags & DMAR_FLAG_INTR_REMAP))
			continue;
		if (vtd_enable_ir(&u->vtd, lapic_mode() == LAPIC_X2APIC)) {
			ksnprintf(ir.error, sizeof(ir.error), "%s", u->vtd.error);
			continue;
		}
		u->ir_on = 1;
	}
	msi_set_remap_lookup(lookup);
}

int ir_rejected(void)
{
	return ir.rejected;
}

struct ir_unit *ir_remapping_unit(void)
{
	for (uint32_t i = 0; i < ir.nunits; i++)
		if (ir.units[i].ir_on)
			return &ir.units[i];
	return 0;
}

const char *ir_off_reason(void)
{
	if (ir_remapping_unit())
		return "";
	if (!ir.have_dmar)
		return "no DMAR table";
	if (!ir.want_ir)
		return "ir=off";
	if (ir.error[0])
		return ir.error;
	return "the DMAR does not offer interrupt remapping";
}

int ir_handover(struct ir_unit *u)
{
	int e = vtd_takeover(&u->vtd);

	if (!e)
		e = vtd_enable_ir(&u->vtd, u->vtd.x2apic);
	u->ir_on = !e;
	return e;
}

int ir_set_remapping(struct ir_unit *u, int on)
{
	int e = vtd_set_ire(&u->vtd, on);

	if (!e)
		u->ir_on = on;
	return e;
}

const char *ir_unit_error(const struct ir_unit *u)
{
	return u->vtd.error;
}

struct irte ir_irte_read(const struct ir_unit *u, uint32_t index)
{
	return vtd_irte_read(&u->vtd, index);
}

int ir_irte_reserve(struct ir_unit *u)
{
	return vtd_irte_alloc(&u->vtd);
}

void ir_irte_release(struct ir_unit *u, uint32_t index)
{
	vtd_irte_free(&u->vtd, index);
}

uint32_t ir_irtes_in_use(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < ir.nunits; i++)
		for (uint32_t w = 0; w < VTD_IRT_ENTRIES / 64; w++)
			n += popcount64(ir.units[i].vtd.irt_used[w]);
	return n;
}

int ir_fault_take(struct ir_unit *u, struct vtd_fault *f)
{
	return vtd_fault_take(&u->vtd, f);
}
