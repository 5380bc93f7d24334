/* SPDX-License-Identifier: MIT */
/* What kind of machine this is, and the ways to leave it. */
#ifndef ARCH_X86_PLATFORM_H
#define ARCH_X86_PLATFORM_H

/* 1 under QEMU: the CPUID hypervisor bit and the fw_cfg signature "QEMU". */
int platform_is_qemu(void);
/* QEMU's isa-debug-exit at port 0xf4: QEMU exits with (code << 1) | 1.
 * Returns where the device is absent. */
void platform_qemu_exit(int code);
/* Reset through the reset control register, the 8042, then a triple fault. */
void platform_reboot(void) __attribute__((noreturn));
/* Interrupts off, halt for good. */
void platform_halt(void) __attribute__((noreturn));

#endif
