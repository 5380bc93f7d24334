#!/bin/sh
# SPDX-License-Identifier: MIT
# The include rule of docs/design.md holds for the tree.
exec python3 "$(dirname "$0")/../../tools/check_layers.py"
