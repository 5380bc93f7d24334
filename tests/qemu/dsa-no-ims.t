#!/bin/sh
# SPDX-License-Identifier: MIT
exec python3 "$(dirname "$0")/harness.py" dsa-no-ims
