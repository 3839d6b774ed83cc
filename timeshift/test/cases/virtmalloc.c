/* Objects from malloc and calloc that never escape live in boxes: no
 * call, load or store remains (malloc's null check folds: a virtual
 * object is never null; free of one vanishes; calloc's fields read 0). */
#include <stdlib.h>
#include "hints.h"

struct pt {
	long x; /* first coordinate */
	long y; /* second */
	long z; /* never written (calloc: 0) */
};

static struct pt *mkpt(long x, long y)
{
	struct pt *p = malloc(sizeof *p);

	if (!p)
		return NULL;
	p->x = x;
	p->y = y;
	return p;
}

long virtmalloc(long x, long y)
{
	struct pt *a = mkpt(x, y);
	struct pt *b = mkpt(a->x + 1, a->y * 2);
	struct pt *c = calloc(1, sizeof *c);
	long r;

	c->x = b->x + b->y;
	r = c->x + c->z;
	free(a);
	free(b);
	free(c);
	return r;
}
// RUN: 3 4 -> 12 | add=2 mul=1
// RUN: -1 5 -> 10 | add=2 mul=1
