#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/check_tree.py layers catches what is planted in a copy of the tree.
exec python3 "$(dirname "$0")/../../tools/check_tree.py" layers --self-test
