#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every reference in code and docs resolves inside the repository: a path
that names one of this tree's folders (lib/, arch/, ..., docs/) must exist,
and nothing points outside the repository (../shared is not in a clone).
Paths of other projects (QEMU's hw/..., Linux's kernel/irq/...) are told
apart by the project's name just before them.

    check_refs.py [ROOT]      TAP on stdout (prove)
    check_refs.py --self-test plant a dangling reference and expect it caught
"""
import os
import re
import subprocess
import sys
import tempfile

TOP = ("lib", "arch", "msi", "drivers", "kernel", "tests", "boot", "docs", "tools", ".ci")
PATH = re.compile(r"(?<![\w./-])((?:\.\./)+[\w.-]+(?:/[\w.-]+)*|(?:%s)/[\w.*-]+(?:/[\w.*-]+)*)"
                  % "|".join(re.escape(t) for t in TOP))
# A path right after one of these names belongs to that project.
OTHERS = re.compile(r"(QEMU|Linux|FreeBSD|kvm-unit-tests|Jailhouse|xv6|seL4|Zephyr|DPDK|"
                    r"gnu-efi|GRUB|OVMF|EDK2|upstream)('s)?\b[^.;]{0,60}$", re.I)
SUFFIXES = (".c", ".h", ".md", ".py", ".asm", ".inc", ".t", ".toml", ".sh", ".lds", ".ld", ".cfg",
            ".png", ".bin", "/")


def files(root):
    out = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True).stdout
    for f in out.split():
        if f.endswith((".c", ".h", ".asm", ".inc", ".md", ".py", ".t", ".toml", ".sh", ".ld",
                       ".lds", ".cfg")) or f in ("Makefile", ".ci/run"):
            yield f


def dangling(root, names=None):
    bad = []
    for f in names or files(root):
        if re.match(r"tools/check_\w+\.py$", f):
            continue    # the checks plant dangling references on purpose
        text = open(os.path.join(root, f), errors="replace").read()
        for m in PATH.finditer(text):
            ref = m.group(1).rstrip(".,:;)")
            if text[m.end():m.end() + 1] in ("%", "$"):
                continue    # a make pattern or variable: tests/host/test_%
            before = text[max(0, m.start() - 80):m.start()]
            if OTHERS.search(before):
                continue
            line = text.count("\n", 0, m.start()) + 1
            if ref.startswith("../"):
                bad.append((f, line, ref, "outside the repository"))
                continue
            if not ref.endswith(SUFFIXES) and "." in ref.rsplit("/", 1)[-1]:
                continue    # a file type the check does not know: not a path
            if "*" in ref or "<" in ref:
                continue    # a pattern, not a file
            if not os.path.exists(os.path.join(root, ref)):
                bad.append((f, line, ref, "no such file or folder"))
    return bad


def check(root):
    bad = dangling(root)
    print("1..1")
    print("%s 1 - every path named in code and docs exists in the repository" %
          ("not ok" if bad else "ok"))
    for f, line, ref, why in bad:
        print("#   %s:%d: %s: %s" % (f, line, ref, why))
    return 1 if bad else 0


def self_test(root):
    with tempfile.TemporaryDirectory() as tmp:
        name = os.path.join(tmp, "x.c")
        with open(name, "w") as f:
            f.write("/* see msi/api.c, ../shared/ARCHITECTURE.md, lib/wait.h and QEMU's "
                    "hw/i386/intel_iommu.c and Linux kernel/irq/irqdomain.c */\n")
        got = dangling(root, [os.path.relpath(name, root)])
    refs = sorted(r[2] for r in got)
    ok = refs == ["../shared/ARCHITECTURE.md", "msi/api.c"]
    print("1..1")
    print("%s 1 - a planted msi/api.c and ../shared reference are caught, lib/wait.h and other "
          "projects' paths are not" % ("ok" if ok else "not ok"))
    if not ok:
        print("#   got %r" % refs)
    return 0 if ok else 1


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if argv[:1] == ["--self-test"]:
        return self_test(root)
    return check(argv[0] if argv else root)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
