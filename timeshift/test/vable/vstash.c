/* vstash.c: a residual callee keeps the frame pointer (stores it in a
 * global): the effect analysis marks it escaping, so the frame is written
 * back before the call and is a plain pointer afterwards: a later helper
 * that reads the frame through the global sees current values. */
#include <stdio.h>
#include <stdlib.h>
#include "hints.h"

struct fr {
	long a; /* offset 0 */
	long b; /* offset 8 */
};

struct fr *saved; /* the kept frame */

static TS_RESIDUAL void stash(struct fr *f)
{
	saved = f;
}

static TS_RESIDUAL long readsaved(void)
{
	return saved->a * 10 + saved->b;
}

long vstash(long k, struct fr *f);

long vstash(long k, struct fr *f)
{
	TS_VIRTUALIZABLE(f);
	f->a = k;
	f->b = k + 1;
	stash(f);          /* escapes: a and b written back */
	f->a = f->a + 5;   /* now a plain store */
	return readsaved() * 100 + f->b;
}

int main(int argc, char **argv)
{
	struct fr f = {0, 0};
	long r = vstash(argc > 1 ? atol(argv[1]) : 1, &f);

	printf("%ld %ld %ld\n", r, f.a, f.b);
	return 0;
}
