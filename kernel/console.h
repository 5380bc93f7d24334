/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdint.h>

/* Select the serial console. Returns 0, or -1 when no UART answers at `port`
 * (output is then written there anyway, in case the probe is wrong). */
int console_init(uint16_t port, uint32_t baud);
void console_write(const char *s, unsigned long n);

#endif
