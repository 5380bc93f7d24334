/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * msilab's model of an Intel DSA (8086:0b25) and IAA (8086:0cfe): BAR0
 * registers, the command state machine, the MSI-X and IMS tables, and
 * the BAR2 portals (descriptors run in msilab-idxd-desc.c).
 *
 * Written from Linux's drivers/dma/idxd (registers.h for offsets, bits
 * and CMDSTS codes; device.c and init.c for the order Linux drives it)
 * because the Intel DSA Architecture Specification (341204) could not be
 * read here. Capability values are a Sapphire Rapids DSA's and IAA's
 * (intel/idxd-config issue 8's dmesg; an IAA setup guide's accel-config
 * listing). What no public document settles is a property, and
 * docs/qemu.md in msilab says which and how a lab run settles each:
 *   masked-completion=hold|drop|pending  a completion whose IMS entry is
 *                                        masked
 *   reset-ims=keep|clear                 the IMS after RESET_DEVICE
 *   halt-reset=0..3                      GENSTS reset type of a halt
 * Not on hardware: a test register at BAR0 + 0xf000 (reads "MSIL"; a
 * write to 0xf004 halts the device), so a test can make it halt.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/units.h"
#include "qapi/error.h"
#include "hw/pci/msi.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "msilab-idxd.h"

#define GENCAP_DSA  0x40915f010full     /* SPR DSA, IMS multiplier 8 */
#define GENCAP_IAA  0x71f10901f0104ull  /* SPR IAA, IMS multiplier 8 */
#define OPCAP_DSA   0x3dull             /* NOOP DRAIN MEMMOVE FILL COMPARE */
#define OPCAP_IAA   0x0dull             /* NOOP DRAIN MEMMOVE */

static void idxd_misc_notify(MsilabIdxdState *s, uint32_t cause)
{
    s->intcause |= cause;
    msix_notify(PCI_DEVICE(s), 0);
}

void idxd_swerr(MsilabIdxdState *s, uint8_t err, int wq, const uint8_t *desc,
                uint64_t fault)
{
    uint64_t q0 = IDXD_SWERR_VALID | (uint64_t)err << 8;

    qemu_log_mask(LOG_GUEST_ERROR, "msilab-idxd: software error %#x "
                  "(WQ %d, opcode %d, address %#" PRIx64 ")\n", err, wq,
                  desc ? desc[7] : -1, fault);
    if (s->swerr[0] & IDXD_SWERR_VALID) {
        s->swerr[0] |= IDXD_SWERR_OVERFLOW;
        return;
    }
    if (wq >= 0) {
        q0 |= IDXD_SWERR_WQ_VALID | (uint64_t)wq << 16;
    }
    if (desc) {
        q0 |= IDXD_SWERR_DESC_VALID | (uint64_t)desc[7] << 32;
    }
    s->swerr[0] = q0;
    s->swerr[1] = 0;
    s->swerr[2] = fault;
    s->swerr[3] = 0;
    s->intcause |= IDXD_INTC_ERR;
    if (s->genctrl & IDXD_GENCTRL_SWERR_INT) {
        idxd_misc_notify(s, IDXD_INTC_ERR);
    }
}

static void idxd_halt(MsilabIdxdState *s)
{
    s->gensts = IDXD_STATE_HALTED | (s->halt_reset & 3) << 2;
    s->intcause |= IDXD_INTC_HALT;
    if (s->genctrl & IDXD_GENCTRL_HALT_INT) {
        idxd_misc_notify(s, IDXD_INTC_HALT);
    }
}

/*
 * An interrupt handle names an entry of the table the portal chose. With
 * REQUEST_INT_HANDLE offered (GENCAP.CMD_CAP, CMDCAP bit 13) only a handle
 * the command returned is valid (Linux commit eb15e7154fbf); otherwise the
 * handle is the index. Invalid: completion status 0x19.
 */
bool idxd_int_index(MsilabIdxdState *s, bool ims, uint16_t handle,
                    uint32_t *index)
{
    uint32_t size = ims ? s->ims_size : IDXD_MSIX_VECTORS;
    uint32_t i = handle;

    if (s->int_handles) {
        if (handle < IDXD_HANDLE_BASE) {
            return false;
        }
        i = handle - IDXD_HANDLE_BASE;
        if (i >= size || !test_bit(i, s->handles[ims])) {
            return false;
        }
    }
    *index = i;
    return i < size;
}

static void idxd_ims_send(MsilabIdxdState *s, uint32_t i)
{
    MSIMessage msg = {
        .address = (uint64_t)s->ims[i][1] << 32 | s->ims[i][0],
        .data = s->ims[i][2],
    };

    /* A posted write with the function's requester ID (pci_msi_trigger). */
    msi_send_message(PCI_DEVICE(s), msg);
}

void idxd_notify(MsilabIdxdState *s, bool ims, uint32_t index)
{
    if (!ims) {
        msix_notify(PCI_DEVICE(s), index);     /* PBA when masked */
        return;
    }
    if (!(s->ims[index][3] & IDXD_IMS_MASK)) {
        idxd_ims_send(s, index);
    } else if (s->masked != IDXD_MASKED_DROP) {
        s->ims[index][3] |= IDXD_IMS_PENDING;
    }
}

static void idxd_ims_write(MsilabIdxdState *s, uint32_t off, uint32_t val)
{
    uint32_t i = off / 16, dw = (off % 16) / 4;
    uint32_t *e = s->ims[i];
    bool pending = e[3] & IDXD_IMS_PENDING;

    if (dw != 3) {
        e[dw] = val;
        return;
    }
    e[3] = (val & IDXD_IMS_CTRL_RW) | (pending ? IDXD_IMS_PENDING : 0);
    if (pending && !(val & IDXD_IMS_MASK)) {
        e[3] &= ~IDXD_IMS_PENDING;
        if (s->masked == IDXD_MASKED_HOLD) {
            idxd_ims_send(s, i);
        }
    }
}

/* Power-on values of every register and table. */
static void idxd_regs_init(MsilabIdxdState *s)
{
    bool iaa = idxd_is_iaa(s);

    s->gencap = (iaa ? GENCAP_IAA : GENCAP_DSA) &
                ~(0x3full << IDXD_GENCAP_IMS_SHIFT) & ~IDXD_GENCAP_CMD_CAP;
    s->gencap |= (uint64_t)s->ims_mult << IDXD_GENCAP_IMS_SHIFT;
    if (s->int_handles) {
        s->gencap |= IDXD_GENCAP_CMD_CAP;
    }
    s->cmdcap = s->int_handles ? 0x7ffe : 0;    /* commands 1..14 */
    /* 128 entries, 8 WQs, 32-byte WQCFG, dedicated mode, priority. */
    s->wqcap = IDXD_WQ_TOTAL | IDXD_NWQS << 16 | 1ull << 49 | 1ull << 51;
    s->grpcap = 0x36004;                    /* 4 groups, 96 read buffers */
    s->engcap = iaa ? 8 : 4;
    memset(s->opcap, 0, sizeof(s->opcap));
    s->opcap[0] = iaa ? OPCAP_IAA : OPCAP_DSA;
    s->offsets[0] = (uint64_t)(IDXD_GRPCFG / 0x100) |
                    (uint64_t)(IDXD_WQCFG / 0x100) << 16 |
                    (uint64_t)(IDXD_MSIX_PERM / 0x100) << 32 |
                    (uint64_t)(s->ims_mult ? IDXD_IMS / 0x100 : 0) << 48;
    s->offsets[1] = 0;                      /* no perfmon */
    s->gencfg = s->genctrl = s->gensts = s->intcause = 0;
    s->cmd = s->cmdsts = 0;
    memset(s->swerr, 0, sizeof(s->swerr));
    memset(s->msix_perm, 0, sizeof(s->msix_perm));
    memset(s->grpcfg, 0, sizeof(s->grpcfg));
    memset(s->wqcfg, 0, sizeof(s->wqcfg));
    memset(s->desc_have, 0, sizeof(s->desc_have));
    bitmap_zero(s->handles[0], IDXD_MSIX_VECTORS);
    bitmap_zero(s->handles[1], s->ims_size);
}

/* RESET_DEVICE: configuration to its defaults, the IMS as reset-ims says. */
static void idxd_soft_reset(MsilabIdxdState *s)
{
    s->gencfg = s->genctrl = s->gensts = 0;
    memset(s->swerr, 0, sizeof(s->swerr));
    memset(s->grpcfg, 0, sizeof(s->grpcfg));
    memset(s->wqcfg, 0, sizeof(s->wqcfg));
    memset(s->desc_have, 0, sizeof(s->desc_have));
    bitmap_zero(s->handles[0], IDXD_MSIX_VECTORS);
    bitmap_zero(s->handles[1], s->ims_size);
    if (s->reset_clears_ims) {
        memset(s->ims, 0, s->ims_size * 16);   /* the worst case: unmasked */
    }
}

static uint32_t idxd_state(MsilabIdxdState *s)
{
    return s->gensts & 3;
}

static bool idxd_wq_enabled(MsilabIdxdState *s, unsigned n)
{
    return (s->wqcfg[n][WQCFG_STATE] >> 30) == 1;
}

bool idxd_wq_usable(MsilabIdxdState *s, unsigned n)
{
    return idxd_state(s) == IDXD_STATE_ENABLED && idxd_wq_enabled(s, n);
}

/* ENABLE_DEVICE's checks, codes from Linux's enum idxd_cmdsts_err. Which
 * of 0x15-0x18 names which group error is not in Linux: a guess, the same
 * as msilab's host model. */
static uint8_t idxd_enable_device(MsilabIdxdState *s)
{
    uint64_t wqs_seen = 0, eng_seen = 0;
    uint32_t sum = 0, rdbufs = 0, total_rdbufs = (s->grpcap >> 8) & 0xff;

    if (idxd_state(s) == IDXD_STATE_ENABLED) {
        return 0x10;                        /* ERR_DEV_ENABLED */
    }
    if (!(pci_get_word(PCI_DEVICE(s)->config + PCI_COMMAND) &
          PCI_COMMAND_MASTER)) {
        return 0x12;                        /* ERR_BUSMASTER_EN */
    }
    for (unsigned n = 0; n < IDXD_NWQS; n++) {
        sum += s->wqcfg[n][WQCFG_SIZE] & 0xffff;
    }
    if (sum > IDXD_WQ_TOTAL) {
        return 0x14;                        /* ERR_WQ_SIZE_ERANGE */
    }
    for (unsigned g = 0; g < IDXD_NGROUPS; g++) {
        uint64_t wqs = s->grpcfg[g][0], eng = s->grpcfg[g][4];
        uint64_t flags = s->grpcfg[g][5];

        rdbufs += (flags >> 8) & 0xff;
        if ((flags >> 20 & 0xff) > total_rdbufs || rdbufs > total_rdbufs) {
            return 0x15;                    /* read buffers beyond GRPCAP */
        }
        if ((wqs & wqs_seen) || (eng & eng_seen)) {
            return 0x16;                    /* a WQ or engine in two groups */
        }
        if (wqs && !eng) {
            return 0x17;                    /* WQs and no engine */
        }
        wqs_seen |= wqs;
        eng_seen |= eng;
    }
    s->gensts = IDXD_STATE_ENABLED;
    return 0;
}

/* ENABLE_WQ's checks (Linux: IDXD_CMDSTS_ERR_DEV_NOTEN .. MAX_XFER_SIZE). */
static uint8_t idxd_enable_wq(MsilabIdxdState *s, uint32_t n)
{
    uint32_t *c;

    if (n >= IDXD_NWQS) {
        return 0x02;                        /* INVAL_WQIDX */
    }
    c = s->wqcfg[n];
    if (idxd_state(s) != IDXD_STATE_ENABLED) {
        return 0x20;
    }
    if (idxd_wq_enabled(s, n)) {
        return 0x21;
    }
    if (!(c[WQCFG_SIZE] & 0xffff)) {
        return 0x22;
    }
    if (!((c[WQCFG_MODE] >> 4) & 0xf)) {
        return 0x23;                        /* priority 0 */
    }
    if (!(c[WQCFG_MODE] & 1)) {
        return 0x24;                        /* shared: WQCAP offers none */
    }
    if (c[WQCFG_MODE] & (1u << 28)) {
        return 0x26;                        /* PASID: no PASID capability */
    }
    if (((c[WQCFG_MAXES] >> 5) & 0xf) > IDXD_GENCAP_MAX_BATCH(s->gencap)) {
        return 0x27;
    }
    if ((c[WQCFG_MAXES] & 0x1f) > IDXD_GENCAP_MAX_XFER(s->gencap)) {
        return 0x28;
    }
    c[WQCFG_STATE] = (c[WQCFG_STATE] & ~(3u << 30)) | 1u << 30;
    return 0;
}

/* DISABLE/DRAIN/ABORT/RESET_WQ: operand bit (wq % 16), 19:16 wq / 16. */
static uint8_t idxd_wq_cmd(MsilabIdxdState *s, uint32_t cmd, uint32_t op)
{
    unsigned base = ((op >> 16) & 0xf) * 16;

    if (idxd_state(s) != IDXD_STATE_ENABLED) {
        return 0x32;                        /* ERR_DEV_NOT_EN */
    }
    for (unsigned b = 0; b < 16; b++) {
        unsigned n = base + b;

        if (!(op & (1u << b))) {
            continue;
        }
        if (n >= IDXD_NWQS) {
            return 0x02;
        }
        /* Descriptors run when written: nothing is left to drain. */
        if (cmd == 7 || cmd == 10) {
            s->wqcfg[n][WQCFG_STATE] &= ~(3u << 30);
        }
        if (cmd == 10) {
            memset(s->wqcfg[n], 0, sizeof(s->wqcfg[n]));
        }
    }
    return 0;
}

static uint8_t idxd_int_handle_cmd(MsilabIdxdState *s, uint32_t cmd,
                                   uint32_t op, uint16_t *result)
{
    bool ims = op & 0x10000;
    uint32_t size = ims ? s->ims_size : IDXD_MSIX_VECTORS;
    uint32_t i = op & 0xffff;

    if (cmd == 13) {                        /* REQUEST_INT_HANDLE */
        if (i >= size) {
            return 0x41;                    /* ERR_INVAL_INT_IDX */
        }
        set_bit(i, s->handles[ims]);
        *result = IDXD_HANDLE_BASE + i;
        return 0;
    }
    if (i < IDXD_HANDLE_BASE || i - IDXD_HANDLE_BASE >= size ||
        !test_bit(i - IDXD_HANDLE_BASE, s->handles[ims])) {
        return 0x41;
    }
    clear_bit(i - IDXD_HANDLE_BASE, s->handles[ims]);
    return 0;
}

static void idxd_cmd_run(MsilabIdxdState *s)
{
    uint32_t cmd = (s->cmd >> 20) & 0x1f, op = s->cmd & 0xfffff;
    uint16_t result = 0;
    uint8_t err = 0;

    if (s->int_handles && !(s->cmdcap & (1u << cmd))) {
        err = 0x01;
    } else if (idxd_state(s) == IDXD_STATE_HALTED) {
        /* Only the reset GENSTS asks for brings a halted device back. */
        err = (cmd == 5 && !((s->gensts >> 2) & 3)) ? 0 : 0x03;
        if (!err) {
            idxd_soft_reset(s);
        }
    } else {
        switch (cmd) {
        case 1:
            err = idxd_enable_device(s);
            break;
        case 2:                             /* DISABLE_DEVICE */
            if (idxd_state(s) != IDXD_STATE_ENABLED) {
                err = 0x31;
                break;
            }
            for (unsigned n = 0; n < IDXD_NWQS; n++) {
                s->wqcfg[n][WQCFG_STATE] &= ~(3u << 30);
            }
            s->gensts = IDXD_STATE_DISABLED;
            break;
        case 3: case 4:                     /* DRAIN_ALL, ABORT_ALL */
        case 11: case 12:                   /* DRAIN_PASID, ABORT_PASID */
            break;
        case 5:
            idxd_soft_reset(s);
            break;
        case 6:
            err = idxd_enable_wq(s, op);
            break;
        case 7: case 8: case 9: case 10:
            err = idxd_wq_cmd(s, cmd, op);
            break;
        case 13: case 14:
            err = s->int_handles ? idxd_int_handle_cmd(s, cmd, op, &result)
                                 : 0x01;
            break;
        default:
            err = 0x01;                     /* INVAL_CMD */
        }
    }
    if (err) {
        qemu_log_mask(LOG_GUEST_ERROR, "msilab-idxd: command %u operand "
                      "%#x refused: CMDSTS error %#x\n", cmd, op, err);
    }
    s->cmdsts = (uint32_t)result << 8 | err;
    if (s->cmd & IDXD_CMD_INT_REQ) {
        idxd_misc_notify(s, IDXD_INTC_CMD);
    }
}

static void idxd_cmd_timer(void *opaque)
{
    idxd_cmd_run(opaque);
}

static void idxd_cmd_write(MsilabIdxdState *s, uint32_t val)
{
    if (s->cmdsts & IDXD_CMDSTS_ACTIVE) {
        qemu_log_mask(LOG_GUEST_ERROR, "msilab-idxd: CMD written while "
                      "CMDSTS.active: ignored\n");
        return;
    }
    s->cmd = val;
    s->cmdsts = IDXD_CMDSTS_ACTIVE;
    if (!s->cmd_delay_ns) {
        idxd_cmd_run(s);
        return;
    }
    timer_mod(&s->cmd_timer,
              qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + s->cmd_delay_ns);
}

static uint64_t idxd_lo_hi(uint64_t v, hwaddr off)
{
    return (off & 4) ? v >> 32 : (uint32_t)v;
}

static uint64_t idxd_read(void *opaque, hwaddr off, unsigned size)
{
    MsilabIdxdState *s = opaque;
    hwaddr ims_end = IDXD_IMS + s->ims_size * 16;

    switch (off & ~7ull) {
    case IDXD_VERSION:  return off == IDXD_VERSION ? 0x100 : 0;
    case IDXD_GENCAP:   return idxd_lo_hi(s->gencap, off);
    case IDXD_WQCAP:    return idxd_lo_hi(s->wqcap, off);
    case IDXD_GRPCAP:   return idxd_lo_hi(s->grpcap, off);
    case IDXD_ENGCAP:   return idxd_lo_hi(s->engcap, off);
    case IDXD_GENCFG:   return off & 4 ? 0 : s->gencfg;
    case IDXD_GENCTRL:  return off & 4 ? 0 : s->genctrl;
    case IDXD_GENSTS:   return off & 4 ? 0 : s->gensts;
    case IDXD_INTCAUSE: return off & 4 ? 0 : s->intcause;
    case IDXD_CMD:      return off & 4 ? 0 : s->cmd;
    case IDXD_CMDSTS:   return off & 4 ? 0 : s->cmdsts;
    case IDXD_CMDCAP:   return off & 4 ? 0 : s->cmdcap;
    }
    if (off >= IDXD_OPCAP && off < IDXD_OPCAP + 32) {
        return idxd_lo_hi(s->opcap[(off - IDXD_OPCAP) / 8], off);
    }
    if (off >= IDXD_OFFSETS && off < IDXD_OFFSETS + 16) {
        return idxd_lo_hi(s->offsets[(off - IDXD_OFFSETS) / 8], off);
    }
    if (off >= IDXD_SWERR && off < IDXD_SWERR + 32) {
        return idxd_lo_hi(s->swerr[(off - IDXD_SWERR) / 8], off);
    }
    if (off >= IDXD_MSIX_PERM && off < IDXD_MSIX_PERM + 8 * IDXD_MSIX_VECTORS) {
        return off & 4 ? 0 : s->msix_perm[(off - IDXD_MSIX_PERM) / 8];
    }
    if (off >= IDXD_GRPCFG && off < IDXD_GRPCFG + 64 * IDXD_NGROUPS) {
        hwaddr g = (off - IDXD_GRPCFG) / 64, q = (off - IDXD_GRPCFG) % 64 / 8;

        return idxd_lo_hi(s->grpcfg[g][q], off);
    }
    if (off >= IDXD_WQCFG && off < IDXD_WQCFG + 32 * IDXD_NWQS) {
        return s->wqcfg[(off - IDXD_WQCFG) / 32][(off % 32) / 4];
    }
    if (off >= IDXD_IMS && off < ims_end) {
        return s->ims[(off - IDXD_IMS) / 16][(off % 16) / 4];
    }
    if (off == IDXD_TESTREG) {
        return IDXD_TEST_MAGIC;
    }
    qemu_log_mask(LOG_UNIMP, "msilab-idxd: read of BAR0 +%#" HWADDR_PRIx
                  ": no register there, reads 0\n", off);
    return 0;
}

/* Writable bits of GRPCFG's flags: TC-A, TC-B, read buffer fields; the
 * progress limits only from version 2 (union group_flags). */
#define GRPFLAGS_RW 0x0ff0ffbfull

static void idxd_grpcfg_write(MsilabIdxdState *s, hwaddr off, uint32_t val)
{
    hwaddr g = (off - IDXD_GRPCFG) / 64, q = (off - IDXD_GRPCFG) % 64 / 8;
    uint64_t mask = 0;

    if (q == 0) {
        mask = (1ull << IDXD_NWQS) - 1;
    } else if (q == 4) {
        mask = (1ull << s->engcap) - 1;
    } else if (q == 5) {
        mask = GRPFLAGS_RW;
    }
    mask = (off & 4) ? mask & 0xffffffff00000000ull : mask & 0xffffffffull;
    if (val & ~idxd_lo_hi(mask, off)) {
        qemu_log_mask(LOG_UNIMP, "msilab-idxd: GRPCFG +%#" HWADDR_PRIx
                      " bits %#x ignored\n", off - IDXD_GRPCFG,
                      (uint32_t)(val & ~idxd_lo_hi(mask, off)));
    }
    val = idxd_lo_hi(mask, off) & val;
    /*
     * Read-only while the device is not disabled. Linux's drv_enable_wq
     * writes every group again (idxd_device_config) with the device
     * enabled, the same values: only a change that is lost is reported.
     */
    if (idxd_state(s) != IDXD_STATE_DISABLED) {
        if (val != idxd_lo_hi(s->grpcfg[g][q] & mask, off)) {
            qemu_log_mask(LOG_GUEST_ERROR, "msilab-idxd: GRPCFG +%#"
                          HWADDR_PRIx " changed to %#x while the device is "
                          "enabled: ignored\n", off - IDXD_GRPCFG, val);
        }
        return;
    }
    s->grpcfg[g][q] = (s->grpcfg[g][q] & ~mask) |
                      ((off & 4) ? (uint64_t)val << 32 : val);
}

static void idxd_wqcfg_write(MsilabIdxdState *s, hwaddr off, uint32_t val)
{
    static const uint32_t rw[WQCFG_DWORDS] = {
        0xffff, 0xffff, 0x3fffffff, 0x1ff, 0, 0, 0, 0,
    };
    unsigned n = (off - IDXD_WQCFG) / 32, dw = (off % 32) / 4;

    if (idxd_wq_enabled(s, n)) {
        /* Linux's idxd_wqs_config_write rewrites enabled WQs unchanged. */
        if ((val ^ s->wqcfg[n][dw]) & rw[dw]) {
            qemu_log_mask(LOG_GUEST_ERROR, "msilab-idxd: WQCFG %u dword %u "
                          "changed to %#x while the WQ is enabled: ignored\n",
                          n, dw, val);
        }
        return;
    }
    if ((val ^ s->wqcfg[n][dw]) & ~rw[dw]) {
        qemu_log_mask(LOG_UNIMP, "msilab-idxd: WQCFG %u dword %u: read-only "
                      "bits %#x written as %#x, ignored\n", n, dw, ~rw[dw],
                      val & ~rw[dw]);
    }
    s->wqcfg[n][dw] = (s->wqcfg[n][dw] & ~rw[dw]) | (val & rw[dw]);
}

static void idxd_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    MsilabIdxdState *s = opaque;
    hwaddr ims_end = IDXD_IMS + s->ims_size * 16;

    switch (off) {
    case IDXD_GENCFG:
        if (idxd_state(s) == IDXD_STATE_DISABLED) {
            s->gencfg = val & 0x10ff;       /* read-buffer limit, user int */
        } else {
            qemu_log_mask(LOG_GUEST_ERROR, "msilab-idxd: GENCFG written "
                          "while the device is enabled: ignored\n");
        }
        return;
    case IDXD_GENCTRL:
        s->genctrl = val & 3;               /* no event log */
        return;
    case IDXD_INTCAUSE:
        s->intcause &= ~val;
        return;
    case IDXD_CMD:
        idxd_cmd_write(s, val);
        return;
    case IDXD_SWERR:                        /* write valid back to clear */
        if (val & IDXD_SWERR_VALID) {
            memset(s->swerr, 0, sizeof(s->swerr));
        } else {
            s->swerr[0] &= ~(val & IDXD_SWERR_OVERFLOW);
        }
        return;
    case IDXD_TESTREG_HALT:
        idxd_halt(s);
        return;
    }
    if (off >= IDXD_MSIX_PERM && off < IDXD_MSIX_PERM + 8 * IDXD_MSIX_VECTORS) {
        if (!(off & 4)) {
            s->msix_perm[(off - IDXD_MSIX_PERM) / 8] = val & 0xfffff00c;
        }
    } else if (off >= IDXD_GRPCFG && off < IDXD_GRPCFG + 64 * IDXD_NGROUPS) {
        idxd_grpcfg_write(s, off, val);
    } else if (off >= IDXD_WQCFG && off < IDXD_WQCFG + 32 * IDXD_NWQS) {
        idxd_wqcfg_write(s, off, val);
    } else if (off >= IDXD_IMS && off < ims_end) {
        idxd_ims_write(s, off - IDXD_IMS, val);
    } else if (off != IDXD_SWERR + 4 || val) {
        /* SWERR's upper half: written by an 8-byte acknowledgement. */
        qemu_log_mask(LOG_UNIMP, "msilab-idxd: write of %#" PRIx64 " to BAR0 +%#"
                      HWADDR_PRIx ": not a writable register, ignored\n", val, off);
    }
}

static const MemoryRegionOps idxd_regs_ops = {
    .read = idxd_read,
    .write = idxd_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 4, .max_access_size = 8 },
    .impl = { .min_access_size = 4, .max_access_size = 4 },
};

/*
 * BAR2: four pages per WQ, +0x1000 limited, +0x2000 IMS (Linux's
 * idxd_get_wq_portal_full_offset). A descriptor is one 64-byte write
 * (MOVDIR64B): QEMU's TCG here (patch 0002) delivers it as eight 8-byte
 * writes in order with nothing between, so the model collects +0..+56 of
 * one line and runs the descriptor at the last.
 */
static void idxd_portal_write(void *opaque, hwaddr off, uint64_t val,
                              unsigned size)
{
    MsilabIdxdState *s = opaque;
    unsigned wq = off / IDXD_PORTAL_STRIDE, q = (off % 64) / 8;

    if (size != 8 || (off & 7)) {
        qemu_log_mask(LOG_GUEST_ERROR, "msilab-idxd: portal write of %u "
                      "bytes: dropped (descriptors are 64-byte writes)\n",
                      size);
        return;
    }
    if (q == 0) {
        s->desc_have[wq] = 0;
    }
    stq_le_p(&s->desc[wq][q * 8], val);
    s->desc_have[wq] |= 1u << q;
    if (q == 7 && s->desc_have[wq] == 0xff) {
        s->desc_have[wq] = 0;
        idxd_desc_submit(s, wq, (off % IDXD_PORTAL_STRIDE) & IDXD_PORTAL_IMS,
                         s->desc[wq]);
    }
}

static uint64_t idxd_portal_read(void *opaque, hwaddr off, unsigned size)
{
    return ~0ull;
}

static const MemoryRegionOps idxd_portal_ops = {
    .read = idxd_portal_read,
    .write = idxd_portal_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = { .min_access_size = 1, .max_access_size = 8 },
    .impl = { .min_access_size = 1, .max_access_size = 8 },
};

static void idxd_write_config(PCIDevice *pdev, uint32_t addr, uint32_t val,
                              int len)
{
    pci_default_write_config(pdev, addr, val, len);
    pcie_cap_flr_write_config(pdev, addr, val, len);
}

/* Intel's SIOV DVSEC (D. Jiang's 2020 IMS RFC, "dmaengine: idxd: add IMS
 * support in base driver"): vendor 0x8086, DVSEC ID 5, bit 0 of +0x14
 * says IMS is supported. */
#define IDXD_DVSEC          0x100
#define IDXD_DVSEC_SIZE     0x18

static void idxd_dvsec_init(MsilabIdxdState *s)
{
    uint8_t *c = PCI_DEVICE(s)->config + IDXD_DVSEC;

    pcie_add_capability(PCI_DEVICE(s), PCI_EXT_CAP_ID_DVSEC, 1, IDXD_DVSEC,
                        IDXD_DVSEC_SIZE);
    pci_set_long(c + 4, PCI_VENDOR_ID_INTEL | IDXD_DVSEC_SIZE << 20);
    pci_set_word(c + 8, 5);
    pci_set_long(c + 0x14, s->ims_mult ? 1 : 0);
}

static bool idxd_parse_props(MsilabIdxdState *s, Error **errp)
{
    const char *m = s->masked_completion ? s->masked_completion : "hold";
    const char *r = s->reset_ims ? s->reset_ims : "keep";

    if (!strcmp(m, "hold")) {
        s->masked = IDXD_MASKED_HOLD;
    } else if (!strcmp(m, "drop")) {
        s->masked = IDXD_MASKED_DROP;
    } else if (!strcmp(m, "pending")) {
        s->masked = IDXD_MASKED_PENDING;
    } else {
        error_setg(errp, "masked-completion=%s: want hold, drop or pending", m);
        return false;
    }
    if (strcmp(r, "keep") && strcmp(r, "clear")) {
        error_setg(errp, "reset-ims=%s: want keep or clear", r);
        return false;
    }
    s->reset_clears_ims = !strcmp(r, "clear");
    if (s->halt_reset > 3) {
        error_setg(errp, "halt-reset=%u: want 0 (software), 1 (FLR), "
                   "2 (warm) or 3 (cold)", s->halt_reset);
        return false;
    }
    if (s->ims_mult > IDXD_IMS_MULT_MAX) {
        error_setg(errp, "ims-mult=%u: at most %u", s->ims_mult,
                   IDXD_IMS_MULT_MAX);
        return false;
    }
    return true;
}

static void idxd_realize(PCIDevice *pdev, Error **errp)
{
    MsilabIdxdState *s = MSILAB_IDXD(pdev);
    uint8_t bar = PCI_BASE_ADDRESS_SPACE_MEMORY | PCI_BASE_ADDRESS_MEM_TYPE_64;

    if (!idxd_parse_props(s, errp)) {
        return;
    }
    s->ims_size = s->ims_mult * 256;
    s->ims = g_malloc0(MAX(s->ims_size, 1) * sizeof(*s->ims));
    s->handles[0] = bitmap_new(IDXD_MSIX_VECTORS);
    s->handles[1] = bitmap_new(MAX(s->ims_size, 1));
    timer_init_ns(&s->cmd_timer, QEMU_CLOCK_VIRTUAL, idxd_cmd_timer, s);

    memory_region_init(&s->bar0, OBJECT(s), "msilab-idxd-bar0",
                       IDXD_BAR0_SIZE);
    memory_region_init_io(&s->regs, OBJECT(s), &idxd_regs_ops, s,
                          "msilab-idxd-regs", IDXD_BAR0_SIZE);
    memory_region_add_subregion_overlap(&s->bar0, 0, &s->regs, -1);
    memory_region_init_io(&s->portals, OBJECT(s), &idxd_portal_ops, s,
                          "msilab-idxd-portals",
                          IDXD_NWQS * IDXD_PORTAL_STRIDE);
    pci_register_bar(pdev, 0, bar, &s->bar0);
    pci_register_bar(pdev, 2, bar, &s->portals);

    if (pcie_endpoint_cap_init(pdev, 0x40) < 0 ||
        msix_init(pdev, IDXD_MSIX_VECTORS, &s->bar0, 0, IDXD_MSIX_TABLE,
                  &s->bar0, 0, IDXD_MSIX_PBA, 0x90, errp)) {
        error_prepend(errp, "msilab-idxd: ");
        return;
    }
    for (unsigned v = 0; v < IDXD_MSIX_VECTORS; v++) {
        msix_vector_use(pdev, v);
    }
    pcie_cap_flr_init(pdev);
    idxd_dvsec_init(s);
    idxd_regs_init(s);
}

static void idxd_exit(PCIDevice *pdev)
{
    MsilabIdxdState *s = MSILAB_IDXD(pdev);

    timer_del(&s->cmd_timer);
    msix_unuse_all_vectors(pdev);
    msix_uninit(pdev, &s->bar0, &s->bar0);
    g_free(s->ims);
    g_free(s->handles[0]);
    g_free(s->handles[1]);
}

/* Power on and FLR: every register at its default, every IMS entry masked
 * (as an MSI-X table entry resets, PCIe 6.0 7.7.2.2). */
static void idxd_reset(DeviceState *dev)
{
    MsilabIdxdState *s = MSILAB_IDXD(dev);

    timer_del(&s->cmd_timer);
    idxd_regs_init(s);
    memset(s->ims, 0, MAX(s->ims_size, 1) * 16);
    for (uint32_t i = 0; i < s->ims_size; i++) {
        s->ims[i][3] = IDXD_IMS_MASK;
    }
}

static const Property idxd_properties[] = {
    DEFINE_PROP_STRING("masked-completion", MsilabIdxdState,
                       masked_completion),
    DEFINE_PROP_STRING("reset-ims", MsilabIdxdState, reset_ims),
    DEFINE_PROP_UINT8("halt-reset", MsilabIdxdState, halt_reset, 0),
    DEFINE_PROP_UINT8("ims-mult", MsilabIdxdState, ims_mult, 8),
    DEFINE_PROP_BOOL("int-handles", MsilabIdxdState, int_handles, false),
    DEFINE_PROP_UINT32("cmd-delay-ns", MsilabIdxdState, cmd_delay_ns, 1000),
};

static const VMStateDescription idxd_vmstate = {
    .name = "msilab-idxd",
    .unmigratable = 1,
};

static void idxd_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = idxd_realize;
    k->exit = idxd_exit;
    k->config_write = idxd_write_config;
    k->vendor_id = PCI_VENDOR_ID_INTEL;
    k->class_id = 0x0880;                   /* system peripheral, as SPR's */
    device_class_set_legacy_reset(dc, idxd_reset);
    device_class_set_props(dc, idxd_properties);
    dc->vmsd = &idxd_vmstate;
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static void idxd_dsa_class_init(ObjectClass *klass, void *data)
{
    PCI_DEVICE_CLASS(klass)->device_id = 0x0b25;
    MSILAB_IDXD_CLASS(klass)->iaa = false;
}

static void idxd_iaa_class_init(ObjectClass *klass, void *data)
{
    PCI_DEVICE_CLASS(klass)->device_id = 0x0cfe;
    MSILAB_IDXD_CLASS(klass)->iaa = true;
}

static const TypeInfo idxd_types[] = {
    {
        .name = TYPE_MSILAB_IDXD,
        .parent = TYPE_PCI_DEVICE,
        .abstract = true,
        .instance_size = sizeof(MsilabIdxdState),
        .class_size = sizeof(MsilabIdxdClass),
        .class_init = idxd_class_init,
        .interfaces = (InterfaceInfo[]) {
            { INTERFACE_PCIE_DEVICE },
            { },
        },
    }, {
        .name = "msilab-dsa",
        .parent = TYPE_MSILAB_IDXD,
        .class_init = idxd_dsa_class_init,
    }, {
        .name = "msilab-iaa",
        .parent = TYPE_MSILAB_IDXD,
        .class_init = idxd_iaa_class_init,
    },
};

DEFINE_TYPES(idxd_types)
