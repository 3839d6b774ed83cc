/* skew.c: a portal whose residual helper exists only when tsgen analyses
 * the file (under TS_ANALYZE): the generating extension would call a
 * static function that the plain build does not define, which `tsgen
 * build` must report as an error (interpreters/test/jit.sh). */
#include "hints.h"

#ifdef TS_ANALYZE
static TS_RESIDUAL long seen(long v)
{
	return v - 1;
}
#else
static long other(long v)
{
	return v - 1;
}
#define seen other
#endif

long skew(long x, long y)
{
	x = TS_GREEN(x);
	return seen(y) + x;
}

int main(void)
{
	return (int)skew(1, 2) - 2;
}
