#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a DMAR table with one DRHD unit (INCLUDE_PCI_ALL) at a given
register base, for QEMU's -acpitable file=... on a machine without an
intel-iommu: a firmware's bogus unit, as real machines have shipped (a
base of 0, an unaligned one, one where other registers live).
See VT-d 4.1, 8.1 (DMAR header: host address width at 36, flags at 37,
structures from 48) and 8.3 (DRHD: type 0, length, flags, size, segment,
register base).

    dmar.py OUT BASE
"""
import struct
import sys


def dmar(base=0, flags=1, haw=38):
    """flags: 1 interrupt remapping, 2 x2APIC opt-out (8.1)."""
    drhd = struct.pack("<HHBBHQ", 0, 16, 1, 0, 0, base)   # INCLUDE_PCI_ALL, no scopes
    body = bytearray(48) + drhd
    body[0:4] = b"DMAR"
    struct.pack_into("<I", body, 4, len(body))
    body[8] = 1                                   # revision
    body[10:16] = b"MSILAB"
    body[16:24] = b"DMARTEST"
    body[36] = haw
    body[37] = flags                              # 1: interrupt remapping
    body[9] = (-sum(body)) & 0xff
    return bytes(body)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "wb") as f:
        f.write(dmar(int(sys.argv[2], 0)))
