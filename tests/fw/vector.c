// SPDX-License-Identifier: MIT
/* vector.*: the vector allocator on the real CPUs; ioapic.*: pins masked. */
#include "tests/harness/test.h"
#include "arch/x86/ioapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vector.h"
#include "lib/errno.h"

TEST(vector, alloc_free_exhaustion)
{
	static struct vector_assign got[VEC_ALLOC_COUNT];
	struct vector_assign extra;
	uint32_t cpu = cpus_online - 1, n = 0, before = vector_count(&vectors, cpu);
	int e;

	while (n < VEC_ALLOC_COUNT && vector_alloc(&vectors, (int)cpu, &got[n]) == 0)
		n++;
	t_yaml(t, "cpu: %u", cpu);
	t_yaml(t, "allocated: %u", n);
	t_yaml(t, "in_use_before: %u", before);
	t_check(t, n == VEC_ALLOC_COUNT - before, "%u vectors allocated, %u were free", n,
		VEC_ALLOC_COUNT - before);
	e = vector_alloc(&vectors, (int)cpu, &extra);
	t_check(t, e == -ENOSPC, "allocation past exhaustion gave %s, not ENOSPC", err_name(e));
	for (uint32_t i = 0; i < n; i++) {
		t_check(t, got[i].cpu == cpu && got[i].vector >= VEC_ALLOC_FIRST &&
			   got[i].vector <= VEC_ALLOC_LAST, "allocation %u: cpu %u vector 0x%x",
			i, got[i].cpu, got[i].vector);
		t_check(t, vector_free(&vectors, &got[i]) == 0, "free of 0x%x failed", got[i].vector);
	}
	t_check(t, vector_free(&vectors, &got[0]) == -EINVAL, "double free not refused");
	t_check(t, vector_count(&vectors, cpu) == before, "%u in use after freeing all, %u before",
		vector_count(&vectors, cpu), before);
	e = vector_alloc(&vectors, (int)cpu, &extra);
	t_check(t, e == 0, "allocation after freeing everything: %s", err_name(e));
	if (e == 0)
		vector_free(&vectors, &extra);
	t_check(t, vector_alloc(&vectors, (int)cpus_online, &extra) == -EINVAL,
		"allocation on a CPU that is not online was not refused");
}

TEST(ioapic, all_pins_masked)
{
	uint32_t pins = 0, unmasked = 0;

	if (nioapics == 0) {
		t_skip(t, "no IO-APIC in the MADT");
		return;
	}
	for (uint32_t i = 0; i < nioapics; i++) {
		t_yaml(t, "ioapic%u: {id: %u, base: 0x%lx, gsi_base: %u, pins: %u}", i, ioapics[i].id,
		       ioapics[i].base, ioapics[i].gsi_base, ioapics[i].pins);
		for (uint32_t p = 0; p < ioapics[i].pins; p++) {
			uint64_t rte = 0;

			ioapic_read_rte(ioapics[i].gsi_base + p, &rte);
			pins++;
			if (!(rte & IOAPIC_RTE_MASKED)) {
				unmasked++;
				t_fail(t, "GSI %u unmasked: 0x%lx", ioapics[i].gsi_base + p, rte);
			}
		}
	}
	t_yaml(t, "pins: %u", pins);
	t_yaml(t, "unmasked: %u", unmasked);
}

/* Routing writes what it says and leaves the pin masked. */
TEST(ioapic, route_roundtrip)
{
	uint64_t rte = 0;
	uint32_t gsi;

	if (nioapics == 0) {
		t_skip(t, "no IO-APIC in the MADT");
		return;
	}
	gsi = ioapics[0].gsi_base + ioapics[0].pins - 1;
	t_check(t, ioapic_route(gsi, 0x77, cpus[0].apic_id, IOAPIC_RTE_LEVEL) == 0, "route failed");
	ioapic_read_rte(gsi, &rte);
	t_yaml(t, "gsi: %u", gsi);
	t_yaml(t, "rte: 0x%lx", rte);
	t_check(t, (rte & 0xff) == 0x77 && (rte & IOAPIC_RTE_LEVEL) && (rte & IOAPIC_RTE_MASKED) &&
		   (rte >> 56) == cpus[0].apic_id, "redirection entry 0x%lx", rte);
	t_check(t, ioapic_route(gsi, 0x77, 256, 0) == -ERANGE, "APIC ID 256 accepted");
	t_check(t, ioapic_route(100000, 0x77, 0, 0) == -ENOENT, "GSI 100000 accepted");
	ioapic_route(gsi, 0, 0, 0);
	ioapic_read_rte(gsi, &rte);
	t_check(t, rte & IOAPIC_RTE_MASKED, "pin left unmasked");
}
