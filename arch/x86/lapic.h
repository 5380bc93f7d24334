/* SPDX-License-Identifier: MIT */
/* Local APIC, xAPIC (MMIO) or x2APIC (MSR). See Intel SDM Vol. 3A, chapter 10. */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#include <stdint.h>

#define LAPIC_ID		0x020
#define LAPIC_VERSION		0x030
#define LAPIC_TPR		0x080	/* task priority */
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0	/* spurious-interrupt vector */
# define LAPIC_SVR_ENABLE	(1u << 8)
#define LAPIC_ESR		0x280	/* error status */
#define LAPIC_ICR_LO		0x300	/* interrupt command */
# define LAPIC_ICR_PENDING	(1u << 12)	/* xAPIC delivery status */
# define LAPIC_ICR_ASSERT	(1u << 14)
# define LAPIC_ICR_SELF		(1u << 18)	/* destination shorthand 01 */
#define LAPIC_ICR_HI		0x310
#define LAPIC_LVT_TIMER		0x320
# define LAPIC_LVT_MASKED	(1u << 16)
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
# define LAPIC_LVT_NMI		(4u << 8)	/* delivery mode NMI */
#define LAPIC_LVT_ERROR		0x370
#define LAPIC_TIMER_INIT	0x380
#define LAPIC_TIMER_CUR		0x390
#define LAPIC_TIMER_DIV		0x3e0
# define LAPIC_TIMER_DIV_16	0x3

#define MSR_APIC_BASE		0x1b
# define APIC_BASE_X2APIC	(1u << 10)
# define APIC_BASE_ENABLE	(1u << 11)
#define MSR_X2APIC_BASE		0x800	/* + xAPIC offset / 16 */

enum lapic_mode { LAPIC_XAPIC, LAPIC_X2APIC };

/* Enable the local APIC in the mode the firmware left it, spurious vector
 * set, LVTs masked but LINT1 (NMI). */
void lapic_init(void);
enum lapic_mode lapic_mode(void);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);
uint32_t lapic_id(void);

static inline void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_self_ipi(uint8_t vector);

/* One-shot timer. lapic_timer_calibrate() measures its rate against the TSC. */
void lapic_timer_calibrate(uint64_t tsc_hz);
void lapic_timer_oneshot_ms(uint32_t ms, uint8_t vector);
void lapic_timer_stop(void);
uint64_t lapic_timer_hz(void);

#endif
