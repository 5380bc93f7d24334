// SPDX-License-Identifier: MIT
/*
 * Local APIC: enable in xAPIC or x2APIC mode, EOI, IPIs, one-shot and
 * TSC-deadline timer. See Intel SDM Vol. 3A, 10.4 (enabling), 10.5.4
 * (timer, 10.5.4.1 TSC-deadline), 10.6.1 (ICR), 10.12 (x2APIC: MSR 0x800 +
 * offset/16, ICR as one 64-bit MSR 0x830, 10.12.5 mode transitions).
 */
#include "arch/x86/lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irq.h"
#include "arch/x86/tsc.h"
#include "lib/errno.h"

#define ICR_BOUND_MS	1	/* xAPIC delivery status busy this long: not delivered */

static enum lapic_mode mode;
static uint64_t mmio_base = 0xfee00000;
static uint64_t timer_hz;	/* timer ticks per second at divide-by-16 */

enum lapic_mode lapic_mode(void)
{
	return mode;
}

const char *lapic_mode_name(void)
{
	return mode == LAPIC_X2APIC ? "x2apic" : "xapic";
}

int lapic_has_x2apic(void)
{
	return !!(cpuid(1, 0).c & CPUID1_ECX_X2APIC);
}

int lapic_has_tsc_deadline(void)
{
	return !!(cpuid(1, 0).c & CPUID1_ECX_TSC_DEADLINE);
}

uint32_t lapic_read(uint32_t reg)
{
	if (mode == LAPIC_X2APIC)
		return (uint32_t)rdmsr(MSR_X2APIC_BASE + (reg >> 4));
	return mmio_read32(mmio_base + reg);
}

void lapic_write(uint32_t reg, uint32_t v)
{
	if (mode == LAPIC_X2APIC)
		wrmsr(MSR_X2APIC_BASE + (reg >> 4), v);
	else
		mmio_write32(mmio_base + reg, v);
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	return mode == LAPIC_X2APIC ? id : id >> 24;
}

int lapic_x2apic_enabled(void)
{
	return !!(rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC);
}

int lapic_x2apic_locked(void)
{
	if (cpuid(0, 0).a < 7 || !(cpuid(7, 0).d & CPUID7_EDX_ARCH_CAPABILITIES))
		return 0;
	if (!(rdmsr(MSR_ARCH_CAPABILITIES) & ARCH_CAP_XAPIC_DISABLE))
		return 0;
	return !!(rdmsr(MSR_XAPIC_DISABLE_STATUS) & XAPIC_DISABLE_LEGACY);
}

void lapic_init(enum lapic_mode m)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	mode = m;	/* every CPU runs the mode the boot CPU chose */
	if (mode == LAPIC_X2APIC) {
		base |= APIC_BASE_ENABLE;
		wrmsr(MSR_APIC_BASE, base);
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_X2APIC);
	} else {
		/* x2APIC to xAPIC only through disabled (SDM 10.12.5). */
		if (base & APIC_BASE_X2APIC)
			wrmsr(MSR_APIC_BASE, base & ~(uint64_t)(APIC_BASE_X2APIC | APIC_BASE_ENABLE));
		base &= ~(uint64_t)APIC_BASE_X2APIC;
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
		mmio_base = base & 0xffffff000ull;
	}
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VEC_SPURIOUS);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_WATCHDOG);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_NMI);
	lapic_write(LAPIC_LVT_ERROR, VEC_LAPIC_ERROR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_TPR, 0);
	lapic_eoi();
}

void lapic_self_ipi(uint8_t vector)
{
	lapic_write(LAPIC_ICR_LO, LAPIC_ICR_ASSERT | LAPIC_ICR_SELF | vector);
}

static int icr_write(uint32_t apic_id, uint32_t lo)
{
	if (mode == LAPIC_X2APIC) {
		wrmsr(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | lo);
		return 0;
	}
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, lo);
	return wait_ms(!(lapic_read(LAPIC_ICR_LO) & LAPIC_ICR_PENDING), ICR_BOUND_MS);
}

int lapic_send_nmi_others(void)
{
	return icr_write(0, LAPIC_ICR_NMI | LAPIC_ICR_ASSERT | LAPIC_ICR_OTHERS);
}

int lapic_send_nmi(uint32_t apic_id)
{
	return icr_write(apic_id, LAPIC_ICR_NMI | LAPIC_ICR_ASSERT);
}

int lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	return icr_write(apic_id, LAPIC_ICR_ASSERT | vector);
}

int lapic_send_init(uint32_t apic_id)
{
	return icr_write(apic_id, LAPIC_ICR_INIT | LAPIC_ICR_ASSERT);
}

int lapic_send_startup(uint32_t apic_id, uint8_t page)
{
	return icr_write(apic_id, LAPIC_ICR_STARTUP | LAPIC_ICR_ASSERT | page);
}

void lapic_timer_calibrate(void)
{
	uint32_t left;

	lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_WATCHDOG);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	delay_ms(10);
	left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	timer_hz = (uint64_t)(0xffffffffu - left) * 100;
}

uint64_t lapic_timer_hz(void)
{
	return timer_hz;
}

void lapic_timer_oneshot_ticks(uint32_t ticks, uint8_t vector)
{
	lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, vector);	/* one-shot, unmasked */
	lapic_write(LAPIC_TIMER_INIT, ticks ? ticks : 1);
}

void lapic_timer_oneshot_ms(uint32_t ms, uint8_t vector)
{
	uint64_t count = timer_hz * ms / 1000;

	lapic_timer_oneshot_ticks(count > 0xffffffffu ? 0xffffffffu : (uint32_t)count, vector);
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_WATCHDOG);
	lapic_write(LAPIC_TIMER_INIT, 0);
	if (lapic_has_tsc_deadline())
		wrmsr(MSR_TSC_DEADLINE, 0);
}

void lapic_timer_deadline(uint64_t tsc_deadline, uint8_t vector)
{
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_TSC_DEADLINE | vector);
	/* Order the LVT write before the MSR write (SDM 10.5.4.1). */
	asm volatile("mfence" ::: "memory");
	wrmsr(MSR_TSC_DEADLINE, tsc_deadline);
}
