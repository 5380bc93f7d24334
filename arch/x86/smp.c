// SPDX-License-Identifier: MIT
/*
 * SMP bring-up with INIT-SIPI-SIPI and a real-mode trampoline, and a
 * per-CPU mailbox for running functions elsewhere. See Intel SDM Vol. 3A,
 * 8.4.4.1 (INIT, 10 ms, SIPI, 200 us, SIPI) and the MultiProcessor
 * Specification 1.4, B.4.
 */
#include "arch/x86/smp.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_state.h"
#include "arch/x86/desc.h"
#include "arch/x86/exception.h"
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/paging.h"
#include "arch/x86/tsc.h"
#include "lib/errno.h"
#include "lib/pfa.h"
#include "lib/stats.h"
#include "lib/printf.h"
#include "lib/string.h"

#define AP_STACK_PAGES	4
#define IST_PAGES	1
#define AP_WAIT_MS	500	/* TCG can take a while to start a vCPU */
#define LOW_LIMIT	0xa0000	/* the trampoline page must be below this */

extern const char trampoline_start[], trampoline_end[];
extern const char tramp_cr3[], tramp_stack[], tramp_arg[], tramp_entry[];

struct smp_report smp_report;
volatile int smp_idle_poll;
static uint64_t tramp_page;

static void on_call_ipi(uint64_t tsc, void *arg)
{
	(void)tsc;
	(void)arg;	/* waking the CPU from hlt is all it takes */
}

static void run_call(struct cpu *c)
{
	struct recover r;
	int v = cpu_guarded_call(c->call_fn, c->call_arg, &r);

	c->call_vector = v;
	c->call_rip = v >= 0 ? r.frame.rip : 0;
	barrier();
	c->done_seq = c->call_seq;
}

static void ap_main(void *arg) __attribute__((noreturn));

static void ap_main(void *arg)
{
	struct cpu *c = arg;
	uint64_t ist[3];

	for (int i = 0; i < 3; i++)
		ist[i] = c->tss.ist[i];
	cpu_state_init();	/* caches on: INIT left CR0.CD and NW set */
	cpu_desc_init(c, ist);
	idt_load();
	lapic_init(lapic_mode());	/* the boot CPU's choice */
	irq_cpu_init(c->handlers);
	(void)smp_tsc_adjust_sync();	/* reported from this_cpu by the boot CPU */
	if (irq_register(c->index, VEC_SMP_CALL, on_call_ipi, NULL) || lapic_id() != c->apic_id) {
		/* No wake-up for smp_call, or not the CPU these parameters were
		 * for (a late starter): stop, never online. */
		for (;;)
			asm volatile("cli; hlt");
	}
	c->online = 1;
	for (;;) {
		irq_disable();
		if (c->done_seq != c->call_seq) {
			irq_enable();
			run_call(c);
			continue;
		}
		if (smp_idle_poll) {
			irq_enable();	/* interrupts are taken while spinning */
			while (c->done_seq == c->call_seq && smp_idle_poll)
				cpu_relax();
			continue;
		}
		asm volatile("sti; hlt" ::: "memory");	/* sti shadow: no lost wakeup */
	}
}


static void param(uint64_t page, const char *field, uint64_t v)
{
	memcpy((void *)(uintptr_t)(page + (field - trampoline_start)), &v, 8);
}

static int start_ap(uint64_t page, struct cpu *c)
{
	uint64_t stack = pfa_alloc(&pfa, AP_STACK_PAGES, PAGE_SIZE, ~0ull);
	uint64_t ist = pfa_alloc(&pfa, 3 * IST_PAGES, PAGE_SIZE, ~0ull);
	uint64_t handlers = c->handlers ? (uintptr_t)c->handlers : pfa_alloc(&pfa, 1, PAGE_SIZE, ~0ull);

	if (!stack || !ist || !handlers)
		return -ENOSPC;
	c->handlers = (struct irq_handler *)(uintptr_t)handlers;
	for (int i = 0; i < 3; i++)
		c->tss.ist[i] = ist + (i + 1) * IST_PAGES * PAGE_SIZE;
	param(page, tramp_stack, stack + AP_STACK_PAGES * PAGE_SIZE);
	param(page, tramp_arg, (uintptr_t)c);
	param(page, tramp_entry, (uintptr_t)ap_main);
	barrier();
	/* A send that stays pending in the ICR was not delivered: -ETIMEDOUT
	 * from the send, reported as -EIO so that it reads apart from a CPU
	 * that got its SIPI and did not come up. */
	if (lapic_send_init(c->apic_id))
		return -EIO;
	delay_us(10000);
	if (lapic_send_startup(c->apic_id, (uint8_t)(page >> 12)))
		return -EIO;
	delay_us(200);
	if (!c->online && lapic_send_startup(c->apic_id, (uint8_t)(page >> 12)))
		return -EIO;
	if (wait_ms(c->online, AP_WAIT_MS)) {
		/* Park it: it must not run late on this CPU's stacks. */
		return lapic_send_init(c->apic_id) ? -EIO : -ETIMEDOUT;
	}
	return 0;
}

void smp_init(const uint32_t *apic_ids, uint32_t n, uint32_t max_cpus,
	      const struct mem_region *map, uint32_t nregions)
{
	struct smp_report *r = &smp_report;
	uint64_t page, t0;
	uint32_t bsp = lapic_id();
	int e;

	cpus[0].apic_id = bsp;
	topology_read(&r->topo);
	if ((r->tsc_adjust = tsc_has_adjust()))
		r->tsc_adjust_boot = cpus[0].tsc_adjust_found = tsc_adjust_read();
	cpus[0].online = 1;
	cpus_online = 1;
	if (irq_register(0, VEC_SMP_CALL, on_call_ipi, NULL))
		ksnprintf(r->error, sizeof(r->error), "vector 0x%x taken on the boot CPU",
			  VEC_SMP_CALL);
	r->listed = n;
	r->wanted = r->listed < max_cpus ? r->listed : max_cpus;
	if (r->wanted > CPUS_MAX) {
		r->capped = r->wanted - CPUS_MAX;
		r->wanted = CPUS_MAX;
		/* The boot CPU runs wherever it is listed: the first left out is
		 * the CPUS_MAX-th other one. */
		for (uint32_t i = 0, k = 1; i < n; i++)
			if (apic_ids[i] != bsp && k++ == CPUS_MAX) {
				r->first_capped_apic_id = apic_ids[i];
				break;
			}
	}
	if (r->wanted <= 1)
		return;
	page = memmap_low_page(map, nregions, LOW_LIMIT, paging_own_tables(), &r->trampoline_type);
	if (!page) {
		ksnprintf(r->error, sizeof(r->error), "no free page below 640 KiB for the trampoline%s",
			  paging_own_tables() ? "" : " (boot-services memory is not free: the "
			  "firmware's page tables are still in use)");
		return;
	}
	r->trampoline = tramp_page = page;
	memcpy((void *)(uintptr_t)page, trampoline_start, trampoline_end - trampoline_start);
	param(page, tramp_cr3, read_cr3());

	t0 = rdtsc();
	for (uint32_t i = 0; i < n && cpus_online < r->wanted; i++) {
		struct cpu *c = &cpus[cpus_online];

		if (apic_ids[i] == bsp)
			continue;
		memset(c, 0, sizeof(*c));
		c->index = cpus_online;
		c->apic_id = apic_ids[i];
		if ((e = start_ap(page, c)) == 0) {
			cpus_online++;
			continue;
		}
		if (r->failed < SMP_FAILED_MAX) {
			r->failed_apic_id[r->failed] = c->apic_id;
			r->failed_err[r->failed] = e;
		}
		r->failed++;
	}
	r->bringup_ns = tsc_to_ns(rdtsc() - t0);
}

enum cpu_relation smp_relation(uint32_t a, uint32_t b)
{
	return topo_relation(&smp_report.topo, cpus[a].apic_id, cpus[b].apic_id);
}

void smp_targets(uint32_t from, int32_t out[REL_N])
{
	static uint32_t ids[CPUS_MAX];

	for (uint32_t i = 0; i < cpus_online; i++)
		ids[i] = cpus[i].apic_id;
	topo_targets(&smp_report.topo, ids, cpus_online, from, out);
}

int smp_tsc_adjust_sync(void)
{
	struct cpu *c = this_cpu();

	if (!smp_report.tsc_adjust)
		return -ENODEV;
	c->tsc_adjust_found = tsc_adjust_read();
	c->tsc_adjust_err = 0;
	if (c->tsc_adjust_found != smp_report.tsc_adjust_boot)
		c->tsc_adjust_err = tsc_adjust_write(smp_report.tsc_adjust_boot);
	return c->tsc_adjust_err;
}

int smp_restart(uint32_t cpu)
{
	struct cpu *c = &cpus[cpu];

	if (cpu == 0 || cpu >= cpus_online || !tramp_page)
		return -EINVAL;
	c->online = 0;
	c->call_fn = 0;
	c->call_seq = c->done_seq = 0;
	/* Its old stacks are abandoned: a few pages per aborted test. */
	return start_ap(tramp_page, c);
}

uint32_t smp_restart_busy(void)
{
	uint32_t n = 0;

	for (uint32_t i = 1; i < cpus_online; i++) {
		if (cpus[i].done_seq != cpus[i].call_seq) {
			smp_restart(i);
			n++;
		}
	}
	return n;
}

int smp_call_async(uint32_t cpu, void (*fn)(void *), void *arg)
{
	struct cpu *c = &cpus[cpu];

	if (cpu >= cpus_online || !c->online)
		return -ENODEV;
	if (c->done_seq != c->call_seq)
		return -EBUSY;
	c->call_fn = fn;
	c->call_arg = arg;
	c->call_vector = -1;
	barrier();
	c->call_seq++;
	return lapic_send_ipi(c->apic_id, VEC_SMP_CALL);
}

int smp_call_wait(uint32_t cpu, uint32_t timeout_ms)
{
	struct cpu *c = &cpus[cpu];

	if (wait_ms(c->done_seq == c->call_seq, timeout_ms))
		return -ETIMEDOUT;
	return c->call_vector >= 0 ? -EIO : 0;
}

int smp_call(uint32_t cpu, void (*fn)(void *), void *arg, uint32_t timeout_ms)
{
	int e;

	if (cpu < cpus_online && &cpus[cpu] == this_cpu()) {
		fn(arg);
		return 0;
	}
	e = smp_call_async(cpu, fn, arg);
	return e ? e : smp_call_wait(cpu, timeout_ms);
}

static struct {
	volatile uint32_t ping __attribute__((aligned(64)));
	volatile uint32_t ack __attribute__((aligned(64)));
	volatile uint64_t remote_tsc;
	uint32_t rounds;
	volatile uint32_t abort;
} pp;

static void pong(void *arg)
{
	(void)arg;
	for (uint32_t k = 1; k <= pp.rounds && !pp.abort; k++) {
		while (pp.ping != k && !pp.abort)
			cpu_relax();
		pp.remote_tsc = rdtsc();
		pp.ack = k;
	}
}

int smp_tsc_offset(uint32_t cpu, uint32_t rounds, struct tsc_offset *out)
{
	/* A hang guard, not a measurement: an overcommitted host can hold a
	 * vCPU off its core for many milliseconds. */
	uint64_t best = ~0ull, wait = ms_to_tsc(1000);
	int e;

	pp.ping = pp.ack = 0;
	pp.abort = 0;
	pp.rounds = rounds;
	if ((e = smp_call_async(cpu, pong, NULL)))
		return e;
	for (uint32_t k = 1; k <= rounds; k++) {
		uint64_t t0 = rdtsc(), t2;

		pp.ping = k;
		/* Spin without pause between reads: this is the measurement. */
		while (pp.ack != k) {
			if (rdtsc() - t0 > wait) {
				pp.abort = 1;	/* the pong sees it and ends */
				return smp_call_wait(cpu, SMP_CALL_TIMEOUT_MS) ? -EBUSY : -ETIMEDOUT;
			}
		}
		t2 = rdtsc();
		if (t2 - t0 < best) {
			best = t2 - t0;
			out->offset = (int64_t)(pp.remote_tsc - (t0 + (t2 - t0) / 2));
		}
	}
	out->min_rtt = best;
	out->uncertainty = best / 2;
	return smp_call_wait(cpu, SMP_CALL_TIMEOUT_MS);
}
