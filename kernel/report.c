// SPDX-License-Identifier: MIT
/*
 * The report's header, warnings and the end of the run. Format:
 * docs/report-format.md. QEMU exit: isa-debug-exit at port 0xf4 (QEMU
 * hw/misc/debugexit.c: the process exits with (value << 1) | 1).
 * QEMU detection: fw_cfg signature "QEMU" at selector 0 (QEMU docs/specs/fw_cfg.rst).
 */
#include "kernel/report.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"
#include "drivers/acpi/acpi.h"
#include "drivers/iommu/intel/irq_remap.h"
#include "kernel/console.h"
#include "kernel/printf.h"

#define WARN_MAX 24
#define DEBUG_EXIT_PORT 0xf4
#define FW_CFG_SELECTOR 0x510
#define FW_CFG_DATA 0x511

static char warnings[WARN_MAX][160];
static int nwarn, header_done;
static const struct config *config;

void report_set_config(const struct config *cfg)
{
	config = cfg;
}

void report_warn(const char *fmt, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (header_done) {
		kprintf("# warning: %s\n", line);
		return;
	}
	if (nwarn < WARN_MAX)
		ksnprintf(warnings[nwarn], sizeof(warnings[0]), "%s", line);
	nwarn++;
}

int platform_is_qemu(void)
{
	char sig[4];

	if (!(cpuid(1, 0).c & (1u << 31)))	/* hypervisor present */
		return 0;
	outw(FW_CFG_SELECTOR, 0);
	for (int i = 0; i < 4; i++)
		sig[i] = (char)inb(FW_CFG_DATA);
	return sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U';
}

static void print_quoted(const char *s)
{
	kprintf("\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			kprintf("\\%c", *s);
		else if (*s >= 0x20 && *s < 0x7f)
			kprintf("%c", *s);
		else
			kprintf("\\x%02x", (unsigned char)*s);
	}
	kprintf("\"");
}

void report_header(const struct boot_info *bi, const struct config *cfg)
{
	kprintf("# msilab %s boot=%s cpus=%u tsc_hz=%lu tsc_source=%s apic=%s acpi=%s platform=%s "
		"console=%s iommu=%s ir=%s cmdline=", MSILAB_VERSION, boot_loader_name(bi->loader),
		cpus_online, tsc.hz, tsc_source_name(tsc.source), lapic_mode_name(), acpi_root_name(),
		platform_is_qemu() ? "qemu" : "bare", console_name(), ir_iommu_name(),
		ir_enabled() ? "on" : "off");
	print_quoted(cfg->options);
	kprintf("\n");
	header_done = 1;
	for (int i = 0; i < nwarn && i < WARN_MAX; i++)
		kprintf("# warning: %s\n", warnings[i]);
	if (nwarn > WARN_MAX)
		kprintf("# warning: %d more warnings not shown\n", nwarn - WARN_MAX);
}

static void reboot(void)
{
	outb(0xcf9, 0x02);	/* reset control register: system reset ... */
	outb(0xcf9, 0x06);	/* ... hard reset (Intel PCH datasheets, RST_CNT) */
	outb(0x64, 0xfe);	/* 8042 pulse reset line */
	asm volatile("lidt (%0); int3" : : "r"((const void *)"\0\0\0\0\0\0\0\0\0\0"));
}

void report_exit(int failed)
{
	enum exit_mode m = config ? config->exit : EXIT_AUTO;

	irq_disable();
	if (m == EXIT_AUTO)
		m = platform_is_qemu() ? EXIT_QEMU : EXIT_HALT;
	if (m == EXIT_QEMU)
		outl(DEBUG_EXIT_PORT, failed ? 1 : 0);
	if (m == EXIT_REBOOT)
		reboot();
	/* Halt: also where isa-debug-exit is absent. */
	for (;;)
		cpu_halt();
}
