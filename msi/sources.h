/* SPDX-License-Identifier: MIT */
#ifndef MSI_SOURCES_H
#define MSI_SOURCES_H

#include "msi/source.h"

#define SOURCES_MAX 5

/* The vector domain, then every source (edu, e1000e, igb, hpet, vtd-inv). */
void msi_init(void);
/* A source by name; check ->absent before use. */
struct irq_source *msi_source(const char *name);

#endif
