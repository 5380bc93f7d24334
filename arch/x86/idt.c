// SPDX-License-Identifier: MIT
/*
 * The IDT: one interrupt gate per vector, pointing at the 16-byte stubs of
 * arch/x86/entry.asm. See Intel SDM Vol. 3A, 6.14.1 (64-bit IDT gates).
 */
#include "arch/x86/desc.h"

#define STUB_SIZE 16
#define GATE_INTR64 0x8e	/* P, DPL0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate is 16 bytes");

struct idtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const char isr_stubs[];
static struct idt_gate idt[256] __attribute__((aligned(16)));

void idt_load(void)
{
	struct idtr r = { .limit = sizeof(idt) - 1, .base = (uintptr_t)idt };

	asm volatile("lidt %0" : : "m"(r));
}

void idt_init(void)
{

	for (int v = 0; v < 256; v++) {
		uint64_t off = (uintptr_t)(isr_stubs + v * STUB_SIZE);

		idt[v] = (struct idt_gate){
			.off_lo = off & 0xffff,
			.sel = SEL_CODE64,
			.ist = v == VEC_NMI ? IST_NMI : v == VEC_DF ? IST_DF :
			       v == VEC_MC ? IST_MC : 0,
			.type = GATE_INTR64,
			.off_mid = (off >> 16) & 0xffff,
			.off_hi = off >> 32,
		};
	}
	idt_load();
}
