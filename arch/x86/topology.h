/* SPDX-License-Identifier: MIT */
/*
 * CPU topology from APIC IDs: which bits of an APIC ID name the thread, the
 * core and the package, and so how two CPUs relate. Pure, host-tested
 * (tests/host/test_topology.c); topology_read() feeds it CPUID.
 *
 * CPUID 0x1F and 0xB (SDM Vol. 2A, CPUID 0BH/1FH; Vol. 3A 9.9.1): subleaf
 * i describes one level, ECX[15:8] its type (1 SMT, 2 core, 3 module, 4
 * tile, 5 die; 0 ends the list) and EAX[4:0] how far to shift an x2APIC ID
 * right to get the ID of the next level up. The SMT level's shift is the
 * thread bits; the last level's is the package's. AMD processors before
 * leaf 0xB: CPUID 1 EBX[23:16] logical processors per package (EDX.HTT) and
 * 0x8000001E EBX[15:8] threads per core minus one (AMD APM Vol. 3, E.4).
 */
#ifndef ARCH_X86_TOPOLOGY_H
#define ARCH_X86_TOPOLOGY_H

#include <stdint.h>
#include "arch/x86/cpu.h"

enum cpu_relation {
	REL_SELF,
	REL_SMT_SIBLING,	/* the same core */
	REL_SAME_PACKAGE,	/* another core of the same package */
	REL_OTHER_PACKAGE,
	REL_N
};

enum topo_source { TOPO_NONE, TOPO_LEAF_1F, TOPO_LEAF_B, TOPO_LEGACY };

struct topo_shifts {
	uint8_t smt;		/* APIC ID >> smt: the core */
	uint8_t pkg;		/* APIC ID >> pkg: the package */
	enum topo_source source;
};

#define TOPO_LEVELS_MAX 8

/* From the subleaves of leaf 0x1F or 0xB, `n` of them: 0, or -1 when they
 * describe no usable hierarchy (no level, shifts that shrink or exceed 32). */
int topo_from_levels(const struct cpuid *lv, uint32_t n, enum topo_source src,
		     struct topo_shifts *s);
/* From the legacy counts (each at least 1): shifts rounded up to powers of two. */
void topo_from_counts(uint32_t logical_per_pkg, uint32_t threads_per_core, struct topo_shifts *s);

enum cpu_relation topo_relation(const struct topo_shifts *s, uint32_t a, uint32_t b);
const char *topo_relation_name(enum cpu_relation r);
const char *topo_source_name(enum topo_source s);

/* For the CPU at index `from` of ids[0..n): out[r] is the lowest index of a
 * CPU in relation r to it, or -1 (out[REL_SELF] is `from`). */
void topo_targets(const struct topo_shifts *s, const uint32_t *ids, uint32_t n, uint32_t from,
		  int32_t out[REL_N]);

/* The running CPU's shifts, from CPUID (leaf 0x1F, else 0xB, else legacy). */
void topology_read(struct topo_shifts *s);

#endif
