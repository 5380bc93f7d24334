#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The include rule of docs/design.md: a firmware file includes headers of
its own layer or of layers below it, never above.

    check_layers.py [ROOT]     check the tree; TAP on stdout (prove)
    check_layers.py --self-test   plant violations in a copy and expect them caught

Layers, bottom up: lib < arch < msi < drivers < kernel < tests < boot.
Host-side code (tests/host, tests/fuzz, tests/qemu, tools) is outside the
firmware and may include anything.
"""
import os
import re
import shutil
import sys
import tempfile

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


def check(root):
    bad = violations(root)
    files = list(firmware_files(root))
    print("1..2")
    print("%s 1 - %d firmware files found under %s" % ("ok" if files else "not ok", len(files),
                                                      "/".join(LAYERS)))
    print("%s 2 - every include goes to the same layer or one below" % ("not ok" if bad else "ok"))
    for f, line, inc, why in bad:
        print("#   %s:%d: \"%s\": %s" % (f, line, inc, why))
    return 1 if bad else 0


def self_test(root):
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


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if argv[:1] == ["--self-test"]:
        return self_test(root)
    return check(argv[0] if argv else root)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
