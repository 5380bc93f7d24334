// SPDX-License-Identifier: MIT
/*
 * drivers/iommu/intel/{irte,vtd}.c against a behavioural model of a VT-d
 * unit's registers. QEMU reads IRTEs from memory on every interrupt, so it
 * cannot show a missing entry-cache invalidation; this model caches every
 * IRTE it fetches until an IEC descriptor invalidates it, as hardware may
 * (VT-d 4.1, 6.2.5), so a change without invalidation is caught here. It
 * also acknowledges GCMD bits in GSTS, consumes the invalidation queue on a
 * tail write, and can be made to never acknowledge (for the poll bound)
 * or to stop consuming the queue (a full queue must never be overrun).
 * With ECAP.C clear it reads the table from "memory" that the CPU's
 * writes reach only through the flush callback (clflush in the firmware),
 * as an Intel client unit does and as QEMU, which models no cache, cannot
 * show. It takes one persistent GCMD field per write (VT-d 4.1, 11.4.4),
 * and its fault records and FSTS bits are write-1-to-clear.
 * As hardware, and unlike QEMU (which does all of it inside the register
 * write), it consumes the invalidation queue some time after the tail
 * write (QUEUE_LAG_US on its clock, then one descriptor per tick), so only the wait descriptor's status
 * write says an invalidation is done; it takes the table pointer from IRTA
 * only when SIRTP is set (11.4.4); and an interrupt arriving right after an
 * entry's invalidation fetches that entry again at once. A poll budget on
 * its clock and register reads turns a wait without its bound into a
 * failure instead of a hang.
 */
#include "tests/host/host.h"
#include "drivers/iommu/intel/vtd.h"
#include "lib/errno.h"

static struct model {
	uint8_t regs[4096];
	uint32_t gsts;
	int deaf;			/* never acknowledge a command */
	int stalled;			/* never consume the invalidation queue */
	uint32_t gcmd_log[16], ngcmd;
	struct irte cache[VTD_IRT_ENTRIES];
	int cached[VTD_IRT_ENTRIES];
	uint32_t iec_selective, iec_global, waits;
	uint64_t clock;
	uint8_t pages[8][4096] __attribute__((aligned(4096)));
	uint8_t dram[8][4096];		/* what a non-snooping unit reads */
	int npages;
	uint32_t flushed_lines;
	int drop_flushes;		/* a driver that forgot to flush, for the control */
	uint64_t irta;			/* the table pointer as latched by SIRTP */
	int queued;			/* a tail written, not yet consumed */
	uint32_t queued_tail;
	uint64_t queued_at;
	uint64_t clock_limit;		/* poll budget: fail past this clock (0: none) */
	uint32_t reads, read_limit;	/* and past this many register reads */
	uint32_t inv_events;		/* invalidation completion interrupts raised */
	int refuse_iec;			/* refuse the next IEC descriptor: FSTS.IQE */
	int ite_wait;			/* abort the next wait descriptor: FSTS.ITE */
	int qie_off_busy;		/* QIE went off with IQH != IQT */
	int ttm_scalable;		/* RTADDR_REG.TTM = 01b left by a previous owner */
} m;

#define QUEUE_LAG_US	300		/* tail write to descriptors consumed */

#define PERSISTENT	(VTD_GCMD_TE | VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_CFI)
#define FRO		32		/* the model's CAP.FRO */
#define NFR		4

static int coherent(void)
{
	uint64_t ecap;

	memcpy(&ecap, m.regs + VTD_ECAP, 8);
	return !!(ecap & VTD_ECAP_C);
}

/* The model's "memory" behind the CPU's view of a page. */
static uint8_t *dram_of(const void *p)
{
	for (int i = 0; i < m.npages; i++)
		if ((const uint8_t *)p >= m.pages[i] && (const uint8_t *)p < m.pages[i] + 4096)
			return m.dram[i] + ((const uint8_t *)p - m.pages[i]);
	return 0;
}

/* FSTS.PPF is read-only: set while any fault record holds F (FSTS_REG). */
static int fault_pending(void)
{
	for (uint32_t i = 0; i < NFR; i++) {
		uint32_t w3;

		memcpy(&w3, m.regs + FRO + 16 * i + 12, 4);
		if (w3 & VTD_FRCD_F)
			return 1;
	}
	return 0;
}

/* A poll that keeps going past its budget has lost its bound. */
static void poll_budget(void)
{
	if (m.read_limit && ++m.reads > m.read_limit)
		fail_msg("more than %u register reads: a poll of the unit without its bound", m.read_limit);
}

static uint32_t r32(void *ctx, uint32_t off)
{
	uint32_t v;

	(void)ctx;
	poll_budget();
	if (off == VTD_GSTS)
		return m.gsts;
	memcpy(&v, m.regs + off, 4);
	if (off == VTD_FSTS)
		v = (v & ~VTD_FSTS_PPF) | (fault_pending() ? VTD_FSTS_PPF : 0);
	return v;
}

static uint64_t r64(void *ctx, uint32_t off)
{
	uint64_t v;

	(void)ctx;
	poll_budget();
	memcpy(&v, m.regs + off, 8);
	return v;
}

static struct irte fetch(uint32_t index);

static void fsts_set(uint32_t bits)
{
	uint32_t v;

	memcpy(&v, m.regs + VTD_FSTS, 4);
	v |= bits;
	memcpy(m.regs + VTD_FSTS, &v, 4);
}

/* FSTS.IQE or ITE set: the unit fetches no descriptor until software
 * clears it (FSTS_REG; Linux qi_check_fault: "No new descriptors are
 * fetched until the IQE/ITE is cleared"). QEMU sets IQE too, but only
 * for what it rejects and never ITE, and never with a queue behind. */
static int queue_halted(void)
{
	uint32_t v;

	memcpy(&v, m.regs + VTD_FSTS, 4);
	return !!(v & (VTD_FSTS_IQE | VTD_FSTS_ITE));
}

/* Consume up to `max` descriptors up to `tail`, in order; IQH follows.
 * A descriptor the unit refuses (an unknown type, or refuse_iec) sets
 * FSTS.IQE with IQH left on it; a wait aborted (ite_wait) sets FSTS.ITE,
 * IQH past it, no status write. Returns whether the queue is now empty. */
static void queue_error(uint64_t iqei)
{
	memcpy(m.regs + VTD_IQER, &iqei, 8);
	fsts_set(VTD_FSTS_IQE);
}

static int process_queue(uint32_t tail, uint32_t max)
{
	uint64_t iqa, ecap, head, i;
	uint8_t *q;
	int dw, sh;
	uint32_t n;

	memcpy(&iqa, m.regs + VTD_IQA, 8);
	memcpy(&ecap, m.regs + VTD_ECAP, 8);
	memcpy(&head, m.regs + VTD_IQH, 8);
	/* IQA.DW counts only where the unit has scalable mode (QEMU's
	 * vtd_update_iq_dw): 256-bit descriptors, 128 to the page, the index
	 * in bits 18:5 of IQH/IQT, with bit 4 of IQT zero (QEMU's
	 * VTD_IQT_QT_256_RSV_BIT; IQER.IQEI 1, an invalid tail). */
	dw = (iqa & VTD_IQA_DW) && (ecap & VTD_ECAP_SMTS);
	sh = 4 + dw;
	n = VTD_QI_ENTRIES >> dw;
	q = (uint8_t *)(uintptr_t)(iqa & ~0xfffull);
	if (dw && (tail & 0x10)) {
		queue_error(1);
		return 0;
	}
	for (i = head >> sh; i != tail >> sh && max && !queue_halted(); i = (i + 1) % n, max--) {
		struct qi_desc d, up = { 0, 0 };

		memcpy(&d, q + (i << sh), 16);
		if (dw)
			memcpy(&up, q + (i << sh) + 16, 16);
		/* In scalable mode a 128-bit descriptor is refused (IQER.IQEI 5,
		 * invalid descriptor width: VT-d 4.1, 11.4.9.9). */
		if (m.ttm_scalable && !dw) {
			queue_error(5);
			break;
		}
		if (((d.lo & 0xf) != QI_IEC && (d.lo & 0xf) != QI_WAIT) ||
		    ((d.lo & 0xf) == QI_IEC && m.refuse_iec) || up.lo || up.hi) {
			m.refuse_iec = 0;
			queue_error(4);		/* IQER.IQEI: a reserved field set */
			break;			/* IQH stays on it */
		}
		if ((d.lo & 0xf) == QI_WAIT && m.ite_wait) {
			m.ite_wait = 0;
			fsts_set(VTD_FSTS_ITE);	/* the wait aborted: no status write */
			continue;
		}
		if ((d.lo & 0xf) == QI_IEC) {
			if (d.lo & QI_IEC_SELECTIVE) {
				m.cached[(d.lo >> 32) & 0xffff] = 0;
				m.iec_selective++;
				/* An interrupt for it arrives at once: fetched again. */
				fetch((d.lo >> 32) & 0xffff);
			} else {
				memset(m.cached, 0, sizeof(m.cached));
				m.iec_global++;
			}
		} else if ((d.lo & 0xf) == QI_WAIT) {
			assert_false((d.lo & QI_WAIT_SW) && (d.lo & QI_WAIT_IF));	/* QEMU aborts */
			if (d.lo & QI_WAIT_SW)
				*(volatile uint32_t *)(uintptr_t)d.hi = (uint32_t)(d.lo >> 32);
			if (d.lo & QI_WAIT_IF) {
				uint32_t ics;

				/* ICS.IWC set: an interrupt only when it was clear
				 * (11.4.9.4: a set IWC is no new event). */
				memcpy(&ics, m.regs + VTD_ICS, 4);
				if (!(ics & VTD_ICS_IWC))
					m.inv_events++;
				ics |= VTD_ICS_IWC;
				memcpy(m.regs + VTD_ICS, &ics, 4);
			}
			m.waits++;
		}
	}
	head = i << sh;
	memcpy(m.regs + VTD_IQH, &head, 8);
	return i == tail >> sh;
}

static void w32(void *ctx, uint32_t off, uint32_t v)
{
	uint32_t old;

	(void)ctx;
	if (off == VTD_GCMD) {
		if (m.ngcmd < 16)
			m.gcmd_log[m.ngcmd++] = v;
		/* One persistent field per write (11.4.4). */
		assert_true(__builtin_popcount((v ^ m.gsts) & PERSISTENT) <= 1);
		if (v & VTD_GCMD_SIRTP && !m.deaf)	/* the unit takes IRTA now, not later */
			memcpy(&m.irta, m.regs + VTD_IRTA, 8);
		if (v & VTD_GCMD_IRE && !(m.gsts & VTD_GCMD_IRE)) {
			/* Interrupts are remapped from this write on: through a
			 * latched table, and none from an entry cached before it. */
			assert_int_not_equal(m.irta, 0);
			for (uint32_t i = 0; i < VTD_IRT_ENTRIES; i++)
				if (m.cached[i])
					fail_msg("IRE set with IRTE %u still cached from before SIRTP", i);
		}
		if (!(v & VTD_GCMD_QIE) && (m.gsts & VTD_GCMD_QIE)) {
			uint64_t h, t;

			memcpy(&h, m.regs + VTD_IQH, 8);
			memcpy(&t, m.regs + VTD_IQT, 8);
			m.qie_off_busy = VTD_IQ_INDEX(h) != VTD_IQ_INDEX(t);
		}
		/* IQH is read-only: the unit puts it back to 0 when queued
		 * invalidation goes off (QEMU's vtd_handle_gcmd_qie), and
		 * Linux's __dmar_enable_qi, writing only IQT = 0, starts at
		 * slot 0; the work of a queue turned off is dropped. */
		if (!m.deaf && (v ^ m.gsts) & VTD_GCMD_QIE) {
			memset(m.regs + VTD_IQH, 0, 8);
			m.queued = 0;
		}
		if (!m.deaf)	/* each command bit shows in its status bit */
			m.gsts = v;
		return;
	}
	memcpy(&old, m.regs + off, 4);
	if (off == VTD_FSTS || off == VTD_ICS || (off >= FRO && off < FRO + 16 * NFR && (off - FRO) % 16 == 12))
		v = old & ~v;	/* write 1 to clear */
	if (off == VTD_PMEN)	/* protection follows EPM at once */
		v = (v & VTD_PMEN_EPM) | !!(v & VTD_PMEN_EPM);
	memcpy(m.regs + off, &v, 4);
}

static void w64(void *ctx, uint32_t off, uint64_t v)
{
	(void)ctx;
	memcpy(m.regs + off, &v, 8);
	if (off == VTD_IQT && (m.gsts & VTD_GCMD_QIE) && !m.stalled) {
		m.queued = 1;	/* consumed QUEUE_LAG_US later (now()) */
		m.queued_tail = (uint32_t)v;
		m.queued_at = m.clock;
	}
}

static uint64_t now(void)
{
	m.clock += 100;	/* 100 us per poll */
	if (m.clock_limit && m.clock > m.clock_limit)
		fail_msg("the clock passed %lu us: a poll of the unit without its bound",
			 (unsigned long)m.clock_limit);
	/* One descriptor per tick once the lag has passed. */
	if (m.queued && !m.stalled && !queue_halted() && m.clock - m.queued_at >= QUEUE_LAG_US)
		m.queued = !process_queue(m.queued_tail, 1);
	return m.clock;
}

static void *page(uint64_t *phys)
{
	void *p;

	if (m.npages == 8)
		return NULL;
	p = m.pages[m.npages];
	memset(m.dram[m.npages++], 0xa5, 4096);	/* stale memory behind a zeroed cache view */
	memset(p, 0, 4096);
	*phys = (uintptr_t)p;
	return p;
}

static void flush(const void *p, unsigned long n)
{
	for (uintptr_t a = (uintptr_t)p & ~63ul; a < (uintptr_t)p + n && !m.drop_flushes; a += 64) {
		uint8_t *d = dram_of((const void *)a);

		assert_non_null(d);
		memcpy(d, (const void *)a, 64);
		m.flushed_lines++;
	}
}

static const struct vtd_ops ops = {
	.read32 = r32, .write32 = w32, .read64 = r64, .write64 = w64, .now_us = now, .alloc_page = page,
	.flush = flush,
};

/* What the hardware would use for interrupt `index`: its cached copy, read
 * from the CPU's view of the table, or from memory when it does not snoop. */
static struct irte fetch(uint32_t index)
{
	struct irte *t;

	assert_int_not_equal(m.irta, 0);	/* no table before SIRTP */
	t = (struct irte *)(uintptr_t)(m.irta & ~0xfffull);
	if (!m.cached[index]) {
		if (coherent())
			m.cache[index] = t[index];
		else
			memcpy(&m.cache[index], dram_of(&t[index]), sizeof(struct irte));
		m.cached[index] = 1;
	}
	return m.cache[index];
}

static struct vtd_unit u;

static void reset_model(uint64_t ecap)
{
	uint64_t cap = (2ull << 24) | (3ull << 40);	/* FRO = 2 * 16, 4 fault records */

	memset(&m, 0, sizeof(m));
	memcpy(m.regs + VTD_CAP, &cap, 8);
	memcpy(m.regs + VTD_ECAP, &ecap, 8);
	m.regs[VTD_VER] = 0x10;
	/* A watchdog for every test: none runs the unit's clock past 100
	 * bounded polls' worth; an unbounded one fails here, not hangs. */
	m.clock_limit = 100 * VTD_POLL_US;
	m.read_limit = 100000;
}

static void probe_refusals(void **state)
{
	(void)state;
	reset_model(0);
	memset(m.regs, 0xff, 0x20);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), -ENODEV);
	assert_non_null(strstr(u.error, "all-ones"));
	reset_model(VTD_ECAP_QI);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), -ENOTSUP);
	assert_non_null(strstr(u.error, "ECAP.IR"));
}

static void bring_up_order(void **state)
{
	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	/* The previous owner's entry still in the unit's cache: the global
	 * invalidation must drop it before IRE (the model fails IRE otherwise). */
	m.cache[9] = irte_compose(0x99, 0, 0, -1, IRTE_SQ_ALL);
	m.cached[9] = 1;
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	/* The unit took the table (IRTA.S = 7: 256 entries, xAPIC) at SIRTP. */
	assert_int_equal(m.irta, u.irt_phys | (VTD_IRT_SHIFT - 1));
	/* No scalable mode: 128-bit descriptors, one page (IQA.DW, QS 0). */
	assert_int_equal(r64(0, VTD_IQA), u.qi_phys);
	/* QIE, then SIRTP (with QIE kept), then IRE; SIRTP never kept; CFI never. */
	assert_int_equal(m.ngcmd, 3);
	assert_int_equal(m.gcmd_log[0], VTD_GCMD_QIE);
	assert_int_equal(m.gcmd_log[1], VTD_GCMD_QIE | VTD_GCMD_SIRTP);
	assert_int_equal(m.gcmd_log[2], VTD_GCMD_QIE | VTD_GCMD_IRE);
	for (uint32_t i = 0; i < m.ngcmd; i++)
		assert_int_equal(m.gcmd_log[i] & VTD_GCMD_CFI, 0);
	assert_int_equal(m.iec_global, 1);	/* the whole cache, before IRE */
	assert_true(u.gcmd & VTD_GCMD_IRE);
	/* x2APIC destinations need EIM. */
	assert_int_equal(vtd_enable_ir(&u, 1), -ENOTSUP);
}

/* x2APIC destinations: IRTA.EIME set in the pointer the unit takes, and
 * the IRTE holds the 32-bit APIC ID in bits 63:32 (9.10). */
static void bring_up_x2apic(void **state)
{
	struct irte e = irte_compose(0x41, 0x1234, 1, 0x0018, IRTE_SQ_ALL);

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR | VTD_ECAP_EIM);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 1), 0);
	assert_int_equal(m.irta, u.irt_phys | VTD_IRTA_EIME | (VTD_IRT_SHIFT - 1));
	assert_true(u.x2apic);
	assert_int_equal(vtd_irte_write(&u, 5, e), 0);
	assert_int_equal(IRTE_DST_X2APIC_OF(fetch(5).lo), 0x1234);
}

/* The IRTE's life as the remapping domain drives it (irq_remap.c):
 * activation after alloc, an affinity move, mask and unmask at the IRTE,
 * and the clear at deactivation before free. Each change is followed by an
 * index-selective IEC invalidation and a wait whose status write is polled
 * (6.5.2.7-8; Linux modify_irte -> qi_flush_iec -> qi_submit_sync): the
 * model caches the old entry and consumes the queue only later, so the
 * unit uses the new entry when the write returns only if both happened, in
 * that order. */
static void irte_step(uint32_t index, struct irte e, uint32_t *iec, uint32_t *waits)
{
	assert_int_equal(vtd_irte_write(&u, index, e), 0);
	assert_int_equal(m.iec_selective, ++*iec);
	assert_int_equal(m.waits, ++*waits);
	assert_false(m.queued);			/* nothing left for the unit to do */
	assert_int_equal(fetch(index).lo, e.lo);	/* what the unit uses now */
	assert_int_equal(fetch(index).hi, e.hi);
}

static void every_change_is_invalidated(void **state)
{
	struct irte a = irte_compose(0x41, 1, 0, 0x0018, IRTE_SQ_ALL);
	struct irte b = irte_compose(0x52, 2, 0, 0x0018, IRTE_SQ_ALL);
	struct irte masked = b;
	uint32_t iec = 0, waits = 1;	/* the bring-up's global one and its wait */
	int i;

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR | VTD_ECAP_EIM);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	assert_int_equal(m.waits, waits);
	i = vtd_irte_alloc(&u);
	assert_int_equal(i, 0);
	irte_step((uint32_t)i, a, &iec, &waits);		/* activation */
	irte_step((uint32_t)i, b, &iec, &waits);		/* affinity: another CPU */
	masked.lo &= ~IRTE_P;
	irte_step((uint32_t)i, masked, &iec, &waits);	/* masked at the IRTE */
	irte_step((uint32_t)i, b, &iec, &waits);		/* unmasked */
	irte_step((uint32_t)i, (struct irte){ .lo = 0, .hi = 0 }, &iec, &waits);	/* deactivated */
	vtd_irte_free(&u, (uint32_t)i);
	assert_int_equal(u.invalidations, 6);	/* 5 selective + the global one */
	assert_int_equal(vtd_irte_alloc(&u), i);	/* the slot is free again */
}

/* A present entry whose upper half changes (a test giving it another
 * source ID through the IOMMU interface): written with 64-bit stores only (no
 * CMPXCHG16B, which KVM cannot emulate), so it goes not present while the
 * upper half changes and present again after; the unit then uses the new
 * entry whole. An upper half left alone keeps its one-store path. */
static void present_entry_gets_a_new_upper_half(void **state)
{
	struct irte a = irte_compose(0x41, 1, 0, 0x0018, IRTE_SQ_ALL);
	struct irte b = irte_compose(0x41, 1, 0, 0x0020, IRTE_SQ_IGNORE_2_0);
	struct irte c = irte_compose(0x43, 3, 0, 0x0020, IRTE_SQ_IGNORE_2_0);

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	assert_int_equal(vtd_irte_write(&u, 7, a), 0);
	assert_int_equal(vtd_irte_write(&u, 7, b), 0);
	assert_int_equal(fetch(7).lo, b.lo);
	assert_int_equal(fetch(7).hi, b.hi);
	assert_int_equal(vtd_irte_write(&u, 7, c), 0);
	assert_int_equal(fetch(7).lo, c.lo);
	assert_int_equal(fetch(7).hi, c.hi);
	assert_int_equal(vtd_irte_read(&u, 7).lo, c.lo);
}

/* Every poll gives up after VTD_POLL_US with the reason: a command GSTS
 * never acknowledges, a wait whose status write never comes. The model
 * fails the test once the clock or the register reads run past twice that
 * (a poll without its bound would otherwise hang here). */
static void polls_are_bounded(void **state)
{
	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	m.deaf = 1;
	m.clock_limit = 2 * VTD_POLL_US;
	m.read_limit = 2 * VTD_POLL_US / 100;	/* one read per 100 us tick */
	assert_int_equal(vtd_enable_ir(&u, 0), -ETIMEDOUT);
	assert_non_null(strstr(u.error, "GSTS.QIES did not set within 10 ms"));
	assert_true(m.clock <= (VTD_POLL_US + 1000));
	/* A unit that stops consuming its queue: the wait after an IRTE change
	 * ends in an error, not a hang. */
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	m.stalled = 1;
	m.clock_limit = m.clock + 2 * VTD_POLL_US;
	m.reads = 0;
	m.read_limit = 2 * VTD_POLL_US / 100;
	assert_int_equal(vtd_irte_write(&u, 1, irte_compose(0x41, 1, 0, -1, IRTE_SQ_ALL)), -ETIMEDOUT);
	assert_non_null(strstr(u.error, "status write did not come within 10 ms"));
}

/* A unit with scalable mode (ECAP.SMTS) that a previous owner left in it
 * (RTADDR_REG.TTM = 01b): it refuses 128-bit descriptors (IQER.IQEI 5), so
 * the queue takes 256-bit ones (IQA.DW, Linux __dmar_enable_qi): 128 to
 * the page, IQH/IQT counting them in bits 18:5, the upper 128 bits zero.
 * Bring-up, IRTE changes and a full queue all work in that geometry. */
static void scalable_unit_takes_256_bit_descriptors(void **state)
{
	struct irte a = irte_compose(0x41, 1, 0, 0x0018, IRTE_SQ_ALL);
	uint64_t head, tail;

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR | VTD_ECAP_SMTS);
	m.ttm_scalable = 1;
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	assert_int_equal(r64(0, VTD_IQA), u.qi_phys | VTD_IQA_DW);
	assert_int_equal(r64(0, VTD_IQT), 2ull << 5);	/* the global IEC and its wait */
	assert_int_equal(m.iec_global, 1);
	assert_int_equal(vtd_irte_write(&u, 9, a), 0);
	assert_int_equal(m.iec_selective, 1);
	assert_int_equal(fetch(9).lo, a.lo);
	m.stalled = 1;
	for (uint32_t i = 0; i < VTD_QI_ENTRIES / 2 + 8; i++)
		vtd_qi_wait_irq(&u);
	memcpy(&head, m.regs + VTD_IQH, 8);
	memcpy(&tail, m.regs + VTD_IQT, 8);
	assert_int_equal(tail >> 5, ((head >> 5) + VTD_QI_ENTRIES / 2 - 1) % (VTD_QI_ENTRIES / 2));
	assert_int_equal(tail & 0x1f, 0);
	assert_int_equal(r32(0, VTD_FSTS) & VTD_FSTS_QERR, 0);
}

/* A queue the hardware stops consuming: descriptors are queued until one
 * slot is left, then refused with the reason; the tail never reaches the
 * head, which would make the hardware see an empty queue (6.5.2). */
static void full_queue_never_overrun(void **state)
{
	uint64_t head, tail;

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	m.stalled = 1;
	for (uint32_t i = 0; i < VTD_QI_ENTRIES + 8; i++)
		vtd_qi_wait_irq(&u);
	memcpy(&head, m.regs + VTD_IQH, 8);
	memcpy(&tail, m.regs + VTD_IQT, 8);
	assert_int_equal(VTD_IQ_INDEX(tail), (VTD_IQ_INDEX(head) + VTD_QI_ENTRIES - 1) % VTD_QI_ENTRIES);
	assert_non_null(strstr(u.error, "IQH did not move off a full queue within 10 ms"));
	/* An invalidation on the full queue fails with that reason too. */
	assert_int_equal(vtd_iec_invalidate(&u, 3), -ENOSPC);
	m.stalled = 0;
	process_queue((uint32_t)tail, VTD_QI_ENTRIES);
	assert_int_equal(vtd_iec_invalidate(&u, 3), 0);
}

/* ECAP.C clear: the unit reads memory, so the zeroed table and every IRTE
 * change must be written back, and are; without the write-back (the
 * control) the unit would read stale bytes. */
static void noncoherent_unit_reads_only_what_was_flushed(void **state)
{
	struct irte a = irte_compose(0x41, 1, 0, 0x0018, IRTE_SQ_ALL);
	int i;

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);	/* C clear, as QEMU's and Intel clients' */
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	assert_int_equal(m.flushed_lines, 4096 / 64);	/* the whole table, zeroed */
	assert_int_equal(fetch(200).lo & IRTE_P, 0);	/* never written: not present */
	i = vtd_irte_alloc(&u);
	assert_int_equal(vtd_irte_write(&u, (uint32_t)i, a), 0);
	assert_int_equal(fetch(i).lo, a.lo);
	assert_int_equal(fetch(i).hi, a.hi);
	assert_int_equal(u.flushes, 2);
	/* The control: the same write without a flush is not what the unit reads. */
	m.drop_flushes = 1;
	a.lo ^= IRTE_VECTOR(0x41 ^ 0x42);
	assert_int_equal(vtd_irte_write(&u, (uint32_t)i, a), 0);
	assert_int_not_equal(fetch(i).lo, a.lo);
}

/* The invalidation completion event as an interrupt source: each wait
 * with IF raises it only while ICS.IWC is clear, so the handler's
 * write-1-to-clear of IWC is what lets the next one raise (11.4.9.4). */
static void completion_event_raises_each_time(void **state)
{
	uint32_t ics;

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	for (uint32_t i = 1; i <= 3; i++) {
		vtd_qi_wait_irq(&u);
		while (m.queued)
			now();
		assert_int_equal(m.inv_events, i);
		vtd_inv_event_ack(&u);
		memcpy(&ics, m.regs + VTD_ICS, 4);
		assert_int_equal(ics & VTD_ICS_IWC, 0);
	}
}

static void coherent_unit_is_never_flushed(void **state)
{
	(void)state;
	reset_model(VTD_ECAP_C | VTD_ECAP_QI | VTD_ECAP_IR);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	assert_int_equal(vtd_irte_write(&u, 3, irte_compose(0x50, 0, 0, -1, IRTE_SQ_ALL)), 0);
	assert_int_equal(fetch(3).lo & IRTE_P, IRTE_P);
	assert_int_equal(m.flushed_lines, 0);
	assert_int_equal(u.flushes, 0);
}

/* A unit left by its previous owner with translation, queued invalidation,
 * remapping and compatibility format on, protected memory on and two
 * faults pending: each turned off one field per write, remapping first,
 * the faults cleared, and the unit then brought up as usual. */
static void takeover_from_previous_owner(void **state)
{
	uint32_t f = VTD_FRCD_F | VTD_FR_IR_ENTRY_P, pmen = VTD_PMEN_EPM | VTD_PMEN_PRS;
	uint32_t fsts = VTD_FSTS_PFO | VTD_FSTS_PPF | VTD_FSTS_IQE, w3;

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	m.gsts = VTD_GCMD_TE | VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_CFI;
	memcpy(m.regs + FRO + 12, &f, 4);
	memcpy(m.regs + FRO + 16 * 2 + 12, &f, 4);
	memcpy(m.regs + VTD_PMEN, &pmen, 4);
	memcpy(m.regs + VTD_FSTS, &fsts, 4);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_takeover(&u), 0);
	assert_int_equal(u.found_gsts, VTD_GCMD_TE | VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_CFI);
	assert_int_equal(u.found_pmen, pmen);
	assert_int_equal(u.found_fsts, fsts);
	assert_int_equal(u.found_faults, 2);
	assert_int_equal(m.ngcmd, 4);
	assert_int_equal(m.gcmd_log[0], VTD_GCMD_TE | VTD_GCMD_QIE | VTD_GCMD_CFI);	/* IRE off */
	assert_int_equal(m.gcmd_log[1], VTD_GCMD_QIE | VTD_GCMD_CFI);			/* TE off */
	assert_int_equal(m.gcmd_log[2], VTD_GCMD_CFI);				/* QIE off */
	assert_int_equal(m.gcmd_log[3], 0);					/* CFI off */
	memcpy(&w3, m.regs + FRO + 12, 4);
	assert_int_equal(w3 & VTD_FRCD_F, 0);
	memcpy(&w3, m.regs + VTD_PMEN, 4);
	assert_int_equal(w3, 0);
	memcpy(&w3, m.regs + VTD_FSTS, 4);
	assert_int_equal(w3 & VTD_FSTS_CLEAR, 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	assert_true(m.gsts & VTD_GCMD_IRE);
}

/* The previous owner's queue: descriptors 0-4 pending in a page of the
 * model's (`fill` each, type in bits 3:0), the tail at 5, and FSTS as left. */
static void previous_queue(uint64_t fill, uint32_t fsts)
{
	uint64_t iqa, tail = VTD_IQ_REG(5);
	struct qi_desc *q = page(&iqa);

	for (int i = 0; i < 5; i++)
		q[i] = (struct qi_desc){ .lo = fill };
	m.gsts = VTD_GCMD_QIE;
	memcpy(m.regs + VTD_IQA, &iqa, 8);
	memcpy(m.regs + VTD_IQT, &tail, 8);
	memcpy(m.regs + VTD_FSTS, &fsts, 4);
	m.queued = 1;
	m.queued_tail = (uint32_t)tail;
}

/* A queue left on with work in it that never drains (its next descriptor
 * is refused, FSTS.IQE again each time it is cleared): queued invalidation
 * goes off after the bound all the same, as Linux's dmar_disable_qi, and
 * the takeover goes on; the stuck queue is reported. */
static void takeover_with_a_stuck_queue(void **state)
{
	uint64_t t0;

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	previous_queue(0, VTD_FSTS_IQE);	/* type 0: no such descriptor */
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	t0 = m.clock;
	assert_int_equal(vtd_takeover(&u), 0);
	assert_true(u.found_queue_stuck);
	assert_true(m.clock - t0 >= VTD_POLL_US);	/* it was given its bound */
	assert_false(m.gsts & VTD_GCMD_QIE);
	assert_true(m.qie_off_busy);
	assert_int_equal(r32(0, VTD_FSTS) & VTD_FSTS_QERR, 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
}

/* A queue left stopped by an error (FSTS.IQE, ITE) with valid work behind
 * it: the error is cleared before the drain wait, so the queue drains and
 * QIE goes off with IQH == IQT, without waiting out the bound. */
static void takeover_clears_the_queue_error_first(void **state)
{
	uint32_t errs[] = { VTD_FSTS_IQE, VTD_FSTS_ITE };

	(void)state;
	for (int i = 0; i < 2; i++) {
		reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
		previous_queue(QI_WAIT, errs[i]);	/* waits with neither SW nor IF */
		assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
		assert_int_equal(vtd_takeover(&u), 0);
		assert_false(u.found_queue_stuck);
		assert_false(m.qie_off_busy);
		assert_int_equal(m.waits, 5);
		assert_true(u.found_fsts & errs[i]);
		assert_int_equal(r32(0, VTD_FSTS) & VTD_FSTS_QERR, 0);
	}
}

/* In operation, a descriptor the unit refuses (FSTS.IQE) is named, the
 * queue recovered as Linux's qi_check_fault does (the refused descriptor
 * overwritten with the wait, IQE cleared), and the next change works; a
 * wait the unit aborts (FSTS.ITE) is cleared and the invalidation queued
 * again. Before, both read as "status write did not come" forever after. */
static void queue_errors_named_and_recovered(void **state)
{
	struct irte a = irte_compose(0x41, 1, 0, 0x0018, IRTE_SQ_ALL);
	struct irte b = irte_compose(0x52, 2, 0, 0x0018, IRTE_SQ_ALL);

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_enable_ir(&u, 0), 0);
	m.refuse_iec = 1;
	assert_int_equal(vtd_irte_write(&u, 4, a), -EINVAL);
	assert_non_null(strstr(u.error, "FSTS.IQE: descriptor 2 (0x400000014) refused, IQER.IQEI 4"));
	assert_int_equal(r32(0, VTD_FSTS) & VTD_FSTS_QERR, 0);
	assert_int_equal(vtd_irte_write(&u, 4, b), 0);	/* the queue works again */
	assert_int_equal(fetch(4).lo, b.lo);
	assert_int_equal(u.queue_errors, 1);
	m.ite_wait = 1;
	assert_int_equal(vtd_irte_write(&u, 4, a), 0);
	assert_int_equal(fetch(4).lo, a.lo);
	assert_int_equal(u.queue_errors, 2);
	assert_int_equal(m.iec_selective, 3);		/* the aborted batch queued again */
	assert_int_equal(r32(0, VTD_FSTS) & VTD_FSTS_QERR, 0);
}

static void table_fills_up(void **state)
{
	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	for (uint32_t i = 0; i < VTD_IRT_ENTRIES; i++)
		assert_int_equal(vtd_irte_alloc(&u), (int)i);
	assert_int_equal(vtd_irte_alloc(&u), -ENOSPC);
	vtd_irte_free(&u, 77);
	assert_int_equal(vtd_irte_alloc(&u), 77);
}

static void irte_and_message_formats(void **state)
{
	struct irte x = irte_compose(0x30, 5, 0, 0x0300, IRTE_SQ_ALL);
	struct irte y = irte_compose(0xef, 0x12345, 1, -1, IRTE_SQ_ALL);
	/* The HPET's: its source ID from the DMAR scope, function bits ignored. */
	struct irte z = irte_compose(0x60, 2, 0, 0x00f8, IRTE_SQ_IGNORE_2_0);
	struct msi_msg msg;

	(void)state;
	/* VT-d 9.10: P bit 0, vector 23:16, xAPIC DST 47:40, SID 79:64, SVT 83:82 = 01. */
	assert_int_equal(x.lo, 0x0000050000300001ull);
	assert_int_equal(x.hi, 0x0000000000040300ull);
	assert_int_equal(y.lo, 0x0001234500ef0001ull);
	assert_int_equal(y.hi, 0);
	/* The decoders read back what the encoders wrote. */
	assert_int_equal(IRTE_VECTOR_OF(x.lo), 0x30);
	assert_int_equal(IRTE_DST_XAPIC_OF(x.lo), 5);
	assert_int_equal(IRTE_DST_X2APIC_OF(y.lo), 0x12345);
	assert_int_equal(IRTE_SID_OF(x.hi), 0x0300);
	assert_int_equal(x.hi & IRTE_SVT_MASK, IRTE_SVT_RID);
	assert_int_equal(IRTE_SQ_OF(x.hi), IRTE_SQ_ALL);
	assert_int_equal(z.hi, 0x00000000000700f8ull);	/* SID 79:64, SQ 81:80 = 11, SVT 01 */
	assert_int_equal(IRTE_SQ_OF(z.hi), IRTE_SQ_IGNORE_2_0);
	/* 5.1.5.2: handle 14:0 in address 19:5, handle 15 in bit 2, format bit 4. */
	ir_msg_compose(0x8123, 0, 0, &msg);
	assert_int_equal(msg.address_lo, 0xfee00000u | 0x123 << 5 | 1u << 4 | 1u << 2);
	assert_int_equal(ir_msg_index(&msg), 0x8123);
	ir_msg_compose(40, 1, 3, &msg);
	assert_int_equal(msg.data, 3);
	assert_int_equal(ir_msg_index(&msg), 43);
	msg = (struct msi_msg){ .address_lo = 0xfee01000u, .data = 0x41 };
	assert_int_equal(ir_msg_index(&msg), -1);	/* compatibility format */
	/* A wait descriptor is status write or interrupt, never both. */
	assert_int_equal(qi_wait(7, 0x1000, 0).lo & (QI_WAIT_IF | QI_WAIT_SW), QI_WAIT_SW);
	assert_int_equal(qi_wait(7, 0x1000, 1).lo & (QI_WAIT_IF | QI_WAIT_SW), QI_WAIT_IF);
}

static void faults_taken_and_cleared(void **state)
{
	struct vtd_fault f;
	uint32_t w;

	(void)state;
	reset_model(VTD_ECAP_QI | VTD_ECAP_IR);
	assert_int_equal(vtd_probe(&u, &ops, 0, 0xfed90000), 0);
	assert_int_equal(vtd_fault_take(&u, &f), 0);
	/* Fault record 1 (at FRO + 16): index 0x2a, SID 00:03.0, reason 0x22. */
	w = 0x2au << 16;
	memcpy(m.regs + 32 + 16 + 4, &w, 4);
	w = 0x0018;
	memcpy(m.regs + 32 + 16 + 8, &w, 4);
	w = 1u << 31 | 0x22;
	memcpy(m.regs + 32 + 16 + 12, &w, 4);
	/* Fault record 3: index 7, SID 01:00.0, reason 0x26. */
	w = 7u << 16;
	memcpy(m.regs + 32 + 48 + 4, &w, 4);
	w = 0x0100;
	memcpy(m.regs + 32 + 48 + 8, &w, 4);
	w = 1u << 31 | 0x26;
	memcpy(m.regs + 32 + 48 + 12, &w, 4);
	assert_int_equal(vtd_fault_take(&u, &f), 1);
	assert_int_equal(f.reason, VTD_FR_IR_ENTRY_P);
	assert_int_equal(f.sid, 0x0018);
	assert_int_equal(f.index, 0x2a);
	/* FRCD.F is write-1-to-clear (FRCD_REG): the record stays recorded until
	 * the driver clears it, and a record left set is taken again (and on
	 * hardware blocks the next fault in that slot). The model keeps F until
	 * a 1 is written to it. */
	memcpy(&w, m.regs + 32 + 16 + 12, 4);
	assert_int_equal(w & VTD_FRCD_F, 0);
	assert_int_equal(vtd_fault_take(&u, &f), 1);
	assert_int_equal(f.reason, VTD_FR_IR_SID_ERR);
	assert_int_equal(f.sid, 0x0100);
	assert_int_equal(f.index, 7);
	memcpy(&w, m.regs + 32 + 48 + 12, 4);
	assert_int_equal(w & VTD_FRCD_F, 0);
	/* Every record taken: none left, and FSTS.PPF (read-only, any F set) off. */
	assert_int_equal(vtd_fault_take(&u, &f), 0);
	assert_int_equal(r32(0, VTD_FSTS) & VTD_FSTS_PPF, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_refusals),
		cmocka_unit_test(bring_up_order),
		cmocka_unit_test(bring_up_x2apic),
		cmocka_unit_test(every_change_is_invalidated),
		cmocka_unit_test(present_entry_gets_a_new_upper_half),
		cmocka_unit_test(polls_are_bounded),
		cmocka_unit_test(full_queue_never_overrun),
		cmocka_unit_test(scalable_unit_takes_256_bit_descriptors),
		cmocka_unit_test(noncoherent_unit_reads_only_what_was_flushed),
		cmocka_unit_test(coherent_unit_is_never_flushed),
		cmocka_unit_test(completion_event_raises_each_time),
		cmocka_unit_test(takeover_from_previous_owner),
		cmocka_unit_test(takeover_with_a_stuck_queue),
		cmocka_unit_test(takeover_clears_the_queue_error_first),
		cmocka_unit_test(queue_errors_named_and_recovered),
		cmocka_unit_test(table_fills_up),
		cmocka_unit_test(irte_and_message_formats),
		cmocka_unit_test(faults_taken_and_cleared),
	};
	return RUN(tests);
}
