/* SPDX-License-Identifier: MIT */
/*
 * The NMI watchdog: a test that hangs on CPU 0 with interrupts off is out
 * of reach of the local APIC timer watchdog (a masked interrupt), and the
 * timer's LVT entry has no NMI delivery mode (Intel SDM Vol. 3A 10.5.1:
 * only LINT0/1, performance-counter and thermal entries have one). So
 * another CPU keeps the watch: the highest-numbered one (cross-CPU tests
 * take the lowest of each relation) arms its own local APIC timer,
 * one-shot, when a test starts; if the test is still running when it
 * fires, that CPU sends CPU 0 an NMI, which no IF=0 can hold off, and
 * CPU 0's NMI handler unwinds to the recovery point the watch was armed
 * with (RECOVER_HANG, the NMI's frame kept for the dump). With one CPU
 * there is no watchdog. A watch CPU that is itself stuck with interrupts
 * off cannot fire.
 */
#ifndef ARCH_X86_NMI_WATCH_H
#define ARCH_X86_NMI_WATCH_H

#include <stdint.h>
#include "arch/x86/exception.h"

#define VEC_NMI_WATCH	0xfb	/* the watch CPU's local APIC timer */

/* Choose the watch CPU; -ENODEV with one CPU online. */
int nmi_watch_init(void);
/* The watch CPU's index, or -1 when there is none. */
int nmi_watch_cpu(void);
/* Watch CPU 0 for `ms` from now; on expiry unwind CPU 0 to `r`. 0, or a
 * negative errno when there is no watch (then nothing fires). */
int nmi_watch_arm(uint32_t ms, struct recover *r);
/* The test ended: an expiry from now on does nothing. */
void nmi_watch_disarm(void);
/* From CPU 0's NMI handler: the watch fired for this CPU; returns the
 * point to unwind to (and forgets it), else NULL. */
struct recover *nmi_watch_take(void);

/* IRET to the next instruction: ends the NMI blocking that an NMI handler
 * left without IRET (by unwinding) would otherwise keep (SDM Vol. 3A 6.7.1). */
static inline void nmi_unblock(void)
{
	uint64_t tmp;

	asm volatile("mov %%ss, %0\n\t"
		     "pushq %0\n\t"
		     "pushq %%rsp\n\t"
		     "addq $8, (%%rsp)\n\t"
		     "pushfq\n\t"
		     "mov %%cs, %0\n\t"
		     "pushq %0\n\t"
		     "leaq 1f(%%rip), %0\n\t"
		     "pushq %0\n\t"
		     "iretq\n"
		     "1:"
		     : "=&r"(tmp) : : "cc", "memory");
}

#endif
