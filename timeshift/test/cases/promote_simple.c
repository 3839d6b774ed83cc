/* test_simple_promotion: the promoted x is a constant in its case, so
 * (x + 1) * 2 folds; the root is one flexswitch, the case adds y. */
#include "hints.h"

long promote_simple(long x, long y)
{
	long k = TS_PROMOTE(x);

	return (k + 1) * 2 + y;
}
// RUN: 20 1 -> 43 | - | units=1 flex=1 bridges=1 all.mul=0 all.add=1
// RUN: 20 1 3 -> 43 | - | units=1 flex=1 bridges=1 all.mul=0
