/* SPDX-License-Identifier: MIT */
/*
 * A VT-d remapping unit: registers, queued invalidation, the interrupt
 * remapping table. See Intel VT-d Specification 4.1, chapter 11 (register
 * descriptions), 6.5.2 (queued invalidation), 5.1 (interrupt remapping).
 * Register and bit names as Linux's drivers/iommu/intel/iommu.h has them
 * (DMAR_PMEN_REG, DMA_GSTS_*, DMA_FSTS_*, ecap_coherent).
 * Registers are reached through an ops table: MMIO in the firmware, a
 * behavioural model in the host tests (tests/host/test_vtd.c).
 */
#ifndef DRIVERS_IOMMU_INTEL_VTD_H
#define DRIVERS_IOMMU_INTEL_VTD_H

#include "lib/compiler.h"
#include <stdint.h>
#include "drivers/iommu/intel/irte.h"

#define VTD_VER		0x00
#define VTD_CAP		0x08
# define VTD_CAP_FRO(c)	((((c) >> 24) & 0x3ff) * 16)	/* fault recording offset */
# define VTD_CAP_NFR(c)	((((c) >> 40) & 0xff) + 1)	/* fault recording registers */
#define VTD_ECAP	0x10
# define VTD_ECAP_C	(1ull << 0)	/* hardware reads of remapping tables snoop caches */
# define VTD_ECAP_QI	(1ull << 1)
# define VTD_ECAP_IR	(1ull << 3)
# define VTD_ECAP_EIM	(1ull << 4)
# define VTD_ECAP_SMTS	(1ull << 43)	/* scalable-mode translation (Linux ecap_smts) */
#define VTD_GCMD	0x18	/* global command */
#define VTD_GSTS	0x1c	/* global status, same bit positions */
# define VTD_GCMD_TE	(1u << 31)	/* DMA translation enable */
# define VTD_GCMD_QIE	(1u << 26)	/* queued invalidation enable */
# define VTD_GCMD_IRE	(1u << 25)	/* interrupt remapping enable */
# define VTD_GCMD_SIRTP	(1u << 24)	/* set interrupt remap table pointer (one-shot) */
# define VTD_GCMD_CFI	(1u << 23)	/* compatibility format interrupts allowed */
#define VTD_FSTS	0x34	/* fault status */
# define VTD_FSTS_PFO	(1u << 0)	/* primary fault overflow (write 1 to clear) */
# define VTD_FSTS_PPF	(1u << 1)	/* primary pending fault: some FRCD has F */
# define VTD_FSTS_IQE	(1u << 4)	/* invalidation queue error (write 1 to clear) */
# define VTD_FSTS_ICE	(1u << 5)	/* invalidation completion error */
# define VTD_FSTS_ITE	(1u << 6)	/* invalidation time-out error */
# define VTD_FSTS_QERR	(VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE)	/* the queue's errors */
# define VTD_FSTS_CLEAR	(VTD_FSTS_PFO | VTD_FSTS_QERR)
#define VTD_FECTL	0x38	/* fault event control: IM 31, IP 30 */
#define VTD_FEDATA	0x3c
#define VTD_FEADDR	0x40
#define VTD_FEUADDR	0x44
#define VTD_PMEN	0x64	/* protected memory enable */
# define VTD_PMEN_EPM	(1u << 31)	/* enable protected memory regions */
# define VTD_PMEN_PRS	(1u << 0)	/* protected region status */
#define VTD_IQH		0x80	/* invalidation queue head */
#define VTD_IQT		0x88	/* invalidation queue tail */
# define VTD_IQ_INDEX(r)	(((r) >> 4) & 0x7fff)	/* bits 18:4 of IQH and IQT */
# define VTD_IQ_REG(i)		((uint64_t)(i) << 4)
#define VTD_IQA		0x90
# define VTD_IQA_DW	(1ull << 11)	/* 256-bit descriptors (11.4.9.3; Linux __dmar_enable_qi) */
#define VTD_ICS		0x9c
# define VTD_ICS_IWC	(1u << 0)
#define VTD_IECTL	0xa0	/* invalidation event control: IM 31, IP 30 */
#define VTD_IEDATA	0xa4
#define VTD_IEADDR	0xa8
#define VTD_IEUADDR	0xac
#define VTD_IQER	0xb0	/* invalidation queue error record (Linux DMAR_IQER_REG) */
# define VTD_IQER_IQEI(r)	((r) & 0xf)	/* why the descriptor at IQH was refused */
#define VTD_IRTA	0xb8
# define VTD_IRTA_EIME	(1ull << 11)
#define VTD_EVT_IM	(1u << 31)	/* FECTL, IECTL: interrupt mask */
#define VTD_EVT_IP	(1u << 30)	/* FECTL, IECTL: interrupt pending */

/* Fault recording registers (11.4.11): 128 bits each at CAP.FRO + 16 * i,
 * read as dwords at these offsets. */
#define VTD_FRCD_DW1		4	/* bits 63:32 */
# define VTD_FRCD_FI_IR(w)	((w) >> 16)	/* FI[63:48]: the interrupt index */
#define VTD_FRCD_DW2		8	/* bits 95:64 */
# define VTD_FRCD_SID(w)	((w) & 0xffff)	/* source identifier */
#define VTD_FRCD_DW3		12	/* bits 127:96 */
# define VTD_FRCD_F		(1u << 31)	/* fault recorded; write 1 to clear */
# define VTD_FRCD_FR(w)		((w) & 0xff)	/* fault reason */

/* Interrupt-remapping fault reasons (VT-d 4.1, chapter 7: interrupt
 * remapping fault conditions; names as QEMU's intel_iommu_internal.h). */
#define VTD_FR_IR_REQ_RSVD	0x20	/* reserved field set in the request */
#define VTD_FR_IR_INDEX_OVER	0x21	/* handle beyond the table (IRTA.S) */
#define VTD_FR_IR_ENTRY_P	0x22	/* IRTE not present */
#define VTD_FR_IR_ROOT_INVAL	0x23	/* the table could not be read */
#define VTD_FR_IR_IRTE_RSVD	0x24	/* reserved field set in a present IRTE */
#define VTD_FR_IR_REQ_COMPAT	0x25	/* compatibility format with GCMD.CFI clear */
#define VTD_FR_IR_SID_ERR	0x26	/* source-id verification failed */

#define VTD_QI_ENTRIES	256	/* one 4 KiB page of 128-bit descriptors (128 of 256-bit) */
#define VTD_IRT_SHIFT	8	/* 2^(7+1) = 256 entries: IRTA.S = 7 */
#define VTD_IRT_ENTRIES	(1u << VTD_IRT_SHIFT)

struct vtd_ops {
	uint32_t (*read32)(void *ctx, uint32_t off);
	void (*write32)(void *ctx, uint32_t off, uint32_t v);
	/* 64-bit registers at their own (8-byte aligned) offset only: QEMU
	 * aborts on an 8-byte access at a *_HI offset. */
	uint64_t (*read64)(void *ctx, uint32_t off);
	void (*write64)(void *ctx, uint32_t off, uint64_t v);
	uint64_t (*now_us)(void);	/* for poll bounds */
	void *(*alloc_page)(uint64_t *phys);	/* zeroed 4 KiB */
	/* Write [p, p + n) back from the CPU caches to memory (clflush): for a
	 * unit whose table reads do not snoop (ECAP.C clear). */
	void (*flush)(const void *p, unsigned long n);
};

struct vtd_unit {
	const struct vtd_ops *ops;
	void *ctx;
	uint64_t base;
	uint32_t ver;
	uint64_t cap, ecap;
	uint32_t gcmd;		/* software copy of the enabled bits */
	int x2apic;		/* IRTEs in x2APIC format (IRTA.EIME) */
	struct qi_desc *qi;
	uint64_t qi_phys;
	uint32_t qi_tail;
	uint32_t qi_dw;		/* IQA.DW: 256-bit descriptors, IQH/IQT index in bits 18:5 */
	volatile uint32_t *status;	/* the wait descriptor's status word */
	uint64_t status_phys;
	uint32_t status_seq;
	struct irte *irt;
	uint64_t irt_phys;
	uint64_t irt_used[VTD_IRT_ENTRIES / 64];
	uint64_t invalidations;	/* entry-cache invalidations issued */
	uint64_t flushes;	/* cache-line write-backs of the table (ECAP.C clear) */
	uint32_t queue_errors;	/* FSTS.IQE/ITE/ICE seen and cleared in operation */
	int found_queue_stuck;	/* takeover: the queue left on did not drain in its bound */
	/* What the unit was left with by whoever ran before (vtd_takeover). */
	uint32_t found_gsts, found_fsts, found_pmen;
	uint32_t found_faults;	/* fault records found pending, cleared */
	char error[96];
};

#define VTD_POLL_US 10000	/* every hardware poll gives up after this */

/* Read the identification registers. 0, or -ENODEV (all ones or zero) /
 * -ENOTSUP (no queued invalidation or no interrupt remapping) with
 * u->error. */
int vtd_probe(struct vtd_unit *u, const struct vtd_ops *ops, void *ctx, uint64_t base) MUST_CHECK;
/* Take the unit over from whoever ran before (firmware, a previous boot,
 * an earlier owner): read GSTS, FSTS and PMEN into found_*; seed the
 * command copy from GSTS; turn off interrupt remapping, then translation,
 * then queued invalidation, and compatibility format, one command bit per
 * GCMD write as 11.4.4 requires; turn protected memory off; clear every
 * pending fault record and error. Queued invalidation goes off once its
 * queue drained, or after VTD_POLL_US when it does not (found_queue_stuck),
 * its error bits (FSTS.IQE/ITE/ICE, which stop the queue) cleared first, as
 * Linux's dmar_disable_qi. 0, or -ETIMEDOUT with u->error. */
int vtd_takeover(struct vtd_unit *u) MUST_CHECK;
/* Queued invalidation, then the remapping table (EIME for x2APIC), then
 * IRE; CFI stays clear. The queue takes 256-bit descriptors (IQA.DW) where
 * the unit has scalable mode (ECAP.SMTS), as Linux's __dmar_enable_qi.
 * The table is written back from the CPU caches when the unit does not
 * snoop them (ECAP.C clear), as is every IRTE change after. 0, or -ETIMEDOUT / -ENOSPC with u->error. */
int vtd_enable_ir(struct vtd_unit *u, int x2apic) MUST_CHECK;
/* IRE alone, with the queue and table kept: 0 or -ETIMEDOUT. */
int vtd_set_ire(struct vtd_unit *u, int on) MUST_CHECK;
/* Queue a wait descriptor that raises the invalidation completion event
 * (IF, no status write); returns the TSC just before the tail write (or
 * before giving up on a queue that stayed full: nothing is raised). The
 * handler clears ICS.IWC (vtd_inv_event_ack) so that the next one raises. */
uint64_t vtd_qi_wait_irq(struct vtd_unit *u);
void vtd_inv_event_ack(struct vtd_unit *u);

int vtd_irte_alloc(struct vtd_unit *u);	/* index, or -ENOSPC */
void vtd_irte_free(struct vtd_unit *u, uint32_t index);
/* Write an IRTE with ordered 64-bit stores, so that the unit only ever
 * reads a whole entry or a not-present one (vtd.c says how; no CMPXCHG16B,
 * which KVM cannot emulate), and invalidate its entry-cache entry, waiting
 * for it. 0 or -ETIMEDOUT / -ENOSPC / -EINVAL / -EBUSY as
 * vtd_iec_invalidate. */
int vtd_irte_write(struct vtd_unit *u, uint32_t index, struct irte e) MUST_CHECK;
/* Queue an index-selective IEC invalidation and wait for it: 0, or
 * -ETIMEDOUT / -ENOSPC (the queue stayed full) / -EINVAL (the unit refused
 * a descriptor: FSTS.IQE, the queue recovered) / -EBUSY (the unit aborted
 * the wait three times: FSTS.ITE) with u->error. */
int vtd_iec_invalidate(struct vtd_unit *u, uint32_t index) MUST_CHECK;
/* The IRTE as the table holds it now. */
struct irte vtd_irte_read(const struct vtd_unit *u, uint32_t index);

struct vtd_fault {
	uint8_t reason;		/* 0x20-0x26 for interrupt remapping */
	uint16_t sid;
	uint16_t index;		/* interrupt index (FI[63:48]) */
	uint8_t overflow;	/* FSTS.PFO was set: faults were dropped before this one was taken */
};

/* Take the next recorded fault (and clear its F bit): 1, or 0 when none. */
int vtd_fault_take(struct vtd_unit *u, struct vtd_fault *f);

#endif
