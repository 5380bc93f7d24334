/* SPDX-License-Identifier: MIT */
/* Single instructions as inline functions. See Intel SDM Vol. 2. */
#ifndef ARCH_X86_CPU_H
#define ARCH_X86_CPU_H

#include <stdint.h>

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

struct cpuid {
	uint32_t a, b, c, d;
};

#define CPUID1_ECX_HYPERVISOR	(1u << 31)	/* running under a hypervisor */

static inline struct cpuid cpuid(uint32_t leaf, uint32_t sub)
{
	struct cpuid r;

	asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(sub));
	return r;
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	asm volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	asm volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	asm volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void wbinvd(void)
{
	asm volatile("wbinvd" ::: "memory");
}

static inline void irq_enable(void) { asm volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { asm volatile("cli" ::: "memory"); }
static inline void cpu_relax(void) { asm volatile("pause" ::: "memory"); }
static inline void cpu_halt(void) { asm volatile("hlt" ::: "memory"); }
static inline void barrier(void) { asm volatile("" ::: "memory"); }

/* Write the cache lines of [p, p + n) back to memory and invalidate them,
 * then order them before later stores (SDM Vol. 2A, CLFLUSH: "executions
 * of CLFLUSH are ordered with respect to ... MFENCE"). 64-byte lines. */
static inline void cache_flush_range(const void *p, unsigned long n)
{
	for (uintptr_t a = (uintptr_t)p & ~63ul; a < (uintptr_t)p + n; a += 64)
		asm volatile("clflush (%0)" : : "r"(a) : "memory");
	asm volatile("mfence" ::: "memory");
}

/* Replace the 16 bytes at p (16-byte aligned) in one access: LOCK
 * CMPXCHG16B until it takes (SDM Vol. 2A, CMPXCHG8B/CMPXCHG16B; every
 * x86-64 CPU msilab runs on has it, CPUID.1:ECX[13]). For a table entry
 * the hardware may read while it changes (Linux's __modify_irte_ga).
 * KVM's instruction emulator cannot emulate it (em_cmpxchg8b returns
 * X86EMUL_UNHANDLEABLE for 16 bytes): where the hypervisor traps the access
 * (shadow paging; the nested KVM of issue 24 traps every one) the guest
 * stops with "emulation failure". VT-d's IRTE no longer uses it (vtd.c). */
static inline void store128(volatile void *p, uint64_t lo, uint64_t hi)
{
	volatile uint64_t *q = p;
	uint64_t old_lo = q[0], old_hi = q[1];

	asm volatile("1: lock cmpxchg16b %0\n\tjnz 1b"
		     : "+m"(*(volatile __int128 *)p), "+a"(old_lo), "+d"(old_hi)
		     : "b"(lo), "c"(hi)
		     : "memory", "cc");
}

/* A pointer to a fixed physical address (identity mapped), hidden from the
 * compiler's object-bounds reasoning. */
static inline void *phys_ptr(uint64_t addr)
{
	asm("" : "+r"(addr));
	return (void *)(uintptr_t)addr;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	return *(volatile uint64_t *)(uintptr_t)addr;
}

static inline int irqs_enabled(void)
{
	uint64_t f;

	asm volatile("pushfq; popq %0" : "=r"(f));
	return (f >> 9) & 1;
}

#endif
