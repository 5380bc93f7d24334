#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn an msilab serial log into JSON and latency plots.

    tools/report.py [--build-dir DIR] [LOG] [OUTDIR]

LOG defaults to the serial log of the last run of any kind under DIR
(default build/), the newest by modification time of make test's
qemu/*/serial.log, make bench's qemu/bench/*.log, make run's run/serial.log,
make soak's soak/serial.log and make lava's lava/*/serial.log; the file
chosen is printed. OUTDIR defaults to DIR/report.
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


# Where each make target leaves its serial logs, relative to the build folder.
LOG_PATTERNS = (
    "qemu/*/serial.log",    # make test: one per configuration
    "qemu/bench/*.log",     # make bench
    "run/serial.log",       # make run
    "soak/serial.log",      # make soak
    "lava/*/serial.log",    # make lava
)


def serial_logs(build):
    """Every run's serial log under the build folder, oldest first."""
    found = {p for pat in LOG_PATTERNS for p in glob.glob(os.path.join(build, pat))}
    return sorted(found, key=lambda p: (os.path.getmtime(p), p))


def newest_log(build):
    """The serial log of the last run of any kind, or None."""
    logs = serial_logs(build)
    return logs[-1] if logs else None


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
    build = harness.BUILD
    if argv[:1] == ["--build-dir"] and len(argv) > 1:
        build, argv = argv[1], argv[2:]
    if argv[:1] and argv[0].startswith("-"):
        sys.exit(__doc__)
    log = argv[0] if argv else newest_log(build)
    outdir = argv[1] if len(argv) > 1 else os.path.join(build, "report")
    if not log or not os.path.exists(log):
        sys.exit("report: no serial log %s (run make run, make test, make bench first)"
                 % (log or "under " + build))
    if not argv:
        print("report: the newest of %d serial logs: %s" % (len(serial_logs(build)), os.path.relpath(log)))
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
    if not plots:
        print("report: no latency figures in this log (LOG= picks another)")
    for p in plots:
        print("  " + p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
