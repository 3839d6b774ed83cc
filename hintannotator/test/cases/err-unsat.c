/* portal: portal
 * error: TS_GREEN on a value that depends, through a callee, on a load
 * from mutable memory; the explanation follows the chain. */
#include "hints.h"

static long table[8];

static long lookup(long i)
{
	long v = table[i & 7];
	return v + 1;
}

long portal(long i)
{
	long k = lookup(i) * 2;
	return TS_GREEN(k);
}
