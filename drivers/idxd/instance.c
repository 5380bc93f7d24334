// SPDX-License-Identifier: MIT
/*
 * DSA/IAA instances in the firmware (drivers/idxd/instance.h): PCI set-up,
 * MMIO and MOVDIR64B ops, the IMS domain and the work queues as children.
 * Extended capability layouts as Linux's include/uapi/linux/pci_regs.h
 * (PCI_EXT_CAP_ID_ATS/PRI/PASID and their control registers).
 */
#include "drivers/idxd/instance.h"
#include "drivers/pci/msi.h"
#include "drivers/pci/pci.h"
#include "arch/x86/cpu.h"
#include "arch/x86/msi_msg.h"
#include "arch/x86/paging.h"
#include "arch/x86/tsc.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"

#define EXT_CAP_ATS		0x0f
# define ATS_CTRL		0x06
# define ATS_CTRL_ENABLE	0x8000
#define EXT_CAP_PRI		0x13
# define PRI_CTRL		0x04
# define PRI_CTRL_ENABLE	0x0001
#define EXT_CAP_PASID		0x1b
# define PASID_CTRL		0x06
# define PASID_CTRL_ENABLE	0x0001
#define EXT_CAP_DVSEC		0x23
# define DVSEC_HDR1		0x04	/* 15:0 vendor */
# define DVSEC_HDR2		0x08	/* 15:0 DVSEC ID */
# define SIOV_DVSEC_ID		5	/* Intel Scalable IOV (D. Jiang's 2020 IMS RFC) */
# define SIOV_CAP		0x14	/* bit 0: IMS supported */
#define CPUID7_ECX_MOVDIR64B	(1u << 28)

struct idxd_instance idxd_instances[IDXD_INSTANCES_MAX];
uint32_t idxd_ninstances;

int idxd_cpu_has_movdir64b(void)
{
	return cpuid(0, 0).a >= 7 && (cpuid(7, 0).c & CPUID7_ECX_MOVDIR64B);
}

/* --- ops: MMIO and MOVDIR64B ------------------------------------------- */

static struct idxd_instance *of(void *ctx)
{
	return ctx;
}

static uint32_t m_r32(void *ctx, uint32_t off) { return mmio_read32(of(ctx)->bar0 + off); }
static void m_w32(void *ctx, uint32_t off, uint32_t v) { mmio_write32(of(ctx)->bar0 + off, v); }
static uint64_t m_r64(void *ctx, uint32_t off) { return mmio_read64(of(ctx)->bar0 + off); }

static void m_w64(void *ctx, uint32_t off, uint64_t v)
{
	*(volatile uint64_t *)(uintptr_t)(of(ctx)->bar0 + off) = v;
}

/* MOVDIR64B (Linux arch/x86/include/asm/special_insns.h movdir64b()): the
 * destination address in RAX, the 64-byte source at [RDX]. */
static void m_submit(void *ctx, uint32_t portal, const struct idxd_desc *d)
{
	volatile void *dst = (volatile void *)(uintptr_t)(of(ctx)->bar2 + portal);

	asm volatile(".byte 0x66, 0x0f, 0x38, 0xf8, 0x02"
		     : : "a"(dst), "d"(d), "m"(*d) : "memory");
}

static uint64_t m_now_us(void)
{
	return tsc_to_ns(rdtsc()) / 1000;
}

static const struct idxd_ops mmio_ops = {
	.read32 = m_r32, .write32 = m_w32, .read64 = m_r64, .write64 = m_w64,
	.submit = m_submit, .now_us = m_now_us,
};

/* --- bring-up --------------------------------------------------------------- */

static void ext_cap_clear(struct pci_dev *p, uint16_t id, uint16_t reg, uint16_t bit)
{
	uint16_t off = pci_find_ext_cap(p, id);

	if (off)
		pci_write16(p, off + reg, pci_read16(p, off + reg) & ~bit);
}

/* Intel's SIOV DVSEC, reported by ims.inventory where the first DVSEC is
 * it (Linux's IMS RFC reads IMS support from +0x14 bit 0). */
static void siov_find(struct idxd_instance *x)
{
	uint16_t off = pci_find_ext_cap(x->pci, EXT_CAP_DVSEC);

	if (off && (pci_read32(x->pci, off + DVSEC_HDR1) & 0xffff) == 0x8086 &&
	    (pci_read32(x->pci, off + DVSEC_HDR2) & 0xffff) == SIOV_DVSEC_ID) {
		x->siov_dvsec = off;
		x->siov_ims = pci_read32(x->pci, off + SIOV_CAP) & 1;
	}
}

static int fail(struct idxd_instance *x, const char *what)
{
	ksnprintf(x->error, sizeof(x->error), "%s", what);
	return -1;
}

/* MSI-X vector 0: INTCAUSE read and written back (write 1 to clear, as
 * Linux's idxd_misc_thread), the causes kept for idxd_errors_check. */
static void on_misc(uint64_t tsc, void *arg)
{
	struct idxd_instance *x = arg;
	uint32_t cause = x->hw.ops->read32(x, IDXD_INTCAUSE);

	(void)tsc;
	x->hw.ops->write32(x, IDXD_INTCAUSE, cause);
	x->misc_causes |= cause;
	x->misc_irqs++;
}

static void misc_vector(struct idxd_instance *x, const struct idxd_id *id)
{
	if (pci_msi_device_init(&x->msix, id->name, x->pci) || pci_msix_domain_create(&x->msix) ||
	    msi_alloc_irqs(&x->msix, 0, 1, 0, &x->misc)) {
		warn("idxd: %s: MSI-X vector 0 unusable: errors are polled, not signalled",
		     id->name);
		x->misc = 0;
		return;
	}
	irq_request(x->misc, on_misc, x);
}

uint32_t idxd_errors_check(struct idxd_instance *x, void (*report)(const char *text, void *arg),
			   void *arg)
{
	uint32_t n = 0, sts;
	char text[120];

	while (n < 8 && idxd_swerr_take(&x->hw, text, sizeof(text))) {
		report(text, arg);
		n++;
	}
	sts = x->hw.ops->read32(x, IDXD_GENSTS);
	if (IDXD_GENSTS_STATE(sts) != IDXD_STATE_HALTED)
		return n;
	ksnprintf(text, sizeof(text), "halted (GENSTS 0x%x, INTCAUSE seen 0x%x)", sts,
		  x->misc_causes);
	report(text, arg);
	x->up = !idxd_takeover(&x->hw) && !idxd_enable(&x->hw, x->nwqs);
	if (!x->up)
		ksnprintf(text, sizeof(text), "not brought back up: %s", x->hw.error);
	else	/* what a reset leaves in the IMS and the MSI-X table is not documented */
		ksnprintf(text, sizeof(text), "brought back up; rewritten: %u IMS slots in use, "
			  "%u MSI-X vectors", x->ims.hw ? idxd_ims_restore(&x->ims) : 0,
			  x->msix.domain ? irq_domain_restore(x->msix.domain) : 0);
	report(text, arg);
	return n + 1;
}

static int bring_up(struct idxd_instance *x, const struct idxd_id *id)
{
	struct pci_dev *p = x->pci;
	const struct pci_bar *b0 = &p->bars[0], *b2 = &p->bars[2];
	const char *why;

	siov_find(x);
	pci_enable_memory_and_master(p);
	if (b0->kind == BAR_NONE || b2->kind == BAR_NONE || b0->kind == BAR_IO || b2->kind == BAR_IO)
		return fail(x, "BAR0 or BAR2 is not memory");
	if ((why = pci_mmio_unusable(p, b0->addr)) || (why = pci_mmio_unusable(p, b2->addr)))
		return fail(x, why);
	if (paging_map_uc(b0->addr, b0->size) || paging_map_uc(b2->addr, b2->size))
		return fail(x, "its BARs cannot be mapped");
	x->bar0 = b0->addr;
	x->bar2 = b2->addr;
	if (idxd_probe(&x->hw, &mmio_ops, x, id, b0->size, b2->size) ||
	    idxd_takeover(&x->hw))
		return fail(x, x->hw.error);
	/* After the reset: a previous owner's PASID WQs are gone by now. */
	ext_cap_clear(p, EXT_CAP_PASID, PASID_CTRL, PASID_CTRL_ENABLE);
	ext_cap_clear(p, EXT_CAP_ATS, ATS_CTRL, ATS_CTRL_ENABLE);
	ext_cap_clear(p, EXT_CAP_PRI, PRI_CTRL, PRI_CTRL_ENABLE);
	x->nwqs = x->hw.nwqs < IDXD_WQS_USED ? x->hw.nwqs : IDXD_WQS_USED;
	if (idxd_enable(&x->hw, x->nwqs))
		return fail(x, x->hw.error);
	misc_vector(x, id);
	if (x->hw.ims_size &&
	    idxd_ims_domain_create(&x->ims, &x->hw, (struct msi_device){ .name = id->name,
				   .seg = p->seg, .rid = pci_requester_id(p), .pci = p }, x->nwqs))
		return fail(x, "no DEV_MSI domain left for its IMS");
	x->up = 1;
	return 0;
}

void idxd_init(void)
{
	memset(idxd_instances, 0, sizeof(idxd_instances));
	idxd_ninstances = 0;
	for (uint32_t i = 0; i < pci_ndevs && idxd_ninstances < IDXD_INSTANCES_MAX; i++) {
		const struct idxd_id *id = idxd_id_of(pci_devs[i].vendor, pci_devs[i].device);
		struct idxd_instance *x;

		if (!id)
			continue;
		x = &idxd_instances[idxd_ninstances++];
		x->pci = &pci_devs[i];
		if (bring_up(x, id))
			warn("idxd: %02x:%02x.%x %s: %s", x->pci->bus, x->pci->dev, x->pci->fn, id->name,
			     x->error);
	}
}
