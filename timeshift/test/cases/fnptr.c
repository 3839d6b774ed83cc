/* A call through a function pointer known at compile time is inlined
 * (devirtualised): no call remains. */
#include "hints.h"

long inc(long v)
{
	return v + 1;
}

long dbl(long v)
{
	return v * 2;
}

long fnptr(long x, long y)
{
	long (*f)(long);

	x = TS_GREEN(x);
	f = x ? inc : dbl;
	return f(y);
}
// RUN: 1 5 -> 6 | add=1
// RUN: 0 5 -> 10 | mul=1
