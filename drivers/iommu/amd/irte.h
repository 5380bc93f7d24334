/* SPDX-License-Identifier: MIT */
/*
 * AMD-Vi interrupt remapping: the IRTE in both formats, the interrupt
 * fields of a device table entry, the message a device sends, and the two
 * commands an IRTE change needs. See AMD I/O Virtualization Technology
 * (IOMMU) Specification 48882 rev 3.08: 2.2.2 (device table entry, bits
 * 255:128), 2.2.5 (interrupt remapping tables), 2.4 (commands:
 * COMPLETION_WAIT 01h, INVALIDATE_DEVTAB_ENTRY 02h,
 * INVALIDATE_INTERRUPT_TABLE 05h); checked against Linux's
 * drivers/iommu/amd/amd_iommu_types.h (union irte, irte_ga_lo/hi,
 * DTE_IRQ_*) and iommu.c (build_completion_wait, build_inv_dte,
 * build_inv_irt). Pure: host-tested (tests/host/test_amd_irte.c). No
 * driver uses it yet.
 */
#ifndef DRIVERS_IOMMU_AMD_IRTE_H
#define DRIVERS_IOMMU_AMD_IRTE_H

#include <stdint.h>
#include "arch/x86/msi_msg.h"

/* 32-bit IRTE (Control.GAEn = 0): 8-bit destinations. */
#define AMD_IRTE_REMAP_EN	(1u << 0)
#define AMD_IRTE_SUP_IOPF	(1u << 1)	/* no IO_PAGE_FAULT event for it */
#define AMD_IRTE_DM_LOGICAL	(1u << 6)
#define AMD_IRTE_DEST(id)	((uint32_t)(id) << 8)	/* bits 15:8 */
#define AMD_IRTE_VECTOR(v)	((uint32_t)(v) << 16)	/* bits 23:16 */

/* 128-bit IRTE (Control.GAEn = 1, GuestMode = 0): 32-bit destinations,
 * split into bits 31:8 of the low qword and 63:56 of the high one. */
struct amd_irte_ga {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct amd_irte_ga) == 16, "48882 2.2.5.2: 128 bits");

/* Usable indices: the IOMMU reads the MSI data's bits 10:8 as the message
 * type too, so only 0x000-0x1ff (fixed and arbitrated) reach the table
 * without EFR2's 2K-entry mode (2.2.5; Linux caps tables at 512). */
#define AMD_IRTE_INDEX_MAX	0x1ff

/* A remapped, fixed, physical-destination entry for `vector` on the CPU
 * with `apic_id`. The 32-bit form returns 0 for an APIC ID above 255 (it
 * cannot hold one: the caller must use the 128-bit form, which needs
 * Control.XTEn for 32-bit IDs). */
uint32_t amd_irte32(uint8_t vector, uint32_t apic_id);
struct amd_irte_ga amd_irte_ga(uint8_t vector, uint32_t apic_id);
/* Decoded back (for tests and dumps): 1 with *vector and *apic_id when the
 * entry remaps (RemapEn), else 0. */
int amd_irte32_decode(uint32_t e, uint8_t *vector, uint32_t *apic_id);
int amd_irte_ga_decode(struct amd_irte_ga e, uint8_t *vector, uint32_t *apic_id);

/* A device table entry's interrupt qword (bits 191:128): IV, IntTabLen
 * (2^len entries), IntCtl = 2 (remap fixed and arbitrated messages through
 * the table), IG = 0 (an unmapped interrupt is an IO_PAGE_FAULT), the table
 * root (bits 51:6 of its address: 64-byte aligned, `root & 63` must be 0)
 * and the passes for INIT, ExtInt and NMI off. 0 for a length above 11 or
 * a misaligned root. */
#define AMD_DTE_IV		(1ull << 0)
#define AMD_DTE_INTTABLEN(n)	((uint64_t)(n) << 1)	/* bits 132:129 */
#define AMD_DTE_IG		(1ull << 5)
#define AMD_DTE_INTCTL_REMAP	(2ull << 60)		/* bits 189:188 */
#define AMD_DTE_ROOT_MASK	0x000fffffffffffc0ull	/* bits 179:134 = address 51:6 */
uint64_t amd_dte_intr(uint64_t root, uint32_t len_log2);

/* The passes of the same qword (48882 2.2.2.2; Linux DEV_ENTRY_INIT_PASS
 * 0xb8, EINT_PASS 0xb9, NMI_PASS 0xba, LINT0_PASS 0xbe, LINT1_PASS 0xbf):
 * INIT, ExtInt, NMI, LINT0 and LINT1 messages pass unremapped instead of
 * being aborted. Firmware asks for them in each IVHD device entry's DTE
 * setting byte (48882 5.2.2.3: bit 0 INITPass, 1 EIntPass, 2 NMIPass,
 * 6 Lint0Pass, 7 Lint1Pass; Linux ACPI_DEVFLAG_*, set_dev_entry_from_acpi),
 * whose bits sit 56 above in the qword. */
#define AMD_DTE_INIT_PASS	(1ull << 56)
#define AMD_DTE_EINT_PASS	(1ull << 57)
#define AMD_DTE_NMI_PASS	(1ull << 58)
#define AMD_DTE_LINT0_PASS	(1ull << 62)
#define AMD_DTE_LINT1_PASS	(1ull << 63)
#define AMD_DTE_PASS_MASK	(AMD_DTE_INIT_PASS | AMD_DTE_EINT_PASS | AMD_DTE_NMI_PASS | \
				 AMD_DTE_LINT0_PASS | AMD_DTE_LINT1_PASS)
uint64_t amd_dte_pass(uint8_t ivhd_data);

/* An XT interrupt control register's value (48882 MMIO 0170h-0180h;
 * Linux union intcapxt and intcapxt_unmask_irq): DestMode bit 2 (0:
 * physical), destination 23:0 in bits 31:8, vector 39:32, destination
 * 31:24 in bits 63:56. With Control.IntCapXTEn the IOMMU sends its own
 * interrupts so, not through its PCI MSI capability, whose 8-bit
 * destination cannot name an x2APIC ID. */
uint64_t amd_intcapxt(uint8_t vector, uint32_t apic_id);

/* The message a device sends for IRTE `index`: address 0xFEE00000, data
 * the index (no destination, mode or handle bits: the requester ID picks
 * the table). -1 for an index beyond AMD_IRTE_INDEX_MAX. */
int amd_msg_compose(uint32_t index, struct msi_msg *msg);

/* Commands (128 bits, 2.4). */
struct amd_cmd {
	uint32_t w[4];
};
#define AMD_CMD_COMPLETION_WAIT		0x1
#define AMD_CMD_INV_DEVTAB_ENTRY	0x2
#define AMD_CMD_INV_INTR_TABLE		0x5
/* COMPLETION_WAIT with a store of `data` to `store_addr` (8-byte aligned). */
struct amd_cmd amd_cmd_completion_wait(uint64_t store_addr, uint64_t data);
struct amd_cmd amd_cmd_inv_devtab_entry(uint16_t devid);
struct amd_cmd amd_cmd_inv_intr_table(uint16_t devid);

#endif
