/* A megamorphic promotion site in an interpreter loop: i takes n values
 * at one site.  The first TS_MAXCASES values get full cases (the loop goes
 * on in compiled code, i * y folded per value); the first later value
 * compiles the site's one generic bridge: the code after the promotion
 * with i red (the promotion a copy: spec promote_mega.pOP), and the path
 * stays there: its loop (two more bridges, the lazy sides of its splits)
 * runs every later value, so n = 100 compiles what n = 10 does.  Under
 * TS_GENERIC=0 a value past the bound gets a leave-mode bridge instead
 * (specialised up to the global merge point, where the interpreter takes
 * over).  The third argument repeats the call. */
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
// RUN: 10 3 3 -> 135 | - | flex=1 leave=0 generic=0 all.mul=9
// RUN: TS_MAXCASES=4 10 3 3 -> 135 | - | flex=1 bridges=8 generic=1 leave=0 all.mul=7
// RUN: TS_MAXCASES=4 100 3 3 -> 14850 | - | flex=1 bridges=8 generic=1 leave=0 all.mul=7
// RUN: TS_MAXCASES=1 10 3 3 -> 135 | - | flex=1 bridges=5 generic=1 leave=0 all.mul=4
// RUN: TS_MAXCASES=0 10 3 3 -> 135 | - | flex=1 bridges=4 generic=1 leave=0 all.mul=4
// RUN: TS_GENERIC=0 TS_MAXCASES=4 10 3 3 -> 135 | - | flex=1 generic=0 leave=1 all.mul=5
