/* SPDX-License-Identifier: MIT */
#ifndef TESTS_HARNESS_MAIN_H
#define TESTS_HARNESS_MAIN_H

#include "kernel/boot_info.h"

/* msilab's main, entered from every loader (boot/): bring the machine up
 * (kernel/), print the report's header and the PCI inventory, run the
 * selected tests and leave as exit= says. Never returns. */
void msilab_main(struct boot_info *bi) __attribute__((noreturn));

#endif
