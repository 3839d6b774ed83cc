/* vcalls.c: residual calls that read and write the frame.  peek_a reads
 * only a, poke_b writes only b, sum reads everything: before each call
 * only the dirty fields it reads are written back, after poke_b only b
 * is reloaded. */
#include <stdio.h>
#include <stdlib.h>
#include "hints.h"

struct fr {
	long a; /* offset 0 */
	long b; /* offset 8 */
	long c; /* offset 16 */
};

static TS_RESIDUAL long peek_a(const struct fr *f)
{
	return f->a;
}

static TS_RESIDUAL void poke_b(struct fr *f, long v)
{
	f->b = v;
}

static TS_RESIDUAL long sum(const struct fr *f)
{
	return f->a * 100 + f->b * 10 + f->c;
}

long vcalls(long k, struct fr *f);

long vcalls(long k, struct fr *f)
{
	long r;

	TS_VIRTUALIZABLE(f);
	f->a = f->a + k;     /* a dirty */
	f->c = 5;            /* c dirty */
	r = peek_a(f);       /* writes back a only */
	poke_b(f, f->b + 7); /* b read before (loaded), written by the call */
	r = r * 1000 + f->b; /* b reloaded: the callee's value */
	f->a = f->a + 1;     /* a dirty again */
	r = r * 1000 + sum(f); /* writes back a and c */
	f->b = 9;            /* written back at the return */
	return r;
}

int main(int argc, char **argv)
{
	struct fr f = {1, 2, 3};
	long k = argc > 1 ? atol(argv[1]) : 1;
	long r = vcalls(k, &f);

	printf("%ld %ld %ld %ld\n", r, f.a, f.b, f.c);
	return 0;
}
