/* vescape.c: frames that escape: offset by a run-time index, stored into
 * memory, passed to an unknown (indirect) callee.  Each is written back
 * and becomes a plain pointer; results must not change. */
#include <stdio.h>
#include <stdlib.h>
#include "hints.h"

struct fr {
	long sp;       /* a depth */
	long slot[8];  /* slots */
};

struct fr *saved; /* where the frame is stored (escape) */

static TS_RESIDUAL long bump(void)
{
	saved->slot[0] += 100; /* through the stored pointer */
	return saved->sp;
}

static TS_RESIDUAL void twice(struct fr *f)
{
	f->slot[1] *= 2;
}

void (*volatile hook)(struct fr *) = twice;

long vescape(long k, struct fr *f, long i);

long vescape(long k, struct fr *f, long i)
{
	long r;

	TS_VIRTUALIZABLE(f);
	f->slot[0] = k;
	f->slot[1] = k + 1;
	f->sp = 2;
	f->slot[i & 7] += 1;   /* a run-time index: the frame escapes */
	r = f->slot[0] + f->slot[1] * 10;
	hook(f);               /* unknown callee */
	r = r * 100 + f->slot[1];
	saved = f;             /* stored: escapes */
	r = r * 100 + bump() + f->slot[0];
	return r;
}

int main(int argc, char **argv)
{
	struct fr f = {0, {0}};
	long i = argc > 1 ? atol(argv[1]) : 0;
	long r = vescape(4, &f, i);

	printf("%ld %ld %ld %ld\n", r, f.sp, f.slot[0], f.slot[1]);
	return 0;
}
