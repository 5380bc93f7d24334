// SPDX-License-Identifier: MIT
/* `# lava:` lines after each TAP point (tests/harness/lava.h). */
#include "tests/harness/lava.h"

/* suite.name[.label][.stat], lower case, anything outside [a-z0-9_.] as '_'. */
static void case_id(char *id, size_t size, const struct test *test, const char *label,
		    const char *stat)
{
	ksnprintf(id, size, "%s.%s%s%s%s%s", test->suite, test->name, *label ? "." : "", label,
		  *stat ? "." : "", stat);
	for (; *id; id++) {
		if (*id >= 'A' && *id <= 'Z')
			*id = (char)(*id - 'A' + 'a');
		else if (!((*id >= 'a' && *id <= 'z') || (*id >= '0' && *id <= '9') || *id == '.'))
			*id = '_';
	}
}

static void line(const struct test *test, const char *label, const char *stat,
		 const char *result, uint64_t value, const char *unit)
{
	char id[128];

	case_id(id, sizeof(id), test, label, stat);
	kprintf("# lava: %s %s %lu %s | %s %s %lu %s\n", id, result, value, unit,
		id, result, value, unit);
}

void lava_lines(const struct test_ctx *t, const char *result, uint64_t run_us)
{
	line(t->test, "", "", result, run_us, "us");
	for (uint32_t i = 0; i < t->nfigures; i++) {
		const struct t_figure *f = &t->figure[i];

		line(t->test, f->label, "p50", result, f->p50, f->unit);
		line(t->test, f->label, "p99", result, f->p99, f->unit);
		line(t->test, f->label, "max", result, f->max, f->unit);
	}
}
