/* SPDX-License-Identifier: MIT */
/* Application-processor bring-up and running functions on other CPUs. */
#ifndef ARCH_X86_SMP_H
#define ARCH_X86_SMP_H

#include "lib/compiler.h"
#include <stdint.h>
#include "lib/memmap.h"
#include "arch/x86/percpu.h"
#include "arch/x86/topology.h"

#define SMP_CALL_TIMEOUT_MS 1000
#define SMP_FAILED_MAX 8

struct smp_report {
	uint32_t listed;	/* CPUs offered (the MADT's usable ones) */
	uint32_t wanted;	/* after cpus= and CPUS_MAX */
	uint32_t capped;	/* left out by CPUS_MAX alone */
	uint32_t first_capped_apic_id;
	uint64_t bringup_ns;	/* first INIT to the last CPU online */
	uint32_t failed;	/* CPUs that did not come up */
	uint32_t failed_apic_id[SMP_FAILED_MAX];
	int failed_err[SMP_FAILED_MAX];	/* -EIO: INIT or SIPI not delivered; -ETIMEDOUT: not up */
	uint64_t trampoline;	/* physical address used, 0 if none found */
	uint32_t trampoline_type;	/* MEM_USABLE or MEM_BOOT_SERVICES */
	struct topo_shifts topo;	/* the boot CPU's CPUID: APIC ID bits */
	int tsc_adjust;		/* the CPUs have IA32_TSC_ADJUST */
	int64_t tsc_adjust_boot;	/* the boot CPU's, which every CPU takes on */
	char error[96];
};

extern struct smp_report smp_report;

/* Idle CPUs spin with interrupts on instead of halting (idle=poll). */
extern volatile int smp_idle_poll;

/* Bring the CPUs with the APIC IDs apic_ids[0..n) online (the usable CPUs
 * of the MADT; the boot CPU's own ID is skipped), at most max_cpus in all,
 * the boot CPU included. A CPU that does not answer within a bound, or
 * whose INIT or SIPI is not delivered, is reported (and sent INIT again,
 * to park it) and the others go on. */
void smp_init(const uint32_t *apic_ids, uint32_t n, uint32_t max_cpus,
	      const struct mem_region *map, uint32_t nregions);

/* Run fn(arg) on CPU `cpu` (an index) and wait for it: 0, -ENODEV (not
 * online), -ETIMEDOUT, or -EIO if it raised an exception (this_cpu's
 * call_vector/call_rip of the target say which). */
int smp_call(uint32_t cpu, void (*fn)(void *), void *arg, uint32_t timeout_ms) MUST_CHECK;
/* Start fn(arg) on `cpu` without waiting; smp_call_wait() collects it. */
int smp_call_async(uint32_t cpu, void (*fn)(void *), void *arg) MUST_CHECK;
int smp_call_wait(uint32_t cpu, uint32_t timeout_ms) MUST_CHECK;

/* Restart a CPU through INIT-SIPI-SIPI (its running call is abandoned).
 * smp_restart_busy() does so for every CPU whose call has not finished, as
 * after an aborted test, and returns how many. */
int smp_restart(uint32_t cpu);
uint32_t smp_restart_busy(void);

/* How far CPU `cpu`'s TSC is ahead of this CPU's: ping-pong over `rounds`
 * round trips; the tightest one gives offset = t_remote - (t_send + t_back)/2
 * with an uncertainty of half its round trip (TSC cycles). */
struct tsc_offset {
	int64_t offset;
	uint64_t uncertainty;
	uint64_t min_rtt;
};

/* How CPU `b` relates to CPU `a` (indexes), and for CPU `from` the lowest
 * online CPU of each relation (-1: none), by their APIC IDs. */
enum cpu_relation smp_relation(uint32_t a, uint32_t b);
void smp_targets(uint32_t from, int32_t out[REL_N]);

/* Make the calling CPU's IA32_TSC_ADJUST the boot CPU's, as every CPU does
 * at bring-up (Linux's tsc_store_and_check_tsc_adjust() does the same per
 * package): 0, -ENODEV without the MSR, -EIO when it cannot be written.
 * this_cpu()'s tsc_adjust_found and tsc_adjust_err say what happened. */
int smp_tsc_adjust_sync(void);

int smp_tsc_offset(uint32_t cpu, uint32_t rounds, struct tsc_offset *out);

#endif
