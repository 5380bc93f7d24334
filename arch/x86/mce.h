/* SPDX-License-Identifier: MIT */
/*
 * Machine-check banks and NMIs. See Intel SDM Vol. 3B, 15.3.1 (IA32_MCG_CAP:
 * bank count in 7:0; IA32_MCG_STATUS: RIPV 0, EIPV 1, MCIP 2), 15.3.2
 * (IA32_MCi_STATUS at 0x401 + 4i: VAL 63, OVER 62, UC 61, EN 60, MISCV 59,
 * ADDRV 58, PCC 57; MCi_ADDR at 0x402 + 4i, MCi_MISC at 0x403 + 4i);
 * Vol. 3A 6.7 (NMI). The NMI reason: the PC/AT NMI status port 0x61
 * (bit 7 SERR#, bit 6 IOCHK#), as Linux's default_do_nmi reads it.
 */
#ifndef ARCH_X86_MCE_H
#define ARCH_X86_MCE_H

#include <stdint.h>

#define MSR_MCG_CAP		0x179
# define MCG_CAP_COUNT(c)	((uint32_t)((c) & 0xff))
#define MSR_MCG_STATUS		0x17a
# define MCG_STATUS_MCIP	(1ull << 2)
#define MSR_MC_STATUS(i)	(0x401 + 4 * (i))
# define MC_STATUS_VAL		(1ull << 63)
# define MC_STATUS_UC		(1ull << 61)
# define MC_STATUS_MISCV	(1ull << 59)
# define MC_STATUS_ADDRV	(1ull << 58)
# define MC_STATUS_PCC		(1ull << 57)
#define MSR_MC_ADDR(i)		(0x402 + 4 * (i))
#define MSR_MC_MISC(i)		(0x403 + 4 * (i))
#define NMI_STATUS_PORT		0x61

#define MCE_BANKS_MAX		32

struct mce_bank {
	uint32_t bank;
	uint64_t status, addr, misc;
};

/* The banks of this CPU that hold an error (VAL), cleared after reading
 * when `clear`; how many, at most `max` kept. 0 where the CPU has no MCA. */
uint32_t mce_collect(struct mce_bank *out, uint32_t max, int clear);
/* IA32_MCG_STATUS, and MCIP cleared (the handler is done with it). */
uint64_t mce_status_take(void);
/* "{bank: 1, status: 0x..., addr: 0x..., misc: 0x...}" lines, YAML, each
 * starting with `indent`. */
void mce_dump_yaml(const struct mce_bank *b, uint32_t n, const char *indent, char *buf,
		   unsigned long size);

/* NMIs so far (every CPU), and the NMI status port's value at the last. */
struct nmi_counts {
	uint64_t count;
	uint8_t last_reason;
	uint32_t last_cpu;
	int stop_failed;	/* cpu_stop_others' NMI was not delivered */
};
extern volatile struct nmi_counts nmi_counts;
/* From the exception entry: count it, read its reason; never prints. A CPU
 * told to stop (cpu_stop_others) halts here for good. */
void nmi_handle(void);
/* Halt every other CPU (an NMI each), for a run that ends here: after a
 * machine check no other CPU may print or measure. */
void cpu_stop_others(void);

#endif
