/* portal: simple
 * Origins: x is required green, so z (from x and a constant) is green;
 * y is red, so everything computed from it is red. */
#include "hints.h"

long simple(long x, long y)
{
	long z = TS_GREEN(x) + 1;
	long w = y * z;
	return w + z;
}
