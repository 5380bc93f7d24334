// SPDX-License-Identifier: MIT
/* The console and the warnings held for after the report's header. */
#include "lib/console.h"
#include "lib/string.h"

static void (*out)(void *ctx, char c);
static void *out_ctx;
static char name[32] = "none";
static volatile int lock;

static char held[WARN_HELD][160];
static int nheld, released;

void console_set_output(void (*putc)(void *ctx, char c), void *ctx, const char *n)
{
	out = putc;
	out_ctx = ctx;
	ksnprintf(name, sizeof(name), "%s", n);
}

const char *console_name(void)
{
	return name;
}

void console_write(const char *s, unsigned long n)
{
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	for (; n && out; n--, s++) {
		if (*s == '\n')
			out(out_ctx, '\r');
		out(out_ctx, *s);
	}
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

int kprintf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, n < (int)sizeof(buf) ? (unsigned long)n : sizeof(buf) - 1);
	return n;
}

void warn(const char *fmt, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (released) {
		kprintf("# warning: %s\n", line);
		return;
	}
	if (nheld < WARN_HELD)
		memcpy(held[nheld], line, sizeof(line));
	nheld++;
}

void warn_release(void)
{
	released = 1;
	for (int i = 0; i < nheld && i < WARN_HELD; i++)
		kprintf("# warning: %s\n", held[i]);
	if (nheld > WARN_HELD)
		kprintf("# warning: %d more warnings not shown\n", nheld - WARN_HELD);
}
