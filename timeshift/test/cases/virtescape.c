/* A calloc'd object that escapes into a residual call is materialised
 * once, at the first call: one calloc, one store (the field still 0 is
 * not stored: calloc zero-fills); the second call passes the same
 * pointer; later accesses are loads and stores through the real
 * pointer (p->y's address is an add); free is a real call. */
#include <stdlib.h>
#include "hints.h"

struct pt {
	long x; /* set before the escape */
	long y; /* 0 until after it */
};

TS_RESIDUAL long sink(struct pt *p)
{
	p->x += 1;
	return p->x * 10 + p->y;
}

long virtescape(long x, long y)
{
	struct pt *p = calloc(1, sizeof *p);
	long r;

	p->x = x + y;
	r = sink(p);
	r += sink(p);
	p->y = r;
	r += p->x;
	free(p);
	return r;
}
// RUN: 1 2 -> 95 | add=4 load=1 store=2 call=4
// RUN: 5 -5 -> 32 | add=4 load=1 store=2 call=4
