#!/bin/sh
# SPDX-License-Identifier: MIT
# The include check catches an include from a layer above (planted in a copy).
exec python3 "$(dirname "$0")/../../tools/check_layers.py" --self-test
