/* SPDX-License-Identifier: MIT */
/*
 * VT-d interrupt remapping: the IRTE, the remappable-format message and the
 * invalidation descriptors. See Intel VT-d Specification 4.1, 5.1.4
 * (interrupt remapping table), 5.1.5.2 (remappable interrupt request
 * format), 9.10 (IRTE), 6.5.2.7 (IEC invalidate descriptor), 6.5.2.8
 * (invalidation wait descriptor).
 */
#ifndef DRIVERS_IOMMU_INTEL_IRTE_H
#define DRIVERS_IOMMU_INTEL_IRTE_H

#include <stdint.h>
#include "arch/x86/msi_msg.h"

struct irte {
	uint64_t lo, hi;
};
_Static_assert(sizeof(struct irte) == 16, "VT-d 9.10: an IRTE is 128 bits");

/* The low 64 bits (lo). */
#define IRTE_P			(1ull << 0)
#define IRTE_FPD		(1ull << 1)	/* fault processing disable */
#define IRTE_DM_LOGICAL		(1ull << 2)
#define IRTE_TM_LEVEL		(1ull << 4)
#define IRTE_VECTOR(v)		((uint64_t)(v) << 16)	/* bits 23:16 */
#define IRTE_VECTOR_OF(lo)	(((lo) >> 16) & 0xff)
#define IRTE_DST_XAPIC(id)	((uint64_t)(id) << 40)	/* DST[15:8]: bits 47:40 */
#define IRTE_DST_XAPIC_OF(lo)	(((lo) >> 40) & 0xff)
#define IRTE_DST_X2APIC(id)	((uint64_t)(id) << 32)	/* bits 63:32 */
#define IRTE_DST_X2APIC_OF(lo)	((lo) >> 32)
/* The high 64 bits (hi). */
#define IRTE_SID(rid)		((uint64_t)(rid))	/* bits 79:64 */
#define IRTE_SID_OF(hi)		((hi) & 0xffff)
#define IRTE_SQ(q)		((uint64_t)(q) << 16)	/* source-id qualifier, bits 81:80 */
# define IRTE_SQ_ALL		0	/* compare all 16 bits of the SID */
# define IRTE_SQ_IGNORE_2_0	3	/* ignore the function (Linux: SQ_13_IGNORE_3, HPET) */
#define IRTE_SQ_OF(hi)		(((hi) >> 16) & 3)
#define IRTE_SVT_MASK		(3ull << 18)	/* source validation type */
#define IRTE_SVT_RID		(1ull << 18)	/* verify SID (with SQ) */
#define IRTE_SVT_BUS		(2ull << 18)	/* verify bus range */

/* Remappable-format MSI address (5.1.5.2). */
#define IR_MSI_FORMAT		(1u << 4)
#define IR_MSI_SHV		(1u << 3)
#define IR_MSI_HANDLE_LO(h)	(((uint32_t)(h) & 0x7fff) << 5)
#define IR_MSI_HANDLE_HI(h)	((((uint32_t)(h) >> 15) & 1) << 2)

/* A present, fixed, edge, physical-destination IRTE for `vector` on the
 * CPU with `apic_id`, checking the requester ID `sid` (sid < 0: none) with
 * qualifier `sq` (IRTE_SQ_ALL for a PCI function). */
struct irte irte_compose(uint8_t vector, uint32_t apic_id, int x2apic, int sid, uint8_t sq);

/* The message a device writes for IRTE `handle` (subhandle with SHV for
 * multiple vectors; shv = 0 for one). */
void ir_msg_compose(uint32_t handle, int shv, uint16_t subhandle, struct msi_msg *msg);

/* The interrupt index a remappable message selects, or -1 for a
 * compatibility-format one. */
int ir_msg_index(const struct msi_msg *msg);

/* Invalidation queue descriptors (128-bit). */
struct qi_desc {
	uint64_t lo, hi;
};

#define QI_IEC			0x4
# define QI_IEC_SELECTIVE	(1ull << 4)
# define QI_IEC_IIDX(i)		((uint64_t)(i) << 32)
# define QI_IEC_IM(m)		((uint64_t)(m) << 27)
#define QI_WAIT			0x5
# define QI_WAIT_IF		(1ull << 4)
# define QI_WAIT_SW		(1ull << 5)
# define QI_WAIT_FN		(1ull << 6)
# define QI_WAIT_DATA(d)	((uint64_t)(d) << 32)

struct qi_desc qi_iec(int selective, uint16_t index);
/* Status write of `data` to `status_addr` (4-byte aligned). */
struct qi_desc qi_wait(uint32_t data, uint64_t status_addr, int interrupt);

#endif
