// SPDX-License-Identifier: MIT
/* drivers/acpi/madt.c on QEMU's real MADT and on broken copies of it. */
#include "tests/host/host.h"
#include "tests/host/fixture.h"
#include "drivers/acpi/madt.h"

#define QEMU_MADT "qemu-q35-smp4-iommu/APIC.bin"

static struct madt m;

static void qemu_q35_smp4(void **state)
{
	size_t len;
	uint8_t *t = fixture(QEMU_MADT, &len);

	(void)state;
	assert_int_equal(madt_parse(t, len, 0, &m), 0);
	assert_int_equal(m.err.n, 0);
	assert_int_equal(m.lapic_addr, 0xfee00000);
	assert_int_equal(m.flags & 1, 1);		/* PC-AT dual 8259 */
	assert_int_equal(m.ncpus, 4);
	for (uint32_t i = 0; i < 4; i++) {
		assert_int_equal(m.cpus[i].apic_id, i);
		assert_int_equal(m.cpus[i].flags & MADT_CPU_ENABLED, 1);
	}
	assert_int_equal(m.nioapics, 1);
	assert_int_equal(m.ioapics[0].addr, 0xfec00000);
	assert_int_equal(m.ioapics[0].gsi_base, 0);
	assert_int_equal(m.noverrides, 5);
	assert_int_equal(m.overrides[0].source, 0);	/* the PIT: IRQ 0 -> GSI 2 */
	assert_int_equal(m.overrides[0].gsi, 2);
	assert_int_equal(m.overrides[1].flags, 0xd);	/* IRQ 5: level, active high */
	assert_int_equal(m.nnmis, 1);
	assert_int_equal(m.nmis[0].uid, 0xffffffffu);	/* all processors */
	assert_int_equal(m.nmis[0].lint, 1);
	free(t);
}

static void truncated_everywhere(void **state)
{
	size_t len;
	uint8_t *t = fixture(QEMU_MADT, &len);

	(void)state;
	/* Every shorter buffer: never a read past it (ASan watches), always
	 * an error, and what fits is kept. */
	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);

		memcpy(copy, t, n);
		assert_int_equal(madt_parse(copy, n, 0, &m), -1);
		assert_true(m.err.n > 0);
		assert_true(m.ncpus <= 4);
		free(copy);
	}
	free(t);
}

static void entry_runs_past_end(void **state)
{
	size_t len;
	uint8_t *t = fixture(QEMU_MADT, &len);

	(void)state;
	t[44 + 1] = 200;	/* first LAPIC entry claims 200 bytes */
	fixture_checksum(t, len);
	assert_int_equal(madt_parse(t, len, 0, &m), -1);
	assert_non_null(strstr(m.err.msg[0], "runs past the table end"));
	assert_int_equal(m.ncpus, 0);
	assert_non_null(strstr(m.err.msg[1], "no usable CPU"));
	free(t);
}

static void zero_length_entry_stops(void **state)
{
	size_t len;
	uint8_t *t = fixture(QEMU_MADT, &len);

	(void)state;
	t[44 + 8 + 1] = 0;	/* second entry: length 0 would loop forever */
	fixture_checksum(t, len);
	parse_watchdog(5);
	assert_int_equal(madt_parse(t, len, 0, &m), -1);
	parse_watchdog(0);
	assert_int_equal(m.ncpus, 1);
	assert_non_null(strstr(m.err.msg[0], "has length 0"));
	free(t);
}

static void length_field_past_buffer(void **state)
{
	size_t len;
	uint8_t *f = fixture(QEMU_MADT, &len), *t = calloc(1, 8192);
	uint32_t big = 4096;

	(void)state;
	memcpy(t, f, len);	/* zeros after the table: a walk past it finds length-0 structures */
	memcpy(t + 4, &big, 4);
	fixture_checksum(t, len);
	assert_int_equal(madt_parse(t, len, 0, &m), -1);
	assert_non_null(strstr(m.err.msg[0], "runs past"));
	assert_int_equal(m.err.n, 1);	/* nothing read beyond the buffer's length */
	assert_int_equal(m.ncpus, 4);	/* the buffer's own length bounds the walk */
	free(t);
	free(f);
}

/* A buffer shorter than the MADT's 44-byte fixed part (the local APIC
 * address at 36, flags at 40) is refused as such, even when the memory
 * after it is readable. */
static void short_buffer_refused(void **state)
{
	size_t len;
	uint8_t *t = fixture(QEMU_MADT, &len);

	(void)state;
	assert_int_equal(madt_parse(t, 40, 0, &m), -1);
	assert_int_equal(m.err.n, 1);
	assert_non_null(strstr(m.err.msg[0], "40 bytes, shorter than its minimum of 44"));
	assert_int_equal(m.lapic_addr, 0);
	free(t);
}

static void short_entry_skipped(void **state)
{
	size_t len;
	uint8_t *t = fixture(QEMU_MADT, &len);

	(void)state;
	/* The IO-APIC entry (offset 44 + 32) claims 6 bytes: too short for one.
	 * Its remaining 6 bytes are then read as a structure of their own. */
	t[44 + 32 + 1] = 6;
	fixture_checksum(t, len);
	madt_parse(t, len, 0, &m);
	assert_int_equal(m.nioapics, 0);
	assert_non_null(strstr(m.err.msg[0], "length 6 < 12, skipped"));
	free(t);
}

static void duplicate_and_big_apic_ids(void **state)
{
	size_t len;
	uint8_t *t = fixture(QEMU_MADT, &len);

	(void)state;
	t[44 + 8 + 3] = 0;	/* CPU 1 claims APIC ID 0 */
	t[44 + 16 + 3] = 255;	/* CPU 2 claims APIC ID 255 */
	fixture_checksum(t, len);
	assert_int_equal(madt_parse(t, len, 0, &m), -1);
	assert_int_equal(m.ncpus, 2);
	assert_non_null(strstr(m.err.msg[0], "duplicate APIC ID 0"));
	assert_non_null(strstr(m.err.msg[1], "above 254"));
	/* In x2APIC mode 255 is a valid ID. */
	madt_parse(t, len, 1, &m);
	assert_int_equal(m.ncpus, 3);
	free(t);
}

static void bad_checksum_reported(void **state)
{
	size_t len;
	uint8_t *t = fixture(QEMU_MADT, &len);

	(void)state;
	t[50] ^= 1;
	assert_int_equal(madt_parse(t, len, 0, &m), -1);
	assert_non_null(strstr(m.err.msg[0], "checksum bad"));
	free(t);
}

static void x2apic_entries(void **state)
{
	uint8_t t[44 + 16 + 16] = "APIC";
	uint32_t len = sizeof(t), id = 300, flags = 1, uid = 7;

	(void)state;
	memcpy(t + 4, &len, 4);
	t[44] = MADT_TYPE_X2APIC;
	t[45] = 16;
	memcpy(t + 48, &id, 4);
	memcpy(t + 52, &flags, 4);
	memcpy(t + 56, &uid, 4);
	memcpy(t + 60, t + 44, 16);
	flags = 0;		/* second one: disabled, not online capable */
	id = 301;
	memcpy(t + 64, &id, 4);
	memcpy(t + 68, &flags, 4);
	fixture_checksum(t, len);
	assert_int_equal(madt_parse(t, len, 1, &m), 0);
	assert_int_equal(m.ncpus, 1);
	assert_int_equal(m.cpus[0].apic_id, 300);
	assert_int_equal(m.cpus[0].uid, 7);
	assert_int_equal(m.cpus[0].x2apic_entry, 1);
	assert_int_equal(madt_parse(t, len, 0, &m), -1);	/* xAPIC cannot use 300 */
}

/* Two local APIC entries, one enabled and one with only the online-capable
 * bit, in a MADT of `revision`. */
static uint8_t *two_cpus(uint8_t revision, size_t *len)
{
	static uint8_t t[44 + 8 + 8] = "APIC";
	uint32_t n = sizeof(t), flags[2] = { MADT_CPU_ENABLED, MADT_CPU_ONLINE_CAPABLE };

	memcpy(t + 4, &n, 4);
	t[8] = revision;
	for (int i = 0; i < 2; i++) {
		uint8_t *e = t + 44 + 8 * i;

		e[0] = MADT_TYPE_LAPIC;
		e[1] = 8;
		e[2] = (uint8_t)i;		/* uid */
		e[3] = (uint8_t)(4 + i);	/* APIC ID */
		memcpy(e + 4, &flags[i], 4);
	}
	fixture_checksum(t, n);
	*len = n;
	return t;
}

/* ACPI 6.3 5.2.12.2: an online-capable CPU is listed but never started; in
 * a MADT older than revision 5 the bit is reserved and ignored, with a
 * warning. */
static void online_capable_listed_not_started(void **state)
{
	uint32_t ids[4] = { 0 };
	size_t len;
	uint8_t *t = two_cpus(5, &len);

	(void)state;
	assert_int_equal(madt_parse(t, len, 0, &m), 0);
	assert_int_equal(m.ncpus, 2);
	assert_int_equal(madt_usable_cpus(&m), 1);
	assert_int_equal(madt_enabled_apic_ids(&m, ids, 4), 1);
	assert_int_equal(ids[0], 4);
	assert_int_equal(m.warn.n, 0);

	t = two_cpus(4, &len);
	assert_int_equal(madt_parse(t, len, 0, &m), 0);
	assert_int_equal(m.ncpus, 1);
	assert_int_equal(madt_usable_cpus(&m), 1);
	assert_int_equal(m.warn.n, 1);
	assert_non_null(strstr(m.warn.msg[0], "reserved"));
	assert_int_equal(madt_enabled_apic_ids(&m, ids, 0), 0);	/* bounded by max */
}

/* A laptop lists one NMI entry per CPU and LINT (20-24 of them), the boot
 * CPU's last on some, and an X299 board hides IO-APICs as type 0x7F: every
 * NMI entry is kept, as Linux's acpi_parse_lapic_nmi applies each (a cap
 * of 16 dropped the boot CPU's), and the type 0x7F structure is stepped
 * over by length and named in m.warn. */
static void server_nmis_and_reserved_types(void **state)
{
	enum { NMIS = 40 };
	uint8_t t[44 + 8 + NMIS * 6 + 12 + 12] = "APIC";
	uint32_t len = sizeof(t), flags = 1, off = 44;

	(void)state;
	memcpy(t + 4, &len, 4);
	t[off] = MADT_TYPE_LAPIC;
	t[off + 1] = 8;
	memcpy(t + off + 4, &flags, 4);
	off += 8;
	for (int i = 0; i < NMIS; i++, off += 6) {
		t[off] = MADT_TYPE_LAPIC_NMI;
		t[off + 1] = 6;
		t[off + 2] = (uint8_t)(NMIS - 1 - i);	/* uid: the boot CPU's, 0, last */
		t[off + 5] = 1;				/* LINT1 */
	}
	t[off] = MADT_TYPE_X2APIC_NMI;		/* and one x2APIC entry after them */
	t[off + 1] = 12;
	t[off + 4] = 77;			/* uid */
	t[off + 8] = 0;				/* LINT0 */
	off += 12;
	t[off] = 0x7f;			/* reserved: an IO-APIC's shape, not an IO-APIC */
	t[off + 1] = 12;
	fixture_checksum(t, len);
	assert_int_equal(madt_parse(t, len, 0, &m), 0);
	assert_int_equal(m.err.n, 0);
	assert_int_equal(m.nmis_listed, NMIS + 1);
	assert_int_equal(m.nnmis, NMIS + 1);
	assert_int_equal(m.nmis[NMIS - 1].uid, 0);	/* the boot CPU's */
	assert_int_equal(m.nmis[NMIS - 1].lint, 1);
	assert_int_equal(m.nmis[NMIS].uid, 77);
	assert_int_equal(m.nmis[NMIS].lint, 0);
	assert_int_equal(m.nioapics, 0);
	assert_int_equal(m.unknown, 1);
	assert_int_equal(m.warn.n, 1);
	assert_non_null(strstr(m.warn.msg[0], "reserved type 0x7f"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_q35_smp4),
		cmocka_unit_test(short_buffer_refused),
		cmocka_unit_test(entry_runs_past_end),
		cmocka_unit_test(zero_length_entry_stops),
		cmocka_unit_test(length_field_past_buffer),
		cmocka_unit_test(short_entry_skipped),
		cmocka_unit_test(duplicate_and_big_apic_ids),
		cmocka_unit_test(bad_checksum_reported),
		cmocka_unit_test(x2apic_entries),
		cmocka_unit_test(online_capable_listed_not_started),
		cmocka_unit_test(server_nmis_and_reserved_types),
		/* Last: a missing bound shows above as a failed assertion, here
		 * (if at all) only as ASan's abort of the whole binary. */
		cmocka_unit_test(truncated_everywhere),
	};
	return RUN(tests);
}
