/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "drivers/serial/uart16550.h"

/* Select the serial console. Returns 0, or -1 when no UART answers there
 * (output is written there anyway, in case the probe is wrong). */
int console_init(const struct uart *u, uint32_t baud);
void console_write(const char *s, unsigned long n);
/* "io:0x3f8" or "mmio:0xfe030000", for the report header. */
const char *console_name(void);

#endif
