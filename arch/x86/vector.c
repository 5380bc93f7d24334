// SPDX-License-Identifier: MIT
/* The vector allocator: pure, host-tested (tests/host/test_vector.c). */
#include "arch/x86/vector.h"
#include "lib/errno.h"
#include "lib/string.h"

struct vector_pool vectors;

static int test_bit(const uint64_t *map, unsigned v)
{
	return (map[v / 64] >> (v % 64)) & 1;
}

static void set_bit(uint64_t *map, unsigned v, int on)
{
	if (on)
		map[v / 64] |= 1ull << (v % 64);
	else
		map[v / 64] &= ~(1ull << (v % 64));
}

void vector_pool_init(struct vector_pool *p, uint32_t ncpus)
{
	memset(p, 0, sizeof(*p));
	p->ncpus = ncpus > VEC_CPUS_MAX ? VEC_CPUS_MAX : ncpus;
	for (uint32_t c = 0; c < p->ncpus; c++)
		for (unsigned v = 0; v < 256; v++)
			if (v < VEC_ALLOC_FIRST || v > VEC_ALLOC_LAST)
				set_bit(p->used[c], v, 1);
}

int vector_alloc(struct vector_pool *p, int cpu, struct vector_assign *out)
{
	uint32_t c;

	if (cpu >= (int)p->ncpus)
		return -EINVAL;
	if (cpu < 0) {
		if (p->ncpus == 0)
			return -EINVAL;
		c = 0;
		for (uint32_t i = 1; i < p->ncpus; i++)
			if (p->count[i] < p->count[c])
				c = i;
	} else {
		c = (uint32_t)cpu;
	}
	for (unsigned v = VEC_ALLOC_FIRST; v <= VEC_ALLOC_LAST; v++) {
		if (!test_bit(p->used[c], v)) {
			set_bit(p->used[c], v, 1);
			p->count[c]++;
			out->cpu = c;
			out->vector = (uint8_t)v;
			return 0;
		}
	}
	return -ENOSPC;
}

int vector_claim(struct vector_pool *p, uint32_t cpu, uint8_t vector)
{
	if (cpu >= p->ncpus || vector < VEC_ALLOC_FIRST || vector > VEC_ALLOC_LAST)
		return -EINVAL;
	if (test_bit(p->used[cpu], vector))
		return -EBUSY;
	set_bit(p->used[cpu], vector, 1);
	p->count[cpu]++;
	return 0;
}

int vector_is_allocated(const struct vector_pool *p, uint32_t cpu, uint8_t vector)
{
	return cpu < p->ncpus && vector >= VEC_ALLOC_FIRST && vector <= VEC_ALLOC_LAST &&
	       test_bit(p->used[cpu], vector);
}

int vector_free(struct vector_pool *p, const struct vector_assign *a)
{
	if (!vector_is_allocated(p, a->cpu, a->vector))
		return -EINVAL;
	set_bit(p->used[a->cpu], a->vector, 0);
	p->count[a->cpu]--;
	return 0;
}

int vector_compose_msi(uint32_t apic_id, uint8_t vector, struct msi_msg *msg)
{
	if (apic_id > 0xff)
		return -ERANGE;
	msg->address_lo = MSI_ADDR_BASE | MSI_ADDR_DEST(apic_id);
	msg->address_hi = 0;
	msg->data = MSI_DATA_VECTOR(vector);
	return 0;
}

uint32_t vector_count(const struct vector_pool *p, uint32_t cpu)
{
	return cpu < p->ncpus ? p->count[cpu] : 0;
}

uint32_t vector_in_use(const struct vector_pool *p)
{
	uint32_t n = 0;

	for (uint32_t c = 0; c < p->ncpus; c++)
		n += p->count[c];
	return n;
}
