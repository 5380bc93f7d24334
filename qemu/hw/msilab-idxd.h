/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * msilab's Intel DSA / IAA model: state shared by the register file
 * (msilab-idxd.c) and descriptor execution (msilab-idxd-desc.c).
 * Register offsets, bit layouts and codes are Linux's
 * drivers/dma/idxd/registers.h and include/uapi/linux/idxd.h; the
 * architecture specification (Intel 341204) was not readable here.
 */
#ifndef HW_MISC_MSILAB_IDXD_H
#define HW_MISC_MSILAB_IDXD_H

#include "hw/pci/pci_device.h"
#include "qemu/timer.h"
#include "qom/object.h"

#define TYPE_MSILAB_IDXD "msilab-idxd"
OBJECT_DECLARE_TYPE(MsilabIdxdState, MsilabIdxdClass, MSILAB_IDXD)

/* BAR0 (64 KiB): fixed registers, then the tables OFFSETS points at. */
#define IDXD_BAR0_SIZE      0x10000
#define IDXD_VERSION        0x00
#define IDXD_GENCAP         0x10
# define IDXD_GENCAP_CMD_CAP        (1ull << 4)
# define IDXD_GENCAP_MAX_XFER(g)    (((g) >> 16) & 0x1f)
# define IDXD_GENCAP_MAX_BATCH(g)   (((g) >> 21) & 0xf)
# define IDXD_GENCAP_IMS_SHIFT      25          /* 30:25 IMS size / 256 */
#define IDXD_WQCAP          0x20
#define IDXD_GRPCAP         0x30
#define IDXD_ENGCAP         0x38
#define IDXD_OPCAP          0x40                /* 256 bits */
#define IDXD_OFFSETS        0x60                /* 128 bits, units of 0x100 */
#define IDXD_GENCFG         0x80
#define IDXD_GENCTRL        0x88
# define IDXD_GENCTRL_SWERR_INT     (1u << 0)
# define IDXD_GENCTRL_HALT_INT      (1u << 1)
#define IDXD_GENSTS         0x90                /* 1:0 state, 3:2 reset type */
# define IDXD_STATE_DISABLED        0
# define IDXD_STATE_ENABLED         1
# define IDXD_STATE_HALTED          3
#define IDXD_INTCAUSE       0x98                /* write 1 to clear */
# define IDXD_INTC_ERR              (1u << 0)
# define IDXD_INTC_CMD              (1u << 1)
# define IDXD_INTC_HALT             (1u << 4)
#define IDXD_CMD            0xa0                /* 19:0 operand, 24:20 cmd, 31 int */
# define IDXD_CMD_INT_REQ           (1u << 31)
#define IDXD_CMDSTS         0xa8                /* 7:0 err, 23:8 result, 31 active */
# define IDXD_CMDSTS_ACTIVE         (1u << 31)
#define IDXD_CMDCAP         0xb0
#define IDXD_SWERR          0xc0                /* 4 x 64 bits */
# define IDXD_SWERR_VALID           (1ull << 0)
# define IDXD_SWERR_OVERFLOW        (1ull << 1)
# define IDXD_SWERR_DESC_VALID      (1ull << 2)
# define IDXD_SWERR_WQ_VALID        (1ull << 3)

/* Table placement, as on a Sapphire Rapids DSA (OFFSETS 0x0040000200040003):
 * MSI-X permissions 0x200, GRPCFG 0x300, WQCFG 0x400, IMS 0x4000. */
#define IDXD_MSIX_PERM      0x200               /* 8 bytes per vector */
#define IDXD_GRPCFG         0x300               /* 64 bytes per group */
#define IDXD_WQCFG          0x400               /* 32 bytes per WQ (WQCAP code 0) */
#define IDXD_MSIX_TABLE     0x2000              /* QEMU's msix_init, in BAR0 */
#define IDXD_MSIX_PBA       0x3000
#define IDXD_IMS            0x4000              /* 16 bytes per entry */
# define IDXD_IMS_MASK              (1u << 0)
# define IDXD_IMS_PENDING           (1u << 1)
# define IDXD_IMS_CTRL_RW           0xfffff00du /* mask, ignore, PASID en, PASID */
/* Not on hardware: the model's test register (docs/qemu.md). */
#define IDXD_TESTREG        0xf000              /* reads IDXD_TEST_MAGIC */
# define IDXD_TEST_MAGIC            0x4c49534du /* "MSIL" */
#define IDXD_TESTREG_HALT   0xf004              /* any write: halt now */

#define IDXD_NWQS           8
#define IDXD_NGROUPS        4
#define IDXD_WQ_TOTAL       128
#define IDXD_MSIX_VECTORS   9                   /* 1 misc + 8 WQs, as SPR */
#define IDXD_IMS_MULT_MAX   8                   /* IMS must end before 0xf000 */
#define IDXD_PORTAL_STRIDE  0x4000              /* BAR2: 4 pages per WQ */
#define IDXD_PORTAL_IMS     0x2000              /* idxd_get_wq_portal_offset */
#define IDXD_HANDLE_BASE    0x400               /* handles are not indices */

/* WQCFG dwords (union wqcfg). */
#define WQCFG_SIZE          0
#define WQCFG_MODE          2   /* 0 dedicated, 1 bof, 7:4 prio, 28 PASID en */
#define WQCFG_MAXES         3   /* 4:0 max xfer shift, 8:5 max batch shift */
#define WQCFG_STATE         6   /* 31:30 state (1 enabled), 29 mode support */
#define WQCFG_DWORDS        8

/* Completion status and software error codes (uapi/linux/idxd.h). */
#define DSA_COMP_SUCCESS            0x01
#define DSA_COMP_SUCCESS_PRED       0x02
#define DSA_COMP_PAGE_FAULT_NOBOF   0x03
#define DSA_COMP_BAD_OPCODE         0x10
#define DSA_COMP_XFER_ERANGE        0x13
#define DSA_COMP_INT_HANDLE_INVAL   0x19
#define DSA_COMP_CRA_XLAT           0x1a
#define DSA_COMP_CRA_ALIGN          0x1b
/* A descriptor to a WQ that is not enabled: dropped, SWERR (a guess: the
 * code is not in Linux; msilab's host model uses the same). */
#define IDXD_SWERR_WQ_DISABLED      0x02

typedef enum {
    IDXD_MASKED_HOLD,       /* pending bit, the message sent at unmask */
    IDXD_MASKED_DROP,       /* nothing kept */
    IDXD_MASKED_PENDING,    /* pending bit only; nothing sent at unmask */
} IdxdMaskedMode;

struct MsilabIdxdClass {
    PCIDeviceClass parent_class;
    bool iaa;
};

struct MsilabIdxdState {
    PCIDevice parent_obj;

    MemoryRegion bar0, regs, portals;
    QEMUTimer cmd_timer;

    /* Registers and tables, little-endian images of BAR0's writable parts. */
    uint64_t gencap, wqcap, grpcap, engcap, opcap[4], offsets[2];
    uint32_t cmdcap, gencfg, genctrl, gensts, intcause, cmd, cmdsts;
    uint64_t swerr[4];
    uint32_t msix_perm[IDXD_MSIX_VECTORS];
    uint64_t grpcfg[IDXD_NGROUPS][8];
    uint32_t wqcfg[IDXD_NWQS][WQCFG_DWORDS];
    uint32_t (*ims)[4];                 /* addr lo, addr hi, data, control */
    uint32_t ims_size;
    unsigned long *handles[2];          /* granted handles: [0] MSI-X, [1] IMS */

    /* A descriptor being written to a portal, 8 bytes at a time. */
    uint8_t desc[IDXD_NWQS][64];
    uint8_t desc_have[IDXD_NWQS];

    /* Properties: what no public document settles (docs/qemu.md). */
    char *masked_completion;
    char *reset_ims;
    uint8_t halt_reset;
    uint8_t ims_mult;
    bool int_handles;
    uint32_t cmd_delay_ns;
    IdxdMaskedMode masked;
    bool reset_clears_ims;
};

static inline bool idxd_is_iaa(MsilabIdxdState *s)
{
    return MSILAB_IDXD_GET_CLASS(s)->iaa;
}

/* msilab-idxd.c */
void idxd_swerr(MsilabIdxdState *s, uint8_t err, int wq, const uint8_t *desc,
                uint64_t fault);
bool idxd_int_index(MsilabIdxdState *s, bool ims, uint16_t handle,
                    uint32_t *index);
void idxd_notify(MsilabIdxdState *s, bool ims, uint32_t index);
bool idxd_wq_usable(MsilabIdxdState *s, unsigned n);

/* msilab-idxd-desc.c */
void idxd_desc_submit(MsilabIdxdState *s, unsigned wq, bool ims,
                      const uint8_t *desc);

#endif
