// SPDX-License-Identifier: MIT
/* AMD-Vi IRTEs, DTE interrupt fields, messages, commands (drivers/iommu/amd/irte.h). */
#include "drivers/iommu/amd/irte.h"

#define MSI_ADDR_BASE		0xfee00000u
#define CMD_OPCODE(op)		((uint32_t)(op) << 28)	/* bits 63:60 */
#define CMD_CW_STORE		(1u << 0)		/* completion wait: S */

uint32_t amd_irte32(uint8_t vector, uint32_t apic_id)
{
	if (apic_id > 0xff)
		return 0;
	return AMD_IRTE_REMAP_EN | AMD_IRTE_DEST(apic_id) | AMD_IRTE_VECTOR(vector);
}

struct amd_irte_ga amd_irte_ga(uint8_t vector, uint32_t apic_id)
{
	return (struct amd_irte_ga){
		.lo = AMD_IRTE_REMAP_EN | (uint64_t)(apic_id & 0xffffff) << 8,
		.hi = vector | (uint64_t)(apic_id >> 24) << 56,
	};
}

int amd_irte32_decode(uint32_t e, uint8_t *vector, uint32_t *apic_id)
{
	*vector = (uint8_t)(e >> 16);
	*apic_id = (e >> 8) & 0xff;
	return e & AMD_IRTE_REMAP_EN;
}

int amd_irte_ga_decode(struct amd_irte_ga e, uint8_t *vector, uint32_t *apic_id)
{
	*vector = (uint8_t)e.hi;
	*apic_id = (uint32_t)((e.lo >> 8) & 0xffffff) | (uint32_t)(e.hi >> 56) << 24;
	return (int)(e.lo & AMD_IRTE_REMAP_EN);
}

uint64_t amd_dte_intr(uint64_t root, uint32_t len_log2)
{
	if (len_log2 > 11 || (root & 63) || (root & ~AMD_DTE_ROOT_MASK))
		return 0;
	return AMD_DTE_IV | AMD_DTE_INTTABLEN(len_log2) | root | AMD_DTE_INTCTL_REMAP;
}

int amd_msg_compose(uint32_t index, struct msi_msg *msg)
{
	if (index > AMD_IRTE_INDEX_MAX)
		return -1;
	*msg = (struct msi_msg){ .address_lo = MSI_ADDR_BASE, .address_hi = 0, .data = index };
	return 0;
}

struct amd_cmd amd_cmd_completion_wait(uint64_t store_addr, uint64_t data)
{
	return (struct amd_cmd){ .w = {
		(uint32_t)store_addr | CMD_CW_STORE,
		CMD_OPCODE(AMD_CMD_COMPLETION_WAIT) | (uint32_t)(store_addr >> 32),
		(uint32_t)data, (uint32_t)(data >> 32) } };
}

struct amd_cmd amd_cmd_inv_devtab_entry(uint16_t devid)
{
	return (struct amd_cmd){ .w = { devid, CMD_OPCODE(AMD_CMD_INV_DEVTAB_ENTRY), 0, 0 } };
}

struct amd_cmd amd_cmd_inv_intr_table(uint16_t devid)
{
	return (struct amd_cmd){ .w = { devid, CMD_OPCODE(AMD_CMD_INV_INTR_TABLE), 0, 0 } };
}

uint64_t amd_dte_pass(uint8_t ivhd_data)
{
	return (uint64_t)(ivhd_data & 0xc7) << 56;	/* SysMgt (bits 5:4) is not in this qword */
}

uint64_t amd_intcapxt(uint8_t vector, uint32_t apic_id)
{
	return (uint64_t)(apic_id & 0xffffff) << 8 | (uint64_t)vector << 32 |
	       (uint64_t)(apic_id >> 24) << 56;
}
