// SPDX-License-Identifier: MIT
/* Test selection globs: pure, host-tested (tests/host/test_cmdline.c). */
#include "lib/glob.h"
#include "lib/string.h"

int glob_match(const char *p, int n, const char *s)
{
	const char *star = 0, *back = 0;
	const char *end = p + n;

	while (*s) {
		if (p < end && (*p == '?' || *p == *s)) {
			p++;
			s++;
		} else if (p < end && *p == '*') {
			star = ++p;
			back = s;
		} else if (star) {
			p = star;
			s = ++back;
		} else {
			return 0;
		}
	}
	while (p < end && *p == '*')
		p++;
	return p == end;
}

int glob_select(const char *list, const char *suite, const char *name, int manual)
{
	char full[96];
	size_t sl = strlen(suite), nl = strlen(name);

	if (sl + nl + 2 > sizeof(full))
		return 0;
	memcpy(full, suite, sl);
	full[sl] = '.';
	memcpy(full + sl + 1, name, nl + 1);

	while (*list) {
		int n = 0;

		while (list[n] && list[n] != ',')
			n++;
		if (n && glob_match(list, n, full) &&
		    (!manual || ((size_t)n > sl && !strncmp(list, suite, sl) && list[sl] == '.')))
			return 1;
		list += n;
		if (*list == ',')
			list++;
	}
	return 0;
}
