/* Generalisation at a merge: s is 0 on the first visit of the loop head,
 * 3 on the second: the loop is compiled for s a variable. */
#include "hints.h"

long generalise(long n, long y)
{
	long s = 0;

	while (n > 0) {
		s = s + 3;
		n = n - 1;
	}
	return s + y;
}
// RUN: 5 1 -> 16 | -
// RUN: 0 1 -> 1 | -
