/* portal: explain
 * args: --explain explain.c:14
 * --explain: why the values on a line are green or red. */
#include "hints.h"

static long mem[4];

long explain(long g, long r)
{
	long a, b;

	g = TS_GREEN(g);
	a = g * 3;
	b = a + mem[r & 3] + r;
	return b;
}
