; SPDX-License-Identifier: MIT
; Multiboot (v1, a.out kludge) and Multiboot2 headers, and the 32-bit entry
; that enters long mode, applies the image's own relocations and calls
; mb_main(magic, info) on the kernel stack.
; See Multiboot 0.6.96 section 3.1 (header, address fields with flag 16),
; Multiboot2 2.0 section 3.1 (header; 3.1.10 the relocatable tag), and
; Intel SDM Vol. 3A 9.8.5 (initializing IA-32e mode).
;
; The image is linked at MB_LINK_BASE (Makefile) but runs wherever the
; loader put it: GRUB places a Multiboot2 image anywhere the relocatable
; tag allows, so the 32-bit code addresses everything relative to where it
; finds itself (call/pop), and the 64-bit code fixes up the absolute
; pointers in data (boot/relocate.c) before any C code reads one.

%include "arch/x86/long_mode.inc"

extern mb_main, mb_relocate
extern kernel_stack_top
extern __image_start
global mb_entry32

MB2_MAGIC	equ 0xE85250D6
MB2_ARCH_I386	equ 0
MB2_TAG_OPTIONAL equ 1

; Where GRUB may put the image (Multiboot2 3.1.10): anywhere from 2 MiB,
; so that every GRUB boot runs the relocated path, to 3 GiB, below the
; PCI hole and inside the 4 GiB the entry identity-maps; page-aligned, as
; the page tables in .bss need.
MB2_RELOC_MIN	equ 0x200000
MB2_RELOC_MAX	equ 0xC0000000
MB2_RELOC_ALIGN	equ 0x1000
MB2_RELOC_PREF_NONE equ 0

; The Multiboot (v1) header is in linker.ld: its address fields are
; link-time addresses, which a PIE's objects cannot hold.
section .multiboot progbits alloc exec nowrite align=8
bits 32
align 8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	dw 10, MB2_TAG_OPTIONAL	; relocatable image
	dd 24
	dd MB2_RELOC_MIN
	dd MB2_RELOC_MAX
	dd MB2_RELOC_ALIGN
	dd MB2_RELOC_PREF_NONE
	dw 0, 0			; end tag
	dd 8
mb2_header_end:

; Entered in 32-bit protected mode, paging off, EAX = magic, EBX = info,
; ESP undefined. Every address below is EBP-relative: EBP holds where
; `here` is at run time, and R(x) is x at run time (a PC-relative
; relocation that the linker resolves).
%define R(x) ebp + ((x) - here)

mb_entry32:
	cli
	cld
	; Find ourselves. The loader gives no stack, so borrow the dword at
	; [EBX+4] of its information structure for the return address (MB2:
	; reserved; MB1: mem_lower, put back at once).
	mov ecx, [ebx + 4]
	lea esp, [ebx + 8]
	call here
here:
	pop ebp
	mov [ebx + 4], ecx

	lea esp, [R(boot_stack_top)]
	mov [R(mb_magic)], eax
	mov [R(mb_info)], ebx

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
	lea eax, [R(boot_pdpt)]
	or eax, 3
	mov [R(boot_pml4)], eax
	xor ecx, ecx
.pdpt:
	mov eax, ecx
	shl eax, 12
	lea eax, [R(boot_pd) + eax]
	or eax, 3
	mov [R(boot_pdpt) + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .pdpt
	xor ecx, ecx
.pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83			; present, writable, 2 MiB
	mov [R(boot_pd) + ecx * 8], eax
	mov eax, ecx
	shr eax, 11
	mov [R(boot_pd) + ecx * 8 + 4], eax ; address bits 32+ for the 4th GiB: 0
	inc ecx
	cmp ecx, 2048
	jb .pd

	lea eax, [R(boot_pml4)]
	ENTER_LONG_MODE
	lea eax, [R(boot_gdt)]
	mov [R(boot_gdtr) + 2], eax
	lgdt [R(boot_gdtr)]
	lea eax, [R(mb_entry64)]
	push 0x08
	push eax
	retf

no_long_mode:
	mov dx, 0x3f8
	lea esi, [R(no_lm_msg)]
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
	lea rsp, [rel kernel_stack_top]
	lea rdi, [rel __image_start]
	sub rdi, MB_LINK_BASE		; how far the loader moved us
	call mb_relocate
	mov edi, [rel mb_magic]
	mov esi, [rel mb_info]
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
	dd 0				; boot_gdt at run time, filled in above

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
