/* SPDX-License-Identifier: MIT */
/* Attributes the code uses by name. */
#ifndef LIB_COMPILER_H
#define LIB_COMPILER_H

/* The result is an error that must not be dropped: a failed hardware
 * handshake, a refused allocation. Note that a (void) cast does not
 * silence it in GCC; a caller that truly does not care says why. */
#define MUST_CHECK	__attribute__((warn_unused_result))

#endif
