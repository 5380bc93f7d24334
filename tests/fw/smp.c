// SPDX-License-Identifier: MIT
/* smp.*: every CPU online, their TSCs compared, functions run on each. */
#include "kernel/kernel.h"
#include "tests/harness/test.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_state.h"
#include "arch/x86/lapic.h"
#include "arch/x86/smp.h"
#include "arch/x86/tsc.h"
#include "lib/errno.h"

TEST(smp, all_cpus_online)
{
	const struct smp_report *r = &smp_report;

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
	t_yaml(t, "trampoline: 0x%lx", r->trampoline);
	for (uint32_t i = 0; i < cpus_online; i++)
		t_yaml(t, "cpu%u: {apic_id: %u}", i, cpus[i].apic_id);
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
		t_yaml(t, "cpu%u: {offset_ns: %s%lu, uncertainty_ns: %lu, min_round_trip_ns: %lu, "
		       "beyond_uncertainty: %s}", cpu, o.offset < 0 ? "-" : "", tsc_to_ns(mag),
		       tsc_to_ns(o.uncertainty), tsc_to_ns(o.min_rtt),
		       mag > o.uncertainty ? "true" : "false");
	}
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
