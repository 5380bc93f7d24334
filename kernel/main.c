// SPDX-License-Identifier: MIT
/* kernel_main: one path for every loader, from the console to the report. */
#include "kernel/kernel.h"
#include "kernel/console.h"
#include "kernel/pfa.h"
#include "kernel/printf.h"
#include "kernel/report.h"
#include "kernel/runner.h"
#include "arch/x86/desc.h"
#include "arch/x86/lapic.h"
#include "arch/x86/paging.h"
#include "arch/x86/pic.h"
#include "arch/x86/tsc.h"
#include "drivers/acpi/acpi.h"

#define LOW_MEMORY (1ull << 20)	/* below 1 MiB: BIOS data, later the SMP trampoline */

const struct boot_info *kernel_boot;
struct config kernel_config;
struct memmap_fixes kernel_memmap_fixes;
char kernel_acpi_error[128];

const char *boot_loader_name(enum boot_loader l)
{
	switch (l) {
	case BOOT_UEFI: return "uefi";
	case BOOT_MULTIBOOT2: return "multiboot2";
	case BOOT_MULTIBOOT1: return "multiboot1";
	}
	return "unknown";
}

static void memory_init(struct boot_info *bi)
{
	struct memmap_fixes *f = &kernel_memmap_fixes;

	if (bi->memmap_dropped)
		report_warn("memory map: %u entries beyond %u dropped",
			    bi->memmap_dropped, BOOT_MEMMAP_MAX);
	memmap_sanitize(bi->memmap, &bi->nregions, BOOT_MEMMAP_MAX, f);
	if (f->unsorted || f->overlaps || f->dropped)
		report_warn("memory map sanitized: %u out of order, %u overlaps resolved, "
			    "%u merged, %u dropped", f->unsorted, f->overlaps, f->merged,
			    f->dropped);
	pfa_init(&pfa, bi->memmap, bi->nregions);
	pfa_reserve(&pfa, 0, LOW_MEMORY);
	pfa_reserve(&pfa, bi->image_base, bi->image_size);
	if (pfa.lost_pages)
		report_warn("page allocator: %lu pages lost (too many free ranges)",
			    pfa.lost_pages);
	if (paging_init(bi->memmap, bi->nregions))
		report_warn("paging: out of page-table memory; the loader's map stays in use");
}

void kernel_main(struct boot_info *bi)
{
	struct config *cfg = &kernel_config;

	kernel_boot = bi;
	config_parse(bi->cmdline, cfg);
	report_set_config(cfg);
	console_init(cfg->console_port, cfg->console_baud);
	/* The line break ends whatever the loader left on the line (OVMF and
	 * GRUB leave terminal escapes without one). */
	kprintf("\nTAP version 14\n");

	gdt_init();
	idt_init();
	pic_disable();
	for (int i = 0; i < cfg->nwarnings && i < CONFIG_WARN_MAX; i++)
		report_warn("%s", cfg->warnings[i]);
	if (bi->error[0])
		report_warn("loader: %s", bi->error);
	if (bi->cmdline_truncated)
		report_warn("command line truncated to %d characters", BOOT_CMDLINE_MAX - 1);

	if (!bi->rsdp && bi->loader != BOOT_UEFI)
		bi->rsdp = acpi_rsdp_scan_bios();	/* page 0 is still mapped */
	memory_init(bi);
	if (acpi_init(bi->rsdp, kernel_acpi_error, sizeof(kernel_acpi_error)))
		report_warn("acpi: %s", kernel_acpi_error);
	else if (acpi_bad_tables())
		report_warn("acpi: %u tables with a bad address, length or checksum skipped",
			    acpi_bad_tables());

	tsc_calibrate(&tsc);
	if (tsc.source < 0)
		report_warn("tsc: no frequency source; assuming %lu Hz, figures in ns are wrong",
			    tsc.hz);
	lapic_init();
	lapic_timer_calibrate(tsc.hz);
	report_header(bi, cfg);
	report_exit(runner_run(cfg));
}
