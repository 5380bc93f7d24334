/* SPDX-License-Identifier: MIT */
/* The machine's bring-up (kernel/main.c), and what it found, for the tests
 * that check it. */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "lib/memmap.h"
#include "arch/x86/apic_mode.h"
#include "drivers/acpi/madt.h"
#include "drivers/pci/pci.h"

extern const struct boot_info *kernel_boot;
extern struct config kernel_config;
extern struct memmap_fixes kernel_memmap_fixes;
extern char kernel_acpi_error[128];	/* empty when ACPI is usable */
extern struct madt kernel_madt;
extern struct apic_decision kernel_apic;	/* the local APIC mode, and why */
extern int kernel_madt_ok;		/* parsed without a problem */
extern struct pci_enum_report kernel_pci;

/* The command line, the console (also an SPCR's), descriptors, memory and
 * ACPI: after this the console is final. */
void kernel_early_init(struct boot_info *bi);
/* The TSC, the CPUs, PCI, interrupt remapping and the vector domain. */
void kernel_init(void);

#endif
