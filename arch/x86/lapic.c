// SPDX-License-Identifier: MIT
/*
 * Local APIC basics: enable, EOI, self-IPI, one-shot timer.
 * See Intel SDM Vol. 3A, 10.4 (enabling), 10.5.4 (timer), 10.6.1 (ICR),
 * 10.12 (x2APIC: MSR 0x800 + offset/16, ICR as one 64-bit MSR 0x830).
 */
#include "arch/x86/lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irq.h"

static enum lapic_mode mode;
static uint64_t mmio_base = 0xfee00000;
static uint64_t timer_hz;	/* timer ticks per second at divide-by-16 */

enum lapic_mode lapic_mode(void)
{
	return mode;
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

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	mode = (base & APIC_BASE_X2APIC) ? LAPIC_X2APIC : LAPIC_XAPIC;
	mmio_base = base & 0xffffff000ull;
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
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
	if (mode == LAPIC_X2APIC)
		wrmsr(MSR_X2APIC_BASE + (LAPIC_ICR_LO >> 4),
		      LAPIC_ICR_ASSERT | LAPIC_ICR_SELF | vector);
	else
		lapic_write(LAPIC_ICR_LO, LAPIC_ICR_ASSERT | LAPIC_ICR_SELF | vector);
}

void lapic_timer_calibrate(uint64_t tsc_hz)
{
	uint64_t t0, window = tsc_hz / 100;	/* 10 ms */
	uint32_t left;

	lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_WATCHDOG);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	t0 = rdtsc();
	while (rdtsc() - t0 < window)
		cpu_relax();
	left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	timer_hz = (uint64_t)(0xffffffffu - left) * 100;
}

uint64_t lapic_timer_hz(void)
{
	return timer_hz;
}

void lapic_timer_oneshot_ms(uint32_t ms, uint8_t vector)
{
	uint64_t count = timer_hz * ms / 1000;

	if (count > 0xffffffffu)
		count = 0xffffffffu;
	if (count == 0)
		count = 1;
	lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, vector);	/* one-shot, unmasked */
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)count);
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_WATCHDOG);
	lapic_write(LAPIC_TIMER_INIT, 0);
}
