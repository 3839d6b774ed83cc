/* A compile bound hit: the green loop unrolls past TS_MAXWORK, the
 * compile fails and the plain function runs (no unit). */
#include "hints.h"

long bound(long n, long y)
{
	long i, acc = 0;

	n = TS_GREEN(n);
	for (i = 0; i < n; i++)
		acc = acc * 3 + y;
	return acc;
}
// RUN: 3 1 -> 13 | add=2 mul=2
// RUN: TS_MAXWORK=50 1000 1 -> 3101653848395885968 | none
