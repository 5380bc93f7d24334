#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The model QEMU's bad input (issue #23): qemu/build.sh stops with an error
naming the cause when the source tarball cannot be fetched, has the wrong
hash, or a build tool is missing; and a configuration that runs on the
model is `not ok` with the build's reason when the model did not build,
never skipped. None of this builds QEMU: each case fails before ninja."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap  # noqa: E402

tap = Tap()
BUILD_SH = os.path.join(ROOT, "qemu", "build.sh")
HARNESS = os.path.join(ROOT, "tests", "qemu", "harness.py")
TARBALL = "qemu_10.0.2+ds.orig.tar.xz"


def build(env_extra, out):
    env = dict(os.environ, **env_extra)
    return subprocess.run([BUILD_SH, out], capture_output=True, text=True, env=env, timeout=120)


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "out")
    cache = os.path.join(tmp, "cache")
    os.makedirs(cache)

    r = build({"MSILAB_CACHE": cache, "MSILAB_QEMU_URL": "file:///nonexistent/" + TARBALL}, out)
    tap.point(r.returncode != 0 and "could not fetch file:///nonexistent/" in r.stderr,
              "no source tarball and none to fetch: build.sh names the address it tried",
              r.stderr)

    with open(os.path.join(cache, TARBALL), "wb") as f:
        f.write(b"not QEMU's source\n")
    r = build({"MSILAB_CACHE": cache}, out)
    tap.point(r.returncode != 0 and "has sha256" in r.stderr and "want 0901da33" in r.stderr,
              "a tarball with the wrong hash: build.sh gives both hashes and stops", r.stderr)
    tap.point(not os.path.exists(os.path.join(out, "src")),
              "nothing unpacked from a tarball with the wrong hash")

    # A PATH with everything but ninja.
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir)
    for d in os.environ["PATH"].split(":"):
        for name in ("meson", "python3", "flex", "bison", "pkg-config", "cc", "sha256sum",
                     "cut", "cat", "tar", "patch", "dirname", "mkdir", "curl", "mv", "sh"):
            p = os.path.join(d, name)
            if os.path.exists(p) and not os.path.exists(os.path.join(bindir, name)):
                os.symlink(p, os.path.join(bindir, name))
    r = build({"MSILAB_CACHE": cache, "PATH": bindir}, out)
    tap.point(r.returncode != 0 and "build dependency 'ninja' is missing" in r.stderr,
              "ninja missing: build.sh names it and the command that installs it", r.stderr)

    # The harness, on a model configuration, when the model did not build.
    model = os.path.join(tmp, "model")
    os.makedirs(model)
    with open(os.path.join(model, "FAILED"), "w") as f:
        f.write("msilab: qemu model: build dependency 'ninja' is missing\n")
    configs = subprocess.run([sys.executable, HARNESS, "--list"], capture_output=True,
                             text=True).stdout
    name = next((ln.split()[0] for ln in configs.splitlines() if "[model]" in ln), None)
    if name is None:
        tap.point(False, "harness --list marks some configuration [model]", configs)
    else:
        r = subprocess.run([sys.executable, HARNESS, name], capture_output=True, text=True,
                           env=dict(os.environ, MSILAB_MODEL_DIR=model), timeout=60)
        tap.point(r.returncode != 0 and "not ok 1 - %s: the model's QEMU did not build: msilab: qemu model: "
                  "build dependency 'ninja' is missing" % name in r.stdout and "SKIP" not in r.stdout,
                  "%s without a built model: not ok with the build's reason, not a SKIP" % name,
                  r.stdout + r.stderr)

print("1..%d" % tap.n)
tap.exit()
