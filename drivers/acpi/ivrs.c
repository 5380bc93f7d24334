// SPDX-License-Identifier: MIT
/*
 * IVRS parsing: pure, host-tested and fuzzed. See AMD IOMMU Specification
 * 48882 rev 3.08: 5.2.1 (IVinfo at 36, blocks from 48, each with type u8,
 * flags u8, length u16), 5.2.2.1-2 (IVHD: device ID at 4, capability offset
 * at 6, base at 8, segment at 16, info at 18, feature reporting or
 * attributes at 20; type 0x10 entries start at 24, types 0x11 and 0x40 at
 * 40 after the EFR image at 24 and the EFR2 image at 32), 5.2.2.3 (device entries: types 0-63 take 4
 * bytes, 64-127 take 8, 0xF0 takes 22 plus its UID length at byte 21;
 * 0x48 special: handle at 4, device ID at 5, variety at 7).
 */
#include "drivers/acpi/ivrs.h"
#include "lib/string.h"

#define IVRS_FIRST	48
#define IVHD_10		0x10
#define IVHD_11		0x11
#define IVHD_40		0x40
#define IVMD_FIRST	0x20
#define IVMD_LAST	0x22
#define ENTRY_ALL	0x01
#define ENTRY_SELECT	0x02
#define ENTRY_START	0x03
#define ENTRY_END	0x04
#define ENTRY_ALIAS	0x42	/* alias select: source DeviceID at 5 */
#define ENTRY_ALIAS_START 0x43	/* alias start of range */
#define ENTRY_EXT	0x46	/* extended select */
#define ENTRY_EXT_START	0x47	/* extended start of range */
#define ENTRY_SPECIAL	0x48
#define ENTRY_ACPI_HID	0xf0

/* Device entry types the specification defines (5.2.2.3, table 95). */
static int entry_defined(uint8_t type)
{
	switch (type) {
	case 0: case ENTRY_ALL: case ENTRY_SELECT: case ENTRY_START: case ENTRY_END:
	case ENTRY_ALIAS: case ENTRY_ALIAS_START: case ENTRY_EXT: case ENTRY_EXT_START:
	case ENTRY_SPECIAL: case ENTRY_ACPI_HID:
		return 1;
	default:
		return 0;
	}
}

static size_t entry_len(const uint8_t *e, size_t room)
{
	if (e[0] < 64)
		return 4;
	if (e[0] < 128)
		return 8;
	if (e[0] == ENTRY_ACPI_HID && room >= 22)
		return 22u + e[21];
	return 0;	/* unknown variable-length entry: its length cannot be known */
}

static void add_devs(struct ivrs *v, const struct ivrs_devs *d)
{
	if (v->ndevs < IVRS_DEVS_MAX)
		v->devs[v->ndevs] = *d;
	else if (v->ndevs == IVRS_DEVS_MAX)
		acpi_err(&v->warn, "IVRS: more than %d device entries: the first %d kept",
			 IVRS_DEVS_MAX, IVRS_DEVS_MAX);
	v->ndevs++;
}

/* One device entry: a select, ALL, an alias, or a range opened by a start
 * entry (its first ID, alias and data kept in *open) and closed by an end. */
static void devs_entry(struct ivrs *v, struct ivrs_unit *u, const uint8_t *e,
		       struct ivrs_devs *open, int *opened)
{
	uint16_t id = acpi_rd16(e + 1);
	struct ivrs_devs d = { .first = id, .last = id, .alias = id, .data = e[3],
			       .unit = (uint8_t)(u - v->units) };

	switch (e[0]) {
	case ENTRY_ALL:
		d.first = 0;
		d.last = 0xffff;
		d.alias = 0;
		add_devs(v, &d);
		break;
	case ENTRY_SELECT:
	case ENTRY_EXT:
		add_devs(v, &d);
		break;
	case ENTRY_ALIAS:
		d.alias = acpi_rd16(e + 5);
		d.aliased = 1;
		add_devs(v, &d);
		break;
	case ENTRY_START:
	case ENTRY_EXT_START:
	case ENTRY_ALIAS_START:
		if (e[0] == ENTRY_ALIAS_START) {
			d.alias = acpi_rd16(e + 5);
			d.aliased = 1;
		}
		*open = d;
		*opened = 1;
		break;
	case ENTRY_END:
		if (!*opened) {
			acpi_err(&v->warn, "IVRS: end-of-range entry 0x%04x with no start", id);
			break;
		}
		open->last = id;
		add_devs(v, open);
		*opened = 0;
		break;
	default:
		break;
	}
}

static void entries(struct ivrs *v, struct ivrs_unit *u, const uint8_t *b, size_t len)
{
	struct ivrs_devs open = { .first = 0 };
	int opened = 0;

	for (size_t off = 0; off < len;) {
		size_t n = entry_len(b + off, len - off);

		if (n == 0 || off + n > len) {
			acpi_err(&v->err, "IVRS: device entry type 0x%x at %zu of unit 0x%lx runs past "
				 "its block", b[off], off, u->base);
			return;
		}
		if (!entry_defined(b[off]) && !v->unknown_entries++)
			acpi_err(&v->warn, "IVRS: device entry of undefined type 0x%x stepped over "
				 "(%zu bytes by its type)", b[off], n);
		if (b[off] == ENTRY_SPECIAL) {
			if (v->nspecials == IVRS_SPECIALS_MAX)
				acpi_err(&v->warn, "IVRS: more than %d special devices; the rest left out",
					 IVRS_SPECIALS_MAX);
			else
				v->specials[v->nspecials++] = (struct ivrs_special){
					.variety = b[off + 7], .handle = b[off + 4],
					.devid = acpi_rd16(b + off + 5),
					.unit = (uint8_t)(u - v->units) };
		}
		devs_entry(v, u, b + off, &open, &opened);
		u->nentries++;
		off += n;
	}
	if (opened)
		acpi_err(&v->warn, "IVRS: a range from 0x%04x of unit 0x%lx has no end entry",
			 open.first, u->base);
}

#define IOMMU_MMIO_ALIGN	0x4000	/* the base register's bits 51:14 (3.4.1) */

/* What makes a unit unusable, and requester IDs two units both claim. */
static void check_units(struct ivrs *v)
{
	uint32_t n = v->ndevs < IVRS_DEVS_MAX ? v->ndevs : IVRS_DEVS_MAX;
	uint32_t overlaps = 0;

	for (uint32_t i = 0; i < v->nunits; i++) {
		struct ivrs_unit *u = &v->units[i];

		if (u->base == 0 || (u->base & (IOMMU_MMIO_ALIGN - 1))) {
			u->unusable = 1;
			acpi_err(&v->warn, "IVRS: IOMMU %u (device 0x%04x) at register base 0x%lx: %s; "
				 "its devices are not remapped", i, u->devid, u->base,
				 u->base ? "not 16 KiB aligned" : "no base");
		}
	}
	for (uint32_t i = 0; i < n; i++) {
		for (uint32_t j = i + 1; j < n; j++) {
			const struct ivrs_devs *a = &v->devs[i], *b = &v->devs[j];

			if (a->unit == b->unit || v->units[a->unit].segment != v->units[b->unit].segment ||
			    a->last < b->first || b->last < a->first)
				continue;
			if (!overlaps++)
				acpi_err(&v->warn, "IVRS: requester IDs 0x%04x-0x%04x claimed by IOMMU %u "
					 "and %u: the most specific entry wins",
					 a->first > b->first ? a->first : b->first,
					 a->last < b->last ? a->last : b->last, a->unit, b->unit);
		}
	}
}

int ivrs_parse(const void *t, size_t len, struct ivrs *v)
{
	const uint8_t *b = t;

	memset(v, 0, sizeof(*v));
	len = acpi_table_check(t, len, "IVRS", IVRS_FIRST, &v->err);
	if (!len)
		return -1;
	v->ivinfo = acpi_rd32(b + 36);
	/* First the highest IVHD type present, then its blocks. */
	for (size_t off = IVRS_FIRST; off + 4 <= len;) {
		uint8_t type = b[off];
		uint16_t blen = acpi_rd16(b + off + 2);

		if (blen < 4 || off + blen > len) {
			acpi_err(&v->err, "IVRS: block type 0x%x at %zu (length %u) runs past the end %zu",
				 type, off, blen, len);
			len = off;	/* the second pass stops here too */
			break;
		}
		if (type == IVHD_10 || type == IVHD_11 || type == IVHD_40) {
			v->nblocks++;
			if (type > v->ivhd_type)
				v->ivhd_type = type;
		} else if (type >= IVMD_FIRST && type <= IVMD_LAST) {
			v->nivmd++;
		} else {
			/* e.g. 0x51 on recent Lenovo laptops, in no public revision */
			acpi_err(&v->warn, "IVRS: block of undefined type 0x%x (length %u) stepped over",
				 type, blen);
		}
		off += blen;
	}
	for (size_t off = IVRS_FIRST; off + 4 <= len;) {
		uint8_t type = b[off];
		uint16_t blen = acpi_rd16(b + off + 2);
		size_t first = type == IVHD_10 ? 24 : 40;

		if (type == v->ivhd_type) {
			struct ivrs_unit *u = &v->units[v->nunits];

			if (blen < first) {
				acpi_err(&v->err, "IVRS: IVHD type 0x%x of length %u", type, blen);
			} else if (v->nunits == IVRS_UNITS_MAX) {
				acpi_err(&v->warn, "IVRS: more than %d IVHD blocks; the rest left out",
					 IVRS_UNITS_MAX);
			} else {
				*u = (struct ivrs_unit){ .type = type, .flags = b[off + 1],
							 .devid = acpi_rd16(b + off + 4),
							 .cap_offset = acpi_rd16(b + off + 6),
							 .base = acpi_rd64(b + off + 8),
							 .segment = acpi_rd16(b + off + 16),
							 .info = acpi_rd16(b + off + 18),
							 .attr = acpi_rd32(b + off + 20) };
				if (type != IVHD_10) {
					u->efr = acpi_rd64(b + off + 24);
					u->efr2 = acpi_rd64(b + off + 32);
				}
				entries(v, u, b + off + first, blen - first);
				v->nunits++;
			}
		}
		off += blen;
	}
	if (v->nunits == 0)
		acpi_err(&v->err, "IVRS: no IVHD block");
	check_units(v);
	return v->err.n ? -1 : 0;
}

int ivrs_lookup(const struct ivrs *v, uint16_t segment, uint16_t rid, uint16_t *devid)
{
	const struct ivrs_devs *best = 0;
	uint32_t n = v->ndevs < IVRS_DEVS_MAX ? v->ndevs : IVRS_DEVS_MAX;

	for (uint32_t i = 0; i < n; i++) {
		const struct ivrs_devs *d = &v->devs[i];

		if (rid < d->first || rid > d->last || v->units[d->unit].segment != segment ||
		    v->units[d->unit].unusable)
			continue;
		if (!best || d->last - d->first < best->last - best->first)
			best = d;
	}
	if (!best)
		return -1;
	/* An alias entry names one DeviceID for its whole run; otherwise each
	 * device is itself. */
	*devid = best->aliased ? best->alias : rid;
	return best->unit;
}
