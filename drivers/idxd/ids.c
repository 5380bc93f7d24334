// SPDX-License-Identifier: MIT
/*
 * The DSA and IAA instances msilab drives (Linux drivers/dma/idxd/init.c
 * idxd_pci_tbl and the device-ID patches for GNR-D, Diamond Rapids,
 * Panther Lake and Wildcat Lake). A new generation is one line.
 */
#include "drivers/idxd/idxd.h"
#include "lib/printf.h"

const struct idxd_id idxd_ids[] = {
	{ 0x0b25, "DSA SPR", 0 },	/* Sapphire and Emerald Rapids */
	{ 0x0cfe, "IAA SPR", 1 },
	{ 0x11fb, "DSA GNR-D", 0 },
	{ 0x1212, "DSA DMR", 0 },	/* Diamond Rapids */
	{ 0x1216, "IAA DMR", 1 },
	{ 0xb02d, "IAA PTL", 1 },	/* Panther Lake */
	{ 0xfd2d, "IAA WCL", 1 },	/* Wildcat Lake */
};
const uint32_t idxd_nids = sizeof(idxd_ids) / sizeof(idxd_ids[0]);

const struct idxd_id *idxd_id_of(uint16_t vendor, uint16_t device)
{
	for (uint32_t i = 0; vendor == IDXD_VENDOR && i < idxd_nids; i++)
		if (idxd_ids[i].device == device)
			return &idxd_ids[i];
	return 0;
}

const char *idxd_ids_text(void)
{
	static char text[sizeof(idxd_ids) / sizeof(idxd_ids[0]) * 11 + 1];
	unsigned long n = 0;

	for (uint32_t i = 0; i < idxd_nids && n < sizeof(text); i++)
		n += (unsigned long)ksnprintf(text + n, sizeof(text) - n, "%s%04x:%04x", i ? ", " : "",
					      IDXD_VENDOR, idxd_ids[i].device);
	return text;
}
