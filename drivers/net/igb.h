/* SPDX-License-Identifier: MIT */
/*
 * igb (82576, 8086:10c9; QEMU 10 and later) as an MSI-X source: up to ten
 * vectors, raised through the extended interrupt cause set register. See
 * Intel 82576 datasheet, 7.3.1 and 8.8 (in MSI-X mode EICR bit i is MSI-X
 * vector i).
 */
#ifndef DRIVERS_NET_IGB_H
#define DRIVERS_NET_IGB_H

#include "lib/compiler.h"
#include <stdint.h>
#include "arch/x86/cpu.h"
#include "drivers/pci/msi.h"

#define IGB_VENDOR		0x8086
#define IGB_DEVICE		0x10c9

#define IGB_GPIE		0x1514	/* general purpose interrupt enable */
# define IGB_GPIE_MSIX_MODE	(1u << 4)
#define IGB_EICS		0x1520	/* extended interrupt cause set */
#define IGB_EIMS		0x1524	/* extended interrupt mask set */
#define IGB_EIMC		0x1528	/* extended interrupt mask clear */
#define IGB_EIAC		0x152c	/* extended interrupt auto clear */
#define IGB_EICR		0x1580	/* extended interrupt cause read (write 1 to clear) */
#define IGB_NVEC_MAX		10

struct igb {
	struct pci_dev *pci;
	uint64_t mmio;
	uint32_t nvec;		/* vectors in use */
	struct msi_device dev;	/* with its PCI/MSI-X domain */
	char error[96];
};

/* The first igb in MSI-X mode, its vectors auto-cleared, its MSI-X domain
 * created. 0, -ENODEV (none), or another error with g->error saying why. */
int igb_probe(struct igb *g) MUST_CHECK;

/* Vector vec: its cause cleared and its mask set, ready to be raised. */
static inline void igb_rearm(const struct igb *g, uint32_t vec)
{
	mmio_write32(g->mmio + IGB_EICR, 1u << vec);
	mmio_write32(g->mmio + IGB_EIMS, 1u << vec);
}

static inline void igb_raise(const struct igb *g, uint32_t vec)
{
	mmio_write32(g->mmio + IGB_EICS, 1u << vec);
}

#endif
