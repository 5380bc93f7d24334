// SPDX-License-Identifier: MIT
/*
 * drivers/idxd/device.c against a register-level behavioural model of an
 * Intel DSA / IAA instance. No emulator models these devices (QEMU has
 * none), so this model is where the driver meets the device's rules, as
 * Linux's drivers/dma/idxd and its VFIO selftest driver read them:
 * commands through CMD/CMDSTS with the error codes for bad group and WQ
 * configurations, GENSTS states (a halted device, and the reset it asks
 * for), the WQ state in WQCFG, the IMS table with its mask bit, portal
 * descriptor decode, and NOOP/DRAIN completions that write the record and
 * raise the IMS entry's message into a sink. What a masked entry does with
 * a completion is not documented anywhere (the open question of
 * ims.masked_completion): the model can hold it (pending bit, delivered on
 * unmask), drop it, or only set the pending bit, so that each is seen.
 * Seeded with the capability values of a real SPR DSA and SPR IAA
 * (intel/idxd-config issue 8's dmesg; an IAA setup guide's accel-config).
 * It can also stop answering commands (the poll bound) and read all ones.
 */
#include "tests/host/host.h"
#include "drivers/idxd/ims.h"
#include "arch/x86/msi_msg.h"
#include "lib/errno.h"
#include "lib/printf.h"

#define BAR0		0x10000
#define BAR2		(8 * IDXD_PORTAL_STRIDE)
#define GRPCFG		0x300		/* SPR OFFSETS: grpcfg 0x300, wqcfg 0x400, ... */
#define WQCFG		0x400
#define MSIX_PERM	0x200
#define IMS		0x4000
#define OFFSETS_SPR	0x0040000200040003ull

enum masked_mode { HELD, DROPPED, PENDING_ONLY };

static struct model {
	uint8_t bar0[BAR0];
	int bus_master;
	int deaf;			/* CMDSTS.active never clears */
	int gone;			/* all ones */
	enum masked_mode masked;
	struct { uint32_t addr, data; } sink[64];
	uint32_t nsink;
	uint32_t held[2048];		/* messages waiting for unmask */
	uint8_t unflushed[2048];	/* an entry written and not read back since */
	uint64_t clock;
	uint32_t cmds[32], ncmds;
	int handles;			/* GENCAP.CMD_CAP with REQUEST_INT_HANDLE (a virtual device) */
	uint32_t msix_messages;
	int16_t slot_of[4096];		/* a requested handle's IMS slot, -1 none */
	int reset_clears_ims;		/* RESET_DEVICE leaves every entry 0: unmasked */
	/* Message dwords written to an entry while it was unmasked: the
	 * device may send a completion with half an old and half a new
	 * message (three 32-bit writes are not one update), so the driver
	 * masks around them (Linux's IMS irqchip, pci_msi_domain_write_msg). */
	uint32_t unmasked_writes;
	uint32_t force_err;		/* the next command's CMDSTS error, 0: none */
} m;

#define HANDLE_BASE	0x400		/* the model's handles: not the slot numbers */

static uint32_t g32(uint32_t off)
{
	uint32_t v;

	memcpy(&v, m.bar0 + off, 4);
	return v;
}

static void s32(uint32_t off, uint32_t v)
{
	memcpy(m.bar0 + off, &v, 4);
}

static uint64_t g64(uint32_t off)
{
	uint64_t v;

	memcpy(&v, m.bar0 + off, 8);
	return v;
}

static void s64(uint32_t off, uint64_t v)
{
	memcpy(m.bar0 + off, &v, 8);
}

static uint32_t nwqs(void)
{
	return IDXD_WQCAP_NWQS(g64(IDXD_WQCAP));
}

static uint32_t wq(uint32_t n, uint32_t dw)
{
	return WQCFG + n * 32 + 4 * dw;
}

static uint32_t ims_slots(void)
{
	return IDXD_GENCAP_IMS_MULT(g64(IDXD_GENCAP)) * 256;
}

static void state(uint32_t s)
{
	s32(IDXD_GENSTS, (g32(IDXD_GENSTS) & ~3u) | s);
}

/* ENABLE_DEVICE's checks, in the order Linux's error codes suggest. */
static uint32_t enable_device(void)
{
	uint32_t sum = 0, used = 0;

	if (IDXD_GENSTS_STATE(g32(IDXD_GENSTS)) == IDXD_STATE_ENABLED)
		return 0x10;
	if (!m.bus_master)
		return 0x12;
	for (uint32_t i = 0; i < nwqs(); i++)
		sum += g32(wq(i, IDXD_WQCFG_SIZE)) & 0xffff;
	if (sum > IDXD_WQCAP_TOTAL(g64(IDXD_WQCAP)))
		return 0x14;
	for (uint32_t g = 0; g < IDXD_GRPCAP_NGROUPS(g64(IDXD_GRPCAP)); g++) {
		uint64_t wqs = g64(GRPCFG + g * 64), eng = g64(GRPCFG + g * 64 + 32);

		if (wqs && !eng)
			return 0x17;	/* a group with WQs and no engine */
		if (wqs & used)
			return 0x16;	/* a WQ in two groups */
		used |= (uint32_t)wqs;
	}
	state(IDXD_STATE_ENABLED);
	return 0;
}

static uint32_t enable_wq(uint32_t n)
{
	uint32_t mode;

	if (n >= nwqs())
		return 0x02;
	if (IDXD_GENSTS_STATE(g32(IDXD_GENSTS)) != IDXD_STATE_ENABLED)
		return 0x20;
	if (IDXD_WQ_STATE(g32(wq(n, IDXD_WQCFG_STATE))) == 1)
		return 0x21;
	if (!(g32(wq(n, IDXD_WQCFG_SIZE)) & 0xffff))
		return 0x22;
	mode = g32(wq(n, IDXD_WQCFG_MODE));
	if (!((mode >> 4) & 0xf))
		return 0x23;
	if (!(mode & IDXD_WQCFG_DEDICATED))
		return 0x24;	/* shared mode needs a threshold and PASID: not offered */
	if (mode & IDXD_WQCFG_PASID_EN)
		return 0x26;
	s32(wq(n, IDXD_WQCFG_STATE), 1u << 30);
	return 0;
}

/* What a reset does to the IMS is not documented (the open question the
 * driver's idxd_ims_restore answers for itself): the model can leave it,
 * or clear every entry, the worst case: zero messages, unmasked. */
static void reset(void)
{
	state(IDXD_STATE_DISABLED);
	s32(IDXD_GENSTS, 0);
	for (uint32_t i = 0; i < nwqs(); i++)
		s32(wq(i, IDXD_WQCFG_STATE), 0);
	if (m.reset_clears_ims)
		memset(m.bar0 + IMS, 0, ims_slots() * 16);
}

static void command(uint32_t v)
{
	uint32_t c = (v >> 20) & 0x1f, op = v & 0xfffff, err = 0;

	if (m.ncmds < 32)
		m.cmds[m.ncmds++] = c;
	if (m.force_err) {
		s32(IDXD_CMDSTS, m.force_err);
		m.force_err = 0;
		return;
	}
	/* Where GENCAP.CMD_CAP is set, CMDCAP lists the commands there are. */
	if ((g64(IDXD_GENCAP) & IDXD_GENCAP_CMD_CAP) && !(g32(IDXD_CMDCAP) & (1u << c)))
		err = 0x01;
	else if (IDXD_GENSTS_STATE(g32(IDXD_GENSTS)) == IDXD_STATE_HALTED && c != IDXD_CMD_RESET_DEVICE)
		err = 0x03;
	else if (c == IDXD_CMD_ENABLE_DEVICE)
		err = enable_device();
	else if (c == IDXD_CMD_DISABLE_DEVICE) {
		if (IDXD_GENSTS_STATE(g32(IDXD_GENSTS)) != IDXD_STATE_ENABLED)
			err = 0x31;
		else
			reset();
	} else if (c == IDXD_CMD_RESET_DEVICE) {
		if (IDXD_GENSTS_RESET(g32(IDXD_GENSTS)) == 0)
			reset();
		else
			err = 0x03;
	} else if (c == IDXD_CMD_ENABLE_WQ) {
		err = enable_wq(op);
	} else if (c == IDXD_CMD_REQUEST_INT_HANDLE && m.handles) {
		uint32_t slot = op & 0xffff;

		if (!(op & IDXD_CMD_INT_HANDLE_IMS) || slot >= ims_slots())
			err = 0x41;
		else
			m.slot_of[HANDLE_BASE + slot] = (int16_t)slot, op = HANDLE_BASE + slot;
		s32(IDXD_CMDSTS, (err ? 0 : op << 8) | err);
		return;
	} else if (c == IDXD_CMD_RELEASE_INT_HANDLE && m.handles) {
		if (!(op & IDXD_CMD_INT_HANDLE_IMS) || m.slot_of[op & 0xfff] < 0)
			err = 0x41;
		else
			m.slot_of[op & 0xfff] = -1;
	} else
		err = 0x01;
	s32(IDXD_CMDSTS, (m.deaf ? IDXD_CMDSTS_ACTIVE : 0) | err);
}

static int in_ims(uint32_t off)
{
	return off >= IMS && off < IMS + ims_slots() * 16;
}

static uint32_t r32(void *ctx, uint32_t off)
{
	(void)ctx;
	assert_true(off + 4 <= BAR0);
	if (in_ims(off))
		m.unflushed[(off - IMS) / 16] = 0;
	return m.gone ? ~0u : g32(off);
}

static uint64_t r64(void *ctx, uint32_t off)
{
	(void)ctx;
	assert_true(off + 8 <= BAR0 && off % 8 == 0);
	return m.gone ? ~0ull : g64(off);
}

static void raise(uint32_t slot)
{
	uint32_t e = IMS + slot * 16;

	if (g32(e + IDXD_IMS_CTRL) & IDXD_IMS_MASK) {
		if (m.masked != DROPPED)
			s32(e + IDXD_IMS_CTRL, g32(e + IDXD_IMS_CTRL) | IDXD_IMS_PENDING);
		if (m.masked == HELD)
			m.held[slot] = 1;
		return;
	}
	assert_true(m.nsink < 64);
	m.sink[m.nsink].addr = g32(e + IDXD_IMS_ADDR_LO);
	m.sink[m.nsink++].data = g32(e + IDXD_IMS_DATA);
}

static void w32(void *ctx, uint32_t off, uint32_t v)
{
	(void)ctx;
	assert_true(off + 4 <= BAR0);
	if (m.gone)
		return;
	if (off == IDXD_CMD) {
		command(v);
		return;
	}
	if (off == IDXD_INTCAUSE) {
		s32(off, g32(off) & ~v);
		return;
	}
	if (in_ims(off))
		m.unflushed[(off - IMS) / 16] = 1;
	if (in_ims(off) && off % 16 != IDXD_IMS_CTRL &&
	    !(g32(off - off % 16 + IDXD_IMS_CTRL) & IDXD_IMS_MASK))
		m.unmasked_writes++;
	if (in_ims(off) && off % 16 == IDXD_IMS_CTRL) {
		uint32_t slot = (off - IMS) / 16, keep = g32(off) & IDXD_IMS_PENDING;

		s32(off, v | keep);
		if (!(v & IDXD_IMS_MASK) && m.held[slot]) {	/* delivered on unmask */
			m.held[slot] = 0;
			s32(off, v);
			raise(slot);
		}
		return;
	}
	s32(off, v);
}

static void w64(void *ctx, uint32_t off, uint64_t v)
{
	(void)ctx;
	assert_true(off + 8 <= BAR0 && off % 8 == 0);
	if (off == IDXD_SWERR)
		v = g64(off) & ~v;	/* write the valid bits back to clear */
	if (!m.gone)
		s64(off, v);
}

static void swerr(uint32_t err, uint32_t wqn, uint32_t opcode)
{
	s64(IDXD_SWERR, IDXD_SWERR_VALID | IDXD_SWERR_WQ_VALID | (uint64_t)err << 8 |
			(uint64_t)wqn << 16 | (uint64_t)opcode << 32);
}

/* A descriptor written to BAR2 + portal: decoded as the device would. */
static void submit(void *ctx, uint32_t portal, const struct idxd_desc *d)
{
	uint32_t n = portal / IDXD_PORTAL_STRIDE, op = d->flags_opcode >> 24;
	uint8_t *record = (uint8_t *)(uintptr_t)d->completion;

	(void)ctx;
	assert_true(portal < BAR2 && portal % 64 == 0);
	if (n >= nwqs() || IDXD_WQ_STATE(g32(wq(n, IDXD_WQCFG_STATE))) != 1) {
		swerr(0x02, n, op);	/* to a WQ not enabled: dropped, logged */
		return;
	}
	if (op != IDXD_OP_NOOP && op != IDXD_OP_DRAIN) {
		record[0] = 0x10;	/* the model runs NOOP and DRAIN only */
		return;
	}
	{
		int slot = m.handles ? (d->int_handle < 4096 ? m.slot_of[d->int_handle] : -1) :
				       d->int_handle;

		if ((d->flags_opcode & IDXD_FLAG_RCI) &&
		    (portal % IDXD_PORTAL_STRIDE) >= IDXD_PORTAL_IMS &&
		    (slot < 0 || (uint32_t)slot >= ims_slots())) {
			record[0] = IDXD_COMP_INVALID_INT_HANDLE;
			return;
		}
		if (d->flags_opcode & IDXD_FLAG_CRAV)
			record[0] = IDXD_COMP_SUCCESS;	/* the record before the interrupt */
		if ((d->flags_opcode & IDXD_FLAG_RCI) &&
		    (portal % IDXD_PORTAL_STRIDE) >= IDXD_PORTAL_IMS)
			raise((uint32_t)slot);
		else if (d->flags_opcode & IDXD_FLAG_RCI)
			m.msix_messages++;	/* an MSI-X vector's: not the IMS's */
	}
}

static uint64_t now(void)
{
	return m.clock += 1000;	/* 1 ms per poll */
}

static const struct idxd_ops ops = { .read32 = r32, .write32 = w32, .read64 = r64, .write64 = w64,
				     .submit = submit, .now_us = now };

static const struct idxd_id dsa = { 0x0b25, "DSA SPR", 0 }, iaa = { 0x0cfe, "IAA SPR", 1 };

/* SPR DSA: VERSION 0x100, GENCAP 0x40915f010f, WQCAP 0x3f000000080080,
 * GRPCAP 0x36004, ENGCAP 4, OPCAP[0] 0x1003f03ff. SPR IAA: GENCAP
 * 0x71f10901f0104, 8 WQs, 8 engines, 128 entries, OPCAP 0xd and
 * 0x7f331c. Both with SPR's OFFSETS. */
static void seed(const struct idxd_id *id)
{
	memset(&m, 0, sizeof(m));
	m.bus_master = 1;
	s32(IDXD_VERSION, 0x100);
	s64(IDXD_GENCAP, id->iaa ? 0x71f10901f0104ull : 0x40915f010full);
	s64(IDXD_WQCAP, 0x3f000000080080ull);
	s64(IDXD_GRPCAP, 0x36004);
	s64(IDXD_ENGCAP, id->iaa ? 8 : 4);
	s64(IDXD_OPCAP, id->iaa ? 0xd : 0x1003f03ffull);
	s64(IDXD_OPCAP + 8, id->iaa ? 0x7f331c : 0);
	s64(IDXD_OFFSETS, OFFSETS_SPR);
	s64(IDXD_OFFSETS + 8, 0x10);
	for (uint32_t i = 0; i < ims_slots(); i++)
		s32(IMS + i * 16 + IDXD_IMS_CTRL, IDXD_IMS_MASK);
	memset(m.slot_of, 0xff, sizeof(m.slot_of));
}

static struct idxd d;

static void up(const struct idxd_id *id, uint32_t wqs)
{
	seed(id);
	assert_int_equal(idxd_probe(&d, &ops, 0, id, BAR0, BAR2), 0);
	assert_int_equal(idxd_takeover(&d), 0);
	assert_int_equal(idxd_enable(&d, wqs), 0);
}

static void spr_dsa_and_iaa_come_up(void **state)
{
	(void)state;
	up(&dsa, 4);
	assert_int_equal(d.nwqs, 8);
	assert_int_equal(d.wq_total, 128);
	assert_int_equal(d.nengines, 4);
	assert_int_equal(d.ims_size, 2048);
	assert_int_equal(d.ims, IMS);
	assert_int_equal(d.wqcfg, WQCFG);
	assert_null(d.ims_absent);
	assert_int_equal(IDXD_GENSTS_STATE(g32(IDXD_GENSTS)), IDXD_STATE_ENABLED);
	for (uint32_t i = 0; i < 4; i++) {
		assert_int_equal(g32(wq(i, IDXD_WQCFG_SIZE)), 32);
		assert_int_equal(IDXD_WQ_STATE(g32(wq(i, IDXD_WQCFG_STATE))), 1);
		assert_false(g32(wq(i, IDXD_WQCFG_MODE)) & IDXD_WQCFG_PASID_EN);
	}
	assert_int_equal(g64(GRPCFG), 0xf);		/* WQs 0-3 in group 0 */
	assert_int_equal(g64(GRPCFG + 32), 1);	/* engine 0 */
	assert_int_equal(g64(GRPCFG + 64), 0);	/* group 1 empty */
	/* Linux's group defaults on every group: TC-A = TC-B = 1 (version
	 * 0x100), read buffers allowed = GRPCAP's 96. */
	assert_int_equal(g64(GRPCFG + 40), 0x6000009);
	assert_int_equal(g64(GRPCFG + 64 + 40), 0x6000009);
	assert_int_equal((g32(wq(0, IDXD_WQCFG_MAXES)) >> 5) & 0xf, 10);	/* batch shift */
	/* IAA: no batch, NOOP offered. */
	up(&iaa, 8);
	assert_int_equal(d.nengines, 8);
	assert_int_equal((g32(wq(0, IDXD_WQCFG_MAXES)) >> 5) & 0xf, 0);
	assert_true(idxd_has_op(&d, IDXD_OP_NOOP));
	assert_true(idxd_has_op(&d, 0x42));	/* DECOMPRESS */
}

/* After version 2.0 Linux leaves the traffic classes at 0 (its tc_a = -1
 * writes nothing); the read buffers stay GRPCAP's. */
static void grpcfg_traffic_classes_up_to_version_2(void **state)
{
	(void)state;
	seed(&dsa);
	s32(IDXD_VERSION, 0x200);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	assert_int_equal(idxd_takeover(&d), 0);
	assert_int_equal(idxd_enable(&d, 1), 0);
	assert_int_equal(g64(GRPCFG + 40), 0x6000009);
	seed(&dsa);
	s32(IDXD_VERSION, 0x300);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	assert_int_equal(idxd_takeover(&d), 0);
	assert_int_equal(idxd_enable(&d, 1), 0);
	assert_int_equal(g64(GRPCFG + 40), 0x6000000);
}

static void command_errors_are_named(void **state)
{
	(void)state;
	seed(&dsa);
	m.bus_master = 0;
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	assert_int_equal(idxd_takeover(&d), 0);
	assert_int_equal(idxd_enable(&d, 2), -EIO);
	assert_string_equal(d.error, "DSA SPR: ENABLE_DEVICE: bus master not enabled (0x12)");
	/* A WQ size sum beyond WQCAP. */
	seed(&dsa);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	s64(IDXD_WQCAP, (g64(IDXD_WQCAP) & ~0xffffull) | 128);
	d.wq_total = 200;	/* a driver that believed another total */
	assert_int_equal(idxd_enable(&d, 2), -EIO);
	assert_non_null(strstr(d.error, "sum of WQ sizes out of range (0x14)"));
	/* Enabling a WQ of a device not enabled; an unknown command. */
	seed(&dsa);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	assert_int_equal(idxd_command(&d, IDXD_CMD_ENABLE_WQ, 0, 0), -EIO);
	assert_non_null(strstr(d.error, "ENABLE_WQ: device not enabled (0x20)"));
	assert_int_equal(idxd_command(&d, 0x1f, 0, 0), -EIO);
	assert_non_null(strstr(d.error, "invalid command (0x1)"));
	/* Group refusals: a group with WQs and no engine, a WQ in two groups. */
	seed(&dsa);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	s64(GRPCFG, 1);
	assert_int_equal(idxd_command(&d, IDXD_CMD_ENABLE_DEVICE, 0, 0), -EIO);
	assert_non_null(strstr(d.error, "group configuration error 3 (0x17)"));
	s64(GRPCFG + 32, 1);
	s64(GRPCFG + 64, 1);
	s64(GRPCFG + 64 + 32, 2);
	assert_int_equal(idxd_command(&d, IDXD_CMD_ENABLE_DEVICE, 0, 0), -EIO);
	assert_non_null(strstr(d.error, "group configuration error 2 (0x16)"));
	/* A configuration the device does not let software write. */
	s64(IDXD_GENCAP, g64(IDXD_GENCAP) & ~IDXD_GENCAP_CONFIG);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	assert_int_equal(idxd_enable(&d, 1), -ENOTSUP);
	assert_non_null(strstr(d.error, "configuration not writable"));
	s64(IDXD_GENCAP, g64(IDXD_GENCAP) | IDXD_GENCAP_CONFIG);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	/* Too many WQs, or portals BAR2 cannot hold. */
	assert_int_equal(idxd_enable(&d, 9), -EINVAL);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, 2 * IDXD_PORTAL_STRIDE), 0);
	assert_int_equal(idxd_enable(&d, 4), -EINVAL);
	assert_non_null(strstr(d.error, "BAR2"));
}

/* ENABLE_WQ's refusals, each named as the device reports it: already
 * enabled, size 0, priority 0, shared mode, PASID on; and a WQ index the
 * device does not have. */
static void wq_errors_are_named(void **state)
{
	static const struct { uint32_t dw, clear, set, err; const char *name; } cases[] = {
		{ IDXD_WQCFG_SIZE, 0xffff, 0, 0x22, "WQ size error (0x22)" },
		{ IDXD_WQCFG_MODE, IDXD_WQCFG_PRIORITY(0xf), 0, 0x23, "WQ priority error (0x23)" },
		{ IDXD_WQCFG_MODE, IDXD_WQCFG_DEDICATED, 0, 0x24, "WQ mode error (0x24)" },
		{ IDXD_WQCFG_MODE, 0, IDXD_WQCFG_PASID_EN, 0x26, "WQ PASID enable error (0x26)" },
	};

	(void)state;
	up(&dsa, 1);
	assert_int_equal(idxd_command(&d, IDXD_CMD_ENABLE_WQ, 0, 0), -EIO);
	assert_non_null(strstr(d.error, "ENABLE_WQ: WQ already enabled (0x21)"));
	assert_int_equal(idxd_command(&d, IDXD_CMD_ENABLE_WQ, 200, 0), -EIO);
	assert_non_null(strstr(d.error, "invalid WQ index (0x2)"));
	for (uint32_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t off = wq(1, cases[i].dw);

		s32(off, (g32(wq(0, cases[i].dw)) & ~cases[i].clear) | cases[i].set);
		if (cases[i].dw != IDXD_WQCFG_SIZE)
			s32(wq(1, IDXD_WQCFG_SIZE), 16);
		assert_int_equal(idxd_command(&d, IDXD_CMD_ENABLE_WQ, 1, 0), -EIO);
		assert_int_equal(IDXD_CMDSTS_ERR(d.last_cmdsts), cases[i].err);
		assert_non_null(strstr(d.error, cases[i].name));
		memset(m.bar0 + wq(1, 0), 0, 32);
	}
}

static void deaf_device_is_bounded(void **state)
{
	(void)state;
	seed(&dsa);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	m.deaf = 1;
	assert_int_equal(idxd_takeover(&d), -ETIMEDOUT);
	assert_non_null(strstr(d.error, "RESET_DEVICE: CMDSTS still active after 1000 ms"));
	assert_true(m.clock <= IDXD_POLL_US + 5000);	/* two waits, the second one bounded */
	/* The next command waits for the stuck one, bounded too. */
	assert_int_equal(idxd_command(&d, IDXD_CMD_ENABLE_DEVICE, 0, 0), -ETIMEDOUT);
	assert_non_null(strstr(d.error, "previous command still active"));
}

static void left_enabled_or_halted(void **state)
{
	(void)state;
	/* Left enabled by a previous boot: disabled, reset, brought up. */
	up(&dsa, 2);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	m.ncmds = 0;
	assert_int_equal(idxd_takeover(&d), 0);
	assert_int_equal(IDXD_GENSTS_STATE(d.found_gensts), IDXD_STATE_ENABLED);
	assert_int_equal(m.cmds[0], IDXD_CMD_DISABLE_DEVICE);
	assert_int_equal(m.cmds[1], IDXD_CMD_RESET_DEVICE);
	assert_int_equal(idxd_enable(&d, 2), 0);
	/* Halted, a software reset enough: reset. */
	s32(IDXD_GENSTS, IDXD_STATE_HALTED);
	assert_int_equal(idxd_takeover(&d), 0);
	assert_int_equal(IDXD_GENSTS_STATE(g32(IDXD_GENSTS)), IDXD_STATE_DISABLED);
	/* Halted, asking for an FLR: refused with the reason. */
	s32(IDXD_GENSTS, IDXD_STATE_HALTED | 1u << 2);
	assert_int_equal(idxd_takeover(&d), -EIO);
	assert_non_null(strstr(d.error, "function level reset"));
	assert_string_equal(idxd_state_name(g32(IDXD_GENSTS)), "halted");
}

static void bad_capabilities(void **state)
{
	(void)state;
	seed(&dsa);
	memset(m.bar0, 0xff, 0x100);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), -ENODEV);
	assert_non_null(strstr(d.error, "all-ones"));
	seed(&dsa);
	s64(IDXD_WQCAP, g64(IDXD_WQCAP) & ~0xffffull);	/* no WQ entries */
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), -EINVAL);
	assert_non_null(strstr(d.error, "no work-queue entries"));
	seed(&dsa);
	s64(IDXD_OFFSETS, (OFFSETS_SPR & ~0xffff0000ull) | 0xff00ull << 16);	/* WQCFG at 0xff0000 */
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), -EINVAL);
	assert_non_null(strstr(d.error, "outside BAR0"));
	/* IMS: a multiplier of 0, or a table BAR0 cannot hold: IMS unusable, the rest fine. */
	seed(&dsa);
	s64(IDXD_GENCAP, g64(IDXD_GENCAP) & ~(0x3full << 25));
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	assert_int_equal(d.ims_size, 0);
	assert_non_null(d.ims_absent);
	assert_non_null(strstr(d.ims_absent, "multiplier is 0"));
	seed(&dsa);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, 0x8000, BAR2), 0);	/* the IMS at 0x4000 needs 0x8000 more */
	assert_int_equal(d.ims_size, 0);
	assert_non_null(d.ims_absent);
	assert_non_null(strstr(d.ims_absent, "does not fit in BAR0"));
}

/* A NOOP through an IMS portal: record first, then the slot's message. */
static void noop_raises_the_ims_message(void **state)
{
	volatile uint8_t record[64] __attribute__((aligned(64))) = { 0 };
	struct msi_msg msg = { .address_lo = 0xfee00000, .data = 0x41 };
	struct idxd_desc desc;

	(void)state;
	up(&dsa, 2);
	idxd_ims_write(&d, 5, &msg);
	assert_false(m.unflushed[5]);	/* the posted writes read back */
	idxd_ims_mask(&d, 5, 0);
	assert_false(m.unflushed[5]);
	desc = idxd_desc_interrupt(&d, (uintptr_t)record, 5);
	assert_int_equal(desc.flags_opcode >> 24, IDXD_OP_NOOP);
	assert_int_equal(idxd_submit(&d, 1, 1, &desc), 0);
	assert_int_equal(record[0], IDXD_COMP_SUCCESS);
	assert_int_equal(m.nsink, 1);
	assert_int_equal(m.sink[0].addr, 0xfee00000);
	assert_int_equal(m.sink[0].data, 0x41);
	/* The same handle through the MSI-X portal is MSI-X vector 5's. */
	assert_int_equal(idxd_submit(&d, 1, 0, &desc), 0);
	assert_int_equal(m.nsink, 1);
	assert_int_equal(m.msix_messages, 1);
	/* DRAIN where OPCAP lacks NOOP. */
	s64(IDXD_OPCAP, 0x4);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	d.nwq_used = 2;
	desc = idxd_desc_interrupt(&d, (uintptr_t)record, 5);
	assert_int_equal(desc.flags_opcode >> 24, IDXD_OP_DRAIN);
	/* A WQ not enabled is refused before any write. */
	assert_int_equal(idxd_submit(&d, 2, 1, &desc), -EINVAL);
}

static void invalid_handle_is_status_0x19(void **state)
{
	volatile uint8_t record[64] __attribute__((aligned(64))) = { 0 };
	struct idxd_desc desc;

	(void)state;
	up(&dsa, 1);
	desc = idxd_desc_interrupt(&d, (uintptr_t)record, 2048);	/* one past the IMS */
	assert_int_equal(idxd_submit(&d, 0, 1, &desc), 0);
	assert_int_equal(record[0], IDXD_COMP_INVALID_INT_HANDLE);
	assert_int_equal(m.nsink, 0);
}

/* Each of the behaviours a masked entry might have, as the driver sees
 * them through the control word and the sink. */
static void masked_completion_each_way(void **state)
{
	static const enum masked_mode modes[] = { HELD, DROPPED, PENDING_ONLY };
	volatile uint8_t record[64] __attribute__((aligned(64)));
	struct msi_msg msg = { .address_lo = 0xfee00000, .data = 0x42 };

	(void)state;
	for (uint32_t k = 0; k < 3; k++) {
		struct idxd_desc desc;

		up(&dsa, 1);
		m.masked = modes[k];
		idxd_ims_write(&d, 7, &msg);
		idxd_ims_mask(&d, 7, 1);
		memset((void *)record, 0, sizeof(record));
		desc = idxd_desc_interrupt(&d, (uintptr_t)record, 7);
		assert_int_equal(idxd_submit(&d, 0, 1, &desc), 0);
		assert_int_equal(record[0], IDXD_COMP_SUCCESS);	/* the work was done */
		assert_int_equal(m.nsink, 0);			/* nothing while masked */
		assert_int_equal(!!(idxd_ims_ctrl(&d, 7) & IDXD_IMS_PENDING), modes[k] != DROPPED);
		idxd_ims_mask(&d, 7, 0);
		assert_int_equal(m.nsink, modes[k] == HELD);
	}
}

static void swerr_is_decoded_and_cleared(void **state)
{
	char text[96];
	struct idxd_desc desc = { .flags_opcode = IDXD_OP_NOOP << 24 };

	(void)state;
	up(&dsa, 1);
	assert_int_equal(idxd_swerr_take(&d, text, sizeof(text)), 0);
	d.nwq_used = 4;			/* a driver that submits to WQ 3, never enabled */
	assert_int_equal(idxd_submit(&d, 3, 1, &desc), 0);
	assert_int_equal(idxd_swerr_take(&d, text, sizeof(text)), 1);
	assert_string_equal(text, "software error 0x2 on WQ 3, opcode 0x0");
	assert_int_equal(idxd_swerr_take(&d, text, sizeof(text)), 0);
}

static void ids_and_portals(void **state)
{
	(void)state;
	assert_non_null(idxd_id_of(0x8086, 0x0b25));
	assert_true(idxd_id_of(0x8086, 0x0cfe)->iaa);
	assert_null(idxd_id_of(0x8086, 0x1234));
	assert_null(idxd_id_of(0x1234, 0x0b25));
	assert_non_null(strstr(idxd_ids_text(), "8086:0b25, 8086:0cfe, "));
	assert_non_null(strstr(idxd_ids_text(), "8086:fd2d"));
	assert_int_equal(idxd_portal(0, 0), 0);
	assert_int_equal(idxd_portal(3, 1), 3 * 0x4000 + 0x2000);
}

static void all_ones_after_bring_up(void **state)
{
	(void)state;
	up(&dsa, 1);
	m.gone = 1;
	/* CMDSTS reads active forever: bounded. */
	assert_int_equal(idxd_disable(&d), -ETIMEDOUT);
	assert_int_equal(idxd_ims_ctrl(&d, 0), 0xffffffffu);
}

/* A device whose GENCAP and CMDCAP say handles must be requested (the
 * virtual IAA a guest sees does: GENCAP 0x71f10001f0115): the descriptor
 * names the handle REQUEST_INT_HANDLE gave; the slot number itself is
 * invalid there (status 0x19). Without CMDCAP the slot is the handle. */
static void handles_requested_where_cmdcap_says(void **state)
{
	volatile uint8_t record[64] __attribute__((aligned(64))) = { 0 };
	struct msi_msg msg = { .address_lo = 0xfee00000, .data = 0x43 };
	struct idxd_desc desc;
	uint16_t h;

	(void)state;
	up(&dsa, 1);
	assert_false(idxd_needs_int_handles(&d));
	assert_int_equal(idxd_int_handle(&d, 9, 1, &h), 0);
	assert_int_equal(h, 9);
	m.handles = 1;
	s64(IDXD_GENCAP, g64(IDXD_GENCAP) | IDXD_GENCAP_CMD_CAP);
	s32(IDXD_CMDCAP, 1u << IDXD_CMD_REQUEST_INT_HANDLE | 1u << IDXD_CMD_RELEASE_INT_HANDLE);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	d.nwq_used = 1;
	assert_true(idxd_needs_int_handles(&d));
	idxd_ims_write(&d, 9, &msg);
	idxd_ims_mask(&d, 9, 0);
	desc = idxd_desc_interrupt(&d, (uintptr_t)record, 9);	/* the slot: not a handle here */
	assert_int_equal(idxd_submit(&d, 0, 1, &desc), 0);
	assert_int_equal(record[0], IDXD_COMP_INVALID_INT_HANDLE);
	assert_int_equal(idxd_int_handle(&d, 9, 1, &h), 0);
	assert_int_equal(h, HANDLE_BASE + 9);
	record[0] = 0;
	desc = idxd_desc_interrupt(&d, (uintptr_t)record, h);
	assert_int_equal(idxd_submit(&d, 0, 1, &desc), 0);
	assert_int_equal(record[0], IDXD_COMP_SUCCESS);
	assert_int_equal(m.nsink, 1);
	assert_int_equal(m.sink[0].data, 0x43);
	assert_int_equal(idxd_int_handle(&d, 5000, 1, &h), -EIO);
	assert_non_null(strstr(d.error, "invalid interrupt index (0x41)"));
	/* Released: the device forgets it, a descriptor naming it is refused. */
	m.ncmds = 0;
	assert_int_equal(idxd_int_handle_release(&d, HANDLE_BASE + 9, 1), 0);
	assert_int_equal(m.ncmds, 1);
	assert_int_equal(m.cmds[0], IDXD_CMD_RELEASE_INT_HANDLE);
	record[0] = 0;
	assert_int_equal(idxd_submit(&d, 0, 1, &desc), 0);
	assert_int_equal(record[0], IDXD_COMP_INVALID_INT_HANDLE);
	assert_int_equal(m.nsink, 1);
	/* CMDCAP with REQUEST_INT_HANDLE and no RELEASE_INT_HANDLE: a handle
	 * is requested, and there is nothing to release (Linux's
	 * idxd_device_release_int_handle); the device would refuse it (0x01). */
	s32(IDXD_CMDCAP, 1u << IDXD_CMD_REQUEST_INT_HANDLE);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	assert_int_equal(idxd_int_handle(&d, 9, 1, &h), 0);
	assert_int_equal(h, HANDLE_BASE + 9);
	m.ncmds = 0;
	assert_int_equal(idxd_int_handle_release(&d, h, 1), 0);
	assert_int_equal(m.ncmds, 0);
}

/* Every error code Linux's registers.h names (IDXD_CMDSTS_ERR_*), as the
 * device reports it for any command: an error (-EIO), named, with the
 * code, and CMDSTS kept. */
static void every_cmdsts_error_is_named(void **state)
{
	static const struct { uint32_t err; const char *name; } codes[] = {
		{ 0x01, "invalid command" }, { 0x02, "invalid WQ index" },
		{ 0x03, "hardware error" }, { 0x10, "device already enabled" },
		{ 0x11, "configuration error" }, { 0x12, "bus master not enabled" },
		{ 0x13, "PASID invalid" }, { 0x14, "sum of WQ sizes out of range" },
		{ 0x15, "group configuration error" }, { 0x16, "group configuration error 2" },
		{ 0x17, "group configuration error 3" }, { 0x18, "group configuration error 4" },
		{ 0x20, "device not enabled" }, { 0x21, "WQ already enabled" },
		{ 0x22, "WQ size error" }, { 0x23, "WQ priority error" }, { 0x24, "WQ mode error" },
		{ 0x25, "WQ block-on-fault error" }, { 0x26, "WQ PASID enable error" },
		{ 0x27, "WQ max batch size error" }, { 0x28, "WQ max transfer size error" },
		{ 0x31, "device not enabled (disable)" }, { 0x32, "device not enabled" },
		{ 0x41, "invalid interrupt index" }, { 0x42, "no interrupt handle available" },
	};
	char want[96];

	(void)state;
	up(&dsa, 1);
	for (uint32_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		m.force_err = codes[i].err;
		assert_int_equal(idxd_command(&d, 8 /* DRAIN_WQ */, 0, 0), -EIO);
		ksnprintf(want, sizeof(want), "DSA SPR: DRAIN_WQ: %s (0x%x)", codes[i].name, codes[i].err);
		assert_string_equal(d.error, want);
		assert_int_equal(IDXD_CMDSTS_ERR(d.last_cmdsts), codes[i].err);
	}
	/* A halted device refuses everything but a reset: a hardware error. */
	s32(IDXD_GENSTS, IDXD_STATE_HALTED);
	assert_int_equal(idxd_command(&d, IDXD_CMD_ENABLE_WQ, 0, 0), -EIO);
	assert_string_equal(d.error, "DSA SPR: ENABLE_WQ: hardware error (0x3)");
}

/* --- the IMS as a DEV_MSI domain, under a fake vector domain ------------ */

static uint32_t next_vector;

static int root_compose(struct irq_data *dd, struct msi_msg *msg)
{
	*msg = (struct msi_msg){ .address_lo = 0xfee00000u, .data = dd->hwirq & 0xff };
	return 0;
}

/* A move: a new vector, and the level above rewrites its message. */
static int root_set_affinity(struct irq_data *dd, uint32_t cpu)
{
	(void)cpu;
	dd->hwirq = next_vector++;
	return IRQ_AFFINITY_PROPAGATE;
}

static const struct irq_chip root_chip = { .name = "fake-vector", .compose_msi_msg = root_compose,
					   .set_affinity = root_set_affinity };

static int root_alloc(struct irq_domain *dom, struct irq_data *dd, const struct irq_alloc_info *i)
{
	(void)dom;
	(void)i;
	if (next_vector > 0xef)
		return -ENOSPC;
	dd->hwirq = next_vector++;
	dd->chip = &root_chip;
	return 0;
}

static const struct irq_domain_ops root_ops = { .alloc = root_alloc };
static struct irq_domain root = { .name = "fake-vector", .ops = &root_ops };

static uint32_t ims_ctrl(uint32_t slot)
{
	return g32(IMS + slot * 16 + IDXD_IMS_CTRL);
}

/* The physical device's domain over its IMS, the WQs as children: a slot
 * allocated by a child is written and unmasked, fires through its WQ's
 * portal, masks at the source, and is masked again when freed. */
static void ims_domain_and_children(void **state)
{
	volatile uint8_t record[64] __attribute__((aligned(64))) = { 0 };
	static struct idxd_ims ims;
	struct irq_desc *irq, *beyond, *stale;
	struct idxd_desc desc;
	uint32_t domains, slots, errors0;

	(void)state;
	up(&dsa, 2);
	next_vector = 0x30;
	msi_set_root(&root);
	for (uint32_t s = 0; s < 2048; s++)
		s32(IMS + s * 16 + IDXD_IMS_CTRL, 0);	/* as if left unmasked by a previous boot */
	assert_int_equal(idxd_ims_domain_create(&ims, &d, (struct msi_device){ .name = "dsa0" }, 2), 0);
	for (uint32_t s = 0; s < 2048; s++)
		assert_true(ims_ctrl(s) & IDXD_IMS_MASK);	/* every entry masked first */
	assert_ptr_equal(ims.wqs[1].domain, ims.dev.domain);
	assert_ptr_equal(ims.wqs[1].physical, &ims.dev);
	assert_ptr_equal(ims.dev.domain->parent, &root);	/* no remapping: the vector domain */
	assert_int_equal(msi_alloc_irqs(&ims.wqs[1], 5, 1, 0, &irq), 0);
	assert_int_equal(g32(IMS + 5 * 16 + IDXD_IMS_DATA), 0x30);
	assert_false(ims_ctrl(5) & IDXD_IMS_MASK);
	assert_int_equal(m.unmasked_writes, 0);	/* written while masked, then unmasked */
	desc = idxd_desc_interrupt(&d, (uintptr_t)record, 5);
	assert_int_equal(idxd_submit(&d, 1, 1, &desc), 0);
	assert_int_equal(m.nsink, 1);
	assert_int_equal(m.sink[0].data, 0x30);
	assert_int_equal(irq_mask(irq), 0);
	assert_true(ims_ctrl(5) & IDXD_IMS_MASK);
	assert_int_equal(irq_unmask(irq), 0);
	assert_false(ims_ctrl(5) & IDXD_IMS_MASK);
	/* The last slot there is, and one beyond it. */
	assert_int_equal(msi_alloc_irqs(&ims.wqs[0], 2047, 1, 0, &beyond), 0);
	msi_free_irqs(&beyond, 1);
	assert_int_not_equal(msi_alloc_irqs(&ims.wqs[0], 2048, 1, 0, &beyond), 0);
	/* Free returns every slot; a second free is refused and counted. */
	stale = irq;
	msi_free_irqs(&irq, 1);
	assert_true(ims_ctrl(5) & IDXD_IMS_MASK);
	dev_msi_usage(&domains, &slots);
	assert_int_equal(slots, 0);
	errors0 = irq_stats.errors;
	assert_int_equal(irq_domain_free(stale), -EINVAL);
	assert_int_equal(irq_stats.errors, errors0 + 1);
	/* No IMS: no domain. */
	d.ims_size = 0;
	assert_int_equal(idxd_ims_domain_create(&ims, &d, (struct msi_device){ .name = "x" }, 2),
			 -ENODEV);
}

/* A halt recovered (takeover, bring-up, idxd_ims_restore, as
 * idxd_errors_check does) on a device whose reset clears its IMS: the
 * slots in use get their messages back, one the test masked stays
 * masked, every other entry is masked again, and a NOOP raises the right
 * message. */
static void halt_recovery_restores_ims(void **state)
{
	volatile uint8_t record[64] __attribute__((aligned(64))) = { 0 };
	static struct idxd_ims ims;
	struct irq_desc *irq[2];
	struct idxd_desc desc;
	uint32_t data[2];

	(void)state;
	up(&dsa, 2);
	m.reset_clears_ims = 1;
	next_vector = 0x40;
	msi_set_root(&root);
	assert_int_equal(idxd_ims_domain_create(&ims, &d, (struct msi_device){ .name = "dsa0" }, 2), 0);
	assert_int_equal(msi_alloc_irqs(&ims.wqs[0], 7, 1, 0, &irq[0]), 0);
	assert_int_equal(msi_alloc_irqs(&ims.wqs[1], 9, 1, 0, &irq[1]), 0);
	assert_int_equal(irq_mask(irq[1]), 0);
	data[0] = g32(IMS + 7 * 16 + IDXD_IMS_DATA);
	data[1] = g32(IMS + 9 * 16 + IDXD_IMS_DATA);
	s32(IDXD_GENSTS, IDXD_STATE_HALTED);
	assert_int_equal(idxd_takeover(&d), 0);
	assert_int_equal(ims_ctrl(100), 0);	/* the reset left it unmasked */
	assert_int_equal(idxd_enable(&d, 2), 0);
	assert_int_equal(idxd_ims_restore(&ims), 2);
	assert_int_equal(g32(IMS + 7 * 16 + IDXD_IMS_DATA), data[0]);
	assert_int_equal(g32(IMS + 7 * 16 + IDXD_IMS_ADDR_LO), 0xfee00000u);
	assert_false(ims_ctrl(7) & IDXD_IMS_MASK);
	assert_int_equal(g32(IMS + 9 * 16 + IDXD_IMS_DATA), data[1]);
	assert_true(ims_ctrl(9) & IDXD_IMS_MASK);	/* irq_mask() still holds it */
	for (uint32_t s = 0; s < 2048; s++)
		if (s != 7)
			assert_true(ims_ctrl(s) & IDXD_IMS_MASK);
	m.nsink = 0;
	desc = idxd_desc_interrupt(&d, (uintptr_t)record, 7);
	assert_int_equal(idxd_submit(&d, 0, 1, &desc), 0);
	assert_int_equal(m.nsink, 1);
	assert_int_equal(m.sink[0].data, data[0]);
	assert_int_equal(m.unmasked_writes, 0);	/* every message written masked */
	msi_free_irqs(irq, 2);
	dev_msi_domain_destroy(ims.dev.domain);
}

/* An affinity move of an IMS interrupt: the entry's three message dwords
 * are not one write, so the entry is masked around them (a completion
 * meanwhile is held, not sent half old, half new), unmasked after, and
 * left masked when irq_mask() holds it. */
static void ims_affinity_move_masks_around_the_write(void **state)
{
	volatile uint8_t record[64] __attribute__((aligned(64))) = { 0 };
	static struct idxd_ims ims;
	struct irq_desc *irq;
	struct idxd_desc desc;

	(void)state;
	up(&dsa, 1);
	next_vector = 0x50;
	msi_set_root(&root);
	assert_int_equal(idxd_ims_domain_create(&ims, &d, (struct msi_device){ .name = "dsa0" }, 1), 0);
	assert_int_equal(msi_alloc_irqs(&ims.wqs[0], 3, 1, 0, &irq), 0);
	assert_int_equal(g32(IMS + 3 * 16 + IDXD_IMS_DATA), 0x50);
	assert_int_equal(irq_set_affinity(irq, 1), 0);
	assert_int_equal(g32(IMS + 3 * 16 + IDXD_IMS_DATA), 0x51);
	assert_int_equal(m.unmasked_writes, 0);
	assert_false(ims_ctrl(3) & IDXD_IMS_MASK);
	desc = idxd_desc_interrupt(&d, (uintptr_t)record, 3);
	assert_int_equal(idxd_submit(&d, 0, 1, &desc), 0);
	assert_int_equal(m.nsink, 1);
	assert_int_equal(m.sink[0].data, 0x51);
	/* Held by irq_mask(): moved, still masked. */
	assert_int_equal(irq_mask(irq), 0);
	assert_int_equal(irq_set_affinity(irq, 0), 0);
	assert_int_equal(g32(IMS + 3 * 16 + IDXD_IMS_DATA), 0x52);
	assert_true(ims_ctrl(3) & IDXD_IMS_MASK);
	assert_int_equal(m.unmasked_writes, 0);
	msi_free_irqs(&irq, 1);
	dev_msi_domain_destroy(ims.dev.domain);
}

/* The slots are the IMS GENCAP describes: 256 entries (a multiplier of
 * 1), slot 255 the last; slot 256 refused before anything is written
 * beyond the table. */
static void ims_range_follows_gencap(void **state)
{
	static struct idxd_ims ims;
	struct irq_desc *irq;

	(void)state;
	seed(&dsa);
	s64(IDXD_GENCAP, (g64(IDXD_GENCAP) & ~(0x3full << 25)) | 1ull << 25);
	assert_int_equal(idxd_probe(&d, &ops, 0, &dsa, BAR0, BAR2), 0);
	assert_int_equal(idxd_takeover(&d), 0);
	assert_int_equal(idxd_enable(&d, 1), 0);
	assert_int_equal(d.ims_size, 256);
	next_vector = 0x60;
	msi_set_root(&root);
	assert_int_equal(idxd_ims_domain_create(&ims, &d, (struct msi_device){ .name = "dsa0" }, 1), 0);
	assert_int_equal(msi_alloc_irqs(&ims.wqs[0], 255, 1, 0, &irq), 0);
	assert_int_equal(g32(IMS + 255 * 16 + IDXD_IMS_DATA), 0x60);
	msi_free_irqs(&irq, 1);
	s32(IMS + 256 * 16 + IDXD_IMS_DATA, 0xdead);	/* past the table */
	assert_int_equal(msi_alloc_irqs(&ims.wqs[0], 256, 1, 0, &irq), -ENOSPC);
	assert_int_equal(g32(IMS + 256 * 16 + IDXD_IMS_DATA), 0xdead);
	dev_msi_domain_destroy(ims.dev.domain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spr_dsa_and_iaa_come_up),
		cmocka_unit_test(grpcfg_traffic_classes_up_to_version_2),
		cmocka_unit_test(command_errors_are_named),
		cmocka_unit_test(wq_errors_are_named),
		cmocka_unit_test(deaf_device_is_bounded),
		cmocka_unit_test(left_enabled_or_halted),
		cmocka_unit_test(bad_capabilities),
		cmocka_unit_test(noop_raises_the_ims_message),
		cmocka_unit_test(invalid_handle_is_status_0x19),
		cmocka_unit_test(masked_completion_each_way),
		cmocka_unit_test(swerr_is_decoded_and_cleared),
		cmocka_unit_test(ids_and_portals),
		cmocka_unit_test(all_ones_after_bring_up),
		cmocka_unit_test(ims_domain_and_children),
		cmocka_unit_test(halt_recovery_restores_ims),
		cmocka_unit_test(handles_requested_where_cmdcap_says),
		cmocka_unit_test(every_cmdsts_error_is_named),
		cmocka_unit_test(ims_affinity_move_masks_around_the_write),
		cmocka_unit_test(ims_range_follows_gencap),
	};

	return RUN(tests);
}
