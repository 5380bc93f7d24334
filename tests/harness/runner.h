/* SPDX-License-Identifier: MIT */
#ifndef TESTS_HARNESS_RUNNER_H
#define TESTS_HARNESS_RUNNER_H

#include "kernel/cmdline.h"

/* Run the selected tests and print their TAP points, the plan and the done
 * line. Returns the number of failed tests. */
int runner_run(const struct config *cfg);
/* A machine check ends the run: the running test is `not ok` with `yaml`
 * (its lines, indented), then the plan and the done line. -1 when no test
 * is running. */
int runner_machine_check(const char *yaml);

#endif
