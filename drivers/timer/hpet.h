/* SPDX-License-Identifier: MIT */
/* HPET. See IA-PC HPET Specification 1.0a, 2.3 (registers), 3.2.4 (ACPI table). */
#ifndef DRIVERS_TIMER_HPET_H
#define DRIVERS_TIMER_HPET_H

#include <stdint.h>

#define HPET_GCAP_ID		0x000	/* general capabilities and ID */
# define HPET_GCAP_PERIOD(x)	((x) >> 32)	/* counter period, femtoseconds */
# define HPET_GCAP_64BIT	(1ull << 13)
#define HPET_GEN_CONF		0x010
# define HPET_CONF_ENABLE	(1ull << 0)
#define HPET_MAIN_COUNTER	0x0f0

/* Find the HPET through its ACPI table and start its main counter.
 * 0, or -1 when there is none or it reads as absent. */
int hpet_init(void);
uint64_t hpet_read(void);
uint64_t hpet_hz(void);
uint64_t hpet_base(void);
uint64_t hpet_mask(void);	/* 32 or 64 bits */

#endif
