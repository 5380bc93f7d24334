// SPDX-License-Identifier: MIT
/* igb set-up as an MSI-X source. See Intel 82576 datasheet, 7.3.1, 8.8. */
#include "drivers/net/igb.h"
#include "lib/errno.h"
#include "lib/printf.h"

int igb_probe(struct igb *g)
{
	struct pci_dev *d = pci_find(IGB_VENDOR, IGB_DEVICE, 0);
	struct pci_msix x;
	int err;

	*g = (struct igb){ .pci = d };
	if (!d)
		return -ENODEV;
	if (d->bars[0].kind != BAR_MEM32 && d->bars[0].kind != BAR_MEM64) {
		ksnprintf(g->error, sizeof(g->error), "igb BAR0 is not memory");
		return -EIO;
	}
	g->mmio = d->bars[0].addr;
	pci_enable_memory_and_master(d);
	if ((err = pci_msi_device_init(&g->dev, "igb", d)) || (err = pci_msix_domain_create(&g->dev)) ||
	    (err = pci_msix_get(d, &x))) {
		ksnprintf(g->error, sizeof(g->error), "igb MSI-X unusable (%s)", err_name(err));
		return err;
	}
	g->nvec = x.nvec < IGB_NVEC_MAX ? x.nvec : IGB_NVEC_MAX;
	mmio_write32(g->mmio + IGB_EIMC, 0xffffffffu);
	mmio_write32(g->mmio + IGB_GPIE, mmio_read32(g->mmio + IGB_GPIE) | IGB_GPIE_MSIX_MODE);
	mmio_write32(g->mmio + IGB_EIAC, (1u << g->nvec) - 1);
	mmio_write32(g->mmio + IGB_EICR, 0xffffffffu);
	return 0;
}
