// SPDX-License-Identifier: MIT
/*
 * DMAR parsing: pure, host-tested and fuzzed. See Intel VT-d Specification
 * 4.1: 8.1 (header: host address width at 36, flags at 37, remapping
 * structures from 48, each with type u16 and length u16), 8.3 (DRHD: flags
 * at 4, size at 5, segment at 6, register base at 8, device scopes from 16),
 * 8.3.1 (device scope: type, length, enumeration ID at 4, start bus at 5,
 * path of (device, function) pairs from 6), 8.4 (RMRR), 8.5 (ATSR).
 */
#include "drivers/acpi/dmar.h"
#include "lib/string.h"

#define DMAR_FIRST	48
#define DRHD_SCOPES	16

const char *dmar_type_name(uint16_t type)
{
	static const char *const names[DMAR_TYPES] = {
		"DRHD", "RMRR", "ATSR", "RHSA", "ANDD", "SATC", "SIDP",
	};

	return type < DMAR_TYPES ? names[type] : 0;
}

static void scopes(struct dmar *d, struct dmar_unit *u, const uint8_t *b, size_t len)
{
	for (size_t off = 0; off + 2 <= len;) {
		uint8_t type = b[off], slen = b[off + 1];
		struct dmar_scope s = { .type = type };

		if (slen < 6 || off + slen > len || (slen - 6) % 2) {
			acpi_err(&d->err, "DMAR: device scope at %zu of unit 0x%lx has length %u",
				 off, u->base, slen);
			return;
		}
		s.enum_id = b[off + 4];
		s.bus = b[off + 5];
		s.npath = (uint8_t)((slen - 6) / 2);
		if (s.npath > DMAR_PATH_MAX || (s.npath == 0 && type != DMAR_SCOPE_NAMESPACE)) {
			acpi_err(&d->err, "DMAR: device scope with a path of %u steps", s.npath);
		} else if (d->nscopes == DMAR_SCOPES_MAX) {
			acpi_err(&d->warn, "DMAR: more than %d device scopes; the rest left out",
				 DMAR_SCOPES_MAX);
			return;
		} else {
			memcpy(s.path, b + off + 6, s.npath * 2u);
			d->scopes[d->nscopes++] = s;
			u->nscopes++;
		}
		off += slen;
	}
}

#define PAGE		4096ull

const char *dmar_unit_base_problem(const struct dmar *d, uint32_t i,
				   const struct mem_region *map, uint32_t n)
{
	const struct dmar_unit *u = &d->units[i];
	uint64_t end = u->base + (PAGE << (u->size & 31));

	if (!u->base)
		return "is zero";
	if (u->base & (PAGE - 1))
		return "is not page aligned";
	if (u->base >> 48)
		return "lies beyond the address space";
	for (uint32_t r = 0; r < n; r++)
		if (map[r].type == MEM_USABLE && u->base < map[r].base + map[r].size &&
		    map[r].base < end)
			return "lies inside RAM";
	for (uint32_t j = 0; j < i; j++) {
		const struct dmar_unit *o = &d->units[j];

		if (u->base < o->base + (PAGE << (o->size & 31)) && o->base < end)
			return "overlaps another unit's registers";
	}
	return 0;
}

int dmar_platform_scope(const struct dmar *d, uint8_t type, uint8_t enum_id, uint16_t *sid)
{
	for (uint32_t u = 0; u < d->nunits; u++) {
		for (uint32_t i = 0; i < d->units[u].nscopes; i++) {
			const struct dmar_scope *s = &d->scopes[d->units[u].first_scope + i];

			if (s->type != type || s->enum_id != enum_id || !s->npath)
				continue;
			*sid = (uint16_t)(s->bus << 8 | s->path[s->npath - 1][0] << 3 |
					  s->path[s->npath - 1][1]);
			return (int)u;
		}
	}
	return -1;
}

int dmar_parse(const void *t, size_t len, struct dmar *d)
{
	const uint8_t *b = t;
	const char *why;

	memset(d, 0, sizeof(*d));
	len = acpi_table_check(t, len, "DMAR", DMAR_FIRST, &d->err);
	if (!len)
		return -1;
	d->haw = b[36];
	d->flags = b[37];
	for (size_t off = DMAR_FIRST; off + 4 <= len;) {
		uint16_t type = acpi_rd16(b + off), slen = acpi_rd16(b + off + 2);

		if (slen < 4 || off + slen > len) {
			acpi_err(&d->err, "DMAR: structure type %u at %zu (length %u) runs past the end %zu",
				 type, off, slen, len);
			break;
		}
		if (type == DMAR_DRHD) {
			struct dmar_unit *u = &d->units[d->nunits];

			if (slen < DRHD_SCOPES) {
				acpi_err(&d->err, "DMAR: DRHD at %zu of length %u", off, slen);
			} else if (d->nunits == DMAR_UNITS_MAX) {
				acpi_err(&d->warn, "DMAR: more than %d DRHD units; the rest left out",
					 DMAR_UNITS_MAX);
			} else {
				*u = (struct dmar_unit){ .base = acpi_rd64(b + off + 8),
							 .segment = acpi_rd16(b + off + 6),
							 .flags = b[off + 4], .size = b[off + 5],
							 .first_scope = d->nscopes };
				scopes(d, u, b + off + DRHD_SCOPES, slen - DRHD_SCOPES);
				d->nunits++;
				if ((why = dmar_unit_base_problem(d, d->nunits - 1, 0, 0)))
					acpi_err(&d->warn, "DMAR: unit %u: register base 0x%lx %s",
						 d->nunits - 1, u->base, why);
			}
		} else if (type == DMAR_RMRR) {
			d->nrmrr++;
		} else if (type == DMAR_ATSR) {
			d->natsr++;
		} else {
			d->nother++;
		}
		if (type < DMAR_TYPES)
			d->ntype[type]++;
		off += slen;
	}
	if (d->nunits == 0)
		acpi_err(&d->err, "DMAR: no DRHD unit");
	return d->err.n ? -1 : 0;
}
