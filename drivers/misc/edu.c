// SPDX-License-Identifier: MIT
/* QEMU's edu device: set-up and DMA. See QEMU docs/specs/edu.rst. */
#include "drivers/misc/edu.h"
#include "arch/x86/tsc.h"
#include "lib/errno.h"
#include "lib/printf.h"

static struct edu edus[EDU_MAX];

static int edu_setup(struct edu *e, struct pci_dev *d)
{
	uint32_t id;
	int err;

	e->pci = d;
	if (d->bars[0].kind != BAR_MEM32 && d->bars[0].kind != BAR_MEM64) {
		ksnprintf(e->error, sizeof(e->error), "edu BAR0 is not memory");
		return -EIO;
	}
	e->mmio = d->bars[0].addr;
	pci_enable_memory_and_master(d);
	id = mmio_read32(e->mmio + EDU_ID);
	if (EDU_ID_MAGIC(id) != EDU_ID_MAGIC_EDU) {
		ksnprintf(e->error, sizeof(e->error), "edu identification reads 0x%x", id);
		return -EIO;
	}
	if ((err = pci_msi_get(d, &e->msi)) ||
	    (err = pci_msi_device_init(&e->dev, "edu", d)) || (err = pci_msi_domain_create(&e->dev))) {
		ksnprintf(e->error, sizeof(e->error), "edu MSI domain: %s", err_name(err));
		return err;
	}
	return 0;
}

int edu_get(uint32_t index, struct edu **out)
{
	struct pci_dev *d = pci_find(EDU_VENDOR, EDU_DEVICE, index);
	struct edu *e = &edus[index];

	if (index >= EDU_MAX || !d)
		return -ENODEV;
	*out = e;
	if (!e->pci)
		e->status = edu_setup(e, d);
	return e->status;
}

int edu_dma(const struct edu *e, uint64_t src, uint64_t dst, uint32_t cmd)
{
	volatile uint64_t *r = phys_ptr(e->mmio);

	r[EDU_DMA_SRC / 8] = src;
	r[EDU_DMA_DST / 8] = dst;
	r[EDU_DMA_CNT / 8] = 4;
	r[EDU_DMA_CMD / 8] = cmd | EDU_DMA_START;
	return wait_ms(!(mmio_read32(e->mmio + EDU_DMA_CMD) & EDU_DMA_START), EDU_DMA_BOUND_MS);
}
