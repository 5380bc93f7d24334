/* SPDX-License-Identifier: MIT */
/* Common includes for the cmocka host tests of the firmware's pure parts. */
#ifndef TESTS_HOST_HOST_H
#define TESTS_HOST_HOST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#define RUN(tests) cmocka_run_group_tests(tests, NULL, NULL)

#endif
