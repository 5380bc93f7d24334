// SPDX-License-Identifier: MIT
/*
 * QEMU detection: fw_cfg signature "QEMU" at selector 0 (QEMU
 * docs/specs/fw_cfg.rst). QEMU exit: isa-debug-exit at port 0xf4 (QEMU
 * hw/misc/debugexit.c: the process exits with (value << 1) | 1). Reset:
 * the FADT's reset register (ACPI 6.5, 4.8.3.6) where the kernel found
 * one, the reset control register 0xcf9 (Intel PCH datasheets, RST_CNT),
 * the 8042's reset line, and a triple fault as the last resort.
 */
#include "arch/x86/platform.h"
#include "arch/x86/cpu.h"
#include "lib/printf.h"

#define DEBUG_EXIT_PORT	0xf4
#define FW_CFG_SELECTOR	0x510
#define FW_CFG_DATA	0x511
#define RST_CNT		0xcf9
# define RST_CNT_SYS_RST	0x02
# define RST_CNT_RST_CPU	0x04
#define KBC_CMD		0x64
# define KBC_PULSE_RESET	0xfe

int platform_is_qemu(void)
{
	char sig[4];

	if (!(cpuid(1, 0).c & CPUID1_ECX_HYPERVISOR))
		return 0;
	outw(FW_CFG_SELECTOR, 0);
	for (int i = 0; i < 4; i++)
		sig[i] = (char)inb(FW_CFG_DATA);
	return sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U';
}

void platform_qemu_exit(int code)
{
	outl(DEBUG_EXIT_PORT, (uint32_t)code);
}

static struct {
	int set, io;
	uint64_t addr;
	uint8_t value;
} reset_reg;

void platform_set_reset_reg(int io, uint64_t addr, uint8_t value)
{
	reset_reg.io = io;
	reset_reg.addr = addr;
	reset_reg.value = value;
	reset_reg.set = 1;
}

void platform_reset_describe(char *buf, unsigned long size)
{
	if (reset_reg.set)
		ksnprintf(buf, size, "the FADT reset register %s:0x%lx <- 0x%x, then 0xcf9, the 8042",
			  reset_reg.io ? "io" : "mmio", reset_reg.addr, reset_reg.value);
	else
		ksnprintf(buf, size, "0xcf9, then the 8042 (no FADT reset register)");
}

void platform_reboot(void)
{
	if (reset_reg.set && reset_reg.io)
		outb((uint16_t)reset_reg.addr, reset_reg.value);
	else if (reset_reg.set)
		*(volatile uint8_t *)phys_ptr(reset_reg.addr) = reset_reg.value;
	outb(RST_CNT, RST_CNT_SYS_RST);
	outb(RST_CNT, RST_CNT_SYS_RST | RST_CNT_RST_CPU);
	outb(KBC_CMD, KBC_PULSE_RESET);
	asm volatile("lidt (%0); int3" : : "r"((const void *)"\0\0\0\0\0\0\0\0\0\0"));
	platform_halt();
}

void platform_halt(void)
{
	irq_disable();
	for (;;)
		cpu_halt();
}
