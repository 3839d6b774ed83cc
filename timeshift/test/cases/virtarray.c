/* A local array indexed at green offsets lives in boxes: no slot, load or
 * store remains (dead element values are still computed: no DCE yet). */
#include "hints.h"

long virtarray(long x, long y)
{
	long a[8];
	int i;

	for (i = 0; i < 8; i++)
		a[i] = x + i;
	a[3] = a[3] * y;
	return a[0] + a[3] + a[7];
}
// RUN: 1 2 -> 17 | add=9 mul=1
