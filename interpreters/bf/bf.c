/* bf.c: a Brainfuck interpreter.
 *
 *   usage: bf FILE          runs FILE; `,` reads stdin (0 at end of input)
 *
 * Portal: bf_run(code, match, pc, tape, ptr).  Greens: pc, the code and the
 * bracket table (both deep-frozen).
 *
 * The program text is translated one command per byte into the opcodes
 * below (other characters are dropped) and ended by OP_END; the bracket
 * table match[] gives, for each bracket, the pc of its partner.  The tape
 * has 30000 cells of 8 bits that wrap; moving off either end is an error.
 * Built with -DCOMPUTED_GOTO the dispatch is `goto *table[op]` instead of a
 * switch (one dispatch point, at the loop head, in both forms).
 */
#include <stdio.h>
#include <stdlib.h>
#include "hints.h"

/* Opcodes: name, source character. */
#define BF_OPS(_) \
	_(END, 0)     /* end of program */ \
	_(RIGHT, '>') /* ptr += 1 */ \
	_(LEFT, '<')  /* ptr -= 1 */ \
	_(INC, '+')   /* tape[ptr] += 1 (wraps) */ \
	_(DEC, '-')   /* tape[ptr] -= 1 (wraps) */ \
	_(OUT, '.')   /* write tape[ptr] */ \
	_(IN, ',')    /* tape[ptr] = next input byte, 0 at end of input */ \
	_(OPEN, '[')  /* if tape[ptr] == 0, pc = match[pc] + 1 */ \
	_(CLOSE, ']') /* if tape[ptr] != 0, pc = match[pc] + 1 */

enum {
#define OPENUM(name, ch) OP_##name,
	BF_OPS(OPENUM)
#undef OPENUM
	OP_N
};

static const char opchar[OP_N] = {
#define OPCHAR(name, ch) ch,
	BF_OPS(OPCHAR)
#undef OPCHAR
};

enum { BF_TAPE = 30000 };

#ifdef COMPUTED_GOTO
#define vmdispatch(op) \
	if ((unsigned)(op) >= OP_N) \
		goto L_BAD; \
	goto *disptab[op];
#define vmcase(name) L_##name:
#define vmdefault L_BAD:
#else
#define vmdispatch(op) switch (op)
#define vmcase(name) case OP_##name:
#define vmdefault default:
#endif
#define vmbreak continue

static const long *bf_srcoff; /* source offset of each pc, for errors */

/* Report a guest run-time error at pc and exit 1. */
static TS_RESIDUAL void bf_fail(const char *what, long pc)
{
	fprintf(stderr, "bf: error: %s at offset %ld\n", what, bf_srcoff[pc]);
	exit(1);
}

static TS_RESIDUAL void bf_putc(long c)
{
	putchar((int)c);
}

static TS_RESIDUAL long bf_getc(void)
{
	int c = getchar();

	return c == EOF ? 0 : c;
}

long bf_run(const unsigned char *code, const int *match, long pc,
            unsigned char *tape, long ptr);

/* The portal: run code from pc on the tape at ptr; return the final ptr. */
long bf_run(const unsigned char *code, const int *match, long pc,
            unsigned char *tape, long ptr)
{
	int op;
#ifdef COMPUTED_GOTO
	static void *const disptab[OP_N] = {
#define OPLABEL(name, ch) &&L_##name,
		BF_OPS(OPLABEL)
#undef OPLABEL
	};
#endif

	code = TS_DEEPFREEZE(code);
	match = TS_DEEPFREEZE(match);
	for (;;) {
		TS_MERGE_POINT(pc, code, match);
		op = TS_GREEN(code[pc]);
		vmdispatch(op) {
		vmcase(END)
			return ptr;
		vmcase(RIGHT)
			if (ptr == BF_TAPE - 1)
				bf_fail("moved off the right end of the tape", pc);
			ptr++;
			pc++;
			vmbreak;
		vmcase(LEFT)
			if (ptr == 0)
				bf_fail("moved off the left end of the tape", pc);
			ptr--;
			pc++;
			vmbreak;
		vmcase(INC)
			tape[ptr]++;
			pc++;
			vmbreak;
		vmcase(DEC)
			tape[ptr]--;
			pc++;
			vmbreak;
		vmcase(OUT)
			bf_putc(tape[ptr]);
			pc++;
			vmbreak;
		vmcase(IN)
			tape[ptr] = (unsigned char)bf_getc();
			pc++;
			vmbreak;
		vmcase(OPEN)
			if (tape[ptr] == 0)
				pc = match[pc];
			pc++;
			vmbreak;
		vmcase(CLOSE)
			if (tape[ptr] != 0)
				pc = match[pc];
			pc++;
			vmbreak;
		vmdefault
			bf_fail("unknown opcode", pc);
			return ptr;
		}
	}
}

/* --- loading ------------------------------------------------------------ */

typedef struct {
	unsigned char *code; /* opcodes, ended by OP_END */
	int *match;          /* partner pc of each bracket, else 0 */
	long *srcoff;        /* source offset of each pc */
	long len;            /* opcodes before OP_END */
} Prog;

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "bf: error: out of memory\n");
		exit(1);
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "bf: error: out of memory\n");
		exit(1);
	}
	return p;
}

/* Translate the text of FILE into p->code and p->srcoff. */
static void load(Prog *p, const char *path)
{
	FILE *f = fopen(path, "rb");
	long cap = 4096, off = 0;
	int c, op;

	if (!f) {
		fprintf(stderr, "bf: error: cannot open '%s'\n", path);
		exit(1);
	}
	p->code = xmalloc(cap);
	p->srcoff = xmalloc(cap * sizeof(long));
	p->len = 0;
	for (; (c = fgetc(f)) != EOF; off++) {
		for (op = 1; op < OP_N; op++)
			if (opchar[op] == c)
				break;
		if (op == OP_N)
			continue;
		if (p->len + 1 == cap) {
			cap *= 2;
			p->code = xrealloc(p->code, cap);
			p->srcoff = xrealloc(p->srcoff, cap * sizeof(long));
		}
		p->srcoff[p->len] = off;
		p->code[p->len++] = (unsigned char)op;
	}
	fclose(f);
	p->srcoff[p->len] = off;
	p->code[p->len] = OP_END;
}

/* Fill p->match, or exit 1 on an unbalanced bracket. */
static void matchbrackets(Prog *p)
{
	long *open = xmalloc((p->len + 1) * sizeof(long));
	long n = 0, pc;

	p->match = xmalloc((p->len + 1) * sizeof(int));
	for (pc = 0; pc <= p->len; pc++) {
		p->match[pc] = 0;
		if (p->code[pc] == OP_OPEN) {
			open[n++] = pc;
		} else if (p->code[pc] == OP_CLOSE) {
			if (n == 0) {
				fprintf(stderr, "bf: error: unbalanced ']' at offset %ld\n",
				        p->srcoff[pc]);
				exit(1);
			}
			n--;
			p->match[pc] = (int)open[n];
			p->match[open[n]] = (int)pc;
		}
	}
	if (n > 0) {
		fprintf(stderr, "bf: error: unbalanced '[' at offset %ld\n",
		        p->srcoff[open[n - 1]]);
		exit(1);
	}
	free(open);
}

int main(int argc, char **argv)
{
	static unsigned char tape[BF_TAPE];
	Prog p;

	if (argc != 2) {
		fprintf(stderr, "usage: bf FILE\n");
		return 2;
	}
	load(&p, argv[1]);
	if (p.len >= 0x7fffffff) {
		fprintf(stderr, "bf: error: program too long\n");
		return 1;
	}
	matchbrackets(&p);
	bf_srcoff = p.srcoff;
	bf_run(p.code, p.match, 0, tape, 0);
	fflush(stdout);
	return 0;
}
