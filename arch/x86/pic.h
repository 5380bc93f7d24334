/* SPDX-License-Identifier: MIT */
#ifndef ARCH_X86_PIC_H
#define ARCH_X86_PIC_H

void pic_disable(void);

#endif
