/* SPDX-License-Identifier: MIT */
/* What the iommu.* tests (tests/fw/iommu.c) lean on, written against the
 * IOMMU interface (drivers/iommu/iommu.h). */
#ifndef TESTS_FW_REMAP_UTIL_H
#define TESTS_FW_REMAP_UTIL_H

#include "tests/harness/test.h"
#include "tests/harness/sources.h"
#include "drivers/iommu/iommu.h"

#define QUIET_MS	20
#define WAIT_MS		1000

struct edu;
struct irq_desc;

/* An edu's deliveries, and the CPU of the last (rt_on_hit acks the edu
 * given as its argument). */
extern volatile uint64_t rt_hits;
extern volatile uint32_t rt_hit_cpu;
void rt_on_hit(uint64_t tsc_now, void *arg);
/* The index-th edu, or NULL with the test skipped. */
struct edu *rt_edu(struct test_ctx *t, uint32_t index);
/* The first edu whose requests carry another requester ID than its own
 * (below a PCIe-to-PCI bridge), or NULL with the test skipped. */
struct edu *rt_edu_behind_bridge(struct test_ctx *t);
/* Deliveries since `before`, waiting up to `ms` for the first. */
uint64_t rt_wait_hit(uint64_t before, uint64_t ms);
/* QUIET_MS for stray deliveries to come. */
void rt_quiet(void);
/* n interrupts of the source's vector 0 (edu, igb) measured through
 * whatever its domain's parent is now: the samples taken, in ns. */
uint64_t rt_source_samples(struct irq_source *s, struct series *smp, uint64_t n);
/* The source remapped, then in compatibility format, in one run (the
 * unit's remapping off and the device's domain given its parent again).
 * Figures at the top level (label NULL: remapped, compatibility,
 * on_over_off_p50_pct) or on one line under `label`. */
void rt_cost_ratio(struct test_ctx *t, struct irq_source *s, const char *label,
		   struct iommu_unit *unit);
/* That for the edu (top level) and the igb (`igb:`, or why it is absent). */
void rt_cost_ratios(struct test_ctx *t, struct iommu_unit *unit);

/* With remapping, a move rewrites the entry and the device's message
 * stays: edu e's interrupt moved to CPU 1, its message read before and
 * after, the entry naming CPU 1, one delivery on CPU 1. */
void rt_affinity_rewrites_only_irte(struct test_ctx *t, struct edu *e);

/* igb, else e1000e (MSI-X: masked at the source), or NULL. */
struct irq_source *rt_maskable_source(void);
extern volatile uint64_t rt_src_hits;
void rt_on_src(uint64_t tsc_now, void *arg);
/* Trigger while masked at the source or at the IRTE (either family): 1
 * held and delivered on unmask, 0 dropped, -1 got through the mask, -2
 * (un)masking failed; and that as a word. */
int rt_masked_trigger(struct irq_source *s, struct irq_desc *irq, int at_irte);
const char *rt_held_name(int held);
/* Masking at the source against at the entry on the igb or e1000e: 500
 * (un)mask pairs of each timed, a trigger while masked each way, what the
 * unit recorded reported before the interrupt is freed. */
void rt_mask_source_vs_irte(struct test_ctx *t, struct iommu_unit *unit);

/* The report a family's hooks write into: t's YAML and t_fail. */
struct iommu_report rt_report(struct test_ctx *t);

/* The unit's records of blocked requests taken (the first four into the
 * report): how many record `why` sent by `sender` (none without a sender). */
#define RT_FAULTS_MAX	4096
struct rt_faults {
	uint32_t total, matching, overflows;
	struct iommu_fault last;
};
uint32_t rt_faults(struct test_ctx *t, struct iommu_unit *u, int why, const struct pci_dev *sender,
		   struct rt_faults *out);

#endif
