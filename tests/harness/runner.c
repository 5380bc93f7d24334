// SPDX-License-Identifier: MIT
/*
 * The test runner: selection, a recovery point and a watchdog per test, and
 * the TAP output of docs/report-format.md.
 */
#include "tests/harness/runner.h"
#include "lib/console.h"
#include "lib/glob.h"
#include "lib/pfa.h"
#include "lib/string.h"
#include "tests/harness/registry.h"
#include "tests/harness/test.h"
#include "arch/x86/cpu.h"
#include "arch/x86/exception.h"
#include "arch/x86/irq.h"
#include "arch/x86/lapic.h"
#include "arch/x86/mce.h"
#include "arch/x86/nmi_watch.h"
#include "arch/x86/smp.h"
#include "arch/x86/hygiene.h"
#include "tests/harness/lava.h"
#include "tests/harness/report.h"
#include "arch/x86/tsc.h"
#include "msi/irqdomain.h"
#include "msi/device.h"
#include "arch/x86/vector.h"
#include "drivers/iommu/iommu.h"

static struct recover *runner_point;	/* where the watchdog unwinds to */
static struct test_ctx ctx;		/* large: not on the stack */
static struct {
	const struct test *test;	/* running now, or NULL */
	int num, failed, skipped;
} run;

/* How long after a test's budget the NMI watchdog steps in. */
#define NMI_WATCH_GRACE_MS 1000

static void watchdog_fire(uint64_t tsc_now, void *arg)
{
	(void)tsc_now;
	(void)arg;
	if (!runner_point)
		return;
	lapic_eoi();	/* we leave the handler without returning to irq_dispatch */
	recover_unwind(runner_point, RECOVER_TIMEOUT);
}

void t_watchdog_restart(struct test_ctx *t)
{
	uint32_t budget = test_budget_ms(t->test);

	(void)nmi_watch_arm(budget + NMI_WATCH_GRACE_MS, runner_point);
	lapic_timer_oneshot_ms(budget, VEC_WATCHDOG);
}

/* Room kept at the end of the block for its `truncated:` line. */
#define YAML_TAIL 64

/*
 * One line, indented by two, appended to buf whole or not at all: a block
 * that outgrows its buffer loses whole lines (and says so: `truncated:`),
 * never half a line, so that it stays YAML.
 */
static void yaml_vappend(struct test_ctx *t, char *buf, size_t size, size_t *len, const char *fmt,
			 va_list ap)
{
	size_t room = size - YAML_TAIL - *len;
	int n;

	if (*len + YAML_TAIL + 4 > size) {
		t->truncated++;
		return;
	}
	n = kvsnprintf(buf + *len + 2, room - 2, fmt, ap);
	if (n < 0 || (size_t)n + 3 > room) {
		buf[*len] = 0;
		t->truncated++;
		return;
	}
	buf[*len] = buf[*len + 1] = ' ';
	*len += (size_t)n + 2;
	buf[(*len)++] = '\n';
	buf[*len] = 0;
}

void t_yaml(struct test_ctx *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yaml_vappend(t, t->yaml, sizeof(t->yaml), &t->ylen, fmt, ap);
	va_end(ap);
}

static void t_msg(struct test_ctx *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yaml_vappend(t, t->msgs, sizeof(t->msgs), &t->mlen, fmt, ap);
	va_end(ap);
}

void t_fail(struct test_ctx *t, const char *fmt, ...)
{
	char msg[200], quoted[420];
	size_t q = 0;
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A YAML double-quoted scalar. */
	for (const char *s = msg; *s && q + 3 < sizeof(quoted); s++) {
		if (*s == '"' || *s == '\\')
			quoted[q++] = '\\';
		quoted[q++] = *s;
	}
	quoted[q] = 0;
	if (!t->failed)
		t_msg(t, "message: \"%s\"", quoted);
	else
		t_msg(t, "also: \"%s\"", quoted);
	t->failed++;
}

void t_skip(struct test_ctx *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(t->reason, sizeof(t->reason), fmt, ap);
	va_end(ap);
	t->skipped = 1;
}

void *t_alloc(struct test_ctx *t, size_t bytes)
{
	uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE, p;

	for (int i = 0; i < TEST_ALLOCS; i++) {
		if (t->allocs[i].pages)
			continue;
		p = pfa_alloc(&pfa, pages, PAGE_SIZE, ~0ull);
		if (!p)
			return NULL;
		t->allocs[i].base = p;
		t->allocs[i].pages = pages;
		memset((void *)(uintptr_t)p, 0, pages * PAGE_SIZE);
		return (void *)(uintptr_t)p;
	}
	return NULL;
}

static void release(struct test_ctx *t)
{
	for (int i = 0; i < TEST_ALLOCS; i++)
		if (t->allocs[i].pages)
			pfa_free(&pfa, t->allocs[i].base, t->allocs[i].pages);
}

/* What the platform did while a test with latency figures ran, as far as
 * the boot CPU can say (arch/x86/hygiene.h). */
static void platform_yaml(struct test_ctx *t, const struct hygiene *h0)
{
	struct hygiene h1;
	char smis[24] = "unknown", ratio[24] = "unknown";
	int c1e = hygiene_c1e();

	hygiene_read(&h1);
	if (h0->has_smi && h1.has_smi)
		ksnprintf(smis, sizeof(smis), "%lu", hygiene_smis(h0, &h1));
	if (hygiene_aperf_pct(h0, &h1) >= 0)
		ksnprintf(ratio, sizeof(ratio), "%ld", hygiene_aperf_pct(h0, &h1));
	t_yaml(t, "platform: {cpu: 0, smis: %s, aperf_mperf_pct: %s, c1e: %s, idle: %s}", smis,
	       ratio, c1e < 0 ? "unknown" : c1e ? "on" : "off", smp_idle_poll ? "poll" : "halt");
}

/* What a test may hold while it runs and must give back: every layer's
 * allocations (docs/design.md, "Tests and recovery"). */
struct holdings {
	uint32_t interrupts;	/* irq descriptors (msi/irqdomain.h) */
	uint32_t vectors;	/* allocated vectors, all CPUs (arch/x86/vector.h) */
	uint32_t handlers;	/* handlers on allocatable vectors (arch/x86/irq.h) */
	uint32_t irtes;		/* reserved remapping entries (drivers/iommu/iommu.h) */
	uint32_t dev_msi_domains, dev_msi_slots;	/* msi/device.h */
};

static void holdings_take(struct holdings *h)
{
	h->interrupts = irq_stats.descs_in_use;
	h->vectors = vector_in_use(&vectors);
	h->handlers = irq_handlers_dynamic();
	h->irtes = iommu_entries_in_use();
	dev_msi_usage(&h->dev_msi_domains, &h->dev_msi_slots);
}

/* A test that ends holding more than it started with is `not ok`, naming
 * what it kept; what it gave back beyond that is reported too. */
static void holdings_check(struct test_ctx *t, const struct holdings *h0)
{
	static const struct { const char *name; size_t off; } kinds[] = {
		{ "interrupts", offsetof(struct holdings, interrupts) },
		{ "vectors", offsetof(struct holdings, vectors) },
		{ "handlers", offsetof(struct holdings, handlers) },
		{ "irtes", offsetof(struct holdings, irtes) },
		{ "dev_msi_domains", offsetof(struct holdings, dev_msi_domains) },
		{ "dev_msi_slots", offsetof(struct holdings, dev_msi_slots) },
	};
	struct holdings h1;
	char kept[160], gone[160];
	size_t nk = 0, ng = 0;

	holdings_take(&h1);
	kept[0] = gone[0] = 0;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		uint32_t a = *(const uint32_t *)((const char *)h0 + kinds[i].off);
		uint32_t b = *(const uint32_t *)((const char *)&h1 + kinds[i].off);

		if (b > a)
			nk += (size_t)ksnprintf(kept + nk, sizeof(kept) - nk, "%s%s: %u", nk ? ", " : "",
						kinds[i].name, b - a);
		else if (b < a)
			ng += (size_t)ksnprintf(gone + ng, sizeof(gone) - ng, "%s%s: %u", ng ? ", " : "",
						kinds[i].name, a - b);
	}
	if (ng)
		t_yaml(t, "released_beyond_own: {%s}", gone);
	if (nk) {
		t_yaml(t, "leaked: {%s}", kept);
		t_fail(t, "leaked %s", kept);
	}
}

static void run_one(const struct test *test, int num, const struct config *cfg,
		    int *failed, int *skipped)
{
	struct recover point;
	uint64_t unowned0 = irq_counts.unowned;
	uint32_t budget = test_budget_ms(test);
	int why;

	uint64_t nmis0 = nmi_counts.count, tsc0;
	struct holdings held0;
	struct hygiene h0;
	const char *result;

	memset(&ctx, 0, sizeof(ctx));
	ctx.test = test;
	ctx.samples = cfg->samples;
	run.test = test;
	hygiene_read(&h0);
	holdings_take(&held0);
	tsc0 = rdtsc();

	recover_push(&point);
	runner_point = &point;
	why = ctx_save(&point.ctx);
	if (why == 0) {
		/* The NMI watchdog a little later: the timer catches what it can. */
		(void)nmi_watch_arm(budget + NMI_WATCH_GRACE_MS, &point);
		lapic_timer_oneshot_ms(budget, VEC_WATCHDOG);
		irq_enable();
		test->fn(&ctx);
		irq_disable();
		recover_pop(&point);
	}
	irq_disable();
	nmi_watch_disarm();
	lapic_timer_stop();
	runner_point = NULL;

	if (why == RECOVER_EXCEPTION) {
		char dump[768];

		t_fail(&ctx, "exception %s (vector %lu) at rip 0x%lx",
		       exc_name(point.frame.vector), point.frame.vector, point.frame.rip);
		exc_dump_yaml(&point.frame, point.cr2, "  ", dump, sizeof(dump));
		t_yaml(&ctx, "%.*s", (int)strlen(dump) - 3, dump + 2);
	} else if (why == RECOVER_TIMEOUT) {
		t_fail(&ctx, "timeout: still running after its budget of %u ms", budget);
	} else if (why == RECOVER_HANG) {
		char dump[768];

		nmi_unblock();	/* the NMI handler was left without IRET */
		/* The timer watchdog fired into IF=0 and waits in the IRR: take it
		 * now, with no test to stop (watchdog_fire ignores it). */
		irq_enable();
		for (int i = 0; i < 100; i++)
			cpu_relax();
		irq_disable();
		t_fail(&ctx, "timeout: still running %u ms after its budget of %u ms, with "
		       "interrupts off: stopped by the NMI watchdog (cpu%d) at rip 0x%lx",
		       NMI_WATCH_GRACE_MS, budget, nmi_watch_cpu(), point.frame.rip);
		exc_dump_yaml(&point.frame, point.cr2, "  ", dump, sizeof(dump));
		t_yaml(&ctx, "%.*s", (int)strlen(dump) - 3, dump + 2);
	}
	if (why) {
		uint32_t restarted = smp_restart_busy(), freed = irq_free_all();

		irq_unregister_all_dynamic();
		if (restarted)
			t_yaml(&ctx, "restarted_cpus: %u  # their calls were still running", restarted);
		if (freed)
			t_yaml(&ctx, "freed_interrupts: %u  # the test's, left allocated", freed);
	}
	release(&ctx);
	holdings_check(&ctx, &held0);
	run.test = NULL;
	if (nmi_counts.count != nmis0)
		t_yaml(&ctx, "nmis: %lu  # last on cpu%u, NMI status port 0x61: 0x%x",
		       nmi_counts.count - nmis0, nmi_counts.last_cpu, nmi_counts.last_reason);
	if (ctx.figures)
		platform_yaml(&ctx, &h0);
	if (irq_counts.unowned != unowned0)
		t_yaml(&ctx, "unowned_interrupts: %lu  # last on vector 0x%x",
		       irq_counts.unowned - unowned0, irq_counts.last_unowned);

	tsc0 = rdtsc() - tsc0;
	if (ctx.failed) {
		kprintf("not ok %d - %s.%s%s\n", num, test->suite, test->name,
			why == RECOVER_TIMEOUT || why == RECOVER_HANG ? " # timeout" : "");
		(*failed)++;
		result = "fail";
	} else if (ctx.skipped) {
		kprintf("ok %d - %s.%s # SKIP %s\n", num, test->suite, test->name, ctx.reason);
		(*skipped)++;
		result = "skip";
	} else {
		kprintf("ok %d - %s.%s\n", num, test->suite, test->name);
		result = "pass";
	}
	if (ctx.truncated) {
		/* The room YAML_TAIL kept. */
		ksnprintf(ctx.yaml + ctx.ylen, sizeof(ctx.yaml) - ctx.ylen,
			  "  truncated: %u  # lines left out: the block outgrew its buffer\n",
			  ctx.truncated);
		ctx.ylen += strlen(ctx.yaml + ctx.ylen);
	}
	if (ctx.ylen || ctx.mlen) {
		/* Not kprintf: its line buffer is smaller than a YAML block. */
		console_write("  ---\n", 6);
		console_write(ctx.msgs, ctx.mlen);
		console_write(ctx.yaml, ctx.ylen);
		console_write("  ...\n", 6);
	}
	lava_lines(&ctx, result, tsc_to_ns(tsc0) / 1000);
	report_summary_add(&ctx);
}

/* The first glob of `list` that selects no test, copied into buf: a
 * misspelt name in a lab's boot entry must not pass as an empty run. 0 if
 * every glob selects one. */
static int unmatched_glob(const char *list, const struct test **all, uint32_t n, char *buf,
			  size_t size)
{
	while (*list) {
		size_t len = 0;
		uint32_t i = 0;

		while (list[len] && list[len] != ',')
			len++;
		if (len && len < size) {
			memcpy(buf, list, len);
			buf[len] = 0;
			while (i < n && !glob_select(buf, all[i]->suite, all[i]->name,
						     all[i]->flags & TEST_MANUAL))
				i++;
			if (i == n)
				return 1;
		}
		list += len + (list[len] == ',');
	}
	return 0;
}

int runner_run(const struct config *cfg)
{
	int num = 0, failed = 0, skipped = 0;
	const struct test **all;
	uint32_t n = registry_tests(&all);
	char glob[64];

	if (!strcmp(cfg->tests, "list")) {
		registry_print();
		kprintf("1..0 # SKIP tests=list: the list only\n");
		kprintf("# msilab done: 0 passed, 0 failed, 0 skipped\n");
		return 0;
	}
	glob[0] = 0;
	if (!cfg->tests[0] || unmatched_glob(cfg->tests, all, n, glob, sizeof(glob))) {
		kprintf("Bail out! tests=%s: '%s' selects no test (tests=list names them all; a "
			"manual test needs its suite named)\n", cfg->tests, glob);
		return 1;
	}
	if (irq_register(0, VEC_WATCHDOG, watchdog_fire, NULL))
		warn("watchdog vector 0x%x taken; tests run without it", VEC_WATCHDOG);
	for (uint32_t i = 0; i < n; i++) {
		if (!glob_select(cfg->tests, all[i]->suite, all[i]->name, all[i]->flags & TEST_MANUAL))
			continue;
		run.num = ++num;
		run_one(all[i], num, cfg, &failed, &skipped);
		run.failed = failed;
		run.skipped = skipped;
	}
	report_summary();
	kprintf("1..%d\n", num);
	kprintf("# msilab done: %d passed, %d failed, %d skipped\n",
		num - failed - skipped, failed, skipped);
	return failed;
}

int runner_machine_check(const char *yaml)
{
	int num = run.num;

	if (!run.test)
		return -1;
	kprintf("not ok %d - %s.%s # machine check\n  ---\n  message: \"machine check: the run "
		"stops here\"\n", num, run.test->suite, run.test->name);
	console_write(yaml, strlen(yaml));
	kprintf("  ...\n");
	report_summary();
	kprintf("1..%d\n# msilab done: %d passed, %d failed, %d skipped\n", num,
		num - 1 - run.failed - run.skipped, run.failed + 1, run.skipped);
	return 0;
}
