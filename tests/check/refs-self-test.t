#!/bin/sh
# SPDX-License-Identifier: MIT
# The reference check catches a dangling path and one outside the repository.
exec python3 "$(dirname "$0")/../../tools/check_refs.py" --self-test
