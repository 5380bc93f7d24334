#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The oracle on msilab-iaa: Debian's Linux and idxd take the IAA model too
# (its memmove through a dedicated kernel queue), no IOMMU.
exec python3 "$(dirname "$0")/../../qemu/linux/oracle.py" --iommu none --device msilab-iaa
