/* A side that cannot be compiled even in leave mode (its green loop
 * unrolls past the work bound) is given up after its first failure: later
 * runs of its exit stub fall back to the plain function without compiling
 * again (two "bridge failed" lines for any number of calls). */
#include "hints.h"

long deadside(long x, long y)
{
	long i, acc = 0;

	if (x > 0)
		return y + 1;
	for (i = 0; i < 100000; i++)
		acc += y;
	return acc;
}
// RUN: TS_MAXWORK=50 0 2 3 -> 200000 | add=1 sgt=1 | failed=2 bridges=0 leave=0
// RUN: TS_MAXWORK=50 1 2 3 -> 3 | add=1 sgt=1 | failed=0 bridges=0
