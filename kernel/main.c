// SPDX-License-Identifier: MIT
/*
 * The machine's bring-up, one path for every loader: the console and
 * memory first (kernel_early_init), then the TSC, the CPUs, PCI, interrupt
 * remapping and the root of the irq hierarchy (kernel_init). What it finds
 * is kept in kernel/kernel.h; what goes wrong becomes a warning.
 */
#include "kernel/kernel.h"
#include "lib/console.h"
#include "lib/pfa.h"
#include "lib/printf.h"
#include "arch/x86/apic_mode.h"
#include "arch/x86/cpu_state.h"
#include "arch/x86/desc.h"
#include "arch/x86/ioapic.h"
#include "arch/x86/mce.h"
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/smp.h"
#include "arch/x86/vector.h"
#include "arch/x86/paging.h"
#include "arch/x86/pic.h"
#include "arch/x86/platform.h"
#include "arch/x86/tsc.h"
#include "drivers/acpi/acpi.h"
#include "drivers/acpi/madt.h"
#include "drivers/acpi/dmar.h"
#include "drivers/acpi/ivrs.h"
#include "drivers/acpi/tables.h"
#include "drivers/iommu/iommu.h"
#include "drivers/pci/pci.h"
#include "drivers/serial/uart16550.h"
#include "drivers/timer/hpet.h"
#include "drivers/timer/pmtimer.h"
#include "msi/vector_domain.h"
#include "lib/errno.h"

#define LOW_MEMORY (1ull << 20)	/* below 1 MiB: BIOS data, later the SMP trampoline */

const struct boot_info *kernel_boot;
struct config kernel_config;
struct memmap_fixes kernel_memmap_fixes;
char kernel_acpi_error[128];
struct madt kernel_madt;
struct apic_decision kernel_apic;
struct pci_enum_report kernel_pci;
int kernel_madt_ok;

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
		warn("memory map: %u entries beyond %u dropped",
			    bi->memmap_dropped, BOOT_MEMMAP_MAX);
	memmap_sanitize(bi->memmap, &bi->nregions, BOOT_MEMMAP_MAX, f);
	if (f->unsorted || f->overlaps || f->dropped)
		warn("memory map sanitized: %u out of order, %u overlaps resolved, "
			    "%u merged, %u dropped", f->unsorted, f->overlaps, f->merged,
			    f->dropped);
	pfa_init(&pfa, bi->memmap, bi->nregions);
	pfa_reserve(&pfa, 0, LOW_MEMORY);
	pfa_reserve(&pfa, bi->image_base, bi->image_size);
	if (pfa.lost_pages)
		warn("page allocator: %lu pages lost (too many free ranges)",
			    pfa.lost_pages);
	if (paging_init(bi->memmap, bi->nregions))
		warn("paging: out of page-table memory; the loader's map stays in use");
}

/* The local APIC mode for every CPU, from the facts (arch/x86/apic_mode.h):
 * the DMAR's opt-out and whether remapping will be on (a DMAR that offers
 * it, or an IVRS with an IOMMU), the MADT's highest APIC ID, what the BIOS
 * did with x2APIC. */
static enum lapic_mode apic_mode_choose(const struct config *cfg, const struct acpi_header *madt)
{
	const struct acpi_header *t = acpi_find("DMAR", 0), *iv = acpi_find("IVRS", 0);
	static struct dmar d;
	static struct ivrs v;
	struct apic_facts f = {
		.request = (enum lapic_request)cfg->apic,
		.has_x2apic = lapic_has_x2apic(),
		.bios_enabled_x2apic = lapic_x2apic_enabled(),
		.locked = lapic_x2apic_locked(),
		.bare_metal = !(cpuid(1, 0).c & CPUID1_ECX_HYPERVISOR),
	};

	if (t && dmar_parse(t, t->length, &d) == 0) {
		f.dmar_opt_out = !!(d.flags & DMAR_FLAG_X2APIC_OPT_OUT);
		f.remapping = cfg->ir && (d.flags & DMAR_FLAG_INTR_REMAP) && d.nunits && !d.warn.n;
	} else if (!t && iv && ivrs_parse(iv, iv->length, &v) == 0) {
		f.remapping = cfg->ir && v.nunits && !v.warn.n;
	}
	if (madt) {
		madt_parse(madt, madt->length, 1, &kernel_madt);	/* every ID, to see the widest */
		for (uint32_t i = 0; i < kernel_madt.ncpus; i++)
			if (kernel_madt.cpus[i].apic_id > f.max_apic_id)
				f.max_apic_id = kernel_madt.cpus[i].apic_id;
	}
	kernel_apic = apic_mode_decide(&f);
	if (kernel_apic.overridden)
		warn("apic=%s: %s; running %s", cfg->apic == APIC_X2APIC ? "x2apic" : "xapic",
		     kernel_apic.reason == APIC_REASON_LOCKED ? "the BIOS locked x2APIC on" :
		     "this CPU has no x2APIC", kernel_apic.mode == LAPIC_X2APIC ? "x2APIC" : "xAPIC");
	return kernel_apic.mode;
}

/* Machine-check banks that hold an error before any test ran: left by the
 * previous boot (or the firmware); reported and cleared (the boot CPU's). */
static void mce_previous_boot(void)
{
	struct mce_bank b[8];
	uint32_t n = mce_collect(b, 8, 1);

	for (uint32_t i = 0; i < n && i < 8; i++)
		warn("mce: bank %u: status 0x%lx addr 0x%lx misc 0x%lx, left by the previous boot; "
		     "cleared", b[i].bank, b[i].status, b[i].addr, b[i].misc);
}

/* The local APIC, the MADT, the IO-APICs, the other CPUs, the vectors. */
static void cpus_init(const struct config *cfg)
{
	const struct acpi_header *t = acpi_find("APIC", 0);
	uint64_t table = pfa_alloc(&pfa, 1, PAGE_SIZE, ~0ull);
	static uint32_t apic_ids[MADT_CPUS_MAX];
	uint32_t bad = 0, n;

	lapic_init(apic_mode_choose(cfg, t));
	if (table)
		irq_cpu_init((struct irq_handler *)(uintptr_t)table);
	lapic_timer_calibrate();

	if (!t) {
		warn("acpi: no MADT; only the boot CPU is used");
	} else {
		kernel_madt_ok = madt_parse(t, t->length, lapic_mode() == LAPIC_X2APIC,
					    &kernel_madt) == 0;
		for (uint32_t i = 0; i < kernel_madt.err.n && i < ACPI_ERRORS_MAX; i++)
			warn("madt: %s", kernel_madt.err.msg[i]);
		for (uint32_t i = 0; i < kernel_madt.warn.n && i < ACPI_ERRORS_MAX; i++)
			warn("madt: %s", kernel_madt.warn.msg[i]);
		for (uint32_t i = 0; i < kernel_madt.nioapics; i++)
			bad += ioapic_add(kernel_madt.ioapics[i].id, kernel_madt.ioapics[i].addr,
					  kernel_madt.ioapics[i].gsi_base) != 0;
		if (bad)
			warn("ioapic: %u IO-APICs read all-ones and are not used", bad);
	}
	/* Without a MADT (no CPU listed) only the boot CPU is set up. */
	n = madt_enabled_apic_ids(&kernel_madt, apic_ids, MADT_CPUS_MAX);
	if (kernel_madt.ncpus > n)
		warn("madt: %u online-capable CPUs not started: only enabled CPUs run (the "
		     "platform may hot-add those)", kernel_madt.ncpus - n);
	smp_idle_poll = cfg->idle_poll;
	smp_init(apic_ids, n, cfg->cpus, kernel_boot->memmap, kernel_boot->nregions);
	if (smp_report.error[0])
		warn("smp: %s", smp_report.error);
	if (smp_report.capped)
		warn("smp: %u enabled CPUs, %u run: msilab runs at most %u (CPUS_MAX); the rest, "
		     "from APIC ID %u in MADT order, are left out", smp_report.listed,
		     smp_report.wanted, CPUS_MAX, smp_report.first_capped_apic_id);
	for (uint32_t i = 1; i < cpus_online && smp_report.tsc_adjust; i++) {
		const struct cpu *c = &cpus[i];

		if (c->tsc_adjust_err)
			warn("tsc: CPU %u's IA32_TSC_ADJUST (%ld) could not be set to the boot CPU's "
			     "(%ld); cross-CPU figures subtract the measured offset", i,
			     c->tsc_adjust_found, smp_report.tsc_adjust_boot);
		else if (c->tsc_adjust_found != smp_report.tsc_adjust_boot)
			warn("tsc: CPU %u's IA32_TSC_ADJUST was %ld, set to the boot CPU's %ld", i,
			     c->tsc_adjust_found, smp_report.tsc_adjust_boot);
	}
	for (uint32_t i = 0; i < smp_report.failed && i < SMP_FAILED_MAX; i++)
		warn("smp: CPU with APIC ID %u did not come up (%s); going on without it",
		     smp_report.failed_apic_id[i], smp_report.failed_err[i] == -EIO ?
		     "its INIT or SIPI was not delivered" : "no answer");
	vector_pool_init(&vectors, cpus_online);
	mce_previous_boot();
}

/* PCI: ECAM through the MCFG (checked against the legacy mechanism), then
 * the walk. */
static void pci_init(void)
{
	const struct acpi_header *t = acpi_find("MCFG", 0);
	static struct mcfg m;
	struct pci_dev host = { .seg = 0 };
	uint32_t ecam_id, legacy_id;

	if (t && mcfg_parse(t, t->length, &m))
		for (uint32_t i = 0; i < m.err.n && i < ACPI_ERRORS_MAX; i++)
			warn("mcfg: %s", m.err.msg[i]);
	for (uint32_t i = 0; t && i < m.warn.n && i < ACPI_ERRORS_MAX; i++)
		warn("mcfg: %s", m.warn.msg[i]);
	pci_cfg_init(t ? &m : NULL);
	if (pci_cfg_access() == PCI_ACCESS_ECAM) {
		ecam_id = pci_read32(&host, PCI_VENDOR);
		pci_cfg_set_access(PCI_ACCESS_LEGACY);
		legacy_id = pci_read32(&host, PCI_VENDOR);
		if ((ecam_id & 0xffff) == 0xffff && (legacy_id & 0xffff) != 0xffff)
			warn("pci: ECAM at 0x%lx reads all-ones where the legacy mechanism "
				    "finds 0000:00:00.0; using legacy access", m.seg[0].base);
		else
			pci_cfg_set_access(PCI_ACCESS_ECAM);
	} else {
		warn("pci: no usable MCFG; legacy configuration access (no extended space)");
	}
	pci_enumerate(&kernel_pci);
	if (kernel_pci.dropped)
		warn("pci: %u functions beyond %d not recorded", kernel_pci.dropped,
			    PCI_DEVS_MAX);
	if (kernel_pci.errors)
		warn("pci: %u functions with a problem (see error= in the inventory)",
			    kernel_pci.errors);
}

static const uint16_t legacy_ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };	/* COM1-4 */

/* An MMIO UART (the SPCR's or console=mmio): mapped uncached first. */
static int mmio_console(struct uart *u, uint32_t baud)
{
	if (paging_map_uc(u->base & ~(PAGE_SIZE - 1), PAGE_SIZE)) {
		warn("console: 0x%lx cannot be mapped; the report stays on %s", u->base,
		     console_name());
		return -1;
	}
	return uart_console(u, baud, 0);
}

/* The SPCR's UART: 0 when it is the console now. */
static int spcr_console(void)
{
	const struct acpi_header *t = acpi_find("SPCR", 0);
	static struct spcr sp;
	struct uart u;

	if (!t)
		return -1;
	if (spcr_parse(t, t->length, &sp)) {
		warn("spcr: %s; console stays on %s", sp.err.msg[0], console_name());
		return -1;
	}
	if (sp.pci_vendor != 0xffff && sp.pci_vendor != 0)	/* a PCI UART: keep it decoding */
		pci_keep_decode(sp.pci_segment, sp.pci_bus, sp.pci_dev, sp.pci_fn);
	u = (struct uart){ .mmio = sp.base.space == ACPI_GAS_MEMORY, .base = sp.base.address,
			   .reg_shift = sp.base.access_size == 3 ? 2 : 0 };	/* 3: dword access */
	if (u.mmio ? mmio_console(&u, sp.baud) : uart_console(&u, sp.baud, 0)) {
		warn("spcr: no UART answers at %s", console_name());
		return -1;
	}
	warn("console: %s at %u baud, as the SPCR table says", console_name(), sp.baud);
	return 0;
}

/* The report's console, once ACPI and the memory map are read: what
 * console= named, else (auto) the SPCR's UART, else every legacy port
 * whose scratch register answers, mirrored (COM1 when none does). */
static void console_choose(const struct config *cfg)
{
	struct uart u = { .base = cfg->console_base };
	uint32_t n = 0;

	if (cfg->console == CONSOLE_MMIO || cfg->console == CONSOLE_MMIO32) {
		u.mmio = 1;
		u.reg_shift = cfg->console == CONSOLE_MMIO32 ? 2 : 0;
		if (mmio_console(&u, cfg->console_baud))
			warn("console: no UART answers at %s", console_name());
		return;
	}
	if (cfg->console != CONSOLE_AUTO || spcr_console() == 0)
		return;
	for (uint32_t i = 0; i < sizeof(legacy_ports) / sizeof(legacy_ports[0]); i++) {
		u = (struct uart){ .base = legacy_ports[i] };
		if (uart_init(&u, 0) == 0)
			(void)uart_console(&u, cfg->console_baud, n++ > 0);
	}
	if (n > 1)
		warn("console: mirrored on %s: no SPCR, and every legacy port that answers",
		     console_name());
}

static uint64_t read_pmtimer(void)
{
	return pmtimer_read();
}

/* The reference counters for TSC calibration, where the tables name them. */
static void tsc_init(void)
{
	static const char no_hpet[] = "no usable HPET (ACPI table or registers)";
	static const char no_pm[] = "no PM timer in the FADT";
	struct tsc_ref hpet = { .absent = no_hpet }, pm = { .absent = no_pm };

	if (hpet_init() == 0)
		hpet = (struct tsc_ref){ .read = hpet_read, .hz = hpet_hz(), .mask = hpet_mask() };
	if (pmtimer_init() == 0)
		pm = (struct tsc_ref){ .read = read_pmtimer, .hz = PMTIMER_HZ, .mask = pmtimer_mask() };
	tsc_calibrate(&tsc, &hpet, &pm);
	if (tsc.source < 0)
		warn("tsc: no frequency source; assuming %lu Hz, figures in ns are wrong", tsc.hz);
	/* QEMU's TSC is never invariant (TCG), so the warning is for hardware. */
	if (!tsc.invariant && !platform_is_qemu())
		warn("tsc: not invariant (CPUID 0x80000007 EDX[8] clear): its rate may follow "
		     "P-states and it may stop in deep C-states; ns figures assume a constant rate");
}

/* The FADT's reset register, for exit=reboot (ACPI 6.5, 4.8.3.6: valid
 * where the RESET_REG_SUP flag says so). */
static void reset_from_fadt(void)
{
	const struct acpi_header *t = acpi_find("FACP", 0);
	static struct fadt f;
	const struct acpi_gas *r = &f.reset_reg;

	if (!t || fadt_parse(t, t->length, &f) || !(f.flags & FADT_FLAG_RESET_REG_SUP) ||
	    !r->address)
		return;
	if (r->space == ACPI_GAS_IO && r->address <= 0xffff)
		platform_set_reset_reg(1, r->address, f.reset_value);
	else if (r->space == ACPI_GAS_MEMORY &&
		 paging_map_uc(r->address & ~(PAGE_SIZE - 1), PAGE_SIZE) == 0)
		platform_set_reset_reg(0, r->address, f.reset_value);
}

void kernel_early_init(struct boot_info *bi)
{
	struct config *cfg = &kernel_config;
	struct uart com = { .base = 0 };

	kernel_boot = bi;
	config_parse(bi->cmdline, cfg);
	/* Until ACPI is read: the port console= names, else COM1. */
	com.base = cfg->console == CONSOLE_IO ? cfg->console_base : legacy_ports[0];
	(void)uart_console(&com, cfg->console_baud, 0);

	cpu_state_init();
	gdt_init();
	idt_init();
	pic_disable();
	for (int i = 0; i < cfg->nwarnings && i < CONFIG_WARN_MAX; i++)
		warn("%s", cfg->warnings[i]);
	if (bi->error[0])
		warn("loader: %s", bi->error);
	if (bi->cmdline_truncated)
		warn("command line truncated to %d characters", BOOT_CMDLINE_MAX - 1);

	if (!bi->rsdp && bi->loader != BOOT_UEFI)
		bi->rsdp = acpi_rsdp_scan_bios();	/* page 0 is still mapped */
	memory_init(bi);
	if (acpi_init(bi->rsdp, kernel_acpi_error, sizeof(kernel_acpi_error)))
		warn("acpi: %s", kernel_acpi_error);
	else if (acpi_bad_tables())
		warn("acpi: %u tables with a bad address, length or checksum skipped",
		     acpi_bad_tables());
	console_choose(cfg);
	reset_from_fadt();
}

/* Without remapping an MSI carries 8 destination bits (SDM Vol. 3A
 * 10.11.1): a CPU above APIC ID 255 takes IPIs but no device interrupt. */
static void msi_reach_check(void)
{
	uint32_t n = 0, first = 0;

	for (uint32_t i = 0; i < cpus_online && !iommu_ir_enabled(); i++)
		if (cpus[i].apic_id > 255 && !n++)
			first = cpus[i].apic_id;
	if (n)
		warn("smp: %u CPUs from APIC ID %u have IDs above 255 and interrupt remapping is off: "
		     "no MSI reaches them (IPIs do)", n, first);
}

void kernel_init(void)
{
	tsc_init();
	cpus_init(&kernel_config);
	pci_init();
	iommu_init(kernel_config.ir, kernel_boot->memmap, kernel_boot->nregions);
	msi_reach_check();
	vector_domain_init();
}
