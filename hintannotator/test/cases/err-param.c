/* portal: portal
 * error: TS_GREEN in a callee on its parameter, which a caller passes a
 * value loaded from mutable memory. */
#include "hints.h"

struct st {
	long x;
};

static long use(long p)
{
	return TS_GREEN(p) + 1;
}

long portal(struct st *s)
{
	return use(s->x);
}
