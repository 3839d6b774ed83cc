/* portal: chain
 * args: --explain explain-chain.c:12
 * --explain on a green value required by a hint in a caller: the chain
 * from the value up to the hint. */
#include "hints.h"

static long count; /* a side effect keeps the callee from being pure */

static long scale(long v)
{
	count++;
	return v * 8;
}

long chain(long a, long b)
{
	long k = scale(a + 1);
	return TS_GREEN(k) + b;
}
