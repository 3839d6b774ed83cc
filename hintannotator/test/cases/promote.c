/* portal: promote
 * TS_PROMOTE makes a red value green from that point: what is computed
 * from the promoted value is green, what is computed from the original is
 * still red. */
#include "hints.h"

long promote(long r)
{
	long p = TS_PROMOTE(r);
	long a = p * 4;
	long b = r * 4;
	return a + b;
}
