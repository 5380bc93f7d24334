// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * msilab's oracle module: memcpy through an idxd kernel work queue's
 * dmaengine channel, each descriptor with a completion interrupt
 * (DMA_PREP_INTERRUPT: idxd sets IDXD_OP_FLAG_RCI, Linux's drivers/dma/idxd/dma.c
 * op_flag_setup), and the copied data checked. Debian's kernel has no
 * dmatest (CONFIG_DMATEST is not set), hence this module.
 *
 *   insmod msilab_dsa_memcpy.ko count=N burst=0|1
 *
 * burst=0: one descriptor at a time, each waited for, so the work queue's
 * "idxd-portal" line in /proc/interrupts must grow by exactly N.
 * burst=1: all N submitted before the first is waited for (idxd blocks in
 * idxd_alloc_desc when the queue is full); messages may merge in the APIC,
 * so only the data is exact.
 * It prints one line per failure and "msilab_dsa: done ..." at the end,
 * the result. After a failure the module stays loaded, its buffers
 * allocated and mapped: a descriptor still outstanding may complete (or
 * be aborted by idxd's disable) later, and its callback and memory must
 * still be there. Init fails only when there is no channel.
 */
#include <linux/module.h>
#include <linux/dmaengine.h>
#include <linux/dma-mapping.h>
#include <linux/completion.h>
#include <linux/slab.h>

static unsigned int count = 32;
module_param(count, uint, 0444);
MODULE_PARM_DESC(count, "descriptors to submit");
static bool burst;
module_param(burst, bool, 0444);
MODULE_PARM_DESC(burst, "submit all before waiting for any");
static unsigned int timeout_ms = 5000;
module_param(timeout_ms, uint, 0444);
MODULE_PARM_DESC(timeout_ms, "how long one descriptor may take");

#define GUARD 64
/* Lengths and misalignments each descriptor cycles through. */
static const size_t lens[] = { 4096, 1, 63, 64, 65, 4097, 8192, 12345 };
#define MAXLEN 12345

struct job {
	struct completion done;
	enum dmaengine_tx_result result;
	bool called;
	u8 *src, *dst;
	size_t len;
	dma_addr_t src_dma, dst_dma;
	dma_cookie_t cookie;
};

static bool is_idxd_chan(struct dma_chan *chan, void *param)
{
	struct device *dev = chan->device->dev;

	return dev && dev->driver && !strcmp(dev->driver->name, "idxd");
}

static void job_done(void *arg, const struct dmaengine_result *res)
{
	struct job *j = arg;

	j->result = res ? res->result : DMA_TRANS_NOERROR;
	j->called = true;
	complete(&j->done);
}

static u8 pattern(unsigned int i, size_t k)
{
	return (u8)(i * 131 + k * 7 + (k >> 8));
}

static int job_prepare(struct dma_chan *chan, struct job *j, unsigned int i)
{
	struct device *dev = chan->device->dev;
	size_t k;

	j->len = lens[i % ARRAY_SIZE(lens)];
	j->src = kmalloc(MAXLEN + GUARD + 8, GFP_KERNEL);
	j->dst = kmalloc(MAXLEN + GUARD + 8, GFP_KERNEL);
	if (!j->src || !j->dst)
		return -ENOMEM;
	/* Misaligned by 0..7 bytes, differently on each side. */
	j->src += i % 8;
	j->dst += (i * 3) % 8;
	for (k = 0; k < j->len; k++)
		j->src[k] = pattern(i, k);
	memset(j->dst, 0xa5, j->len + GUARD);
	init_completion(&j->done);
	j->src_dma = dma_map_single(dev, j->src, j->len, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, j->src_dma))
		return -ENOMEM;
	j->dst_dma = dma_map_single(dev, j->dst, j->len + GUARD, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, j->dst_dma))
		return -ENOMEM;
	return 0;
}

static int job_submit(struct dma_chan *chan, struct job *j, unsigned int i)
{
	struct dma_async_tx_descriptor *tx;

	tx = dmaengine_prep_dma_memcpy(chan, j->dst_dma, j->src_dma, j->len,
				       DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	if (!tx) {
		pr_err("msilab_dsa: descriptor %u: prep_dma_memcpy(%zu bytes) refused\n", i, j->len);
		return -EIO;
	}
	tx->callback_result = job_done;
	tx->callback_param = j;
	j->cookie = dmaengine_submit(tx);
	if (dma_submit_error(j->cookie)) {
		pr_err("msilab_dsa: descriptor %u: submit failed: %d\n", i, j->cookie);
		return -EIO;
	}
	dma_async_issue_pending(chan);
	return 0;
}

/* 0 when the descriptor completed, successfully, with the right bytes. */
static int job_check(struct dma_chan *chan, struct job *j, unsigned int i,
		     unsigned int wait_ms)
{
	struct device *dev = chan->device->dev;
	size_t k;

	if (!wait_for_completion_timeout(&j->done, msecs_to_jiffies(wait_ms))) {
		/* Still the device's: leave the buffers mapped. */
		pr_err("msilab_dsa: descriptor %u: no completion in %u ms\n", i, wait_ms);
		return -ETIMEDOUT;
	}
	dma_unmap_single(dev, j->src_dma, j->len, DMA_TO_DEVICE);
	dma_unmap_single(dev, j->dst_dma, j->len + GUARD, DMA_BIDIRECTIONAL);
	if (j->result != DMA_TRANS_NOERROR) {
		pr_err("msilab_dsa: descriptor %u: completed with result %d\n", i, j->result);
		return -EIO;
	}
	for (k = 0; k < j->len; k++)
		if (j->dst[k] != pattern(i, k)) {
			pr_err("msilab_dsa: descriptor %u: byte %zu of %zu is %#x, want %#x\n",
			       i, k, j->len, j->dst[k], pattern(i, k));
			return -EIO;
		}
	for (k = j->len; k < j->len + GUARD; k++)
		if (j->dst[k] != 0xa5) {
			pr_err("msilab_dsa: descriptor %u: byte %zu past the %zu copied was written\n",
			       i, k, j->len);
			return -EIO;
		}
	return 0;
}

static int __init msilab_dsa_init(void)
{
	dma_cap_mask_t mask;
	struct dma_chan *chan;
	struct job *jobs;
	unsigned int i, good = 0, submitted = 0;
	int rc = 0;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	chan = dma_request_channel(mask, is_idxd_chan, NULL);
	if (!chan) {
		pr_err("msilab_dsa: no idxd memcpy channel (is a kernel wq enabled?)\n");
		return -ENODEV;
	}
	pr_info("msilab_dsa: channel %s of %s, %u descriptors, %s\n", dma_chan_name(chan),
		dev_name(chan->device->dev), count, burst ? "burst" : "one at a time");

	jobs = kcalloc(count, sizeof(*jobs), GFP_KERNEL);
	if (!jobs) {
		dma_release_channel(chan);
		return -ENOMEM;
	}
	for (i = 0; i < count && !rc; i++) {
		rc = job_prepare(chan, &jobs[i], i);
		if (!rc)
			rc = job_submit(chan, &jobs[i], i);
		if (rc)
			break;
		submitted++;
		if (!burst) {
			rc = job_check(chan, &jobs[i], i, timeout_ms);
			good += !rc;
		}
	}
	/* In a burst, after one descriptor timed out the rest get no wait. */
	if (burst)
		for (i = 0, rc = 0; i < submitted; i++) {
			rc = job_check(chan, &jobs[i], i, rc == -ETIMEDOUT ? 0 : timeout_ms);
			good += !rc;
		}
	pr_info("msilab_dsa: done %s: %u of %u descriptors correct\n",
		burst ? "burst" : "one at a time", good, count);
	if (good != count)
		return 0;	/* the channel, buffers and module kept: see above */
	for (i = 0; i < count; i++) {
		kfree(jobs[i].src - i % 8);
		kfree(jobs[i].dst - (i * 3) % 8);
	}
	kfree(jobs);
	dma_release_channel(chan);
	return 0;
}

static void __exit msilab_dsa_exit(void)
{
}

module_init(msilab_dsa_init);
module_exit(msilab_dsa_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("msilab: memcpy through an idxd kernel work queue, data checked");
