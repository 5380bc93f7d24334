// SPDX-License-Identifier: MIT
/* arch/x86/vector.c: per-CPU vector bitmaps and compatibility MSI messages. */
#include "tests/host/host.h"
#include "arch/x86/vector.h"
#include "lib/errno.h"

static struct vector_pool p;

static void reserved_vectors_never_given(void **state)
{
	struct vector_assign a;
	int n = 0;

	(void)state;
	vector_pool_init(&p, 2);
	while (vector_alloc(&p, 0, &a) == 0) {
		assert_true(a.vector >= VEC_ALLOC_FIRST && a.vector <= VEC_ALLOC_LAST);
		n++;
	}
	assert_int_equal(n, VEC_ALLOC_COUNT);
	assert_int_equal(vector_alloc(&p, 0, &a), -ENOSPC);
	assert_int_equal(p.count[1], 0);	/* the other CPU untouched */
	assert_int_equal(vector_alloc(&p, 1, &a), 0);
}

static void least_loaded(void **state)
{
	struct vector_assign a;

	(void)state;
	vector_pool_init(&p, 3);
	for (int i = 0; i < 5; i++)
		assert_int_equal(vector_alloc(&p, 0, &a), 0);
	assert_int_equal(vector_alloc(&p, 1, &a), 0);
	assert_int_equal(vector_alloc(&p, -1, &a), 0);
	assert_int_equal(a.cpu, 2);
	assert_int_equal(vector_alloc(&p, -1, &a), 0);
	assert_true(a.cpu == 1 || a.cpu == 2);
}

static void free_and_double_free(void **state)
{
	struct vector_assign a, b, bad = { 0, 0x10 };

	(void)state;
	vector_pool_init(&p, 1);
	assert_int_equal(vector_alloc(&p, 0, &a), 0);
	assert_int_equal(vector_alloc(&p, 0, &b), 0);
	assert_int_not_equal(a.vector, b.vector);
	assert_int_equal(vector_free(&p, &a), 0);
	assert_int_equal(vector_free(&p, &a), -EINVAL);
	assert_int_equal(vector_free(&p, &bad), -EINVAL);	/* an exception vector */
	assert_false(vector_is_allocated(&p, 0, a.vector));
	assert_true(vector_is_allocated(&p, 0, b.vector));
	assert_int_equal(p.count[0], 1);
	/* The freed vector is the next one given. */
	assert_int_equal(vector_alloc(&p, 0, &b), 0);
	assert_int_equal(b.vector, a.vector);
}

/* A given vector taken on a given CPU (msi/vector_domain.c holds a moving
 * interrupt's new vector on its old CPU too): once, never a reserved one. */
static void claim(void **state)
{
	struct vector_assign a;

	(void)state;
	vector_pool_init(&p, 2);
	assert_int_equal(vector_claim(&p, 1, 0x41), 0);
	assert_int_equal(vector_claim(&p, 1, 0x41), -EBUSY);
	assert_true(vector_is_allocated(&p, 1, 0x41));
	assert_int_equal(p.count[1], 1);
	assert_int_equal(vector_claim(&p, 0, 0x41), 0);		/* another CPU's own */
	assert_int_equal(vector_claim(&p, 0, 0x10), -EINVAL);	/* an exception vector */
	assert_int_equal(vector_claim(&p, 2, 0x42), -EINVAL);	/* no such CPU */
	a = (struct vector_assign){ 1, 0x41 };
	assert_int_equal(vector_free(&p, &a), 0);
	assert_int_equal(p.count[1], 0);
}

static void bad_cpu(void **state)
{
	struct vector_assign a, bad = { 5, 0x40 };

	(void)state;
	vector_pool_init(&p, 2);
	assert_int_equal(vector_alloc(&p, 2, &a), -EINVAL);
	assert_int_equal(vector_free(&p, &bad), -EINVAL);
	vector_pool_init(&p, 0);
	assert_int_equal(vector_alloc(&p, -1, &a), -EINVAL);
	vector_pool_init(&p, 1000);
	assert_int_equal(p.ncpus, VEC_CPUS_MAX);
}

static void compat_msi(void **state)
{
	struct msi_msg m;

	(void)state;
	/* SDM Vol. 3A 10.11.1: 0xFEE, destination ID in bits 19:12. */
	assert_int_equal(vector_compose_msi(3, 0x41, &m), 0);
	assert_int_equal(m.address_lo, 0xfee03000);
	assert_int_equal(m.address_hi, 0);
	assert_int_equal(m.data, 0x41);	/* fixed, edge */
	assert_int_equal(vector_compose_msi(255, 0x30, &m), 0);
	assert_int_equal(m.address_lo, 0xfeeff000);
	assert_int_equal(vector_compose_msi(256, 0x30, &m), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reserved_vectors_never_given),
		cmocka_unit_test(least_loaded),
		cmocka_unit_test(free_and_double_free),
		cmocka_unit_test(claim),
		cmocka_unit_test(bad_cpu),
		cmocka_unit_test(compat_msi),
	};
	return RUN(tests);
}
