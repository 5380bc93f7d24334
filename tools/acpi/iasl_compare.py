#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hold msilab's ACPI parsers against an independent decoder: for every
table of the folders given, the fields msilab reads (msilab-acpi --json)
against what iasl (ACPICA's disassembler) decodes from the same bytes.
One TAP point per table.

    iasl_compare.py [--self-test] [--tool BUILD/msilab-acpi] PATH...

--self-test changes each compared field of one table of each kind on
msilab's side and expects every change caught.

iasl's decode of TABLE is TABLE.dsl beside it when there is one (the corpus
of ../shared/corpus/acpi keeps Debian's iasl 20200925 decodes there), or
`iasl -d` run now (Debian's acpica-tools). Where that decode stops before
the table ends (Debian's iasl cannot decode DMAR SATC/SIDP, IVRS IVHD 40h
or the undocumented IVRS entry 0x51), a TABLE.iasl-*.dsl of a newer iasl
beside it is used instead; where every decode stops early, the fields are
compared up to where iasl stopped, and the point says so.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# "[030h 0048   1]  Name : value" (iasl 20200925), "[030h 0048 001h] ..." (newer).
FIELD = re.compile(r"^\[([0-9A-F]+)h ([0-9]+) +([0-9A-F]+)(h?)\] +(.*?) : ?(.*)$")


def records(dsl_text):
    """[(offset, length, name, value)] of an iasl decode, in order."""
    out = []
    for line in dsl_text.splitlines():
        m = FIELD.match(line)
        if m:
            out.append((int(m.group(2)), int(m.group(3), 16 if m.group(4) else 10),
                        m.group(5).strip(), m.group(6).strip()))
    return out


def coverage(recs):
    """How far into the table the decode got, in bytes."""
    return max((o + n for o, n, _, _ in recs), default=0)


# Bytes a decode may leave at the end of a table without having stopped:
# iasl gives a string field its string's length, not its padding.
PADDING = 32


def complete(recs, length, text):
    """iasl decoded the whole table: no "****" line where it gave up (an
    unknown MADT subtable it steps over by its length does not count), and
    its fields reach the end but for padding."""
    gave_up = [l for l in text.splitlines()
               if l.startswith("****") and "Unknown MADT subtable" not in l]
    return not gave_up and coverage(recs) + PADDING >= length


def num(v):
    return int(v.split()[0], 16)


def split(recs, start_name):
    """The records from each start_name record up to the next one."""
    groups, cur = [], None
    for r in recs:
        if r[2] == start_name:
            cur = []
            groups.append(cur)
        if cur is not None:
            cur.append(r)
    return groups


def field(group, name, nth=0):
    hits = [r for r in group if r[2] == name]
    return num(hits[nth][3]) if len(hits) > nth else None


def sub_type(group):
    return num(group[0][3])


# --- what iasl says, in msilab-acpi's terms ----------------------------------

def iasl_madt(recs):
    subs = split(recs, "Subtable Type")
    cpus, seen, ioapics, overrides, nmis = [], set(), [], [], 0
    for g in subs:
        t = sub_type(g)
        if t in (0, 9):
            apic = field(g, "Local Apic ID" if t == 0 else "Processor x2Apic ID")
            uid = field(g, "Processor ID" if t == 0 else "Processor UID")
            flags = field(g, "Flags (decoded below)")
            if flags is None or not flags & 3 or apic in seen:
                continue
            seen.add(apic)
            cpus.append((apic, uid, bool(flags & 1)))
        elif t == 1:
            ioapics.append((field(g, "I/O Apic ID"), field(g, "Address"), field(g, "Interrupt")))
        elif t == 2:
            overrides.append((field(g, "Bus"), field(g, "Source"), field(g, "Interrupt"),
                              field(g, "Flags (decoded below)")))
        elif t in (4, 0xA):
            nmis += 1
    head = {r[2]: num(r[3]) for r in recs[:12] if r[2] in ("Local Apic Address",
                                                           "Flags (decoded below)")}
    return dict(lapic=head.get("Local Apic Address"), flags=head.get("Flags (decoded below)"),
                cpus=cpus, ioapics=ioapics, overrides=overrides, nmis=nmis)


def ours_madt(d):
    return dict(lapic=int(d["lapic_address"], 16), flags=int(d["flags"], 16),
                cpus=[(c["apic_id"], c["uid"], c["enabled"]) for c in d["cpus"]],
                ioapics=[(i["id"], int(i["address"], 16), i["gsi_base"]) for i in d["ioapics"]],
                overrides=[(o["bus"], o["irq"], o["gsi"], int(o["flags"], 16))
                           for o in d["overrides"]],
                nmis=d["nmi_entries"])


def iasl_mcfg(recs):
    return dict(segments=[(field(g, "Base Address"), field(g, "Segment Group Number"),
                           field(g, "Start Bus Number"), field(g, "End Bus Number"))
                          for g in split(recs, "Base Address")])


def ours_mcfg(d):
    return dict(segments=[(int(s["base"], 16), s["segment"], s["bus_start"], s["bus_end"])
                          for s in d["segments"]])


def iasl_hpet(recs):
    return dict(address=field(recs, "Address"), number=field(recs, "Sequence Number"),
                min_tick=field(recs, "Minimum Clock Ticks"))


def ours_hpet(d):
    return dict(address=int(d["base"]["address"], 16), number=d["number"], min_tick=d["min_tick"])


def iasl_fadt(recs, length):
    pm = field(recs, "PM Timer Block Address")
    # The X_PM_TMR_BLK GAS is the fourth... field named "Address" after "PM Timer Block".
    x = None
    names = [r[2] for r in recs]
    if "PM Timer Block" in names:
        i = names.index("PM Timer Block")
        g = recs[i:i + 6]
        sp, addr = field(g, "Space ID"), field(g, "Address")
        if addr and sp == 1 and addr <= 0xffff:
            x = addr
    port = x if x else pm
    reset = None
    if "Reset Register" in names and length >= 129:
        i = names.index("Reset Register")
        reset = field(recs[i:i + 6], "Address")
    return dict(pm_timer_port=port if port is not None and port <= 0xffff else 0,
                flags=field(recs, "Flags (decoded below)"),
                boot_arch=field(recs, "Boot Flags (decoded below)"),
                reset=reset, reset_value=field(recs, "Value to cause reset") if length >= 129
                else None)


def ours_fadt(d, length):
    return dict(pm_timer_port=int(d["pm_timer_port"], 16), flags=int(d["flags"], 16),
                boot_arch=int(d["boot_arch"], 16),
                reset=int(d["reset_reg"]["address"], 16) if length >= 129 else None,
                reset_value=int(d["reset_value"], 16) if length >= 129 else None)


SPCR_BAUD = {3: 9600, 4: 19200, 6: 57600, 7: 115200}


def iasl_spcr(recs):
    return dict(interface=field(recs, "Interface Type"), address=field(recs, "Address"),
                baud=SPCR_BAUD.get(field(recs, "Baud Rate"), 0))


def ours_spcr(d):
    return dict(interface=int(d["interface"], 16), address=int(d["base"]["address"], 16),
                baud=d["baud"])


def iasl_dmar(recs):
    units, other = [], {}
    for g in split(recs, "Subtable Type"):
        t = sub_type(g)
        if t != 0:
            other[t] = other.get(t, 0) + 1
            continue
        scopes = []
        for s in split(g, "Device Scope Type"):
            path = "/".join("%02x.%x" % tuple(int(x, 16) for x in r[3].split(","))
                            for r in s if r[2] == "PCI Path")
            scopes.append((field(s, "Device Scope Type"), field(s, "Enumeration ID"),
                           field(s, "PCI Bus Number"), path))
        units.append((field(g, "Register Base Address"), field(g, "PCI Segment Number"),
                      field(g, "Flags") & 1, scopes))
    return dict(width=field(recs, "Host Address Width") + 1, flags=field(recs, "Flags"),
                units=units, other=other)


DMAR_NAMES = {1: "RMRR", 2: "ATSR", 3: "RHSA", 4: "ANDD", 5: "SATC", 6: "SIDP"}


def ours_dmar(d):
    names = {v: k for k, v in DMAR_NAMES.items()}
    other = {names[k]: v for k, v in d["other_structures"].items() if k in names}
    return dict(width=d["host_address_width"], flags=int(d["flags"], 16),
                units=[(int(u["base"], 16), u["segment"], int(u["include_pci_all"]),
                        [(s["type"], s["enum_id"], s["bus"], s["path"]) for s in u["scopes"]])
                       for u in d["units"]], other=other)


IVHD_TYPES = (0x10, 0x11, 0x40)
IVMD_TYPES = (0x20, 0x21, 0x22)


def ivrs_groups(recs):
    """[(block type, block records, [entry records])]: iasl 20200925 names
    device entries "Entry Type", newer ones "Subtable Type" like blocks."""
    out = []
    for r in recs:
        if r[2] in ("Subtable Type", "Entry Type"):
            t = num(r[3])
            if r[2] == "Subtable Type" and (t in IVHD_TYPES or t in IVMD_TYPES):
                out.append((t, [r], []))
                continue
            if out:
                out[-1][2].append([r])
                continue
        if out:
            (out[-1][2][-1] if out[-1][2] else out[-1][1]).append(r)
    return out


def flags_of(g):
    v = field(g, "Flags")
    return v if v is not None else field(g, "Flags (decoded below)")


def data_of(e):
    v = field(e, "Data Setting")
    return v if v is not None else field(e, "Data Setting (decoded below)")


def iasl_devs(unit, entries, out):
    """The runs of requester IDs of one IVHD's entries, as msilab keeps them."""
    opened = None
    for e in entries:
        t, dev = num(e[0][3]), field(e, "Device ID")
        if dev is None:
            continue    # iasl stopped inside this entry
        if t == 1:
            out.append((unit, 0, 0xffff, None, data_of(e)))
        elif t in (2, 0x46):
            out.append((unit, dev, dev, None, data_of(e)))
        elif t == 0x42:
            out.append((unit, dev, dev, field(e, "Source Used Device ID"), data_of(e)))
        elif t in (3, 0x47, 0x43):
            opened = (dev, field(e, "Source Used Device ID") if t == 0x43 else None, data_of(e))
        elif t == 4 and opened:
            out.append((unit, opened[0], dev, opened[1], opened[2]))
            opened = None


def iasl_ivrs(recs):
    blocks = [b for b in ivrs_groups(recs) if b[0] in IVHD_TYPES]
    top = max((b[0] for b in blocks), default=0)
    iommus, specials, devices = [], [], []
    for t, g, entries in blocks:
        if t != top:
            continue
        iasl_devs(len(iommus), entries, devices)
        iommus.append((t, flags_of(g), field(g, "DeviceId"), field(g, "Capability Offset"),
                       field(g, "Base Address"), field(g, "PCI Segment Group"),
                       field(g, "Virtualization Info")))
        for e in entries:
            if num(e[0][3]) == 0x48:
                specials.append((field(e, "Handle"), field(e, "Source Used Device ID"),
                                 field(e, "Variety")))
    return dict(ivinfo=field(recs, "Virtualization Info"), blocks=len(blocks), iommus=iommus,
                specials=specials, devices=devices[:256])


def ours_ivrs(d):
    var = {"ioapic": 1, "hpet": 2}
    return dict(ivinfo=int(d["ivinfo"], 16), blocks=d["ivhd_blocks"],
                iommus=[(int(u["type"], 16), int(u["flags"], 16), int(u["devid"], 16),
                         int(u["cap_offset"], 16), int(u["base"], 16), u["segment"],
                         int(u["info"], 16)) for u in d["iommus"]],
                specials=[(s["handle"], int(s["devid"], 16), var.get(s["variety"], 0))
                          for s in d["specials"]],
                devices=[(x["iommu"], int(x["first"], 16), int(x["last"], 16),
                          int(x["alias"], 16) if "alias" in x else None, int(x["data"], 16))
                         for x in d["devices"]])


def compare(sig, table, length, recs):
    """[(field, ours, iasl)] that differ."""
    if sig == "APIC":
        a, b = ours_madt(table), iasl_madt(recs)
    elif sig == "MCFG":
        a, b = ours_mcfg(table), iasl_mcfg(recs)
    elif sig == "HPET":
        a, b = ours_hpet(table), iasl_hpet(recs)
    elif sig == "FACP":
        a, b = ours_fadt(table, length), iasl_fadt(recs, length)
    elif sig == "SPCR":
        a, b = ours_spcr(table), iasl_spcr(recs)
    elif sig == "DMAR":
        a, b = ours_dmar(table), iasl_dmar(recs)
    else:
        a, b = ours_ivrs(table), iasl_ivrs(recs)
    return a, b


def prefix_equal(a, b, whole):
    """Equal, or (iasl stopped early) b a prefix of a for lists, a superset
    for counts, and a field iasl did not reach (None) left out."""
    if whole or a == b:
        return a == b
    if b is None:
        return True
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) >= len(b) and all(prefix_equal(x, y, False) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return all(k in a and prefix_equal(a[k], v, False) for k, v in b.items())
    if isinstance(a, int) and isinstance(b, int):
        return a >= b
    return a == b


def iasl_decode(path, tmp):
    """(records, which decode) of the best iasl decode of `path`."""
    length = os.path.getsize(path)
    cands = [path + ".dsl"] + sorted(glob.glob(path + ".iasl-*.dsl"))
    best = None
    for c in cands:
        if os.path.exists(c):
            text = open(c, errors="replace").read()
            recs = records(text)
            whole = complete(recs, length, text)
            if not best or (whole, coverage(recs)) > (best[2], coverage(best[0])):
                best = (recs, os.path.basename(c), whole)
    if best:
        return best
    if not shutil.which("iasl"):
        return None, "no iasl (apt-get install acpica-tools)", False
    copy = os.path.join(tmp, "t.dat")
    shutil.copy(path, copy)
    subprocess.run(["iasl", "-d", copy], cwd=tmp, capture_output=True)
    dsl = os.path.join(tmp, "t.dsl")
    if not os.path.exists(dsl):
        return None, "iasl could not decode it", False
    text = open(dsl, errors="replace").read()
    os.unlink(dsl)
    recs = records(text)
    return recs, "iasl -d", complete(recs, length, text)


def mutated(v):
    """v changed in one place, or None where nothing can be changed."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v + 1
    if isinstance(v, str):
        return v + "x"
    if isinstance(v, (list, tuple)):
        if not v:
            return None
        first = mutated(v[0])
        if first is None:
            return None
        return type(v)([first] + list(v[1:]))
    if isinstance(v, dict):
        return {k: (x + 1 if isinstance(x, int) else x) for k, x in v.items()} or None
    return None


def self_test(tool, paths):
    """Every compared field of every kind of table: a one-place change in
    msilab's side is caught, so the comparison cannot pass by accident."""
    out = subprocess.run([tool, "--json"] + paths, capture_output=True, text=True)
    tables = json.loads(out.stdout)["tables"]
    points, n = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for sig in ("APIC", "MCFG", "HPET", "FACP", "SPCR", "DMAR", "IVRS"):
            for t in (t for t in tables if t.get("signature") == sig):
                recs, which, whole = iasl_decode(t["file"], tmp)
                if recs is None or not whole:
                    continue
                a, b = compare(sig, t, t["bytes"], recs)
                keys = [k for k in b if mutated(a.get(k)) is not None]
                if len(keys) < len(b) and t is not tables[-1]:
                    continue    # a table with an empty list: take a fuller one
                for k in keys:
                    caught = not prefix_equal(mutated(a[k]), b[k], True)
                    points.append((caught, "%s %s: a changed %s is caught" %
                                   (sig, os.path.basename(t["file"]), k)))
                break
    print("1..%d" % len(points))
    for i, (ok, desc) in enumerate(points, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, desc))
    return 0 if points and all(ok for ok, _ in points) else 1


def main(argv):
    tool = os.path.join(ROOT, "build", "msilab-acpi")
    test_self = argv[:1] == ["--self-test"]
    argv = argv[1:] if test_self else argv
    if argv[:1] == ["--tool"]:
        tool, argv = argv[1], argv[2:]
    if not argv:
        sys.exit(__doc__)
    if test_self:
        return self_test(tool, argv)
    out = subprocess.run([tool, "--json"] + argv, capture_output=True, text=True)
    # 1: some table of the corpus is unsound (real firmware ships bad
    # checksums); only a usage error (2) or a crash stops the comparison.
    if out.returncode not in (0, 1):
        print("1..1\nnot ok 1 - msilab-acpi ran\n# " + out.stderr.replace("\n", "\n# "))
        return 1
    tables = [t for t in json.loads(out.stdout)["tables"]
              if t.get("signature") in ("APIC", "MCFG", "HPET", "FACP", "SPCR", "DMAR", "IVRS")]
    print("1..%d" % (len(tables) + 1))
    print("%s 1 - msilab-acpi decoded %d tables with no sanitizer report%s" %
          ("ok" if not out.stderr else "not ok", len(tables),
           "" if not out.stderr else "\n# " + out.stderr[:2000].replace("\n", "\n# ")))
    failed, partial, n = 0, 0, 1
    with tempfile.TemporaryDirectory() as tmp:
        for t in tables:
            n += 1
            name = os.path.basename(t["file"])
            recs, which, whole = iasl_decode(t["file"], tmp)
            if recs is None:
                print("ok %d - %s # SKIP %s" % (n, name, which))
                continue
            a, b = compare(t["signature"], t, t["bytes"], recs)
            bad = [k for k in b if not prefix_equal(a.get(k), b[k], whole)]
            partial += not whole
            note = "" if whole else " (iasl stops before the end: compared as far as it decodes)"
            if bad:
                failed += 1
                print("not ok %d - %s agrees with %s%s" % (n, name, which, note))
                for k in bad:
                    print("#   %s: msilab %r" % (k, a.get(k)))
                    print("#   %s: iasl   %r" % (k, b[k]))
            else:
                print("ok %d - %s agrees with %s%s" % (n, name, which, note))
    print("# %d tables, %d disagree, %d compared only as far as iasl decodes" %
          (len(tables), failed, partial))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
