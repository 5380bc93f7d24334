/* SPDX-License-Identifier: MIT */
/*
 * In-firmware tests. Each TEST() lands in the msilab_tests linker section,
 * the one list of tests (tests/harness/registry.c orders it and prints it
 * for tests=list); the runner (tests/harness/runner.c) selects them with
 * tests=<glob>,... and prints one TAP test point each
 * (docs/report-format.md).
 */
#ifndef TESTS_HARNESS_TEST_H
#define TESTS_HARNESS_TEST_H

#include <stddef.h>
#include <stdint.h>
#include "lib/printf.h"
#include "arch/x86/hygiene.h"
#include "lib/lathist.h"
#include "lib/stats.h"

#define TEST_BUDGET_MS	10000	/* default watchdog budget */
#define TEST_MANUAL	(1u << 0)	/* runs only when a glob names its suite */

struct test_ctx;

struct test {
	const char *suite;
	const char *name;
	void (*fn)(struct test_ctx *t);
	const char *file;	/* where it is declared: a suite lives in one file */
	uint32_t line;
	uint32_t budget_ms;	/* 0: TEST_BUDGET_MS */
	/* The budget computed when the test starts, for one whose work grows
	 * with the machine (every PCI function walked): NULL, budget_ms. */
	uint32_t (*budget)(void);
	uint32_t flags;		/* TEST_MANUAL */
	const char *needs;	/* devices and sources it needs, for tests=list */
};

#define TEST_SECTION __attribute__((used, section(".data.msilab_tests"), aligned(8)))

/*
 * TEST(suite, name, options...) { body }: options are designated
 * initializers of struct test, e.g.
 *   TEST(lapic, ipi_latency, .budget_ms = 60000) { ... }
 *   TEST(selftest, hang, .budget_ms = 300, .flags = TEST_MANUAL) { ... }
 *   TEST(iommu, units, .needs = "vt-d") { ... }
 *   TEST(pci, access_methods_agree, .budget = pci_walks_budget_ms) { ... }
 */
static inline uint32_t test_budget_ms(const struct test *t)
{
	return t->budget ? t->budget() : t->budget_ms ? t->budget_ms : TEST_BUDGET_MS;
}

#define TEST(suite_, name_, ...)						\
	static void test_##suite_##_##name_(struct test_ctx *t);		\
	static const struct test test_desc_##suite_##_##name_ TEST_SECTION = {	\
		.suite = #suite_, .name = #name_, .fn = test_##suite_##_##name_,	\
		.file = __FILE__, .line = __LINE__, __VA_ARGS__ };		\
	static void test_##suite_##_##name_(struct test_ctx *t)

#define TEST_YAML_MAX	32768	/* room for a figure per CPU */
#define TEST_MSGS_MAX	2048	/* message: and up to a few also: lines */
#define TEST_ALLOCS	8
#define TEST_FIGURES_MAX 32	/* figures kept for the `# lava:` lines */

/* A latency figure's headline numbers (t_latency), for tests/harness/lava.c
 * and the report's summary (tests/harness/report.c). */
struct t_figure {
	char label[32];		/* "" for a test's only, unlabelled figure */
	const char *unit;	/* "ns", or "cycles" without a TSC frequency */
	uint64_t p50, p99, max;
	uint64_t samples;
	int64_t lost;		/* its tally's (t_tally), or -1 without one */
};

struct test_ctx {
	const struct test *test;
	int failed;
	int skipped;
	char reason[160];		/* SKIP reason */
	size_t ylen;
	char yaml[TEST_YAML_MAX];	/* the YAML block's lines, indented */
	uint32_t truncated;		/* lines that did not fit */
	size_t mlen;			/* message: and also: lines (t_fail), */
	char msgs[TEST_MSGS_MAX];	/* printed first: top level wherever the
					 * block was when the test failed */
	struct { uint64_t base, pages; } allocs[TEST_ALLOCS];
	uint64_t samples;		/* samples= from the command line */
	uint32_t figures;		/* latency figures reported (t_latency) */
	struct stats last;		/* the last figure's statistics (t_latency) */
	uint32_t nfigures;		/* kept in figure[], at most TEST_FIGURES_MAX */
	struct t_figure figure[TEST_FIGURES_MAX];
	struct {			/* t_target_start() */
		uint32_t cpu;
		int valid;		/* h0 read */
		int offset_error;	/* 0, or why the TSC offset was not measured */
		uint64_t uncertainty;	/* of the offset, TSC cycles */
		struct hygiene h0;
	} target;
};

/* Mark the test failed; the first call's text becomes `message:`, later
 * ones `also:`, at the top of the block (not where the block has got to:
 * a failure inside a nested figure must not end its map). */
void t_fail(struct test_ctx *t, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Mark the test skipped with a reason (TAP "# SKIP reason"). */
void t_skip(struct test_ctx *t, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Append one "key: value" line to the YAML block. */
void t_yaml(struct test_ctx *t, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Fail with the message when cond is false; returns cond. */
#define t_check(t, cond, ...) ((cond) ? 1 : (t_fail((t), __VA_ARGS__), 0))

/* Zeroed memory for samples, freed when the test ends; NULL if none left. */
void *t_alloc(struct test_ctx *t, size_t bytes);

/* Interrupt accounting for a latency run. */
struct irq_tally {
	uint64_t triggers;
	uint64_t delivered;
	uint64_t lost;
	uint64_t duplicates;
	uint64_t spurious;
};

/*
 * A latency distribution as it is measured, in constant memory however
 * many samples: the first sample (cold) apart, every other one in a
 * log-linear histogram (lib/lathist.h), and the first SERIES_RAW of them
 * as they came, so that a figure of up to SERIES_RAW + 1 samples is exact
 * and a longer one is within the histogram's 1/256. Samples are TSC cycles
 * less `offset` (t_target_start: the target CPU's TSC offset); one that
 * comes out negative (a timer's handler before its computed deadline, a
 * cross-CPU sample below the offset) counts as 0 and in `below`.
 * sizeof(struct series): 170 KiB.
 */
#define SERIES_RAW 16384
struct series {
	uint64_t n;		/* samples added, the cold one included */
	uint64_t cold;
	int64_t offset;
	uint64_t uncertainty;	/* of the offset, TSC cycles */
	uint64_t below;
	struct lathist hist;
	uint32_t nraw;
	uint64_t raw[SERIES_RAW];
};

/* A series from the test's memory (t_alloc), empty; NULL if none left. */
struct series *t_series(struct test_ctx *t);
/* Empty it again, for the next figure. */
void series_init(struct series *s);
/* Its statistics in the figure's unit (ns, or cycles without a TSC
 * frequency), the cold sample left out; spends the series like t_latency. */
void series_stats(struct series *s, struct stats *st);
void series_add(struct series *s, int64_t cycles);

/*
 * Report a series (then spent: its kept samples are converted to ns and
 * sorted). The cold first sample is reported apart. With a tally, also
 * lost/duplicates/spurious; the test fails unless all three are zero. With
 * a label the figure is a nested YAML map under `label:` (for tests with
 * several figures), else its keys are top level. The figure's
 * statistics stay in t->last.
 */
void t_latency(struct test_ctx *t, const char *label, struct series *s,
	       const struct irq_tally *tally);
/* The tally alone (under `label:` if one), judged as t_latency judges it. */
void t_tally(struct test_ctx *t, const char *label, const struct irq_tally *tally);

/*
 * Samples stamped on CPU `cpu` against triggers stamped on this CPU: before
 * the measurement, t_target_start() measures the offset between the two
 * TSCs (ping-pong, arch/x86/smp.h) into the series, which subtracts it from
 * each sample, and reads the target's SMI count and APERF/MPERF
 * (arch/x86/hygiene.h). After it, t_latency_on() reports the figure with
 * tsc_offset_ns, tsc_offset_uncertainty_ns, below_offset and
 * `target_platform:`. An offset beyond CROSS_CPU_OFFSET_MAX_NS means the
 * two TSCs are not one clock, and an uncertainty beyond
 * CROSS_CPU_UNCERTAINTY_MAX_NS (the tightest of TSC_OFFSET_TRIES bursts;
 * nested KVM's is about 11 us) that the offset was not measured: either
 * way the figure is left out and the test SKIPs, saying which, unless
 * the tally fails: lost, duplicated and spurious interrupts have nothing
 * to do with the clock and are judged all the same (t_tally). On this
 * CPU both are t_latency(). Either way the figure says `relation:`
 * (self, smt_sibling, same_package, other_package: arch/x86/topology.h).
 */
#define CROSS_CPU_OFFSET_MAX_NS 10000
#define CROSS_CPU_UNCERTAINTY_MAX_NS 100000
#define TSC_OFFSET_TRIES 5

void t_target_start(struct test_ctx *t, uint32_t cpu, struct series *s);
void t_latency_on(struct test_ctx *t, const char *label, uint32_t cpu, struct series *s,
		  const struct irq_tally *tally);

/* Restart the watchdog with the test's full budget (for tests that used
 * the local APIC timer themselves). */
void t_watchdog_restart(struct test_ctx *t);

/*
 * Interrupt latency, the generic loop: n times, trigger() fires one
 * interrupt and returns the TSC just before the write that causes it (or,
 * for a timer, the TSC at which it is due); the
 * handler (irq_probe_handler with the probe as its argument) stamps it.
 * Each delivery within `wait` TSC cycles adds stamp - trigger time to the
 * series; triggers with none are lost (after 3 lost in a row the loop
 * gives up: the source is dead). `wait` is a bound for calling a delivery
 * lost, not a latency limit: make it generous (TCG on a busy host can hold
 * a vCPU off its core for a long time). Returns the samples taken.
 */
struct irq_probe {
	volatile uint64_t stamp;
	volatile uint64_t count;
};

void irq_probe_handler(uint64_t tsc, void *arg);
uint64_t measure_irq(struct irq_probe *p, uint64_t (*trigger)(void *), void *ctx,
		     uint64_t n, uint64_t wait, struct series *s, struct irq_tally *tally);
/* Wait up to `wait` TSC cycles for a delivery after p->count == count0
 * stamped no earlier than `since` on this CPU's clock (the stamp less s's
 * offset, within its uncertainty); 1 if one came. */
int probe_wait(struct irq_probe *p, uint64_t count0, uint64_t since, const struct series *s,
	       uint64_t wait);

#endif
