/* portal: callers
 * TS_GREEN inside a callee fixes its parameter, and so the caller's
 * argument (propagated into callers); TS_GREEN on a call result fixes the
 * callee's result and what it depends on (propagated into callees). */
#include "hints.h"

static long calls; /* a side effect keeps the callees from being pure */

static long need(long k)
{
	calls++;
	return TS_GREEN(k) * 3;
}

static long twice(long v)
{
	calls++;
	return v + v;
}

long callers(long a, long b, long c)
{
	long x = need(a + 1);
	long y = TS_GREEN(twice(b));
	return x + y + c;
}
