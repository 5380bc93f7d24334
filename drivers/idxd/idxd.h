/* SPDX-License-Identifier: MIT */
/*
 * An Intel DSA or IAA instance: its capabilities, the command protocol,
 * bring-up to one group with one engine and dedicated work queues (PASID
 * off), the Interrupt Message Store, and descriptor submission. Registers
 * are reached through an ops table: MMIO and MOVDIR64B in the firmware
 * (drivers/idxd/instance.c), a behavioural model in tests/host/test_idxd.c.
 * The bring-up is the minimal one of Linux's VFIO selftest driver and
 * DPDK's idxd_pci.c (drivers/idxd/regs.h names the sources).
 */
#ifndef DRIVERS_IDXD_IDXD_H
#define DRIVERS_IDXD_IDXD_H

#include "lib/compiler.h"
#include <stdint.h>
#include "drivers/idxd/regs.h"

/* The PCI IDs driven (drivers/idxd/ids.c): one line per generation. */
struct idxd_id {
	uint16_t device;
	const char *name;	/* "DSA SPR", ... */
	uint8_t iaa;		/* In-Memory Analytics Accelerator (no batch) */
};
extern const struct idxd_id idxd_ids[];
extern const uint32_t idxd_nids;
#define IDXD_VENDOR	0x8086
/* The IDs as "8086:0b25, 8086:0cfe, ..." for a SKIP line. */
const char *idxd_ids_text(void);
const struct idxd_id *idxd_id_of(uint16_t vendor, uint16_t device);

struct idxd_ops {
	uint32_t (*read32)(void *ctx, uint32_t off);
	void (*write32)(void *ctx, uint32_t off, uint32_t v);
	uint64_t (*read64)(void *ctx, uint32_t off);
	void (*write64)(void *ctx, uint32_t off, uint64_t v);
	/* The 64-byte descriptor to BAR2 + portal in one write (MOVDIR64B). */
	void (*submit)(void *ctx, uint32_t portal, const struct idxd_desc *d);
	uint64_t (*now_us)(void);	/* for poll bounds */
};

#define IDXD_POLL_US	1000000	/* every command: 1 s (Linux waits unbounded; the VFIO selftest 5 s) */
#define IDXD_WQS_MAX	8

struct idxd {
	const struct idxd_ops *ops;
	void *ctx;
	const struct idxd_id *id;
	uint64_t bar0_size, bar2_size;
	uint32_t version;
	uint64_t gencap, wqcap, grpcap, engcap, opcap[4], offsets[2];
	uint32_t cmdcap;		/* 0 unless GENCAP.CMD_CAP */
	uint32_t grpcfg, wqcfg, msix_perm, ims;	/* table offsets in BAR0 */
	uint32_t wq_stride, nwqs, ngroups, nengines, wq_total;
	uint32_t ims_size;		/* entries, 0 without IMS */
	const char *ims_absent;		/* why IMS is unusable, or NULL */
	uint32_t nwq_used;		/* dedicated WQs configured */
	uint32_t found_gensts;		/* as the previous owner left it */
	uint32_t last_cmdsts;
	char error[160];
};

/* Read and check the capabilities of an instance whose BAR0 and BAR2 have
 * these sizes. 0, or -ENODEV (registers all ones), -EINVAL (WQCAP with no
 * entries or WQs, tables outside BAR0) with d->error. An IMS multiplier of
 * 0 or a BAR0 too small for the IMS table is not an error: d->ims_absent
 * says why IMS cannot be used. */
int idxd_probe(struct idxd *d, const struct idxd_ops *ops, void *ctx, const struct idxd_id *id,
	       uint64_t bar0_size, uint64_t bar2_size) MUST_CHECK;
/* The capability registers as lspci-like lines, through `line`. */
void idxd_inventory(const struct idxd *d, void (*line)(const char *text, void *arg), void *arg);

/* Issue a command and wait (bounded) for CMDSTS.active to clear: 0, or
 * -EIO with the error named in d->error ("ENABLE_DEVICE: bus master not
 * enabled (0x12)"), -ETIMEDOUT. *result gets CMDSTS 23:8 when not NULL. */
int idxd_command(struct idxd *d, uint32_t cmd, uint32_t operand, uint32_t *result) MUST_CHECK;
const char *idxd_cmd_name(uint32_t cmd);
const char *idxd_cmd_error_name(uint32_t err);

/* Take the device over: a device left enabled is disabled; a halted one
 * whose GENSTS asks only for a software reset is reset (another reset
 * kind is -EIO: it needs an FLR or a reboot); then RESET_DEVICE. 0 or an
 * error with d->error. */
int idxd_takeover(struct idxd *d) MUST_CHECK;
/* Group 0 with engine 0 and WQs 0..nwqs-1, each dedicated with an equal
 * share of the WQ entries, PASID off, priority 1; other groups emptied.
 * Then ENABLE_DEVICE and ENABLE_WQ for each, each WQ's state checked.
 * 0 or an error with d->error. */
int idxd_enable(struct idxd *d, uint32_t nwqs) MUST_CHECK;
/* DISABLE_DEVICE. */
int idxd_disable(struct idxd *d) MUST_CHECK;
/* The GRPCFG flags every group gets (Linux's defaults). */
uint64_t idxd_grpcfg_flags(const struct idxd *d);

/* The device's state: "disabled", "enabled", "draining", "halted". */
const char *idxd_state_name(uint32_t gensts);
/* Take a logged software error: 1 with its text ("error 0x.. on WQ n,
 * opcode 0x..") and the register cleared, or 0 when none. */
int idxd_swerr_take(struct idxd *d, char *text, unsigned long len);

/* IMS entry `slot`: message written (address low, high, data; then read
 * back: the posted writes reach the device before anything relies on
 * them), masked or unmasked (control word, read back), and its control
 * word as the device reports it. Linux's IMS irqchip does the same. */
struct msi_msg;
void idxd_ims_write(struct idxd *d, uint32_t slot, const struct msi_msg *m);
void idxd_ims_read(struct idxd *d, uint32_t slot, struct msi_msg *m);
void idxd_ims_mask(struct idxd *d, uint32_t slot, int masked);
uint32_t idxd_ims_ctrl(struct idxd *d, uint32_t slot);

/* The interrupt handle a descriptor names for IMS slot or MSI-X vector
 * `index`: the index itself, or, where GENCAP.CMD_CAP and CMDCAP bit 13
 * say handles must be requested (a virtual device; no physical SPR or EMR
 * sample does), the handle REQUEST_INT_HANDLE returns. 0 or an error with
 * d->error; release it with idxd_int_handle_release (nothing to do without
 * CMDCAP). */
int idxd_int_handle(struct idxd *d, uint32_t index, int ims, uint16_t *handle) MUST_CHECK;
int idxd_int_handle_release(struct idxd *d, uint16_t handle, int ims) MUST_CHECK;
int idxd_needs_int_handles(const struct idxd *d);

/* A NOOP (or, where OPCAP lacks it, DRAIN) with a completion record at
 * `record` (zeroed by the caller; 32 bytes, 32-aligned for DSA, 64 for
 * IAA) and a completion interrupt through `handle`. */
struct idxd_desc idxd_desc_interrupt(const struct idxd *d, uint64_t record, uint16_t handle);
int idxd_has_op(const struct idxd *d, uint32_t opcode);
/* WQ wq's portal for IMS handles (1) or MSI-X ones (0), from BAR2. */
uint32_t idxd_portal(uint32_t wq, int ims);
/* Submit to a dedicated WQ (MOVDIR64B through ops->submit). -EINVAL for a
 * WQ not configured. */
int idxd_submit(struct idxd *d, uint32_t wq, int ims, const struct idxd_desc *desc) MUST_CHECK;

#endif
