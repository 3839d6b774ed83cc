/* A virtual object with more run-time fields than a jump may carry (the
 * emitter takes 256 arguments): at the red loop's merge point it is
 * forced (one malloc and its stores), and the loop works on memory. */
#include <stdlib.h>
#include "hints.h"

struct big {
	long f[300]; /* every field changes in the loop */
};

long virtbig(long x, long y)
{
	struct big *b = malloc(sizeof *b);
	long i, k, s = 0;

	if (!b)
		return -1;
	for (k = 0; k < 300; k++)
		b->f[k] = k;
	for (i = 0; i < x; i++)
		for (k = 0; k < 300; k++)
			b->f[k] += y + k;
	for (k = 0; k < 300; k++)
		s += b->f[k];
	free(b);
	return s;
}
// RUN: 0 1 -> 44850 | -
// RUN: 3 2 -> 181200 | - | units=1 failed=0
