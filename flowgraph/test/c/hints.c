/* The hints of hints.h: identities at run time. */
#include <stdio.h>
#include "hints.h"

struct frame {
	long pc;
	long acc;
};

static TS_ELIDABLE int twice(int x) { return 2 * x; }
static TS_RESIDUAL void show(long v) { printf("acc %ld\n", v); }

static long interp(const unsigned char *code, long n)
{
	struct frame f = {0, n};

	TS_VIRTUALIZABLE(&f);
	for (;;) {
		unsigned char op;
		TS_MERGE_POINT(f.pc, code);
		code = TS_DEEPFREEZE(code);
		op = code[TS_PROMOTE(f.pc)];
		f.pc++;
		switch (op) {
		case 0:
			return f.acc;
		case 1:
			f.acc += TS_GREEN(twice(3));
			break;
		case 2:
			show(f.acc);
			break;
		}
	}
}

int main(void)
{
	static const unsigned char prog[] = {1, 2, 1, 1, 2, 0};

	printf("%ld\n", interp(prog, 4));
	return 0;
}
