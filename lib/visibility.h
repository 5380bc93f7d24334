/* SPDX-License-Identifier: MIT */
/*
 * Included first in every firmware object (Makefile: -include). The objects
 * are position-independent so that one compilation serves both the UEFI
 * application and the Multiboot ELF; hidden visibility makes every reference
 * PC-relative instead of going through a GOT.
 */
#pragma GCC visibility push(hidden)
