// SPDX-License-Identifier: MIT
/*
 * Finding the tables: table files as Linux names them in
 * /sys/firmware/acpi/tables (APIC, DMAR, SSDT1, ...) or as `acpidump -b`
 * writes them (apic.dat, ...), any folder of such files, and msilab serial
 * logs of tests=acpi.dump ("# acpidump SIG ADDR LEN" and "# acpihex OFF:
 * HEX" lines). What a file is comes from its bytes, not its name.
 */
#include "tools/acpi/load.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ACPI_HEADER_LEN	36
#define FILE_MAX	(16u << 20)

static struct table *add(struct tables *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		if (!t->v) {
			perror("msilab-acpi");
			exit(2);
		}
	}
	memset(&t->v[t->n], 0, sizeof(t->v[0]));
	return &t->v[t->n++];
}

static void note(struct tables *t, const char *origin, const char *fmt, const char *what)
{
	struct table *x = add(t);

	snprintf(x->origin, sizeof(x->origin), "%s", origin);
	snprintf(x->problem, sizeof(x->problem), fmt, what);
}

static int is_sig(const uint8_t *b)
{
	for (int i = 0; i < 4; i++)
		if (!((b[i] >= 'A' && b[i] <= 'Z') || (b[i] >= '0' && b[i] <= '9') || b[i] == '_'))
			return 0;
	return 1;
}

/* One table in memory: its signature, and what is wrong with its size. */
static void take(struct tables *t, const char *origin, uint8_t *data, size_t len)
{
	struct table *x = add(t);
	uint32_t hdr_len;

	snprintf(x->origin, sizeof(x->origin), "%s", origin);
	x->data = data;
	x->len = len;
	if (len < ACPI_HEADER_LEN) {
		snprintf(x->problem, sizeof(x->problem),
			 "%zu bytes: shorter than an ACPI table header (%d)", len, ACPI_HEADER_LEN);
		return;
	}
	memcpy(x->sig, data, 4);
	hdr_len = (uint32_t)data[4] | data[5] << 8 | data[6] << 16 | (uint32_t)data[7] << 24;
	if (hdr_len > len)
		snprintf(x->problem, sizeof(x->problem),
			 "its length field says %u bytes, the file has %zu: read as far as it goes",
			 hdr_len, len);
}

/* Tables of a msilab serial log; 0 when the text holds none. */
static int from_log(struct tables *t, const char *path, const char *text)
{
	const char *p = text;
	int found = 0;

	while ((p = strstr(p, "# acpidump "))) {
		char sig[5] = "", origin[600];
		unsigned long long addr;
		unsigned len;
		uint8_t *data;
		size_t have = 0;

		if (sscanf(p, "# acpidump %4s 0x%llx %u", sig, &addr, &len) != 3 || len > FILE_MAX) {
			p++;
			continue;
		}
		data = calloc(1, len ? len : 1);
		p = strchr(p, '\n');
		while (p && !strncmp(p + 1 + (p[1] == '\r'), "# acpihex ", 10)) {
			const char *h = strchr(p + 1, ':');
			unsigned byte;

			for (h = h ? h + 2 : p + 1; sscanf(h, "%2x", &byte) == 1 && have < len; h += 2)
				data[have++] = (uint8_t)byte;
			p = strchr(p + 1, '\n');
		}
		snprintf(origin, sizeof(origin), "%s:%s@0x%llx", path, sig, addr);
		take(t, origin, data, have);
		if (have < len)
			snprintf(t->v[t->n - 1].problem, sizeof(t->v[0].problem),
				 "the log holds %zu of its %u bytes (cut off)", have, len);
		found++;
		if (!p)
			break;
	}
	return found;
}

static void from_file(struct tables *t, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long size;

	if (!f) {
		note(t, path, "cannot be read: %s", strerror(errno));
		return;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	if (size < 0 || (unsigned long)size > FILE_MAX) {
		fclose(f);
		note(t, path, "%s", "too large for an ACPI table");
		return;
	}
	data = malloc((size_t)size + 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
		fclose(f);
		free(data);
		note(t, path, "cannot be read: %s", "short read");
		return;
	}
	fclose(f);
	data[size] = 0;
	if (size >= 4 && is_sig(data) && size >= ACPI_HEADER_LEN) {
		take(t, path, data, (size_t)size);
		return;
	}
	if (memchr(data, 0, (size_t)size) == NULL && from_log(t, path, (char *)data)) {
		free(data);
		return;
	}
	if (size >= 4 && is_sig(data)) {
		take(t, path, data, (size_t)size);	/* a table cut short */
		return;
	}
	free(data);
	note(t, path, "%s", "not an ACPI table (no signature) nor a log with # acpidump lines");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names that sit beside tables and are not tables (the corpus's iasl
 * decodes, its manifest): passed over without a note. */
static int ignored(const char *name)
{
	static const char *const skip[] = { ".dsl", ".tsv", ".md", ".txt", ".json" };

	if (name[0] == '.')
		return 1;
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		size_t n = strlen(name), k = strlen(skip[i]);

		if (n >= k && !strcmp(name + n - k, skip[i]))
			return 1;
	}
	return 0;
}

static void from_dir(struct tables *t, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = 0;
	size_t n = 0, cap = 0, before = t->n;

	if (!d) {
		note(t, path, "cannot be read: %s", strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		if (ignored(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char full[4096];
		struct stat st;

		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
			from_file(t, full);
		free(names[i]);
	}
	free(names);
	if (t->n == before)
		note(t, path, "%s", "a folder with no ACPI tables");
}

void tables_load(struct tables *t, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		note(t, path, "cannot be read: %s", strerror(errno));
	else if (S_ISDIR(st.st_mode))
		from_dir(t, path);
	else
		from_file(t, path);
}
