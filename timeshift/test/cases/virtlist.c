/* A list consed from malloc'd cells in a red loop: every iteration adds
 * a cell, so the virtual structure would grow without end; merge points
 * force cells deeper than two heap objects (one real cell per iteration
 * once the loop runs), so the loop keeps one shape and closes.  The sum
 * loop then walks real cells.  No iteration may lose a cell. */
#include <stdlib.h>
#include "hints.h"

struct node {
	long v;            /* value */
	struct node *next; /* the rest of the list */
};

long virtlist(long x, long y)
{
	struct node *l = NULL, *n;
	long i, s = 0;

	for (i = 0; i < x; i++) {
		n = malloc(sizeof *n);
		if (!n)
			return -1;
		n->v = i * y;
		n->next = l;
		l = n;
	}
	for (; l; l = l->next)
		s += l->v;
	return s;
}
// RUN: 0 3 -> 0 | -
// RUN: 1 3 -> 0 | -
// RUN: 2 3 -> 3 | -
// RUN: 10 3 -> 135 | - | failed=0 all.call=2
// RUN: 1000 1 -> 499500 | - | failed=0
