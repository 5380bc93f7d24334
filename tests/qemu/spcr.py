#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write an SPCR table (Microsoft SPCR revision 2, 80 bytes) naming a 16550
at an I/O port, for QEMU's -acpitable file=... (QEMU's x86 machines have
no SPCR of their own).

    spcr.py OUT [PORT] [BAUDCODE] [CHECKSUM_DELTA] [INTERFACE]

(QEMU recomputes the checksum of a table given with -acpitable, so a bad
checksum cannot be injected that way: the host tests cover it.)
"""
import struct
import sys


def spcr(port=0x2f8, baud_code=7, checksum_delta=0, interface=0):
    body = bytearray(80)
    body[0:4] = b"SPCR"
    struct.pack_into("<I", body, 4, len(body))
    body[8] = 2                                   # revision
    body[10:16] = b"MSILAB"
    body[16:24] = b"SPCRTEST"
    body[36] = interface                          # 0: 16550
    struct.pack_into("<BBBBQ", body, 40, 1, 8, 0, 1, port)   # GAS: I/O, 8 bits, byte access
    body[52] = 1                                  # interrupt type: 8259
    body[53] = 3                                  # IRQ
    body[58] = baud_code                          # 7 = 115200
    body[9] = (-sum(body) + checksum_delta) & 0xff
    return bytes(body)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    args = [int(a, 0) for a in sys.argv[2:]]
    with open(sys.argv[1], "wb") as f:
        f.write(spcr(*args))
