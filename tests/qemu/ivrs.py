#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write an IVRS table with one IVHD (type 11h) covering every DeviceID at a
given register base, for QEMU's -acpitable file=... on a machine without an
amd-iommu: a firmware's bogus IOMMU, as real machines have shipped (a base
of 0, a base where no IOMMU answers, an EFR image the register does not
match). See AMD 48882 rev 3.08, 5.2 (IVRS: IVinfo at 36, blocks from 48),
5.2.2 (IVHD 11h: 40-byte header, EFR image at 24), 5.2.2.3 (device entry
01h, ALL).

    ivrs.py OUT BASE [EFR_IMAGE]
"""
import struct
import sys


def ivrs(base=0, efr=0x29d3, devid=0x10):
    """efr: the image of the MMIO EFR (QEMU 10.0.2's is 0x29d3)."""
    entries = struct.pack("<BHB", 0x01, 0, 0)                 # ALL
    ivhd = struct.pack("<BBHHHQHHIQQ", 0x11, 0x11, 40 + len(entries), devid, 0x40, base,
                       0, 0, 0, efr, 0) + entries
    body = bytearray(48) + ivhd
    body[0:4] = b"IVRS"
    struct.pack_into("<I", body, 4, len(body))
    body[8] = 2                                   # revision
    body[10:16] = b"MSILAB"
    body[16:24] = b"IVRSTEST"
    struct.pack_into("<I", body, 36, 0x2801)      # EFRSup, 40-bit PA (QEMU's)
    body[9] = (-sum(body)) & 0xff
    return bytes(body)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    with open(sys.argv[1], "wb") as f:
        f.write(ivrs(int(sys.argv[2], 0), *(int(a, 0) for a in sys.argv[3:])))
