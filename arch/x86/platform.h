/* SPDX-License-Identifier: MIT */
/* What kind of machine this is, and the ways to leave it. */
#ifndef ARCH_X86_PLATFORM_H
#define ARCH_X86_PLATFORM_H

#include <stdint.h>

/* 1 under QEMU: the CPUID hypervisor bit and the fw_cfg signature "QEMU". */
int platform_is_qemu(void);
/* Under QEMU, the machine type ("pc-q35-10.0"): SMBIOS type 1's version,
 * which QEMU sets to it, read from fw_cfg's etc/smbios/smbios-tables. -1
 * elsewhere or when absent. */
int platform_qemu_machine(char *buf, unsigned long size);
/* The QEMU version the machine type names (10, 0 for pc-q35-10.0). */
int platform_qemu_version(uint32_t *major, uint32_t *minor);
/* QEMU's isa-debug-exit at port 0xf4: QEMU exits with (code << 1) | 1.
 * Returns where the device is absent. */
void platform_qemu_exit(int code);
/* The reset register the FADT names (ACPI 6.5, 4.8.3.6): `value` written
 * to an I/O port (io) or a memory address; platform_reboot() tries it
 * first. */
void platform_set_reset_reg(int io, uint64_t addr, uint8_t value);
/* "the FADT reset register io:0xcf9 <- 0x6", or the fallbacks, in words. */
void platform_reset_describe(char *buf, unsigned long size);
/* Reset through the FADT's reset register where one was set, then the
 * reset control register, the 8042, and a triple fault. */
void platform_reboot(void) __attribute__((noreturn));
/* Interrupts off, halt for good. */
void platform_halt(void) __attribute__((noreturn));

#endif
