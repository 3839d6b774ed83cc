/* A megamorphic site without a generic path: the promoted value decides
 * the next pc, which the merge point needs green, so the site cannot be
 * compiled with the value red (the annotator keeps no generic variant).
 * Past TS_MAXCASES a value gets a leave-mode bridge, as before. */
#include "hints.h"

long promote_nogeneric(long n, long y)
{
	long pc = 0, i = 0, acc = 0;

	for (;;) {
		TS_MERGE_POINT(pc);
		if (pc == 0) {
			if (i >= n)
				return acc;
			pc = 1;
		} else if (pc == 1) {
			acc += y;
			pc = 2 + (TS_PROMOTE(i) & 1);
		} else {
			acc += pc * i;
			i++;
			pc = 0;
		}
	}
}
// RUN: 10 3 3 -> 145 | - | flex=1 leave=0 generic=0
// RUN: TS_MAXCASES=4 10 3 3 -> 145 | - | flex=1 leave=1 generic=0
// RUN: TS_MAXCASES=0 10 3 3 -> 145 | - | flex=1 leave=1 generic=0
