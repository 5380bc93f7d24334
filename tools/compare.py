#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare the latency figures of several msilab serial logs.

    tools/compare.py [--outdir DIR] [--no-plots] [NAME=]LOG [NAME=]LOG...
    make compare LOGS="ir-on=a.log ir-off=b.log"

Each LOG is one run (two machines, IR on and off, xAPIC and x2APIC, QEMU 7.2
and 10); NAME= names it, else its path does, cut to the part that differs
from the other paths (build/qemu/a/serial.log, build/qemu/b/serial.log: a,
b). Prints each run's '# msilab' header line and the header fields that
differ, then one table: a row per figure (test, or test.label for a test
with several figures), for each run its samples, p50, p99 and max, then
each later run's p50 and p99 over the first run's. A figure a run does not
have shows as "-", and so does a ratio of figures in different units.

For each figure present in two or more runs (in one unit), writes
DIR/<figure>.png (DIR defaults to build/compare, its earlier PNGs removed
first; --no-plots: none): the
runs' distributions overlaid as CDFs, latency on a log axis, one curve per
run. The report holds no samples, so each curve is reconstructed from the
report's percentiles (min, p50, p90, p99, p999, p9999, p999999, max) and
its 16-bucket histogram; the plots say so. A file that holds no complete
msilab report (tools/report.py's checks: another program's log, a binary
file, a log cut off, a YAML block that does not parse) stops it with what
was found, exit status 1, before anything is printed or written. Needs
PyYAML and gnuplot (Debian: python3-yaml, gnuplot-nox).
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "qemu"))
import harness  # noqa: E402  (the build folder)
import report   # noqa: E402  (the log reader, shared: checks and types the report)

PERCENTILES = (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p999", 0.999),
               ("p9999", 0.9999), ("p999999", 0.999999))


def short_names(paths):
    """Each path cut to the part that differs from the others: the folders
    and file name they all share at either end, and a shared extension,
    left off (build/qemu/a/serial.log, build/qemu/b/serial.log: a, b).
    The paths as given where that leaves names empty or alike."""
    parts = [os.path.normpath(p).split(os.sep) for p in paths]
    shortest = min(len(p) for p in parts)
    head = 0
    while head < shortest - 1 and len({p[head] for p in parts}) == 1:
        head += 1
    tail = 0
    while tail < shortest - 1 - head and len({p[-1 - tail] for p in parts}) == 1:
        tail += 1
    names = [os.sep.join(p[head:len(p) - tail]) for p in parts]
    exts = {os.path.splitext(n)[1] for n in names}
    if len(exts) == 1 and "" not in exts:
        names = [os.path.splitext(n)[0] for n in names]
    if len(paths) == 1 or "" in names or len(set(names)) < len(names):
        return list(paths)
    return names


def run_specs(args):
    """[(name, path)] of the command line's 'NAME=path' or 'path' arguments;
    an unnamed run is called by short_names."""
    specs = []
    for a in args:
        if "=" in a and not os.path.exists(a):
            specs.append(tuple(a.split("=", 1)))
        else:
            specs.append((None, a))
    short = short_names([p for _, p in specs])
    return [(n or s, p) for (n, p), s in zip(specs, short)]


def run_figures(tests):
    """{figure: {key: value}} of report.load's tests: every YAML map with a
    histogram, top level (named after the test) or nested (test.label).
    A test that appears more than once (a soak) gives its last figures."""
    out = {}
    for t in tests:
        for label, fig in t["figures"].items():
            out[t["name"] + ("." + label if label else "")] = fig
    return out


def load(name, path):
    """One run: its name, path, header line and fields, figures. Raises
    report.NotAReport for a file that holds no complete report."""
    r = report.load(path)
    return dict(name=name, path=path, header=r["rep"]["header"], fields=r["rep"]["header_fields"],
                figures=run_figures(r["tests"]), cmd=r["cmd"])


def differing_fields(runs):
    """Header fields whose values are not the same in every run:
    [(key, [value per run])], in the first run's order."""
    keys = []
    for r in runs:
        keys += [k for k in r["fields"] if k not in keys]
    out = []
    for k in keys:
        vals = [r["fields"].get(k, "-") for r in runs]
        if len(set(vals)) > 1:
            out.append((k, vals))
    return out


def ratio(a, b):
    """b over a as text, '-' where either is missing or a is 0."""
    if not isinstance(a, int) or not isinstance(b, int) or a == 0:
        return "-"
    return "%.2f" % (b / a)


def figure_names(runs):
    """Every figure of any run, in the order the runs report them."""
    names = []
    for r in runs:
        names += [f for f in r["figures"] if f not in names]
    return names


def table(runs):
    """The comparison: (groups, rows). rows[0] names the columns; groups
    are (label, number of columns) over them: the figure, each run, each
    later run over the first."""
    base = runs[0]
    groups = [("", 2)] + [(r["name"], 4) for r in runs]
    groups += [("%s/%s" % (r["name"], base["name"]), 2) for r in runs[1:]]
    head = ["figure", "unit"] + ["n", "p50", "p99", "max"] * len(runs) + ["p50", "p99"] * (len(runs) - 1)
    rows = [head]
    for fig in figure_names(runs):
        figs = [r["figures"].get(fig) for r in runs]
        units = sorted({f.get("unit", "?") for f in figs if f})
        row = [fig, "/".join(units)]
        for f in figs:
            row += [str(f.get(c, "-")) if f else "-" for c in ("samples", "p50", "p99", "max")]
        for f in figs[1:]:
            for c in ("p50", "p99"):
                comparable = f and figs[0] and len(units) == 1
                row.append(ratio(figs[0].get(c), f.get(c)) if comparable else "-")
        rows.append(row)
    return groups, rows


def format_table(groups, rows):
    """Text lines: the group labels over their columns, then the rows, each
    column padded to its widest cell (the figure and unit left-aligned)."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    col = 0
    for label, n in groups:
        span = sum(widths[col:col + n]) + 2 * (n - 1)
        widths[col] += max(0, len(label) + 2 - span)
        col += n
    top, col = [], 0
    for label, n in groups:
        span = sum(widths[col:col + n]) + 2 * (n - 1)
        top.append((" %s " % label).center(span, "-") if label else " " * span)
        col += n
    lines = ["  ".join(top).rstrip()]
    for r in rows:
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
    return lines


def cdf_points(fig):
    """[(latency, cumulative fraction)] of one figure, nondecreasing: (min, 0),
    the histogram's bucket edges (the fraction of samples below each), each
    percentile at its fraction, (max, 1). The latency is at least 1 (the
    axis is logarithmic)."""
    pts = []
    if isinstance(fig.get("min"), int):
        pts.append((fig["min"], 0.0))
    h = fig.get("histogram")
    if isinstance(h, dict):
        total = sum(h["counts"]) + h["overflow"]
        below = 0
        for i, c in enumerate(h["counts"]):
            below += c
            if total:
                pts.append((h["lo"] + (i + 1) * h["width"], below / total))
    for key, frac in PERCENTILES:
        if isinstance(fig.get(key), int):
            pts.append((fig[key], frac))
    if isinstance(fig.get("max"), int):
        pts.append((fig["max"], 1.0))
    pts.sort()
    out, top = [], 0.0
    for x, y in pts:
        top = max(top, y)
        out.append((max(x, 1), top))
    return out


def quote(text):
    """A gnuplot single-quoted string."""
    return "'" + str(text).replace("'", "''") + "'"


def plot_cdf(fig_name, runs, out_png):
    """One PNG: the CDF of this figure in each of the runs, overlaid."""
    # Under -icount (the command the harness kept beside the log) a ns of
    # virtual time is an instruction.
    units = {report.unit_name(r["figures"][fig_name], r["cmd"]) for r in runs}
    unit = " or ".join(sorted(units))
    script = ["set terminal pngcairo noenhanced size 720,400 font 'sans,9'",
              "set output %s" % quote(out_png),
              "set title %s" % quote("%s: CDF reconstructed from the report's percentiles "
                                     "and 16-bucket histogram" % fig_name),
              "set logscale x", "set format x '%.0f'", "set grid xtics mxtics ytics", "set yrange [0:1.02]",
              "set xlabel %s" % quote("latency (%s, log scale)" % unit),
              "set ylabel 'cumulative fraction of samples'", "set key right bottom"]
    curves, data, xs = [], [], []
    for r in runs:
        f = r["figures"][fig_name]
        pts = cdf_points(f)
        xs += [x for x, _ in pts]
        curves.append("'-' using 1:2 with linespoints lw 1.5 pt 7 ps 0.5 title %s" % quote(
            "%s: p50 %s, p99 %s, max %s (n=%s)" % (r["name"], f.get("p50", "?"), f.get("p99", "?"),
                                                   f.get("max", "?"), f.get("samples", "?"))))
        data.append("\n".join("%d %.6f" % p for p in pts) + "\ne")
    if xs:
        script.append("set xrange [%g:%g]" % (min(xs) / 1.25, max(xs) * 1.25))
    script.append("plot " + ", ".join(curves))
    script += data
    subprocess.run(["gnuplot"], input="\n".join(script) + "\n", text=True, check=True)


def plot_all(runs, outdir):
    """A CDF plot per figure that two or more runs have in one unit (the
    unit of the first run that has it); their paths."""
    os.makedirs(outdir, exist_ok=True)
    for old in os.listdir(outdir):     # an earlier comparison's plots
        if old.endswith(".png"):
            os.unlink(os.path.join(outdir, old))
    pngs = []
    for fig in figure_names(runs):
        have = [r for r in runs if fig in r["figures"]]
        unit = have[0]["figures"][fig].get("unit")
        have = [r for r in have if r["figures"][fig].get("unit") == unit]
        if len(have) >= 2:
            png = os.path.join(outdir, fig + ".png")
            plot_cdf(fig, have, png)
            pngs.append(png)
    return pngs


def shown(path):
    """A path as printed: relative to the current folder when it is below it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def print_runs(runs):
    """Each run's name, file and header line; the header fields that differ."""
    width = max(len(r["name"]) for r in runs)
    for r in runs:
        print("%s  %s" % (r["name"].ljust(width), r["path"]))
        print("%s  %s" % (" " * width, r["header"] or "(no '# msilab' header line)"))
    diff = differing_fields(runs)
    for k, vals in diff:
        shown_vals = ['"%s"' % v if " " in v else v for v in vals]
        print("differs: %s: %s" % (k, "  ".join("%s=%s" % (r["name"], v) for r, v in zip(runs, shown_vals))))
    if not diff:
        print("differs: no header field")


def main(argv):
    outdir, plots = os.path.join(harness.BUILD, "compare"), True
    args = []
    it = iter(argv)
    for a in it:
        if a == "--outdir":
            outdir = next(it, outdir)
        elif a == "--no-plots":
            plots = False
        elif a.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            args.append(a)
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    specs = run_specs(args)
    missing = [p for _, p in specs if not os.path.isfile(p)]
    if missing:
        print("compare: no such file: %s" % ", ".join(missing), file=sys.stderr)
        return 1
    report.need_yaml()
    runs, bad = [], []
    for n, p in specs:
        try:
            runs.append(load(n, p))
        except report.NotAReport as e:
            bad.append((p, e.args[0]))
    if bad:
        for p, problems in bad:
            print("compare: %s holds no msilab report to compare:" % p, file=sys.stderr)
            for x in problems:
                print("  " + x, file=sys.stderr)
        print("compare: nothing compared, nothing written", file=sys.stderr)
        return 1
    print_runs(runs)
    print()
    for line in format_table(*table(runs)):
        print(line)
    if plots and len(runs) > 1:
        pngs = plot_all(runs, outdir)
        print()
        print("compare: %d CDF plots in %s" % (len(pngs), shown(outdir)))
        for p in pngs:
            print("  " + shown(p))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
