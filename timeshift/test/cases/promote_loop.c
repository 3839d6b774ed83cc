/* test_many_promotions: a value promoted in every iteration of a red
 * loop; k * k folds in each case. */
#include "hints.h"

long promote_loop(long n, long y)
{
	long acc = 0;

	while (n > 0) {
		long k = TS_PROMOTE(y);
		acc += k * k;
		n--;
	}
	return acc;
}
// RUN: 3 5 -> 75 | sgt=1 | flex=1 bridges=2 all.mul=0 all.add=3 all.sgt=2
// RUN: 0 5 -> 0 | sgt=1 | flex=1 bridges=1 all.mul=0
