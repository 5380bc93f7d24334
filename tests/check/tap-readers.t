#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Debian 12's TAP readers on saved serial logs, as README.md tells a user
to run them: `prove -e cat saved.log` on the log as captured, and tappy on
the TAP cut out of it (`sed -n '/^TAP version/,/^1\\.\\./p'`). Two logs are
made by booting build/msilab.elf (-kernel, a second each): a passing run
(tests=boot.*) and a failing one (selftest.explicit_fail and a SKIP), each
behind the kind of escape sequences a loader leaves on the console without
a line break. prove and tappy must pass the first and fail the second."""
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap  # noqa: E402

TAP = Tap()
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import harness  # noqa: E402

OUT = os.path.join(ROOT, "build", "check", "tap-readers")
EXTRACT = r"/^TAP version/,/^1\.\./p"
LOADER_JUNK = b"\x1b[2J\x1b[01;01H\x1b[=3h\x1b[2J\x1b[01;01HBdsDxe: loading Boot0001"


def point(ok, desc, diag=""):
    TAP.point(ok, desc, diag, tail=True)   # a reader's complaint comes last


def saved_log(name, cmdline):
    """Boot msilab.elf with cmdline; the serial log as a lab's capture
    would hold it: loader escapes, then the firmware's output."""
    os.makedirs(OUT, exist_ok=True)
    cfg = dict(harness.CONFIGS["kernel"], cmdline=cmdline)
    raw = os.path.join(OUT, name + ".raw")
    harness.boot(harness.qemu_command("kernel", cfg, "stdio"), 120, raw)
    log = os.path.join(OUT, name + ".log")
    with open(raw, "rb") as f, open(log, "wb") as g:
        g.write(LOADER_JUNK + f.read())
    return log


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=OUT, **kw)
    return p.returncode, p.stdout + p.stderr


def main():
    if not os.path.exists(os.path.join(ROOT, "build", "msilab.elf")):
        print("1..0 # SKIP build/msilab.elf not built (make)")
        return 0
    logs = dict(passing=saved_log("passing", "tests=boot.*"),
                failing=saved_log("failing", "tests=selftest.explicit_fail,selftest.skip"))
    for kind, log in logs.items():
        text = open(log, errors="replace").read()
        point("\nTAP version 13\n" in text, "%s log: the firmware prints 'TAP version 13'" % kind,
              text[:300])
    for kind, log in logs.items():
        rc, out = run(["prove", "-e", "cat", log])
        want = "Result: PASS" if kind == "passing" else "Result: FAIL"
        point((rc == 0) == (kind == "passing") and want in out and "Parse errors" not in out,
              "prove -e cat on the %s log: %s, no parse error" % (kind, want), out)
    if not shutil.which("tappy"):
        point(True, "tappy on the cut-out TAP # SKIP tappy not installed (tools/deps.sh test)")
        point(True, "tappy on the cut-out TAP # SKIP tappy not installed (tools/deps.sh test)")
    else:
        for kind, log in logs.items():
            tap = os.path.join(OUT, kind + ".tap")
            with open(tap, "w") as f:
                subprocess.run(["sed", "-n", EXTRACT, log], stdout=f, check=True)
            rc, out = run(["tappy", tap])
            bad = [w for w in ("version must be", "plan must", "Multiple") if w in out]
            point((rc == 0) == (kind == "passing") and not bad,
                  "tappy on the TAP cut out of the %s log: %s, no complaint about the stream"
                  % (kind, "passes" if kind == "passing" else "fails"), out)
    print("1..%d" % TAP.n)
    return 0


sys.exit(main())
