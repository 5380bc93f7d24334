/* SPDX-License-Identifier: MIT */
/*
 * The one bounded wait, in the spirit of FreeBSD's DMAR_WAIT_UNTIL
 * (sys/x86/iommu/intel_dmar.h): every poll of hardware spins on a
 * condition with a bound, and running out is an error, never a hang.
 * The clock is the caller's (the TSC in the firmware, arch/x86/tsc.h
 * wait_ms(); a model's clock in a host test).
 */
#ifndef LIB_WAIT_H
#define LIB_WAIT_H

#include <stdint.h>
#include "lib/errno.h"

/*
 * Spin until `cond` holds or more than `bound` ticks of clock() pass.
 * Evaluates to 0, or -ETIMEDOUT (the condition is tested once more after
 * the bound, so a wait that was descheduled past it is not a failure).
 */
#define WAIT_UNTIL(cond, bound, clock) ({				\
	uint64_t wait_t0_ = (clock)(), wait_bound_ = (bound);		\
	int wait_err_ = 0;						\
	while (!(cond)) {						\
		if ((clock)() - wait_t0_ > wait_bound_) {		\
			wait_err_ = (cond) ? 0 : -ETIMEDOUT;		\
			break;						\
		}							\
		__builtin_ia32_pause();					\
	}								\
	wait_err_;							\
})

/* A bound in microseconds as words, for the error text:
 * ksnprintf(buf, n, "GSTS.IRES did not set within " WAIT_BOUND_FMT, WAIT_BOUND(10000))
 * gives "GSTS.IRES did not set within 10 ms". */
#define WAIT_BOUND_FMT "%lu %s"
#define WAIT_BOUND(us) (uint64_t)((us) % 1000 ? (us) : (us) / 1000), ((us) % 1000 ? "us" : "ms")

#endif
