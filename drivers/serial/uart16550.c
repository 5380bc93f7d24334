// SPDX-License-Identifier: MIT
/*
 * 16550 UART, polled transmit only, on port I/O or MMIO.
 * See the TI PC16550D data sheet (SNLS378C), section 8 (registers).
 */
#include "drivers/serial/uart16550.h"
#include "arch/x86/cpu.h"
#include "lib/console.h"

#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1	/* interrupt enable (DLAB=0) */
#define UART_DLM	1	/* divisor latch high (DLAB=1) */
#define UART_FCR	2	/* FIFO control */
# define UART_FCR_ENABLE_CLEAR	0x07	/* enable FIFOs, clear both */
#define UART_LCR	3	/* line control */
# define UART_LCR_8N1	0x03
# define UART_LCR_DLAB	0x80	/* divisor latch access */
#define UART_MCR	4	/* modem control */
# define UART_MCR_DTR_RTS 0x03
#define UART_LSR	5	/* line status */
# define UART_LSR_THRE	0x20	/* transmit holding register empty */
#define UART_SCR	7	/* scratch */

#define UART_CLOCK	115200	/* 1.8432 MHz / 16 */
/* Bound on the transmit poll: a character at 9600 baud takes ~1 ms; only a
 * missing UART gets to the bound. */
#define UART_POLL_MAX	1000000

static uint8_t rd(const struct uart *u, unsigned reg)
{
	uint64_t a = u->base + ((uint64_t)reg << u->reg_shift);

	if (!u->mmio)
		return inb((uint16_t)a);
	return u->reg_shift == 2 ? (uint8_t)mmio_read32(a) : *(volatile uint8_t *)(uintptr_t)a;
}

static void wr(const struct uart *u, unsigned reg, uint8_t v)
{
	uint64_t a = u->base + ((uint64_t)reg << u->reg_shift);

	if (!u->mmio)
		outb((uint16_t)a, v);
	else if (u->reg_shift == 2)
		mmio_write32(a, v);
	else
		*(volatile uint8_t *)(uintptr_t)a = v;
}

int uart_init(const struct uart *u, uint32_t baud)
{
	uint16_t div = (uint16_t)(baud && baud <= UART_CLOCK ? UART_CLOCK / baud : 1);

	wr(u, UART_SCR, 0x5a);
	if (rd(u, UART_SCR) != 0x5a)
		return -1;
	wr(u, UART_IER, 0);
	if (baud) {
		wr(u, UART_LCR, UART_LCR_DLAB);
		wr(u, UART_DLL, div & 0xff);
		wr(u, UART_DLM, div >> 8);
	}
	wr(u, UART_LCR, UART_LCR_8N1);
	wr(u, UART_FCR, UART_FCR_ENABLE_CLEAR);
	wr(u, UART_MCR, UART_MCR_DTR_RTS);
	return 0;
}

void uart_putc(const struct uart *u, char c)
{
	for (int i = 0; i < UART_POLL_MAX; i++)
		if (rd(u, UART_LSR) & UART_LSR_THRE)
			break;
	wr(u, UART_THR, (uint8_t)c);
}

static struct uart console_uarts[CONSOLE_OUTPUTS];
static int nconsole;

static void console_putc(void *ctx, char c)
{
	uart_putc(ctx, c);
}

int uart_console(const struct uart *u, uint32_t baud, int mirror)
{
	struct uart *c;
	char name[32];

	if (!mirror)
		nconsole = 0;
	if (nconsole == CONSOLE_OUTPUTS)
		return -1;
	c = &console_uarts[nconsole++];
	*c = *u;
	ksnprintf(name, sizeof(name), "%s:0x%lx", u->mmio ? "mmio" : "io", u->base);
	if (mirror)
		console_add_output(console_putc, c, name);
	else
		console_set_output(console_putc, c, name);
	return uart_init(c, baud);
}
