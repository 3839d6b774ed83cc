/* portal: indirect
 * A call through a green function pointer (from a const table at a green
 * index) is inlined: its possible targets are specialised; through a red
 * one it is residual. */
#include "hints.h"

static long inc(long x) { return x + 1; }
static long dec(long x) { return x - 1; }

static long (*const ops[2])(long) = {inc, dec};
static long (*hook)(long) = inc;

long indirect(long op, long v)
{
	op = TS_GREEN(op);
	return ops[op & 1](v) + hook(v);
}
