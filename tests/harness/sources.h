/* SPDX-License-Identifier: MIT */
#ifndef TESTS_HARNESS_SOURCES_H
#define TESTS_HARNESS_SOURCES_H

#include "tests/harness/source.h"

/* Find and set up every source: edu, e1000e, igb, hpet, vtd-inv, amdvi-cw (after
 * the kernel's bring-up; vector domain and remapping first). */
void sources_init(void);
/* A source by name; check ->absent before use. NULL for an unknown name. */
struct irq_source *source_get(const char *name);

#endif
