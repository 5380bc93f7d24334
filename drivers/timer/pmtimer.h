/* SPDX-License-Identifier: MIT */
/* ACPI power-management timer. See ACPI 6.5, 4.8.3.3 and 5.2.9 (FADT). */
#ifndef DRIVERS_TIMER_PMTIMER_H
#define DRIVERS_TIMER_PMTIMER_H

#include <stdint.h>

#define PMTIMER_HZ 3579545

/* Find the timer through the FADT. 0, or -1 when there is none. */
int pmtimer_init(void);
uint32_t pmtimer_read(void);
uint32_t pmtimer_mask(void);	/* 24 or 32 bits */
uint16_t pmtimer_port(void);

#endif
