/* SPDX-License-Identifier: MIT */
/*
 * A small printf: %d %i %u %x %X %s %c %p %%, the l/ll/z length modifiers,
 * width, '0' and '-' flags, and precision for %s. No floating point: the
 * firmware is built with -mgeneral-regs-only.
 */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Print to the console. */
int kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

#endif
