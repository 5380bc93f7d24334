// SPDX-License-Identifier: MIT
/* IRTE, remappable message and descriptor encoding: pure, host-tested
 * (tests/host/test_vtd.c). Layouts: VT-d 4.1, 9.10, 5.1.5.2, 6.5.2.7-8. */
#include "drivers/iommu/intel/irte.h"

struct irte irte_compose(uint8_t vector, uint32_t apic_id, int x2apic, int sid, uint8_t sq)
{
	struct irte e;

	e.lo = IRTE_P | IRTE_VECTOR(vector) |
	       (x2apic ? IRTE_DST_X2APIC(apic_id) : IRTE_DST_XAPIC(apic_id & 0xff));
	e.hi = sid < 0 ? 0 : IRTE_SID((uint16_t)sid) | IRTE_SQ(sq & 3) | IRTE_SVT_RID;
	return e;
}

void ir_msg_compose(uint32_t handle, int shv, uint16_t subhandle, struct msi_msg *msg)
{
	msg->address_lo = 0xfee00000u | IR_MSI_HANDLE_LO(handle) | IR_MSI_FORMAT |
			  (shv ? IR_MSI_SHV : 0) | IR_MSI_HANDLE_HI(handle);
	msg->address_hi = 0;
	msg->data = shv ? subhandle : 0;
}

int ir_msg_index(const struct msi_msg *msg)
{
	uint32_t a = msg->address_lo, h;

	if (!(a & IR_MSI_FORMAT))
		return -1;
	h = ((a >> 5) & 0x7fff) | ((a >> 2) & 1) << 15;
	return (int)(h + ((a & IR_MSI_SHV) ? (msg->data & 0xffff) : 0));
}

struct qi_desc qi_iec(int selective, uint16_t index)
{
	return (struct qi_desc){ .lo = QI_IEC | (selective ? QI_IEC_SELECTIVE | QI_IEC_IIDX(index) : 0) };
}

struct qi_desc qi_wait(uint32_t data, uint64_t status_addr, int interrupt)
{
	/* Status write or interrupt, never both: QEMU 7.2 and 10 abort on the
	 * pair (docs/qemu.md). */
	if (interrupt)
		return (struct qi_desc){ .lo = QI_WAIT | QI_WAIT_IF | QI_WAIT_FN };
	return (struct qi_desc){ .lo = QI_WAIT | QI_WAIT_SW | QI_WAIT_FN | QI_WAIT_DATA(data),
				 .hi = status_addr & ~3ull };
}
