/* portal: portal
 * error: the merge point lists a floating-point value. */
#include "hints.h"

double portal(double x, long n)
{
	while (n--) {
		TS_MERGE_POINT(x);
		x = x * 2;
	}
	return x;
}
