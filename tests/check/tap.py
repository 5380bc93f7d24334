# SPDX-License-Identifier: MIT
"""The TAP points of the tests/check/*.t scripts, written once: each script
only checks."""
import sys


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def point(self, ok, desc, diag=None, tail=False):
        """One test point; a failing one's diagnostics as comments (the
        first 3000 characters, or the last with tail)."""
        self.n += 1
        self.failed += not ok
        print("%s %d - %s" % ("ok" if ok else "not ok", self.n, desc))
        if not ok and diag:
            text = str(diag)
            text = text[-3000:] if tail else text[:3000]
            print("#   " + text.replace("\n", "\n#   "))

    def skip(self, desc, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, desc, why))

    def exit(self):
        sys.exit(1 if self.failed else 0)
