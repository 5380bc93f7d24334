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

/* fw_cfg's file directory (QEMU docs/specs/fw_cfg.rst, "File Directory"):
 * a big-endian count, then per file a big-endian size and selector and a
 * 56-byte name. */
#define FW_CFG_FILE_DIR	0x19

static void fw_cfg_read(void *buf, uint32_t n)
{
	uint8_t *p = buf;

	while (n--)
		*p++ = inb(FW_CFG_DATA);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Select fw_cfg file `name` for reading; its size, or 0 if there is none. */
static uint32_t fw_cfg_open(const char *name)
{
	uint8_t count[4], f[64];
	uint32_t n;

	outw(FW_CFG_SELECTOR, FW_CFG_FILE_DIR);
	fw_cfg_read(count, 4);
	n = be32(count);
	for (uint32_t i = 0; i < n && i < 4096; i++) {
		uint32_t k = 0;

		fw_cfg_read(f, sizeof(f));
		while (k < 55 && name[k] && f[8 + k] == (uint8_t)name[k])
			k++;
		if (!name[k] && !f[8 + k]) {
			outw(FW_CFG_SELECTOR, (uint16_t)(f[4] << 8 | f[5]));
			return be32(f);
		}
	}
	return 0;
}

/* String number k (from 1) of an SMBIOS structure whose strings start at
 * t[str]: copied into buf; -1 if it has none. */
static int smbios_string(const uint8_t *t, uint32_t n, uint32_t str, uint32_t k, char *buf,
			 unsigned long size)
{
	unsigned long m = 0;

	if (k == 0)
		return -1;
	for (; k > 1 && str < n && t[str]; k--)
		while (str < n && t[str++])
			;
	if (str >= n || !t[str])
		return -1;
	while (str < n && t[str] && m < size - 1)
		buf[m++] = (char)t[str++];
	buf[m] = 0;
	return 0;
}

int platform_qemu_machine(char *buf, unsigned long size)
{
	static uint8_t t[4096];
	uint32_t n;

	if (!size || !platform_is_qemu() || !(n = fw_cfg_open("etc/smbios/smbios-tables")))
		return -1;
	n = n < sizeof(t) ? n : sizeof(t);
	fw_cfg_read(t, n);
	/* SMBIOS 3.7, 6.1.2-6.1.3: a formatted area of t[at + 1] bytes, then
	 * NUL-ended strings, two NULs ending the structure; type 1's version is
	 * the string numbered by its byte 6 (7.2). */
	for (uint32_t at = 0; at + 4 <= n && t[at + 1] >= 4;) {
		uint32_t str = at + t[at + 1];

		if (t[at] == 1)
			return smbios_string(t, n, str, t[at + 1] > 6 ? t[at + 6] : 0, buf, size);
		while (str + 1 < n && (t[str] || t[str + 1]))
			str++;
		at = str + 2;
	}
	return -1;
}

int platform_qemu_version(uint32_t *major, uint32_t *minor)
{
	char m[64];
	const char *p, *v = 0;

	if (platform_qemu_machine(m, sizeof(m)))
		return -1;
	for (p = m; *p; p++)
		if (*p == '-')
			v = p + 1;	/* pc-q35-10.0: the version follows the last dash */
	if (!v || *v < '0' || *v > '9')
		return -1;
	for (*major = 0; *v >= '0' && *v <= '9'; v++)
		*major = *major * 10 + (uint32_t)(*v - '0');
	*minor = 0;
	if (*v == '.')
		for (v++; *v >= '0' && *v <= '9'; v++)
			*minor = *minor * 10 + (uint32_t)(*v - '0');
	return 0;
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
