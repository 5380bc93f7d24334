// SPDX-License-Identifier: MIT
/* The interrupt sources of this machine, set up once after PCI. */
#include "msi/sources.h"
#include "msi/vector_domain.h"
#include "kernel/string.h"

static struct irq_source sources[SOURCES_MAX];

void msi_init(void)
{
	vector_domain_init();
	edu_source(&sources[0]);
	e1000e_source(&sources[1]);
	igb_source(&sources[2]);
	hpet_fsb_source(&sources[3]);
	vtd_inv_source(&sources[4]);
}

struct irq_source *msi_source(const char *name)
{
	for (int i = 0; i < SOURCES_MAX; i++)
		if (sources[i].name && !strcmp(sources[i].name, name))
			return &sources[i];
	return 0;
}
