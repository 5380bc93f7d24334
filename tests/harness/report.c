// SPDX-License-Identifier: MIT
/* The report's header, a bail-out and the end of the run. Format:
 * docs/report-format.md. */
#include "tests/harness/report.h"
#include "kernel/kernel.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/platform.h"
#include "arch/x86/tsc.h"
#include "drivers/acpi/acpi.h"
#include "drivers/iommu/iommu.h"
#include "arch/x86/desc.h"
#include "arch/x86/mce.h"
#include "arch/x86/nmi_watch.h"
#include "tests/harness/runner.h"
#include "tests/harness/gaps.h"
#include "lib/console.h"
#include "lib/string.h"

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

/* "cpuN" (the CPU that keeps the watch), or "none" with one CPU. */
static const char *nmi_watch_name(void)
{
	static char name[16];

	if (nmi_watch_cpu() < 0)
		return "none";
	ksnprintf(name, sizeof(name), "cpu%d", nmi_watch_cpu());
	return name;
}

/* "qemu qemu_machine=pc-q35-10.0 accel=tcg" (the version decides what QEMU is known
 * not to do: tests/harness/gaps.c), or "bare". */
static const char *platform_name(void)
{
	static char name[96];
	char machine[64];

	if (!platform_is_qemu())
		return "bare";
	if (platform_qemu_machine(machine, sizeof(machine)))
		ksnprintf(machine, sizeof(machine), "unknown");
	ksnprintf(name, sizeof(name), "qemu qemu_machine=%s accel=%s", machine,
		  gaps_under_kvm() ? "kvm" : "tcg");
	return name;
}

void report_header(const struct boot_info *bi, const struct config *cfg)
{
	kprintf("# msilab %s boot=%s cpus=%u tsc_hz=%lu tsc_source=%s tsc_invariant=%s apic=%s "
		"apic_reason=%s acpi=%s platform=%s console=%s iommu=%s ir=%s nmi_watchdog=%s "
		"image=0x%lx cmdline=",
		MSILAB_VERSION, boot_loader_name(bi->loader), cpus_online, tsc.hz,
		tsc_source_name(tsc.source), tsc.invariant ? "yes" : "no", lapic_mode_name(),
		apic_reason_name(kernel_apic.reason), acpi_root_name(), platform_name(),
		console_name(), iommu_name(), iommu_ir_enabled() ? "on" : "off", nmi_watch_name(),
		bi->image_base);
	print_quoted(cfg->options);
	kprintf("\n");
	warn_release();
}

/* A machine check, wherever it landed: the other CPUs halted, the banks
 * read and cleared, the report closed, the machine left. */
static void machine_check(const struct exc_frame *f, uint64_t cr2)
{
	static char yaml[2048];
	struct mce_bank banks[8];
	uint64_t mcg = mce_status_take();
	uint32_t n = mce_collect(banks, 8, 1);
	size_t len;

	cpu_stop_others();
	console_break_lock();	/* the #MC may have landed mid-print */
	kprintf("\n");		/* and mid-line */
	len = (size_t)ksnprintf(yaml, sizeof(yaml), "  cpu: %u\n  mcg_status: 0x%lx\n"
				"  other_cpus_stopped: %s\n  banks:\n", this_cpu()->index, mcg,
				nmi_counts.stop_failed ? "false" : "true");
	mce_dump_yaml(banks, n < 8 ? n : 8, "    ", yaml + len, sizeof(yaml) - len);
	len = strlen(yaml);
	exc_dump_yaml(f, cr2, "  ", yaml + len, sizeof(yaml) - len);
	if (runner_machine_check(yaml)) {
		kprintf("Bail out! machine check on cpu%u outside any test\n  ---\n%s  ...\n",
			this_cpu()->index, yaml);
	}
	report_exit(1);
}

void report_bail_out(const struct exc_frame *f, uint64_t cr2)
{
	char dump[768];

	if (f->vector == VEC_MC)
		machine_check(f, cr2);
	exc_dump_yaml(f, cr2, "  ", dump, sizeof(dump));
	kprintf("Bail out! exception %s (vector %lu) at rip 0x%lx outside any test\n",
		exc_name(f->vector), f->vector, f->rip);
	kprintf("  ---\n%s  ...\n", dump);
	report_exit(1);
}

/* The run's figures, in report order; beyond SUMMARY_MAX only counted. */
#define SUMMARY_MAX 256
static struct summary_row {
	const struct test *test;
	struct t_figure f;
} summary[SUMMARY_MAX];
static uint32_t nsummary;

void report_summary_add(const struct test_ctx *t)
{
	for (uint32_t i = 0; i < t->nfigures; i++, nsummary++)
		if (nsummary < SUMMARY_MAX)
			summary[nsummary] = (struct summary_row){ t->test, t->figure[i] };
}

void report_summary(void)
{
	char name[64], lost[24];

	if (!nsummary)
		return;
	kprintf("# summary: %u latency figures (p50, p99, max in the unit; samples besides the cold "
		"one; lost: triggers never delivered, - where the figure counts none)\n", nsummary);
	kprintf("# summary: %-30s %-18s %-6s %10s %10s %12s %10s %6s\n", "test", "cpu/label", "unit",
		"p50", "p99", "max", "samples", "lost");
	for (uint32_t i = 0; i < nsummary && i < SUMMARY_MAX; i++) {
		const struct summary_row *r = &summary[i];

		ksnprintf(name, sizeof(name), "%s.%s", r->test->suite, r->test->name);
		if (r->f.lost < 0)
			ksnprintf(lost, sizeof(lost), "-");
		else
			ksnprintf(lost, sizeof(lost), "%ld", r->f.lost);
		kprintf("# summary: %-30s %-18s %-6s %10lu %10lu %12lu %10lu %6s\n", name,
			r->f.label[0] ? r->f.label : "-", r->f.unit, r->f.p50, r->f.p99, r->f.max,
			r->f.samples, lost);
	}
	if (nsummary > SUMMARY_MAX)
		kprintf("# summary: %u more figures not shown (the YAML blocks above hold every one)\n",
			nsummary - SUMMARY_MAX);
}

void report_exit(int failed)
{
	enum exit_mode m = kernel_config.exit;

	irq_disable();
	if (m == EXIT_AUTO)
		m = platform_is_qemu() ? EXIT_QEMU : EXIT_HALT;
	if (m == EXIT_QEMU)
		platform_qemu_exit(failed ? 1 : 0);
	if (m == EXIT_REBOOT) {
		char how[96];

		platform_reset_describe(how, sizeof(how));
		kprintf("# msilab: exit=reboot: %s\n", how);
		platform_reboot();
	}
	platform_halt();	/* also where isa-debug-exit is absent */
}
