/* portal: loops
 * A loop whose exit is green unrolls (its counter stays green); a loop
 * whose exit depends on a red value keeps its counter red and its head is
 * a merge point. */
#include "hints.h"

long loops(long n, long m)
{
	long s = 0, i, j;

	n = TS_GREEN(n);
	for (i = 0; i < n; i++)
		s += m;
	for (j = 0; j < m; j++)
		s += j;
	return s;
}
