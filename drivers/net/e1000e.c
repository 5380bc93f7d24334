// SPDX-License-Identifier: MIT
/* e1000e set-up as an MSI-X source. See Intel 82574 datasheet, 10.2.4. */
#include "drivers/net/e1000e.h"
#include "lib/errno.h"
#include "lib/printf.h"

int e1000e_probe(struct e1000e *e)
{
	struct pci_dev *d = pci_find(E1000E_VENDOR, E1000E_DEVICE, 0);
	uint32_t ivar = 0;
	int err;

	*e = (struct e1000e){ .pci = d };
	if (!d)
		return -ENODEV;
	if (d->bars[0].kind != BAR_MEM32) {
		ksnprintf(e->error, sizeof(e->error), "e1000e BAR0 is not 32-bit memory");
		return -EIO;
	}
	e->mmio = d->bars[0].addr;
	pci_enable_memory_and_master(d);
	if ((err = pci_msi_device_init(&e->dev, "e1000e", d)) ||
	    (err = pci_msix_domain_create(&e->dev))) {
		ksnprintf(e->error, sizeof(e->error), "e1000e MSI-X unusable (%s)", err_name(err));
		return err;
	}
	mmio_write32(e->mmio + E1000E_IMC, 0xffffffffu);
	for (uint32_t i = 0; i < E1000E_NVEC; i++)
		ivar |= (E1000E_IVAR_VALID | i) << (4 * i);
	mmio_write32(e->mmio + E1000E_IVAR, ivar);
	mmio_write32(e->mmio + E1000E_EIAC, 0);	/* causes stay in ICR until the handler reads it */
	for (uint32_t i = 0; i < E1000E_NVEC; i++)
		mmio_write32(e->mmio + E1000E_EITR(i), 0);	/* no throttling (82574 10.2.4.9) */
	(void)mmio_read32(e->mmio + E1000E_ICR);	/* clear whatever is pending */
	mmio_write32(e->mmio + E1000E_IMS, ((1u << E1000E_NVEC) - 1) << E1000E_CAUSE_FIRST);
	return 0;
}
