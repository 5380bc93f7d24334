#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""msilab as a LAVA job, run here with lava-run (Debian's lava-dispatcher),
and checked against the report of the same run.

  lava.py run [CMDLINE]   make lava: the QEMU job of lava/qemu/, then the
                          check, then the same QEMU command without LAVA
                          for the overhead LAVA adds
  lava.py tap             the checks of `make test`, as TAP: both job kinds
                          validate; a broken job and device are refused
                          naming the field; a clean run, a console that
                          drops and repeats characters in small chunks,
                          and a report cut off in a YAML block

Everything lands in build/lava/<run>/: device.yaml and job.yaml as run,
lava-run.log (the dispatcher's log), serial.log (QEMU's own copy of the
console: the report the LAVA results are held against).
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
OUT = os.path.join(BUILD, "lava")
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
from harness import Tap, parse, yaml_fields  # noqa: E402

RESULT = {"ok": "pass", "not ok": "fail", "skip": "skip"}
STATS = ("p50", "p99", "max")


def case_id(*parts):
    """As tests/harness/lava.c names a case."""
    return re.sub(r"[^a-z0-9_.]", "_", ".".join(p for p in parts if p).lower())


def render(name, cmdline, wrap=None, kind="qemu", job="job.yaml", out=OUT):
    """OUT/NAME/{device,job}.yaml (OUT: build/lava) from lava/KIND/ with
    the paths filled in; wrap: arguments of tools/lava/noisy-console, which
    then stands between QEMU and LAVA."""
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    subst = {"@SERIAL_LOG@": os.path.join(d, "serial.log"), "@QEMU@": "qemu-system-x86_64",
             "@IMAGE@": os.path.join(BUILD, "msilab.efi"), "@CMDLINE@": cmdline}
    for f, src_name in (("device.yaml", "device.yaml"), ("job.yaml", job)):
        with open(os.path.join(ROOT, "lava", kind, src_name)) as src:
            text = src.read()
        if not cmdline:     # QEMU refuses an -append without an argument
            text = text.replace(' -append "@CMDLINE@"', "")
        for k, v in subst.items():
            text = text.replace(k, v)
        if f == "device.yaml" and wrap is not None:
            dev = yaml.safe_load(text)
            qemu = dev["actions"]["boot"]["methods"]["qemu"]["parameters"]
            qemu["options"].insert(0, "%s --stats %s -- %s" % (
                wrap, os.path.join(d, "noise.json"), qemu["command"]))
            qemu["command"] = os.path.join(ROOT, "tools", "lava", "noisy-console")
            text = yaml.safe_dump(dev, sort_keys=False)
        with open(os.path.join(d, f), "w") as dst:
            dst.write(text)
    return d


def lava_run(d, validate=False, device="device.yaml", job="job.yaml", timeout=1800):
    """lava-run on D's device and job; its log is D/lava-run.log (or
    validate.log). Returns (status, [log records])."""
    log = os.path.join(d, "validate.log" if validate else "lava-run.log")
    out = os.path.join(d, "out")
    job_id = str(abs(hash(d)) % 1000000)    # its own /var/lib/lava/dispatcher/tmp/<id>
    cmd = ["lava-run", "--job-id", job_id, "--output-dir", out, "--device",
           os.path.join(d, device)] + (["--validate"] if validate else []) + [os.path.join(d, job)]
    if os.path.exists(os.path.join(d, "serial.log")) and not validate:
        os.unlink(os.path.join(d, "serial.log"))
    with open(log, "w") as f:
        status = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=timeout,
                                stdin=subprocess.DEVNULL).returncode
    records = []
    with open(log, errors="replace") as f:
        for line in f:
            try:
                records.append(json.loads(line))
            except ValueError:
                records.append({"lvl": "raw", "msg": line.rstrip("\n")})
    return status, records


def outcome(records):
    """The job's end as the dispatcher says it: (complete?, error texts)."""
    job = [r["msg"] for r in records if r.get("lvl") == "results"
           and isinstance(r["msg"], dict) and r["msg"].get("definition") == "lava"
           and r["msg"].get("case") == "job"]
    errors = [str(r["msg"]) for r in records if r.get("lvl") in ("error", "exception")]
    errors += [str(job[0].get("error_msg"))] if job and job[0].get("error_msg") else []
    return bool(job) and job[0].get("result") == "pass", errors


def lava_cases(records):
    """The test cases LAVA recorded for the msilab monitor, in order:
    (test_case_id, result, measurement, units)."""
    out = []
    for r in records:
        m = r.get("msg")
        if r.get("lvl") == "results" and isinstance(m, dict) and m.get("definition") == "msilab":
            out.append((m["extra"]["test_case_id"], m["result"], m.get("measurement"), m.get("units")))
    return out


def report_cases(serial_log):
    """The cases the report itself holds: one per TAP point (run time not
    in the report: measurement None), and p50/p99/max of every figure."""
    with open(serial_log, errors="replace") as f:
        rep = parse([line.rstrip("\r\n") for line in f])
    out = []
    for t in rep["tests"]:
        result = RESULT[t["status"]]
        out.append((case_id(t["name"]), result, None, "us"))
        fields = yaml_fields(t["yaml"])
        for key in fields:
            if key != "unit" and not key.endswith(".unit"):
                continue
            label = key[:-len("unit")].rstrip(".")
            unit = "ns" if fields[key] == "ns" else "cycles"
            for s in STATS:
                v = fields.get(label + "." + s if label else s)
                if v is not None:
                    out.append((case_id(t["name"], label, s), result, str(v), unit))
    return rep, out


def compare(want, got):
    """Problems between the report's cases and LAVA's: each of `want`
    exactly once with the same result, measurement (where the report has
    one) and units; nothing else."""
    problems = []
    seen = {}
    for c in got:
        seen.setdefault(c[0], []).append(c)
    wanted = {c[0] for c in want}
    for w in want:
        g = seen.get(w[0], [])
        if len(g) != 1:
            problems.append("%s: %d LAVA test cases, want 1" % (w[0], len(g)))
            continue
        cid, result, meas, units = g[0]
        if result != w[1]:
            problems.append("%s: LAVA says %s, the report %s" % (cid, result, w[1]))
        if w[2] is not None and meas != w[2]:
            problems.append("%s: LAVA measured %s, the report says %s" % (cid, meas, w[2]))
        if units != w[3]:
            problems.append("%s: LAVA units %s, the report's %s" % (cid, units, w[3]))
    for cid in seen:
        if cid not in wanted:
            problems.append("%s: a LAVA test case the report does not have" % cid)
    return problems


def monitor_pattern(d):
    """The monitor's pattern, from the job as run."""
    with open(os.path.join(d, "job.yaml")) as f:
        return yaml.safe_load(f)["actions"][-1]["test"]["monitors"][0]["pattern"]


def damaged_cases(d, damaged):
    """What a damaged console does to LAVA's cases: the lines it loses, and
    the damaged lines it still reads (both copies took the same damage,
    which the repetition cannot tell: about 60 p^2 per line for a
    per-character error rate p), as the cases LAVA will record."""
    pattern = re.compile(monitor_pattern(d))
    lost, read = set(), []
    for was, sent in damaged:
        lost.add(case_id(was.split()[2]))
        m = pattern.search(sent + "\n")
        if m:
            read.append((m["test_case_id"], m["result"], m["measurement"], m["units"]))
    return lost, read


def check_run(tap, d, records, want_complete=True, damaged=(), cut=False):
    complete, errors = outcome(records)
    got = lava_cases(records)
    rep, want = report_cases(os.path.join(d, "serial.log"))
    lost, read_damaged = damaged_cases(d, damaged)
    if read_damaged:
        print("# %s: %d damaged lines still read, identically damaged in both copies: %s"
              % (os.path.basename(d), len(read_damaged), read_damaged))
    name = os.path.basename(d)
    tap.point(complete == want_complete, "%s: the job ends %s" % (name, "complete" if want_complete
              else "incomplete"), errors)
    if cut:
        # What LAVA read before the cut: a prefix of the report, in order.
        prefix = [c for c in want if c[0] in {g[0] for g in got}]
        tap.point(0 < len(got) < len(want), "%s: %d of the report's %d cases read before the cut"
                  % (name, len(got), len(want)))
        want = prefix
    else:
        want = [c for c in want if c[0] not in lost] + read_damaged
    problems = compare(want, got)
    tap.point(not problems and len(got) > 0,
              "%s: %d LAVA test cases equal the report's %d points and their figures%s"
              % (name, len(got), len(rep["tests"]),
                 ", less the %d lines the line damaged" % len(lost) if damaged else ""), problems)
    return got


def stats_of(d):
    path = os.path.join(d, "noise.json")
    with open(path) as f:
        return json.load(f)


def noisy(**opts):
    return " ".join("--%s %s" % (k.replace("_", "-"), v) for k, v in opts.items())


LAB_URL = "https://lab.example/msilab/"


def validate_checks(tap):
    """Every job in lava/ validates against its kind's device dictionary
    (a template's image URL pointed at build/), and all of them read the
    console with the same monitor."""
    monitors = {}
    for kind in sorted(os.listdir(os.path.join(ROOT, "lava"))):
        src = os.path.join(ROOT, "lava", kind)
        if not os.path.isdir(src):
            continue
        for job in sorted(f for f in os.listdir(src) if f.startswith("job")):
            d = render("validate-%s-%s" % (kind, job[:-5]), "", kind=kind, job=job)
            with open(os.path.join(d, "job.yaml")) as f:
                text = f.read().replace(LAB_URL, "file://%s/" % BUILD)
            with open(os.path.join(d, "job.yaml"), "w") as f:
                f.write(text)
            monitors["%s/%s" % (kind, job)] = yaml.safe_load(text)["actions"][-1]["test"]["monitors"]
            status, records = lava_run(d, validate=True)
            complete, errors = outcome(records)
            tap.point(status == 0 and complete, "lava/%s/%s: lava-run --validate accepts it" % (kind, job),
                      errors)
    first = next(iter(monitors.values()))
    tap.point(all(m == first for m in monitors.values()),
              "the %d jobs read the console with the same monitor" % len(monitors),
              [k for k, m in monitors.items() if m != first])
    # Broken copies: each refused, the dispatcher naming what is wrong.
    d = render("validate-broken", "")
    broken = (
        ("job", lambda t: t.replace("  arch: x86_64\n", "  arch_typo: x86_64\n"), "arch",
         "a job without context arch"),
        ("job", lambda t: re.sub(r"\n *pattern: .*\n", "\n", t), "pattern",
         "a monitor without its pattern"),
        ("device", lambda t: t.replace("available_architectures: [x86_64]",
                                       "available_architectures: [arm64]"), "architecture",
         "a device without the job's architecture"),
    )
    for n, (what, spoil, word, desc) in enumerate(broken):
        with open(os.path.join(d, what + ".yaml")) as f:
            text = spoil(f.read())
        name = "%s-broken%d.yaml" % (what, n)
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
        status, records = lava_run(d, validate=True, **{what: name})
        errors = " ".join(outcome(records)[1])
        tap.point(status != 0 and word in errors, "%s is refused, naming it" % desc, [errors[:300]])


def tap_main():
    tap = Tap()
    tap.stderr = True   # prove shows a failure's diagnostics without -v
    validate_checks(tap)
    cmdline = "samples=300"
    d = render("clean", cmdline)
    t0 = time.monotonic()
    _, records = lava_run(d)
    print("# clean: lava-run %.1f s" % (time.monotonic() - t0))
    check_run(tap, d, records)

    d = render("noisy", cmdline, wrap=noisy(seed=7, drop=0.001, repeat=0.001, chunk=48))
    _, records = lava_run(d)
    st = stats_of(d)
    print("# noisy: %d of %d lines damaged, %d of them # lava: lines"
          % (st["damaged"], st["lines"], len(st["damaged_lava"])))
    tap.point(len(st["damaged_lava"]) > 0, "noisy: the line damaged some `# lava:` lines")
    check_run(tap, d, records, damaged=st["damaged_lava"])

    d = render("cut", cmdline, wrap=noisy(cut_in_yaml=12, chunk=16))
    _, records = lava_run(d)
    tap.point(stats_of(d)["cut"], "cut: the console stopped inside the 12th YAML block")
    check_run(tap, d, records, want_complete=False, cut=True)
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


def run_main(cmdline):
    d = render("run", cmdline)
    print("lava-run --device %s/device.yaml %s/job.yaml" % (d, d))
    t0 = time.monotonic()
    status, records = lava_run(d)
    wall = time.monotonic() - t0
    shutil.copy(os.path.join(d, "lava-run.log"), os.path.join(OUT, "lava-run.log"))
    complete, errors = outcome(records)
    got = lava_cases(records)
    rep, want = report_cases(os.path.join(d, "serial.log"))
    problems = compare(want, got)
    print("job %s in %.1f s; %d test cases (%s), %d with a measurement; log: %s"
          % ("complete" if complete else "INCOMPLETE", wall, len(got),
             ", ".join("%d %s" % (sum(1 for c in got if c[1] == r and c[0].count(".") == 1), r)
                       for r in ("pass", "fail", "skip")),
             sum(1 for c in got if c[0].count(".") > 1), os.path.join(OUT, "lava-run.log")))
    for e in errors:
        print("  error: %s" % e)
    print("LAVA against the report (%s): %s" % (os.path.join(d, "serial.log"),
          "equal" if not problems else "%d differences" % len(problems)))
    for p in problems[:40]:
        print("  " + p)
    # The same QEMU command, without LAVA.
    boot = [r["msg"] for r in records if isinstance(r.get("msg"), str)
            and r["msg"].startswith("Boot command: ")]
    if boot:
        # LAVA's copy of the image is gone with its job; ours is the same file.
        cmd = [os.path.join(BUILD, "msilab.efi") if a.endswith("/msilab.efi") else
               a.replace("serial.log", "serial-bare.log") for a in
               shlex.split(boot[0][len("Boot command: "):])]
        t0 = time.monotonic()
        st = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL).returncode
        bare = time.monotonic() - t0
        print("the same QEMU command without LAVA: %.1f s (exit status %d); LAVA adds %.1f s (%.0f %%)"
              % (bare, st, wall - bare, (wall - bare) * 100 / bare))
    return 0 if complete and not problems else 1


def missing():
    """Why lava-run cannot run here, or None."""
    if not shutil.which("lava-run"):
        return "lava-dispatcher is not installed (tools/deps.sh lava, as root)"
    if not os.access("/var/lib/lava/dispatcher", os.W_OK):
        return "lava-run needs to write /var/lib/lava/dispatcher (run as root)"
    return None


if __name__ == "__main__":
    why = missing()
    if sys.argv[1:2] == ["tap"]:
        if why:
            print("1..0 # SKIP %s" % why)
            sys.exit(0)
        sys.exit(tap_main())
    if why:
        sys.exit("lava: " + why)
    if sys.argv[1:2] == ["run"]:
        sys.exit(run_main(" ".join(sys.argv[2:])))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
