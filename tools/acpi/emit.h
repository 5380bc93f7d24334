/* SPDX-License-Identifier: MIT */
/*
 * One decode, two renderings: JSON (RFC 8259) for programs, or indented
 * "key: value" lines (YAML-like) for people. Objects and arrays nest;
 * commas, dashes and indentation come by themselves.
 */
#ifndef TOOLS_ACPI_EMIT_H
#define TOOLS_ACPI_EMIT_H

#include <stdint.h>
#include <stdio.h>

#define EMIT_DEPTH 16

struct emit {
	FILE *out;
	int json;
	int depth;
	int first[EMIT_DEPTH];	/* nothing written yet at this depth */
	int array[EMIT_DEPTH];	/* this depth is an array */
	int dash;		/* text: "- " written, the next member goes after it */
};

void emit_open(struct emit *e, FILE *out, int json);
void emit_close(struct emit *e);
/* key is NULL inside an array. */
void emit_obj(struct emit *e, const char *key);
void emit_arr(struct emit *e, const char *key);
void emit_end(struct emit *e);
void emit_str(struct emit *e, const char *key, const char *v);
void emit_u64(struct emit *e, const char *key, uint64_t v);
/* A number in hex ("0xfee00000" as a JSON string): addresses and flags. */
void emit_hex(struct emit *e, const char *key, uint64_t v);
void emit_bool(struct emit *e, const char *key, int v);

#endif
