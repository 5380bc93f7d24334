/* SPDX-License-Identifier: MIT */
/*
 * The console: every line of the report goes through here, whatever device
 * carries it (a UART driver registers itself as the output). A lock keeps
 * lines of different CPUs apart. Warnings raised before the report has its
 * header are held and printed after it.
 */
#ifndef LIB_CONSOLE_H
#define LIB_CONSOLE_H

#include "lib/printf.h"

#define CONSOLE_OUTPUTS	4

/* Send output to putc(ctx, c) alone; `name` ("io:0x3f8",
 * "mmio:0xfe030000") is what the report's header names. Output before the
 * first call is lost. console_add_output() mirrors to one more (up to
 * CONSOLE_OUTPUTS; the name becomes "io:0x3f8+io:0x2f8"): 0 or -1. */
void console_set_output(void (*putc)(void *ctx, char c), void *ctx, const char *name);
int console_add_output(void (*putc)(void *ctx, char c), void *ctx, const char *name);
void console_write(const char *s, unsigned long n);
/* For the last words of a run (a machine check, a bail-out) that may have
 * interrupted a print on this very CPU: take the lock over. The others
 * must be stopped first. */
void console_break_lock(void);
const char *console_name(void);

/* A "# warning: ..." line: printed now once warnings are released, else
 * kept (the first WARN_HELD of them) until warn_release(). */
#define WARN_HELD	24
void warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Print the warnings held so far; from now on warn() prints at once. */
void warn_release(void);

#endif
