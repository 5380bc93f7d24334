/* SPDX-License-Identifier: MIT */
/*
 * A message-signalled interrupt: what a device writes, and where. The
 * format (compatibility or remappable, SDM Vol. 3A 10.11 and VT-d 5.1.5.2)
 * is the composing domain's business; devices store it as it is.
 */
#ifndef ARCH_X86_MSI_MSG_H
#define ARCH_X86_MSI_MSG_H

#include <stdint.h>

struct msi_msg {
	uint32_t address_lo;
	uint32_t address_hi;
	uint32_t data;
};

/* The compatibility format (SDM Vol. 3A 10.11.1-2): physical destination
 * mode, fixed delivery, edge. */
#define MSI_ADDR_BASE		0xfee00000u
#define MSI_ADDR_DEST(id)	((uint32_t)(id) << 12)	/* bits 19:12 */
#define MSI_DATA_VECTOR(v)	((uint32_t)(v))

#endif
