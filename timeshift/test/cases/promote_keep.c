/* A value promoted before a loop stays a constant across the loop's merge
 * point and after the switch: promoting it again in the loop needs no
 * second flexswitch, and y * 7 folds. */
#include "hints.h"

long promote_keep(long n, long y)
{
	long acc = 0;

	y = TS_PROMOTE(y) + 0;
	while (n > 0) {
		acc += TS_PROMOTE(y) * 7;
		n--;
	}
	return acc;
}
// RUN: 3 5 -> 105 | - | flex=1 all.mul=0 all.add=3
// RUN: 3 5 2 -> 105 | - | flex=1 all.mul=0
