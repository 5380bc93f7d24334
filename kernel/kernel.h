/* SPDX-License-Identifier: MIT */
/* What kernel_main found at boot, for the tests that check it. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include "boot/boot_info.h"
#include "kernel/cmdline.h"
#include "kernel/memmap.h"
#include "drivers/acpi/madt.h"
#include "drivers/pci/pci.h"

extern const struct boot_info *kernel_boot;
extern struct config kernel_config;
extern struct memmap_fixes kernel_memmap_fixes;
extern char kernel_acpi_error[128];	/* empty when ACPI is usable */
extern struct madt kernel_madt;
extern int kernel_madt_ok;		/* parsed without a problem */
extern struct pci_enum_report kernel_pci;

#endif
