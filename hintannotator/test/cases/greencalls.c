/* portal: greencalls
 * A TS_ELIDABLE or provably pure callee with green arguments runs at
 * compile time (green call); with a red argument it is inlined. */
#include "hints.h"

static TS_ELIDABLE long hash(long x)
{
	return x * 31 + 7;
}

static long square(long x)
{
	return x * x;
}

long greencalls(long g, long r)
{
	g = TS_GREEN(g);
	return hash(g) + hash(r) + square(g) + square(r);
}
