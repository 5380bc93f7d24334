// SPDX-License-Identifier: MIT
/* The NMI watchdog (arch/x86/nmi_watch.h). */
#include "arch/x86/nmi_watch.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/smp.h"
#include "lib/errno.h"

static struct {
	int cpu;			/* the watch CPU, -1: none */
	struct recover *volatile target;	/* armed: where CPU 0 unwinds to */
	volatile int fired;
} watch = { .cpu = -1 };

/* On the watch CPU, when its timer fires. */
static void expire(uint64_t tsc, void *arg)
{
	(void)tsc;
	(void)arg;
	if (!watch.target)
		return;		/* the test ended in time */
	watch.fired = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (lapic_send_nmi(cpus[0].apic_id))
		watch.fired = 0;	/* the ICR stayed busy: nothing was sent */
}

/* On the watch CPU. The handler is installed here, each time: a CPU
 * restarted after an aborted test starts with an empty handler table. */
static void arm_here(void *arg)
{
	uint32_t cpu = this_cpu()->index;

	if (cpus[cpu].handlers[VEC_NMI_WATCH].fn != expire &&
	    irq_register(cpu, VEC_NMI_WATCH, expire, 0))
		return;
	lapic_timer_oneshot_ms(*(const uint32_t *)arg, VEC_NMI_WATCH);
}

int nmi_watch_init(void)
{
	if (cpus_online < 2)
		return -ENODEV;
	watch.cpu = (int)cpus_online - 1;
	return 0;
}

int nmi_watch_cpu(void)
{
	return watch.cpu;
}

int nmi_watch_arm(uint32_t ms, struct recover *r)
{
	int e;

	if (watch.cpu < 0)
		return -ENODEV;
	watch.fired = 0;
	watch.target = r;
	e = smp_call((uint32_t)watch.cpu, arm_here, &ms, SMP_CALL_TIMEOUT_MS);
	if (e)
		watch.target = 0;
	return e;
}

void nmi_watch_disarm(void)
{
	watch.target = 0;
}

struct recover *nmi_watch_take(void)
{
	struct recover *r = watch.target;

	if (this_cpu()->index != 0 || !watch.fired || !r)
		return 0;
	watch.fired = 0;
	watch.target = 0;
	return r;
}
