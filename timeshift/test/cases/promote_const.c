/* Promoting a value already known at compile time needs no switch. */
#include "hints.h"

long promote_const(long x, long y)
{
	long k = TS_PROMOTE(x * 0 + 6);

	return k * y;
}
// RUN: 4 5 -> 30 | mul=1 | units=1 flex=0 bridges=0
