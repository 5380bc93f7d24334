/* SPDX-License-Identifier: MIT */
/*
 * Hierarchical irq domains, in miniature of Linux's (kernel/irq/irqdomain.c
 * and the per-device MSI domains of 6.2): an interrupt is an irq_desc with
 * one irq_data per level, device level first, the vector level last.
 * Allocation runs parent first, activation bottom up, deactivation and free
 * top down. See docs/design.md, "The irq-domain layer".
 */
#ifndef MSI_IRQDOMAIN_H
#define MSI_IRQDOMAIN_H

#include "lib/compiler.h"
#include <stdint.h>
#include "arch/x86/irq.h"
#include "arch/x86/msi_msg.h"

#define IRQ_LEVELS_MAX	3	/* device, [interrupt remapping], vector */
#define IRQ_DESCS_MAX	256

struct irq_desc;
struct irq_domain;
struct msi_device;
struct irq_data;

/* set_affinity results: the move is complete, or the level above must
 * rewrite its message (a vector moved and nothing in between remaps it). */
#define IRQ_AFFINITY_DONE	0
#define IRQ_AFFINITY_PROPAGATE	1

struct irq_chip {
	const char *name;
	void (*mask)(struct irq_data *d);
	void (*unmask)(struct irq_data *d);
	int (*pending)(struct irq_data *d);	/* 1, 0; NULL: the source keeps none */
	int (*set_affinity)(struct irq_data *d, uint32_t cpu);
	void (*affinity_done)(struct irq_data *d);	/* after every level moved */
	/* A level above refused the move (and wrote nothing): go back to what
	 * this level had before its set_affinity returned PROPAGATE. A level
	 * that can return PROPAGATE has one. */
	void (*affinity_undo)(struct irq_data *d);
	int (*compose_msi_msg)(struct irq_data *d, struct msi_msg *msg);
	void (*write_msi_msg)(struct irq_data *d, const struct msi_msg *msg);
};

struct irq_data {
	uint32_t hwirq;
	struct irq_domain *domain;
	const struct irq_chip *chip;
	void *chip_data;
	struct irq_data *parent;	/* the level below; NULL at the root */
	struct irq_desc *desc;
};

/* What an allocation asks for: which slot/entry at the device level, and
 * on which CPU the vector level should put it (-1: the least loaded). */
struct irq_alloc_info {
	uint32_t hwirq;
	int cpu;
};

struct irq_domain_ops {
	int (*alloc)(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *info);
	void (*free)(struct irq_domain *dom, struct irq_data *d);
	int (*activate)(struct irq_domain *dom, struct irq_data *d);
	void (*deactivate)(struct irq_domain *dom, struct irq_data *d);
};

struct irq_domain {
	const char *name;
	const struct irq_domain_ops *ops;
	struct irq_domain *parent;
	void *host_data;
	uint32_t live;		/* interrupts allocated in this domain now */
	struct msi_device *owner;	/* a device-level domain's device, else NULL */
};


#define IRQD_ALLOCATED	(1u << 0)
#define IRQD_ACTIVATED	(1u << 1)
#define IRQD_MASKED	(1u << 2)

struct irq_desc {
	uint32_t irq;
	uint32_t flags;
	uint32_t nlevels;
	struct irq_data levels[IRQ_LEVELS_MAX];	/* [0]: device ... [nlevels-1]: vector */
	irq_fn handler;
	void *handler_arg;
	volatile uint64_t count;		/* deliveries */
};

struct irq_stats {
	uint32_t descs_in_use;
	uint32_t errors;	/* refused calls: double free, use after free, ... */
};

extern struct irq_stats irq_stats;

/* Allocate an interrupt in `dom` and every parent, parent first; on a
 * failure everything allocated so far is freed. NULL with *err set. */
struct irq_desc *irq_domain_alloc(struct irq_domain *dom, const struct irq_alloc_info *info,
				  int *err);
/* Activate bottom up (vector chosen, [IRTE written], message composed and
 * written to the device); deactivate top down. */
int irq_domain_activate(struct irq_desc *desc) MUST_CHECK;
void irq_domain_deactivate(struct irq_desc *desc);
/* Deactivate if needed and free top down. -EINVAL for a desc not allocated. */
int irq_domain_free(struct irq_desc *desc);

/* After the device behind device-level domain `dom` was reset: each of its
 * active interrupts written to it again (masked, its message composed
 * anew, unmasked unless irq_mask() holds it), as Linux's
 * pci_restore_msi_state() does after a reset. Returns how many. */
uint32_t irq_domain_restore(struct irq_domain *dom);

/* Free every allocated interrupt (after an aborted test); returns how many. */
uint32_t irq_free_all(void);

/* The message the levels below `d` compose for it (the first chip below
 * with compose_msi_msg). -EINVAL when none does. */
int irq_data_compose_msg(struct irq_data *d, struct msi_msg *msg);

/* The calls for a device's interrupt (msi/device.h has the device side). */
int irq_request(struct irq_desc *desc, irq_fn fn, void *arg);
int irq_mask(struct irq_desc *desc);
int irq_unmask(struct irq_desc *desc);
int irq_pending(struct irq_desc *desc);	/* 0/1, or -ENOTSUP */
int irq_set_affinity(struct irq_desc *desc, uint32_t cpu);
/* The vector level's CPU and vector (hwirq = cpu << 8 | vector). */
uint32_t irq_cpu(const struct irq_desc *desc);
uint8_t irq_vector(const struct irq_desc *desc);
/* Levels in the interrupt's hierarchy: 2 (device, vector), 3 remapped. */
uint32_t irq_levels(const struct irq_desc *desc);
/* Interrupts allocated in the domain now. */
uint32_t irq_domain_live(const struct irq_domain *dom);
/* Called by the vector level for every delivery. */
void irq_desc_handle(struct irq_desc *desc, uint64_t tsc);

#endif
