// SPDX-License-Identifier: MIT
/* smp.*: every CPU online, their TSCs compared, functions run on each. */
#include "kernel/kernel.h"
#include "tests/harness/test.h"
#include "tests/harness/gaps.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_state.h"
#include "arch/x86/lapic.h"
#include "arch/x86/smp.h"
#include "arch/x86/tsc.h"
#include "drivers/iommu/iommu.h"
#include "lib/errno.h"

TEST(smp, all_cpus_online)
{
	const struct smp_report *r = &smp_report;
	uint32_t unreachable = 0;

	if (!kernel_madt.ncpus) {
		t_skip(t, "no MADT: the CPUs cannot be enumerated (%s)",
		       kernel_acpi_error[0] ? kernel_acpi_error : "ACPI has no APIC table");
		return;
	}
	t_yaml(t, "madt_cpus: %u", r->listed);
	t_yaml(t, "wanted: %u  # cpus=%u", r->wanted, kernel_config.cpus);
	t_yaml(t, "online: %u", cpus_online);
	t_yaml(t, "failed: %u", r->failed);
	t_yaml(t, "bringup_us: %lu", r->bringup_ns / 1000);
	if (r->trampoline)
		t_yaml(t, "trampoline: {address: 0x%lx, from: %s}", r->trampoline,
		       mem_type_name(r->trampoline_type));
	else
		t_yaml(t, "trampoline: none");
	t_yaml(t, "topology: {source: %s, thread_bits: %u, package_shift: %u}",
	       topo_source_name(r->topo.source), r->topo.smt, r->topo.pkg);
	t_yaml(t, "tsc_adjust: %s", smp_report.tsc_adjust ? "true" : "false");
	for (uint32_t i = 0; i < cpus_online; i++) {
		const struct cpu *c = &cpus[i];

		char adj[64] = "";

		if (smp_report.tsc_adjust)
			ksnprintf(adj, sizeof(adj), ", tsc_adjust_found: %ld, tsc_adjust_set: %s",
				  c->tsc_adjust_found, c->tsc_adjust_err ? "failed" :
				  c->tsc_adjust_found != smp_report.tsc_adjust_boot ? "true" : "false");
		t_yaml(t, "cpu%u: {apic_id: %u, package: %u, core: %u, relation: %s%s}", i,
		       c->apic_id, c->apic_id >> r->topo.pkg, c->apic_id >> r->topo.smt,
		       topo_relation_name(smp_relation(0, i)), adj);
		/* Without remapping an MSI names 8 destination bits (SDM Vol. 3A
		 * 10.11.1): a CPU above 255 takes IPIs, no device interrupt. */
		if (c->apic_id > 255 && !iommu_ir_enabled())
			unreachable++;
	}
	t_yaml(t, "msi_unreachable: %u  # CPUs with APIC IDs above 255, interrupt remapping off",
	       unreachable);
	t_check(t, cpus_online == r->wanted, "%u of %u CPUs online", cpus_online, r->wanted);
	for (uint32_t i = 0; i < r->failed && i < 8; i++)
		t_fail(t, "CPU with APIC ID %u did not come up", r->failed_apic_id[i]);
	t_check(t, !r->error[0], "%s", r->error);
}

/* Each CPU's TSC against CPU 0's, by ping-pong; reported, not judged: a
 * skew is a fact of the machine that cross-CPU figures must be read with. */
TEST(smp, tsc_skew, .needs = "2 cpus")
{
	if (cpus_online < 2) {
		t_skip(t, "one CPU online: nothing to compare");
		return;
	}
	for (uint32_t cpu = 1; cpu < cpus_online; cpu++) {
		struct tsc_offset o;
		int e = smp_tsc_offset(cpu, 1000, &o);
		uint64_t mag = o.offset < 0 ? (uint64_t)-o.offset : (uint64_t)o.offset;

		if (!t_check(t, e == 0, "cpu%u: ping-pong failed: %s", cpu, err_name(e)))
			continue;
		t_yaml(t, "cpu%u: {relation: %s, offset_ns: %s%lu, uncertainty_ns: %lu, "
		       "min_round_trip_ns: %lu, beyond_uncertainty: %s}", cpu,
		       topo_relation_name(smp_relation(0, cpu)), o.offset < 0 ? "-" : "",
		       tsc_to_ns(mag), tsc_to_ns(o.uncertainty), tsc_to_ns(o.min_rtt),
		       mag > o.uncertainty ? "true" : "false");
	}
}

/* How far CPU 1's TSC is pushed through its IA32_TSC_ADJUST. */
#define SKEW_US 100

struct adjust_call {
	int64_t delta;
	int err;
	int64_t found;
	uint64_t jump;		/* the TSC across the write, on CPU 1 itself */
};

static void skew_adjust(void *arg)
{
	struct adjust_call *a = arg;
	uint64_t t0 = rdtsc();

	a->err = tsc_adjust_write(tsc_adjust_read() + a->delta);
	a->jump = rdtsc() - t0;
}

static void sync_adjust(void *arg)
{
	struct adjust_call *a = arg;

	a->err = smp_tsc_adjust_sync();
	a->found = this_cpu()->tsc_adjust_found;
}

static int64_t offset_ns(int64_t cycles)
{
	return cycles < 0 ? -(int64_t)tsc_to_ns((uint64_t)-cycles) : (int64_t)tsc_to_ns(cycles);
}

/* The bring-up's TSC_ADJUST repair (smp_tsc_adjust_sync), shown on CPU 1:
 * its TSC pushed SKEW_US ahead through the MSR must show in the measured
 * offset, and the repair must take it out again. */
TEST(smp, tsc_adjust_sync, .needs = "2 cpus")
{
	struct adjust_call a = { .delta = (int64_t)us_to_tsc(SKEW_US) };
	const char *unapplied = platform_gap(GAP_TSC_ADJUST);
	struct tsc_offset before, skewed, after;
	int64_t moved, left, bound;
	int e;

	if (cpus_online < 2) {
		t_skip(t, "one CPU online: nothing to compare");
		return;
	}
	if (!smp_report.tsc_adjust) {
		t_skip(t, "no IA32_TSC_ADJUST (CPUID.(EAX=07H,ECX=0):EBX[1] clear)");
		return;
	}
	if (!t_check(t, (e = smp_tsc_offset(1, 200, &before)) == 0, "ping-pong: %s", err_name(e)))
		return;
	e = smp_call(1, skew_adjust, &a, SMP_CALL_TIMEOUT_MS);
	if (!t_check(t, e == 0 && a.err == 0, "CPU 1's IA32_TSC_ADJUST not written: %s",
		     err_name(e ? e : a.err)))
		return;
	e = smp_tsc_offset(1, 200, &skewed);
	a.found = 0;
	t_check(t, smp_call(1, sync_adjust, &a, SMP_CALL_TIMEOUT_MS) == 0 && a.err == 0,
		"the repair failed on CPU 1: %s", err_name(a.err));
	if (!t_check(t, e == 0, "ping-pong: %s", err_name(e)) ||
	    !t_check(t, smp_tsc_offset(1, 200, &after) == 0, "ping-pong after the repair failed"))
		return;
	moved = skewed.offset - before.offset;
	left = after.offset - before.offset;
	t_yaml(t, "skew_ns: %d", SKEW_US * 1000);
	t_yaml(t, "offset_before_ns: %ld", offset_ns(before.offset));
	t_yaml(t, "offset_skewed_ns: %ld", offset_ns(skewed.offset));
	t_yaml(t, "offset_after_ns: %ld", offset_ns(after.offset));
	t_yaml(t, "uncertainty_ns: %lu", tsc_to_ns(before.uncertainty + after.uncertainty));
	t_yaml(t, "repair_found: %ld", a.found);
	t_yaml(t, "tsc_across_the_write_ns: %lu", tsc_to_ns(a.jump));
	/* The MSR reads back but the TSC did not move, on CPU 1 itself or as
	 * CPU 0 sees it: the hypervisor keeps the MSR without adding it. */
	if (unapplied) {
		t_skip(t, "%s", unapplied);
		return;
	}
	t_check(t, a.jump >= (uint64_t)a.delta && moved >= a.delta / 2,
		"CPU 1's IA32_TSC_ADJUST took %ld but its TSC did not move by it (%lu ns across the "
		"write, %ld ns as CPU 0 sees it)", a.delta, tsc_to_ns(a.jump), offset_ns(moved));
	t_check(t, a.found != smp_report.tsc_adjust_boot,
		"the repair found CPU 1's IA32_TSC_ADJUST equal to the boot CPU's after the skew");
	/* Back within the two measurements' uncertainty, and a tenth of the skew
	 * for a host that preempts the vCPUs between them. */
	bound = (int64_t)(before.uncertainty + after.uncertainty) + a.delta / 10;
	t_check(t, left <= bound && left >= -bound,
		"CPU 1 is still %ld ns from where it was after the repair (bound %ld ns)",
		offset_ns(left), offset_ns(bound));
}

struct who {
	uint32_t apic_id;
	uint32_t index;
	int irqs_on;
};

static void whoami(void *arg)
{
	struct who *w = arg;

	w->apic_id = lapic_id();
	w->index = this_cpu()->index;
	w->irqs_on = irqs_enabled();
}

static void fault(void *arg)
{
	(void)arg;
	asm volatile("ud2");
}

TEST(smp, call_on_each_cpu)
{
	for (uint32_t cpu = 0; cpu < cpus_online; cpu++) {
		struct who w = { ~0u, ~0u, 0 };
		int e = smp_call(cpu, whoami, &w, SMP_CALL_TIMEOUT_MS);

		if (!t_check(t, e == 0, "cpu%u: %s", cpu, err_name(e)))
			continue;
		t_check(t, w.apic_id == cpus[cpu].apic_id && w.index == cpu,
			"cpu%u answered as APIC ID %u index %u (expected %u)", cpu, w.apic_id,
			w.index, cpus[cpu].apic_id);
	}
	t_yaml(t, "cpus_called: %u", cpus_online);
	if (cpus_online < 2)
		return;
	/* An exception on the other CPU comes back as -EIO, and that CPU lives on. */
	t_check(t, smp_call(1, fault, NULL, SMP_CALL_TIMEOUT_MS) == -EIO &&
		   cpus[1].call_vector == 6, "#UD on cpu1 not reported (vector %d)",
		cpus[1].call_vector);
	t_check(t, smp_call(1, whoami, &(struct who){ .index = 0 }, SMP_CALL_TIMEOUT_MS) == 0,
		"cpu1 did not answer after its exception");
	t_check(t, smp_call(cpus_online, whoami, NULL, 10) == -ENODEV,
		"a call to a CPU that is not online was not refused");
}

static void read_state(void *arg)
{
	cpu_state_read(arg);
}

/* Every CPU in the one state (arch/x86/cpu_state.h): the same CR0, CR4,
 * EFER and PAT, caches on. An AP that kept CR0.CD/NW from INIT would make
 * every cross-CPU figure measure DRAM, not the path. */
TEST(smp, cpu_state_identical)
{
	static struct cpu_state s[CPUS_MAX];

	for (uint32_t cpu = 0; cpu < cpus_online; cpu++) {
		int e = smp_call(cpu, read_state, &s[cpu], SMP_CALL_TIMEOUT_MS);

		if (!t_check(t, e == 0, "cpu%u did not answer: %s", cpu, err_name(e)))
			return;
		t_yaml(t, "cpu%u: {cr0: 0x%lx, cr4: 0x%lx, efer: 0x%lx, pat: 0x%lx}", cpu, s[cpu].cr0,
		       s[cpu].cr4, s[cpu].efer, s[cpu].pat);
		t_check(t, !(s[cpu].cr0 & (CR0_CD | CR0_NW)), "cpu%u runs with caches off: CR0 0x%lx",
			cpu, s[cpu].cr0);
		t_check(t, s[cpu].cr0 == s[0].cr0 && s[cpu].cr4 == s[0].cr4 &&
			   s[cpu].efer == s[0].efer && s[cpu].pat == s[0].pat,
			"cpu%u differs from cpu0", cpu);
	}
	t_check(t, s[0].cr0 == CR0_STATE, "CR0 0x%lx, not 0x%llx", s[0].cr0, CR0_STATE);
}
