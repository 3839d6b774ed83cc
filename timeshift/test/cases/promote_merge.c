/* Merge, then promote: both sides of the red branch reach the promotion
 * with different values of s.  They meet at the join before it (s a
 * run-time value on both), so one flexswitch serves both; under TS_JOIN=0
 * each side promotes its own. */
#include "hints.h"

long promote_merge(long x, long y)
{
	long s;

	if (x > 10)
		s = y + 1;
	else
		s = y - 1;
	s = TS_PROMOTE(s);
	return s * 5;
}
// RUN: 20 5 -> 30 | add=1 sgt=1 | flex=1 stubs=1 bridges=1 all.mul=0
// RUN: 2 5 -> 20 | - | flex=1 stubs=1 bridges=2 all.mul=0
// RUN: TS_JOIN=0 2 5 -> 20 | - | flex=2 stubs=1 bridges=2 all.mul=0
