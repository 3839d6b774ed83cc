/* portal: portal
 * error: two merge points in the portal. */
#include "hints.h"

long portal(long pc, long n)
{
	while (n--) {
		TS_MERGE_POINT(pc);
		pc++;
		TS_MERGE_POINT(pc);
	}
	return pc;
}
