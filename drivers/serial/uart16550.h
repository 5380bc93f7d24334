/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_SERIAL_UART16550_H
#define DRIVERS_SERIAL_UART16550_H

#include <stdint.h>

/* A 16550 at an I/O port, or memory-mapped with registers 1 << reg_shift
 * bytes apart (accessed with that width). */
struct uart {
	uint8_t mmio;
	uint8_t reg_shift;
	uint64_t base;
};

/* Program the UART for `baud` 8N1 (0: keep the firmware's divisor).
 * Returns 0, or -1 when no UART answers (its scratch register does not
 * hold a value). */
int uart_init(const struct uart *u, uint32_t baud);
void uart_putc(const struct uart *u, char c);
/* Make `u` the console (lib/console.h), or with `mirror` one more output of
 * it, and program it as uart_init does: 0, or -1 when no UART answers
 * (output goes there anyway, in case the probe is wrong). */
int uart_console(const struct uart *u, uint32_t baud, int mirror);

#endif
