#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the ACPI tables of an msilab serial log (tests=acpi.dump) to files.

    tools/acpidump.py LOG OUTDIR     ->  OUTDIR/APIC.bin, OUTDIR/FACP.bin, ...

A second table with the same signature is written as SIG-1.bin, and so on.
"""
import os
import re
import sys


def main(log, outdir):
    os.makedirs(outdir, exist_ok=True)
    tables, cur = [], None
    for line in open(log, errors="replace"):
        line = line.rstrip("\r\n")
        m = re.match(r"^# acpidump (\S{4}) (0x[0-9a-f]+) (\d+)$", line)
        if m:
            cur = [m.group(1), int(m.group(3)), bytearray()]
            tables.append(cur)
            continue
        m = re.match(r"^# acpihex ([0-9a-f]+): ([0-9a-f]*)$", line)
        if m and cur is not None:
            cur[2] += bytes.fromhex(m.group(2))
    seen = {}
    for sig, length, data in tables:
        if len(data) != length:
            sys.exit("acpidump: %s has %d bytes, header says %d" % (sig, len(data), length))
        n = seen.get(sig, 0)
        seen[sig] = n + 1
        name = sig if n == 0 else "%s-%d" % (sig, n)
        with open(os.path.join(outdir, name + ".bin"), "wb") as f:
            f.write(data)
        print("%s.bin %d bytes" % (name, length))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
