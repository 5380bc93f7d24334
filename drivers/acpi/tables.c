// SPDX-License-Identifier: MIT
/*
 * MCFG, HPET, FADT and SPCR parsing: pure, host-tested and fuzzed.
 * MCFG: PCI Firmware Specification 3.2, 4.1.2: 8 reserved bytes after the
 * header, then 16-byte allocations (base u64, segment u16, start bus u8,
 * end bus u8, reserved u32).
 * HPET: IA-PC HPET 1.0a, 3.2.4: block ID at 36, base address GAS at 40,
 * HPET number at 52, minimum tick at 53.
 * FADT: ACPI 6.5 table 5.9: DSDT at 40, SCI_INT at 46, PM_TMR_BLK at 76,
 * IAPC_BOOT_ARCH at 109, Flags at 112, RESET_REG at 116, RESET_VALUE at
 * 128, X_DSDT at 140, X_PM_TMR_BLK at 208.
 * SPCR: Microsoft SPCR revision 2: interface type at 36, base address GAS
 * at 40, interrupt type 52, IRQ 53, GSI 54, baud rate code 58, PCI device
 * ID 64, vendor ID 66 (0xffff: not a PCI UART), bus 68, device 69,
 * function 70, segment 75.
 */
#include "drivers/acpi/tables.h"
#include "lib/string.h"

#define MCFG_FIRST	44
#define MCFG_ENTRY	16

int mcfg_parse(const void *t, size_t len, struct mcfg *m)
{
	const uint8_t *b = t;

	memset(m, 0, sizeof(*m));
	len = acpi_table_check(t, len, "MCFG", MCFG_FIRST, &m->err);
	if (!len)
		return -1;
	if ((len - MCFG_FIRST) % MCFG_ENTRY)
		acpi_err(&m->err, "MCFG: %zu bytes of allocations is not a multiple of 16",
			 len - MCFG_FIRST);
	for (size_t off = MCFG_FIRST; off + MCFG_ENTRY <= len; off += MCFG_ENTRY) {
		struct mcfg_segment s = { acpi_rd64(b + off), acpi_rd16(b + off + 8), b[off + 10],
					  b[off + 11] };

		if (s.bus_start > s.bus_end || !s.base || s.base & 0xfffff) {
			acpi_err(&m->err, "MCFG: allocation at %zu (base 0x%lx, buses %u-%u) invalid",
				 off, s.base, s.bus_start, s.bus_end);
			continue;
		}
		if (m->n == MCFG_SEGMENTS_MAX) {
			acpi_err(&m->warn, "MCFG: more than %d allocations; the rest left out",
				 MCFG_SEGMENTS_MAX);
			break;
		}
		m->seg[m->n++] = s;
	}
	if (m->n == 0)
		acpi_err(&m->err, "MCFG: no valid allocation");
	return m->err.n ? -1 : 0;
}

int hpet_table_parse(const void *t, size_t len, struct hpet_table *h)
{
	const uint8_t *b = t;

	memset(h, 0, sizeof(*h));
	len = acpi_table_check(t, len, "HPET", 56, &h->err);
	if (!len)
		return -1;
	h->block_id = acpi_rd32(b + 36);
	h->base = acpi_rd_gas(b + 40);
	h->number = b[52];
	h->min_tick = acpi_rd16(b + 53);
	if (h->base.space != ACPI_GAS_MEMORY || !h->base.address)
		acpi_err(&h->err, "HPET: base address 0x%lx in space %u is not usable memory",
			 h->base.address, h->base.space);
	return h->err.n ? -1 : 0;
}

int fadt_parse(const void *t, size_t len, struct fadt *f)
{
	const uint8_t *b = t;

	memset(f, 0, sizeof(*f));
	/* ACPI 1.0's FADT is 116 bytes; everything after is optional. */
	len = acpi_table_check(t, len, "FACP", 116, &f->err);
	if (!len)
		return -1;
	f->revision = b[8];
	f->dsdt = acpi_rd32(b + 40);
	f->sci_int = acpi_rd16(b + 46);
	f->pm_timer_port = acpi_rd32(b + 76);
	f->boot_arch = acpi_rd16(b + 109);
	f->flags = acpi_rd32(b + 112);
	f->pm_timer_32bit = !!(f->flags & FADT_FLAG_TMR_VAL_EXT);
	if (len >= 129) {
		f->reset_reg = acpi_rd_gas(b + 116);
		f->reset_value = b[128];
	}
	if (len >= 148 && acpi_rd64(b + 140))
		f->dsdt = acpi_rd64(b + 140);
	if (len >= 220) {
		struct acpi_gas x = acpi_rd_gas(b + 208);

		if (x.address && x.space == ACPI_GAS_IO && x.address <= 0xffff)
			f->pm_timer_port = (uint32_t)x.address;
	}
	if (f->pm_timer_port > 0xffff) {
		acpi_err(&f->err, "FADT: PM timer port 0x%x is not an I/O port", f->pm_timer_port);
		f->pm_timer_port = 0;
	}
	return f->err.n ? -1 : 0;
}

int spcr_parse(const void *t, size_t len, struct spcr *s)
{
	static const uint32_t bauds[8] = { 0, 0, 0, 9600, 19200, 0, 57600, 115200 };
	const uint8_t *b = t;

	memset(s, 0, sizeof(*s));
	len = acpi_table_check(t, len, "SPCR", 80, &s->err);
	if (!len)
		return -1;
	s->interface = b[36];
	s->base = acpi_rd_gas(b + 40);
	s->irq = b[53];
	s->gsi = acpi_rd32(b + 54);
	s->baud = b[58] < 8 ? bauds[b[58]] : 0;
	s->pci_device = acpi_rd16(b + 64);
	s->pci_vendor = acpi_rd16(b + 66);
	s->pci_bus = b[68];
	s->pci_dev = b[69];
	s->pci_fn = b[70];
	s->pci_segment = b[75];
	if (b[58] && !s->baud)
		acpi_err(&s->err, "SPCR: baud rate code %u unknown", b[58]);
	if (s->interface != SPCR_IF_16550 && s->interface != SPCR_IF_16450 &&
	    s->interface != SPCR_IF_16550_GAS)
		acpi_err(&s->err, "SPCR: interface type 0x%x is not a 16550", s->interface);
	if (!s->base.address || (s->base.space != ACPI_GAS_IO && s->base.space != ACPI_GAS_MEMORY))
		acpi_err(&s->err, "SPCR: base address 0x%lx in space %u unusable", s->base.address,
			 s->base.space);
	return s->err.n ? -1 : 0;
}
