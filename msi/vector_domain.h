/* SPDX-License-Identifier: MIT */
#ifndef MSI_VECTOR_DOMAIN_H
#define MSI_VECTOR_DOMAIN_H

#include "msi/device.h"

extern struct irq_domain vector_domain;

/* Set up the root domain and make it every device's parent. */
void vector_domain_init(void);

#endif
