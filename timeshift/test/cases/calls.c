/* Inlined, green and residual calls: twice() runs inline (no call), sq()
 * runs at compile time on a green argument, ext() is a residual call. */
#include "hints.h"

long twice(long v)
{
	return v + v;
}

TS_ELIDABLE long sq(long v)
{
	return v * v;
}

TS_RESIDUAL long ext(long v)
{
	return v - 1;
}

long calls(long x, long y)
{
	x = TS_GREEN(x);
	return twice(y) + sq(x) + ext(y);
}
// RUN: 3 5 -> 23 | add=3 call=1
