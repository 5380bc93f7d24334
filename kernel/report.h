/* SPDX-License-Identifier: MIT */
/* The report's frame: header line, warnings, the end of the run. */
#ifndef KERNEL_REPORT_H
#define KERNEL_REPORT_H

#include "boot/boot_info.h"
#include "kernel/cmdline.h"

#define MSILAB_VERSION "0.1.0"

/* Print a "# warning: ..." line now, or keep it for after the header. */
void report_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report_header(const struct boot_info *bi, const struct config *cfg);
/* Leave the machine as cfg's exit= says: QEMU's isa-debug-exit, halt, reboot. */
void report_exit(int failed) __attribute__((noreturn));
void report_set_config(const struct config *cfg);

/* 1 under QEMU (hypervisor bit and the fw_cfg signature). */
int platform_is_qemu(void);

#endif
