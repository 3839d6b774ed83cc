/* vloop.c: a loop that only touches the frame.  Its three fields are read
 * once at entry and the two it changes are written once at exit: in the
 * loop they are registers (the reentry block's arguments). */
#include <stdio.h>
#include <stdlib.h>
#include "hints.h"

struct fr {
	long i;   /* counter */
	long acc; /* sum */
	long n;   /* bound (read only) */
};

long vloop(long k, struct fr *f);

long vloop(long k, struct fr *f)
{
	long acc;

	TS_VIRTUALIZABLE(f);
	for (;;) {
		TS_MERGE_POINT(k);
		acc = f->acc;
		if (f->i >= f->n)
			return acc;
		f->acc = acc + f->i * k;
		f->i++;
	}
}

int main(int argc, char **argv)
{
	struct fr f = {0, 0, 0};
	long r;

	f.n = argc > 1 ? atol(argv[1]) : 10;
	r = vloop(3, &f);
	printf("%ld %ld %ld %ld\n", r, f.i, f.acc, f.n);
	return 0;
}
