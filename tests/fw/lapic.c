// SPDX-License-Identifier: MIT
/* lapic.*: the local APIC's own interrupt paths, the baselines for devices. */
#include "tests/harness/test.h"
#include "kernel/kernel.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/smp.h"
#include "arch/x86/tsc.h"
#include "arch/x86/vector.h"
#include "lib/errno.h"
#include "lib/stats.h"

#define WAIT_MS		1000	/* later than this counts as lost */
#define TIMER_US	50	/* one-shot and deadline distance */

static struct irq_probe probe;

/* A vector on `cpu` with the probe's handler; 0 or an error. */
static int probe_vector(struct test_ctx *t, uint32_t cpu, struct vector_assign *va)
{
	int e = vector_alloc(&vectors, (int)cpu, va);

	if (!t_check(t, e == 0, "no vector on CPU %u: %s", cpu, err_name(e)))
		return e;
	e = irq_register(cpu, va->vector, irq_probe_handler, &probe);
	if (!t_check(t, e == 0, "vector 0x%x on CPU %u: %s", va->vector, cpu, err_name(e)))
		vector_free(&vectors, va);
	return e;
}

static void probe_release(const struct vector_assign *va)
{
	irq_unregister(va->cpu, va->vector);
	vector_free(&vectors, va);
}

static uint8_t self_vector;

static uint64_t trigger_self_ipi(void *ctx)
{
	uint64_t t0;

	(void)ctx;
	t0 = rdtsc();
	lapic_self_ipi(self_vector);
	return t0;
}

/* Self-IPI: from just before the ICR write to the entry stub's timestamp. */
TEST(lapic, self_ipi_latency)
{
	struct series *s = t_series(t);
	struct irq_tally tally = { 0 };
	struct vector_assign va;

	if (!t_check(t, s != NULL, "no memory for a series") || probe_vector(t, 0, &va))
		return;
	self_vector = va.vector;
	measure_irq(&probe, trigger_self_ipi, NULL, t->samples, ms_to_tsc(WAIT_MS), s, &tally);
	probe_release(&va);
	t_yaml(t, "vector: 0x%x", va.vector);
	t_yaml(t, "apic: %s", lapic_mode_name());
	t_latency(t, NULL, s, &tally);
}

struct ipi_target {
	uint32_t apic_id;
	uint8_t vector;
	volatile int stop;
	uint32_t not_delivered;	/* xAPIC delivery status stayed busy */
};

static uint64_t trigger_ipi(void *ctx)
{
	struct ipi_target *tg = ctx;
	uint64_t t0 = rdtsc();

	if (lapic_send_ipi(tg->apic_id, tg->vector))
		tg->not_delivered++;	/* the trigger counts as lost */
	return t0;
}

static void spin_until_stopped(void *arg)
{
	struct ipi_target *tg = arg;

	while (!tg->stop)
		cpu_relax();	/* interrupts on: the IPI lands here, not in hlt */
}

/* CPU 0 to one CPU of each relation that exists (its SMT sibling, another
 * core of its package, a core of another package; arch/x86/topology.h):
 * ICR write on CPU 0 to the target's entry stub, less the measured offset
 * between the two TSCs (t_latency_on). */
TEST(lapic, ipi_latency, .budget_ms = 60000, .needs = "2 cpus")
{
	int32_t target[REL_N];
	struct series *s = t_series(t);

	if (cpus_online < 2) {
		t_skip(t, "one CPU online: no IPI target (cpus=1 or a single-CPU machine)");
		return;
	}
	if (!t_check(t, s != NULL, "no memory for a series"))
		return;
	smp_targets(0, target);
	t_yaml(t, "targets: {smt_sibling: %d, same_package: %d, other_package: %d}  # CPU index, -1: none",
	       target[REL_SMT_SIBLING], target[REL_SAME_PACKAGE], target[REL_OTHER_PACKAGE]);
	for (int r = REL_SMT_SIBLING; r < REL_N; r++) {
		struct irq_tally tally = { 0 };
		uint32_t cpu = (uint32_t)target[r];
		struct ipi_target tg = { 0 };
		struct vector_assign va;
		char label[16];
		int e;

		if (target[r] < 0)
			continue;
		tg.apic_id = cpus[cpu].apic_id;
		ksnprintf(label, sizeof(label), "cpu%u", cpu);
		if (probe_vector(t, cpu, &va))
			continue;
		tg.vector = va.vector;
		series_init(s);
		t_target_start(t, cpu, s);
		e = smp_call_async(cpu, spin_until_stopped, &tg);
		if (t_check(t, e == 0, "%s: could not start the spinner: %s", label, err_name(e))) {
			measure_irq(&probe, trigger_ipi, &tg, t->samples, ms_to_tsc(WAIT_MS), s, &tally);
			tg.stop = 1;
			t_check(t, smp_call_wait(cpu, SMP_CALL_TIMEOUT_MS) == 0, "%s: spinner did not end",
				label);
			t_latency_on(t, label, cpu, s, &tally);
			t_yaml(t, "  apic_id: %u", tg.apic_id);
			t_yaml(t, "  target_wait: poll  # spin_until_stopped, whatever idle= says");
			t_yaml(t, "  icr_not_delivered: %u", tg.not_delivered);
		}
		probe_release(&va);
	}
}

static uint32_t timer_ticks;
static uint8_t timer_vector;

/* One-shot: the expected expiry in TSC from the timer's calibrated rate. */
static uint64_t trigger_oneshot(void *ctx)
{
	uint64_t t0 = rdtsc();

	(void)ctx;
	lapic_timer_oneshot_ticks(timer_ticks, timer_vector);
	return t0 + mul_div_u64(timer_ticks, tsc.hz, lapic_timer_hz());
}

static uint64_t trigger_deadline(void *ctx)
{
	uint64_t deadline = rdtsc() + mul_div_u64(TIMER_US, tsc.hz, 1000000);

	(void)ctx;
	lapic_timer_deadline(deadline, timer_vector);
	return deadline;
}

/* Timer due time (as the TSC predicts it) to the handler's timestamp: one
 * figure, `label`, of a timer armed by `trigger`. */
static void run_timer(struct test_ctx *t, const char *label, uint64_t (*trigger)(void *))
{
	uint64_t n = t->samples > 2000 ? 2000 : t->samples;
	struct series *s = t_series(t);
	struct irq_tally tally = { 0 };
	struct vector_assign va;

	if (!t_check(t, s != NULL, "no memory for a series") || probe_vector(t, 0, &va))
		return;
	timer_vector = va.vector;
	timer_ticks = (uint32_t)(lapic_timer_hz() * TIMER_US / 1000000);
	t_yaml(t, "distance_us: %d", TIMER_US);
	t_yaml(t, "timer_hz: %lu", lapic_timer_hz());
	/* A handler before the computed deadline (a one-shot timer whose rate
	 * was calibrated a little high) counts as 0, and as early. */
	measure_irq(&probe, trigger, NULL, n, ms_to_tsc(WAIT_MS), s, &tally);
	t_yaml(t, "early: %lu", s->below);
	t_latency(t, label, s, &tally);
	lapic_timer_stop();
	probe_release(&va);
	t_watchdog_restart(t);
}

/* One-shot mode: the expiry the calibrated timer rate predicts. */
TEST(lapic, timer_latency, .budget_ms = 30000)
{
	run_timer(t, "oneshot", trigger_oneshot);
}

/* TSC-deadline mode: the deadline itself. */
TEST(lapic, tsc_deadline_latency, .budget_ms = 30000)
{
	if (!lapic_has_tsc_deadline()) {
		t_skip(t, "no TSC-deadline mode (CPUID.1:ECX[24] clear; QEMU TCG does not emulate it)");
		return;
	}
	run_timer(t, "tsc_deadline", trigger_deadline);
}

static void read_apic_base(void *arg)
{
	*(uint64_t *)arg = rdmsr(MSR_APIC_BASE);
}

/* Every CPU runs its local APIC in the mode the command line asked for. */
TEST(lapic, mode)
{
	int want_x2 = lapic_mode() == LAPIC_X2APIC;

	t_yaml(t, "mode: %s", lapic_mode_name());
	t_yaml(t, "reason: %s", apic_reason_name(kernel_apic.reason));
	t_yaml(t, "cpu_has_x2apic: %s", lapic_has_x2apic() ? "true" : "false");
	t_yaml(t, "x2apic_locked: %s", lapic_x2apic_locked() ? "true" : "false");
	if (kernel_config.apic == APIC_X2APIC && !lapic_has_x2apic()) {
		t_skip(t, "apic=x2apic, but the CPU offers no x2APIC (QEMU 7.2 does not under TCG)");
		return;
	}
	t_check(t, want_x2 == (kernel_apic.mode == LAPIC_X2APIC), "running %s, decided %s",
		lapic_mode_name(), kernel_apic.mode == LAPIC_X2APIC ? "x2apic" : "xapic");
	t_check(t, kernel_apic.overridden || kernel_config.apic != APIC_XAPIC || !want_x2,
		"apic=xapic, running x2apic");
	t_check(t, kernel_apic.overridden || kernel_config.apic != APIC_X2APIC || want_x2,
		"apic=x2apic, running xapic");
	for (uint32_t cpu = 0; cpu < cpus_online; cpu++) {
		uint64_t base = 0;

		if (!t_check(t, smp_call(cpu, read_apic_base, &base, SMP_CALL_TIMEOUT_MS) == 0,
			     "cpu%u did not answer", cpu))
			continue;
		t_check(t, !!(base & APIC_BASE_X2APIC) == want_x2 && (base & APIC_BASE_ENABLE),
			"cpu%u: IA32_APIC_BASE 0x%lx", cpu, base);
	}
}
