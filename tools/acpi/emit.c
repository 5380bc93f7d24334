// SPDX-License-Identifier: MIT
/* JSON or indented text from one sequence of calls (tools/acpi/emit.h). */
#include "tools/acpi/emit.h"

static void indent(struct emit *e)
{
	for (int i = 1; i < e->depth; i++)
		fputs("  ", e->out);
}

/* Before a member: the comma (JSON) or the line start and key (text). */
static void member(struct emit *e, const char *key, int nested)
{
	if (e->json) {
		if (!e->first[e->depth])
			fputc(',', e->out);
		if (key)
			fprintf(e->out, "\"%s\":", key);
	} else if (!key && nested && !e->array[e->depth + 1]) {
		/* An object in an array: "- " and its first member after it. */
		indent(e);
		fputs("- ", e->out);
		e->dash = 1;
	} else {
		if (!e->dash)
			indent(e);
		e->dash = 0;
		if (e->array[e->depth])
			fputs("- ", e->out);
		if (key)
			fprintf(e->out, "%s:%s", key, nested ? "\n" : " ");
	}
	e->first[e->depth] = 0;
}

void emit_open(struct emit *e, FILE *out, int json)
{
	*e = (struct emit){ .out = out, .json = json };
	e->first[0] = 1;
	if (json)
		fputc('{', out);
	e->depth = 1;
	e->first[1] = 1;
}

void emit_close(struct emit *e)
{
	if (e->json)
		fputs("}\n", e->out);
	e->depth = 0;
}

static void nest(struct emit *e, const char *key, int is_array)
{
	e->array[e->depth + 1] = is_array;
	member(e, key, 1);
	if (e->json)
		fputc(is_array ? '[' : '{', e->out);
	e->depth++;
	e->first[e->depth] = 1;
	e->array[e->depth] = is_array;
}

void emit_obj(struct emit *e, const char *key)
{
	nest(e, key, 0);
}

void emit_arr(struct emit *e, const char *key)
{
	nest(e, key, 1);
}

void emit_end(struct emit *e)
{
	if (e->json)
		fputc(e->array[e->depth] ? ']' : '}', e->out);
	e->depth--;
}

void emit_str(struct emit *e, const char *key, const char *v)
{
	member(e, key, 0);
	if (!e->json) {
		fprintf(e->out, "%s\n", v);
		return;
	}
	fputc('"', e->out);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(e->out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(e->out, "\\u%04x", *p);
		else
			fputc(*p, e->out);
	}
	fputc('"', e->out);
}

void emit_u64(struct emit *e, const char *key, uint64_t v)
{
	member(e, key, 0);
	fprintf(e->out, e->json ? "%llu" : "%llu\n", (unsigned long long)v);
}

void emit_hex(struct emit *e, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	emit_str(e, key, buf);
}

void emit_bool(struct emit *e, const char *key, int v)
{
	member(e, key, 0);
	fprintf(e->out, e->json ? "%s" : "%s\n", v ? "true" : "false");
}
