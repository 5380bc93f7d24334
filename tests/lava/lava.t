#!/bin/sh
# SPDX-License-Identifier: MIT
# The LAVA jobs of lava/: validation, and three QEMU runs through lava-run
# (a clean console, a damaged one, one cut off) held against the report.
exec python3 "$(dirname "$0")/../../tools/lava/lava.py" tap
