// SPDX-License-Identifier: MIT
/*
 * DSA/IAA capabilities, commands and bring-up (drivers/idxd/idxd.h).
 * Command protocol as Linux's idxd_cmd_exec() and DPDK's idxd_pci_dev_
 * command(): wait for CMDSTS.active to clear, write CMD, wait again, read
 * the error; every wait bounded. Error names from Linux's registers.h
 * (IDXD_CMDSTS_ERR_*).
 */
#include "drivers/idxd/idxd.h"
#include "arch/x86/msi_msg.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "lib/wait.h"

#define rd32(d, o) ((d)->ops->read32((d)->ctx, (o)))
#define wr32(d, o, v) ((d)->ops->write32((d)->ctx, (o), (v)))
#define rd64(d, o) ((d)->ops->read64((d)->ctx, (o)))
#define wr64(d, o, v) ((d)->ops->write64((d)->ctx, (o), (v)))
#define idxd_wait(d, cond) WAIT_UNTIL(cond, IDXD_POLL_US, (d)->ops->now_us)

static int fail(struct idxd *d, int e, const char *fmt, ...) PRINTF_LIKE(3, 4);

static int fail(struct idxd *d, int e, const char *fmt, ...)
{
	char what[120];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ksnprintf(d->error, sizeof(d->error), "%s: %s", d->id ? d->id->name : "idxd", what);
	return e;
}

/* --- capabilities -------------------------------------------------------- */

static int inside(const struct idxd *d, uint64_t off, uint64_t len)
{
	return off + len <= d->bar0_size;
}

int idxd_probe(struct idxd *d, const struct idxd_ops *ops, void *ctx, const struct idxd_id *id,
	       uint64_t bar0_size, uint64_t bar2_size)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->ctx = ctx;
	d->id = id;
	d->bar0_size = bar0_size;
	d->bar2_size = bar2_size;
	d->version = rd32(d, IDXD_VERSION);
	d->gencap = rd64(d, IDXD_GENCAP);
	if (d->version == 0xffffffffu || d->gencap == ~0ull)
		return fail(d, -ENODEV, "registers read all-ones");
	d->wqcap = rd64(d, IDXD_WQCAP);
	d->grpcap = rd64(d, IDXD_GRPCAP);
	d->engcap = rd64(d, IDXD_ENGCAP);
	for (uint32_t i = 0; i < 4; i++)
		d->opcap[i] = rd64(d, IDXD_OPCAP + 8 * i);
	d->offsets[0] = rd64(d, IDXD_OFFSETS);
	d->offsets[1] = rd64(d, IDXD_OFFSETS + 8);
	d->cmdcap = (d->gencap & IDXD_GENCAP_CMD_CAP) ? rd32(d, IDXD_CMDCAP) : 0;
	d->found_gensts = rd32(d, IDXD_GENSTS);
	d->nwqs = IDXD_WQCAP_NWQS(d->wqcap);
	d->wq_total = IDXD_WQCAP_TOTAL(d->wqcap);
	d->wq_stride = 1u << (IDXD_WQCAP_CFG_SIZE(d->wqcap) + 5);
	d->ngroups = IDXD_GRPCAP_NGROUPS(d->grpcap);
	d->nengines = IDXD_ENGCAP_NENGINES(d->engcap);
	d->grpcfg = IDXD_OFF_GRPCFG(d->offsets[0]);
	d->wqcfg = IDXD_OFF_WQCFG(d->offsets[0]);
	d->msix_perm = IDXD_OFF_MSIX_PERM(d->offsets[0]);
	d->ims = IDXD_OFF_IMS(d->offsets[0]);
	if (!d->wq_total || !d->nwqs)
		return fail(d, -EINVAL, "WQCAP 0x%lx has no work-queue entries or no work queue",
			    d->wqcap);
	if (!d->ngroups || !d->nengines)
		return fail(d, -EINVAL, "GRPCAP 0x%lx / ENGCAP 0x%lx: no group or no engine",
			    d->grpcap, d->engcap);
	if (!(d->wqcap & IDXD_WQCAP_DEDICATED))
		return fail(d, -EINVAL, "WQCAP 0x%lx: no dedicated mode", d->wqcap);
	if (!d->grpcfg || !d->wqcfg || !inside(d, d->grpcfg, (uint64_t)d->ngroups * IDXD_GRPCFG_SIZE) ||
	    !inside(d, d->wqcfg, (uint64_t)d->nwqs * d->wq_stride))
		return fail(d, -EINVAL, "OFFSETS 0x%lx: GRPCFG 0x%x or WQCFG 0x%x outside BAR0 (%lu bytes)",
			    d->offsets[0], d->grpcfg, d->wqcfg, d->bar0_size);
	d->ims_size = IDXD_GENCAP_IMS_MULT(d->gencap) * 256;
	if (!d->ims_size)
		d->ims_absent = "GENCAP's IMS multiplier is 0: no Interrupt Message Store";
	else if (!d->ims || !inside(d, d->ims, (uint64_t)d->ims_size * IDXD_IMS_ENTRY))
		d->ims_absent = "the IMS table (OFFSETS) does not fit in BAR0";
	if (d->ims_absent)
		d->ims_size = 0;
	return 0;
}

void idxd_inventory(const struct idxd *d, void (*line)(const char *text, void *arg), void *arg)
{
	char s[200];

	ksnprintf(s, sizeof(s), "%s: version 0x%x gencap 0x%lx wqcap 0x%lx grpcap 0x%lx engcap 0x%lx",
		  d->id ? d->id->name : "idxd", d->version, d->gencap, d->wqcap, d->grpcap, d->engcap);
	line(s, arg);
	ksnprintf(s, sizeof(s), "  wqs %u (%u entries, wqcfg %u bytes) groups %u engines %u ims %u%s%s "
		  "cmdcap 0x%x", d->nwqs, d->wq_total, d->wq_stride, d->ngroups, d->nengines,
		  d->ims_size, d->ims_absent ? " (" : "", d->ims_absent ? "unusable)" : "", d->cmdcap);
	line(s, arg);
	ksnprintf(s, sizeof(s), "  opcap 0x%lx 0x%lx 0x%lx 0x%lx offsets 0x%lx 0x%lx (grpcfg 0x%x "
		  "wqcfg 0x%x msix_perm 0x%x ims 0x%x)", d->opcap[0], d->opcap[1], d->opcap[2],
		  d->opcap[3], d->offsets[0], d->offsets[1], d->grpcfg, d->wqcfg, d->msix_perm, d->ims);
	line(s, arg);
}

/* --- commands -------------------------------------------------------------- */

const char *idxd_cmd_name(uint32_t cmd)
{
	static const char *const names[] = {
		[IDXD_CMD_ENABLE_DEVICE] = "ENABLE_DEVICE", [IDXD_CMD_DISABLE_DEVICE] = "DISABLE_DEVICE",
		[3] = "DRAIN_ALL", [4] = "ABORT_ALL", [IDXD_CMD_RESET_DEVICE] = "RESET_DEVICE",
		[IDXD_CMD_ENABLE_WQ] = "ENABLE_WQ", [IDXD_CMD_DISABLE_WQ] = "DISABLE_WQ",
		[8] = "DRAIN_WQ", [9] = "ABORT_WQ", [10] = "RESET_WQ", [11] = "DRAIN_PASID",
		[12] = "ABORT_PASID", [IDXD_CMD_REQUEST_INT_HANDLE] = "REQUEST_INT_HANDLE",
		[IDXD_CMD_RELEASE_INT_HANDLE] = "RELEASE_INT_HANDLE",
	};

	return cmd < sizeof(names) / sizeof(names[0]) && names[cmd] ? names[cmd] : "command";
}

const char *idxd_cmd_error_name(uint32_t err)
{
	switch (err) {
	case 0x01: return "invalid command";
	case 0x02: return "invalid WQ index";
	case 0x03: return "hardware error";
	case 0x10: return "device already enabled";
	case 0x11: return "configuration error";
	case 0x12: return "bus master not enabled";
	case 0x13: return "PASID invalid";
	case 0x14: return "sum of WQ sizes out of range";
	case 0x15: return "group configuration error";
	case 0x16: return "group configuration error 2";
	case 0x17: return "group configuration error 3";
	case 0x18: return "group configuration error 4";
	case 0x20: return "device not enabled";
	case 0x21: return "WQ already enabled";
	case 0x22: return "WQ size error";
	case 0x23: return "WQ priority error";
	case 0x24: return "WQ mode error";
	case 0x25: return "WQ block-on-fault error";
	case 0x26: return "WQ PASID enable error";
	case 0x27: return "WQ max batch size error";
	case 0x28: return "WQ max transfer size error";
	case 0x31: return "device not enabled (disable)";
	case 0x32: return "device not enabled";
	case 0x41: return "invalid interrupt index";
	case 0x42: return "no interrupt handle available";
	default: return "error";
	}
}

int idxd_command(struct idxd *d, uint32_t cmd, uint32_t operand, uint32_t *result)
{
	uint32_t sts;

	if (idxd_wait(d, !(rd32(d, IDXD_CMDSTS) & IDXD_CMDSTS_ACTIVE)))
		return fail(d, -ETIMEDOUT, "%s: a previous command still active after " WAIT_BOUND_FMT,
			    idxd_cmd_name(cmd), WAIT_BOUND(IDXD_POLL_US));
	wr32(d, IDXD_CMD, IDXD_CMD_WORD(cmd, operand));
	if (idxd_wait(d, !((sts = rd32(d, IDXD_CMDSTS)) & IDXD_CMDSTS_ACTIVE)))
		return fail(d, -ETIMEDOUT, "%s: CMDSTS still active after " WAIT_BOUND_FMT,
			    idxd_cmd_name(cmd), WAIT_BOUND(IDXD_POLL_US));
	d->last_cmdsts = sts;
	if (result)
		*result = IDXD_CMDSTS_RESULT(sts);
	if (IDXD_CMDSTS_ERR(sts))
		return fail(d, -EIO, "%s: %s (0x%x)", idxd_cmd_name(cmd),
			    idxd_cmd_error_name(IDXD_CMDSTS_ERR(sts)), IDXD_CMDSTS_ERR(sts));
	return 0;
}

/* --- state ----------------------------------------------------------------- */

const char *idxd_state_name(uint32_t gensts)
{
	static const char *const names[] = { "disabled", "enabled", "draining", "halted" };

	return names[IDXD_GENSTS_STATE(gensts)];
}

int idxd_swerr_take(struct idxd *d, char *text, unsigned long len)
{
	uint64_t q0 = rd64(d, IDXD_SWERR);

	if (!(q0 & IDXD_SWERR_VALID))
		return 0;
	if (q0 & IDXD_SWERR_WQ_VALID)
		ksnprintf(text, len, "software error 0x%x on WQ %u, opcode 0x%x%s", IDXD_SWERR_ERR(q0),
			  IDXD_SWERR_WQ(q0), IDXD_SWERR_OPCODE(q0),
			  (q0 & IDXD_SWERR_OVERFLOW) ? " (and more: overflow)" : "");
	else
		ksnprintf(text, len, "software error 0x%x%s", IDXD_SWERR_ERR(q0),
			  (q0 & IDXD_SWERR_OVERFLOW) ? " (and more: overflow)" : "");
	/* Cleared by writing the valid and overflow bits back (Linux irq.c). */
	wr64(d, IDXD_SWERR, q0 & (IDXD_SWERR_VALID | IDXD_SWERR_OVERFLOW));
	return 1;
}

int idxd_takeover(struct idxd *d)
{
	uint32_t sts = rd32(d, IDXD_GENSTS);
	int e;

	d->found_gensts = sts;
	if (IDXD_GENSTS_STATE(sts) == IDXD_STATE_HALTED && IDXD_GENSTS_RESET(sts) != 0)
		return fail(d, -EIO, "halted, and GENSTS 0x%x asks for a %s reset: power-cycle the "
			    "machine", sts, IDXD_GENSTS_RESET(sts) == 1 ? "function level" :
			    IDXD_GENSTS_RESET(sts) == 2 ? "warm" : "cold");
	if (IDXD_GENSTS_STATE(sts) == IDXD_STATE_ENABLED &&
	    (e = idxd_command(d, IDXD_CMD_DISABLE_DEVICE, 0, 0)))
		return e;
	if ((e = idxd_command(d, IDXD_CMD_RESET_DEVICE, 0, 0)))
		return e;
	wr32(d, IDXD_INTCAUSE, rd32(d, IDXD_INTCAUSE));	/* write 1 to clear */
	sts = rd32(d, IDXD_GENSTS);
	if (IDXD_GENSTS_STATE(sts) != IDXD_STATE_DISABLED)
		return fail(d, -EIO, "still %s after RESET_DEVICE (GENSTS 0x%x)", idxd_state_name(sts),
			    sts);
	return 0;
}

/* --- configuration ----------------------------------------------------------- */

static uint32_t wq_off(const struct idxd *d, uint32_t wq, uint32_t dw)
{
	return d->wqcfg + wq * d->wq_stride + 4 * dw;
}

static void config_wq(struct idxd *d, uint32_t wq, uint32_t size)
{
	uint32_t mode = rd32(d, wq_off(d, wq, IDXD_WQCFG_MODE));
	uint32_t maxes = IDXD_GENCAP_MAX_XFER(d->gencap) |
			 (d->id && d->id->iaa ? 0 : IDXD_GENCAP_MAX_BATCH(d->gencap) << 5);

	/* Read-modify-write: some fields stay across a reset (Linux device.c). */
	wr32(d, wq_off(d, wq, IDXD_WQCFG_SIZE), size);
	wr32(d, wq_off(d, wq, IDXD_WQCFG_THRESHOLD), 0);
	mode &= ~(IDXD_WQCFG_PASID_EN | IDXD_WQCFG_PRIORITY(0xf) | IDXD_WQCFG_ATS_DIS | 0xfffff00u);
	mode |= IDXD_WQCFG_DEDICATED | IDXD_WQCFG_PRIORITY(1) | IDXD_WQCFG_PRIV |
		((d->wqcap & IDXD_WQCAP_ATS_DIS) ? IDXD_WQCFG_ATS_DIS : 0);
	wr32(d, wq_off(d, wq, IDXD_WQCFG_MODE), mode);
	wr32(d, wq_off(d, wq, IDXD_WQCFG_MAXES), maxes);
	if ((d->wqcap & IDXD_WQCAP_OP_CONFIG) && d->wq_stride >= 64)
		for (uint32_t i = 0; i < 8; i++)	/* every operation OPCAP has (Linux) */
			wr32(d, wq_off(d, wq, IDXD_WQCFG_OP_CONFIG + i),
			     (uint32_t)(d->opcap[i / 2] >> (32 * (i % 2))));
}

/* Every group's flags as Linux's idxd_groups_clear_state and
 * idxd_group_flags_setup leave them: read buffers allowed = GRPCAP's total,
 * none reserved, no limit; traffic classes A and B 1 up to version 2.0
 * (Linux commit "dmaengine: idxd: Set traffic class values in GRPCFG on
 * DSA 2.0"), so that figures compare with Linux's. */
uint64_t idxd_grpcfg_flags(const struct idxd *d)
{
	uint64_t f = (uint64_t)IDXD_GRPCAP_RDBUFS(d->grpcap) << IDXD_GRPFLG_RDBUFS_ALLOWED_SHIFT;

	if (d->version <= 0x200)
		f |= IDXD_GRPFLG_TC_A(1) | IDXD_GRPFLG_TC_B(1);
	return f;
}

static void config_groups(struct idxd *d, uint32_t nwqs)
{
	for (uint32_t g = 0; g < d->ngroups; g++) {
		uint32_t base = d->grpcfg + g * IDXD_GRPCFG_SIZE;

		for (uint32_t q = 0; q < 4; q++)
			wr64(d, base + 8 * q, g || q ? 0 : (1ull << nwqs) - 1);
		wr64(d, base + IDXD_GRPCFG_ENGINES, g ? 0 : 1);
		wr64(d, base + IDXD_GRPCFG_FLAGS, idxd_grpcfg_flags(d));
	}
}

int idxd_enable(struct idxd *d, uint32_t nwqs)
{
	uint32_t size;
	int e;

	if (!nwqs || nwqs > d->nwqs || nwqs > IDXD_WQS_MAX)
		return fail(d, -EINVAL, "%u work queues asked for, %u there", nwqs, d->nwqs);
	if (!(d->gencap & IDXD_GENCAP_CONFIG))
		return fail(d, -ENOTSUP, "GENCAP 0x%lx: configuration not writable (bit 31 clear, as "
			    "on a virtual device): msilab sets up its own work queues", d->gencap);
	if (d->bar2_size < (uint64_t)nwqs * IDXD_PORTAL_STRIDE)
		return fail(d, -EINVAL, "BAR2 (%lu bytes) too small for %u work queues' portals",
			    d->bar2_size, nwqs);
	size = d->wq_total / nwqs;
	for (uint32_t wq = 0; wq < d->nwqs; wq++)
		if (wq < nwqs)
			config_wq(d, wq, size);
		else
			wr32(d, wq_off(d, wq, IDXD_WQCFG_SIZE), 0);
	config_groups(d, nwqs);
	wr32(d, IDXD_GENCTRL, IDXD_GENCTRL_SWERR_INT | IDXD_GENCTRL_HALT_INT);
	if ((e = idxd_command(d, IDXD_CMD_ENABLE_DEVICE, 0, 0)))
		return e;
	for (uint32_t wq = 0; wq < nwqs; wq++) {
		if ((e = idxd_command(d, IDXD_CMD_ENABLE_WQ, wq, 0)))
			return e;
		if (IDXD_WQ_STATE(rd32(d, wq_off(d, wq, IDXD_WQCFG_STATE))) != 1)
			return fail(d, -EIO, "WQ %u not enabled after ENABLE_WQ", wq);
	}
	d->nwq_used = nwqs;
	return 0;
}

int idxd_disable(struct idxd *d)
{
	d->nwq_used = 0;
	return idxd_command(d, IDXD_CMD_DISABLE_DEVICE, 0, 0);
}

/* --- IMS ----------------------------------------------------------------------- */

static uint32_t ims_off(const struct idxd *d, uint32_t slot, uint32_t field)
{
	return d->ims + slot * IDXD_IMS_ENTRY + field;
}

void idxd_ims_write(struct idxd *d, uint32_t slot, const struct msi_msg *m)
{
	wr32(d, ims_off(d, slot, IDXD_IMS_ADDR_LO), m->address_lo);
	wr32(d, ims_off(d, slot, IDXD_IMS_ADDR_HI), m->address_hi);
	wr32(d, ims_off(d, slot, IDXD_IMS_DATA), m->data);
	(void)rd32(d, ims_off(d, slot, IDXD_IMS_DATA));	/* flush the posted writes */
}

void idxd_ims_mask(struct idxd *d, uint32_t slot, int masked)
{
	/* PASID enable and PASID stay 0: the WQs run without PASID. */
	wr32(d, ims_off(d, slot, IDXD_IMS_CTRL), masked ? IDXD_IMS_MASK : 0);
	(void)rd32(d, ims_off(d, slot, IDXD_IMS_CTRL));
}

void idxd_ims_read(struct idxd *d, uint32_t slot, struct msi_msg *m)
{
	m->address_lo = rd32(d, ims_off(d, slot, IDXD_IMS_ADDR_LO));
	m->address_hi = rd32(d, ims_off(d, slot, IDXD_IMS_ADDR_HI));
	m->data = rd32(d, ims_off(d, slot, IDXD_IMS_DATA));
}

uint32_t idxd_ims_ctrl(struct idxd *d, uint32_t slot)
{
	return rd32(d, ims_off(d, slot, IDXD_IMS_CTRL));
}

/* --- interrupt handles (Linux commit eb15e7154fbf) -------------------------- */

int idxd_needs_int_handles(const struct idxd *d)
{
	return (d->gencap & IDXD_GENCAP_CMD_CAP) &&
	       (d->cmdcap & (1u << IDXD_CMD_REQUEST_INT_HANDLE));
}

int idxd_int_handle(struct idxd *d, uint32_t index, int ims, uint16_t *handle)
{
	uint32_t result = 0;
	int e;

	if (!idxd_needs_int_handles(d)) {
		*handle = (uint16_t)index;
		return 0;
	}
	e = idxd_command(d, IDXD_CMD_REQUEST_INT_HANDLE,
			 (index & 0xffff) | (ims ? IDXD_CMD_INT_HANDLE_IMS : 0), &result);
	*handle = (uint16_t)result;
	return e;
}

int idxd_int_handle_release(struct idxd *d, uint16_t handle, int ims)
{
	/* Without RELEASE_INT_HANDLE in CMDCAP there is nothing to release
	 * (Linux's idxd_device_release_int_handle). */
	if (!idxd_needs_int_handles(d) || !(d->cmdcap & (1u << IDXD_CMD_RELEASE_INT_HANDLE)))
		return 0;
	return idxd_command(d, IDXD_CMD_RELEASE_INT_HANDLE,
			    handle | (ims ? IDXD_CMD_INT_HANDLE_IMS : 0), 0);
}

/* --- descriptors ------------------------------------------------------------- */

int idxd_has_op(const struct idxd *d, uint32_t opcode)
{
	return opcode < 256 && ((d->opcap[opcode / 64] >> (opcode % 64)) & 1);
}

struct idxd_desc idxd_desc_interrupt(const struct idxd *d, uint64_t record, uint16_t handle)
{
	uint32_t op = idxd_has_op(d, IDXD_OP_NOOP) ? IDXD_OP_NOOP : IDXD_OP_DRAIN;

	return (struct idxd_desc){
		.flags_opcode = op << 24 | IDXD_FLAG_CRAV | IDXD_FLAG_RCR | IDXD_FLAG_RCI,
		.completion = record,
		.int_handle = handle,
	};
}

uint32_t idxd_portal(uint32_t wq, int ims)
{
	return wq * IDXD_PORTAL_STRIDE + (ims ? IDXD_PORTAL_IMS : 0);
}

int idxd_submit(struct idxd *d, uint32_t wq, int ims, const struct idxd_desc *desc)
{
	if (wq >= d->nwq_used)
		return fail(d, -EINVAL, "WQ %u is not enabled", wq);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* the record zeroed before the device sees it */
	d->ops->submit(d->ctx, idxd_portal(wq, ims), desc);
	return 0;
}
