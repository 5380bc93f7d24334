#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/check_tree.py refs catches what is planted in a copy of the tree.
exec python3 "$(dirname "$0")/../../tools/check_tree.py" refs --self-test
