// SPDX-License-Identifier: MIT
/*
 * igb (82576, 8086:10c9; QEMU 10 and later) as an MSI-X source: ten
 * vectors, raised through the extended interrupt cause set register. See
 * Intel 82576 datasheet, 7.3.1 and 8.8 (GPIE 0x1514 with MSIX_MODE bit 4;
 * EICS 0x1520, EIMS 0x1524, EIMC 0x1528, EIAC 0x152C, EICR 0x1580: in
 * MSI-X mode EICR bit i is MSI-X vector i).
 */
#include "msi/source.h"
#include "drivers/pci/msi.h"
#include "arch/x86/cpu.h"
#include "kernel/errno.h"
#include "kernel/printf.h"

#define IGB_VENDOR	0x8086
#define IGB_DEVICE	0x10c9
#define REG_GPIE	0x1514
# define GPIE_MSIX_MODE	(1u << 4)
#define REG_EICS	0x1520
#define REG_EIMS	0x1524
#define REG_EIMC	0x1528
#define REG_EIAC	0x152c
#define REG_EICR	0x1580
#define NVEC_MAX	10

static uint64_t mmio;

static uint64_t igb_trigger(struct irq_source *s, uint32_t i)
{
	uint64_t t0;

	(void)s;
	mmio_write32(mmio + REG_EICR, 1u << i);	/* write 1 to clear */
	mmio_write32(mmio + REG_EIMS, 1u << i);
	t0 = rdtsc();
	mmio_write32(mmio + REG_EICS, 1u << i);
	return t0;
}

int igb_source(struct irq_source *s)
{
	struct pci_dev *d = pci_find(IGB_VENDOR, IGB_DEVICE, 0);
	struct pci_msix x;
	int e;

	*s = (struct irq_source){ .name = "igb", .kind = "PCI-MSIX", .has_pending = 1,
				  .trigger = igb_trigger };
	if (!d || d->bars[0].kind == BAR_NONE || d->bars[0].kind == BAR_IO) {
		ksnprintf(s->absent, sizeof(s->absent),
			  "no igb (QEMU 10: -device igb; QEMU 7.2 has none)");
		return -ENODEV;
	}
	mmio = d->bars[0].addr;
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_MEM | PCI_CMD_MASTER);
	s->dev = (struct msi_device){ "igb", d->seg, pci_requester_id(d), d, 0, 0 };
	if ((e = pci_msix_domain_create(&s->dev)) || pci_msix_get(d, &x)) {
		ksnprintf(s->absent, sizeof(s->absent), "igb MSI-X unusable (error %d)", e);
		return -ENODEV;
	}
	s->nvec = x.nvec < NVEC_MAX ? x.nvec : NVEC_MAX;
	mmio_write32(mmio + REG_EIMC, 0xffffffffu);
	mmio_write32(mmio + REG_GPIE, mmio_read32(mmio + REG_GPIE) | GPIE_MSIX_MODE);
	mmio_write32(mmio + REG_EIAC, (1u << s->nvec) - 1);
	mmio_write32(mmio + REG_EICR, 0xffffffffu);
	return 0;
}
