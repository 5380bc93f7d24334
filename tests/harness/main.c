// SPDX-License-Identifier: MIT
/* msilab's main: the kernel brings the machine up, the harness runs on it. */
#include "tests/harness/main.h"
#include "tests/harness/report.h"
#include "tests/harness/runner.h"
#include "tests/harness/sources.h"
#include "kernel/kernel.h"
#include "arch/x86/exception.h"
#include "arch/x86/nmi_watch.h"

void msilab_main(struct boot_info *bi)
{
	exception_set_fatal_hook(report_bail_out);
	kernel_early_init(bi);
	/* The first line: the console is final now. The line break ends
	 * whatever the loader left on the line (OVMF and GRUB leave terminal
	 * escapes without one). Version 13: the report uses nothing of 14, and
	 * Debian 12's prove (Test::Harness 3.44) refuses 14. Warnings so far
	 * wait for the header. */
	kprintf("\nTAP version 13\n");
	kernel_init();
	sources_init();
	(void)nmi_watch_init();		/* the header says whether there is one */
	report_header(bi, &kernel_config);
	pci_print_inventory();
	report_exit(runner_run(&kernel_config));
}
