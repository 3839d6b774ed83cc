/* A megamorphic promotion site in an interpreter loop: i takes n values
 * at one site.  The first TS_MAXCASES values get full cases (the loop goes
 * on in compiled code); a value past the bound gets a leave-mode bridge:
 * specialised only up to the global merge point, where the interpreter
 * takes over (the generic path).  The third argument repeats the call. */
#include "hints.h"

long promote_mega(long n, long y)
{
	long pc = 0, i = 0, acc = 0;

	for (;;) {
		TS_MERGE_POINT(pc);
		if (pc == 0) {
			if (i >= n)
				return acc;
			pc = 1;
		} else {
			acc += TS_PROMOTE(i) * y;
			i++;
			pc = 0;
		}
	}
}
// RUN: 10 3 3 -> 135 | - | flex=1 leave=0 all.mul=9
// RUN: TS_MAXCASES=4 10 3 3 -> 135 | - | flex=1 leave=1 all.mul=4
// RUN: TS_MAXCASES=0 10 3 3 -> 135 | - | flex=1 leave=1
