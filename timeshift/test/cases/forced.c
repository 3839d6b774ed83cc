/* A virtual array that escapes into a residual call is materialised once
 * (one slot, its four fields stored); later reads are loads. */
#include "hints.h"

TS_RESIDUAL long sink(long *p)
{
	p[1] += 100;
	return p[0];
}

long forced(long x, long y)
{
	long a[4];
	int i;

	for (i = 0; i < 4; i++)
		a[i] = x * (i + 1);
	y += sink(a);
	return y + a[1] + a[3];
}
// RUN: 2 1 -> 115 | add=3 mul=3 load=2 store=4 slot=1 call=1
