// SPDX-License-Identifier: MIT
/* The lspci-like inventory: one TAP comment line per function
 * (docs/report-format.md, "PCI inventory"). */
#include "drivers/pci/msi.h"
#include "lib/printf.h"
#include "lib/string.h"

static void size_str(uint64_t size, char *buf, unsigned long len)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (size >= 1024 && size % 1024 == 0 && u < 3) {
		size /= 1024;
		u++;
	}
	if (u < 0)
		ksnprintf(buf, len, "%lu", size);
	else
		ksnprintf(buf, len, "%lu%c", size, units[u]);
}

void pci_print_inventory(void)
{
	static const char *const kinds[] = { "none", "io", "mem32", "mem64" };

	for (uint32_t i = 0; i < pci_ndevs; i++) {
		const struct pci_dev *d = &pci_devs[i];
		char line[512], bdf[16], up[16] = "root", sz[16];
		struct pci_msi m;
		struct pci_msix x;
		int n;

		pci_bdf(d, bdf, sizeof(bdf));
		if (d->parent >= 0)
			pci_bdf(&pci_devs[d->parent], up, sizeof(up));
		n = ksnprintf(line, sizeof(line), "# pci %s [%04x:%04x] class %04x up=%s", bdf,
			      d->vendor, d->device, d->class >> 8, up);
		if (d->header == PCI_HEADER_BRIDGE)
			n += ksnprintf(line + n, sizeof(line) - n, " bridge=%02x-%02x", d->sec_bus,
				       d->sub_bus);
		if (pci_msi_get(d, &m) == 0)
			n += ksnprintf(line + n, sizeof(line) - n, " msi(%u%s%s)", m.nvec,
				       m.is64 ? ",64" : "", m.maskable ? ",mask" : "");
		else
			n += ksnprintf(line + n, sizeof(line) - n, " msi(-)");
		if (pci_find_cap(d, PCI_CAP_ID_MSIX)) {
			int e = pci_msix_get(d, &x);

			n += ksnprintf(line + n, sizeof(line) - n, " msix(%u%s)", x.nvec,
				       e ? ",unusable" : "");
		} else {
			n += ksnprintf(line + n, sizeof(line) - n, " msix(-)");
		}
		for (int b = 0; b < PCI_BARS_MAX; b++) {
			const struct pci_bar *bar = &d->bars[b];

			if (bar->kind == BAR_NONE)
				continue;
			size_str(bar->size, sz, sizeof(sz));
			n += ksnprintf(line + n, sizeof(line) - n, " bar%d=%s%s 0x%lx/%s", b,
				       kinds[bar->kind], bar->prefetch ? ",pf" : "", bar->addr, sz);
		}
		if (d->error[0])
			n += ksnprintf(line + n, sizeof(line) - n, " error=\"%s\"", d->error);
		kprintf("%s\n", line);
	}
}
