// SPDX-License-Identifier: MIT
/*
 * msi/irqdomain.c and msi/device.c: the hierarchy's order of operations,
 * affinity propagation, unwinding, leaks, DEV_MSI with a fake slot chip and
 * child-device assignment. The root here is a fake vector domain that logs
 * what is asked of it (the real one needs CPUs and a local APIC).
 */
#include "tests/host/host.h"
#include "msi/device.h"
#include "lib/errno.h"

static char log_buf[1024];

static void logf_(const char *s)
{
	size_t n = strlen(log_buf);

	if (n + strlen(s) + 2 > sizeof(log_buf))
		return;	/* the log is for short sequences; long runs just stop logging */
	if (n)
		strcat(log_buf, " ");
	strcat(log_buf, s);
}

/* --- a fake vector domain: hwirq = cpu << 8 | vector ---------------------- */

static int root_fail, next_vector = 0x30;
static uint32_t moved_to = ~0u;

static int root_compose(struct irq_data *d, struct msi_msg *m)
{
	m->address_lo = 0xfee00000u | (d->hwirq >> 8) << 12;
	m->address_hi = 0;
	m->data = d->hwirq & 0xff;
	return 0;
}

static int root_set_affinity(struct irq_data *d, uint32_t cpu)
{
	if (cpu >= 4)
		return -EINVAL;	/* no such CPU: the vector stays where it is */
	logf_("root.move");
	d->hwirq = cpu << 8 | (uint32_t)next_vector++;
	return IRQ_AFFINITY_PROPAGATE;
}

static void root_done(struct irq_data *d)
{
	(void)d;
	logf_("root.done");
	moved_to = d->hwirq >> 8;
}

/* A level above refused: back to the vector it had (the real one gives
 * the new vector back, msi/vector_domain.c). */
static uint32_t root_old;

static int root_set_affinity_saving(struct irq_data *d, uint32_t cpu)
{
	root_old = d->hwirq;
	return root_set_affinity(d, cpu);
}

static void root_undo(struct irq_data *d)
{
	logf_("root.undo");
	d->hwirq = root_old;
}

static const struct irq_chip root_chip = {
	.name = "fake-vector", .set_affinity = root_set_affinity_saving, .affinity_done = root_done,
	.affinity_undo = root_undo, .compose_msi_msg = root_compose,
};

static int root_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *i)
{
	(void)dom;
	logf_("root.alloc");
	if (root_fail)
		return -ENOSPC;
	d->hwirq = (uint32_t)(i->cpu < 0 ? 0 : i->cpu) << 8 | (uint32_t)next_vector++;
	d->chip = &root_chip;
	return 0;
}

static void root_free(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	(void)d;
	logf_("root.free");
}

static int root_activate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	(void)d;
	logf_("root.activate");
	return 0;
}

static void root_deactivate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	(void)d;
	logf_("root.deactivate");
}

static const struct irq_domain_ops root_ops = { root_alloc, root_free, root_activate,
						root_deactivate };
static struct irq_domain root = { "fake-vector", &root_ops, 0, 0, 0, 0 };

/* --- a DEV_MSI device whose slots are an array ---------------------------- */

struct slots {
	struct msi_msg msg[8];
	int masked[8];
	int mask_calls, writes;
};

static void s_write(void *ctx, uint32_t slot, const struct msi_msg *m)
{
	struct slots *s = ctx;

	s->msg[slot] = *m;
	s->writes++;
	logf_(s->masked[slot] ? "dev.write(masked)" : "dev.write(unmasked)");
}

static void s_mask(void *ctx, uint32_t slot)
{
	((struct slots *)ctx)->masked[slot] = 1;
	((struct slots *)ctx)->mask_calls++;
	logf_("dev.mask");
}

static void s_unmask(void *ctx, uint32_t slot)
{
	((struct slots *)ctx)->masked[slot] = 0;
	logf_("dev.unmask");
}

static int s_pending(void *ctx, uint32_t slot)
{
	(void)ctx;
	return slot == 3;
}

static const struct dev_msi_ops slot_ops = { s_write, s_mask, s_unmask, s_pending, 0 };
static const struct dev_msi_ops atomic_ops = { s_write, s_mask, s_unmask, 0, 1 };

static struct slots sl;
static struct msi_device dev;

static void reset(const struct dev_msi_ops *ops)
{
	memset(&sl, 0, sizeof(sl));
	memset(log_buf, 0, sizeof(log_buf));
	root_fail = 0;
	if (dev.domain)
		dev_msi_domain_destroy(dev.domain);
	dev = (struct msi_device){ .name = "dev", .rid = 0x0100 };
	msi_set_root(&root);
	assert_non_null(dev_msi_domain_create(&dev, ops, &sl, 8));
}

static void parent_first_bottom_up(void **state)
{
	struct irq_desc *d;

	(void)state;
	reset(&slot_ops);
	assert_ptr_equal(dev.domain->parent, &root);	/* the topology function */
	assert_int_equal(msi_alloc_irqs(&dev, 2, 1, 1, &d), 0);
	assert_string_equal(log_buf, "root.alloc root.activate dev.mask dev.write(masked) dev.unmask");
	assert_int_equal(d->nlevels, 2);
	assert_int_equal(d->levels[0].hwirq, 2);		/* the slot */
	assert_int_equal(sl.msg[2].address_lo, 0xfee01000u);	/* cpu 1 */
	assert_int_equal(sl.msg[2].data, d->levels[1].hwirq & 0xff);
	assert_false(sl.masked[2]);				/* unmasked once written */
	assert_int_equal(irq_cpu(d), 1);
	memset(log_buf, 0, sizeof(log_buf));
	msi_free_irqs(&d, 1);
	/* The device masks before its vector goes; freed children first. */
	assert_string_equal(log_buf, "dev.mask root.deactivate root.free");
	assert_true(sl.masked[2]);				/* deactivation masks */
	assert_int_equal(dev.domain->live, 0);
	assert_int_equal(root.live, 0);
}

static void affinity_rewrites_message_masked(void **state)
{
	struct irq_desc *d;

	(void)state;
	reset(&slot_ops);
	assert_int_equal(msi_alloc_irqs(&dev, 0, 1, 0, &d), 0);
	memset(log_buf, 0, sizeof(log_buf));
	assert_int_equal(irq_set_affinity(d, 3), 0);
	assert_string_equal(log_buf, "root.move dev.mask dev.write(masked) dev.unmask root.done");
	assert_int_equal(sl.msg[0].address_lo, 0xfee03000u);
	assert_false(sl.masked[0]);
	assert_int_equal(moved_to, 3);
	/* A masked interrupt stays masked across the move. */
	assert_int_equal(irq_mask(d), 0);
	memset(log_buf, 0, sizeof(log_buf));
	assert_int_equal(irq_set_affinity(d, 2), 0);
	assert_string_equal(log_buf, "root.move dev.mask dev.write(masked) root.done");
	assert_true(sl.masked[0]);
	/* A move the vector level refuses: refused, the message left alone. */
	assert_int_equal(irq_unmask(d), 0);
	memset(log_buf, 0, sizeof(log_buf));
	sl.writes = 0;
	assert_int_equal(irq_set_affinity(d, 9), -EINVAL);
	assert_int_equal(sl.writes, 0);
	assert_string_equal(log_buf, "");
	assert_int_equal(irq_cpu(d), 2);
	msi_free_irqs(&d, 1);
}

static void atomic_write_needs_no_mask(void **state)
{
	struct irq_desc *d;
	int calls;

	(void)state;
	reset(&atomic_ops);
	assert_int_equal(msi_alloc_irqs(&dev, 0, 1, 0, &d), 0);
	calls = sl.mask_calls;
	memset(log_buf, 0, sizeof(log_buf));
	assert_int_equal(irq_set_affinity(d, 1), 0);
	assert_string_equal(log_buf, "root.move dev.write(unmasked) root.done");	/* no mask, no unmask */
	assert_int_equal(sl.mask_calls, calls);
	assert_int_equal(irq_pending(d), -ENOTSUP);	/* no pending callback */
	msi_free_irqs(&d, 1);
}

/* A device reset lost its storage: restore writes back each active slot
 * of this domain (masked around the write), leaves one irq_mask() holds
 * masked, and touches no other domain's. */
static void restore_after_reset(void **state)
{
	static struct slots other_sl;
	struct msi_device other = { .name = "other", .rid = 0x0200 };
	struct irq_desc *d[3], *o;

	(void)state;
	reset(&slot_ops);
	memset(&other_sl, 0, sizeof(other_sl));
	assert_non_null(dev_msi_domain_create(&other, &slot_ops, &other_sl, 8));
	assert_int_equal(msi_alloc_irqs(&dev, 1, 3, 2, d), 0);
	assert_int_equal(msi_alloc_irqs(&other, 0, 1, 0, &o), 0);
	assert_int_equal(irq_mask(d[1]), 0);
	memset(&sl, 0, sizeof(sl));	/* the reset: zero messages, nothing masked */
	other_sl.writes = 0;
	memset(log_buf, 0, sizeof(log_buf));
	assert_int_equal(irq_domain_restore(dev.domain), 3);
	assert_int_equal(sl.writes, 3);
	assert_string_equal(log_buf, "dev.mask dev.write(masked) dev.unmask "
				     "dev.mask dev.write(masked) "	/* irq_mask() holds d[1] */
				     "dev.mask dev.write(masked) dev.unmask");
	for (uint32_t i = 0; i < 3; i++) {
		assert_int_equal(sl.msg[1 + i].address_lo, 0xfee02000u);	/* cpu 2 */
		assert_int_equal(sl.msg[1 + i].data, d[i]->levels[1].hwirq & 0xff);
	}
	assert_false(sl.masked[1]);
	assert_true(sl.masked[2]);	/* irq_mask() holds it */
	assert_false(sl.masked[3]);
	assert_int_equal(other_sl.writes, 0);
	msi_free_irqs(d, 3);
	assert_int_equal(irq_domain_restore(dev.domain), 0);	/* nothing active */
	msi_free_irqs(&o, 1);
	dev_msi_domain_destroy(other.domain);
}

static void failures_unwind(void **state)
{
	struct irq_desc *d[3];
	uint32_t descs = irq_stats.descs_in_use;

	(void)state;
	reset(&slot_ops);
	root_fail = 1;
	assert_int_equal(msi_alloc_irqs(&dev, 0, 1, 0, d), -ENOSPC);
	assert_int_equal(dev.domain->live, 0);
	assert_int_equal(irq_stats.descs_in_use, descs);
	/* The third slot is past the end: the two before are given back. */
	root_fail = 0;
	memset(log_buf, 0, sizeof(log_buf));
	assert_int_equal(msi_alloc_irqs(&dev, 6, 3, 0, d), -ENOSPC);
	assert_int_equal(dev.domain->live, 0);
	assert_int_equal(root.live, 0);
	assert_int_equal(irq_stats.descs_in_use, descs);
	assert_null(d[0]);
	/* A busy slot. */
	assert_int_equal(msi_alloc_irqs(&dev, 1, 1, 0, d), 0);
	assert_int_equal(msi_alloc_irqs(&dev, 1, 1, 0, d + 1), -EBUSY);
	msi_free_irqs(d, 1);
}

static void refusals_and_pending(void **state)
{
	struct irq_desc *d;
	uint32_t errors;

	(void)state;
	reset(&slot_ops);
	assert_int_equal(msi_alloc_irqs(&dev, 3, 1, 0, &d), 0);
	assert_int_equal(irq_pending(d), 1);
	assert_int_equal(irq_mask(d), 0);
	assert_true(sl.masked[3]);
	assert_int_equal(irq_unmask(d), 0);
	assert_false(sl.masked[3]);
	errors = irq_stats.errors;
	assert_int_equal(irq_domain_free(d), 0);
	assert_int_equal(irq_domain_free(d), -EINVAL);
	assert_int_equal(irq_unmask(d), -EINVAL);
	assert_int_equal(irq_mask(d), -EINVAL);
	assert_int_equal(irq_set_affinity(d, 0), -EINVAL);
	assert_int_equal(irq_request(d, 0, 0), -EINVAL);
	assert_int_equal(irq_stats.errors, errors + 5);
	assert_int_equal(irq_domain_free(0), -EINVAL);
}

static void child_takes_physical_domain(void **state)
{
	struct msi_device child = { .name = "slice", .rid = 0x0100 };
	struct irq_desc *a, *b;

	(void)state;
	reset(&slot_ops);
	dev_msi_assign_domain(&child, &dev);
	assert_ptr_equal(child.domain, dev.domain);
	assert_ptr_equal(child.physical, &dev);
	assert_int_equal(msi_alloc_irqs(&child, 5, 1, 0, &a), 0);
	/* One slot space: the physical device cannot take the child's slot. */
	assert_int_equal(msi_alloc_irqs(&dev, 5, 1, 0, &b), -EBUSY);
	assert_int_equal(sl.writes, 1);
	msi_free_irqs(&a, 1);
}

/* --- a fake remapping level between the device and the vector ----------
 * What VT-d's and AMD-Vi's domains do, logged: an entry per interrupt that
 * holds the vector below it, a remappable message naming the entry, and an
 * affinity move that rewrites the entry and completes there (the device's
 * message names the entry, not the vector, and stays as it is). */

static struct irq_domain remap;
static uint32_t irte[8], next_irte;
static int remap_fail_alloc, remap_fail_activate, remap_refuse_move;

static int remap_compose(struct irq_data *d, struct msi_msg *m)
{
	m->address_lo = 0xfee00000u | d->hwirq << 5 | 1u << 4;	/* remappable, handle */
	m->address_hi = 0;
	m->data = 0;
	return 0;
}

static int remap_set_affinity(struct irq_data *d, uint32_t cpu)
{
	if (remap_refuse_move) {	/* AMD-Vi: an APIC ID above 255 without XTEn */
		logf_("remap.refused");
		return -ERANGE;		/* the entry is left as it was */
	}
	(void)cpu;
	logf_("remap.irte");
	irte[d->hwirq] = d->parent->hwirq;	/* the vector level moved first */
	return IRQ_AFFINITY_DONE;
}

static const struct irq_chip remap_chip = {
	.name = "fake-remap", .set_affinity = remap_set_affinity, .compose_msi_msg = remap_compose,
};

static int remap_alloc(struct irq_domain *dom, struct irq_data *d, const struct irq_alloc_info *i)
{
	(void)dom;
	(void)i;
	logf_("remap.alloc");
	if (remap_fail_alloc)
		return -ENOSPC;
	d->hwirq = next_irte++ % 8;
	d->chip = &remap_chip;
	return 0;
}

static void remap_free(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	(void)d;
	logf_("remap.free");
}

static int remap_activate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	logf_("remap.activate");
	if (remap_fail_activate)
		return -EIO;
	irte[d->hwirq] = d->parent->hwirq;
	return 0;
}

static void remap_deactivate(struct irq_domain *dom, struct irq_data *d)
{
	(void)dom;
	irte[d->hwirq] = 0;
	logf_("remap.deactivate");
}

static const struct irq_domain_ops remap_ops = { remap_alloc, remap_free, remap_activate,
						 remap_deactivate };
static struct irq_domain remap = { "fake-remap", &remap_ops, &root, 0, 0, 0 };

static struct irq_domain *remap_lookup(const struct msi_device *d)
{
	return d->rid == 0x0300 ? &remap : 0;
}

/* Three levels: allocated parent first, activated bottom up (the vector's
 * handler, then the entry, then the device's message), deactivated and
 * freed top down; an affinity move rewrites the entry and never the
 * device's message; a failure at the middle level unwinds the vector. */
static void remapped_hierarchy(void **state)
{
	struct msi_device rdev = { .name = "remapped", .rid = 0x0300 };
	struct irq_desc *d;
	uint32_t descs = irq_stats.descs_in_use;

	(void)state;
	reset(&slot_ops);
	msi_set_remap_lookup(remap_lookup);
	assert_non_null(dev_msi_domain_create(&rdev, &slot_ops, &sl, 8));
	assert_ptr_equal(rdev.domain->parent, &remap);
	assert_ptr_equal(dev.domain->parent, &root);	/* outside the unit's scope */
	memset(log_buf, 0, sizeof(log_buf));
	assert_int_equal(msi_alloc_irqs(&rdev, 4, 1, 1, &d), 0);
	assert_string_equal(log_buf, "root.alloc remap.alloc root.activate remap.activate "
				     "dev.mask dev.write(masked) dev.unmask");
	assert_int_equal(irq_levels(d), 3);
	assert_int_equal(irte[d->levels[1].hwirq], 1u << 8 | (d->levels[2].hwirq & 0xff));
	assert_int_equal(sl.msg[4].address_lo, 0xfee00010u | d->levels[1].hwirq << 5);
	assert_int_equal(remap.live, 1);
	assert_int_equal(root.live, 1);
	/* The move: a new vector, the entry rewritten, the device untouched. */
	sl.writes = 0;
	memset(log_buf, 0, sizeof(log_buf));
	assert_int_equal(irq_set_affinity(d, 2), 0);
	assert_string_equal(log_buf, "root.move remap.irte root.done");
	assert_int_equal(sl.writes, 0);
	assert_int_equal(irq_cpu(d), 2);
	assert_int_equal(irte[d->levels[1].hwirq], d->levels[2].hwirq);
	/* The entry refuses the next move (AMD-Vi's -ERANGE for an APIC ID
	 * above 255 without XTEn): the vector level goes back to the vector
	 * the entry still names, and no level's affinity_done runs (the
	 * vector level would drain and free the vector still in use). */
	{
		uint32_t vec = d->levels[2].hwirq;
		uint32_t errors = irq_stats.errors;

		remap_refuse_move = 1;
		moved_to = ~0u;
		memset(log_buf, 0, sizeof(log_buf));
		assert_int_equal(irq_set_affinity(d, 3), -ERANGE);
		assert_string_equal(log_buf, "root.move remap.refused root.undo");
		assert_int_equal(d->levels[2].hwirq, vec);
		assert_int_equal(irq_cpu(d), 2);
		assert_int_equal(irte[d->levels[1].hwirq], vec);
		assert_int_equal(moved_to, ~0u);
		assert_int_equal(irq_stats.errors, errors + 1);
		remap_refuse_move = 0;
		memset(log_buf, 0, sizeof(log_buf));
		assert_int_equal(irq_set_affinity(d, 1), 0);
		assert_string_equal(log_buf, "root.move remap.irte root.done");
		assert_int_equal(irq_cpu(d), 1);
		assert_int_equal(irte[d->levels[1].hwirq], d->levels[2].hwirq);
	}
	memset(log_buf, 0, sizeof(log_buf));
	msi_free_irqs(&d, 1);
	assert_string_equal(log_buf, "dev.mask remap.deactivate root.deactivate remap.free root.free");
	assert_int_equal(remap.live, 0);
	assert_int_equal(root.live, 0);
	assert_int_equal(rdev.domain->live, 0);
	/* The middle level refuses its entry: the vector below is given back. */
	remap_fail_alloc = 1;
	memset(log_buf, 0, sizeof(log_buf));
	assert_int_equal(msi_alloc_irqs(&rdev, 4, 1, 1, &d), -ENOSPC);
	assert_string_equal(log_buf, "root.alloc remap.alloc root.free");
	remap_fail_alloc = 0;
	/* Its activation fails: the vector level is deactivated, all freed. */
	remap_fail_activate = 1;
	memset(log_buf, 0, sizeof(log_buf));
	assert_int_equal(msi_alloc_irqs(&rdev, 4, 1, 1, &d), -EIO);
	assert_string_equal(log_buf, "root.alloc remap.alloc root.activate remap.activate "
				     "root.deactivate remap.free root.free");
	remap_fail_activate = 0;
	assert_int_equal(remap.live + root.live + rdev.domain->live, 0);
	assert_int_equal(irq_stats.descs_in_use, descs);
	msi_set_remap_lookup(0);
	dev_msi_domain_destroy(rdev.domain);
}

static uint64_t seen_tsc;
static void *seen_arg;

static void on_irq(uint64_t tsc, void *arg)
{
	seen_tsc = tsc;
	seen_arg = arg;
}

static void handler_runs_and_counts(void **state)
{
	struct irq_desc *d;

	(void)state;
	reset(&slot_ops);
	assert_int_equal(msi_alloc_irqs(&dev, 0, 1, 0, &d), 0);
	irq_desc_handle(d, 5);	/* no handler yet: counted only */
	assert_int_equal(d->count, 1);
	assert_int_equal(irq_request(d, on_irq, &sl), 0);
	irq_desc_handle(d, 1234);
	assert_int_equal(d->count, 2);
	assert_int_equal(seen_tsc, 1234);
	assert_ptr_equal(seen_arg, &sl);
	msi_free_irqs(&d, 1);
}

static void descriptor_pool_exhaustion(void **state)
{
	static struct irq_desc *d[IRQ_DESCS_MAX];
	struct irq_alloc_info info = { 0, 0 };
	uint32_t used = irq_stats.descs_in_use, n = 0;
	int e = 0;

	(void)state;
	reset(&slot_ops);
	while (n < IRQ_DESCS_MAX && (d[n] = irq_domain_alloc(&root, &info, &e)))
		n++;
	assert_int_equal(n, IRQ_DESCS_MAX - used);
	assert_null(irq_domain_alloc(&root, &info, &e));
	assert_int_equal(e, -ENOSPC);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(irq_domain_free(d[i]), 0);
	assert_int_equal(irq_stats.descs_in_use, used);
	assert_int_equal(root.live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parent_first_bottom_up),
		cmocka_unit_test(affinity_rewrites_message_masked),
		cmocka_unit_test(atomic_write_needs_no_mask),
		cmocka_unit_test(restore_after_reset),
		cmocka_unit_test(failures_unwind),
		cmocka_unit_test(refusals_and_pending),
		cmocka_unit_test(child_takes_physical_domain),
		cmocka_unit_test(remapped_hierarchy),
		cmocka_unit_test(handler_runs_and_counts),
		cmocka_unit_test(descriptor_pool_exhaustion),
	};
	return RUN(tests);
}
