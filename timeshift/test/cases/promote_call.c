/* Promotion after an inlined call (of its result) and inside one (of its
 * argument): both multiplies fold in their cases. */
#include "hints.h"

static long inc(long v)
{
	return v + 1;
}

static long sqp(long v)
{
	long k = TS_PROMOTE(v);

	return k * k;
}

long promote_call(long x, long y)
{
	long a = TS_PROMOTE(inc(x));

	return a * 3 + sqp(y);
}
// RUN: 4 5 -> 40 | add=1 | flex=2 bridges=2 all.mul=0 all.add=1
