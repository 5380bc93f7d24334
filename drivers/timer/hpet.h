/* SPDX-License-Identifier: MIT */
/* HPET. See IA-PC HPET Specification 1.0a, 2.3 (registers), 3.2.4 (ACPI table). */
#ifndef DRIVERS_TIMER_HPET_H
#define DRIVERS_TIMER_HPET_H

#include <stdint.h>

#define HPET_GCAP_ID		0x000	/* general capabilities and ID (2.3.4) */
# define HPET_GCAP_NUM_TIM(x)	((((x) >> 8) & 0x1f) + 1)	/* bits 12:8: timers - 1 */
# define HPET_GCAP_64BIT	(1ull << 13)
# define HPET_GCAP_PERIOD(x)	((x) >> 32)	/* counter period, femtoseconds */
#define HPET_GEN_CONF		0x010
# define HPET_CONF_ENABLE	(1ull << 0)
#define HPET_MAIN_COUNTER	0x0f0
#define HPET_TN_CONF(n)		(0x100 + 0x20 * (n))	/* timer n configuration (2.3.8) */
# define HPET_TN_INT_TYPE_LEVEL	(1u << 1)
# define HPET_TN_INT_ENB	(1u << 2)	/* interrupt enable */
# define HPET_TN_TYPE_PERIODIC	(1u << 3)
# define HPET_TN_FSB_EN		(1u << 14)	/* deliver through the FSB route */
# define HPET_TN_FSB_CAP	(1u << 15)	/* FSB delivery capable */
#define HPET_TN_CMP(n)		(0x108 + 0x20 * (n))	/* timer n comparator (2.3.9) */
#define HPET_TN_FSB(n)		(0x110 + 0x20 * (n))	/* timer n FSB route (2.3.10) */

/* Find the HPET through its ACPI table and start its main counter.
 * 0, or -1 when there is none or it reads as absent. */
int hpet_init(void);
uint64_t hpet_read(void);
uint64_t hpet_hz(void);
uint64_t hpet_base(void);
uint64_t hpet_mask(void);	/* 32 or 64 bits */
/* The HPET's number (its ACPI table's sequence number), which device
 * scopes of the DMAR name it by. */
uint8_t hpet_number(void);

#endif
