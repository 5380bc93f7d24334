# SPDX-License-Identifier: GPL-2.0-or-later
# The devices msilab's model configurations use; nothing else is built
# (configure --without-default-devices --with-devices-x86_64=msilab).
CONFIG_Q35=y
CONFIG_VTD=y
CONFIG_AMD_IOMMU=y
CONFIG_HPET=y
CONFIG_ISA_DEBUG=y
CONFIG_VGA_PCI=y
CONFIG_EDU=y
CONFIG_E1000E_PCI_EXPRESS=y
CONFIG_MSILAB_IDXD=y
