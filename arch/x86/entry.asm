; SPDX-License-Identifier: MIT
; Interrupt and exception entry, context save/restore, stack switch.
; See Intel SDM Vol. 3A, 6.14 (64-bit mode exception and interrupt handling).
;
; Every vector has a 16-byte stub at isr_stubs + vector * 16.
; Vectors 32..255 (interrupts) take the TSC first: push rax, push rdx, rdtsc.
; Nothing else runs between the vector's delivery and that timestamp.

bits 64
default rel

%define STUB_SIZE 16

extern exception_handler
extern irq_dispatch

section .text

global isr_stubs
align STUB_SIZE
isr_stubs:
%assign v 0
%rep 256
	align STUB_SIZE, int3
%if v < 32
%if v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30
	; the CPU pushed an error code
%else
	push 0
%endif
	push v
	jmp near exc_common
%else
	push rax
	push rdx
	rdtsc
	push v
	jmp near irq_common
%endif
%assign v v + 1
%endrep

; Stack on entry: vector, error code, then the CPU's frame (RIP, CS, RFLAGS,
; RSP, SS). The saved registers below it make a struct exc_frame.
exc_common:
	push r15
	push r14
	push r13
	push r12
	push r11
	push r10
	push r9
	push r8
	push rbp
	push rdi
	push rsi
	push rdx
	push rcx
	push rbx
	push rax
	mov rdi, rsp		; 22 quadwords pushed: still 16-byte aligned
	cld
	call exception_handler
	pop rax
	pop rbx
	pop rcx
	pop rdx
	pop rsi
	pop rdi
	pop rbp
	pop r8
	pop r9
	pop r10
	pop r11
	pop r12
	pop r13
	pop r14
	pop r15
	add rsp, 16		; vector, error code
	iretq

; Stack on entry: vector, rdx, rax, then the CPU's frame. EDX:EAX = TSC.
irq_common:
	shl rdx, 32
	or rax, rdx
	push rcx
	push rsi
	push rdi
	push r8
	push r9
	push r10
	push r11
	mov rdi, [rsp + 7 * 8]	; vector
	mov rsi, rax		; timestamp
	sub rsp, 8		; 15 quadwords pushed: realign to 16
	cld
	call irq_dispatch
	add rsp, 8
	pop r11
	pop r10
	pop r9
	pop r8
	pop rdi
	pop rsi
	pop rcx
	add rsp, 8		; vector
	pop rdx
	pop rax
	iretq

; int ctx_save(struct ctx *c): returns 0; ctx_restore(c, v) returns v here.
; struct ctx { rbx, rbp, r12, r13, r14, r15, rsp, rip }
global ctx_save
ctx_save:
	mov [rdi + 0], rbx
	mov [rdi + 8], rbp
	mov [rdi + 16], r12
	mov [rdi + 24], r13
	mov [rdi + 32], r14
	mov [rdi + 40], r15
	lea rdx, [rsp + 8]
	mov [rdi + 48], rdx
	mov rdx, [rsp]
	mov [rdi + 56], rdx
	xor eax, eax
	ret

; void ctx_restore(struct ctx *c, int v) __attribute__((noreturn))
global ctx_restore
ctx_restore:
	mov rbx, [rdi + 0]
	mov rbp, [rdi + 8]
	mov r12, [rdi + 16]
	mov r13, [rdi + 24]
	mov r14, [rdi + 32]
	mov r15, [rdi + 40]
	mov rsp, [rdi + 48]
	mov eax, esi
	jmp [rdi + 56]

; void call_on_stack(void *arg, void (*fn)(void *), void *stack_top): no return
global call_on_stack
call_on_stack:
	mov rsp, rdx
	xor ebp, ebp
	call rsi
.hang:
	cli
	hlt
	jmp .hang

; void gdt_load(const struct gdtr *g, uint16_t code_sel, uint16_t data_sel)
global gdt_load
gdt_load:
	lgdt [rdi]
	mov ds, dx
	mov es, dx
	mov ss, dx
	mov fs, dx
	mov gs, dx
	lea rax, [.reload]
	push rsi
	push rax
	retfq
.reload:
	ret

section .bss
align 16
global kernel_stack_top
kernel_stack:	resb 65536
kernel_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
