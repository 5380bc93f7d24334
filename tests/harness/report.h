/* SPDX-License-Identifier: MIT */
/* The report's frame: the header line, a bail-out, the end of the run. */
#ifndef TESTS_HARNESS_REPORT_H
#define TESTS_HARNESS_REPORT_H

#include "kernel/boot_info.h"
#include "kernel/cmdline.h"
#include "arch/x86/exception.h"
#include "tests/harness/test.h"

#define MSILAB_VERSION "0.1.0"

/* The header line, then the warnings held until now (lib/console.h). */
void report_header(const struct boot_info *bi, const struct config *cfg);
/* An exception outside every test: "Bail out!" with the register dump,
 * then the exit (installed as arch/'s fatal hook). */
void report_bail_out(const struct exc_frame *f, uint64_t cr2) __attribute__((noreturn));
/* Keep a finished test's latency figures for the summary (test, figure,
 * p50, p99, max, samples, lost)... */
void report_summary_add(const struct test_ctx *t);
/* ... printed as `# summary:` comment lines before the plan, as rtla and
 * cyclictest end with theirs (docs/report-format.md). */
void report_summary(void);
/* Leave the machine as exit= says: QEMU's isa-debug-exit, halt, reboot. */
void report_exit(int failed) __attribute__((noreturn));

#endif
