// SPDX-License-Identifier: MIT
/* The family the firmware describes, and what is the same on every one
 * (drivers/iommu/iommu.h). */
#include "drivers/iommu/iommu.h"
#include "lib/printf.h"

/* In the order they are probed: a machine has one kind. */
static const struct iommu_ops *const families[] = { &vtd_iommu_ops, &amdvi_iommu_ops };
static const struct iommu_ops *found;

void iommu_init(int want_ir, const struct mem_region *map, uint32_t nregions)
{
	found = 0;
	for (uint32_t i = 0; i < sizeof(families) / sizeof(families[0]) && !found; i++)
		if (families[i]->init(want_ir, map, nregions))
			found = families[i];
}

const struct iommu_ops *iommu(void)
{
	return found;
}

const char *iommu_name(void)
{
	return found ? found->name : "none";
}

const char *iommu_qemu_device(void)
{
	return found ? found->qemu_device : "";
}

struct iommu_unit *iommu_remapping_unit(void)
{
	return found ? found->remapping_unit() : 0;
}

int iommu_ir_enabled(void)
{
	return iommu_remapping_unit() != 0;
}

const char *iommu_ir_off_reason(void)
{
	return found ? found->off_reason() : "no DMAR or IVRS table";
}

uint32_t iommu_entries_in_use(void)
{
	return found ? found->entries_in_use() : 0;
}

struct iommu_unit *iommu_entry_of(const struct irq_desc *irq, struct iommu_entry *e)
{
	return found ? found->entry_of(irq, e) : 0;
}

int iommu_entry_mask(struct irq_desc *irq, int masked)
{
	return found->entry_mask(irq, masked);
}

int iommu_platform_covered(const struct msi_device *dev)
{
	return !found || found->platform_covered(dev);
}

void iommu_yaml(struct iommu_report *r, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	r->yaml(r->arg, line);
}

int iommu_check(struct iommu_report *r, int cond, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (cond)
		return 1;
	va_start(ap, fmt);
	kvsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	r->fail(r->arg, why);
	return 0;
}
