#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""tools/report.py, tools/symbolize.py and tools/compare.py on what a user
gives them: a committed sample log (tests/check/fixtures/report-sample.log,
a real run: latency figures of both resolutions, an exception, a SKIP, a
figure left out with a loss and without), whose report.json must hold to
docs/report.schema.json with numbers as numbers and histograms and platform
blocks as objects; a fresh QEMU boot of selftest.unguarded_ud, whose dump
must come out as the test's function and line; stale plots removed; the
unit under -icount; and bad input (README.md, a binary file, a log cut off
inside a YAML block or before its done line, another program's TAP, an
empty file), refused with what was found, exit status 1 and nothing
written."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap  # noqa: E402

tap = Tap()
point, skip = tap.point, tap.skip
REPORT = os.path.join(ROOT, "tools", "report.py")
COMPARE = os.path.join(ROOT, "tools", "compare.py")
SYMBOLIZE = os.path.join(ROOT, "tools", "symbolize.py")
SAMPLE = os.path.join(ROOT, "tests", "check", "fixtures", "report-sample.log")
SCHEMA = os.path.join(ROOT, "docs", "report.schema.json")
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import report   # noqa: E402


def run(*args):
    p = subprocess.run([sys.executable] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def schema_errors(doc):
    try:
        import jsonschema
    except ImportError:
        return None
    schema = json.load(open(SCHEMA))
    jsonschema.Draft202012Validator.check_schema(schema)
    return ["%s: %s" % (list(e.absolute_path), e.message[:300])
            for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]


def walk(v, path=""):
    """Every (path, value) of a JSON document."""
    yield path, v
    if isinstance(v, dict):
        for k, x in v.items():
            yield from walk(x, path + "/" + str(k))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from walk(x, path + "/%d" % i)


have_gnuplot = shutil.which("gnuplot") is not None
print("1..22")
tmp = tempfile.mkdtemp(prefix="msilab-report-")
try:
    out = os.path.join(tmp, "out")
    os.makedirs(out)
    with open(os.path.join(out, "stale.test.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\nan earlier report's")
    sample = os.path.join(tmp, "sample.log")
    shutil.copy(SAMPLE, sample)

    rc, so, se = run(REPORT, sample, out)
    point(rc == 0 and "report.json" in so, "the sample log is reported, exit status 0", (rc, so, se))
    doc = json.load(open(os.path.join(out, "report.json")))
    errs = schema_errors(doc)
    if errs is None:
        skip("report.json holds to docs/report.schema.json", "no jsonschema (python3-jsonschema)")
    else:
        point(not errs, "report.json holds to docs/report.schema.json", errs)
    tests = {t["name"]: t for t in doc["tests"]}
    fig = tests["edu.msi_latency"]["figures"].get("cpu0", {})
    point(isinstance(fig.get("samples"), int) and isinstance(fig.get("p50"), int) and
          isinstance(fig.get("histogram"), dict) and
          all(isinstance(c, int) for c in fig["histogram"].get("counts", [None])) and
          fig.get("resolution") == {"exact": False, "percentiles_ppm": 3907, "kept": 16384},
          "a figure: numbers as numbers, the histogram and resolution as objects", fig)
    plat = tests["lapic.self_ipi_latency"]["yaml"].get("platform")
    point(isinstance(plat, dict) and plat.get("cpu") == 0 and plat.get("smis") is None and
          plat.get("idle") == "halt",
          "the platform block: an object, `unknown` as null", plat)
    strings_of_numbers = [(p, v) for p, v in walk(doc) if isinstance(v, str) and v.lstrip("-").isdigit()
                          and not p.endswith(("/reason", "/message", "/cmdline"))]
    point(not strings_of_numbers, "no number is a string anywhere in report.json", strings_of_numbers[:10])
    hf = doc["header_fields"]
    point(hf.get("cpus") == 2 and isinstance(hf.get("tsc_hz"), int) and isinstance(hf.get("image"), int)
          and hf.get("accel") == "tcg",
          "header fields: cpus, tsc_hz and image as numbers, accel=tcg", hf)
    left = tests["selftest.lost_while_figure_left_out"]
    skipped = tests["selftest.left_out_skips"]
    point(left["status"] == "not ok" and left["yaml"]["figure"]["figure"] == "left out" and
          left["yaml"]["figure"]["lost"] == 3 and "message" in left["yaml"] and left["figures"] == {} and
          skipped["status"] == "skip" and skipped["directive"] == "SKIP" and
          skipped["yaml"]["figure"]["wait_ms"] == 20,
          "a left-out figure, failed and skipped: its keys stay its own, no figure plotted", (left, skipped))
    ud = tests["selftest.unguarded_ud"]
    point(ud["status"] == "not ok" and isinstance(ud["yaml"]["rip"], int) and
          ud["yaml"]["exception"]["name"] == "#UD" and doc["exceptions"] and
          doc["exceptions"][0]["where"] == "selftest.unguarded_ud" and
          doc["exceptions"][0]["address"] == ud["yaml"]["rip"],
          "the exception dump: rip a number, listed under exceptions", doc["exceptions"])
    if have_gnuplot:
        pngs = sorted(os.listdir(out))
        point(pngs == ["edu.msi_latency.png", "lapic.self_ipi_latency.png", "report.json"],
              "one plot per test with figures; the earlier report's PNG is gone", pngs)
        point(all(open(os.path.join(out, p), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
                  for p in pngs if p.endswith(".png")), "the plots are PNG files")
    else:
        skip("one plot per test with figures", "no gnuplot")
        skip("the plots are PNG files", "no gnuplot")
    point("QEMU pc-q35-10.0, TCG," in doc["context"] and 'cmdline="tests=selftest.unguarded_ud' in doc["context"]
          and "ir=off" in doc["context"], "the context: QEMU machine, TCG, ir=, the command line",
          doc["context"])

    # The tail where it lies: the histogram's buckets, then the overflow
    # cut at the percentiles beyond them, all samples once, up to max.
    f = tests["lapic.self_ipi_latency"]["figures"][""]
    b = report.bars(f)
    point(sum(c for _, _, c, _ in b) == f["samples"] and b[-1][1] == f["max"] and
          all(b[i][1] <= b[i + 1][0] + 1e-9 for i in range(len(b) - 1)) and
          any(t and lo <= f["p99"] <= hi for lo, hi, _, t in b),
          "bars: every sample once, in order, the last ending at max, p99 inside the tail", (f, b))
    h = dict(f["histogram"], lo=0)
    b0 = report.bars(dict(f, histogram=h, min=0))
    point(all(lo > 0 for lo, _, _, _ in b0), "a bucket from 0 is drawn from above 0 (a log axis)", b0[:3])

    # -icount: the command kept beside the log says so; ns become instructions.
    with open(sample + ".cmd", "w") as fcmd:
        fcmd.write("qemu-system-x86_64 -M q35 -kernel build/msilab.elf -icount shift=0,sleep=off\n")
    rc, so, se = run(REPORT, sample, out)
    doc2 = json.load(open(os.path.join(out, "report.json")))
    point(rc == 0 and "-icount" in doc2["context"] and "-icount" in doc2["qemu_command"] and
          report.unit_name(f, doc2["qemu_command"]) == "instructions" and
          report.unit_name(f, None) == "ns",
          "under -icount the context says so and the unit is instructions", (doc2["context"], se))
    os.unlink(sample + ".cmd")

    # Bad input: refused, with what was found, and nothing written.
    bad = {}
    with open(os.path.join(tmp, "binary.log"), "wb") as fb:
        fb.write(bytes(range(256)) * 40)
    bad["binary.log"] = "a binary file"
    lines = open(SAMPLE).read().split("\n")
    cut = next(i for i, l in enumerate(lines) if l.startswith("    histogram:"))
    with open(os.path.join(tmp, "cut-mid-block.log"), "w") as fc:
        fc.write("\n".join(lines[:cut]) + "\n")
    bad["cut-mid-block.log"] = "cut off inside a YAML block"
    done = next(i for i, l in enumerate(lines) if l.startswith("not ok 3 "))
    with open(os.path.join(tmp, "cut-after-point.log"), "w") as fc:
        fc.write("\n".join(lines[:done + 1]) + "\n")
    bad["cut-after-point.log"] = "cut off: no '# msilab done' line (the last test point is 3"
    with open(os.path.join(tmp, "other.tap"), "w") as fo:
        fo.write("TAP version 14\n1..2\nok 1 - something\nok 2 - else\n")
    bad["other.tap"] = "not msilab's: no '# msilab' header line"
    with open(os.path.join(tmp, "tap12.log"), "w") as fo:
        fo.write("TAP version 12\nok 1 - x\n1..1\n")
    bad["tap12.log"] = "a TAP stream of another version"
    open(os.path.join(tmp, "empty.log"), "w").close()
    bad["empty.log"] = "it is empty"
    broken = [l.replace("  histogram: {lo:", "  histogram: {lo: [") if l.startswith("  histogram:") else l
              for l in lines]
    with open(os.path.join(tmp, "bad-yaml.log"), "w") as fy:
        fy.write("\n".join(broken))
    bad["bad-yaml.log"] = "test 1 - lapic.self_ipi_latency: its YAML block does not parse"
    shutil.copy(os.path.join(ROOT, "README.md"), os.path.join(tmp, "README.md"))
    # README.md shows a report's excerpt: whatever it shows, not a whole report.
    bad["README.md"] = ("no 'TAP version 13' line|no '# msilab' header|the plan says|"
                        "not numbered|cut off")
    got = {}
    for name, want in bad.items():
        fresh = os.path.join(tmp, "out-" + name)
        rc, so, se = run(REPORT, os.path.join(tmp, name), fresh)
        got[name] = (rc, re.search(want if name == "README.md" else re.escape(want), se) is not None,
                      os.path.exists(fresh), se)
    point(all(rc == 1 and said and not wrote for rc, said, wrote, _ in got.values()),
          "make report on bad input: exit 1, says what it found, writes nothing",
          {k: v for k, v in got.items() if not (v[0] == 1 and v[1] and not v[2])})
    rc, so, se = run(REPORT, os.path.join(tmp, "README.md"), out)
    point(rc == 1 and json.load(open(os.path.join(out, "report.json"))) == doc2,
          "a refused log leaves the last report as it was", se)
    got = {}
    for name, want in bad.items():
        cmp_out = os.path.join(tmp, "cmp-" + name)
        rc, so, se = run(COMPARE, "--outdir", cmp_out, sample, os.path.join(tmp, name))
        got[name] = (rc, re.search(want if name == "README.md" else re.escape(want), se) is not None,
                      os.path.exists(cmp_out), so)
    point(all(rc == 1 and said and not wrote and not so for rc, said, wrote, so in got.values()),
          "make compare with a bad log among good ones: exit 1, says what, prints and writes nothing",
          {k: v for k, v in got.items() if not (v[0] == 1 and v[1] and not v[2] and not v[3])})
    rc, so, se = run(SYMBOLIZE, os.path.join(tmp, "README.md"))
    point(rc == 1 and "no msilab report" in se, "symbolize refuses a file with no report", se)

    # make report with no LOG=: make bench's side logs are never chosen.
    build = os.path.join(tmp, "build")
    for rel, t in (("qemu/bench/icount0.log", 10), ("qemu/bench/icount1.log", 20),
                   ("qemu/bench/icount-ir.log", 30), ("qemu/bench/icount-amd.log", 40),
                   ("qemu/bench/tcg.log", 50), ("qemu/bench/kernel.log", 60)):
        os.makedirs(os.path.dirname(os.path.join(build, rel)), exist_ok=True)
        shutil.copy(SAMPLE, os.path.join(build, rel))
        os.utime(os.path.join(build, rel), (1e9 + t, 1e9 + t))
    chosen = report.newest_log(build)
    point(chosen and os.path.relpath(chosen, build) == "qemu/bench/icount0.log",
          "after make bench, make report picks its headline run, icount0.log", chosen)

    # A fresh boot: the dump of selftest.unguarded_ud as its function and line.
    elf = os.path.join(ROOT, "build", "msilab.elf")
    if not shutil.which("qemu-system-x86_64") or not os.path.exists(elf) or not shutil.which("addr2line"):
        for d in ("symbolize: the #UD's rip is test_selftest_unguarded_ud in tests/fw/selftest.c",
                  "make report puts the same into report.json", "the header's image= is where the ELF lies"):
            skip(d, "needs qemu-system-x86_64, build/msilab.elf and addr2line")
    else:
        import harness
        cfg = dict(harness.CONFIGS["kernel"], cmdline="tests=selftest.unguarded_ud")
        log = os.path.join(tmp, "boot", "serial.log")
        os.makedirs(os.path.dirname(log))
        harness.boot(harness.qemu_command("report-check", cfg, "stdio"), 120, log)
        rc, so, se = run(SYMBOLIZE, log)
        first = so.splitlines()[0] if so else ""
        point(rc == 0 and first.startswith("selftest.unguarded_ud: rip 0x") and
              "= test_selftest_unguarded_ud at tests/fw/selftest.c:" in first,
              "symbolize: the #UD's rip is test_selftest_unguarded_ud in tests/fw/selftest.c", (rc, so, se))
        rc, so, se = run(REPORT, log, os.path.join(tmp, "boot-report"))
        ex = json.load(open(os.path.join(tmp, "boot-report", "report.json")))["exceptions"] if rc == 0 else []
        point(rc == 0 and ex and ex[0]["frames"] and ex[0]["frames"][0]["function"] == "test_selftest_unguarded_ud"
              and "= test_selftest_unguarded_ud at" in so,
              "make report puts the same into report.json and prints it", (rc, so, se, ex))
        hf = report.load(log)["header_fields"]
        point(hf.get("image") == 0x100000, "the header's image= is where the ELF lies (0x100000 under -kernel)",
              hf.get("image"))
finally:
    shutil.rmtree(tmp)
tap.exit()
