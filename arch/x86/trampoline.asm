; SPDX-License-Identifier: MIT
; The application-processor start-up trampoline, copied to a free page below
; 1 MiB whose number is the SIPI vector. It runs from real mode through
; protected mode into long mode with the boot CPU's page tables, then calls
; the C entry with its own stack. Everything that depends on where it was
; copied is computed from CS at run time, or filled in by the boot CPU in the
; parameter block at the end (arch/x86/smp.c).
; See Intel SDM Vol. 3A, 8.4.4 (MP initialization), 9.8.5 (IA-32e mode).

%include "arch/x86/long_mode.inc"

section .rodata
align 16
global trampoline_start, trampoline_end
global tramp_cr3, tramp_stack, tramp_arg, tramp_entry

%define OFF(x) ((x) - trampoline_start)

bits 16
trampoline_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	xor ebx, ebx
	mov bx, ax
	shl ebx, 4				; ebx = linear base of the trampoline
	lea eax, [ebx + OFF(pm32)]
	mov [OFF(pm_ptr)], eax
	lea eax, [ebx + OFF(lm64)]
	mov [OFF(lm_ptr)], eax
	lea eax, [ebx + OFF(gdt)]
	mov [OFF(gdtr) + 2], eax
	o32 lgdt [OFF(gdtr)]
	mov eax, cr0
	or eax, 1				; PE
	mov cr0, eax
	o32 jmp far [OFF(pm_ptr)]

bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, [ebx + OFF(tramp_cr3)]
	ENTER_LONG_MODE
	jmp far [ebx + OFF(lm_ptr)]

bits 64
lm64:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov ebx, ebx				; upper half undefined after the switch
	mov rsp, [rbx + OFF(tramp_stack)]
	mov rdi, [rbx + OFF(tramp_arg)]
	mov rax, [rbx + OFF(tramp_entry)]
	xor ebp, ebp
	call rax
.hang:
	cli
	hlt
	jmp .hang

align 8
gdt:
	dq 0
	dq 0x00af9a000000ffff			; 0x08: 64-bit code
	dq 0x00cf92000000ffff			; 0x10: data
	dq 0x00cf9a000000ffff			; 0x18: 32-bit code
gdtr:
	dw gdtr - gdt - 1
	dd 0
pm_ptr:
	dd 0
	dw 0x18
lm_ptr:
	dd 0
	dw 0x08

align 8
tramp_cr3:	dq 0				; below 4 GiB: loaded from 32-bit code
tramp_stack:	dq 0
tramp_arg:	dq 0
tramp_entry:	dq 0
trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
