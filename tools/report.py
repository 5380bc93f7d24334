#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn an msilab serial log into JSON and latency plots.

    tools/report.py [LOG] [OUTDIR]

LOG defaults to the newest build/qemu/*/serial.log; OUTDIR to build/report.
Writes OUTDIR/report.json (header, every test with its YAML figures) and,
for every test with latency figures, OUTDIR/<suite.test>.png: one histogram
per figure (from the report's own 16 buckets, the overflow bucket drawn at
the right edge) with p50 and p99 marked. Needs gnuplot (Debian: gnuplot-nox).
"""
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "qemu"))
import harness  # noqa: E402  (the TAP parser, shared)


def figures(yaml_lines):
    """{figure name: {key: value}}: '' for top-level keys, else the nested map's name."""
    out, cur = {"": {}}, ""
    for line in yaml_lines:
        m = re.match(r"^(\s*)(\w+):(?: (.*))?$", line)
        if not m:
            continue
        indent, key, val = m.groups()
        if not indent:
            if val is None:
                cur = key
                out.setdefault(cur, {})
                continue
            cur = ""
        out.setdefault(cur, {})[key] = val
    return {k: v for k, v in out.items() if "histogram" in v}


def histogram(text):
    m = re.match(r"\{lo: (\d+), width: (\d+), counts: \[([\d, ]*)\], overflow: (\d+)\}", text)
    if not m:
        return None
    return dict(lo=int(m.group(1)), width=int(m.group(2)),
                counts=[int(c) for c in m.group(3).split(",") if c.strip()], overflow=int(m.group(4)))


def plot(test, figs, unit, out_png):
    n = len(figs)
    cols = min(n, 2)
    rows = (n + cols - 1) // cols
    script = ["set terminal pngcairo noenhanced size %d,%d font 'sans,9'" % (560 * cols, 330 * rows),
              "set output '%s'" % out_png,
              "set multiplot layout %d,%d title '%s'" % (rows, cols, test),
              "set style fill solid 0.6", "set boxwidth 0.9 relative", "set grid ytics",
              "set ylabel 'samples'", "set xlabel '%s'" % unit, "unset key"]
    data = []
    for name, f in figs.items():
        h = histogram(f["histogram"])
        rows_ = ["%g %d" % (h["lo"] + (i + 0.5) * h["width"], c) for i, c in enumerate(h["counts"])]
        over_x = h["lo"] + (len(h["counts"]) + 0.5) * h["width"]
        rows_.append("%g %d" % (over_x, h["overflow"]))
        p50, p99 = f.get("p50", "0"), f.get("p99", "0")
        title = "%s  p50 %s  p99 %s  max %s %s  (n=%s; last bar: beyond)" % (
            name or test, p50, p99, f.get("max", "?"), unit, f.get("samples", "?"))
        script += ["set title '%s'" % title,
                   "set arrow 1 from %s, graph 0 to %s, graph 1 nohead lc rgb 'red'" % (p50, p50),
                   "plot '-' using 1:2 with boxes lc rgb '#3060a0'"]
        data.append("\n".join(rows_) + "\ne")
        script.append(data[-1])
    script.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=True)


def main(argv):
    logs = sorted(glob.glob(os.path.join(harness.BUILD, "qemu", "*", "serial.log")), key=os.path.getmtime)
    log = argv[0] if argv else (logs[-1] if logs else None)
    outdir = argv[1] if len(argv) > 1 else os.path.join(harness.BUILD, "report")
    if not log or not os.path.exists(log):
        sys.exit("report: no serial log (run make run or make test first)")
    text = open(log, "rb").read().decode("utf-8", "replace").replace("\r\n", "\n")
    rep = harness.parse(text.split("\n"))
    os.makedirs(outdir, exist_ok=True)
    tests, plots = [], []
    for t in rep["tests"]:
        figs = figures(t["yaml"])
        entry = dict(num=t["num"], name=t["name"], status=t["status"], reason=t["reason"],
                     fields=harness.yaml_fields(t["yaml"]), figures=figs)
        tests.append(entry)
        if figs:
            unit = next(iter(figs.values())).get("unit", "ns")
            png = os.path.join(outdir, t["name"] + ".png")
            plot(t["name"], figs, unit, png)
            plots.append(png)
    with open(os.path.join(outdir, "report.json"), "w") as f:
        json.dump(dict(log=log, header=rep["header"], header_fields=rep["header_fields"],
                       warnings=rep["warnings"], done=rep["done"], tests=tests), f, indent=1)
    print("report: %s -> %s/report.json, %d plots" % (log, outdir, len(plots)))
    for p in plots:
        print("  " + p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
