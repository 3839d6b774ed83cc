/* portal: joins
 * Joins: a green condition joins green values (green); a red condition
 * splits, and the join of a green and a red value is red. */
#include "hints.h"

long joins(long g, long r)
{
	long a, b;

	g = TS_GREEN(g);
	if (g > 3)
		a = g * 2;
	else
		a = g - 1;
	if (r > 0)
		b = a;
	else
		b = r;
	return a + b;
}
