// SPDX-License-Identifier: MIT
/*
 * make bench-ims: the DSA/IAA driver's submission path, from the
 * descriptor build to the portal write, in instructions (callgrind counts
 * submit_loop only). The portal is a 64-byte buffer here; on hardware the
 * write is one MOVDIR64B (drivers/idxd/instance.c).
 */
#include <stdio.h>
#include <string.h>
#include "drivers/idxd/idxd.h"

#define N 1000000

static struct idxd_desc portal;

static void submit(void *ctx, uint32_t off, const struct idxd_desc *d)
{
	(void)ctx;
	(void)off;
	memcpy(&portal, d, sizeof(portal));
}

static const struct idxd_ops ops = { .submit = submit };

__attribute__((noinline)) static int submit_loop(struct idxd *d, uint64_t record)
{
	int bad = 0;

	for (uint32_t i = 0; i < N; i++) {
		struct idxd_desc desc = idxd_desc_interrupt(d, record, (uint16_t)(i & 2047));

		bad += idxd_submit(d, i & 3, 1, &desc) != 0;
	}
	return bad;
}

int main(void)
{
	static uint8_t record[64] __attribute__((aligned(64)));
	struct idxd d = { .ops = &ops, .nwq_used = 4, .opcap = { 0x1003f03ffull } };
	int bad = submit_loop(&d, (uintptr_t)record);

	printf("bench_idxd: %d submissions, %d refused, last handle %u\n", N, bad, portal.int_handle);
	return bad != 0;
}
