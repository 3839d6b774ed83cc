/* Red values that are constants fold away: only the use of the run-time
 * argument y remains (one add); x is green. */
#include "hints.h"

long constfold(long x, long y)
{
	long c = 5, d;

	x = TS_GREEN(x);
	c = c * 2 + 1;          /* red, but constant: folded */
	d = (c << 2) - x * 3;   /* constant too */
	if (d > 40)             /* a red branch on a constant: no split */
		d = d - 40;
	return d + y;
}
// RUN: 2 7 -> 45 | add=1
// RUN: 0 -3 -> 1 | add=1
