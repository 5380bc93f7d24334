#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks of the tree that make test runs (tests/check/*.t), each as TAP:

    check_tree.py layers [--self-test]   the include rule of docs/design.md: a
        firmware file includes headers of its own layer or of layers below
        it, never above. Layers, bottom up: lib < arch < msi < drivers <
        kernel < tests < boot; host-side code (tests/host, tests/fuzz,
        tests/qemu, tools) may include anything.
    check_tree.py refs [--self-test]     every reference in code and docs
        resolves inside the repository: a path that names one of this
        tree's folders must exist, and nothing points outside it (../shared
        is not in a clone). Paths of other projects (QEMU's hw/..., Linux's
        kernel/irq/...) are told apart by the project's name just before.

--self-test plants violations in a copy and expects each caught.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# --- layers ------------------------------------------------------------------

LAYERS = ["lib", "arch", "msi", "drivers", "kernel", "tests", "boot"]
HOST_SIDE = ("tests/host/", "tests/fuzz/", "tests/qemu/", "tools/")
INCLUDE = re.compile(r'^\s*(?:#\s*include|%include)\s+"([^"]+)"', re.M)


def layer_of(path):
    """The layer of a repository path, or None for what is not firmware."""
    if path.startswith(HOST_SIDE):
        return None
    top = path.split("/", 1)[0]
    return LAYERS.index(top) if top in LAYERS else None


def firmware_files(root):
    for d in LAYERS:
        for dirpath, _, names in os.walk(os.path.join(root, d)):
            for n in sorted(names):
                if n.endswith((".c", ".h", ".asm", ".inc")):
                    rel = os.path.relpath(os.path.join(dirpath, n), root)
                    if layer_of(rel) is not None:
                        yield rel


def violations(root):
    """(file, line, included, why) for every include that breaks the rule."""
    out = []
    for rel in firmware_files(root):
        text = open(os.path.join(root, rel), errors="replace").read()
        for m in INCLUDE.finditer(text):
            inc = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            if not os.path.exists(os.path.join(root, inc)):
                out.append((rel, line, inc, "no such file in the repository"))
                continue
            have, want = layer_of(rel), layer_of(inc)
            if want is None:
                out.append((rel, line, inc, "firmware includes host-side code"))
            elif want > have:
                out.append((rel, line, inc, "%s includes from %s, a layer above it"
                            % (LAYERS[have], LAYERS[want])))
    return out


def check_layers(root):
    bad = violations(root)
    files = list(firmware_files(root))
    print("1..2")
    print("%s 1 - %d firmware files found under %s" % ("ok" if files else "not ok", len(files),
                                                      "/".join(LAYERS)))
    print("%s 2 - every include goes to the same layer or one below" % ("not ok" if bad else "ok"))
    for f, line, inc, why in bad:
        print("#   %s:%d: \"%s\": %s" % (f, line, inc, why))
    return 1 if bad else 0


def self_test_layers(root):
    """Copy the firmware tree, plant one upward include per kind of breach,
    and check that each is reported, and that the clean copy passes."""
    plants = [("arch/x86/cpu.h", '#include "tests/harness/test.h"', "arch includes from tests"),
              ("lib/printf.c", '#include "arch/x86/cpu.h"', "lib includes from arch"),
              ("msi/irqdomain.c", '#include "drivers/pci/pci.h"', "msi includes from drivers"),
              ("drivers/pci/cfg.c", '#include "kernel/kernel.h"', "drivers includes from kernel"),
              ("kernel/main.c", '#include "tests/harness/runner.h"', "kernel includes from tests"),
              ("lib/glob.c", '#include "lib/no_such_header.h"', "no such file")]
    n = 0
    print("1..%d" % (len(plants) + 1))
    with tempfile.TemporaryDirectory() as tmp:
        for d in LAYERS:
            shutil.copytree(os.path.join(root, d), os.path.join(tmp, d))
        n += 1
        clean = violations(tmp)
        print("%s %d - the unchanged tree passes" % ("not ok" if clean else "ok", n))
        failed = bool(clean)
        for path, line, want in plants:
            n += 1
            target = os.path.join(tmp, path)
            before = open(target).read()
            with open(target, "w") as f:
                f.write(line + "\n" + before)
            got = [v for v in violations(tmp) if v[0] == path and v[1] == 1]
            ok = len(got) == 1 and want in got[0][3]
            failed |= not ok
            print("%s %d - planted in %s: caught as '%s'" % ("ok" if ok else "not ok", n, path, want))
            if not ok:
                print("#   got: %r" % got)
            with open(target, "w") as f:
                f.write(before)
    return 1 if failed else 0



# --- references ----------------------------------------------------------------

# Data the tests read from outside when it is there and skip, saying so,
# when it is not: the corpus of real machines' ACPI tables.
EXTERNAL_DATA = "../shared/corpus/acpi"
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
        if f == "tools/check_tree.py":
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
                if ref.startswith(EXTERNAL_DATA):
                    continue
                bad.append((f, line, ref, "outside the repository"))
                continue
            if not ref.endswith(SUFFIXES) and "." in ref.rsplit("/", 1)[-1]:
                continue    # a file type the check does not know: not a path
            if "*" in ref or "<" in ref:
                continue    # a pattern, not a file
            if not os.path.exists(os.path.join(root, ref)):
                bad.append((f, line, ref, "no such file or folder"))
    return bad


def check_refs(root):
    bad = dangling(root)
    print("1..1")
    print("%s 1 - every path named in code and docs exists in the repository" %
          ("not ok" if bad else "ok"))
    for f, line, ref, why in bad:
        print("#   %s:%d: %s: %s" % (f, line, ref, why))
    return 1 if bad else 0


def self_test_refs(root):
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



CHECKS = {"layers": (check_layers, self_test_layers), "refs": (check_refs, self_test_refs)}


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not argv or argv[0] not in CHECKS or argv[1:] not in ([], ["--self-test"]):
        print(__doc__, file=sys.stderr)
        return 2
    check, self_test = CHECKS[argv[0]]
    return self_test(root) if argv[1:] else check(root)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
