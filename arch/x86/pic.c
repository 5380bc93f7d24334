// SPDX-License-Identifier: MIT
/*
 * The legacy 8259A pair: moved to vectors 0x20-0x2f and fully masked, so a
 * stray legacy interrupt can never look like a CPU exception.
 * See Intel 8259A data sheet (ICW1-ICW4, OCW1).
 */
#include "arch/x86/pic.h"
#include "arch/x86/cpu.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define ICW1_INIT_ICW4	0x11	/* edge, cascade, ICW4 follows */
#define ICW4_8086	0x01

void pic_disable(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, 0x20);		/* ICW2: vector base */
	outb(PIC2_DATA, 0x28);
	outb(PIC1_DATA, 0x04);		/* ICW3: slave on IR2 */
	outb(PIC2_DATA, 0x02);		/* ICW3: slave identity */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, 0xff);		/* OCW1: mask all */
	outb(PIC2_DATA, 0xff);
}
