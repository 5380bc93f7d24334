/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * msilab's DSA / IAA model: a descriptor written to a portal, run at once.
 * Layouts are Linux's include/uapi/linux/idxd.h (struct dsa_hw_desc,
 * struct dsa_completion_record, enum dsa_completion_status). Memory is
 * read and written with pci_dma_read/write, in the function's address
 * space: through the IOMMU, as the device's requester ID.
 */
#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qemu/log.h"
#include "msilab-idxd.h"

#define DESC_OPCODE(d)      ((d)[7])
#define DESC_FLAGS(d)       (ldl_le_p((d) + 4) & 0xffffff)
#define DESC_COMPLETION(d)  ldq_le_p((d) + 8)
#define DESC_SRC(d)         ldq_le_p((d) + 16)
#define DESC_DST(d)         ldq_le_p((d) + 24)
#define DESC_SIZE(d)        ldl_le_p((d) + 32)
#define DESC_HANDLE(d)      lduw_le_p((d) + 36)
#define DESC_EXPECTED(d)    ((d)[40])

#define FLAG_CRAV   (1u << 2)   /* completion record address valid */
#define FLAG_RCR    (1u << 3)   /* request completion record */
#define FLAG_RCI    (1u << 4)   /* request completion interrupt */
#define FLAG_CR     (1u << 7)   /* check result (COMPARE) */

#define OP_NOOP     0x00
#define OP_DRAIN    0x02
#define OP_MEMMOVE  0x03
#define OP_FILL     0x04
#define OP_COMPARE  0x05

#define CHUNK       4096

typedef struct {
    uint8_t status, result;
    uint32_t done;
    uint64_t fault;
} IdxdOutcome;

static void idxd_fault(IdxdOutcome *o, uint64_t addr, bool write)
{
    o->status = DSA_COMP_PAGE_FAULT_NOBOF | (write ? 0x80 : 0);
    o->fault = addr;
}

/* MEMMOVE: overlapping buffers copied as memmove (GENCAP.overlap_copy). */
static void idxd_memmove(PCIDevice *pdev, uint64_t src, uint64_t dst,
                         uint32_t size, IdxdOutcome *o)
{
    bool down = dst > src && dst < src + size;
    uint8_t buf[CHUNK];

    for (uint32_t left = size; left; ) {
        uint32_t n = MIN(left, CHUNK);
        uint64_t at = down ? left - n : size - left;

        if (pci_dma_read(pdev, src + at, buf, n) != MEMTX_OK) {
            idxd_fault(o, src + at, false);
            return;
        }
        if (pci_dma_write(pdev, dst + at, buf, n) != MEMTX_OK) {
            idxd_fault(o, dst + at, true);
            return;
        }
        left -= n;
        o->done += n;
    }
}

static void idxd_fill(PCIDevice *pdev, uint64_t pattern, uint64_t dst,
                      uint32_t size, IdxdOutcome *o)
{
    uint8_t buf[CHUNK];

    for (uint32_t i = 0; i < CHUNK; i += 8) {
        stq_le_p(buf + i, pattern);
    }
    while (o->done < size) {
        uint32_t n = MIN(size - o->done, CHUNK);

        if (pci_dma_write(pdev, dst + o->done, buf, n) != MEMTX_OK) {
            idxd_fault(o, dst + o->done, true);
            return;
        }
        o->done += n;
    }
}

/* COMPARE: result 0 equal, 1 different; bytes completed is the offset of
 * the first difference (dsa_completion_record.bytes_completed). */
static void idxd_compare(PCIDevice *pdev, uint64_t a, uint64_t b,
                         uint32_t size, IdxdOutcome *o)
{
    uint8_t x[CHUNK], y[CHUNK];

    for (uint32_t at = 0; at < size; ) {
        uint32_t n = MIN(size - at, CHUNK);

        if (pci_dma_read(pdev, a + at, x, n) != MEMTX_OK) {
            idxd_fault(o, a + at, false);
            return;
        }
        if (pci_dma_read(pdev, b + at, y, n) != MEMTX_OK) {
            idxd_fault(o, b + at, false);
            return;
        }
        for (uint32_t i = 0; i < n; i++) {
            if (x[i] != y[i]) {
                o->result = 1;
                o->done = at + i;
                return;
            }
        }
        at += n;
    }
    o->done = size;
}

static void idxd_run(MsilabIdxdState *s, unsigned wq, const uint8_t *d,
                     IdxdOutcome *o)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    uint8_t op = DESC_OPCODE(d);
    uint32_t size = DESC_SIZE(d);
    uint32_t max = 1u << (s->wqcfg[wq][WQCFG_MAXES] & 0x1f);

    o->status = DSA_COMP_SUCCESS;
    if (op == OP_NOOP || op == OP_DRAIN) {
        return;     /* every earlier descriptor has already run */
    }
    if (size > max) {
        o->status = DSA_COMP_XFER_ERANGE;
        return;
    }
    if (op == OP_MEMMOVE) {
        idxd_memmove(pdev, DESC_SRC(d), DESC_DST(d), size, o);
    } else if (op == OP_FILL) {
        idxd_fill(pdev, DESC_SRC(d), DESC_DST(d), size, o);
    } else if (op == OP_COMPARE) {
        idxd_compare(pdev, DESC_SRC(d), DESC_DST(d), size, o);
        if (o->status == DSA_COMP_SUCCESS && (DESC_FLAGS(d) & FLAG_CR) &&
            o->result != (DESC_EXPECTED(d) & 1)) {
            o->status = DSA_COMP_SUCCESS_PRED;
        }
    }
}

void idxd_desc_submit(MsilabIdxdState *s, unsigned wq, bool ims,
                      const uint8_t *d)
{
    uint32_t flags = DESC_FLAGS(d), index = 0;
    uint64_t cr = DESC_COMPLETION(d);
    unsigned cr_size = idxd_is_iaa(s) ? 64 : 32;
    uint8_t op = DESC_OPCODE(d), record[64] = { 0 };
    IdxdOutcome o = { 0 };
    bool rci = flags & FLAG_RCI, handle_ok = true;

    if (!idxd_wq_usable(s, wq)) {
        if ((s->gensts & 3) != IDXD_STATE_HALTED) {
            idxd_swerr(s, IDXD_SWERR_WQ_DISABLED, wq, d, 0);
        }
        return;
    }
    if ((flags & FLAG_CRAV) && (cr & (cr_size - 1))) {
        idxd_swerr(s, DSA_COMP_CRA_ALIGN, wq, d, cr);
        return;
    }
    if (rci) {
        handle_ok = idxd_int_index(s, ims, DESC_HANDLE(d), &index);
    }
    if (op >= 64 || !(s->opcap[0] & (1ull << op))) {
        o.status = DSA_COMP_BAD_OPCODE;
    } else if (!handle_ok) {
        o.status = DSA_COMP_INT_HANDLE_INVAL;
    } else {
        idxd_run(s, wq, d, &o);
    }

    if (o.status != DSA_COMP_SUCCESS && o.status != DSA_COMP_SUCCESS_PRED) {
        qemu_log_mask(LOG_GUEST_ERROR, "msilab-idxd: WQ %u opcode %u "
                      "completed with status %#x\n", wq, op, o.status);
    }
    /* The record, then the interrupt: both posted writes, in order. */
    if ((flags & FLAG_CRAV) && ((flags & FLAG_RCR) ||
                                o.status != DSA_COMP_SUCCESS)) {
        record[0] = o.status;
        record[1] = o.result;
        stl_le_p(record + 4, o.done);
        stq_le_p(record + 8, o.fault);
        if (pci_dma_write(PCI_DEVICE(s), cr, record, cr_size) != MEMTX_OK) {
            idxd_swerr(s, DSA_COMP_CRA_XLAT, wq, d, cr);
        }
    } else if (o.status != DSA_COMP_SUCCESS) {
        idxd_swerr(s, o.status & 0x7f, wq, d, o.fault);
    }
    if (rci && handle_ok) {
        idxd_notify(s, ims, index);
    }
}
