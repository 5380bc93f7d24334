// SPDX-License-Identifier: MIT
/*
 * msilab-acpi: what msilab will find on a machine, told from the machine's
 * ACPI tables on its Linux host, by msilab's own parsers (drivers/acpi/,
 * the same source files the firmware runs).
 *
 *   msilab-acpi [--json] PATH...
 *
 * PATH: /sys/firmware/acpi/tables, the files of `acpidump -b`, any table
 * file, or a msilab serial log of tests=acpi.dump. See docs/acpi-tool.md.
 * Exit status: 0 when every path was read and every table is sound, 1 when
 * a path cannot be read, is no table, or a table fails its checksum or does
 * not parse; 2 for a usage error.
 */
#include <stdlib.h>
#include <string.h>
#include "drivers/acpi/parsed.h"
#include "tools/acpi/emit.h"
#include "tools/acpi/load.h"

#define LEGACY_COM1	0x3f8

/* What the tables of one machine say, from the first table of each kind. */
struct machine {
	const struct table *first[8];	/* by kind below */
	uint32_t count[8];
	union acpi_parsed parsed[8];
	int ok[8];
};

enum kind { K_MADT, K_MCFG, K_HPET, K_FADT, K_SPCR, K_DMAR, K_IVRS, K_NKINDS };

static const char *const sigs[K_NKINDS] = { "APIC", "MCFG", "HPET", "FACP", "SPCR", "DMAR", "IVRS" };

static int kind_of(const char *sig)
{
	for (int k = 0; k < K_NKINDS; k++)
		if (!memcmp(sig, sigs[k], 4))
			return k;
	return -1;
}

static int parse(int k, const struct table *t, union acpi_parsed *p)
{
	switch (k) {
	case K_MADT: return madt_parse(t->data, t->len, 1, &p->madt);
	case K_MCFG: return mcfg_parse(t->data, t->len, &p->mcfg);
	case K_HPET: return hpet_table_parse(t->data, t->len, &p->hpet);
	case K_FADT: return fadt_parse(t->data, t->len, &p->fadt);
	case K_SPCR: return spcr_parse(t->data, t->len, &p->spcr);
	case K_DMAR: return dmar_parse(t->data, t->len, &p->dmar);
	default: return ivrs_parse(t->data, t->len, &p->ivrs);
	}
}

static const struct acpi_errors *errors_of(int k, const union acpi_parsed *p)
{
	switch (k) {
	case K_MADT: return &p->madt.err;
	case K_MCFG: return &p->mcfg.err;
	case K_HPET: return &p->hpet.err;
	case K_FADT: return &p->fadt.err;
	case K_SPCR: return &p->spcr.err;
	case K_DMAR: return &p->dmar.err;
	default: return &p->ivrs.err;
	}
}

static const struct acpi_errors *warnings_of(int k, const union acpi_parsed *p)
{
	static const struct acpi_errors none;

	switch (k) {
	case K_MADT: return &p->madt.warn;
	case K_MCFG: return &p->mcfg.warn;
	case K_DMAR: return &p->dmar.warn;
	case K_IVRS: return &p->ivrs.warn;
	default: return &none;
	}
}

static void emit_list(struct emit *e, const char *key, const struct acpi_errors *l)
{
	if (!l->n)
		return;
	emit_arr(e, key);
	for (uint32_t i = 0; i < l->n && i < ACPI_ERRORS_MAX; i++)
		emit_str(e, 0, l->msg[i]);
	if (l->n > ACPI_ERRORS_MAX) {
		char more[48];

		snprintf(more, sizeof(more), "%u more", l->n - ACPI_ERRORS_MAX);
		emit_str(e, 0, more);
	}
	emit_end(e);
}

static void emit_gas(struct emit *e, const char *key, const struct acpi_gas *g)
{
	emit_obj(e, key);
	emit_str(e, "space", g->space == ACPI_GAS_MEMORY ? "memory" : g->space == ACPI_GAS_IO ?
		 "io" : "other");
	emit_hex(e, "address", g->address);
	emit_u64(e, "bit_width", g->bit_width);
	emit_u64(e, "access_size", g->access_size);
	emit_end(e);
}

static void madt(struct emit *e, const struct madt *m)
{
	emit_hex(e, "lapic_address", m->lapic_addr);
	emit_hex(e, "flags", m->flags);
	emit_arr(e, "cpus");
	for (uint32_t i = 0; i < m->ncpus; i++) {
		emit_obj(e, 0);
		emit_u64(e, "apic_id", m->cpus[i].apic_id);
		emit_u64(e, "uid", m->cpus[i].uid);
		emit_bool(e, "enabled", m->cpus[i].flags & MADT_CPU_ENABLED);
		emit_bool(e, "online_capable", !!(m->cpus[i].flags & MADT_CPU_ONLINE_CAPABLE));
		emit_str(e, "entry", m->cpus[i].x2apic_entry ? "x2apic" : "lapic");
		emit_end(e);
	}
	emit_end(e);
	emit_arr(e, "ioapics");
	for (uint32_t i = 0; i < m->nioapics; i++) {
		emit_obj(e, 0);
		emit_u64(e, "id", m->ioapics[i].id);
		emit_hex(e, "address", m->ioapics[i].addr);
		emit_u64(e, "gsi_base", m->ioapics[i].gsi_base);
		emit_end(e);
	}
	emit_end(e);
	emit_arr(e, "overrides");
	for (uint32_t i = 0; i < m->noverrides; i++) {
		emit_obj(e, 0);
		emit_u64(e, "bus", m->overrides[i].bus);
		emit_u64(e, "irq", m->overrides[i].source);
		emit_u64(e, "gsi", m->overrides[i].gsi);
		emit_hex(e, "flags", m->overrides[i].flags);
		emit_end(e);
	}
	emit_end(e);
	emit_u64(e, "nmi_entries", m->nmis_listed);
	emit_arr(e, "nmis");
	for (uint32_t i = 0; i < m->nnmis; i++) {
		emit_obj(e, 0);
		if (m->nmis[i].uid == 0xffffffffu)
			emit_str(e, "uid", "all");
		else
			emit_u64(e, "uid", m->nmis[i].uid);
		emit_u64(e, "lint", m->nmis[i].lint);
		emit_hex(e, "flags", m->nmis[i].flags);
		emit_end(e);
	}
	emit_end(e);
}

static void mcfg(struct emit *e, const struct mcfg *m)
{
	emit_arr(e, "segments");
	for (uint32_t i = 0; i < m->n; i++) {
		emit_obj(e, 0);
		emit_u64(e, "segment", m->seg[i].segment);
		emit_u64(e, "bus_start", m->seg[i].bus_start);
		emit_u64(e, "bus_end", m->seg[i].bus_end);
		emit_hex(e, "base", m->seg[i].base);
		emit_end(e);
	}
	emit_end(e);
}

static void fadt(struct emit *e, const struct fadt *f)
{
	emit_hex(e, "pm_timer_port", f->pm_timer_port);
	emit_u64(e, "pm_timer_bits", f->pm_timer_port ? (f->pm_timer_32bit ? 32 : 24) : 0);
	emit_hex(e, "flags", f->flags);
	emit_bool(e, "hw_reduced", f->flags & FADT_FLAG_HW_REDUCED);
	emit_hex(e, "boot_arch", f->boot_arch);
	emit_bool(e, "msi_not_supported", f->boot_arch & FADT_BOOT_NO_MSI);
	emit_bool(e, "reset_reg_supported", !!(f->flags & FADT_FLAG_RESET_REG_SUP));
	emit_gas(e, "reset_reg", &f->reset_reg);
	emit_hex(e, "reset_value", f->reset_value);
}

static void spcr(struct emit *e, const struct spcr *s)
{
	emit_hex(e, "interface", s->interface);
	emit_gas(e, "base", &s->base);
	emit_u64(e, "baud", s->baud);
}

static void hpet(struct emit *e, const struct hpet_table *h)
{
	emit_gas(e, "base", &h->base);
	emit_u64(e, "number", h->number);
	emit_u64(e, "min_tick", h->min_tick);
}

static void dmar(struct emit *e, const struct dmar *d)
{
	emit_u64(e, "host_address_width", d->haw + 1u);
	emit_hex(e, "flags", d->flags);
	emit_bool(e, "interrupt_remapping", d->flags & DMAR_FLAG_INTR_REMAP);
	emit_bool(e, "x2apic_opt_out", !!(d->flags & DMAR_FLAG_X2APIC_OPT_OUT));
	emit_arr(e, "units");
	for (uint32_t i = 0; i < d->nunits; i++) {
		const struct dmar_unit *u = &d->units[i];

		emit_obj(e, 0);
		emit_hex(e, "base", u->base);
		emit_u64(e, "segment", u->segment);
		emit_bool(e, "include_pci_all", u->flags & DRHD_INCLUDE_PCI_ALL);
		emit_arr(e, "scopes");
		for (uint32_t j = 0; j < u->nscopes; j++) {
			const struct dmar_scope *s = &d->scopes[u->first_scope + j];
			char path[DMAR_PATH_MAX * 6 + 1] = "";

			for (uint32_t k = 0; k < s->npath; k++)
				snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s%02x.%x",
					 k ? "/" : "", s->path[k][0], s->path[k][1]);
			emit_obj(e, 0);
			emit_u64(e, "type", s->type);
			emit_u64(e, "enum_id", s->enum_id);
			emit_u64(e, "bus", s->bus);
			emit_str(e, "path", path);
			emit_end(e);
		}
		emit_end(e);
		emit_end(e);
	}
	emit_end(e);
	emit_obj(e, "other_structures");
	for (uint16_t t = 1; t < DMAR_TYPES; t++)
		if (d->ntype[t])
			emit_u64(e, dmar_type_name(t), d->ntype[t]);
	if (d->nother > d->ntype[3] + d->ntype[4] + d->ntype[5] + d->ntype[6])
		emit_u64(e, "unknown", d->nother - d->ntype[3] - d->ntype[4] - d->ntype[5] -
			 d->ntype[6]);
	emit_end(e);
}

static void ivrs(struct emit *e, const struct ivrs *v)
{
	emit_hex(e, "ivinfo", v->ivinfo);
	emit_u64(e, "ivhd_blocks", v->nblocks);
	emit_hex(e, "ivhd_type_read", v->ivhd_type);
	emit_arr(e, "iommus");
	for (uint32_t i = 0; i < v->nunits; i++) {
		const struct ivrs_unit *u = &v->units[i];

		emit_obj(e, 0);
		emit_hex(e, "type", u->type);
		emit_hex(e, "flags", u->flags);
		emit_hex(e, "devid", u->devid);
		emit_hex(e, "cap_offset", u->cap_offset);
		emit_hex(e, "base", u->base);
		emit_u64(e, "segment", u->segment);
		emit_hex(e, "info", u->info);
		emit_hex(e, "attributes", u->attr);
		if (u->type != 0x10) {
			emit_hex(e, "efr", u->efr);
			emit_str(e, "x2apic_irtes", u->efr & IVRS_EFR_XTSUP ? "yes (XTSup)" : "no");
			emit_str(e, "irte_128bit", u->efr & IVRS_EFR_GASUP ? "yes (GASup)" : "no");
		}
		emit_u64(e, "device_entries", u->nentries);
		emit_end(e);
	}
	emit_end(e);
	emit_arr(e, "specials");
	for (uint32_t i = 0; i < v->nspecials; i++) {
		emit_obj(e, 0);
		emit_str(e, "variety", v->specials[i].variety == IVRS_SPECIAL_IOAPIC ? "ioapic" :
			 v->specials[i].variety == IVRS_SPECIAL_HPET ? "hpet" : "other");
		emit_u64(e, "handle", v->specials[i].handle);
		emit_hex(e, "devid", v->specials[i].devid);
		emit_end(e);
	}
	emit_end(e);
	emit_arr(e, "devices");
	for (uint32_t i = 0; i < v->ndevs && i < IVRS_DEVS_MAX; i++) {
		const struct ivrs_devs *d = &v->devs[i];

		emit_obj(e, 0);
		emit_u64(e, "iommu", d->unit);
		emit_hex(e, "first", d->first);
		emit_hex(e, "last", d->last);
		if (d->aliased)
			emit_hex(e, "alias", d->alias);
		emit_hex(e, "data", d->data);
		emit_end(e);
	}
	emit_end(e);
	emit_u64(e, "ivmd_blocks", v->nivmd);
}

static void decode(struct emit *e, int k, const union acpi_parsed *p)
{
	switch (k) {
	case K_MADT: madt(e, &p->madt); break;
	case K_MCFG: mcfg(e, &p->mcfg); break;
	case K_HPET: hpet(e, &p->hpet); break;
	case K_FADT: fadt(e, &p->fadt); break;
	case K_SPCR: spcr(e, &p->spcr); break;
	case K_DMAR: dmar(e, &p->dmar); break;
	default: ivrs(e, &p->ivrs); break;
	}
}

/* The header's signature, revision, OEM IDs and length, as read. */
static void header(struct emit *e, const struct table *t)
{
	char oem[7] = "", oem_table[9] = "";

	emit_str(e, "signature", t->sig);
	if (t->len >= 36) {
		memcpy(oem, t->data + 10, 6);
		memcpy(oem_table, t->data + 16, 8);
		for (int i = 5; i >= 0 && (oem[i] == ' ' || !oem[i]); i--)
			oem[i] = 0;
		for (int i = 7; i >= 0 && (oem_table[i] == ' ' || !oem_table[i]); i--)
			oem_table[i] = 0;
		emit_u64(e, "revision", t->data[8]);
		emit_str(e, "oem_id", oem);
		emit_str(e, "oem_table_id", oem_table);
	}
	emit_u64(e, "bytes", t->len);
}

/* One table's entry; 0 when it is sound: the file read whole, and the
 * table parsed (one msilab reads) or its checksum good (one it does not:
 * ACPI 6.5, 5.2.6, all bytes of the table sum to zero). */
static int one_table(struct emit *e, struct machine *m, const struct table *t)
{
	static union acpi_parsed p;
	int k = t->sig[0] ? kind_of(t->sig) : -1, ok;

	emit_obj(e, 0);
	emit_str(e, "file", t->origin);
	if (t->sig[0])
		header(e, t);
	if (t->problem[0])
		emit_str(e, "problem", t->problem);
	if (k < 0) {
		ok = !t->problem[0];
		if (t->sig[0]) {
			struct acpi_errors err = { 0 };

			emit_str(e, "msilab", "does not read this table");
			if (ok)		/* 36: the header (ACPI 6.5, 5.2.6) */
				acpi_table_check(t->data, t->len, t->sig, 36, &err);
			emit_list(e, "errors", &err);
			ok = ok && !err.n;
		}
		emit_end(e);
		return !ok;
	}
	ok = parse(k, t, &p) == 0;
	emit_bool(e, "parsed", ok);
	emit_list(e, "errors", errors_of(k, &p));
	emit_list(e, "warnings", warnings_of(k, &p));
	decode(e, k, &p);
	emit_end(e);
	if (!m->count[k]++) {
		m->first[k] = t;
		m->parsed[k] = p;
		m->ok[k] = ok && errors_of(k, &p)->n == 0;
	}
	return !ok || t->problem[0];
}

static void say(struct emit *e, const char *fmt, const char *a, const char *b)
{
	char line[800];

	snprintf(line, sizeof(line), fmt, a, b);
	emit_str(e, 0, line);
}

/* The "# warning:" lines the firmware would print about these tables at
 * boot, in its words (kernel/main.c, drivers/iommu/intel/irq_remap.c). */
static void firmware_warnings(struct emit *e, const struct machine *m)
{
	const struct madt *md = &m->parsed[K_MADT].madt;
	const struct dmar *dm = &m->parsed[K_DMAR].dmar;

	emit_arr(e, "warnings");
	for (int k = 0; k < K_NKINDS; k++)
		if (m->count[k] > 1)
			say(e, "(msilab-acpi) %s: several tables with this signature: the firmware "
			    "reads the first, %s", sigs[k], m->first[k]->origin);
	if (!m->count[K_MADT])
		say(e, "acpi: no MADT; only the boot CPU is used%s%s", "", "");
	for (uint32_t i = 0; i < md->err.n && i < ACPI_ERRORS_MAX; i++)
		say(e, "madt: %s%s", md->err.msg[i], "");
	for (uint32_t i = 0; i < md->warn.n && i < ACPI_ERRORS_MAX; i++)
		say(e, "madt: %s%s", md->warn.msg[i], "");
	if (md->ncpus > madt_usable_cpus(md)) {
		char n[16];

		snprintf(n, sizeof(n), "%u", md->ncpus - madt_usable_cpus(md));
		say(e, "madt: %s online-capable CPUs not started: only enabled CPUs run (the "
		    "platform may hot-add those)%s", n, "");
	}
	if (!m->count[K_MCFG])
		say(e, "pci: no usable MCFG; legacy configuration access (no extended space)%s%s",
		    "", "");
	for (uint32_t i = 0; i < m->parsed[K_MCFG].mcfg.err.n && i < ACPI_ERRORS_MAX; i++)
		say(e, "mcfg: %s%s", m->parsed[K_MCFG].mcfg.err.msg[i], "");
	if (m->count[K_SPCR] && !m->ok[K_SPCR])
		say(e, "spcr: %s; console stays on %s", m->parsed[K_SPCR].spcr.err.msg[0], "io:0x3f8");
	if (m->count[K_DMAR]) {
		const char *why = 0;
		char unit[96];
		uint32_t i;

		for (i = 0; i < dm->nunits && !why; i++)
			why = dmar_unit_base_problem(dm, i, 0, 0);
		snprintf(unit, sizeof(unit), "%u: register base 0x%llx", i - 1,
			 i ? (unsigned long long)dm->units[i - 1].base : 0ull);
		if (why)
			say(e, "iommu: dmar: unit %s %s (a firmware bug); interrupt remapping off",
			    unit, why);
		else if (dm->err.n)
			say(e, "iommu: dmar: %s%s", dm->err.msg[0], "");
		if (dm->ntype[DMAR_RMRR] || dm->ntype[DMAR_SATC]) {
			char counts[64];

			snprintf(counts, sizeof(counts), "%u RMRR and %u SATC", dm->ntype[DMAR_RMRR],
				 dm->ntype[DMAR_SATC]);
			say(e, "dmar: %s structures not applied: msilab leaves DMA untranslated, so "
			    "what they reserve stays reachable%s", counts, "");
		}
	}
	emit_end(e);
}

static void summary(struct emit *e, const struct machine *m)
{
	const struct madt *md = &m->parsed[K_MADT].madt;
	const struct dmar *dm = &m->parsed[K_DMAR].dmar;
	const struct spcr *sp = &m->parsed[K_SPCR].spcr;
	uint32_t max_id = 0, above = 0;
	char console[64];

	emit_obj(e, "msilab_would");
	if (m->count[K_DMAR] && !m->ok[K_DMAR]) {
		/* A DMAR that fails its checksum or does not parse is no VT-d:
		 * the firmware's dmar_parse refuses it and remapping stays off
		 * (kernel/main.c apic_mode_choose, intel/irq_remap.c). */
		emit_str(e, "iommu", "none");
		emit_str(e, "iommu_problem", dm->err.msg[0]);
		emit_bool(e, "interrupt_remapping", 0);
	} else if (m->count[K_DMAR] && dm->nunits) {
		emit_str(e, "iommu", "vt-d");
		emit_u64(e, "iommu_units", dm->nunits);
		emit_bool(e, "interrupt_remapping", (dm->flags & DMAR_FLAG_INTR_REMAP) && !dm->warn.n);
	} else if (m->count[K_IVRS] && !m->ok[K_IVRS]) {
		emit_str(e, "iommu", "none");
		emit_str(e, "iommu_problem", m->parsed[K_IVRS].ivrs.err.msg[0]);
		emit_bool(e, "interrupt_remapping", 0);
	} else if (m->count[K_IVRS] && m->parsed[K_IVRS].ivrs.nunits) {
		emit_str(e, "iommu", "amd-vi");
		emit_u64(e, "iommu_units", m->parsed[K_IVRS].ivrs.nunits);
		emit_bool(e, "interrupt_remapping", 0);	/* no AMD-Vi driver yet: ir=off */
	} else {
		emit_str(e, "iommu", "none");
		emit_bool(e, "interrupt_remapping", 0);
	}
	emit_bool(e, "x2apic_opt_out", m->count[K_DMAR] && (dm->flags & DMAR_FLAG_X2APIC_OPT_OUT));
	/* The CPUs the firmware starts: the enabled ones (kernel/main.c,
	 * madt_enabled_apic_ids); an online-capable CPU that is not enabled
	 * is one the platform may hot-add (ACPI 6.3, 5.2.12.2), not started. */
	for (uint32_t i = 0; i < md->ncpus; i++) {
		if (!(md->cpus[i].flags & MADT_CPU_ENABLED))
			continue;
		max_id = md->cpus[i].apic_id > max_id ? md->cpus[i].apic_id : max_id;
		above += md->cpus[i].apic_id > 254;
	}
	emit_u64(e, "cpus", madt_usable_cpus(md));
	emit_u64(e, "cpus_online_capable", md->ncpus - madt_usable_cpus(md));
	emit_u64(e, "max_apic_id", max_id);
	emit_u64(e, "cpus_needing_x2apic", above);
	emit_u64(e, "ioapics", md->nioapics);
	emit_u64(e, "pci_segments", m->parsed[K_MCFG].mcfg.n);
	if (m->count[K_SPCR] && m->ok[K_SPCR])
		snprintf(console, sizeof(console), "%s:0x%llx (SPCR, %u baud)",
			 sp->base.space == ACPI_GAS_MEMORY ? "mmio" : "io",
			 (unsigned long long)sp->base.address, sp->baud);
	else
		snprintf(console, sizeof(console), "io:0x%x (COM1, no usable SPCR)", LEGACY_COM1);
	emit_str(e, "console", console);
	emit_str(e, "tsc_reference", m->count[K_HPET] && m->ok[K_HPET] ? "hpet" :
		 m->count[K_FADT] && m->parsed[K_FADT].fadt.pm_timer_port ? "pmtimer" : "cpuid only");
	firmware_warnings(e, m);
	emit_end(e);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: msilab-acpi [--json] PATH...\n"
		"  PATH: /sys/firmware/acpi/tables, acpidump -b files, a table file,\n"
		"        or a msilab serial log of tests=acpi.dump\n"
		"  --json   one JSON document instead of key: value lines\n"
		"  --help   this text\n"
		"  --       the words after it are paths, even those starting with -\n"
		"exit status: 0 every path read and every table sound; 1 a path that\n"
		"  cannot be read or is no table, a table that fails its checksum or\n"
		"  does not parse; 2 a usage error\n");
}

int main(int argc, char **argv)
{
	static struct machine m;
	struct tables t = { 0 };
	struct emit e;
	int json = 0, npaths = 0, bad = 0, options = 1;
	char **paths = calloc((size_t)argc, sizeof(*paths));

	if (!paths) {
		perror("msilab-acpi");
		return 2;
	}
	/* Options anywhere on the line, as getopt_long permutes them; "--"
	 * ends them, and "-" alone is a path. */
	for (int i = 1; i < argc; i++) {
		if (options && !strcmp(argv[i], "--")) {
			options = 0;
		} else if (options && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))) {
			usage(stdout);
			free(paths);
			return 0;
		} else if (options && !strcmp(argv[i], "--json")) {
			json = 1;
		} else if (options && argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "msilab-acpi: unknown option '%s'\n", argv[i]);
			usage(stderr);
			free(paths);
			return 2;
		} else {
			paths[npaths++] = argv[i];
		}
	}
	if (!npaths) {
		usage(stderr);
		free(paths);
		return 2;
	}
	for (int i = 0; i < npaths; i++)
		tables_load(&t, paths[i]);
	free(paths);
	emit_open(&e, stdout, json);
	emit_arr(&e, "tables");
	for (size_t i = 0; i < t.n; i++)
		bad |= one_table(&e, &m, &t.v[i]);
	emit_end(&e);
	summary(&e, &m);
	emit_close(&e);
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i].data);
	free(t.v);
	return bad ? 1 : 0;
}
