// SPDX-License-Identifier: MIT
/*
 * Exception dispatch: unwind to the innermost recovery point, or, with none
 * (a fault while booting), hand the frame to the fatal hook (the harness
 * reports it) or print the dump and halt.
 * See Intel SDM Vol. 3A, 6.15 (exception and interrupt reference).
 */
#include "arch/x86/exception.h"
#include "lib/errno.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/mce.h"
#include "arch/x86/nmi_watch.h"
#include "arch/x86/platform.h"
#include "lib/printf.h"

void recover_push(struct recover *r)
{
	r->prev = recover_top;
	recover_top = r;
}

void recover_pop(struct recover *r)
{
	recover_top = r->prev;
}

void recover_unwind(struct recover *r, enum recover_why why)
{
	recover_top = r->prev;
	ctx_restore(&r->ctx, why);
}

int cpu_guarded_call(void (*fn)(void *), void *arg, struct recover *r)
{
	recover_push(r);
	if (ctx_save(&r->ctx) == 0) {
		fn(arg);
		recover_pop(r);
		return -1;
	}
	return (int)r->frame.vector;
}

struct msr_access {
	uint32_t msr;
	uint64_t value;
};

static void msr_read(void *arg)
{
	struct msr_access *a = arg;

	a->value = rdmsr(a->msr);
}

static void msr_write(void *arg)
{
	struct msr_access *a = arg;

	wrmsr(a->msr, a->value);
}

int rdmsr_safe(uint32_t msr, uint64_t *value)
{
	struct msr_access a = { .msr = msr };
	struct recover r;

	if (cpu_guarded_call(msr_read, &a, &r) != -1)
		return -EIO;
	*value = a.value;
	return 0;
}

int wrmsr_safe(uint32_t msr, uint64_t value)
{
	struct msr_access a = { .msr = msr, .value = value };
	struct recover r;

	return cpu_guarded_call(msr_write, &a, &r) == -1 ? 0 : -EIO;
}

const char *exc_name(uint64_t vector)
{
	static const char *const names[32] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
		"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "reserved",
		"#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
	};

	return vector < 32 && names[vector] ? names[vector] : "reserved";
}

void exc_dump_yaml(const struct exc_frame *f, uint64_t cr2, const char *in,
		   char *buf, size_t size)
{
	ksnprintf(buf, size,
		  "%sexception: {vector: %lu, name: \"%s\", error: 0x%lx}\n"
		  "%srip: 0x%lx\n%srsp: 0x%lx\n%srflags: 0x%lx\n%scr2: 0x%lx\n"
		  "%sregisters: {rax: 0x%lx, rbx: 0x%lx, rcx: 0x%lx, rdx: 0x%lx, "
		  "rsi: 0x%lx, rdi: 0x%lx, rbp: 0x%lx, r8: 0x%lx, r9: 0x%lx, "
		  "r10: 0x%lx, r11: 0x%lx, r12: 0x%lx, r13: 0x%lx, r14: 0x%lx, r15: 0x%lx}\n",
		  in, f->vector, exc_name(f->vector), f->error,
		  in, f->rip, in, f->rsp, in, f->rflags, in, cr2,
		  in, f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp,
		  f->r8, f->r9, f->r10, f->r11, f->r12, f->r13, f->r14, f->r15);
}

static void (*fatal_hook)(const struct exc_frame *f, uint64_t cr2);

void exception_set_fatal_hook(void (*hook)(const struct exc_frame *f, uint64_t cr2))
{
	fatal_hook = hook;
}

void exception_handler(struct exc_frame *f)
{
	char dump[768];

	if (f->vector == VEC_NMI) {
		struct recover *r = nmi_watch_take();

		if (r) {	/* CPU 0 hung with interrupts off (arch/x86/nmi_watch.h) */
			r->frame = *f;
			r->cr2 = read_cr2();
			recover_unwind(r, RECOVER_HANG);
		}
		nmi_handle();	/* counted, never printed, and the CPU goes on */
		return;
	}
	/* A machine check ends the run wherever it lands: no test can go on
	 * past it. The harness's hook reports it and closes the report. */
	if (recover_top && f->vector != VEC_MC) {
		recover_top->frame = *f;
		recover_top->cr2 = read_cr2();
		recover_unwind(recover_top, RECOVER_EXCEPTION);
	}
	if (fatal_hook)
		fatal_hook(f, read_cr2());
	exc_dump_yaml(f, read_cr2(), "  ", dump, sizeof(dump));
	kprintf("exception %s (vector %lu) at rip 0x%lx\n%s", exc_name(f->vector), f->vector,
		f->rip, dump);
	platform_halt();
}
