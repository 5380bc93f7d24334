// SPDX-License-Identifier: MIT
/* CPU topology from APIC IDs (arch/x86/topology.h). */
#include "arch/x86/topology.h"

#define LEVEL_SMT 1

int topo_from_levels(const struct cpuid *lv, uint32_t n, enum topo_source src,
		     struct topo_shifts *s)
{
	uint32_t prev = 0, last = 0, smt = 0, k = 0;

	for (; k < n && k < TOPO_LEVELS_MAX; k++) {
		uint32_t type = (lv[k].c >> 8) & 0xff, shift = lv[k].a & 0x1f;

		if (!type)
			break;
		if (shift < prev)
			return -1;	/* an upper level narrower than the one below */
		if (type == LEVEL_SMT && k == 0)
			smt = shift;
		prev = last = shift;
	}
	if (!k || last > 31)
		return -1;
	*s = (struct topo_shifts){ .smt = (uint8_t)smt, .pkg = (uint8_t)last, .source = src };
	return 0;
}

static uint8_t log2_up(uint32_t v)
{
	uint8_t b = 0;

	while (b < 31 && (1u << b) < v)
		b++;
	return b;
}

void topo_from_counts(uint32_t logical_per_pkg, uint32_t threads_per_core, struct topo_shifts *s)
{
	uint8_t pkg = log2_up(logical_per_pkg ? logical_per_pkg : 1);
	uint8_t smt = log2_up(threads_per_core ? threads_per_core : 1);

	*s = (struct topo_shifts){ .smt = smt > pkg ? pkg : smt, .pkg = pkg, .source = TOPO_LEGACY };
}

enum cpu_relation topo_relation(const struct topo_shifts *s, uint32_t a, uint32_t b)
{
	if (a == b)
		return REL_SELF;
	if (a >> s->pkg != b >> s->pkg)
		return REL_OTHER_PACKAGE;
	if (a >> s->smt == b >> s->smt)
		return REL_SMT_SIBLING;
	return REL_SAME_PACKAGE;
}

const char *topo_relation_name(enum cpu_relation r)
{
	static const char *const names[REL_N] = {
		[REL_SELF] = "self",
		[REL_SMT_SIBLING] = "smt_sibling",
		[REL_SAME_PACKAGE] = "same_package",
		[REL_OTHER_PACKAGE] = "other_package",
	};

	return r < REL_N ? names[r] : "unknown";
}

const char *topo_source_name(enum topo_source s)
{
	static const char *const names[] = {
		[TOPO_NONE] = "none", [TOPO_LEAF_1F] = "cpuid_1f", [TOPO_LEAF_B] = "cpuid_b",
		[TOPO_LEGACY] = "cpuid_1",
	};

	return s <= TOPO_LEGACY ? names[s] : "unknown";
}

void topo_targets(const struct topo_shifts *s, const uint32_t *ids, uint32_t n, uint32_t from,
		  int32_t out[REL_N])
{
	for (int r = 0; r < REL_N; r++)
		out[r] = -1;
	for (uint32_t i = 0; i < n && from < n; i++) {
		enum cpu_relation r = topo_relation(s, ids[from], ids[i]);

		if (out[r] < 0)
			out[r] = (int32_t)i;
	}
	if (from < n)
		out[REL_SELF] = (int32_t)from;
}

static uint32_t read_levels(uint32_t leaf, struct cpuid *lv)
{
	uint32_t n = 0;

	while (n < TOPO_LEVELS_MAX) {
		lv[n] = cpuid(leaf, n);
		if (!((lv[n].c >> 8) & 0xff))
			break;
		n++;
	}
	return n;
}

void topology_read(struct topo_shifts *s)
{
	struct cpuid lv[TOPO_LEVELS_MAX];
	uint32_t max = cpuid(0, 0).a, ext = cpuid(0x80000000, 0).a, threads = 1;
	struct cpuid one = cpuid(1, 0);

	if (max >= 0x1f && topo_from_levels(lv, read_levels(0x1f, lv), TOPO_LEAF_1F, s) == 0)
		return;
	if (max >= 0xb && topo_from_levels(lv, read_levels(0xb, lv), TOPO_LEAF_B, s) == 0)
		return;
	if (ext >= 0x8000001e)
		threads = ((cpuid(0x8000001e, 0).b >> 8) & 0xff) + 1;
	/* Without EDX.HTT (bit 28) a package is one logical processor. */
	topo_from_counts(one.d & (1u << 28) ? (one.b >> 16) & 0xff : 1, threads, s);
}
