/* SPDX-License-Identifier: MIT */
/* Bit counting without libgcc (the firmware links none: __builtin_popcountll
 * would call __popcountdi2 on a CPU target without POPCNT). */
#ifndef LIB_BITS_H
#define LIB_BITS_H

#include <stdint.h>

/* Set bits in x (the SWAR sum, Hacker's Delight 5-1). */
static inline uint32_t popcount64(uint64_t x)
{
	x -= (x >> 1) & 0x5555555555555555ull;
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

#endif
