// SPDX-License-Identifier: MIT
/* Which IOMMU family, and whether it remaps (drivers/iommu/iommu.h). */
#include "drivers/iommu/iommu.h"
#include "drivers/iommu/amd/irq_remap.h"
#include "drivers/iommu/intel/irq_remap.h"
#include "lib/console.h"

void iommu_init(int want_ir, const struct mem_region *map, uint32_t nregions)
{
	ir_init(want_ir, map, nregions);
	if (ir.have_dmar)
		return;
	amd_ir_init(want_ir, map, nregions);
	for (uint32_t i = 0; i < amd_ir.ivrs.warn.n && i < ACPI_ERRORS_MAX; i++)
		warn("ivrs: %s", amd_ir.ivrs.warn.msg[i]);
}

const char *iommu_name(void)
{
	return ir.have_dmar ? "vt-d" : amd_ir.have_ivrs ? "amd-vi" : "none";
}

int iommu_ir_enabled(void)
{
	return ir_remapping_unit() || amd_ir_remapping_unit();
}

const char *iommu_ir_off_reason(void)
{
	return amd_ir.have_ivrs ? amd_ir_off_reason() : ir_off_reason();
}
