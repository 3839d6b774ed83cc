/* Merges before a return: after a red split the two paths meet at a join
 * (no loop), so the code after it (the tail and its return) is compiled
 * once: the first path opens a reentry block there, the other side's
 * bridge jumps into it.  jr_tick() (residual) makes k differ per call, so
 * the repeated calls take both sides. */
#include "hints.h"

static long jr_n;

TS_RESIDUAL long jr_tick(void)
{
	return jr_n++;
}

long join_ret(long x, long y)
{
	long k = x + jr_tick(), t;

	if (k & 1)
		t = y / k;
	else
		t = k / (y | 1);
	t = t * 7 + k;
	t = t * t - y;
	return t;
}
// RUN: 3 5 4 -> 164 | - | units=1 bridges=1 rets=1 all.mul=2 all.sdiv=2
// RUN: 3 5 1 -> 95 | - | units=1 bridges=0 rets=1 all.mul=2
// RUN: TS_JOIN=0 3 5 4 -> 164 | - | units=1 bridges=1 rets=2 all.mul=4
