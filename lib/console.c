// SPDX-License-Identifier: MIT
/* The console and the warnings held for after the report's header. */
#include "lib/console.h"
#include "lib/string.h"

static struct {
	void (*putc)(void *ctx, char c);
	void *ctx;
} outs[CONSOLE_OUTPUTS];
static int nouts;
static char name[CONSOLE_OUTPUTS * 24] = "none";
static volatile int lock;

static char held[WARN_HELD][160];
static int nheld, released;

void console_set_output(void (*putc)(void *ctx, char c), void *ctx, const char *n)
{
	nouts = 0;
	console_add_output(putc, ctx, n);
}

int console_add_output(void (*putc)(void *ctx, char c), void *ctx, const char *n)
{
	size_t len = nouts ? strlen(name) : 0;

	if (nouts == CONSOLE_OUTPUTS)
		return -1;
	ksnprintf(name + len, sizeof(name) - len, "%s%s", nouts ? "+" : "", n);
	outs[nouts].ctx = ctx;
	__atomic_store_n(&outs[nouts].putc, putc, __ATOMIC_RELEASE);
	nouts++;
	return 0;
}

const char *console_name(void)
{
	return name;
}

void console_write(const char *s, unsigned long n)
{
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	for (; n; n--, s++) {
		for (int i = 0; i < nouts; i++) {
			if (*s == '\n')
				outs[i].putc(outs[i].ctx, '\r');
			outs[i].putc(outs[i].ctx, *s);
		}
	}
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
}

void console_break_lock(void)
{
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
