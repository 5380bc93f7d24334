/* SPDX-License-Identifier: MIT */
/*
 * Intel DSA and IAA registers (BAR0), tables, commands and descriptors.
 * The architecture specification (Intel DSA 341204) was not readable;
 * every layout here is the one Linux's drivers/dma/idxd/registers.h and
 * include/uapi/linux/idxd.h implement, agreeing with DPDK's
 * drivers/dma/idxd/idxd_hw_defs.h and Linux's VFIO selftest driver
 * (tools/testing/selftests/vfio/lib/drivers/dsa/dsa.c). Names as Linux's.
 */
#ifndef DRIVERS_IDXD_REGS_H
#define DRIVERS_IDXD_REGS_H

#include <stdint.h>

#define IDXD_VERSION		0x00	/* 7:4 major, 3:0 minor */
#define IDXD_GENCAP		0x10
# define IDXD_GENCAP_CMD_CAP	(1ull << 4)	/* CMDCAP is valid */
# define IDXD_GENCAP_MAX_XFER(g)	(((g) >> 16) & 0x1f)
# define IDXD_GENCAP_MAX_BATCH(g)	(((g) >> 21) & 0xf)
# define IDXD_GENCAP_IMS_MULT(g)	(((g) >> 25) & 0x3f)	/* IMS entries = mult x 256 */
# define IDXD_GENCAP_CONFIG	(1ull << 31)	/* configuration writable */
#define IDXD_WQCAP		0x20
# define IDXD_WQCAP_TOTAL(w)	((uint32_t)((w) & 0xffff))	/* WQ entries, all WQs */
# define IDXD_WQCAP_NWQS(w)	((uint32_t)(((w) >> 16) & 0xff))
# define IDXD_WQCAP_CFG_SIZE(w)	((uint32_t)(((w) >> 24) & 0xf))	/* stride 1 << (n + 5) */
# define IDXD_WQCAP_DEDICATED	(1ull << 49)
# define IDXD_WQCAP_ATS_DIS	(1ull << 50)
# define IDXD_WQCAP_OP_CONFIG	(1ull << 54)
#define IDXD_GRPCAP		0x30
# define IDXD_GRPCAP_NGROUPS(g)	((uint32_t)((g) & 0xff))
# define IDXD_GRPCAP_RDBUFS(g)	((uint32_t)(((g) >> 8) & 0xff))	/* total read buffers */
#define IDXD_ENGCAP		0x38
# define IDXD_ENGCAP_NENGINES(e)	((uint32_t)((e) & 0xff))
#define IDXD_OPCAP		0x40	/* 256 bits: bit n = opcode n */
#define IDXD_OFFSETS		0x60	/* each field in units of 0x100 bytes */
# define IDXD_OFF_GRPCFG(o)	((uint32_t)((o) & 0xffff) * 0x100)
# define IDXD_OFF_WQCFG(o)	((uint32_t)(((o) >> 16) & 0xffff) * 0x100)
# define IDXD_OFF_MSIX_PERM(o)	((uint32_t)(((o) >> 32) & 0xffff) * 0x100)
# define IDXD_OFF_IMS(o)	((uint32_t)(((o) >> 48) & 0xffff) * 0x100)
#define IDXD_GENCFG		0x80
#define IDXD_GENCTRL		0x88	/* 0 software-error interrupt, 1 halt interrupt */
# define IDXD_GENCTRL_SWERR_INT	(1u << 0)
# define IDXD_GENCTRL_HALT_INT	(1u << 1)
#define IDXD_GENSTS		0x90
# define IDXD_GENSTS_STATE(s)	((s) & 0x3)	/* 0 disabled, 1 enabled, 2 draining, 3 halted */
# define IDXD_GENSTS_RESET(s)	(((s) >> 2) & 0x3)	/* halted: 0 software, 1 FLR, 2 warm, 3 cold */
# define IDXD_STATE_DISABLED	0
# define IDXD_STATE_ENABLED	1
# define IDXD_STATE_HALTED	3
#define IDXD_INTCAUSE		0x98	/* write 1 to clear */
# define IDXD_INTC_SWERR	(1u << 0)
# define IDXD_INTC_HALT		(1u << 4)
#define IDXD_CMD		0xa0	/* 19:0 operand, 24:20 command, 31 completion interrupt */
# define IDXD_CMD_WORD(c, op)	(((uint32_t)(c) << 20) | ((op) & 0xfffff))
#define IDXD_CMDSTS		0xa8	/* 7:0 error, 23:8 result, 31 active */
# define IDXD_CMDSTS_ACTIVE	(1u << 31)
# define IDXD_CMDSTS_ERR(s)	((s) & 0xff)
# define IDXD_CMDSTS_RESULT(s)	(((s) >> 8) & 0xffff)
#define IDXD_CMDCAP		0xb0	/* bit n = command n (GENCAP.CMD_CAP) */
#define IDXD_SWERR		0xc0	/* 4 qwords */
# define IDXD_SWERR_VALID	(1ull << 0)
# define IDXD_SWERR_OVERFLOW	(1ull << 1)
# define IDXD_SWERR_ERR(q)	((uint32_t)(((q) >> 8) & 0xff))
# define IDXD_SWERR_WQ(q)	((uint32_t)(((q) >> 16) & 0xff))
# define IDXD_SWERR_WQ_VALID	(1ull << 3)
# define IDXD_SWERR_OPCODE(q)	((uint32_t)(((q) >> 32) & 0xff))

/* Commands (CMD 24:20). */
#define IDXD_CMD_ENABLE_DEVICE		1
#define IDXD_CMD_DISABLE_DEVICE		2
#define IDXD_CMD_RESET_DEVICE		5
#define IDXD_CMD_ENABLE_WQ		6
#define IDXD_CMD_DISABLE_WQ		7	/* operand: bit wq % 16, wq / 16 in 19:16 */
#define IDXD_CMD_REQUEST_INT_HANDLE	13	/* operand: index, bit 16 = IMS */
#define IDXD_CMD_RELEASE_INT_HANDLE	14
#define IDXD_CMD_INT_HANDLE_IMS		(1u << 16)

/* Tables (BAR0 + OFFSETS). */
#define IDXD_GRPCFG_SIZE	64	/* +0 WQ bitmap (4 qwords), +32 engines, +40 flags */
#define IDXD_GRPCFG_ENGINES	32
#define IDXD_GRPCFG_FLAGS	40	/* 2:0 TC-A, 5:3 TC-B, 27:20 read buffers allowed */
# define IDXD_GRPFLG_TC_A(t)	((uint64_t)(t) << 0)
# define IDXD_GRPFLG_TC_B(t)	((uint64_t)(t) << 3)
# define IDXD_GRPFLG_RDBUFS_ALLOWED_SHIFT	20
/* WQCFG dwords. */
#define IDXD_WQCFG_SIZE		0	/* dw0 15:0 */
#define IDXD_WQCFG_THRESHOLD	1
#define IDXD_WQCFG_MODE		2	/* dw2: 0 dedicated, 2 ATS disable, 7:4 priority, 28 PASID en, 29 priv */
# define IDXD_WQCFG_DEDICATED	(1u << 0)
# define IDXD_WQCFG_ATS_DIS	(1u << 2)
# define IDXD_WQCFG_PRIORITY(p)	((uint32_t)(p) << 4)
# define IDXD_WQCFG_PASID_EN	(1u << 28)
# define IDXD_WQCFG_PRIV	(1u << 29)
#define IDXD_WQCFG_MAXES	3	/* dw3: 4:0 max transfer shift, 8:5 max batch shift */
#define IDXD_WQCFG_STATE	6	/* dw6 31:30: 1 enabled */
# define IDXD_WQ_STATE(d)	((d) >> 30)
#define IDXD_WQCFG_OP_CONFIG	8	/* dw8-15 (64-byte WQCFG) */
/* IMS entries: 16 bytes. */
#define IDXD_IMS_ENTRY		16
#define IDXD_IMS_ADDR_LO	0
#define IDXD_IMS_ADDR_HI	4
#define IDXD_IMS_DATA		8
#define IDXD_IMS_CTRL		12
# define IDXD_IMS_MASK		(1u << 0)	/* firm (Linux's IMS irqchip) */
# define IDXD_IMS_PENDING	(1u << 1)	/* uncertain: read, reported, never trusted */

/* Portals (BAR2): four pages per WQ (DPDK, Linux idxd.h). */
#define IDXD_PORTAL_STRIDE	0x4000
#define IDXD_PORTAL_IMS		0x2000	/* unlimited portal, IMS handles */

/* Descriptor (64 bytes) and its flags (include/uapi/linux/idxd.h). */
#define IDXD_OP_NOOP		0x00
#define IDXD_OP_DRAIN		0x02
#define IDXD_FLAG_CRAV		(1u << 2)	/* completion record address valid */
#define IDXD_FLAG_RCR		(1u << 3)	/* request completion record */
#define IDXD_FLAG_RCI		(1u << 4)	/* request completion interrupt */
struct idxd_desc {
	uint32_t pasid_priv;
	uint32_t flags_opcode;		/* 23:0 flags, 31:24 opcode */
	uint64_t completion;
	uint64_t src, dst;
	uint32_t size;
	uint16_t int_handle;
	uint16_t rsvd;
	uint8_t op_specific[24];
};
_Static_assert(sizeof(struct idxd_desc) == 64, "a descriptor is 64 bytes");

/* Completion record status (byte 0, 6:0). */
#define IDXD_COMP_NONE			0x00
#define IDXD_COMP_SUCCESS		0x01
#define IDXD_COMP_INVALID_INT_HANDLE	0x19

#endif
