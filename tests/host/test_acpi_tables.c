// SPDX-License-Identifier: MIT
/*
 * The ACPI table parsers (MCFG, HPET, FADT, SPCR, DMAR, IVRS) on tables
 * QEMU generated (tests/host/fixtures, dumped by tests=acpi.dump), on every
 * truncation of them, and on corrupted copies. QEMU's x86 machines have no
 * SPCR: that fixture is built here from the Microsoft SPCR revision 2 layout.
 */
#include "tests/host/host.h"
#include "tests/host/fixture.h"
#include "drivers/acpi/parsed.h"

static struct dmar dm;
static struct ivrs iv;

typedef int (*parse_fn)(const void *t, size_t len, void *out);

static int p_mcfg(const void *t, size_t len, void *o) { return mcfg_parse(t, len, o); }
static int p_hpet(const void *t, size_t len, void *o) { return hpet_table_parse(t, len, o); }
static int p_fadt(const void *t, size_t len, void *o) { return fadt_parse(t, len, o); }
static int p_spcr(const void *t, size_t len, void *o) { return spcr_parse(t, len, o); }
static int p_dmar(const void *t, size_t len, void *o) { return dmar_parse(t, len, o); }
static int p_ivrs(const void *t, size_t len, void *o) { return ivrs_parse(t, len, o); }

static union acpi_parsed out;

/* Every prefix of the table: an error, and no read past it (ASan). */
static void truncations(const uint8_t *t, size_t len, parse_fn parse)
{
	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);

		memcpy(copy, t, n);
		assert_int_equal(parse(copy, n, &out), -1);
		free(copy);
	}
}

/* Bytes flipped at random (seeded, so repeatable), checksum fixed: the
 * parser may accept or refuse, but must stay inside the buffer. */
static void corruptions(const uint8_t *t, size_t len, parse_fn parse)
{
	uint8_t *copy = malloc(len);

	srand(7);
	for (int round = 0; round < 2000; round++) {
		memcpy(copy, t, len);
		for (int k = 0; k < 1 + round % 4; k++)
			copy[36 + rand() % (len - 36)] = (uint8_t)rand();
		fixture_checksum(copy, len);
		parse(copy, len, &out);
	}
	free(copy);
}

static void sweep(const char *name, parse_fn parse)
{
	size_t len;
	uint8_t *t = fixture(name, &len);

	truncations(t, len, parse);
	corruptions(t, len, parse);
	t[len - 1] ^= 0x5a;	/* checksum now wrong */
	assert_int_equal(parse(t, len, &out), -1);
	free(t);
}

static void mcfg_qemu(void **state)
{
	size_t len;
	uint8_t *t = fixture("qemu-q35-smp4-iommu/MCFG.bin", &len);

	(void)state;
	assert_int_equal(mcfg_parse(t, len, &out.mcfg), 0);
	assert_int_equal(out.mcfg.n, 1);
	assert_int_equal(out.mcfg.seg[0].base, 0xb0000000);
	assert_int_equal(out.mcfg.seg[0].segment, 0);
	assert_int_equal(out.mcfg.seg[0].bus_start, 0);
	assert_int_equal(out.mcfg.seg[0].bus_end, 255);
	t[44 + 10] = 9;		/* start bus above end bus */
	t[44 + 11] = 3;
	fixture_checksum(t, len);
	assert_int_equal(mcfg_parse(t, len, &out.mcfg), -1);
	assert_int_equal(out.mcfg.n, 0);
	free(t);
	sweep("qemu-q35-smp4-iommu/MCFG.bin", p_mcfg);
}

static void hpet_qemu(void **state)
{
	size_t len;
	uint8_t *t = fixture("ovmf-q35/HPET.bin", &len);

	(void)state;
	assert_int_equal(hpet_table_parse(t, len, &out.hpet), 0);
	assert_int_equal(out.hpet.base.address, 0xfed00000);
	assert_int_equal(out.hpet.base.space, ACPI_GAS_MEMORY);
	assert_int_equal(out.hpet.block_id & 0xffff0000, 0x80860000);	/* vendor: Intel */
	free(t);
	sweep("ovmf-q35/HPET.bin", p_hpet);
}

static void fadt_qemu(void **state)
{
	size_t len;
	uint8_t *t = fixture("qemu-q35-smp4-iommu/FACP.bin", &len);

	(void)state;
	assert_int_equal(fadt_parse(t, len, &out.fadt), 0);
	assert_int_equal(out.fadt.pm_timer_port, 0x608);
	assert_false(out.fadt.pm_timer_32bit);	/* QEMU's PM timer has 24 bits */
	assert_int_equal(out.fadt.boot_arch & FADT_BOOT_NO_MSI, 0);
	assert_int_equal(out.fadt.reset_reg.space, ACPI_GAS_IO);
	assert_int_equal(out.fadt.reset_reg.address, 0xcf9);
	assert_int_equal(out.fadt.reset_value, 0xf);
	assert_int_not_equal(out.fadt.dsdt, 0);
	/* An ACPI 1.0 FADT (116 bytes) still gives the PM timer. */
	t[4] = 116;
	t[5] = 0;
	fixture_checksum(t, 116);
	assert_int_equal(fadt_parse(t, 116, &out.fadt), 0);
	assert_int_equal(out.fadt.pm_timer_port, 0x608);
	free(t);
	sweep("qemu-q35-smp4-iommu/FACP.bin", p_fadt);
	sweep("ovmf-q35/FACP.bin", p_fadt);
}

static uint8_t spcr_table[80];

static void build_spcr(uint8_t port_hi)
{
	memset(spcr_table, 0, sizeof(spcr_table));
	memcpy(spcr_table, "SPCR", 4);
	spcr_table[4] = sizeof(spcr_table);
	spcr_table[8] = 2;		/* revision */
	spcr_table[36] = SPCR_IF_16550;
	spcr_table[40] = ACPI_GAS_IO;	/* base: I/O port 0x2f8 */
	spcr_table[41] = 8;
	spcr_table[43] = 1;
	spcr_table[44] = 0xf8;
	spcr_table[45] = port_hi;
	spcr_table[53] = 3;		/* IRQ */
	spcr_table[58] = 7;		/* 115200 */
	fixture_checksum(spcr_table, sizeof(spcr_table));
}

static void spcr_built(void **state)
{
	(void)state;
	build_spcr(0x02);
	assert_int_equal(spcr_parse(spcr_table, sizeof(spcr_table), &out.spcr), 0);
	assert_int_equal(out.spcr.base.address, 0x2f8);
	assert_int_equal(out.spcr.base.space, ACPI_GAS_IO);
	assert_int_equal(out.spcr.baud, 115200);
	assert_int_equal(out.spcr.irq, 3);
	truncations(spcr_table, sizeof(spcr_table), p_spcr);
	corruptions(spcr_table, sizeof(spcr_table), p_spcr);
	spcr_table[36] = 0x0e;		/* not a 16550 */
	fixture_checksum(spcr_table, sizeof(spcr_table));
	assert_int_equal(spcr_parse(spcr_table, sizeof(spcr_table), &out.spcr), -1);
	assert_non_null(strstr(out.spcr.err.msg[0], "not a 16550"));
}

static void dmar_qemu(void **state)
{
	size_t len;
	uint8_t *t = fixture("qemu-q35-smp4-iommu/DMAR.bin", &len);

	(void)state;
	assert_int_equal(dmar_parse(t, len, &dm), 0);
	assert_int_equal(dm.haw, 47);
	assert_int_equal(dm.flags & DMAR_FLAG_INTR_REMAP, DMAR_FLAG_INTR_REMAP);
	assert_int_equal(dm.nunits, 1);
	assert_int_equal(dm.units[0].base, 0xfed90000);
	assert_int_equal(dm.units[0].flags & DRHD_INCLUDE_PCI_ALL, 0);
	assert_int_equal(dm.units[0].nscopes, 7);	/* IO-APIC, 00.0 01.0 02.0 1f.0 1f.2 1f.3 */
	assert_int_equal(dm.scopes[0].type, DMAR_SCOPE_IOAPIC);
	assert_int_equal(dm.scopes[0].bus, 0xff);	/* QEMU's IO-APIC requester ID: ff:00.0 */
	assert_int_equal(dm.scopes[1].type, DMAR_SCOPE_ENDPOINT);
	assert_int_equal(dm.scopes[6].path[0][0], 0x1f);	/* 00:1f.3 */
	assert_int_equal(dm.scopes[6].path[0][1], 3);
	/* Platform devices by their scope: QEMU names its IO-APIC 0 as ff:00.0
	 * and no HPET; made an HPET scope, that one names HPET 0 the same. */
	{
		uint16_t sid = 0;

		assert_int_equal(dmar_platform_scope(&dm, DMAR_SCOPE_IOAPIC, 0, &sid), 0);
		assert_int_equal(sid, 0xff00);
		assert_int_equal(dmar_platform_scope(&dm, DMAR_SCOPE_HPET, 0, &sid), -1);
		t[48 + 16] = DMAR_SCOPE_HPET;
		fixture_checksum(t, len);
		assert_int_equal(dmar_parse(t, len, &dm), 0);
		sid = 0;
		assert_int_equal(dmar_platform_scope(&dm, DMAR_SCOPE_HPET, 0, &sid), 0);
		assert_int_equal(sid, 0xff00);
		assert_int_equal(dmar_platform_scope(&dm, DMAR_SCOPE_HPET, 1, &sid), -1);
	}
	/* A device scope whose length runs past its DRHD. */
	t[48 + 16 + 1] = 200;
	fixture_checksum(t, len);
	assert_int_equal(dmar_parse(t, len, &dm), -1);
	assert_int_equal(dm.nunits, 1);
	assert_int_equal(dm.nscopes, 0);
	free(t);
	sweep("qemu-q35-smp4-iommu/DMAR.bin", p_dmar);
}

static void ivrs_qemu(void **state)
{
	size_t len;
	uint8_t *t = fixture("qemu-q35-amd-iommu/IVRS.bin", &len);

	(void)state;
	assert_int_equal(ivrs_parse(t, len, &iv), 0);
	/* QEMU describes its one IOMMU twice, as IVHD 0x10 and 0x11: one
	 * unit, read from the 0x11 block. */
	assert_int_equal(iv.nblocks, 2);
	assert_int_equal(iv.ivhd_type, 0x11);
	assert_int_equal(iv.nunits, 1);
	assert_int_equal(iv.units[0].type, 0x11);
	assert_int_equal(iv.units[0].base, 0xfed80000);
	assert_int_equal(iv.nspecials, 1);
	assert_int_equal(iv.specials[0].variety, IVRS_SPECIAL_IOAPIC);
	assert_int_equal(iv.specials[0].devid, 0x00a0);	/* 00:14.0 */
	/* Its device entries: select entries, one run each, no alias. */
	assert_int_equal(iv.ndevs, 7);
	assert_int_equal(iv.devs[1].first, 0x0008);
	assert_int_equal(iv.devs[1].last, 0x0008);
	assert_int_equal(iv.devs[1].aliased, 0);
	/* xtsup=off: the EFR image has no XTSup; 128-bit IRTEs (GASup) yes. */
	assert_int_equal(iv.units[0].efr, 0x29d3);
	assert_false(iv.units[0].efr & IVRS_EFR_XTSUP);
	assert_true(iv.units[0].efr & IVRS_EFR_GASUP);
	free(t);
	sweep("qemu-q35-amd-iommu/IVRS.bin", p_ivrs);
}

/* amd-iommu,xtsup=on with an edu behind a PCIe-to-PCI bridge at 00:04.0:
 * QEMU adds an alias range for the bridge's secondary bus (1), every
 * device there seen as 01:00.0 (0x0100). */
static void ivrs_qemu_xtsup_alias(void **state)
{
	size_t len;
	uint8_t *t = fixture("qemu-q35-amd-iommu-xtsup/IVRS.bin", &len);
	uint16_t devid = 0;

	(void)state;
	assert_int_equal(ivrs_parse(t, len, &iv), 0);
	assert_int_equal(iv.nunits, 1);
	assert_int_equal(iv.units[0].efr, 0x29d7);
	assert_true(iv.units[0].efr & IVRS_EFR_XTSUP);
	assert_int_equal(iv.ndevs, 9);
	assert_int_equal(iv.devs[5].first, 0x0100);
	assert_int_equal(iv.devs[5].last, 0x01ff);
	assert_true(iv.devs[5].aliased);
	assert_int_equal(iv.devs[5].alias, 0x0100);
	/* 00:02.0 is itself; 01:03.0, behind the bridge, is seen as 01:00.0. */
	assert_int_equal(ivrs_lookup(&iv, 0, 0x0010, &devid), 0);
	assert_int_equal(devid, 0x0010);
	assert_int_equal(ivrs_lookup(&iv, 0, 0x0118, &devid), 0);
	assert_int_equal(devid, 0x0100);
	/* Nothing covers 02:00.0, nor anything in segment 1. */
	assert_int_equal(ivrs_lookup(&iv, 0, 0x0200, &devid), -1);
	assert_int_equal(ivrs_lookup(&iv, 1, 0x0010, &devid), -1);
	free(t);
	sweep("qemu-q35-amd-iommu-xtsup/IVRS.bin", p_ivrs);
}

/* The most specific entry wins: a select over a range, a range over ALL;
 * two units, the second covering one device alone. */
static void ivrs_lookup_precedence(void **state)
{
	uint8_t t[48 + 2 * 24 + 4 * 4 + 4] = { 0 };
	uint8_t *b;
	uint16_t devid = 0;

	(void)state;
	memcpy(t, "IVRS", 4);
	t[8] = 2;
	b = t + 48;			/* unit 0 at 0xfe000000: ALL, range 0x100-0x1ff */
	b[0] = 0x10;
	b[2] = 24 + 3 * 4;
	b[8 + 3] = 0xfe;
	b[24] = 0x01;
	b[28] = 0x03, b[29] = 0x00, b[30] = 0x01;
	b[32] = 0x04, b[33] = 0xff, b[34] = 0x01;
	b += 24 + 3 * 4;		/* unit 1 at 0xfd000000: select 0x0108 */
	b[0] = 0x10;
	b[2] = 24 + 4;
	b[8 + 3] = 0xfd;
	b[24] = 0x02, b[25] = 0x08, b[26] = 0x01;
	t[4] = (uint8_t)(b + 28 - t);
	fixture_checksum(t, t[4]);
	assert_int_equal(ivrs_parse(t, t[4], &iv), 0);
	assert_int_equal(iv.nunits, 2);
	assert_int_equal(ivrs_lookup(&iv, 0, 0x0108, &devid), 1);	/* select */
	assert_int_equal(ivrs_lookup(&iv, 0, 0x0109, &devid), 0);	/* range */
	assert_int_equal(ivrs_lookup(&iv, 0, 0x0300, &devid), 0);	/* ALL */
	assert_int_equal(devid, 0x0300);
	/* Both units claim 0x0108: said. */
	assert_int_equal(iv.warn.n, 1);
	assert_non_null(strstr(iv.warn.msg[0], "0x0108-0x0108 claimed by IOMMU 0 and 1: the most specific entry wins"));
	/* Unit 1 without a base: unusable, said, and its device is unit 0's. */
	memset(t + 48 + 36 + 8, 0, 8);
	fixture_checksum(t, t[4]);
	assert_int_equal(ivrs_parse(t, t[4], &iv), 0);
	assert_true(iv.units[1].unusable);
	assert_non_null(strstr(iv.warn.msg[0], "IOMMU 1 (device 0x0000) at register base 0x0: no base"));
	assert_int_equal(ivrs_lookup(&iv, 0, 0x0108, &devid), 0);
	/* A base not 16 KiB aligned, likewise. */
	t[48 + 36 + 8 + 1] = 0x10;	/* 0x1000 */
	t[48 + 36 + 8 + 3] = 0xfd;
	fixture_checksum(t, t[4]);
	assert_int_equal(ivrs_parse(t, t[4], &iv), 0);
	assert_true(iv.units[1].unusable);
	assert_non_null(strstr(iv.warn.msg[0], "not 16 KiB aligned"));
}

static void header_checks(void **state)
{
	size_t len;
	uint8_t *t = fixture("qemu-q35-smp4-iommu/MCFG.bin", &len);

	(void)state;
	assert_int_equal(dmar_parse(t, len, &dm), -1);	/* MCFG is not a DMAR */
	assert_non_null(strstr(dm.err.msg[0], "signature"));
	t[4] = 10;	/* length field below the header */
	fixture_checksum(t, len);
	assert_int_equal(mcfg_parse(t, len, &out.mcfg), -1);
	assert_non_null(strstr(out.mcfg.err.msg[0], "below the minimum"));
	free(t);
}

/* --- length bounds on tables built here -------------------------------------
 * Each table sits at the start of a larger zeroed buffer, so that a walk
 * past its end shows as a wrong result (not only as ASan's abort); a
 * structure of length 0 runs under a watchdog, as it would never advance. */

static uint8_t tb[512];

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void header(const char *sig, uint32_t len)
{
	memcpy(tb, sig, 4);
	put32(tb + 4, len);
	tb[8] = 1;
	fixture_checksum(tb, len);
}

/* DMAR with one DRHD at 0xfed90000 holding one endpoint scope (00:02.0):
 * 48 + 16 + 8 bytes. */
static uint32_t dmar_one_unit(void)
{
	memset(tb, 0, sizeof(tb));
	tb[36] = 47;			/* host address width - 1 */
	tb[37] = DMAR_FLAG_INTR_REMAP;
	put16(tb + 48, DMAR_DRHD);
	put16(tb + 50, 24);
	put64(tb + 48 + 8, 0xfed90000);
	tb[64] = DMAR_SCOPE_ENDPOINT;	/* scope: type, length 8, bus 0, path 02.0 */
	tb[65] = 8;
	tb[70] = 2;
	header("DMAR", 72);
	return 72;
}

static void dmar_structure_lengths(void **state)
{
	uint32_t len = dmar_one_unit();

	(void)state;
	assert_int_equal(dmar_parse(tb, len, &dm), 0);
	assert_int_equal(dm.nunits, 1);
	assert_int_equal(dm.nscopes, 1);

	/* A structure of length 0 after it (VT-d 8.1: every structure at
	 * least type and length): an error, the unit before it kept. */
	put16(tb + 72, DMAR_RMRR);
	header("DMAR", 76);
	parse_watchdog(5);
	assert_int_equal(dmar_parse(tb, 76, &dm), -1);
	parse_watchdog(0);
	assert_non_null(strstr(dm.err.msg[0], "structure type 1 at 72 (length 0)"));
	assert_int_equal(dm.nunits, 1);

	/* A DRHD whose length runs past the table's end. */
	len = dmar_one_unit();
	put16(tb + 50, 40);
	header("DMAR", len);
	assert_int_equal(dmar_parse(tb, len, &dm), -1);
	assert_non_null(strstr(dm.err.msg[0], "runs past the end 72"));
	assert_int_equal(dm.nunits, 0);

	/* A device scope of length 0 (8.3.1: at least 6 bytes). */
	len = dmar_one_unit();
	tb[65] = 0;
	header("DMAR", len);
	parse_watchdog(5);
	assert_int_equal(dmar_parse(tb, len, &dm), -1);
	parse_watchdog(0);
	assert_non_null(strstr(dm.err.msg[0], "device scope at 0 of unit 0xfed90000 has length 0"));
	assert_int_equal(dm.nscopes, 0);

	/* A device scope that runs 2 bytes past its DRHD. */
	len = dmar_one_unit();
	tb[65] = 10;
	header("DMAR", len);
	assert_int_equal(dmar_parse(tb, len, &dm), -1);
	assert_non_null(strstr(dm.err.msg[0], "device scope at 0 of unit 0xfed90000 has length 10"));
	assert_int_equal(dm.nscopes, 0);
}

/* IVRS with one IVHD type 0x10 at 0xfe000000 selecting device 00:01.0:
 * 48 + 24 + 4 bytes. */
static uint32_t ivrs_one_unit(void)
{
	memset(tb, 0, sizeof(tb));
	tb[48] = 0x10;
	put16(tb + 50, 28);
	put64(tb + 48 + 8, 0xfe000000);
	tb[72] = 0x02;			/* select 0x0008 */
	tb[73] = 0x08;
	header("IVRS", 76);
	return 76;
}

static void ivrs_block_lengths(void **state)
{
	uint32_t len = ivrs_one_unit();

	(void)state;
	assert_int_equal(ivrs_parse(tb, len, &iv), 0);
	assert_int_equal(iv.nunits, 1);
	assert_int_equal(iv.ndevs, 1);

	/* A block of length 0 after it (48882 5.2.1: the length includes the
	 * 4-byte block header): an error, the IVHD before it kept. */
	tb[76] = 0x20;
	header("IVRS", 80);
	parse_watchdog(5);
	assert_int_equal(ivrs_parse(tb, 80, &iv), -1);
	parse_watchdog(0);
	assert_non_null(strstr(iv.err.msg[0], "block type 0x20 at 76 (length 0)"));
	assert_int_equal(iv.nunits, 1);

	/* An IVHD whose length runs past the table's end. */
	len = ivrs_one_unit();
	put16(tb + 50, 28 + 64);
	header("IVRS", len);
	assert_int_equal(ivrs_parse(tb, len, &iv), -1);
	assert_non_null(strstr(iv.err.msg[0], "runs past the end 76"));
	assert_int_equal(iv.nunits, 0);

	/* A device entry of type 0x80: variable length (5.2.2.3) but not
	 * the one variable type (0xF0) whose length is known: the block's
	 * walk ends there. */
	len = ivrs_one_unit();
	tb[72] = 0x80;
	header("IVRS", len);
	parse_watchdog(5);
	assert_int_equal(ivrs_parse(tb, len, &iv), -1);
	parse_watchdog(0);
	assert_non_null(strstr(iv.err.msg[0], "device entry type 0x80 at 0 of unit 0xfe000000"));

	/* An IVHD type 0x11 of 24 bytes: shorter than its 40-byte header
	 * (EFR image at 24, EFR2 at 32). What follows the table would be
	 * read as its entries: a type 0x80 there ends such a walk. */
	len = ivrs_one_unit();
	tb[48] = 0x11;
	put16(tb + 50, 24);
	tb[88] = 0x80;
	header("IVRS", 72);
	assert_int_equal(ivrs_parse(tb, 72, &iv), -1);
	assert_non_null(strstr(iv.err.msg[0], "IVHD type 0x11 of length 24"));
	assert_int_equal(iv.nunits, 0);
}

/* PCI Firmware 3.2 4.1.2: allocations are 16 bytes each; 8 bytes more is
 * a malformed table, said, and the partial allocation (whose other half
 * lies past the table) is not read. */
static void mcfg_partial_allocation(void **state)
{
	(void)state;
	memset(tb, 0, sizeof(tb));
	put64(tb + 44, 0xb0000000);	/* segment 0, buses 0-255 */
	tb[44 + 11] = 255;
	put64(tb + 60, 0xc0000000);	/* 8 bytes in the table, 8 past it */
	header("MCFG", 68);
	assert_int_equal(mcfg_parse(tb, 68, &out.mcfg), -1);
	assert_non_null(strstr(out.mcfg.err.msg[0], "24 bytes of allocations is not a multiple of 16"));
	assert_int_equal(out.mcfg.n, 1);
	assert_int_equal(out.mcfg.seg[0].base, 0xb0000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: their assertions name a missing bound before a sweep's
		 * truncation makes ASan abort the binary. */
		cmocka_unit_test(dmar_structure_lengths),
		cmocka_unit_test(ivrs_block_lengths),
		cmocka_unit_test(mcfg_partial_allocation),
		cmocka_unit_test(mcfg_qemu),
		cmocka_unit_test(hpet_qemu),
		cmocka_unit_test(fadt_qemu),
		cmocka_unit_test(spcr_built),
		cmocka_unit_test(dmar_qemu),
		cmocka_unit_test(ivrs_qemu),
		cmocka_unit_test(ivrs_qemu_xtsup_alias),
		cmocka_unit_test(ivrs_lookup_precedence),
		cmocka_unit_test(header_checks),
	};
	return RUN(tests);
}
