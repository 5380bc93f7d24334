#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn an msilab serial log into JSON and latency plots.

    tools/report.py [--build-dir DIR] [LOG] [OUTDIR]

LOG defaults to the serial log of the last run of any kind under DIR
(default build/), the newest by modification time of make test's
qemu/*/serial.log, make bench's qemu/bench/icount0.log (its headline run;
bench's other logs are side runs of a few tests), make run's run/serial.log
and run/*.log, make soak's soak/serial.log and make lava's lava/run/serial.log (not
tests/lava's clean, noisy and cut consoles beside it);
the file chosen is printed. OUTDIR defaults to DIR/report.

Writes OUTDIR/report.json (docs/report-format.md, "report.json"; checked
against docs/report.schema.json by tests/check/report.t): the header's
fields, every test with its YAML block parsed by PyYAML (numbers as
numbers, histograms and platform blocks as objects, `unknown` as null), its
latency figures, and each exception dump's addresses as function and line
(tools/symbolize.py) where the image is at hand. For every test with
latency figures, OUTDIR/<suite.test>.png: per figure, the samples on a log
latency axis, the report's 16 buckets where they lie and the tail beyond
them spread between the percentiles that fall there, p50 and p99 marked,
and the run's context (QEMU machine, TCG/KVM/-icount, ir=, command line)
on top. PNGs of an earlier report in OUTDIR are removed first.

A file that holds no complete msilab report (another program's log, a
binary file, a log cut off before the done line or inside a YAML block, a
YAML block that does not parse) is refused: what was found is printed, the
exit status is 1, and nothing is written. Needs PyYAML and gnuplot (Debian:
python3-yaml, gnuplot-nox).
"""
import glob
import json
import math
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "qemu"))
import harness  # noqa: E402  (the TAP parser, shared)

try:
    import yaml
except ImportError:     # said when it is needed: deps.sh report installs it
    yaml = None

FORMAT = "msilab-report 1"

# Where each make target leaves its serial logs, relative to the build
# folder. make bench's headline run is icount0.log; its other logs are a
# boot with no test, a second identical run, and side runs of two tests.
LOG_PATTERNS = (
    "qemu/*/serial.log",    # make test: one per configuration
    "qemu/bench/icount0.log",   # make bench
    "run/serial.log",       # make run
    "run/*.log",            # make run, each run kept under its own name
    "soak/serial.log",      # make soak
    "lava/run/serial.log",  # make lava (tests/lava/lava.t's damaged consoles are beside it)
)

PERCENTILES = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p999", 0.999),
               ("p9999", 0.9999), ("p999999", 0.999999))


class NotAReport(Exception):
    """The file holds no complete msilab report; args[0] lists what was found."""


def serial_logs(build):
    """Every run's serial log under the build folder, oldest first."""
    found = {p for pat in LOG_PATTERNS for p in glob.glob(os.path.join(build, pat))}
    return sorted(found, key=lambda p: (os.path.getmtime(p), p))


def newest_log(build):
    """The serial log of the last run of any kind, or None."""
    logs = serial_logs(build)
    return logs[-1] if logs else None


# --- YAML, typed ----------------------------------------------------------

if yaml is not None:
    class Loader(yaml.SafeLoader):
        """PyYAML with the YAML 1.2 core schema's scalars: true/false,
        null/~, decimal and 0x integers, decimal floats; everything else a
        string (YAML 1.1 would read c1e: off as false and a BDF such as
        0000:00:03.0 as a sexagesimal number)."""

    Loader.yaml_implicit_resolvers = {}
    for tag, regexp, first in (
            ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
            ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
            ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
            ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$",
             list("-+0123456789."))):
        Loader.add_implicit_resolver(tag, re.compile(regexp), first)

    def _int(loader, node):
        text = loader.construct_scalar(node)
        return int(text, 16) if text.startswith("0x") else int(text)
    Loader.add_constructor("tag:yaml.org,2002:int", _int)


def need_yaml():
    if yaml is None:
        sys.exit("report: PyYAML is missing (Debian: apt-get install python3-yaml; or tools/deps.sh report)")


def unknown_as_null(v):
    """The firmware's `unknown` (a counter this CPU does not have) as None."""
    if isinstance(v, dict):
        return {k: unknown_as_null(x) for k, x in v.items()}
    if isinstance(v, list):
        return [unknown_as_null(x) for x in v]
    return None if v == "unknown" else v


def parse_block(lines):
    """A YAML block's lines as an object; raises yaml.YAMLError."""
    need_yaml()
    data = yaml.load("\n".join(lines), Loader=Loader)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise yaml.YAMLError("the block is a %s, not a mapping" % type(data).__name__)
    return unknown_as_null(data)


def normalize_figure(fig):
    """A figure map in place: resolution as an object either way."""
    r = fig.get("resolution")
    if r == "exact":
        fig["resolution"] = {"exact": True}
    elif isinstance(r, dict):
        fig["resolution"] = dict(exact=False, **r)
    return fig


def figures_of(block, prefix=""):
    """{label: figure} of a parsed block: every map with a histogram, ''
    for the block's own, else its key (nested deeper: 'a.b')."""
    out = {}
    if "histogram" in block:
        out[prefix] = normalize_figure(block)
    for k, v in block.items():
        if isinstance(v, dict):
            out.update(figures_of(v, prefix + "." + str(k) if prefix else str(k)))
    return out


# --- reading a log ----------------------------------------------------------

def read_text(path):
    """A file's text, or NotAReport when it is binary."""
    with open(path, "rb") as f:
        raw = f.read()
    head = raw[:65536]
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 27 or 27 < b < 32)
    if b"\0" in head or (head and ctrl > len(head) // 20):
        raise NotAReport(["a binary file (%d bytes, %d NUL and %d other control bytes in the first "
                          "%d): not a serial log" % (len(raw), head.count(b"\0"), ctrl, len(head))])
    return raw.decode("utf-8", "replace").replace("\r\n", "\n")


def describe_start(lines):
    """What a file that is not a report starts with, for the message."""
    first = next((l.strip() for l in lines if l.strip()), "")
    return "%d lines; the first: %r" % (len(lines), first[:80]) if first else "it is empty"


def load(path, allow_cut=False):
    """One log, checked and typed: dict(rep=harness.parse's, tests=[...],
    header_fields=typed, cmd=the QEMU command or None, lines). NotAReport
    lists what is wrong; allow_cut: a log cut off (a machine that hung or
    died) is not wrong, only its last block is left out."""
    text = read_text(path)
    lines = [l.rstrip("\r") for l in text.split("\n")]
    rep = harness.parse(lines)
    if rep["version"] is None:
        tap = [l for l in lines if re.match(r"^\s*TAP version \d+", l)]
        raise NotAReport(["no msilab report: no 'TAP version 13' line (%s)%s" % (
            describe_start(lines), "; a TAP stream of another version: %r" % tap[0] if tap else "")])
    problems = []
    if rep["header"] is None:
        problems.append("a TAP stream, but not msilab's: no '# msilab' header line")
    blocks = harness.yaml_blocks(lines)
    for before, first, _, closed in blocks:
        if not closed and not allow_cut:
            problems.append("cut off inside a YAML block: the one after %r (line %d) has no '  ...'"
                            % ((before or "")[:80], first))
    if rep["done"] is None and rep["bailout"] is None and not allow_cut:
        last = rep["tests"][-1] if rep["tests"] else None
        problems.append("cut off: no '# msilab done' line (%s)" % (
            "the last test point is %d - %s" % (last["num"], last["name"]) if last
            else "no test point at all"))
    nums = [t["num"] for t in rep["tests"]]
    if nums != list(range(1, len(nums) + 1)):
        again = [i for i in range(1, len(nums)) if nums[i] == 1]
        problems.append("the test points are not numbered 1, 2, 3...: %s%s" % (
            ", ".join(map(str, nums[:8])) + (", ..." if len(nums) > 8 else ""),
            " (the numbering starts again after %d points: two runs in one log? Cut it at the "
            "second 'TAP version' line)" % again[0] if again else ""))
    if rep["plan"] is not None and rep["plan"] != len(nums):
        problems.append("the plan says 1..%d, the log has %d test points" % (rep["plan"], len(nums)))
    if rep["done"]:
        counts = (sum(t["status"] == "ok" for t in rep["tests"]), sum(t["status"] == "not ok" for t in rep["tests"]),
                  sum(t["status"] == "skip" for t in rep["tests"]))
        want = "# msilab done: %d passed, %d failed, %d skipped" % counts
        if rep["done"] != want and not rep["bailout"]:
            problems.append("the done line %r does not agree with the test points (%s)"
                            % (rep["done"], want[len("# msilab done: "):]))
    tests = []
    unclosed = [b for b in blocks if not b[3]]
    for i, t in enumerate(rep["tests"]):
        if unclosed and i == len(rep["tests"]) - 1:
            t = dict(t, yaml=[])        # allow_cut: the block the log ends inside
        try:
            block = parse_block(t["yaml"]) if t["yaml"] else None
        except yaml.YAMLError as e:
            problems.append("test %d - %s: its YAML block does not parse: %s"
                            % (t["num"], t["name"], " ".join(str(e).split())))
            block = None
        tests.append(dict(num=t["num"], name=t["name"], status=t["status"],
                          directive=t["directive"], reason=t["reason"], yaml=block,
                          figures=figures_of(block) if block else {}))
    if problems:
        raise NotAReport(problems)
    hf = {k: (int(v, 16) if re.fullmatch(r"0x[0-9a-fA-F]+", v) else int(v)
              if re.fullmatch(r"\d+", v) and k != "cmdline" else v)
          for k, v in rep["header_fields"].items()}
    return dict(rep=rep, tests=tests, header_fields=hf, cmd=qemu_command_of(path), lines=lines)


def qemu_command_of(path):
    """The QEMU command that produced a log, where the harness kept it:
    LOG.cmd (harness.boot), or the summary.json beside a serial.log."""
    if os.path.exists(path + ".cmd"):
        return open(path + ".cmd").read().strip()
    summary = os.path.join(os.path.dirname(path), "summary.json")
    if os.path.basename(path) == "serial.log" and os.path.exists(summary):
        try:
            cmd = json.load(open(summary)).get("command")
            return shlex.join(cmd) if cmd else None
        except (ValueError, OSError):
            return None
    return None


def icount(cmd):
    return bool(cmd) and " -icount " in " %s " % cmd


def context(hf, cmd):
    """One line: where the figures were taken and how to read them."""
    if hf.get("platform") == "qemu":
        accel = "KVM" if hf.get("accel") == "kvm" or (cmd and "-accel kvm" in cmd) else "TCG"
        if icount(cmd):
            accel += " -icount (ns of virtual time = instructions)"
        where = "QEMU %s, %s" % (hf.get("qemu_machine", "?"), accel)
    else:
        where = "bare metal"
    return "%s, boot=%s, cpus=%s, apic=%s, iommu=%s ir=%s, cmdline=\"%s\"" % (
        where, hf.get("boot", "?"), hf.get("cpus", "?"), hf.get("apic", "?"),
        hf.get("iommu", "?"), hf.get("ir", "?"), hf.get("cmdline", ""))


def unit_name(fig, cmd):
    """The unit a person should read the figure in."""
    u = fig.get("unit", "ns")
    if u == "ns" and icount(cmd):
        return "instructions"
    return "TSC cycles" if u == "tsc_cycles" else u


# --- plots ------------------------------------------------------------------

def bars(fig):
    """[(x_lo, x_hi, count, tail)]: the histogram's buckets, then the tail
    (its overflow) from the bucket end to max, cut at each percentile
    that lies there, each piece holding the samples between them."""
    h, n = fig.get("histogram") or {}, fig.get("samples") or 0
    if not h or not n:
        return []
    lo, w, counts = h["lo"], h["width"], h["counts"]
    # A log axis has no 0: a bucket that starts below min starts at min,
    # and one from 0 (min 0) is drawn over its top decade.
    least = fig.get("min") or 0
    out = [(max(lo + i * w, least, (lo + (i + 1) * w) / 10), lo + (i + 1) * w, c, False)
           for i, c in enumerate(counts) if c]
    x, below = lo + len(counts) * w, n - h["overflow"]
    cuts = sorted((fig[k], f) for k, f in PERCENTILES if isinstance(fig.get(k), int) and fig[k] > x)
    cuts.append((fig.get("max", x), 1.0))
    for edge, frac in cuts:
        upto = min(n, max(below, round(frac * n)))
        if upto > below and edge > x:
            out.append((x, edge, upto - below, True))
            below, x = upto, edge
        elif upto > below:          # no room left: onto the last piece
            if out and out[-1][3]:
                a, b, c, _ = out[-1]
                out[-1] = (a, b, c + upto - below, True)
            below = upto
    return out


def quote(text):
    """A gnuplot double-quoted string (\\n ends a line)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def wrap(text, width):
    """Text cut at spaces into lines of at most width characters."""
    lines, cur = [], ""
    for word in text.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = (cur + " " + word) if cur else word
    return lines + [cur]


PANEL_W, PANEL_H, LINE_H = 720, 400, 16


def plot(test, figs, ctx, cmd, out_png):
    """One PNG per test: the test and the run's context on top, then a
    panel per figure, two to a row."""
    n = len(figs)
    cols = min(n, 2)
    rows = (n + cols - 1) // cols
    width = PANEL_W * cols
    head = wrap(ctx, width // 7)
    head_h = LINE_H * (len(head) + 1) + 12
    height = head_h + PANEL_H * rows
    sy = lambda px: 1 - px / height         # noqa: E731  (pixels from the top, as a screen y)
    script = ["set terminal pngcairo noenhanced size %d,%d font 'sans,9'" % (width, height),
              "set output %s" % quote(out_png), "set multiplot",
              "set label 100 %s at screen 0.5, %f center font 'sans,11'" % (quote(test), sy(LINE_H))]
    for i, line in enumerate(head):
        script.append("set label %d %s at screen 0.5, %f center" % (101 + i, quote(line), sy(LINE_H * (i + 2))))
    script += ["set logscale x", "set logscale y", "set format x '%.0s%c'", "set format y '%.0s%c'",
               "set grid xtics mxtics ytics", "set style fill solid 0.7 border lc rgb '#203050'",
               "set key top right opaque samplen 2"]
    for k, (name, f) in enumerate(figs.items()):
        unit = unit_name(f, cmd)
        b = bars(f)
        r, c = divmod(k, cols)
        x0, top = c * PANEL_W / width, head_h + r * PANEL_H
        title = "%s: %s samples, p50 %s, p99 %s, max %s %s" % (
            name or test, f.get("samples"), f.get("p50"), f.get("p99"), f.get("max"), unit)
        title_lines = wrap(title, PANEL_W // 7)
        script += ["set lmargin at screen %f" % (x0 + 70 / width),
                   "set rmargin at screen %f" % (x0 + (PANEL_W - 20) / width),
                   "set tmargin at screen %f" % sy(top + 12 + LINE_H * len(title_lines)),
                   "set bmargin at screen %f" % sy(top + PANEL_H - 50)]
        xmin = min(a for a, _, _, _ in b)
        xmax = max(z for _, z, _, _ in b)
        ymax = max(cnt for _, _, cnt, _ in b)
        # Less than a decade and a half wide (a path length under -icount
        # is one value): a log axis would show no tic, a linear one does.
        logx = xmax / max(xmin, 1) >= 30
        script += ["set title %s" % quote("\n".join(title_lines)),
                   "set logscale x" if logx else "unset logscale x",
                   "set format x '%.0s%c'" if logx else "set format x '%g'",
                   "set xlabel %s" % quote("%s%s" % (unit, " (log scale)" if logx else "")),
                   "set ylabel 'samples in the bar (log scale)'",
                   "set xrange [%g:%g]" % ((xmin / 1.15, xmax * 1.15) if logx else
                                           (max(0, xmin - (xmax - xmin) * 0.1 - 1), xmax + (xmax - xmin) * 0.1 + 1)),
                   # Two decades of headroom: the key and the labels above the bars.
                   "set yrange [0.7:%g]" % (ymax * 300), "unset arrow"]
        for i in range(2):
            script.append("unset label %d" % (i + 1))
        same = f.get("p50") == f.get("p99")
        for i, (key, color, y) in enumerate((("p50", "#c00000", 0.70), ("p99", "#e07000", 0.62))):
            val = f.get(key)
            if isinstance(val, int) and val > 0 and not (same and key == "p99"):
                text = "p50 = p99 = %s" % val if same else "%s %s" % (key, val)
                lo, hi = (xmin / 1.15, xmax * 1.15)
                frac = ((math.log(val) - math.log(lo)) / (math.log(hi) - math.log(lo)) if logx
                        else (val - xmin) / max(xmax - xmin, 1))
                side = "right offset -0.5,0" if frac > 0.7 else "left offset 0.5,0"
                script += ["set arrow %d from %d, graph 0 to %d, graph 1 nohead lw 2 lc rgb '%s' dt %d"
                           % (i + 1, val, val, color, 1 if key == "p50" else 2),
                           "set label %d %s at %d, graph %.2f %s tc rgb '%s'"
                           % (i + 1, quote(text), val, y, side, color)]
        row = "%g %g %g %g 0.7 %d"
        head_rows = [row % ((a + z) / 2, cnt, a, z, cnt) for a, z, cnt, tail in b if not tail]
        tail_rows = [row % ((a + z) / 2, cnt, a, z, cnt) for a, z, cnt, tail in b if tail]
        curves, data = [], []
        if head_rows:
            curves.append("'-' using 1:2:3:4:5:6 with boxxyerror lc rgb '#3060a0' title "
                          "\"the report's 16 buckets\"")
            data.append("\n".join(head_rows) + "\ne")
        if tail_rows:
            curves.append("'-' using 1:2:3:4:5:6 with boxxyerror lc rgb '#f0a040' title "
                          "\"beyond them: samples between percentiles\"")
            data.append("\n".join(tail_rows) + "\ne")
        curves.append("NaN with lines lw 2 lc rgb '#c00000' title 'p50'")
        curves.append("NaN with lines lw 2 dt 2 lc rgb '#e07000' title 'p99'")
        script.append("plot " + ", ".join(curves))
        script += data
        if k == 0:      # the header once
            script += ["unset label %d" % (100 + i) for i in range(len(head) + 1)]
    script.append("unset multiplot")
    subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True, check=True)


# --- the command ------------------------------------------------------------

def report_json(log, r):
    rep = r["rep"]
    done = None
    if rep["done"]:
        m = re.match(r"# msilab done: (\d+) passed, (\d+) failed, (\d+) skipped", rep["done"])
        if m:
            done = dict(passed=int(m.group(1)), failed=int(m.group(2)), skipped=int(m.group(3)))
    return dict(format=FORMAT, log=log, qemu_command=r["cmd"],
                context=context(r["header_fields"], r["cmd"]),
                header=rep["header"], header_fields=r["header_fields"], warnings=rep["warnings"],
                bailout=rep["bailout"], plan=rep["plan"], done=done, tests=r["tests"])


def main(argv):
    build = harness.BUILD
    if argv[:1] == ["--build-dir"] and len(argv) > 1:
        build, argv = argv[1], argv[2:]
    if (argv[:1] and argv[0].startswith("-")) or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    need_yaml()
    log = argv[0] if argv else newest_log(build)
    outdir = argv[1] if len(argv) > 1 else os.path.join(build, "report")
    if not log:
        print("report: no serial log under %s (make run, make test or make bench leave one; "
              "LOG= names another)" % build, file=sys.stderr)
        return 1
    if not os.path.isfile(log):
        print("report: %s: no such file" % log, file=sys.stderr)
        return 1
    if not argv:
        print("report: the newest of %d serial logs: %s" % (len(serial_logs(build)), os.path.relpath(log)))
    try:
        r = load(log)
    except NotAReport as e:
        print("report: %s holds no msilab report to turn into one:" % log, file=sys.stderr)
        for p in e.args[0]:
            print("  " + p, file=sys.stderr)
        print("report: nothing written (LOG= names another serial log)", file=sys.stderr)
        return 1
    import symbolize
    syms = symbolize.symbolize(r["lines"], r["header_fields"], build, log)
    os.makedirs(outdir, exist_ok=True)
    for old in glob.glob(os.path.join(outdir, "*.png")):
        os.unlink(old)
    ctx = context(r["header_fields"], r["cmd"])
    plots = []
    for t in r["tests"]:
        figs = {k: f for k, f in t["figures"].items() if bars(f)}
        if figs:
            png = os.path.join(outdir, t["name"] + ".png")
            plot(t["name"], figs, ctx, r["cmd"], png)
            plots.append(png)
    out = report_json(log, r)
    out["exceptions"] = syms["exceptions"]
    out["symbols"] = syms["image"]
    tmp = os.path.join(outdir, "report.json.tmp")
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1)
    os.replace(tmp, os.path.join(outdir, "report.json"))
    print("report: %s -> %s/report.json, %d plots" % (log, outdir, len(plots)))
    print("report: %s" % ctx)
    if not plots:
        print("report: no latency figures in this log (LOG= picks another)")
    for p in plots:
        print("  " + p)
    for line in symbolize.format_exceptions(syms):
        print("report: " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
