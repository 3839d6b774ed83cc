/* acc.c: a tiny register machine, the worked example of docs/build.md,
 * split over two files (with accops.c) whose static symbols share names,
 * so that `tsgen build` must name them the same way in the plain build and
 * in the generating extension.
 *
 * A program is one string of two-character instructions, opcode then a
 * digit d:  sd r[d] = a    ld a = r[d]    ad a += r[d]    id a += d
 *           dd a -= d      jd if a != 0 go to instruction d
 *           p0 print a     r0 return a
 * Usage: acc PROGRAM N (a starts as N); prints the result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hints.h"
#include "acc.h"

static long calls; /* instructions `p` run (same name as in accops.c) */

/* Print a value: residual, never run at compile time. */
static TS_RESIDUAL void out(long v)
{
	calls++;
	printf("%ld\n", v);
}

/* The portal: the interpreter's dispatch loop. */
long acc_run(const char *code, long len, long pc, long a)
{
	long r[4] = {0, 0, 0, 0};

	code = TS_DEEPFREEZE(code);
	for (;;) {
		TS_MERGE_POINT(pc, code, len);
		if (pc < 0 || pc + 1 >= len)
			return acc_fail("pc out of range", pc);
		char op = TS_GREEN(code[pc]);
		long d = TS_GREEN(code[pc + 1] - '0');
		pc += 2;
		if (d < 0 || d > 9)
			return acc_fail("bad operand", pc - 2);
		switch (op) {
		case 's': if (d > 3) return acc_fail("no register", pc - 2); r[d] = a; break;
		case 'l': if (d > 3) return acc_fail("no register", pc - 2); a = r[d]; break;
		case 'a': if (d > 3) return acc_fail("no register", pc - 2); a = acc_add(a, r[d]); break;
		case 'i': a = acc_add(a, d); break;
		case 'd': a = acc_add(a, -d); break;
		case 'j': if (a) pc = 2 * d; break;
		case 'p': out(a); break;
		case 'r': return a;
		default: return acc_fail("unknown opcode", pc - 2);
		}
	}
}

int main(int argc, char **argv)
{
	long n, res;

	if (argc != 3) {
		fprintf(stderr, "usage: acc PROGRAM N\n");
		return 2;
	}
	n = strtol(argv[2], NULL, 10);
	res = acc_run(argv[1], (long)strlen(argv[1]), 0, n);
	if (acc_failed())
		return 1;
	printf("%ld\n", res);
	return 0;
}
