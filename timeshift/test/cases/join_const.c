/* A join whose paths carry different constants: c is red (one side
 * passes y), a constant box 10 or 20 on the two other sides.  The first
 * path (c = 10) opens a reentry block with c constant (its tail folds
 * c + 1); the second (c = 20) opens one version generalised against it (c
 * a run-time value); the third (c = y) jumps into that one.  So the tail
 * is compiled twice, not three times (3 rets under TS_JOIN=0, and under
 * TS_JOIN=2, which merges exact matches only).  (A phi of constants on
 * every side would be green: a key per constant.) */
#include "hints.h"

static long jc_n;

TS_RESIDUAL long jc_tick(void)
{
	return jc_n++;
}

long join_const(long x, long y)
{
	long k = x + jc_tick(), c;

	if (k % 3 == 0)
		c = 10;
	else if (k % 3 == 1)
		c = 20;
	else
		c = y;
	return (c * y + k) * (c + 1);
}
// RUN: 3 5 6 -> 198 | - | units=1 bridges=2 rets=2 all.srem=1 all.add=4
// RUN: 3 5 9 -> 216 | - | units=1 bridges=2 rets=2
// RUN: TS_JOIN=2 3 5 9 -> 216 | - | units=1 bridges=2 rets=3
// RUN: TS_JOIN=0 3 5 9 -> 216 | - | units=1 bridges=2 rets=3
