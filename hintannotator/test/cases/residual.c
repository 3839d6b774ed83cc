/* portal: residual
 * Residual calls: an external function, a TS_RESIDUAL function, a
 * recursive one and one larger than the size bound... (external with
 * green arguments stays residual unless TS_ELIDABLE). */
#include "hints.h"

extern long ext(long x);

static TS_RESIDUAL long slow(long x)
{
	return x + 1;
}

static long fact(long n)
{
	return n <= 1 ? 1 : n * fact(n - 1);
}

long residual(long g, long r)
{
	g = TS_GREEN(g);
	return ext(g) + slow(g) + fact(r) + fact(g);
}
