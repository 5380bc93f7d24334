// SPDX-License-Identifier: MIT
/* The serial console: every line the report has goes through here. */
#include "kernel/console.h"
#include "kernel/printf.h"
#include "drivers/serial/uart16550.h"

static uint16_t console_port = 0x3f8;

int console_init(uint16_t port, uint32_t baud)
{
	console_port = port;
	return uart_init(port, baud);
}

void console_write(const char *s, unsigned long n)
{
	for (; n; n--, s++) {
		if (*s == '\n')
			uart_putc(console_port, '\r');
		uart_putc(console_port, *s);
	}
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
