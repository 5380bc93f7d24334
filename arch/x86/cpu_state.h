/* SPDX-License-Identifier: MIT */
/*
 * Every CPU in the one state the measurements assume: control registers,
 * EFER and PAT loaded from constants, not inherited from INIT (an AP starts
 * with CR0.CD and NW set: caches off) or from the firmware. See Intel SDM
 * Vol. 3A, 2.5 (control registers), 9.1.1 (state after INIT: CR0 =
 * 60000010H), 11.5.3 (caches off and on), 11.12.4 (PAT: power-up value
 * 0007040600070406H, flush caches and TLBs when it changes).
 */
#ifndef ARCH_X86_CPU_STATE_H
#define ARCH_X86_CPU_STATE_H

#include <stdint.h>

#define CR0_PE		(1ull << 0)	/* protected mode */
#define CR0_MP		(1ull << 1)	/* monitor coprocessor */
#define CR0_ET		(1ull << 4)	/* extension type (reads 1) */
#define CR0_NE		(1ull << 5)	/* native x87 errors */
#define CR0_WP		(1ull << 16)	/* supervisor writes honour read-only pages */
#define CR0_NW		(1ull << 29)	/* not write-through */
#define CR0_CD		(1ull << 30)	/* cache disable */
#define CR0_PG		(1ull << 31)	/* paging */
#define CR0_STATE	(CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG)

#define CR4_PAE		(1ull << 5)
#define CR4_MCE		(1ull << 6)	/* machine checks raise #MC, not a shutdown */
#define CR4_PGE		(1ull << 7)	/* global pages: off, so a CR3 load flushes all */
#define CR4_OSFXSR	(1ull << 9)
#define CR4_OSXMMEXCPT	(1ull << 10)
#define CR4_LA57	(1ull << 12)	/* 5-level paging: fixed while paging is on */
#define CR4_STATE	(CR4_PAE | CR4_MCE | CR4_OSFXSR | CR4_OSXMMEXCPT)

#define MSR_EFER	0xc0000080
# define EFER_LME	(1ull << 8)
# define EFER_LMA	(1ull << 10)	/* read only: long mode active */
# define EFER_NXE	(1ull << 11)
#define MSR_PAT		0x277
# define PAT_STATE	0x0007040600070406ull	/* WB WT UC- UC, twice: the power-up value */

struct cpu_state {
	uint64_t cr0, cr4, efer, pat;
};

/* Load the constants on this CPU (CR4.MCE and PAT where CPUID has them,
 * LA57 as found, EFER.NXE where the CPU has NX) and write back and
 * invalidate the caches where they had been off or PAT changed. */
void cpu_state_init(void);
void cpu_state_read(struct cpu_state *s);

#endif
