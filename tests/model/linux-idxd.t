#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The oracle (issue 23 item 3): Debian's Linux and idxd on msilab-dsa, no IOMMU.
exec python3 "$(dirname "$0")/../../qemu/linux/oracle.py" --iommu none
