/* portal: spec
 * Two call sites with different colour patterns give two specialisations
 * of the callee (h.GR and h.RR); a third with the same pattern as the
 * first reuses it. */
#include "hints.h"

static long h(long a, long b)
{
	return a * b + 1;
}

long spec(long g, long r)
{
	g = TS_GREEN(g);
	return h(g, r) + h(r, r) + h(g + 1, r);
}
