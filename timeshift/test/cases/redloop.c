/* A loop on a red counter becomes one residual loop (its first iteration
 * peeled, keeping acc = 0 constant there). */
#include "hints.h"

long redloop(long n, long y)
{
	long acc = 0;

	while (n > 0) {
		acc += y;
		n--;
	}
	return acc;
}
// RUN: 5 3 -> 15 | add=3 sgt=2
// RUN: 0 3 -> 0 | add=3 sgt=2
