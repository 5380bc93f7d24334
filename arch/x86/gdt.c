// SPDX-License-Identifier: MIT
/*
 * Our own GDT with a 64-bit TSS whose IST stacks take #NMI, #DF and #MC.
 * See Intel SDM Vol. 3A, 3.4.5 (segment descriptors), 7.2.3 (64-bit TSS),
 * 6.14.5 (interrupt stack table).
 */
#include "arch/x86/desc.h"

#define IST_STACK_SIZE 16384

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes");

struct gdtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static struct tss64 tss;
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
static uint64_t gdt[5] __attribute__((aligned(16)));

void gdt_load(const struct gdtr *g, uint16_t code_sel, uint16_t data_sel);

void gdt_init(void)
{
	uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
	struct gdtr g = { sizeof(gdt) - 1, (uintptr_t)gdt };

	for (int i = 0; i < 3; i++)
		tss.ist[i] = (uintptr_t)&ist_stacks[i][IST_STACK_SIZE];
	tss.iomap_base = sizeof(tss);	/* no I/O permission map */

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull;	/* code: P, DPL0, L, exec/read */
	gdt[2] = 0x00cf92000000ffffull;	/* data: P, DPL0, read/write */
	/* TSS descriptor, 16 bytes: type 9 (available 64-bit TSS), P. */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	gdt_load(&g, SEL_CODE64, SEL_DATA);
	asm volatile("ltr %w0" : : "r"(SEL_TSS));
}
