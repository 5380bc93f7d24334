; SPDX-License-Identifier: MIT
; Multiboot (v1, a.out kludge) and Multiboot2 headers, and the 32-bit entry
; that enters long mode and calls mb_main(magic, info) on the kernel stack.
; See Multiboot 0.6.96 section 3.1 (header, address fields with flag 16),
; Multiboot2 2.0 section 3.1 (header), and Intel SDM Vol. 3A 9.8.5
; (initializing IA-32e mode).

%include "arch/x86/long_mode.inc"

extern mb_main
extern kernel_stack_top
extern __image_start, __load_end, __bss_end

MB1_MAGIC	equ 0x1BADB002
MB1_FLAGS	equ (1 << 1) | (1 << 16)	; memory info; address fields valid
MB2_MAGIC	equ 0xE85250D6
MB2_ARCH_I386	equ 0

section .multiboot progbits alloc exec nowrite align=8
bits 32
align 4
mb1_header:
	dd MB1_MAGIC
	dd MB1_FLAGS
	dd -(MB1_MAGIC + MB1_FLAGS)
	dd mb1_header		; header_addr
	dd __image_start	; load_addr
	dd __load_end		; load_end_addr
	dd __bss_end		; bss_end_addr
	dd mb_entry32		; entry_addr

align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	dw 0, 0			; end tag
	dd 8
mb2_header_end:

; Entered in 32-bit protected mode, paging off, EAX = magic, EBX = info.
global mb_entry32
mb_entry32:
	cli
	cld
	mov esp, boot_stack_top
	mov [mb_magic], eax
	mov [mb_info], ebx

	; Long mode available? (CPUID 0x80000001 EDX bit 29)
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz no_long_mode

	; Identity-map the first 4 GiB with 2 MiB pages. kernel_main replaces it.
	mov eax, boot_pdpt
	or eax, 3
	mov [boot_pml4], eax
	xor ecx, ecx
.pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, boot_pd
	or eax, 3
	mov [boot_pdpt + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .pdpt
	xor ecx, ecx
.pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83			; present, writable, 2 MiB
	mov [boot_pd + ecx * 8], eax
	mov eax, ecx
	shr eax, 11
	mov [boot_pd + ecx * 8 + 4], eax ; address bits 32+ for the 4th GiB: 0
	inc ecx
	cmp ecx, 2048
	jb .pd

	mov eax, boot_pml4
	ENTER_LONG_MODE
	lgdt [boot_gdtr]
	jmp 0x08:mb_entry64

no_long_mode:
	mov dx, 0x3f8
	mov esi, no_lm_msg
.putc:
	lodsb
	test al, al
	jz .halt
	out dx, al
	jmp .putc
.halt:
	hlt
	jmp .halt

bits 64
mb_entry64:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	mov rsp, kernel_stack_top
	mov edi, [mb_magic]
	mov esi, [mb_info]
	call mb_main
.hang:
	hlt
	jmp .hang

align 8
boot_gdt:
	dq 0
	dq 0x00af9a000000ffff		; 64-bit code
	dq 0x00cf92000000ffff		; data
boot_gdtr:
	dw boot_gdtr - boot_gdt - 1
	dd boot_gdt

no_lm_msg:
	db "Bail out! msilab needs a 64-bit (long mode) CPU", 13, 10, 0

section .bss
align 4096
boot_pml4:	resb 4096
boot_pdpt:	resb 4096
boot_pd:	resb 4 * 4096
boot_stack:	resb 4096
boot_stack_top:
mb_magic:	resd 1
mb_info:	resd 1

section .note.GNU-stack noalloc noexec nowrite progbits
