/* SPDX-License-Identifier: MIT */
/* The registry: every TEST() in the report's declared order. */
#ifndef TESTS_HARNESS_REGISTRY_H
#define TESTS_HARNESS_REGISTRY_H

#include "tests/harness/test.h"

#define REGISTRY_MAX	256

/* Every registered test in report order: the suites as
 * tests/harness/registry.c lists them, each suite's tests in the order its
 * file declares them. Returns how many. Problems (a suite missing from the
 * order or spread over two files, a name used twice) become warnings. */
uint32_t registry_tests(const struct test ***out);

/* tests=list: one "# test suite.name default|manual needs=... file=..."
 * comment line per test, in report order. */
void registry_print(void);

#endif
