// SPDX-License-Identifier: MIT
/*
 * QEMU's edu device (1234:11e8) as an MSI source. See QEMU
 * docs/specs/edu.rst: BAR0 registers 0x00 identification (0xRRrr00ed),
 * 0x24 interrupt status, 0x60 interrupt raise (ORs the value into the
 * status and sends the MSI), 0x64 interrupt acknowledge (clears bits).
 * Its MSI capability has no per-vector mask, so it cannot be masked at the
 * source.
 */
#include "msi/source.h"
#include "drivers/pci/msi.h"
#include "arch/x86/cpu.h"
#include "kernel/errno.h"
#include "kernel/printf.h"

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_ID		0x00
# define EDU_ID_MAGIC	0xed
#define EDU_INT_STATUS	0x24
#define EDU_INT_RAISE	0x60
#define EDU_INT_ACK	0x64
#define EDU_IRQ_BIT	0x1

static uint64_t edu_mmio;

static uint64_t edu_trigger(struct irq_source *s, uint32_t i)
{
	uint64_t t0;

	(void)s;
	(void)i;
	t0 = rdtsc();
	mmio_write32(edu_mmio + EDU_INT_RAISE, EDU_IRQ_BIT);
	return t0;
}

static void edu_ack(struct irq_source *s, uint32_t i)
{
	(void)s;
	(void)i;
	mmio_write32(edu_mmio + EDU_INT_ACK, EDU_IRQ_BIT);
}

int edu_source(struct irq_source *s)
{
	struct pci_dev *d = pci_find(EDU_VENDOR, EDU_DEVICE, 0);
	int e;

	*s = (struct irq_source){ .name = "edu", .kind = "PCI-MSI", .nvec = 1,
				  .trigger = edu_trigger, .ack = edu_ack };
	if (!d || d->bars[0].kind == BAR_NONE || d->bars[0].kind == BAR_IO) {
		ksnprintf(s->absent, sizeof(s->absent), "no edu device (QEMU: -device edu)");
		return -ENODEV;
	}
	edu_mmio = d->bars[0].addr;
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_MEM | PCI_CMD_MASTER);
	if ((mmio_read32(edu_mmio + EDU_ID) & 0xff) != EDU_ID_MAGIC) {
		ksnprintf(s->absent, sizeof(s->absent), "edu identification reads 0x%x",
			  mmio_read32(edu_mmio + EDU_ID));
		return -ENODEV;
	}
	s->dev = (struct msi_device){ "edu", d->seg, pci_requester_id(d), d, 0, 0 };
	if ((e = pci_msi_domain_create(&s->dev))) {
		ksnprintf(s->absent, sizeof(s->absent), "edu MSI domain: error %d", e);
		return -ENODEV;
	}
	return 0;
}
