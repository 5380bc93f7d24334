/* SPDX-License-Identifier: MIT */
/*
 * The DSA/IAA instances of this machine, each a physical device with a
 * DEV_MSI domain over its Interrupt Message Store (parent from the
 * device's topology: msi_parent_domain), its work queues as child devices
 * that take their interrupts from it (dev_msi_assign_domain), and its
 * MSI-X vector 0 (software errors, halt) through the PCI/MSI-X domain of
 * the same function. Firmware only (MMIO, MOVDIR64B); the register logic
 * is drivers/idxd/device.c.
 */
#ifndef DRIVERS_IDXD_INSTANCE_H
#define DRIVERS_IDXD_INSTANCE_H

#include "drivers/idxd/ims.h"

#define IDXD_INSTANCES_MAX	16	/* 4 DSA + 4 IAA per socket on SPR, two sockets */
#define IDXD_WQS_USED		4	/* dedicated WQs brought up per instance */

struct pci_dev;

struct idxd_instance {
	struct idxd hw;
	struct pci_dev *pci;
	uint64_t bar0, bar2;
	struct idxd_ims ims;		/* the physical device, its IMS domain, the WQs */
	struct msi_device msix;		/* the same function's MSI-X: vector 0 */
	struct irq_desc *misc;		/* vector 0: software errors and halt */
	volatile uint64_t misc_irqs;	/* taken on it */
	volatile uint32_t misc_causes;	/* INTCAUSE bits seen there */
	uint32_t nwqs;
	uint16_t siov_dvsec;		/* Intel SIOV DVSEC offset, 0 absent */
	uint8_t siov_ims;		/* its "IMS supported" bit */
	int up;				/* enabled, WQs running */
	char error[160];		/* why not, else "" */
};

extern struct idxd_instance idxd_instances[IDXD_INSTANCES_MAX];
extern uint32_t idxd_ninstances;

/* CPUID.(EAX=7,ECX=0):ECX[28]: MOVDIR64B, the only way to a dedicated
 * WQ's portal that writes 64 bytes at once. */
int idxd_cpu_has_movdir64b(void);

/* Find every instance (drivers/idxd/ids.c), and bring each up: memory and
 * bus master on, PASID/ATS/PRI left off, BARs mapped uncached, probed,
 * taken over, IDXD_WQS_USED dedicated WQs enabled, every IMS entry masked,
 * the IMS domain created and each WQ made its child. An instance that
 * fails keeps its reason in ->error; the others go on. After the vector
 * domain and remapping are up. */
void idxd_init(void);

/* After a test: each software error the device logged, and a halt, as
 * text through `report` (SWERR cleared); a halted device is taken over and
 * brought up again. Returns how many were reported. */
uint32_t idxd_errors_check(struct idxd_instance *x, void (*report)(const char *text, void *arg),
			   void *arg);

#endif
