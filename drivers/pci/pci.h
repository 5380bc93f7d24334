/* SPDX-License-Identifier: MIT */
/*
 * PCI and PCIe: configuration access, enumeration, capabilities, BARs.
 * See PCI Local Bus Specification 3.0, 6.1 (configuration header), 6.7
 * (capabilities list); PCI-to-PCI Bridge Architecture 1.2, 3.2; PCI Express
 * Base Specification 5.0, 7.2.2 (ECAM), 7.6 (extended capabilities).
 */
#ifndef DRIVERS_PCI_PCI_H
#define DRIVERS_PCI_PCI_H

#include <stdint.h>

#define PCI_VENDOR		0x00
#define PCI_DEVICE		0x02
#define PCI_COMMAND		0x04
# define PCI_CMD_IO		(1u << 0)
# define PCI_CMD_MEM		(1u << 1)
# define PCI_CMD_MASTER		(1u << 2)
# define PCI_CMD_INTX_DISABLE	(1u << 10)
#define PCI_STATUS		0x06
# define PCI_STATUS_CAP_LIST	(1u << 4)
#define PCI_REVISION		0x08
#define PCI_CLASS		0x09	/* prog-if, subclass, class: 24 bits */
#define PCI_HEADER_TYPE		0x0e
# define PCI_HEADER_MF		0x80
# define PCI_HEADER_BRIDGE	0x01
#define PCI_BAR0		0x10
#define PCI_PRIMARY_BUS		0x18	/* type 1 */
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_MEM_BASE		0x20	/* type 1: bits 15:4 are address 31:20 */
#define PCI_MEM_LIMIT		0x22
#define PCI_PREF_BASE		0x24	/* the same, 64-bit where bits 3:0 say so */
#define PCI_PREF_LIMIT		0x26
#define PCI_PREF_BASE_HI	0x28
#define PCI_PREF_LIMIT_HI	0x2c
#define PCI_CAP_PTR		0x34
#define PCI_CAP_FIRST		0x40	/* capabilities live above the header */
#define PCI_EXT_CAP_FIRST	0x100

#define PCI_CAP_ID_PM		0x01
# define PCI_PM_CTRL		0x04	/* PMCSR: power state in bits 1:0 */
#define PCI_CLASS_HOST_BRIDGE	0x0600
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_EXP		0x10
#define PCI_CAP_ID_MSIX		0x11

#define PCI_DEVS_MAX		1024	/* a server has hundreds of functions */
#define PCI_CAPS_MAX		32
#define PCI_BARS_MAX		6

enum pci_bar_kind { BAR_NONE, BAR_IO, BAR_MEM32, BAR_MEM64 };

struct pci_bar {
	uint8_t kind;		/* enum pci_bar_kind */
	uint8_t prefetch;
	uint64_t addr;
	uint64_t size;
};

struct pci_cap {
	uint16_t id;
	uint16_t off;
};

struct pci_dev {
	uint16_t seg;
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint32_t class;		/* class << 16 | subclass << 8 | prog-if */
	uint8_t header;		/* header type, without the multifunction bit */
	uint8_t sec_bus, sub_bus;	/* bridges */
	int16_t parent;		/* index of the bridge above, -1 for a root bus */
	uint8_t ncaps, next_caps;
	struct pci_cap caps[PCI_CAPS_MAX];
	struct pci_cap ext_caps[PCI_CAPS_MAX];
	struct pci_bar bars[PCI_BARS_MAX];
	char error[96];		/* the first problem found with this function */
};

/* The function's own bus/device/function as one 16-bit ID: what ACPI
 * device scopes name. Its requests upstream may carry another
 * (pci_requester_id, below a PCIe-to-PCI bridge). */
static inline uint16_t pci_rid(const struct pci_dev *d)
{
	return (uint16_t)(d->bus << 8 | d->dev << 3 | d->fn);
}

/* Configuration access (drivers/pci/cfg.c). */
enum pci_access { PCI_ACCESS_ECAM, PCI_ACCESS_LEGACY };

struct mcfg;
/* Use the MCFG's segments for ECAM (NULL: legacy only). */
void pci_cfg_init(const struct mcfg *m);
void pci_cfg_set_access(enum pci_access a);
enum pci_access pci_cfg_access(void);
/* Bus range of segment `seg` (legacy: segment 0, buses 0-255); -1 if none. */
int pci_cfg_segment(uint32_t i, uint16_t *seg, uint8_t *bus_start, uint8_t *bus_end);
uint32_t pci_cfg_segments(void);
uint64_t pci_cfg_reads(void);

uint32_t pci_read32(const struct pci_dev *d, uint16_t off);
uint16_t pci_read16(const struct pci_dev *d, uint16_t off);
uint8_t pci_read8(const struct pci_dev *d, uint16_t off);
void pci_write32(const struct pci_dev *d, uint16_t off, uint32_t v);
void pci_write16(const struct pci_dev *d, uint16_t off, uint16_t v);
/* Turn on memory decoding and bus mastering (a driver's first step), on the
 * function and on every bridge above it up to its root port: an MSI is a
 * memory write upstream, and a bridge with bus mastering off drops it.
 * Each bridge changed is a warning. Returns how many bridges were. */
uint32_t pci_enable_memory_and_master(const struct pci_dev *d);
/* Why MMIO at `addr` of function d cannot be touched safely, or NULL: its
 * memory decode is off, the address is unassigned (0), the function is not
 * in D0, or the address lies outside the memory windows of a bridge above
 * it (PCI-to-PCI Bridge Architecture 1.2, 3.2.5.8-9). */
const char *pci_mmio_unusable(const struct pci_dev *d, uint64_t addr);

/* Enumeration (drivers/pci/enum.c). */
extern struct pci_dev pci_devs[PCI_DEVS_MAX];
extern uint32_t pci_ndevs;

struct pci_enum_report {
	uint32_t root_buses;	/* buses with devices not below bus 0 (expanders) */
	uint32_t bridges;
	uint32_t errors;	/* functions with a problem (pci_dev.error) */
	uint32_t dropped;	/* functions beyond PCI_DEVS_MAX */
	uint32_t bad_bridges;	/* secondary bus outside the range, or seen twice */
	uint64_t reads;		/* configuration reads the walk made */
	uint64_t ns;
	char warning[128];
};

/* Walk every segment: from each bus that no bridge leads to (bus 0 and any
 * expander's root bus), through the bridges as firmware configured them,
 * multifunction devices included. BARs are sized and capabilities walked. */
void pci_enumerate(struct pci_enum_report *r);
struct pci_dev *pci_find(uint16_t vendor, uint16_t device, uint32_t index);

/* Capabilities (drivers/pci/cap.c). Walk the list (and extended list) into
 * d->caps: 0, or -1 with the problem in d->error (a loop, a pointer into
 * the header, more than PCI_CAPS_MAX). */
int pci_caps_walk(struct pci_dev *d);
uint16_t pci_find_cap(const struct pci_dev *d, uint8_t id);
uint16_t pci_find_ext_cap(const struct pci_dev *d, uint16_t id);

/* BARs (drivers/pci/bar.c): decode and size, decoding off while sizing,
 * but on host bridges, display controllers (the firmware's framebuffer)
 * and a function named with pci_keep_decode() (the console's UART). */
int pci_bars_size(struct pci_dev *d);
void pci_keep_decode(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn);

/* The requester ID the function's requests carry upstream: its own BDF
 * through PCIe switches and root ports; the secondary bus with devfn 0 below
 * a PCIe-to-PCI bridge; the bridge's own ID below a conventional PCI-PCI
 * bridge. See PCI Express to PCI/PCI-X Bridge Specification 1.0, 2.3. */
uint16_t pci_requester_id(const struct pci_dev *d);

/* "0000:00:02.0" */
void pci_bdf(const struct pci_dev *d, char *buf, unsigned long len);
/* One inventory line per function, as TAP comments. */
void pci_print_inventory(void);

#endif
