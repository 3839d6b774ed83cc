/* portal: portal
 * error: a merge point outside the portal. */
#include "hints.h"

static long helper(long pc)
{
	TS_MERGE_POINT(pc);
	return pc;
}

long portal(long pc)
{
	return helper(pc);
}
