/* A loop on a green counter unrolls: n adds of y, no branch. */
#include "hints.h"

long greenloop(long n, long y)
{
	long i, acc = 0;

	n = TS_GREEN(n);
	for (i = 0; i < n; i++)
		acc += y;       /* 0 + y folds to y */
	return acc;
}
// RUN: 4 10 -> 40 | add=3
// RUN: 1 10 -> 10 | -
