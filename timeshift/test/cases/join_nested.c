/* A nested red split: three paths meet at the inner join and then the
 * outer one; the tail after the outer join is compiled once. */
#include "hints.h"

static long jn_n;

TS_RESIDUAL long jn_tick(void)
{
	return jn_n++;
}

long join_nested(long x, long y)
{
	long k = x + jn_tick(), t;

	if (k & 1) {
		if (k & 2)
			t = y / k;
		else
			t = k / (y | 1);
		t = t + 100;
	} else {
		t = y / (k | 1);
	}
	t = t * 7 + k;
	t = t * t - y;
	return t;
}
// RUN: 1 5 8 -> 59 | - | units=1 bridges=2 rets=1 all.mul=2 all.sdiv=3
// RUN: TS_JOIN=0 1 5 8 -> 59 | - | units=1 bridges=2 rets=3 all.mul=6
