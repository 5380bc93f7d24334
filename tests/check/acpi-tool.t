#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""msilab-acpi on bad input: a folder with no tables, a file shorter than a
header, a length field beyond the file, a bad checksum, two DMARs, a file
that is no table; each named clearly, the good tables still decoded, and
the exit status 1; a serial log of tests=acpi.dump read like the files it
holds; and the command line of a Unix tool (--help, options anywhere,
exit status 2 for a usage error)."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap  # noqa: E402

tap = Tap()
point, skip = tap.point, tap.skip
TOOL = os.path.join(ROOT, "build", "host", "msilab-acpi")
FIX = os.path.join(ROOT, "tests", "host", "fixtures", "qemu-q35-smp4-iommu")


def run(*paths):
    p = subprocess.run([TOOL, "--json"] + list(paths), capture_output=True, text=True)
    return p.returncode, (json.loads(p.stdout) if p.stdout.strip() else None), p.stderr


def by_file(doc, name):
    return [t for t in doc["tables"] if t["file"].endswith(name)]


print("1..21")
with tempfile.TemporaryDirectory() as tmp:
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    rc, doc, err = run(empty)
    point(rc == 1 and doc["tables"][0].get("problem") == "a folder with no ACPI tables",
          "an empty folder is named as one, exit status 1", (rc, doc))

    bad = os.path.join(tmp, "bad")
    os.mkdir(bad)
    good = open(os.path.join(FIX, "APIC.bin"), "rb").read()
    dmar = open(os.path.join(FIX, "DMAR.bin"), "rb").read()
    open(os.path.join(bad, "APIC"), "wb").write(good)
    open(os.path.join(bad, "SHORT"), "wb").write(b"MCFG\x10\x00")
    longer = bytearray(open(os.path.join(FIX, "HPET.bin"), "rb").read())
    struct.pack_into("<I", longer, 4, len(longer) + 100)
    open(os.path.join(bad, "HPET"), "wb").write(longer)
    sick = bytearray(open(os.path.join(FIX, "MCFG.bin"), "rb").read())
    sick[44] ^= 0x10
    open(os.path.join(bad, "MCFG"), "wb").write(sick)
    open(os.path.join(bad, "DMAR"), "wb").write(dmar)
    open(os.path.join(bad, "DMAR2"), "wb").write(dmar)
    open(os.path.join(bad, "notes.bin"), "wb").write(b"\x00\x01 not a table at all")
    rc, doc, err = run(bad)
    point(rc == 1 and doc is not None and not err,
          "a folder of bad files decodes, no crash, exit status 1", (rc, err))
    apic = by_file(doc, "/APIC")
    point(apic and apic[0]["parsed"] and len(apic[0]["cpus"]) == 4,
          "the good MADT next to them is decoded: 4 CPUs", apic)
    short = by_file(doc, "/SHORT")
    point(short and "shorter than an ACPI table header" in short[0].get("problem", ""),
          "a 6-byte file: shorter than a header", short)
    hpet = by_file(doc, "/HPET")
    point(hpet and "its length field says" in hpet[0].get("problem", "") and
          any("length" in e or "checksum" in e for e in hpet[0].get("errors", [])),
          "a length field beyond the file: named, and the parser says what it read", hpet)
    mcfg = by_file(doc, "/MCFG")
    point(mcfg and not mcfg[0]["parsed"] and
          any("checksum" in e for e in mcfg[0].get("errors", [])),
          "a bad checksum: named by the parser", mcfg)
    both = by_file(doc, "/DMAR") + by_file(doc, "/DMAR2")
    warns = doc["msilab_would"]["warnings"]
    point(len(both) == 2 and all(t["parsed"] for t in both) and
          any("several tables with this signature" in w and "DMAR" in w for w in warns),
          "two DMARs: both decoded, the summary says the firmware reads the first", warns)
    notes = by_file(doc, "/notes.bin")
    point(notes and "not an ACPI table" in notes[0].get("problem", ""),
          "a file that is no table is named as such", notes)
    point(doc["msilab_would"]["iommu"] == "vt-d" and doc["msilab_would"]["cpus"] == 4 and
          doc["msilab_would"]["console"].startswith("io:0x3f8"),
          "the summary: vt-d, 4 CPUs, the console on COM1", doc["msilab_would"])

    # A serial log holds the same tables as hex lines.
    log = os.path.join(tmp, "serial.log")
    with open(log, "w") as f:
        f.write("TAP version 13\n")
        for name in ("APIC", "DMAR"):
            data = open(os.path.join(FIX, name + ".bin"), "rb").read()
            f.write("# acpidump %s 0x7ffe0000 %d\r\n" % (name, len(data)))
            for off in range(0, len(data), 32):
                f.write("# acpihex %05x: %s\r\n" % (off, data[off:off + 32].hex()))
        f.write("# acpidump DMAR 0x7ffe1000 200\n# acpihex 00000: 444d4152\n")
    rc, doc, err = run(log)
    logged = [t for t in doc["tables"] if t.get("parsed")]
    point(len(logged) == 2 and logged[0]["signature"] == "APIC" and
          len(logged[0]["cpus"]) == 4, "a serial log's tables decode like the files", doc)
    cut = [t for t in doc["tables"] if "cut off" in t.get("problem", "")]
    point(len(cut) == 1, "a table cut off in the log is named as cut off", doc["tables"])
    # ACPI 6.3 5.2.12.2: a CPU with only Online Capable set (MADT revision
    # 5 on) is listed but not running; the firmware does not start it
    # (kernel/main.c), so msilab_would does not count it as a CPU.
    mad = bytearray(good)
    mad[8] = 5
    off, seen = 44, 0
    while off + 2 <= len(mad):
        if mad[off] == 0:
            seen += 1
            if seen == 4:
                struct.pack_into("<I", mad, off + 4, 2)
        off += mad[off + 1]
    mad[9] = 0
    mad[9] = (-sum(mad)) & 0xff
    oc = os.path.join(tmp, "APIC.oc")
    open(oc, "wb").write(mad)
    rc, doc, err = run(oc)
    would = doc["msilab_would"] if doc else {}
    point(doc and len(doc["tables"][0]["cpus"]) == 4 and would.get("cpus") == 3 and
          would.get("cpus_online_capable") == 1 and would.get("max_apic_id") == 2 and
          any("1 online-capable CPUs not started" in w for w in would.get("warnings", [])),
          "an online-capable CPU is listed, not counted among the CPUs msilab starts", would)
    rc, _, err = run()
    point(rc == 2 and "usage" in err, "no PATH: usage, exit status 2", err)

    # A Unix tool: 0 when every path was read and every table is sound, 1
    # when one is not, 2 for a usage error (docs/acpi-tool.md).
    rc, doc, err = run(FIX)
    point(rc == 0 and doc and not err, "good tables: exit status 0", (rc, err))
    rc, doc, err = run(FIX, os.path.join(tmp, "no-such-file"))
    point(rc == 1 and doc and any("cannot be read" in t.get("problem", "")
                                  for t in doc["tables"]),
          "a path that cannot be read: named, exit status 1", (rc, doc and doc["tables"][-1]))
    p = subprocess.run([TOOL, "--help"], capture_output=True, text=True)
    point(p.returncode == 0 and p.stdout.startswith("usage: msilab-acpi") and
          "file: --help" not in p.stdout and not p.stderr,
          "--help prints the usage on stdout, exit status 0, reads no file", p)
    p = subprocess.run([TOOL, FIX, "--json"], capture_output=True, text=True)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = None
    point(p.returncode == 0 and doc and len(doc["tables"]) == 6 and
          not any("--json" in t["file"] for t in doc["tables"]),
          "an option after a path is an option, not a path", p.stdout[:300])
    p = subprocess.run([TOOL, "--jsno", FIX], capture_output=True, text=True)
    point(p.returncode == 2 and "--jsno" in p.stderr and "usage" in p.stderr and not p.stdout,
          "an unknown option: named, usage, exit status 2, nothing read", p)
    p = subprocess.run([TOOL, "--json", "--", FIX], capture_output=True, text=True)
    point(p.returncode == 0 and json.loads(p.stdout)["msilab_would"]["cpus"] == 4,
          "-- ends the options", p.stderr)

    # A DMAR that fails its checksum is no VT-d: the firmware's dmar_parse
    # refuses it (kernel/main.c, drivers/iommu/intel/irq_remap.c) and
    # remapping stays off.
    vtd = os.path.join(tmp, "vtd")
    os.mkdir(vtd)
    open(os.path.join(vtd, "APIC"), "wb").write(good)
    broken = bytearray(dmar)
    broken[9] ^= 0x01
    open(os.path.join(vtd, "DMAR"), "wb").write(broken)
    rc, doc, err = run(vtd)
    d = by_file(doc, "/DMAR") if doc else []
    would = doc["msilab_would"] if doc else {}
    point(rc == 1 and d and not d[0]["parsed"] and
          any("checksum" in e for e in d[0].get("errors", [])) and
          would.get("iommu") != "vt-d" and not would.get("interrupt_remapping") and
          "checksum" in would.get("iommu_problem", "") and
          any("checksum" in w for w in would.get("warnings", [])),
          "a DMAR with a bad checksum: named as such, not vt-d, exit status 1", (rc, would))
    # A table msilab does not read (WAET) is still checked: a bad checksum fails.
    waet = bytearray(open(os.path.join(FIX, "WAET.bin"), "rb").read())
    waet[9] ^= 0x01
    other = os.path.join(tmp, "WAET")
    open(other, "wb").write(waet)
    rc, doc, err = run(other)
    point(rc == 1 and doc and "checksum" in " ".join(doc["tables"][0].get("errors", [])),
          "a table msilab does not read, with a bad checksum: named, exit status 1",
          (rc, doc))
tap.exit()
