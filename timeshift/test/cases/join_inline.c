/* A join inside an inlined callee: pick() splits on a red value and its
 * two sides meet before its return; the caller's code after the call is
 * compiled once too (it follows the callee's join). */
#include "hints.h"

static long ji_n;

TS_RESIDUAL long ji_tick(void)
{
	return ji_n++;
}

long ji_pick(long k, long y)
{
	long t;

	if (k & 1)
		t = y / k;
	else
		t = k / (y | 1);
	return t * 3 + k;
}

long join_inline(long x, long y)
{
	long k = x + ji_tick();
	long t = ji_pick(k, y);

	t = t * t - y;
	return t * 5;
}
// RUN: 3 5 4 -> 380 | - | units=1 bridges=1 rets=1 all.mul=3 all.call=1
// RUN: TS_JOIN=0 3 5 4 -> 380 | - | units=1 bridges=1 rets=2 all.mul=6
