// SPDX-License-Identifier: MIT
/*
 * Each CPU's own GDT, with a 64-bit TSS whose IST stacks take #NMI, #DF and
 * #MC, and GS_BASE for this_cpu(). See Intel SDM Vol. 3A, 3.4.5 (segment
 * descriptors), 7.2.3 (64-bit TSS descriptor), 6.14.5 (interrupt stack table).
 */
#include "arch/x86/desc.h"
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"

#define IST_STACK_SIZE 16384

struct gdtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct cpu cpus[CPUS_MAX];
uint32_t cpus_online;
static uint8_t bsp_ist[3][IST_STACK_SIZE] __attribute__((aligned(16)));

void gdt_load(const struct gdtr *g, uint16_t code_sel, uint16_t data_sel);

void cpu_desc_init(struct cpu *c, const uint64_t ist_top[3])
{
	uint64_t base = (uintptr_t)&c->tss, limit = sizeof(c->tss) - 1;
	struct gdtr g = { .limit = sizeof(c->gdt) - 1, .base = (uintptr_t)c->gdt };

	c->self = c;
	for (int i = 0; i < 3; i++)
		c->tss.ist[i] = ist_top[i];
	c->tss.iomap_base = sizeof(c->tss);	/* no I/O permission map */

	c->gdt[0] = 0;
	c->gdt[1] = 0x00af9a000000ffffull;	/* code: P, DPL0, L, exec/read */
	c->gdt[2] = 0x00cf92000000ffffull;	/* data: P, DPL0, read/write */
	/* TSS descriptor, 16 bytes: type 9 (available 64-bit TSS), P. */
	c->gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	c->gdt[4] = base >> 32;

	gdt_load(&g, SEL_CODE64, SEL_DATA);	/* also zeroes GS_BASE */
	asm volatile("ltr %w0" : : "r"(SEL_TSS));
	wrmsr(MSR_GS_BASE, (uintptr_t)c);
}

void gdt_init(void)
{
	uint64_t ist[3];

	for (int i = 0; i < 3; i++)
		ist[i] = (uintptr_t)&bsp_ist[i][IST_STACK_SIZE];
	cpus[0].index = 0;
	cpu_desc_init(&cpus[0], ist);
}
