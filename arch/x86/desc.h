/* SPDX-License-Identifier: MIT */
/* GDT, TSS and IDT. See Intel SDM Vol. 3A, 3.4.5, 6.10-6.14, 8.7. */
#ifndef ARCH_X86_DESC_H
#define ARCH_X86_DESC_H

#include <stdint.h>

#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_TSS		0x18

/* IST slots (1-based, as the IDT gate names them). */
#define IST_NMI		1
#define IST_DF		2
#define IST_MC		3

#define VEC_NMI		2
#define VEC_DF		8
#define VEC_MC		18

void gdt_init(void);
void idt_init(void);	/* build the IDT and load it */
void idt_load(void);	/* load it on another CPU */

#endif
