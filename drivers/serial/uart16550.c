// SPDX-License-Identifier: MIT
/*
 * 16550 UART on port I/O, polled transmit only.
 * See the TI PC16550D data sheet (SNLS378C), section 8 (registers).
 */
#include "drivers/serial/uart16550.h"
#include "arch/x86/cpu.h"

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
/* Bound on the transmit poll: ~1 s at the slowest plausible I/O rate. A
 * character at 9600 baud takes ~1 ms, so only a missing UART gets here. */
#define UART_POLL_MAX	1000000

int uart_init(uint16_t port, uint32_t baud)
{
	uint16_t div = (uint16_t)(baud && baud <= UART_CLOCK ? UART_CLOCK / baud : 1);

	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return -1;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, UART_LCR_DLAB);
	outb(port + UART_DLL, div & 0xff);
	outb(port + UART_DLM, div >> 8);
	outb(port + UART_LCR, UART_LCR_8N1);
	outb(port + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(port + UART_MCR, UART_MCR_DTR_RTS);
	return 0;
}

void uart_putc(uint16_t port, char c)
{
	for (int i = 0; i < UART_POLL_MAX; i++)
		if (inb(port + UART_LSR) & UART_LSR_THRE)
			break;
	outb(port + UART_THR, (uint8_t)c);
}
