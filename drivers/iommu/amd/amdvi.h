/* SPDX-License-Identifier: MIT */
/*
 * An AMD-Vi IOMMU, for interrupt remapping only: its registers, the device
 * table (interrupt fields only: V = 0, so DMA passes untranslated), one
 * interrupt table per device (aliases share it), the command buffer with
 * a bounded COMPLETION_WAIT after every invalidation, and the event log.
 * See AMD I/O Virtualization Technology (IOMMU) Specification 48882 rev
 * 3.08: 3.4 (MMIO registers), 2.2.2 (device table entry), 2.2.5 (interrupt
 * remapping tables), 2.4 (commands), 2.5 (event log). Register and bit
 * names as Linux's drivers/iommu/amd/amd_iommu_types.h has them (MMIO_*,
 * CONTROL_*, MMIO_STATUS_*, FEATURE_*); the enable order is Linux's
 * early_enable_iommu() in init.c.
 * Registers are reached through an ops table: MMIO in the firmware, a
 * behavioural model in the host tests (tests/host/test_amdvi.c).
 */
#ifndef DRIVERS_IOMMU_AMD_AMDVI_H
#define DRIVERS_IOMMU_AMD_AMDVI_H

#include "lib/compiler.h"
#include <stdint.h>
#include "drivers/iommu/amd/irte.h"

#define AMDVI_DEVTAB		0x0000	/* 51:12 base, 8:0 size in 4 KiB pages - 1 */
#define AMDVI_CMDBUF		0x0008	/* 51:12 base, 59:56 ComLen = log2(entries) */
#define AMDVI_EVTLOG		0x0010	/* 51:12 base, 59:56 EventLen */
# define AMDVI_LEN(log2)	((uint64_t)(log2) << 56)
#define AMDVI_CONTROL		0x0018
# define AMDVI_CTL_IOMMU_EN	(1ull << 0)
# define AMDVI_CTL_HT_TUN_EN	(1ull << 1)
# define AMDVI_CTL_EVTLOG_EN	(1ull << 2)
# define AMDVI_CTL_EVTINT_EN	(1ull << 3)
# define AMDVI_CTL_COMWAITINT_EN (1ull << 4)
# define AMDVI_CTL_INV_TIMEOUT(t) ((uint64_t)(t) << 5)	/* 7:5: IOTLB invalidation timeout */
# define AMDVI_INV_TO_1S	4
# define AMDVI_CTL_PASSPW_EN	(1ull << 8)
# define AMDVI_CTL_RESPASSPW_EN	(1ull << 9)
# define AMDVI_CTL_COHERENT	(1ull << 10)	/* device table reads snoop */
# define AMDVI_CTL_ISOC_EN	(1ull << 11)
# define AMDVI_CTL_CMDBUF_EN	(1ull << 12)
# define AMDVI_CTL_GA_EN	(1ull << 17)	/* 128-bit IRTEs */
# define AMDVI_CTL_XT_EN	(1ull << 50)	/* 32-bit destinations */
# define AMDVI_CTL_INTCAPXT_EN	(1ull << 51)	/* own interrupts via 0x170-0x180 */
/* What this driver turns on or off; anything else a previous owner set
 * (PPR, guest translation, vAPIC) is turned off with it. */
# define AMDVI_CTL_OURS		(AMDVI_CTL_IOMMU_EN | AMDVI_CTL_EVTLOG_EN | \
				 AMDVI_CTL_EVTINT_EN | AMDVI_CTL_COMWAITINT_EN | \
				 AMDVI_CTL_CMDBUF_EN | AMDVI_CTL_GA_EN | AMDVI_CTL_XT_EN | \
				 AMDVI_CTL_INTCAPXT_EN)
#define AMDVI_EFR		0x0030
# define AMDVI_EFR_XTSUP	(1ull << 2)
# define AMDVI_EFR_IASUP	(1ull << 6)	/* INVALIDATE_IOMMU_ALL */
# define AMDVI_EFR_GASUP	(1ull << 7)
/* XT interrupt control (Linux MMIO_INTCAPXT_*_OFFSET): the general one
 * (event log and COMPLETION_WAIT), PPR log, GA log; used with IntCapXTEn. */
#define AMDVI_INTCAPXT_EVT	0x0170
#define AMDVI_INTCAPXT_PPR	0x0178
#define AMDVI_INTCAPXT_GALOG	0x0180
#define AMDVI_CMD_HEAD		0x2000	/* byte offsets, bits 18:4 */
#define AMDVI_CMD_TAIL		0x2008
#define AMDVI_EVT_HEAD		0x2010
#define AMDVI_EVT_TAIL		0x2018
#define AMDVI_STATUS		0x2020
# define AMDVI_ST_EVT_OVERFLOW	(1ull << 0)	/* write 1 to clear */
# define AMDVI_ST_EVT_INT	(1ull << 1)	/* write 1 to clear */
# define AMDVI_ST_COMWAIT_INT	(1ull << 2)	/* write 1 to clear */
# define AMDVI_ST_EVT_RUN	(1ull << 3)
# define AMDVI_ST_CMD_RUN	(1ull << 4)
# define AMDVI_ST_CLEAR		(AMDVI_ST_EVT_OVERFLOW | AMDVI_ST_EVT_INT | AMDVI_ST_COMWAIT_INT)
#define AMDVI_PTR_MASK		0x7fff0ull	/* head and tail: 18:4 */

#define AMDVI_CMD_LOG2		8	/* 256 commands, one 4 KiB page */
#define AMDVI_CMD_ENTRIES	(1u << AMDVI_CMD_LOG2)
#define AMDVI_EVT_LOG2		8	/* 256 events, one page */
#define AMDVI_EVT_ENTRIES	(1u << AMDVI_EVT_LOG2)
#define AMDVI_IRT_LOG2		9	/* IntTabLen: 512 entries (AMD_IRTE_INDEX_MAX + 1) */
#define AMDVI_IRT_ENTRIES	(1u << AMDVI_IRT_LOG2)
#define AMDVI_DTE_QWORDS	4	/* 256 bits */
#define AMDVI_TABLES_MAX	32
#define AMDVI_TABLE_DEVIDS	4	/* DeviceIDs pointing at one table */

#define AMDVI_POLL_US		10000	/* every hardware poll gives up after this */

struct amdvi_ops {
	/* Registers are 64 bits wide; QEMU latches a base only on an 8-byte
	 * write (hw/i386/amd_iommu.c amdvi_mmio_write). */
	uint64_t (*read64)(void *ctx, uint32_t off);
	void (*write64)(void *ctx, uint32_t off, uint64_t v);
	uint64_t (*now_us)(void);	/* for poll bounds */
	void *(*alloc_pages)(uint32_t n, uint64_t *phys);	/* zeroed, contiguous */
};

/* One interrupt remapping table and the DeviceIDs whose DTE points at it:
 * a function's own requester ID and the alias the IOMMU sees it as. */
struct amdvi_table {
	uint16_t devids[AMDVI_TABLE_DEVIDS];
	uint32_t ndevids;
	void *entries;			/* uint32_t[512], or amd_irte_ga[512] with GA */
	uint64_t phys;
	uint64_t used[AMDVI_IRT_ENTRIES / 64];
	uint64_t masked[AMDVI_IRT_ENTRIES / 64];	/* RemapEn kept clear (amdvi_irte_enable) */
};

struct amdvi_unit {
	const struct amdvi_ops *ops;
	void *ctx;
	uint64_t base;
	uint64_t efr;			/* what the driver acts on: the IVRS image if given */
	uint64_t efr_reg;		/* the register as read */
	uint64_t ctl;			/* software copy of Control */
	uint64_t ctl_fw;		/* what the IVHD flags ask for (amdvi_ivhd_flags) */
	int ga, xt;			/* 128-bit IRTEs; x2APIC destinations */
	uint32_t ndte;			/* device table entries (DeviceIDs 0..ndte-1) */
	uint64_t *devtab;
	uint64_t devtab_phys;
	struct amd_cmd *cmd;
	uint64_t cmd_phys;
	uint32_t cmd_tail;		/* index */
	uint64_t *evt;			/* 2 qwords per event */
	uint64_t evt_phys;
	uint32_t evt_head;		/* index */
	volatile uint64_t *store;	/* COMPLETION_WAIT's store */
	uint64_t store_phys, store_seq;
	struct amdvi_table tables[AMDVI_TABLES_MAX];
	uint32_t ntables;
	uint64_t invalidations;		/* INVALIDATE_* commands issued */
	uint64_t waits;			/* COMPLETION_WAITs completed */
	uint64_t evt_overflows;		/* event log overflows: the log restarted */
	/* What the unit was left with by whoever ran before (amdvi_takeover). */
	uint64_t found_ctl, found_status;
	char error[112];
};

/* Read EFR and Control. 0, or -ENODEV (all ones) with u->error. With
 * `efr_image` (the IVRS copy; 0: none given) the driver acts on the image,
 * as Linux's late_iommu_features_init() does ("EFR mismatch. Use IVHD
 * EFR"): where the register disagrees (u->efr_reg != u->efr) the caller
 * warns and the unit goes on. */
int amdvi_probe(struct amdvi_unit *u, const struct amdvi_ops *ops, void *ctx, uint64_t base,
		uint64_t efr_image) MUST_CHECK;
/* The IVHD's flags (48882 5.2.2.2: bit 0 HtTunEn, 1 PassPW, 2 ResPassPW,
 * 3 Isoc) for Control, set by amdvi_enable with the IOTLB invalidation
 * timeout of 1 s, as Linux's iommu_init_flags() does. After amdvi_probe. */
void amdvi_ivhd_flags(struct amdvi_unit *u, uint8_t flags);
/* Take the unit over: record Control and Status, turn off what a previous
 * owner left on (IOMMU, command buffer, event log, their interrupts, GA,
 * XT), wait for the command buffer and event log to stop, clear the
 * write-1-to-clear Status bits. 0, or -ETIMEDOUT with u->error. */
int amdvi_takeover(struct amdvi_unit *u) MUST_CHECK;
/* Allocate the device table for DeviceIDs 0..ndte-1 (rounded up to a
 * page), the command buffer, the event log and the wait's store, all
 * zeroed. 0, or -EINVAL (ndte 0 or above 64 Ki) / -ENOSPC with u->error. */
int amdvi_setup(struct amdvi_unit *u, uint32_t ndte) MUST_CHECK;
/* Point the unit at its tables (after amdvi_setup and the DTEs the caller
 * wants from the start); GAEn with `ga`, XTEn with `xt` (which needs
 * EFR.XTSup and ga) and with it IntCapXTEn: the unit's own interrupts then
 * go through the XT interrupt control registers (amdvi_intcapxt_set), as
 * Linux's iommu_init_irq() does in x2APIC mode; then IommuEn, and every cache invalidated
 * (INVALIDATE_IOMMU_ALL, or each DTE and table without EFR.IASup) and
 * waited for. 0, or -ENOTSUP / -EINVAL / -ETIMEDOUT with u->error. */
int amdvi_enable(struct amdvi_unit *u, int ga, int xt) MUST_CHECK;
/* Set one DeviceID's interrupt qword: before amdvi_enable a plain store,
 * after it followed by INVALIDATE_DEVTAB_ENTRY and a wait. The passes the
 * firmware asked for (amdvi_dte_set_pass) are kept whatever `intr` says.
 * 0 or an error (-ERANGE beyond the table). */
int amdvi_dte_set_intr(struct amdvi_unit *u, uint16_t devid, uint64_t intr) MUST_CHECK;
/* Add passes (AMD_DTE_*_PASS, from amd_dte_pass of an IVHD device entry)
 * to one DeviceID's DTE, kept by every later amdvi_dte_set_intr; stored
 * and invalidated as amdvi_dte_set_intr. */
int amdvi_dte_set_pass(struct amdvi_unit *u, uint16_t devid, uint64_t pass) MUST_CHECK;
uint64_t amdvi_dte_intr_of(const struct amdvi_unit *u, uint16_t devid);

/* The table of `devids[0]` (the DeviceID the IOMMU sees), created on first
 * use: zeroed entries, then the DTE of every DeviceID in `devids` pointed
 * at it (IV, IntTabLen 9, IntCtl 2) and invalidated; a later caller's
 * DeviceIDs the table lacks are added and pointed at it too (Linux's
 * alloc_irq_table). NULL with u->error before amdvi_enable, for a DeviceID
 * beyond the device table, when out of tables or memory, or when a DTE
 * write fails. */
struct amdvi_table *amdvi_table_get(struct amdvi_unit *u, const uint16_t *devids, uint32_t n);
int amdvi_irte_alloc(struct amdvi_table *t);	/* index, or -ENOSPC */
void amdvi_irte_free(struct amdvi_table *t, uint32_t index);
/* Remap `index` to vector on apic_id: written the careful way (a 128-bit
 * entry not in use: high qword, barrier, low qword; one in use: one
 * CMPXCHG16B), then INVALIDATE_INTERRUPT_TABLE for each of the table's
 * DeviceIDs and a COMPLETION_WAIT. An entry masked with amdvi_irte_enable
 * stays masked (an affinity move does not unmask it). -ERANGE for an APIC
 * ID the format cannot hold. */
int amdvi_irte_set(struct amdvi_unit *u, struct amdvi_table *t, uint32_t index, uint8_t vector,
		   uint32_t apic_id) MUST_CHECK;
/* RemapEn off (masked: the message is aborted, and logged unless
 * suppressed) or back on; invalidated and waited for. */
int amdvi_irte_enable(struct amdvi_unit *u, struct amdvi_table *t, uint32_t index,
		      int on) MUST_CHECK;
/* The whole entry zeroed (freed), invalidated. */
int amdvi_irte_clear(struct amdvi_unit *u, struct amdvi_table *t, uint32_t index) MUST_CHECK;
/* Decoded: 1 when RemapEn, with *vector and *apic_id. */
int amdvi_irte_get(const struct amdvi_unit *u, const struct amdvi_table *t, uint32_t index,
		   uint8_t *vector, uint32_t *apic_id);

/* Queue a command and wait for all before it: COMPLETION_WAIT with a store
 * of a fresh value, polled with a bound. 0, or -ENOSPC (the buffer stayed
 * full) / -ETIMEDOUT with u->error. */
int amdvi_command(struct amdvi_unit *u, struct amd_cmd c) MUST_CHECK;
int amdvi_sync(struct amdvi_unit *u) MUST_CHECK;

/* The completion interrupt: COMPLETION_WAIT with I set (ComWaitIntEn must
 * be on: amdvi_set_comwait_int). Returns the TSC just before the tail
 * write (or before giving up on a full buffer: nothing is raised). The
 * handler clears Status.ComWaitInt so that the next one raises. */
void amdvi_set_comwait_int(struct amdvi_unit *u, int on);
/* The XT route of the unit's interrupt at `off` (AMDVI_INTCAPXT_*): vector
 * on apic_id, physical destination, or 0 written (masked: Linux's
 * intcapxt_mask_irq). One 64-bit write. */
void amdvi_intcapxt_set(struct amdvi_unit *u, uint32_t off, uint8_t vector, uint32_t apic_id,
			int on);
uint64_t amdvi_comwait_irq(struct amdvi_unit *u);
void amdvi_comwait_ack(struct amdvi_unit *u);

/* Event log entries (2.5; 16 bytes: DeviceID 15:0, flags 59:48, code
 * 63:60, address 127:64). */
#define AMDVI_EVT_ILLEGAL_DTE	0x1
#define AMDVI_EVT_IO_PAGE_FAULT	0x2
#define AMDVI_EVT_DEV_TAB_HW	0x3
#define AMDVI_EVT_PAGE_TAB_HW	0x4
#define AMDVI_EVT_ILLEGAL_CMD	0x5
#define AMDVI_EVT_CMD_HW	0x6
#define AMDVI_EVT_IOTLB_TIMEOUT	0x7
#define AMDVI_EVT_INVALID_REQ	0x8
#define AMDVI_EVT_FLAG_I	0x008	/* an interrupt request (flags bit 3) */
struct amdvi_event {
	uint8_t code;
	uint16_t devid;
	uint16_t flags;
	uint64_t address;
};
/* Take the next event (head advanced, the entry zeroed): 1, or 0 when the
 * log is empty or the entry at the head is not written yet (its code 0:
 * the tail can move before the entry lands, as Linux's iommu_print_event
 * allows for). An overflow is counted (evt_overflows) and the log
 * restarted as Linux's amd_iommu_restart_log does. */
int amdvi_event_take(struct amdvi_unit *u, struct amdvi_event *e);
/* "IO_PAGE_FAULT", ... ; "unknown" for a code not defined. */
const char *amdvi_event_name(uint8_t code);

#endif
