// SPDX-License-Identifier: MIT
/* lapic.*: the local APIC's own interrupt paths, the baselines for devices. */
#include "kernel/test.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/tsc.h"

#define SELF_IPI_VECTOR	0x40
#define WAIT_MS		10	/* a delivery later than this counts as lost */

static volatile uint64_t last_tsc;
static volatile uint64_t deliveries;

static void on_ipi(uint64_t tsc_now, void *arg)
{
	(void)arg;
	last_tsc = tsc_now;
	deliveries++;
}

/* Self-IPI: from just before the ICR write to the entry stub's timestamp. */
TEST(lapic, self_ipi_latency)
{
	uint32_t n = t->samples, k = 0;
	uint64_t *s = t_alloc(t, n * sizeof(*s)), wait = ms_to_tsc(WAIT_MS);
	uint64_t spurious0 = irq_counts.spurious + irq_counts.unowned;
	struct irq_tally tally = { 0 };

	if (!t_check(t, s != NULL, "no memory for %u samples", n))
		return;
	if (!t_check(t, irq_register(SELF_IPI_VECTOR, on_ipi, NULL) == 0,
		     "vector 0x%x already taken", SELF_IPI_VECTOR))
		return;
	deliveries = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t before = deliveries, t0, now;

		tally.triggers++;
		t0 = rdtsc();
		lapic_self_ipi(SELF_IPI_VECTOR);
		do
			now = rdtsc();
		while (deliveries == before && now - t0 < wait);
		if (deliveries == before) {
			tally.lost++;
			continue;
		}
		if (deliveries - before > 1)
			tally.duplicates += deliveries - before - 1;
		s[k++] = last_tsc - t0;
	}
	/* Late arrivals after the last trigger count as duplicates too. */
	for (uint64_t t0 = rdtsc(); rdtsc() - t0 < wait;)
		cpu_relax();
	irq_unregister(SELF_IPI_VECTOR);
	tally.delivered = deliveries;
	if (deliveries > tally.triggers - tally.lost + tally.duplicates)
		tally.duplicates = deliveries - (tally.triggers - tally.lost);
	tally.spurious = irq_counts.spurious + irq_counts.unowned - spurious0;
	t_yaml(t, "vector: 0x%x", SELF_IPI_VECTOR);
	t_yaml(t, "apic: %s", lapic_mode() == LAPIC_X2APIC ? "x2apic" : "xapic");
	t_latency(t, s, k, &tally);
}
