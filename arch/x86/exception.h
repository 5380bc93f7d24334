/* SPDX-License-Identifier: MIT */
/*
 * CPU exceptions and recovery from them. A recovery point is a saved context
 * on a stack of such points; an exception (or the test watchdog) unwinds to
 * the innermost one, which sees why and where.
 */
#ifndef ARCH_X86_EXCEPTION_H
#define ARCH_X86_EXCEPTION_H

#include <stddef.h>
#include <stdint.h>
#include "lib/compiler.h"
#include "arch/x86/percpu.h"

/* What exc_common pushes, lowest address first (arch/x86/entry.asm). */
struct exc_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};
_Static_assert(sizeof(struct exc_frame) == 22 * 8, "matches entry.asm");

/* Callee-saved registers, stack and return address (entry.asm). */
struct ctx {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

int ctx_save(struct ctx *c) __attribute__((returns_twice));
void ctx_restore(struct ctx *c, int v) __attribute__((noreturn));

enum recover_why {
	RECOVER_EXCEPTION = 1,
	RECOVER_TIMEOUT = 2,
	RECOVER_HANG = 3,	/* the NMI watchdog: frame holds the NMI's */
};

struct recover {
	struct ctx ctx;
	struct recover *prev;
	struct exc_frame frame;	/* valid after RECOVER_EXCEPTION and RECOVER_HANG */
	uint64_t cr2;
};

/* The innermost recovery point of the running CPU. */
#define recover_top (this_cpu()->recover)

void recover_push(struct recover *r);
void recover_pop(struct recover *r);
/* Drop every point above and including r, then resume r's ctx_save with `why`. */
void recover_unwind(struct recover *r, enum recover_why why) __attribute__((noreturn));

/* Run fn(arg). Returns -1 if it returned, else the vector of the exception
 * it raised (r then holds the frame and CR2). */
int cpu_guarded_call(void (*fn)(void *), void *arg, struct recover *r);

/* An MSR that may not exist: 0, or -EIO when the access raised (#GP). */
int rdmsr_safe(uint32_t msr, uint64_t *value) MUST_CHECK;
int wrmsr_safe(uint32_t msr, uint64_t value) MUST_CHECK;

const char *exc_name(uint64_t vector);

/* Where an exception outside every recovery point goes (the harness's
 * "Bail out!"), and every machine check (#MC) wherever it lands; the hook
 * should not return. Without one: a dump, then halt. An NMI is counted
 * (arch/x86/mce.h) and the CPU goes on. */
void exception_set_fatal_hook(void (*hook)(const struct exc_frame *f, uint64_t cr2));

/* The register dump as YAML lines, each starting with `indent`. */
void exc_dump_yaml(const struct exc_frame *f, uint64_t cr2, const char *indent,
		   char *buf, size_t size);

#endif
