// SPDX-License-Identifier: MIT
/*
 * VT-d unit bring-up and interrupt-remapping table upkeep. See VT-d 4.1:
 * 11.4.4-5 (GCMD/GSTS: a command bit is acknowledged by its status bit),
 * 11.4.9 (IQH/IQT/IQA: tail in bits 18:4 of IQT), 11.4.10 (IRTA: S in bits
 * 3:0, EIME bit 11), 6.5.2 (queued invalidation), 9.10 (IRTE), 11.4.11
 * (fault recording: F bit 127, FR bits 103:96, SID 79:64, FI 63:12).
 * GCMD is written from a software copy of the enabled bits, never from
 * GSTS; one-shot commands (SIRTP) are written once and not kept.
 */
#include "drivers/iommu/intel/vtd.h"
#include "kernel/errno.h"
#include "kernel/printf.h"
#include "kernel/string.h"

static inline uint64_t rdtsc_now(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#define rd32(u, o) ((u)->ops->read32((u)->ctx, (o)))
#define wr32(u, o, v) ((u)->ops->write32((u)->ctx, (o), (v)))
#define rd64(u, o) ((u)->ops->read64((u)->ctx, (o)))
#define wr64(u, o, v) ((u)->ops->write64((u)->ctx, (o), (v)))

static int fail(struct vtd_unit *u, int e, const char *what)
{
	ksnprintf(u->error, sizeof(u->error), "vtd 0x%lx: %s", u->base, what);
	return e;
}

static int poll_gsts(struct vtd_unit *u, uint32_t bit, int set, const char *what)
{
	uint64_t t0 = u->ops->now_us();

	while (!!(rd32(u, VTD_GSTS) & bit) != set)
		if (u->ops->now_us() - t0 > VTD_POLL_US)
			return fail(u, -ETIMEDOUT, what);
	return 0;
}

static int command(struct vtd_unit *u, uint32_t bit, int on, const char *what)
{
	u->gcmd = on ? u->gcmd | bit : u->gcmd & ~bit;
	wr32(u, VTD_GCMD, u->gcmd);
	return poll_gsts(u, bit, on, what);
}

int vtd_probe(struct vtd_unit *u, const struct vtd_ops *ops, void *ctx, uint64_t base)
{
	memset(u, 0, sizeof(*u));
	u->ops = ops;
	u->ctx = ctx;
	u->base = base;
	u->ver = rd32(u, VTD_VER);
	u->cap = rd64(u, VTD_CAP);
	u->ecap = rd64(u, VTD_ECAP);
	if (u->ver == 0xffffffffu || u->cap == ~0ull)
		return fail(u, -ENODEV, "registers read all-ones");
	if (!(u->ecap & VTD_ECAP_QI))
		return fail(u, -ENOTSUP, "no queued invalidation (ECAP.QI)");
	if (!(u->ecap & VTD_ECAP_IR))
		return fail(u, -ENOTSUP, "no interrupt remapping (ECAP.IR)");
	return 0;
}

static int qi_submit(struct vtd_unit *u, struct qi_desc d)
{
	u->qi[u->qi_tail] = d;
	u->qi_tail = (u->qi_tail + 1) % VTD_QI_ENTRIES;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* descriptor before the tail */
	wr64(u, VTD_IQT, (uint64_t)u->qi_tail << 4);
	return 0;
}

/* Wait descriptor with a status write, polled with a bound. */
static int qi_wait_done(struct vtd_unit *u)
{
	uint32_t seq = ++u->status_seq;
	uint64_t t0;

	qi_submit(u, qi_wait(seq, u->status_phys, 0));
	t0 = u->ops->now_us();
	while (*u->status != seq)
		if (u->ops->now_us() - t0 > VTD_POLL_US)
			return fail(u, -ETIMEDOUT, "invalidation wait did not complete within 10 ms");
	return 0;
}

int vtd_iec_invalidate(struct vtd_unit *u, uint32_t index)
{
	qi_submit(u, qi_iec(1, (uint16_t)index));
	u->invalidations++;
	return qi_wait_done(u);
}

static int iec_global(struct vtd_unit *u)
{
	qi_submit(u, qi_iec(0, 0));
	u->invalidations++;
	return qi_wait_done(u);
}

int vtd_enable_ir(struct vtd_unit *u, int x2apic)
{
	void *status;
	int e;

	if (!u->qi) {
		u->qi = u->ops->alloc_page(&u->qi_phys);
		status = u->ops->alloc_page(&u->status_phys);
		u->irt = u->ops->alloc_page(&u->irt_phys);	/* 256 x 16 bytes */
		if (!u->qi || !status || !u->irt)
			return fail(u, -ENOSPC, "no memory for the queue or the table");
		u->status = status;
	}
	if (x2apic && !(u->ecap & VTD_ECAP_EIM))
		return fail(u, -ENOTSUP, "x2APIC destinations need ECAP.EIM");
	u->x2apic = x2apic;
	/* Queued invalidation first: entry-cache invalidation needs it. */
	wr64(u, VTD_IQA, u->qi_phys);		/* QS = 0: 256 entries */
	wr64(u, VTD_IQT, 0);
	u->qi_tail = 0;
	if ((e = command(u, VTD_GCMD_QIE, 1, "GSTS.QIES did not set within 10 ms")))
		return e;
	wr64(u, VTD_IRTA, u->irt_phys | (x2apic ? VTD_IRTA_EIME : 0) | (VTD_IRT_SHIFT - 1));
	wr32(u, VTD_GCMD, u->gcmd | VTD_GCMD_SIRTP);	/* one-shot: not kept in gcmd */
	if ((e = poll_gsts(u, VTD_GCMD_SIRTP, 1, "GSTS.IRTPS did not set within 10 ms")))
		return e;
	if ((e = iec_global(u)))
		return e;
	return command(u, VTD_GCMD_IRE, 1, "GSTS.IRES did not set within 10 ms");
}

void vtd_disable_ir(struct vtd_unit *u)
{
	command(u, VTD_GCMD_IRE, 0, "GSTS.IRES did not clear within 10 ms");
}

int vtd_set_ire(struct vtd_unit *u, int on)
{
	return command(u, VTD_GCMD_IRE, on, on ? "GSTS.IRES did not set within 10 ms" :
						 "GSTS.IRES did not clear within 10 ms");
}

uint64_t vtd_qi_wait_irq(struct vtd_unit *u)
{
	uint64_t t0;

	u->qi[u->qi_tail] = qi_wait(0, 0, 1);
	u->qi_tail = (u->qi_tail + 1) % VTD_QI_ENTRIES;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t0 = rdtsc_now();
	wr64(u, VTD_IQT, (uint64_t)u->qi_tail << 4);
	return t0;
}

void vtd_inv_event_ack(struct vtd_unit *u)
{
	wr32(u, VTD_ICS, VTD_ICS_IWC);	/* write 1 to clear */
}

int vtd_irte_alloc(struct vtd_unit *u)
{
	for (uint32_t i = 0; i < VTD_IRT_ENTRIES; i++) {
		if (!(u->irt_used[i / 64] & (1ull << (i % 64)))) {
			u->irt_used[i / 64] |= 1ull << (i % 64);
			return (int)i;
		}
	}
	return -ENOSPC;
}

void vtd_irte_free(struct vtd_unit *u, uint32_t index)
{
	if (index < VTD_IRT_ENTRIES)
		u->irt_used[index / 64] &= ~(1ull << (index % 64));
}

int vtd_irte_write(struct vtd_unit *u, uint32_t index, struct irte e)
{
	volatile uint64_t *p = (volatile uint64_t *)&u->irt[index];

	/* Upper half first, then the lower half with P: the entry is never
	 * seen half old, half new as present (Jailhouse vtd_update_irte). */
	p[1] = e.hi;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	p[0] = e.lo;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return vtd_iec_invalidate(u, index);
}

int vtd_fault_take(struct vtd_unit *u, struct vtd_fault *f)
{
	uint32_t fro = VTD_CAP_FRO(u->cap), nfr = VTD_CAP_NFR(u->cap);

	for (uint32_t i = 0; i < nfr; i++) {
		uint32_t off = fro + 16 * i;
		uint32_t w3 = rd32(u, off + 12);	/* bits 127:96: F 31, FR 7:0 */

		if (!(w3 & (1u << 31)))
			continue;
		f->reason = (uint8_t)w3;
		f->sid = (uint16_t)rd32(u, off + 8);
		f->index = (uint16_t)(rd32(u, off + 4) >> 16);
		wr32(u, off + 12, 1u << 31);	/* write 1 to clear F */
		wr32(u, VTD_FSTS, VTD_FSTS_PPF | VTD_FSTS_PFO);
		return 1;
	}
	return 0;
}
