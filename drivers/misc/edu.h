/* SPDX-License-Identifier: MIT */
/*
 * QEMU's edu device (1234:11e8), an MSI source and a DMA engine. See QEMU
 * docs/specs/edu.rst: BAR0 registers; its MSI capability has no per-vector
 * mask, so it cannot be masked at the source. DMA needs the device option
 * dma_mask=0xffffffff and completes 100 ms of virtual time later.
 */
#ifndef DRIVERS_MISC_EDU_H
#define DRIVERS_MISC_EDU_H

#include "lib/compiler.h"
#include <stdint.h>
#include "arch/x86/cpu.h"
#include "drivers/pci/msi.h"
#include "msi/device.h"

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8

#define EDU_ID			0x00	/* identification, 0xRRrr00ed */
# define EDU_ID_MAGIC(v)	((v) & 0xff)
# define EDU_ID_MAGIC_EDU	0xed
#define EDU_INT_STATUS		0x24	/* interrupt status */
#define EDU_INT_RAISE		0x60	/* ORs the value into the status, sends the MSI */
#define EDU_INT_ACK		0x64	/* clears status bits */
# define EDU_INT_BIT		0x1	/* the bit this driver raises */
#define EDU_DMA_SRC		0x80	/* DMA source address */
#define EDU_DMA_DST		0x88	/* DMA destination address */
#define EDU_DMA_CNT		0x90	/* DMA byte count */
#define EDU_DMA_CMD		0x98	/* DMA command */
# define EDU_DMA_START		(1u << 0)	/* start; clears when done */
# define EDU_DMA_TO_RAM		(1u << 1)	/* from the device buffer to RAM */
#define EDU_BUF			0x40000	/* the device's DMA buffer, in its address space */

#define EDU_MAX			4
#define EDU_DMA_BOUND_MS	2000	/* 100 ms of virtual time, on a slow host */

struct edu {
	struct pci_dev *pci;
	uint64_t mmio;
	struct pci_msi msi;
	struct msi_device dev;	/* with its PCI/MSI domain */
	int status;		/* 0, or why it is unusable: */
	char error[96];
};

/* The index-th edu in *out, set up on the first call (memory and bus
 * master on, identification checked, its MSI domain created). 0, -ENODEV
 * (no such device), or another error with (*out)->error saying why. */
int edu_get(uint32_t index, struct edu **out) MUST_CHECK;

static inline void edu_raise(const struct edu *e)
{
	mmio_write32(e->mmio + EDU_INT_RAISE, EDU_INT_BIT);
}

static inline void edu_ack(const struct edu *e)
{
	mmio_write32(e->mmio + EDU_INT_ACK, EDU_INT_BIT);
}

/* Copy 4 bytes from src to dst in the device's DMA (cmd EDU_DMA_TO_RAM:
 * from its buffer to RAM) and wait for it: 0 or -ETIMEDOUT. */
int edu_dma(const struct edu *e, uint64_t src, uint64_t dst, uint32_t cmd) MUST_CHECK;

#endif
