#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/check_tree.py layers (see its help).
exec python3 "$(dirname "$0")/../../tools/check_tree.py" layers
