#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every exception dump of an msilab serial log as function and line.

    tools/symbolize.py [--image FILE] [--build-dir DIR] [LOG]
    make symbolize LOG=...        (make report does the same into report.json)

LOG defaults to the newest serial log, as for tools/report.py.

An exception dump (docs/report-format.md) gives absolute addresses: `rip:`
(of a test's exception, a hang stopped by the NMI watchdog, a bail-out, a
machine check) and the `at rip 0x...` of its message. The header's
`image=` says where the image lay, so each address less `image=`, plus the
address the image is linked at (its lowest PT_LOAD), is an address in the
image, which `addr2line -f -i` turns into function, file and line (and the
functions inlined there). The image is build/msilab.elf, or build/msilab.so
for `boot=uefi` (msilab.efi is made from it); --image names another (the
one that ran, if the build has changed since). Prints, per dump, the test
(or `boot` before the first test point), the key, the address and where
it lies. A log cut off (the machine hung or died after the dump) is read
as far as it goes. Exit status 1 when the file holds no msilab report
(tools/report.py's checks), or the image or addr2line is missing; 0
otherwise, also when there is no dump.
"""
import os
import re
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.normpath(os.path.join(HERE, "..", "build"))

TEST_RE = re.compile(r"^(?:ok|not ok) \d+ - (\S+)")
# A dump's own `rip: 0x..` line, and `at rip 0x..` in its message (or in
# the line a fatal exception prints before the report has begun).
RIP_RE = re.compile(r"(?:^\s*|\bat )(rip):? (0x[0-9a-fA-F]+)")


def link_base(path):
    """The lowest virtual address of an ELF's PT_LOAD segments and the
    highest end: the range the image was linked at."""
    with open(path, "rb") as f:
        ident = f.read(64)
        if ident[:4] != b"\x7fELF" or ident[4] != 2:
            raise ValueError("%s is not a 64-bit ELF" % path)
        phoff, = struct.unpack_from("<Q", ident, 32)
        phentsize, phnum = struct.unpack_from("<HH", ident, 54)
        lo, hi = None, 0
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            ptype, _, _, vaddr, _, _, memsz = struct.unpack("<IIQQQQQ", f.read(48))
            if ptype == 1:
                lo = vaddr if lo is None else min(lo, vaddr)
                hi = max(hi, vaddr + memsz)
    return lo or 0, hi


def dumps(lines):
    """[(where, key, address)] of every address an exception dump gives,
    once each: where is the test the dump belongs to ('boot' before the
    first test point, 'bail out' after a Bail out!)."""
    out, where = [], "boot"
    for line in lines:
        m = TEST_RE.match(line)
        if m:
            where = m.group(1)
            continue
        if line.startswith("Bail out!"):
            where = "bail out"
        for key, addr in RIP_RE.findall(line):
            item = (where, key, int(addr, 16))
            if item not in out:
                out.append(item)
    return out


def addr2line(image, addrs):
    """{address: [(function, file:line)]} (innermost first, the functions
    inlined at the address before the one they were inlined into)."""
    if not addrs:
        return {}
    p = subprocess.run(["addr2line", "-a", "-f", "-i", "-e", image] + ["0x%x" % a for a in addrs],
                       capture_output=True, text=True, check=True)
    out, cur, lines = {}, None, p.stdout.splitlines()
    i = 0
    while i < len(lines):
        if re.fullmatch(r"0x[0-9a-f]+", lines[i]):
            cur = int(lines[i], 16)
            out[cur] = []
            i += 1
            continue
        func = lines[i]
        where = lines[i + 1] if i + 1 < len(lines) else "??:0"
        out[cur].append((func, os.path.relpath(where) if where.startswith("/") else where))
        i += 2
    return out


def image_for(hf, build, image=None):
    """The image that ran: --image, else build/msilab.so for boot=uefi,
    else build/msilab.elf."""
    if image:
        return image
    return os.path.join(build, "msilab.so" if hf.get("boot") == "uefi" else "msilab.elf")


def symbolize(lines, hf, build, log=None, image=None):
    """dict(image={path, linked_at, loaded_at} or None, note=why not or a
    warning, exceptions=[{where, key, address, image_offset, frames:
    [{function, line}]}])."""
    found = dumps(lines)
    res = dict(image=None, note=None, exceptions=[])
    if not found:
        return res
    base = hf.get("image")
    path = image_for(hf, build, image)
    entries = [dict(where=w, key=k, address=a, image_offset=None, frames=[]) for w, k, a in found]
    res["exceptions"] = entries
    if not isinstance(base, int):
        res["note"] = "the header has no image= (a log of an older msilab): addresses not symbolized"
        return res
    if not os.path.exists(path):
        res["note"] = "%s is missing (make %s): addresses not symbolized" % (path, path)
        return res
    try:
        lo, hi = link_base(path)
    except (OSError, ValueError) as e:
        res["note"] = "%s: addresses not symbolized" % e
        return res
    res["image"] = dict(path=path, linked_at=lo, loaded_at=base)
    if log and os.path.getmtime(path) > os.path.getmtime(log):
        res["note"] = ("%s was built after this log was written: if the code changed, the lines are "
                       "not the ones that ran (--image names the image that ran)" % path)
    inside = {}
    for e in entries:
        a = e["address"] - base + lo
        if lo <= a < hi:
            e["image_offset"] = e["address"] - base
            inside[e["address"]] = a
    try:
        got = addr2line(path, sorted(set(inside.values())))
    except (OSError, subprocess.CalledProcessError) as e:
        res["note"] = "addr2line failed (Debian: binutils): %s" % e
        return res
    for e in entries:
        if e["address"] in inside:
            e["frames"] = [dict(function=f, line=l) for f, l in got.get(inside[e["address"]], [])]
    return res


def format_exceptions(res):
    """Lines for a person: one per address, the inlined functions after."""
    out = []
    img = res["image"]
    for e in res["exceptions"]:
        head = "%s: %s 0x%x" % (e["where"], e["key"], e["address"])
        if e["frames"]:
            f0 = e["frames"][0]
            out.append("%s = %s at %s (%s+0x%x)" % (head, f0["function"], f0["line"],
                                                   os.path.basename(img["path"]), e["image_offset"]))
            for f in e["frames"][1:]:
                out.append("    inlined into %s at %s" % (f["function"], f["line"]))
        elif img and e["image_offset"] is None:
            out.append("%s: outside the image (0x%x + 0x%x)" % (head, img["loaded_at"],
                                                             img["linked_at"]))
        else:
            out.append(head)
    if res["note"]:
        out.append("note: " + res["note"])
    return out


def main(argv):
    image, build, args = None, BUILD, []
    it = iter(argv)
    for a in it:
        if a == "--image":
            image = next(it, None)
        elif a == "--build-dir":
            build = next(it, build)
        elif a.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            args.append(a)
    if len(args) > 1:
        print(__doc__, file=sys.stderr)
        return 2
    sys.path.insert(0, HERE)
    import report
    log = args[0] if args else report.newest_log(build)
    if not log:
        print("symbolize: no serial log under %s (LOG= names one)" % build, file=sys.stderr)
        return 1
    if not args:
        print("symbolize: the newest serial log: %s" % os.path.relpath(log))
    if not os.path.isfile(log):
        print("symbolize: %s: no such file" % log, file=sys.stderr)
        return 1
    try:
        r = report.load(log, allow_cut=True)
    except report.NotAReport as e:
        print("symbolize: %s holds no msilab report:" % log, file=sys.stderr)
        for p in e.args[0]:
            print("  " + p, file=sys.stderr)
        return 1
    lines, hf = r["lines"], r["header_fields"]
    res = symbolize(lines, hf, build, log, image)
    if not res["exceptions"]:
        print("symbolize: no exception dump in %s" % log)
        return 0
    for line in format_exceptions(res):
        print(line)
    return 1 if res["image"] is None else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
