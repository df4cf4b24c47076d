/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host unit tests' one assertion: count a failure and say where.
 */
#ifndef PXECTL_TEST_H
#define PXECTL_TEST_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

#endif
