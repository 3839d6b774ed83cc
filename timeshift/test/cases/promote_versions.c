/* A megamorphic site whose cases each compile a loop: k = TS_PROMOTE(j)
 * is a green of the inner loop's key, so each of the first TS_MAXCASES
 * values gets its own inner loop (k * 3 folded); the later values share
 * one generic bridge (k red: its inner loop multiplies), which goes back
 * to the outer loop's code; under TS_GENERIC=0 they get leave-mode
 * bridges.  Nothing fails. */
#include "hints.h"

long promote_versions(long n, long y)
{
	long acc = 0, j, i, k;

	for (j = 0; j < n; j++) {
		k = TS_PROMOTE(j);
		for (i = 0; i < y; i++)
			acc += k * 3;
	}
	return acc;
}
// RUN: 14 3 -> 819 | - | flex=2 leave=0 generic=0 failed=0 all.mul=0
// RUN: 30 3 -> 3915 | - | flex=2 leave=0 generic=1 failed=0 all.mul=2
// RUN: TS_MAXCASES=4 30 3 -> 3915 | - | flex=2 leave=0 generic=1 failed=0 all.mul=2
// RUN: TS_GENERIC=0 30 3 -> 3915 | - | flex=2 leave=12 generic=0 failed=0 all.mul=0
// RUN: TS_GENERIC=0 TS_MAXCASES=4 30 3 -> 3915 | - | flex=2 leave=24 generic=0 failed=0
