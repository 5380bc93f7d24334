// SPDX-License-Identifier: MIT
/*
 * VT-d unit bring-up and interrupt-remapping table upkeep. See VT-d 4.1:
 * 11.4.4-5 (GCMD/GSTS: a command bit is acknowledged by its status bit),
 * 11.4.9 (IQH/IQT/IQA: tail in bits 18:4 of IQT), 11.4.10 (IRTA: S in bits
 * 3:0, EIME bit 11), 6.5.2 (queued invalidation), 9.10 (IRTE), 11.4.11
 * (fault recording: F bit 127, FR bits 103:96, SID 79:64, FI 63:12).
 * GCMD is written from a software copy of the enabled bits, never from
 * GSTS; one-shot commands (SIRTP) are written once and not kept. A unit
 * whose table reads do not snoop the CPU caches (ECAP.C clear: every
 * Intel client unit, and QEMU's) gets each table change written back
 * (11.4.3, ECAP.C; Linux: __iommu_flush_cache after modify_irte).
 */
#include "drivers/iommu/intel/vtd.h"
#include "arch/x86/cpu.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "lib/wait.h"

#define rd32(u, o) ((u)->ops->read32((u)->ctx, (o)))
#define wr32(u, o, v) ((u)->ops->write32((u)->ctx, (o), (v)))
#define rd64(u, o) ((u)->ops->read64((u)->ctx, (o)))
#define wr64(u, o, v) ((u)->ops->write64((u)->ctx, (o), (v)))

/* Every poll of the unit: a bound of VTD_POLL_US on the unit's clock. */
#define vtd_wait(u, cond) WAIT_UNTIL(cond, VTD_POLL_US, (u)->ops->now_us)

static int fail(struct vtd_unit *u, int e, const char *what)
{
	ksnprintf(u->error, sizeof(u->error), "vtd 0x%lx: %s", u->base, what);
	return e;
}

/* "vtd 0x...: GSTS.IRES did not set within 10 ms" */
static int timed_out(struct vtd_unit *u, const char *what)
{
	ksnprintf(u->error, sizeof(u->error), "vtd 0x%lx: %s within " WAIT_BOUND_FMT, u->base, what,
		  WAIT_BOUND(VTD_POLL_US));
	return -ETIMEDOUT;
}

/* The IRT bytes [p, p + n) where the unit reads memory without snooping. */
static void table_flush(struct vtd_unit *u, const void *p, unsigned long n)
{
	if (u->ecap & VTD_ECAP_C)
		return;
	u->ops->flush(p, n);
	u->flushes++;
}

/* Write GCMD from the software copy with `bit` set or clear, and wait for
 * GSTS to follow; `status` names the status bit for the error. */
static int command(struct vtd_unit *u, uint32_t bit, int on, const char *status)
{
	char what[48];

	u->gcmd = on ? u->gcmd | bit : u->gcmd & ~bit;
	wr32(u, VTD_GCMD, u->gcmd);
	if (!vtd_wait(u, !!(rd32(u, VTD_GSTS) & bit) == on))
		return 0;
	ksnprintf(what, sizeof(what), "GSTS.%s did not %s", status, on ? "set" : "clear");
	return timed_out(u, what);
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
	if (u->cap == 0 || u->ecap == 0)
		return fail(u, -ENODEV, "CAP or ECAP reads zero: no remapping unit there");
	if (!(u->ecap & VTD_ECAP_QI))
		return fail(u, -ENOTSUP, "no queued invalidation (ECAP.QI)");
	if (!(u->ecap & VTD_ECAP_IR))
		return fail(u, -ENOTSUP, "no interrupt remapping (ECAP.IR)");
	return 0;
}

/*
 * The queue's geometry follows IQA.DW (VT-d 4.1, 11.4.9.1-3; QEMU's
 * VTD_IQT_QT): 128-bit descriptors, 256 to the page, the IQH/IQT index in
 * bits 18:4; or 256-bit ones, 128 to the page, the index in bits 18:5 (bit
 * 4 zero). A 256-bit slot is the 128-bit descriptor and 128 bits of zero
 * (reserved for IEC and wait descriptors, 6.5.2.7-8): the page is zeroed
 * when allocated and only the low half of a slot is ever written.
 */
#define qi_entries(u)		(VTD_QI_ENTRIES >> (u)->qi_dw)
#define qi_index(u, reg)	((uint32_t)VTD_IQ_INDEX(reg) >> (u)->qi_dw)
#define qi_reg(u, i)		VTD_IQ_REG((uint64_t)(i) << (u)->qi_dw)
#define qi_slot(u, i)		(&(u)->qi[(uint64_t)(i) << (u)->qi_dw])

/* Room for one descriptor: the slot after the tail must not be the head
 * (6.5.2: the queue is full when the tail is one behind the head). */
static int qi_room(struct vtd_unit *u)
{
	uint32_t next = (u->qi_tail + 1) % qi_entries(u);

	if (!vtd_wait(u, qi_index(u, rd64(u, VTD_IQH)) != next))
		return 0;
	timed_out(u, "IQH did not move off a full queue");
	return -ENOSPC;
}

/* The descriptor in the tail slot; the caller writes IQT (qi_commit). */
static void qi_put(struct vtd_unit *u, struct qi_desc d)
{
	*qi_slot(u, u->qi_tail) = d;
	u->qi_tail = (u->qi_tail + 1) % qi_entries(u);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* descriptor before the tail */
}

static void qi_commit(struct vtd_unit *u)
{
	wr64(u, VTD_IQT, qi_reg(u, u->qi_tail));
}

static int qi_submit(struct vtd_unit *u, struct qi_desc d)
{
	int e = qi_room(u);

	if (e)
		return e;
	qi_put(u, d);
	qi_commit(u);
	return 0;
}

/*
 * An error the unit reported while our wait was pending (FSTS, 11.4.7;
 * 6.5.2.10 queued invalidation errors), handled as Linux's qi_check_fault:
 *  IQE  the unit refused the descriptor at IQH (IQER.IQEI says why) and
 *       fetches nothing more until IQE is cleared: that descriptor is
 *       overwritten with our wait, IQE cleared, and the queue left to run
 *       through it; -EINVAL, the refused descriptor named.
 *  ITE  a device-TLB invalidation timed out; the unit aborted every pending
 *       wait and fetches nothing until ITE is cleared: cleared, -EBUSY (the
 *       batch is submitted again, as qi_submit_sync's restart).
 *  ICE  an invalid device-TLB invalidation completion: cleared, and the
 *       wait goes on (0).
 */
static int qi_fault(struct vtd_unit *u, uint32_t fsts, uint32_t wait_index, uint32_t seq)
{
	u->queue_errors++;
	if (fsts & VTD_FSTS_IQE) {
		uint32_t head = qi_index(u, rd64(u, VTD_IQH)) % qi_entries(u);
		uint32_t iqei = (uint32_t)VTD_IQER_IQEI(rd64(u, VTD_IQER));
		struct qi_desc bad = *qi_slot(u, head);

		*qi_slot(u, head) = *qi_slot(u, wait_index);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the copy before the unit resumes */
		wr32(u, VTD_FSTS, VTD_FSTS_IQE);		/* write 1 to clear */
		if (vtd_wait(u, *u->status == seq))
			return timed_out(u, "the queue did not recover from FSTS.IQE");
		ksnprintf(u->error, sizeof(u->error),
			  "vtd 0x%lx: FSTS.IQE: descriptor %u (0x%lx) refused, IQER.IQEI %u",
			  u->base, head, (unsigned long)bad.lo, iqei);
		return -EINVAL;
	}
	if (fsts & VTD_FSTS_ITE) {
		wr32(u, VTD_FSTS, VTD_FSTS_ITE);
		ksnprintf(u->error, sizeof(u->error), "vtd 0x%lx: FSTS.ITE: the unit aborted the wait",
			  u->base);
		return -EBUSY;
	}
	wr32(u, VTD_FSTS, fsts & VTD_FSTS_ICE);
	return 0;
}

/* Wait descriptor with a status write, polled with a bound; the queue's
 * errors are looked at while it is polled (Linux qi_submit_sync). */
static int qi_wait_done(struct vtd_unit *u)
{
	uint32_t seq = ++u->status_seq;
	uint32_t wait_index = u->qi_tail, fsts = 0;
	int e = qi_submit(u, qi_wait(seq, u->status_phys, 0));

	if (e)
		return e;
	for (int n = 0; n < 4; n++) {	/* ICE cleared and the wait resumed, a few times */
		if (vtd_wait(u, *u->status == seq || ((fsts = rd32(u, VTD_FSTS)) & VTD_FSTS_QERR)))
			return timed_out(u, "the invalidation wait's status write did not come");
		if (*u->status == seq)
			return 0;
		if ((e = qi_fault(u, fsts, wait_index, seq)))
			return e;
	}
	return timed_out(u, "the invalidation wait's status write did not come (FSTS.ICE)");
}

static int iec_once(struct vtd_unit *u, int selective, uint32_t index)
{
	int e = qi_submit(u, qi_iec(selective, (uint16_t)index));

	if (e)
		return e;
	u->invalidations++;
	return qi_wait_done(u);
}

/* A batch whose wait the unit aborted (FSTS.ITE) is queued again, as
 * Linux's qi_submit_sync restarts on its -EAGAIN; three tries. */
static int iec(struct vtd_unit *u, int selective, uint32_t index)
{
	int e = -EBUSY;

	for (int tries = 0; tries < 3 && e == -EBUSY; tries++)
		e = iec_once(u, selective, index);
	return e;
}

int vtd_iec_invalidate(struct vtd_unit *u, uint32_t index)
{
	return iec(u, 1, index);
}

/* Clear every fault record with F set and the sticky error bits: the faults
 * tests see from now on are theirs. Returns how many records were set. */
static uint32_t faults_clear(struct vtd_unit *u)
{
	uint32_t fro = VTD_CAP_FRO(u->cap), nfr = VTD_CAP_NFR(u->cap), n = 0;

	for (uint32_t i = 0; i < nfr; i++) {
		uint32_t off = fro + 16 * i;

		if (rd32(u, off + VTD_FRCD_DW3) & VTD_FRCD_F) {
			wr32(u, off + VTD_FRCD_DW3, VTD_FRCD_F);	/* write 1 to clear */
			n++;
		}
	}
	wr32(u, VTD_FSTS, VTD_FSTS_CLEAR);
	return n;
}

int vtd_takeover(struct vtd_unit *u)
{
	static const struct { uint32_t bit; const char *status; } off[] = {
		{ VTD_GCMD_IRE, "IRES" }, { VTD_GCMD_TE, "TES" }, { VTD_GCMD_QIE, "QIES" },
		{ VTD_GCMD_CFI, "CFIS" },
	};
	int e;

	u->found_gsts = rd32(u, VTD_GSTS);
	u->found_fsts = rd32(u, VTD_FSTS);
	u->found_pmen = rd32(u, VTD_PMEN);
	/* The persistent enables only: one-shot commands are never kept. */
	u->gcmd = u->found_gsts & (VTD_GCMD_TE | VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_CFI);
	for (uint32_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		if (!(u->gcmd & off[i].bit))
			continue;
		/* Linux's dmar_disable_qi: the queue gets its bound to drain,
		 * and goes off after it whether or not it did. A queue stopped
		 * by an error (FSTS.IQE/ITE) fetches nothing until the error is
		 * cleared (11.4.7), so that comes first. */
		if (off[i].bit == VTD_GCMD_QIE) {
			wr32(u, VTD_FSTS, VTD_FSTS_QERR);	/* write 1 to clear */
			u->found_queue_stuck =
				!!vtd_wait(u, VTD_IQ_INDEX(rd64(u, VTD_IQH)) == VTD_IQ_INDEX(rd64(u, VTD_IQT)));
		}
		if ((e = command(u, off[i].bit, 0, off[i].status)))
			return e;
	}
	if (u->found_pmen & (VTD_PMEN_EPM | VTD_PMEN_PRS)) {
		wr32(u, VTD_PMEN, 0);
		if (vtd_wait(u, !(rd32(u, VTD_PMEN) & VTD_PMEN_PRS)))
			return timed_out(u, "PMEN.PRS did not clear");
	}
	u->found_faults = faults_clear(u);
	return 0;
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
		table_flush(u, u->irt, VTD_IRT_ENTRIES * sizeof(struct irte));	/* all not present */
	}
	if (x2apic && !(u->ecap & VTD_ECAP_EIM))
		return fail(u, -ENOTSUP, "x2APIC destinations need ECAP.EIM");
	u->x2apic = x2apic;
	/* Queued invalidation first: entry-cache invalidation needs it. */
	/* 256-bit descriptors where the unit has scalable mode (ECAP.SMTS), as
	 * Linux's __dmar_enable_qi (which also sets QS = 1 for 256 of them;
	 * msilab keeps one page, QS = 0: 128). The spec asks for them only in
	 * scalable mode (RTADDR_REG.TTM = 01b; a 128-bit descriptor then is
	 * IQE with IQER.IQEI 5, "invalid descriptor width", 11.4.9.9), which
	 * msilab never turns on but a previous owner (Linux on such a unit)
	 * leaves behind in RTADDR_REG; 256-bit ones are valid in either
	 * mode on such a unit, so Linux's rule covers both. */
	u->qi_dw = !!(u->ecap & VTD_ECAP_SMTS);
	wr64(u, VTD_IQA, u->qi_phys | (u->qi_dw ? VTD_IQA_DW : 0));	/* QS = 0: one page */
	wr64(u, VTD_IQT, 0);
	u->qi_tail = 0;
	if ((e = command(u, VTD_GCMD_QIE, 1, "QIES")))
		return e;
	wr64(u, VTD_IRTA, u->irt_phys | (x2apic ? VTD_IRTA_EIME : 0) | (VTD_IRT_SHIFT - 1));
	wr32(u, VTD_GCMD, u->gcmd | VTD_GCMD_SIRTP);	/* one-shot: not kept in gcmd */
	if (vtd_wait(u, rd32(u, VTD_GSTS) & VTD_GCMD_SIRTP))
		return timed_out(u, "GSTS.IRTPS did not set");
	if ((e = iec(u, 0, 0)))
		return e;
	return command(u, VTD_GCMD_IRE, 1, "IRES");
}

int vtd_set_ire(struct vtd_unit *u, int on)
{
	return command(u, VTD_GCMD_IRE, on, "IRES");
}

uint64_t vtd_qi_wait_irq(struct vtd_unit *u)
{
	uint64_t t0;

	if (qi_room(u))
		return rdtsc();
	qi_put(u, qi_wait(0, 0, 1));
	t0 = rdtsc();
	qi_commit(u);
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

struct irte vtd_irte_read(const struct vtd_unit *u, uint32_t index)
{
	return u->irt[index];
}

/*
 * The entry is changed with ordered 64-bit stores, never LOCK CMPXCHG16B:
 * KVM's instruction emulator cannot emulate CMPXCHG16B (em_cmpxchg8b
 * returns X86EMUL_UNHANDLEABLE for 16 bytes), so a hypervisor that traps
 * it stops the guest with "emulation failure". Nothing is special about
 * the table's page: on the nested KVM of issue 24 (kvm_pvm, shadow paging)
 * a CMPXCHG16B to a fresh page in another 2 MiB region, or to the stack,
 * traps the same way, while plain and LOCK-prefixed 64-bit accesses run.
 * Linux's modify_irte writes low then high with two 64-bit stores too,
 * keeping cmpxchg_double for posted entries (pst), which msilab never
 * writes. An aligned 64-bit store is one access (SDM Vol. 3A, "Guaranteed
 * Atomic Operations"), so every state the unit can read is an entry that
 * is whole, old or new, or not present (9.10: with P clear nothing else is
 * used; a message then is blocked and recorded as a fault, never delivered
 * through a mixed entry):
 *  - not present now: the upper half, then the lower half with P
 *    (Jailhouse vtd_update_irte);
 *  - present, upper half (SID, SQ, SVT) unchanged, which is every affinity
 *    move, mask and unmask: the lower half in one store, old or new;
 *  - present, upper half changing: the lower half without P first (going
 *    not present, as a deactivation does in full), then the upper half,
 *    then the lower half with P. A source that may fire meanwhile is
 *    masked at the source by the caller, or its message is a fault.
 */
int vtd_irte_write(struct vtd_unit *u, uint32_t index, struct irte e)
{
	volatile uint64_t *p = (volatile uint64_t *)&u->irt[index];

	if ((p[0] & IRTE_P) && p[1] != e.hi) {
		p[0] = e.lo & ~IRTE_P;		/* not present from here */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	}
	if (p[1] != e.hi) {
		p[1] = e.hi;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* upper half before P */
	}
	p[0] = e.lo;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	table_flush(u, &u->irt[index], sizeof(struct irte));	/* before the unit may read it */
	return vtd_iec_invalidate(u, index);
}

int vtd_fault_take(struct vtd_unit *u, struct vtd_fault *f)
{
	uint32_t fro = VTD_CAP_FRO(u->cap), nfr = VTD_CAP_NFR(u->cap);

	for (uint32_t i = 0; i < nfr; i++) {
		uint32_t off = fro + 16 * i;
		uint32_t w3 = rd32(u, off + VTD_FRCD_DW3);

		if (!(w3 & VTD_FRCD_F))
			continue;
		f->reason = (uint8_t)VTD_FRCD_FR(w3);
		f->sid = (uint16_t)VTD_FRCD_SID(rd32(u, off + VTD_FRCD_DW2));
		f->index = (uint16_t)VTD_FRCD_FI_IR(rd32(u, off + VTD_FRCD_DW1));
		f->overflow = !!(rd32(u, VTD_FSTS) & VTD_FSTS_PFO);
		wr32(u, off + VTD_FRCD_DW3, VTD_FRCD_F);	/* write 1 to clear */
		wr32(u, VTD_FSTS, VTD_FSTS_PPF | VTD_FSTS_PFO);
		return 1;
	}
	return 0;
}
