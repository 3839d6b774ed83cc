/* portal: outer
 * args: --explain explain-inline.c:17
 * --explain follows a red result into the inlined callee that returns it. */
#include "hints.h"

static long total; /* a side effect keeps the callee from being pure */

static long mix(long a, long b)
{
	total++;
	return a * 3 + b;
}

long outer(long g, long r)
{
	g = TS_GREEN(g);
	return mix(g, r);
}
