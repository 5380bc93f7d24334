#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The oracle behind an intel-iommu (DMA and interrupts remapped), with
# interrupt handles (REQUEST_INT_HANDLE) offered.
exec python3 "$(dirname "$0")/../../qemu/linux/oracle.py" --iommu intel --device msilab-dsa,int-handles=on
