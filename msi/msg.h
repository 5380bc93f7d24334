/* SPDX-License-Identifier: MIT */
/*
 * A message-signalled interrupt: what a device writes, and where. The
 * format (compatibility or remappable, SDM Vol. 3A 10.11 and VT-d 5.1.5.2)
 * is the composing domain's business; devices store it as it is.
 */
#ifndef MSI_MSG_H
#define MSI_MSG_H

#include <stdint.h>

struct msi_msg {
	uint32_t address_lo;
	uint32_t address_hi;
	uint32_t data;
};

#endif
