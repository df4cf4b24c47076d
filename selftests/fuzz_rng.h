/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzers' random numbers: splitmix64, seeded with -s SEED, so that a
 * run replays exactly (the same requests and packets in the same order).
 */
#ifndef PXEFAST_FUZZ_RNG_H
#define PXEFAST_FUZZ_RNG_H

#include <stdint.h>

static uint64_t rng;

/* The next 64 random bits. */
static inline uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A number below @n (0 for 0). */
static inline uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

/* True with a probability of @pct percent. */
static inline int chance(unsigned int pct)
{
	return rn(100) < pct;
}

#endif
