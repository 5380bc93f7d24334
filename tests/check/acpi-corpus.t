#!/bin/sh
# SPDX-License-Identifier: MIT
# msilab's ACPI parsers against iasl on 400 tables from real machines
# (../shared/corpus/acpi, or MSILAB_ACPI_CORPUS), under ASan and UBSan.
here="$(dirname "$0")/../.."
corpus="${MSILAB_ACPI_CORPUS:-$here/../shared/corpus/acpi}"
if [ ! -d "$corpus" ]; then
	echo "1..0 # SKIP no ACPI corpus at $corpus (set MSILAB_ACPI_CORPUS)"
	exit 0
fi
exec python3 "$here/tools/acpi/iasl_compare.py" --tool "$here/build/host/msilab-acpi" "$corpus"
