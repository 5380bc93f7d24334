#!/bin/sh
# SPDX-License-Identifier: MIT
# The corpus comparison catches a changed field of every kind it compares.
here="$(dirname "$0")/../.."
corpus="${MSILAB_ACPI_CORPUS:-$here/../shared/corpus/acpi}"
if [ ! -d "$corpus" ]; then
	echo "1..0 # SKIP no ACPI corpus at $corpus (set MSILAB_ACPI_CORPUS)"
	exit 0
fi
exec python3 "$here/tools/acpi/iasl_compare.py" --self-test --tool "$here/build/host/msilab-acpi" "$corpus"
