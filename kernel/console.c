// SPDX-License-Identifier: MIT
/* The serial console: every line the report has goes through here. A lock
 * keeps lines of different CPUs apart. */
#include "kernel/console.h"
#include "kernel/printf.h"
#include "arch/x86/cpu.h"

static struct uart console = { 0, 0, 0x3f8 };
static char name[32] = "io:0x3f8";
static volatile int lock;

int console_init(const struct uart *u, uint32_t baud)
{
	console = *u;
	ksnprintf(name, sizeof(name), "%s:0x%lx", u->mmio ? "mmio" : "io", u->base);
	return uart_init(u, baud);
}

const char *console_name(void)
{
	return name;
}

void console_write(const char *s, unsigned long n)
{
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	for (; n; n--, s++) {
		if (*s == '\n')
			uart_putc(&console, '\r');
		uart_putc(&console, *s);
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
