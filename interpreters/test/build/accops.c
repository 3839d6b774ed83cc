/* accops.c: the second file of the acc example (see acc.c). */
#include <stdio.h>
#include "hints.h"
#include "acc.h"

static long calls; /* errors reported (same name as in acc.c) */

/* Report a run-time error: residual (a static named like acc.c's out). */
static TS_RESIDUAL void out(const char *what, long pc)
{
	fprintf(stderr, "acc: error: %s at pc %ld\n", what, pc);
}

/* Addition that wraps around. */
long acc_add(long a, long b)
{
	return (long)((unsigned long)a + (unsigned long)b);
}

long acc_fail(const char *what, long pc)
{
	calls++;
	out(what, pc);
	return 0;
}

int acc_failed(void)
{
	return calls != 0;
}
