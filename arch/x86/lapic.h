/* SPDX-License-Identifier: MIT */
/* Local APIC, xAPIC (MMIO) or x2APIC (MSR). See Intel SDM Vol. 3A, chapter 10. */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#include "lib/compiler.h"
#include <stdint.h>

#define LAPIC_ID		0x020
#define LAPIC_VERSION		0x030
#define LAPIC_TPR		0x080	/* task priority */
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0	/* spurious-interrupt vector */
# define LAPIC_SVR_ENABLE	(1u << 8)
#define LAPIC_IRR		0x200	/* interrupt request, 8 x 32 bits, 0x10 apart */
#define LAPIC_ESR		0x280	/* error status */
#define LAPIC_ICR_LO		0x300	/* interrupt command */
# define LAPIC_ICR_INIT		(5u << 8)	/* delivery mode INIT */
# define LAPIC_ICR_STARTUP	(6u << 8)	/* delivery mode start-up */
# define LAPIC_ICR_PENDING	(1u << 12)	/* xAPIC delivery status */
# define LAPIC_ICR_ASSERT	(1u << 14)
# define LAPIC_ICR_NMI		(4u << 8)	/* delivery mode NMI */
# define LAPIC_ICR_SELF		(1u << 18)	/* destination shorthand 01 */
# define LAPIC_ICR_OTHERS	(3u << 18)	/* destination shorthand 11: all but self */
#define LAPIC_ICR_HI		0x310
#define LAPIC_LVT_TIMER		0x320
# define LAPIC_LVT_MASKED	(1u << 16)
# define LAPIC_TIMER_TSC_DEADLINE (2u << 17)
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
#define MSR_TSC_DEADLINE	0x6e0
#define MSR_X2APIC_BASE		0x800	/* + xAPIC offset / 16 */
#define MSR_X2APIC_ICR		0x830

#define MSR_XAPIC_DISABLE_STATUS 0xbd
# define XAPIC_DISABLE_LEGACY	(1ull << 0)	/* the BIOS locked x2APIC on */
#define MSR_ARCH_CAPABILITIES	0x10a
# define ARCH_CAP_XAPIC_DISABLE	(1ull << 21)	/* MSR_XAPIC_DISABLE_STATUS exists */

#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID7_EDX_ARCH_CAPABILITIES (1u << 29)
#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)

enum lapic_mode { LAPIC_XAPIC, LAPIC_X2APIC };
enum lapic_request { LAPIC_AUTO, LAPIC_WANT_XAPIC, LAPIC_WANT_X2APIC };

/*
 * Enable this CPU's local APIC in `mode` (decided once, by
 * arch/x86/apic_mode.h, for every CPU); spurious vector set, LVTs masked
 * but LINT1 (NMI). x2APIC to xAPIC goes through disabled (SDM 10.12.5).
 */
void lapic_init(enum lapic_mode mode);
/* x2APIC as the BIOS handed over, and whether it locked it on. */
int lapic_x2apic_enabled(void);
int lapic_x2apic_locked(void);
enum lapic_mode lapic_mode(void);
const char *lapic_mode_name(void);
int lapic_has_x2apic(void);
int lapic_has_tsc_deadline(void);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);
uint32_t lapic_id(void);

/* Whether `vector` waits in this CPU's IRR (SDM Vol. 3A 10.8.4). */
static inline int lapic_irr_pending(uint8_t vector)
{
	return (lapic_read(LAPIC_IRR + (vector / 32) * 0x10) >> (vector % 32)) & 1;
}

static inline void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_self_ipi(uint8_t vector);
/* Fixed IPI to a physical APIC ID. 0, or -ETIMEDOUT when an xAPIC's
 * delivery status stays busy for 1 ms. */
int lapic_send_ipi(uint32_t apic_id, uint8_t vector) MUST_CHECK;
/* An NMI to every other CPU (shorthand all-excluding-self). */
int lapic_send_nmi_others(void) MUST_CHECK;
/* An NMI to one CPU. */
int lapic_send_nmi(uint32_t apic_id) MUST_CHECK;
int lapic_send_init(uint32_t apic_id) MUST_CHECK;
int lapic_send_startup(uint32_t apic_id, uint8_t page) MUST_CHECK;

/* One-shot timer. lapic_timer_calibrate() measures its rate against the TSC. */
void lapic_timer_calibrate(void);
void lapic_timer_oneshot_ms(uint32_t ms, uint8_t vector);
void lapic_timer_oneshot_ticks(uint32_t ticks, uint8_t vector);
void lapic_timer_stop(void);
uint64_t lapic_timer_hz(void);
/* TSC-deadline mode (only where lapic_has_tsc_deadline()). */
void lapic_timer_deadline(uint64_t tsc, uint8_t vector);

#endif
