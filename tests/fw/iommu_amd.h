/* SPDX-License-Identifier: MIT */
/* The iommu.* tests on AMD-Vi (tests/fw/iommu_amd.c): each runs in place of
 * the VT-d body of the same name in tests/fw/iommu.c when the firmware
 * describes an IVRS. */
#ifndef TESTS_FW_IOMMU_AMD_H
#define TESTS_FW_IOMMU_AMD_H

#include "tests/harness/test.h"
#include "drivers/iommu/amd/irq_remap.h"

void amd_units(struct test_ctx *t);
void amd_devices_remapped(struct test_ctx *t);
void amd_affinity_rewrites_only_irte(struct test_ctx *t);
void amd_handover_of_a_live_unit(struct test_ctx *t);
void amd_remapping_cost_ratio(struct test_ctx *t);
void amd_mask_source_vs_irte(struct test_ctx *t);
void amd_bad_handle_blocked(struct test_ctx *t);
void amd_nonpresent_irte_blocked(struct test_ctx *t);
void amd_source_id_mismatch_blocked(struct test_ctx *t);
void amd_compat_format_blocked(struct test_ctx *t);
void amd_dma_msi_injection_blocked(struct test_ctx *t);
void amd_requester_id_behind_bridge(struct test_ctx *t);
void amd_fault_storm(struct test_ctx *t);

#endif
