#!/bin/sh
# SPDX-License-Identifier: MIT
# Every path named in code and docs exists in the repository.
exec python3 "$(dirname "$0")/../../tools/check_refs.py"
