/* SPDX-License-Identifier: MIT */
#ifndef DRIVERS_SERIAL_UART16550_H
#define DRIVERS_SERIAL_UART16550_H

#include <stdint.h>

/* Program the UART at I/O port `port` for `baud` 8N1. Returns 0, or -1 when
 * no UART answers there (its scratch register does not hold a value). */
int uart_init(uint16_t port, uint32_t baud);
void uart_putc(uint16_t port, char c);

#endif
