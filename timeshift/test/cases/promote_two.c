/* Two promotions: two flexswitches, x * y folds to a constant. */
#include "hints.h"

long promote_two(long x, long y)
{
	long a = TS_PROMOTE(x);
	long b = TS_PROMOTE(y);

	return a * b;
}
// RUN: 4 5 -> 20 | - | flex=2 bridges=2 all.mul=0
// RUN: 4 5 3 -> 20 | - | flex=2 bridges=2 all.mul=0
