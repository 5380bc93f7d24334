// SPDX-License-Identifier: MIT
/*
 * e1000e (82574L, 8086:10d3) as an MSI-X source: five vectors, raised by
 * software through the interrupt cause set register. See Intel 82574
 * datasheet, 10.2.4 (ICR 0xC0, ICS 0xC8, IMS 0xD0, IMC 0xD8, EIAC 0xDC,
 * IVAR 0xE4: four bits per cause, vector in 2:0 and valid in 3, for RxQ0,
 * RxQ1, TxQ0, TxQ1 and Other, whose ICR bits are 20-24). QEMU raises an
 * MSI-X vector for a cause newly set in ICR and enabled in IMS
 * (hw/net/e1000e_core.c), so each trigger clears the cause first and the
 * handler reads ICR (clear on read); a masked vector's message waits in
 * the PBA. QEMU throttles MSI-X notifications to an EITR interval of at
 * least 500 x 256 ns (E1000E_MIN_XITR) and here delivers each ICS write
 * twice, some 40 us and 200 us later: see s->qemu_quirk.
 */
#include "msi/source.h"
#include "drivers/pci/msi.h"
#include "arch/x86/cpu.h"
#include "kernel/errno.h"
#include "kernel/printf.h"

#define E1000E_VENDOR	0x8086
#define E1000E_DEVICE	0x10d3
#define REG_ICR		0x00c0
#define REG_ICS		0x00c8
#define REG_IMS		0x00d0
#define REG_IMC		0x00d8
#define REG_EIAC	0x00dc
#define REG_IVAR	0x00e4
# define IVAR_VALID	0x8
#define CAUSE_FIRST	20	/* RxQ0; then RxQ1, TxQ0, TxQ1, Other */
#define NVEC		5

static uint64_t mmio;

static uint64_t e1000e_trigger(struct irq_source *s, uint32_t i)
{
	uint32_t cause = 1u << (CAUSE_FIRST + i);
	uint64_t t0;

	(void)s;
	mmio_write32(mmio + REG_ICR, cause);	/* write 1 to clear: raise it anew */
	t0 = rdtsc();
	mmio_write32(mmio + REG_ICS, cause);
	return t0;
}

static void e1000e_ack(struct irq_source *s, uint32_t i)
{
	(void)s;
	(void)i;
	(void)mmio_read32(mmio + REG_ICR);	/* clear on read */
}

int e1000e_source(struct irq_source *s)
{
	struct pci_dev *d = pci_find(E1000E_VENDOR, E1000E_DEVICE, 0);
	uint32_t ivar = 0;
	int e;

	*s = (struct irq_source){ .name = "e1000e", .kind = "PCI-MSIX", .nvec = NVEC,
				  .has_pending = 1, .trigger = e1000e_trigger, .ack = e1000e_ack,
				  .qemu_quirk = "QEMU's e1000e throttles MSI-X (EITR at least 128 us, "
						"E1000E_MIN_XITR) and delivers each ICS write twice: "
						"exactly-once delivery and latency cannot be shown here" };
	if (!d || d->bars[0].kind != BAR_MEM32) {
		ksnprintf(s->absent, sizeof(s->absent), "no e1000e (QEMU: -device e1000e)");
		return -ENODEV;
	}
	mmio = d->bars[0].addr;
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_MEM | PCI_CMD_MASTER);
	s->dev = (struct msi_device){ "e1000e", d->seg, pci_requester_id(d), d, 0, 0 };
	if ((e = pci_msix_domain_create(&s->dev))) {
		ksnprintf(s->absent, sizeof(s->absent), "e1000e MSI-X unusable (error %d)", e);
		return -ENODEV;
	}
	mmio_write32(mmio + REG_IMC, 0xffffffffu);
	for (uint32_t i = 0; i < NVEC; i++)
		ivar |= (IVAR_VALID | i) << (4 * i);
	mmio_write32(mmio + REG_IVAR, ivar);
	mmio_write32(mmio + REG_EIAC, 0);	/* causes stay in ICR until the handler reads it */
	(void)mmio_read32(mmio + REG_ICR);	/* clear whatever is pending */
	mmio_write32(mmio + REG_IMS, ((1u << NVEC) - 1) << CAUSE_FIRST);
	return 0;
}
