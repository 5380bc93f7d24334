/* SPDX-License-Identifier: MIT */
/*
 * The vector allocator: per-CPU bitmaps of the 256 IDT vectors, and the
 * compatibility-format MSI message that reaches a vector on a CPU. The
 * root (vector) domain of the irq hierarchy, msi/vector_domain.c, is built
 * on it. See Intel SDM Vol. 3A, 6.2 (vectors 0-31 are exceptions),
 * 10.11.1-2 (MSI address and data), 10.8.3.1 (priority class = vector >> 4).
 */
#ifndef ARCH_X86_VECTOR_H
#define ARCH_X86_VECTOR_H

#include "lib/compiler.h"
#include <stdint.h>
#include "arch/x86/irq.h"
#include "arch/x86/msi_msg.h"
#include "arch/x86/percpu.h"

#define VEC_CPUS_MAX	CPUS_MAX

struct vector_pool {
	uint32_t ncpus;
	uint64_t used[VEC_CPUS_MAX][4];
	uint32_t count[VEC_CPUS_MAX];	/* allocated vectors per CPU */
};

struct vector_assign {
	uint32_t cpu;
	uint8_t vector;
};


extern struct vector_pool vectors;	/* the firmware's */

void vector_pool_init(struct vector_pool *p, uint32_t ncpus);
/* Allocate a vector on `cpu`, or on the least loaded CPU when cpu < 0.
 * 0, -EINVAL (no such CPU) or -ENOSPC (none left). */
int vector_alloc(struct vector_pool *p, int cpu, struct vector_assign *out) MUST_CHECK;
/* Take this vector on `cpu`: 0, -EBUSY when it is allocated there, -EINVAL
 * for a reserved vector or no such CPU. */
int vector_claim(struct vector_pool *p, uint32_t cpu, uint8_t vector) MUST_CHECK;
/* 0, or -EINVAL when the vector is not allocated (double free, reserved). */
int vector_free(struct vector_pool *p, const struct vector_assign *a);
int vector_is_allocated(const struct vector_pool *p, uint32_t cpu, uint8_t vector);
/* Vectors allocated on `cpu` now. */
uint32_t vector_count(const struct vector_pool *p, uint32_t cpu);
/* Vectors allocated on every CPU together. */
uint32_t vector_in_use(const struct vector_pool *p);

/* Compatibility-format message to `vector` on the CPU with `apic_id`:
 * 0, or -ERANGE when the APIC ID needs more than the 8 destination bits
 * (only interrupt remapping reaches such CPUs). */
int vector_compose_msi(uint32_t apic_id, uint8_t vector, struct msi_msg *msg);

#endif
