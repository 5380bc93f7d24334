// SPDX-License-Identifier: MIT
/*
 * MADT parsing: pure, host-tested (tests/host/test_madt.c).
 * See ACPI Specification 6.5, 5.2.12: the header is followed by the local
 * APIC address (u32, offset 36) and flags (u32, offset 40); structures
 * start at offset 44, each with type (u8) and length (u8).
 */
#include "drivers/acpi/madt.h"
#include "lib/string.h"

#define MADT_HEADER_LEN 44
#define rd16 acpi_rd16
#define rd32 acpi_rd32
#define err(m, ...) acpi_err(&(m)->err, __VA_ARGS__)
#define MADT_TYPE_LAST_KNOWN	0x18	/* ACPI 6.5 table 5.20: 0x19-0x7F reserved, 0x80-0xFF OEM */

static void add_cpu(struct madt *m, uint32_t apic_id, uint32_t uid, uint32_t flags,
		    int x2entry, int x2apic)
{
	/* Online Capable is defined from MADT revision 5 (ACPI 6.3, 5.2.12.2);
	 * before, bit 1 is reserved and says nothing. */
	if (m->revision < 5 && (flags & MADT_CPU_ONLINE_CAPABLE)) {
		if (!m->reserved_flag++)
			acpi_err(&m->warn, "CPU uid %u: flag bit 1 (online capable) set in a revision "
				 "%u MADT, where it is reserved; ignored", uid, m->revision);
		flags &= ~MADT_CPU_ONLINE_CAPABLE;
	}
	if (!(flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)))
		return;		/* not present: not an error */
	for (uint32_t i = 0; i < m->ncpus; i++) {
		if (m->cpus[i].apic_id == apic_id) {
			err(m, "duplicate APIC ID %u (uid %u); the first is kept", apic_id, uid);
			return;
		}
	}
	if (!x2apic && apic_id > 254) {
		err(m, "APIC ID %u above 254 is unusable in xAPIC mode; CPU left out", apic_id);
		return;
	}
	if (m->ncpus == MADT_CPUS_MAX) {
		acpi_err(&m->warn, "more than %d CPUs; the rest left out", MADT_CPUS_MAX);
		return;
	}
	m->cpus[m->ncpus++] = (struct madt_cpu){ .apic_id = apic_id, .uid = uid, .flags = flags,
						 .x2apic_entry = (uint8_t)x2entry };
}

/* Minimum length of each structure type this parser reads. */
static unsigned min_len(uint8_t type)
{
	switch (type) {
	case MADT_TYPE_LAPIC: return 8;
	case MADT_TYPE_IOAPIC: return 12;
	case MADT_TYPE_OVERRIDE: return 10;
	case MADT_TYPE_LAPIC_NMI: return 6;
	case MADT_TYPE_LAPIC_ADDR: return 12;
	case MADT_TYPE_X2APIC: return 16;
	case MADT_TYPE_X2APIC_NMI: return 12;
	default: return 2;
	}
}

static void entry(struct madt *m, const uint8_t *e, int x2apic)
{
	switch (e[0]) {
	case MADT_TYPE_LAPIC:
		add_cpu(m, e[3], e[2], rd32(e + 4), 0, x2apic);
		break;
	case MADT_TYPE_X2APIC:
		add_cpu(m, rd32(e + 4), rd32(e + 12), rd32(e + 8), 1, x2apic);
		break;
	case MADT_TYPE_IOAPIC:
		if (m->nioapics == MADT_IOAPICS_MAX) {
			acpi_err(&m->warn, "more than %d IO-APICs; the rest left out",
				 MADT_IOAPICS_MAX);
			break;
		}
		m->ioapics[m->nioapics++] = (struct madt_ioapic){ .id = e[2], .addr = rd32(e + 4),
								    .gsi_base = rd32(e + 8) };
		break;
	case MADT_TYPE_OVERRIDE:
		if (m->noverrides == MADT_OVERRIDES_MAX) {
			acpi_err(&m->warn, "more than %d interrupt source overrides; the rest left out",
				 MADT_OVERRIDES_MAX);
			break;
		}
		m->overrides[m->noverrides++] =
			(struct madt_override){ .bus = e[2], .source = e[3], .gsi = rd32(e + 4),
						.flags = rd16(e + 8) };
		break;
	case MADT_TYPE_LAPIC_NMI:
	case MADT_TYPE_X2APIC_NMI:
		if (m->nmis_listed++ == MADT_NMIS_MAX)
			acpi_err(&m->warn, "more than %d local APIC NMI entries (four per CPU): "
				 "the first %d kept", MADT_NMIS_MAX, MADT_NMIS_MAX);
		if (m->nnmis == MADT_NMIS_MAX)
			break;
		if (e[0] == MADT_TYPE_LAPIC_NMI)
			m->nmis[m->nnmis++] = (struct madt_lapic_nmi){
				.uid = e[2] == 0xff ? 0xffffffffu : e[2], .flags = rd16(e + 3),
				.lint = e[5] };
		else
			m->nmis[m->nnmis++] = (struct madt_lapic_nmi){
				.uid = rd32(e + 4), .flags = rd16(e + 2), .lint = e[8] };
		break;
	case MADT_TYPE_LAPIC_ADDR:
		m->lapic_addr = acpi_rd64(e + 4);
		break;
	default:
		if (e[0] > MADT_TYPE_LAST_KNOWN) {
			if (!m->unknown++)
				acpi_err(&m->warn, "structure of %s type 0x%x (length %u) stepped over",
					 e[0] < 0x80 ? "reserved" : "OEM", e[0], e[1]);
		}
		break;	/* other structures: not used here */
	}
}

int madt_parse(const void *table, size_t len, int x2apic, struct madt *m)
{
	const uint8_t *t = table;
	size_t off;

	memset(m, 0, sizeof(*m));
	len = acpi_table_check(table, len, "APIC", MADT_HEADER_LEN, &m->err);
	if (!len)
		return -1;
	m->revision = t[8];
	m->lapic_addr = rd32(t + 36);
	m->flags = rd32(t + 40);
	for (off = MADT_HEADER_LEN; off + 2 <= len;) {
		uint8_t type = t[off], elen = t[off + 1];

		if (elen < 2) {
			err(m, "structure type %u at offset %zu has length %u", type, off, elen);
			break;
		}
		if (off + elen > len) {
			err(m, "structure type %u at offset %zu (length %u) runs past the table end %zu",
			    type, off, elen, len);
			break;
		}
		if (elen < min_len(type))
			err(m, "structure type %u at offset %zu: length %u < %u, skipped",
			    type, off, elen, min_len(type));
		else
			entry(m, t + off, x2apic);
		off += elen;
	}
	if (off < len && off + 2 > len)
		err(m, "%zu stray bytes at the end", len - off);
	if (m->unknown > 1)
		acpi_err(&m->warn, "%u structures of reserved or OEM types stepped over in all",
			 m->unknown);
	if (madt_usable_cpus(m) == 0)
		err(m, "no usable CPU");
	return m->err.n ? -1 : 0;
}

uint32_t madt_usable_cpus(const struct madt *m)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < m->ncpus; i++)
		n += !!(m->cpus[i].flags & MADT_CPU_ENABLED);
	return n;
}

uint32_t madt_enabled_apic_ids(const struct madt *m, uint32_t *ids, uint32_t max)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < m->ncpus && n < max; i++)
		if (m->cpus[i].flags & MADT_CPU_ENABLED)
			ids[n++] = m->cpus[i].apic_id;
	return n;
}
