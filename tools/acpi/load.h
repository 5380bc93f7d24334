/* SPDX-License-Identifier: MIT */
/* The ACPI tables named on msilab-acpi's command line. */
#ifndef TOOLS_ACPI_LOAD_H
#define TOOLS_ACPI_LOAD_H

#include <stddef.h>
#include <stdint.h>

struct table {
	char origin[640];	/* file, or log:SIG@address */
	char sig[5];		/* "" when not a table */
	uint8_t *data;
	size_t len;		/* bytes available */
	char problem[160];	/* what is wrong with the file itself, or "" */
};

struct tables {
	struct table *v;
	size_t n, cap;
};

/* Add what `path` holds: a table file, a folder of them, or a msilab
 * serial log of tests=acpi.dump. Unreadable or foreign files become
 * entries with a problem and no data. */
void tables_load(struct tables *t, const char *path);

#endif
