/* SPDX-License-Identifier: MIT */
/*
 * `# lava:` lines: each TAP point and each latency figure's p50, p99 and
 * max once more, one line each, in a shape that one regular expression
 * reads whole (LAVA's `monitors` test action, lava/README.md; any other
 * line-by-line reader). TAP takes them as comments.
 *
 *   # lava: <case> <pass|fail|skip> <value> <unit> | <the same four again>
 *
 * The case is suite.name (value: the test's run time in us) or
 * suite.name.<label>.<p50|p99|max> (value: the figure's, in its unit),
 * lower case, [a-z0-9_.] only. The repetition is the check: a serial
 * line that dropped or repeated a character in either half no longer
 * matches the pattern's back-references, so the reader loses that case
 * instead of inventing one (docs/report-format.md).
 */
#ifndef TESTS_HARNESS_LAVA_H
#define TESTS_HARNESS_LAVA_H

#include <stdint.h>
#include "tests/harness/test.h"

/* result: "pass", "fail" or "skip"; run_us: the test's run time. */
void lava_lines(const struct test_ctx *t, const char *result, uint64_t run_us);

#endif
