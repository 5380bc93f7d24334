/* SPDX-License-Identifier: MIT */
#ifndef LIB_GLOB_H
#define LIB_GLOB_H

/* Shell-style match of the n-character pattern p ('*', '?') against s. */
int glob_match(const char *p, int n, const char *s);

/* Whether the full name "suite.name" matches one of the comma-separated
 * globs in list. A manual test needs a glob that begins with "suite.". */
int glob_select(const char *list, const char *suite, const char *name, int manual);

#endif
