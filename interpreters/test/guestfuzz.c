/*
 * guestfuzz.c: random differential testing of the JIT VMs on guest
 * programs.  A seed drives a generator of programs for TLR, TL, TLC,
 * Brainfuck and TLF (TL's programs and its frame helpers) in their source
 * form; each program runs on the plain interpreter (bin/NAME) and on its
 * JIT VM (bin/NAME-jit), for a quarter of the seeds in a test mode
 * (TS_INTERP=1, the residual-IR interpreter as oracle, most often;
 * TS_EAGER=1 or TS_LEAVE=1).  Stdout, stderr and the exit status must
 * agree.
 *
 * Valid programs terminate by construction: loops count a protected
 * counter (a register in TLR, a stack slot below the loop body's floor in
 * TL and TLC, a cell in Brainfuck) down from a small constant, other
 * branches jump forward, TL's recursion stops at an argument <= 0 (and in
 * any case at the interpreters' 1000 nested calls), and a block's byte
 * budget keeps branches within their one-byte offsets.  The generator
 * tracks TL's stack depth so that every instruction finds its operands
 * (the depth at each pc is fixed, as TL's green sp wants).  A third of the
 * programs are then broken on purpose by one mutation: unknown opcode, bad
 * or missing operand, out-of-range register or jump, jump into an
 * instruction, undefined or twice-defined label, stack underflow or
 * overflow, division by zero, unbounded recursion, unbalanced brackets,
 * moving off the tape, stray characters; the error message and the exit
 * status must match too.
 *
 * A program is a list of lines; on a mismatch the lines are dropped one by
 * one while the mismatch persists (the plain run must still end in time)
 * and the smallest program is printed with the seed.
 *
 * Usage: guestfuzz [-n N] [-s SEED] [-l LANGS] [-b BINDIR] [-j JITDIR]
 *                  [-m MODE] [-p] [-q] [-v]
 *   runs seeds SEED .. SEED+N-1, the language of a seed taking turns over
 *   LANGS (comma-separated, default tlr,tl,tlc,bf,tlf); BINDIR holds the plain
 *   interpreters (default bin), JITDIR the JIT VMs (default BINDIR); -m
 *   runs every JIT VM in MODE (e.g. TS_LEAVE=1; "" for none); -p
 *   prints the program of SEED and both outcomes; -q does not minimise;
 *   -v prints one line per program.  Ends with a line per language
 *   "lang NAME: N programs, V valid, K ok (exit 0), T plain timeouts, M
 *   mismatches" and "fuzz: N programs, M mismatches".
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
	MAXLINES = 2048,    /* lines of one program */
	MAXLINE = 96,       /* characters of one line */
	MAXOUT = 1 << 16,   /* bytes of stdout or stderr kept */
	PLAIN_MS = 2000,    /* the plain interpreter's time limit */
	JIT_MS = 30000,     /* the JIT VM's (it compiles as it goes) */
};

/* ---- random numbers ------------------------------------------------------------ */

/* xorshift64* (Vigna); the state is never 0. */
typedef struct {
	uint64_t s; /* state */
} Rng;

static void seedrng(Rng *r, uint64_t seed)
{
	r->s = seed * 0x9e3779b97f4a7c15ULL | 1;
}

static uint64_t rnd(Rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

/* A number in 0 .. n-1. */
static long rn(Rng *r, long n)
{
	return n > 0 ? (long)(rnd(r) % (uint64_t)n) : 0;
}

/* True pct times in 100. */
static int chance(Rng *r, int pct)
{
	return rn(r, 100) < pct;
}

/* ---- programs as lines ------------------------------------------------------------ */

typedef struct {
	char line[MAXLINES][MAXLINE]; /* the source, one line each */
	int n;                        /* count of lines */
	int full;                     /* a line did not fit */
} Prog;

/* Append a formatted line. */
static void __attribute__((format(printf, 2, 3))) add(Prog *p, const char *fmt, ...)
{
	va_list ap;

	if (p->n == MAXLINES) {
		p->full = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(p->line[p->n++], MAXLINE, fmt, ap);
	va_end(ap);
}

/* Insert a line before line i. */
static void insertat(Prog *p, int i, const char *s)
{
	if (p->n == MAXLINES)
		return;
	memmove(p->line[i + 1], p->line[i], (size_t)(p->n - i) * MAXLINE);
	snprintf(p->line[i], MAXLINE, "%s", s);
	p->n++;
}

static void dropline(Prog *p, int i)
{
	memmove(p->line[i], p->line[i + 1], (size_t)(p->n - i - 1) * MAXLINE);
	p->n--;
}

/* Write the program to path, a newline after every line. */
static int writeprog(const Prog *p, const char *path)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		return -1;
	for (i = 0; i < p->n; i++)
		fprintf(f, "%s\n", p->line[i]);
	return fclose(f);
}

/* ---- TLR ----------------------------------------------------------------- */

/* Registers: r0 holds -1, r1 .. r(ndata) data (r1 starts as N), the loop
 * counters above them, one per nesting level. */
typedef struct {
	Rng *r;     /* the seed's numbers */
	Prog *p;    /* the program */
	int ndata;  /* data registers */
	int nregs;  /* registers allocated */
	int bytes;  /* bytes of code so far */
	int labels; /* labels used */
} Tlr;

enum { TLR_NEST = 3, TLR_BUDGET = 200 };

static void tlrop(Tlr *g, const char *op, int arg)
{
	if (arg < 0) {
		add(g->p, "%s", op);
		g->bytes += 1;
	} else {
		add(g->p, "%s %d", op, arg);
		g->bytes += 2;
	}
}

/* Any register that may be read: data, counters or r0. */
static int tlranyreg(Tlr *g)
{
	return (int)rn(g->r, g->nregs);
}

static void tlrblock(Tlr *g, int depth);

/* One straight-line instruction on a and the data registers. */
static void tlrsimple(Tlr *g)
{
	switch (rn(g->r, 8)) {
	case 0: tlrop(g, "SET_A", (int)rn(g->r, chance(g->r, 70) ? 10 : 256)); break;
	case 1: tlrop(g, "MOV_A_R", 1 + (int)rn(g->r, g->ndata)); break;
	case 2: tlrop(g, "MOV_R_A", tlranyreg(g)); break;
	case 3: case 4: tlrop(g, "ADD_R_TO_A", tlranyreg(g)); break;
	case 5: tlrop(g, "NEG_A", -1); break;
	case 6: tlrop(g, "NOP", -1); break;
	default: tlrop(g, "MOV_R_A", 1 + (int)rn(g->r, g->ndata)); break;
	}
}

/* A loop counting register c down from k: the body never writes c. */
static void tlrloop(Tlr *g, int depth)
{
	int c = g->ndata + 1 + depth, l = g->labels++;

	tlrop(g, "SET_A", 1 + (int)rn(g->r, 12));
	tlrop(g, "MOV_A_R", c);
	add(g->p, "l%d:", l);
	tlrblock(g, depth + 1);
	tlrop(g, "MOV_R_A", c);
	tlrop(g, "ADD_R_TO_A", 0);
	tlrop(g, "MOV_A_R", c);
	add(g->p, "JUMP_IF_A l%d", l);
	g->bytes += 2;
}

/* A forward jump over a block when a != 0. */
static void tlrskip(Tlr *g, int depth)
{
	int l = g->labels++;

	add(g->p, "JUMP_IF_A l%d", l);
	g->bytes += 2;
	tlrblock(g, depth);
	add(g->p, "l%d:", l);
}

static void tlrblock(Tlr *g, int depth)
{
	long i, n = 1 + rn(g->r, 6);

	for (i = 0; i < n && g->bytes < TLR_BUDGET; i++) {
		long k = rn(g->r, 10);

		if (k < 2 && depth < TLR_NEST)
			tlrloop(g, depth);
		else if (k < 3)
			tlrskip(g, depth);
		else if (k < 4 && chance(g->r, 10))
			tlrop(g, "RETURN_A", -1);
		else
			tlrsimple(g);
	}
}

static void gentlr(Rng *r, Prog *p)
{
	Tlr g = {r, p, 1 + (int)rn(r, 4), 0, 0, 0};

	g.nregs = 1 + g.ndata + TLR_NEST;
	add(p, "# seeded TLR program");
	tlrop(&g, "ALLOCATE", g.nregs);
	tlrop(&g, "MOV_A_R", 1);
	tlrop(&g, "SET_A", 1);
	tlrop(&g, "NEG_A", -1);
	tlrop(&g, "MOV_A_R", 0);
	tlrop(&g, "MOV_R_A", 1);
	while (g.bytes < 40)
		tlrblock(&g, 0);
	if (chance(r, 50))
		tlrop(&g, "MOV_R_A", 1 + (int)rn(r, g.ndata));
}

/* Break a TLR program with one mutation. */
static void breaktlr(Rng *r, Prog *p)
{
	static const char *const bad[] = {
		"FOO", "MOV_R_A 255", "ADD_R_TO_A 200", "JUMP_IF_A 1", "JUMP_IF_A 255",
		"SET_A 256", "SET_A -1", "JUMP_IF_A nowhere", "l0: NOP", "SET_A 1 2",
		"SET_A", "NEG_A 3", "@", "MOV_A_R x", "set_a 1", "JUMP_IF_A 3",
		"l999:", "9: NOP", "SET_A 0x10", "RETURN_A ; fine", "NOP // no",
	};
	int i = 1 + (int)rn(r, p->n - 1), k;

	switch (rn(r, 5)) {
	case 0: /* drop the ALLOCATE: "no register" */
		dropline(p, 1);
		break;
	case 1: /* too long */
		for (k = 0; k < 130; k++)
			add(p, "SET_A 1");
		break;
	case 2: /* a bad opcode replaces an instruction */
		if (strchr(p->line[i], ':') == NULL) {
			snprintf(p->line[i], MAXLINE, "%s", bad[rn(r, 3) == 0 ? 0 : rn(r, 21)]);
			break;
		}
		/* fall through */
	default:
		insertat(p, i, bad[rn(r, 21)]);
		break;
	}
}

/* ---- TL and TLC ------------------------------------------------------------ */

/* The stack generator.  depth is the stack depth at the current point;
 * items below floor belong to an enclosing loop (its counter) and may only
 * be read (PICK).  pos is the byte offset, for BR_COND_STK's offsets. */
typedef struct {
	Rng *r;      /* the seed's numbers */
	Prog *p;     /* the program */
	int tlc;     /* generating TLC (objects, lists, PRINT) */
	int tlf;     /* generating TLF (DEPTH, SUM, INCALL on the frame) */
	int depth;   /* stack depth here */
	int floor;   /* items below are protected */
	int pos;     /* byte offset here */
	int labels;  /* labels used */
	int nfuncs;  /* functions f0 .. f(nfuncs-1) */
	int func;    /* the function being generated, -1 in main */
	int nest;    /* loop nesting */
	int fpos[3]; /* byte offsets of the functions */
} Tl;

enum { TL_NEST = 2, TL_MAXSTACK = 12 };

static void tlop(Tl *g, const char *op, int bytes, int delta)
{
	add(g->p, "%s", op);
	g->pos += bytes;
	g->depth += delta;
}

static void tlopi(Tl *g, const char *op, int arg, int delta)
{
	add(g->p, "%s %d", op, arg);
	g->pos += 2;
	g->depth += delta;
}

/* A small constant: mostly 0 .. 9, sometimes any byte. */
static int tlconst(Tl *g)
{
	return chance(g->r, 80) ? (int)rn(g->r, 10) : (int)rn(g->r, 256) - 128;
}

static void tlblock(Tl *g, int budget);

/* Items above the floor. */
static int tlavail(Tl *g)
{
	return g->depth - g->floor;
}

/* One stack instruction that fits the depth. */
static void tlsimple(Tl *g)
{
	static const char *const binop[] = {"ADD", "SUB", "MUL", "EQ", "NE", "LT",
	                                    "LE", "GT", "GE", "ADD", "SUB", "MUL"};
	int a = tlavail(g);
	long k = rn(g->r, 12);

	if (a < 2 && k >= 4)
		k = rn(g->r, 4);
	if (g->depth >= TL_MAXSTACK && k < 3)
		k = 3;
	if (k == 2 && g->depth == 0)
		k = 0;
	switch (k) {
	case 0: tlopi(g, "PUSH", tlconst(g), 1); break;
	case 1: tlop(g, "PUSHARG", 1, 1); break;
	case 2: tlopi(g, "PICK", (int)rn(g->r, g->depth), 1); break;
	case 3: tlop(g, a >= 1 ? "POP" : "NOP", 1, a >= 1 ? -1 : 0); break;
	case 4: tlop(g, "SWAP", 1, 0); break;
	case 5: tlopi(g, "ROLL", (chance(g->r, 50) ? -1 : 1) * (int)(2 + rn(g->r, a - 1)), 0); break;
	case 6: tlopi(g, "PUT", (int)rn(g->r, a - 1), -1); break;
	case 7: /* division by a nonzero constant, or by anything */
		if (chance(g->r, 80))
			tlopi(g, "PUSH", chance(g->r, 50) ? 1 + (int)rn(g->r, 9) : -1 - (int)rn(g->r, 9), 1);
		tlop(g, "DIV", 1, -1);
		break;
	default: tlop(g, binop[rn(g->r, 12)], 1, -1); break;
	}
}

/* Pop or push until the depth is d again. */
static void tlbalance(Tl *g, int d)
{
	while (g->depth > d)
		tlop(g, chance(g->r, 70) || g->depth - g->floor < 2 ? "POP" : "ADD", 1, -1);
	while (g->depth < d)
		tlopi(g, "PUSH", tlconst(g), 1);
}

/* A loop: a counter from k down to 0 below the body's floor. */
static void tlloop(Tl *g, int budget)
{
	int l = g->labels++, oldfloor = g->floor, d, top;

	tlopi(g, "PUSH", 1 + (int)rn(g->r, 8), 1);
	d = g->depth;
	g->floor = d;
	g->nest++;
	add(g->p, "l%d:", l);
	top = g->pos;
	tlblock(g, budget);
	tlbalance(g, d);
	tlopi(g, "PUSH", 1, 1);
	tlop(g, "SUB", 1, -1);
	tlopi(g, "PICK", 0, 1);
	if (chance(g->r, 70) || g->pos + 3 - top > 128) {
		add(g->p, "BR_COND l%d", l);
		g->pos += 2, g->depth -= 1;
	} else {
		tlopi(g, "PUSH", top - (g->pos + 3), 1);
		tlop(g, "BR_COND_STK", 1, -2);
	}
	g->nest--;
	g->floor = oldfloor;
	tlop(g, "POP", 1, -1);
}

/* A forward branch on the top over a balanced block, by BR_COND or
 * BR_COND_STK. */
static void tlskip(Tl *g, int budget)
{
	int l = g->labels++, d, at, from;
	char buf[MAXLINE];

	if (chance(g->r, 60)) {
		add(g->p, "BR_COND l%d", l);
		g->pos += 2, g->depth -= 1;
		d = g->depth;
		tlblock(g, budget);
		tlbalance(g, d);
		add(g->p, "l%d:", l);
		return;
	}
	at = g->p->n;
	tlopi(g, "PUSH", 0, 1); /* the offset, patched below */
	tlop(g, "BR_COND_STK", 1, -2);
	from = g->pos;
	d = g->depth;
	tlblock(g, budget);
	tlbalance(g, d);
	snprintf(buf, sizeof buf, "PUSH %d", g->pos - from > 127 ? 127 : g->pos - from);
	snprintf(g->p->line[at], MAXLINE, "%s", buf);
	if (g->pos - from > 127) /* too far: the jump would land inside */
		snprintf(g->p->line[at], MAXLINE, "PUSH 0");
}

/* A call of a function: from main, on the top (recursion as deep as the
 * value, or too deep) or on a small constant; from function fI (whose
 * own recursion is in tlfunc), of a lower one on a small constant. */
static void tlcall(Tl *g)
{
	int f;

	if (g->func == 0)
		return;
	f = (int)rn(g->r, g->func > 0 ? g->func : g->nfuncs);
	if (g->pos + 4 - g->fpos[f] > 128) /* CALL reaches 128 bytes back */
		return;
	if (g->func >= 0 || g->nest > 0 || chance(g->r, 70))
		tlopi(g, "PUSH", (int)rn(g->r, g->func >= 0 ? 4 : 12), 1);
	add(g->p, "CALL f%d", f);
	g->pos += 2;
	if (g->depth > 1 && tlavail(g) >= 2 && chance(g->r, 50))
		tlop(g, "ADD", 1, -1);
}

/* TLC only: a list, an object or PRINT. */
static void tlcextra(Tl *g)
{
	switch (rn(g->r, 5)) {
	case 0: /* print a copy of the top */
		tlopi(g, "PICK", 0, 1);
		tlop(g, "PRINT", 1, -1);
		break;
	case 1: /* a list of two, then its car or cdr's car */
		tlop(g, "NIL", 1, 1);
		tlopi(g, "PICK", 1, 1);
		tlop(g, "CONS", 1, -1);
		tlopi(g, "PICK", 1, 1);
		tlop(g, "CONS", 1, -1);
		if (chance(g->r, 30)) {
			tlopi(g, "PICK", 0, 1);
			tlop(g, "PRINT", 1, -1);
		}
		tlop(g, chance(g->r, 50) ? "CAR" : "CDR", 1, 0);
		if (strcmp(g->p->line[g->p->n - 1], "CDR") == 0)
			tlop(g, "CAR", 1, 0);
		break;
	case 2: /* an object keeps the top in a field, and gives it back */
		tlop(g, "NEW Box", 2, 1);
		tlop(g, "SWAP", 1, 0);
		tlopi(g, "PICK", 1, 1);
		tlop(g, "SWAP", 1, 0);
		tlop(g, "SETATTR val", 2, -2);
		tlop(g, "GETATTR val", 2, 0);
		break;
	case 3: /* a send: the method adds its argument to the field */
		tlop(g, "NEW Box", 2, 1);
		tlopi(g, "PICK", 0, 1);
		tlopi(g, "PUSH", tlconst(g), 1);
		tlop(g, "SETATTR val", 2, -2);
		tlop(g, "SWAP", 1, 0);
		tlop(g, "SEND add 1", 3, -1);
		break;
	default: /* a comparison result as nil-or-int through BR */
		tlop(g, "NOP", 1, 0);
		break;
	}
}

/* TLF only: the frame helpers (INCALL changes every value of the frame,
 * a loop's counter too: not inside loops). */
static void tlfextra(Tl *g)
{
	switch (rn(g->r, 3)) {
	case 0: tlop(g, "DEPTH", 1, 1); break;
	case 1: tlop(g, "SUM", 1, 1); break;
	default: tlop(g, g->nest ? "NOP" : "INCALL", 1, 0); break;
	}
}

static void tlblock(Tl *g, int budget)
{
	int start = g->pos;
	long i, n = 1 + rn(g->r, 8);

	for (i = 0; i < n && g->pos - start < budget; i++) {
		long k = rn(g->r, 20);
		int left = budget - (g->pos - start);

		if (k < 2 && g->nest < TL_NEST && left > 30)
			tlloop(g, left / 2);
		else if (k < 4 && tlavail(g) >= 1 && left > 20)
			tlskip(g, left / 2 > 100 ? 100 : left / 2);
		else if (k < 5 && g->nfuncs && tlavail(g) >= 1 && g->depth < TL_MAXSTACK)
			tlcall(g);
		else if (k < 7 && g->tlc && g->depth >= 1 && g->depth < TL_MAXSTACK - 3 &&
		         tlavail(g) >= 1)
			tlcextra(g);
		else if (k < 7 && g->tlf && g->depth < TL_MAXSTACK)
			tlfextra(g);
		else
			tlsimple(g);
	}
}

/* Function fI: argument n; n <= 0 gives a block's value, else a block
 * on n and f(n - 1) (and maybe lower functions). */
static void tlfunc(Tl *g, int f)
{
	g->func = f, g->depth = 0, g->floor = 0, g->nest = 0;
	add(g->p, "f%d:", f);
	tlop(g, "PUSHARG", 1, 1);
	tlopi(g, "PICK", 0, 1);
	tlopi(g, "PUSH", 0, 1);
	tlop(g, "GT", 1, -1);
	add(g->p, "BR_COND f%dr", f);
	g->pos += 2, g->depth -= 1;
	tlblock(g, 20);
	tlbalance(g, 1);
	tlop(g, "RETURN", 1, 0);
	add(g->p, "f%dr:", f);
	tlop(g, "PUSHARG", 1, 1);
	tlopi(g, "PUSH", 1, 1);
	tlop(g, "SUB", 1, -1);
	add(g->p, "CALL f%d", f);
	g->pos += 2;
	tlblock(g, 30);
	tlbalance(g, 1);
	tlop(g, "RETURN", 1, 0);
}

/* The functions come first, main after them; the entry jumps to main by
 * BR_COND_STK on an offset computed as 2q + r (it may exceed a byte). */
/* tlc: 0 TL, 1 TLC, 2 TLF. */
static void gentl(Rng *r, Prog *p, int tlc)
{
	Tl g = {r, p, tlc == 1, tlc == 2, 0, 0, 0, 0, (int)rn(r, 3), -1, 0, {0, 0, 0}};
	int f, at = 0, off, start;

	add(p, "; seeded %s program", tlc == 2 ? "TLF" : tlc ? "TLC" : "TL");
	if (tlc == 1) {
		add(p, ".class Box val");
		add(p, ".method Box add box_add");
	}
	if (g.nfuncs) {
		tlopi(&g, "PUSH", 1, 1);
		at = p->n;
		tlopi(&g, "PUSH", 0, 1);
		tlopi(&g, "PUSH", 2, 1);
		tlop(&g, "MUL", 1, -1);
		tlopi(&g, "PUSH", 0, 1);
		tlop(&g, "ADD", 1, -1);
		tlop(&g, "BR_COND_STK", 1, -2);
		for (f = 0; f < g.nfuncs; f++) {
			g.fpos[f] = g.pos;
			tlfunc(&g, f);
		}
		off = g.pos - 11;
		snprintf(p->line[at], MAXLINE, "PUSH %d", off / 2);
		snprintf(p->line[at + 3], MAXLINE, "PUSH %d", off % 2);
		add(p, "main:");
		g.func = -1, g.depth = 0, g.floor = 0, g.nest = 0;
	}
	start = g.pos;
	tlop(&g, "PUSHARG", 1, 1);
	while (g.pos < start + 30)
		tlblock(&g, 90);
	tlbalance(&g, 1);
	tlop(&g, "RETURN", 1, 0);
	if (tlc == 1) {
		add(p, "box_add: PUSHARGN 0");
		add(p, "GETATTR val");
		add(p, "PUSHARGN 1");
		add(p, "ADD");
		add(p, "RETURN");
	}
}

/* Break a TL, TLC (tlc 1) or TLF (tlc 2) program with one mutation. */
static void breaktl(Rng *r, Prog *p, int tlc)
{
	static const char *const bad[] = {
		"FOO", "POP", "ADD", "PUSH 0\nDIV", "INVALID", "PUSH 200", "BR_COND 1",
		"BR_COND nowhere", "f0:", "PUSH 1 2", "PUSH", "@@", "PICK 40",
		"PUT 30", "ROLL 50", "ROLL -50", "PUSH 1\nPUSH 100\nBR_COND_STK",
		"PUSH 1\nPUSH -100\nBR_COND_STK", "RETURN", "CALL 5", "PUSH 1\nBR_COND -3",
		"SWAP", "push 1", "PUSHARG // ok", "NEW Nope", "CAR", "SEND nope 0",
		"PUSH 1\nPRINT", "l0: NOP", ".class Box x",
	};
	int nbad = tlc == 1 ? 30 : 24;
	int i = 1 + (int)rn(r, p->n - 1); /* a line with newlines is several */
	const char *s, *nl;
	char buf[MAXLINE];

	switch (rn(r, 6)) {
	case 0: /* the stack grows in a loop until it overflows */
		insertat(p, i, "PUSH 1\nbig: PUSH 1\nPUSH 1\nBR_COND big");
		break;
	case 1: /* recursion without end */
		add(p, "deep: PUSHARG");
		add(p, "CALL deep");
		insertat(p, i, "PUSH 1\nCALL deep");
		break;
	default: /* one bad line (or a few), inserted or replacing one */
		s = bad[rn(r, nbad)];
		if (chance(r, 30) && p->line[i][0] != 'l' && p->line[i][0] != 'f' &&
		    !strchr(s, '\n')) {
			snprintf(p->line[i], MAXLINE, "%s", s);
			break;
		}
		while ((nl = strchr(s, '\n'))) { /* the lines in order at i */
			snprintf(buf, sizeof buf, "%.*s", (int)(nl - s), s);
			insertat(p, i++, buf);
			s = nl + 1;
		}
		insertat(p, i, s);
		break;
	}
}

/* ---- Brainfuck -------------------------------------------------------------- */

/* Cells: the pointer moves within a window right of the start; a loop
 * uses the cell under the pointer as its counter, the body stays right of
 * it and comes back. */
typedef struct {
	Rng *r;    /* the seed's numbers */
	Prog *p;   /* the program */
	int ops;   /* commands so far */
} Bf;

static void bfblock(Bf *g, int nest, int lo);

static void bfline(Bf *g, const char *s)
{
	add(g->p, "%s", s);
	g->ops += (int)strlen(s);
}

/* n copies of c as a line. */
static void bfrun(Bf *g, char c, long n)
{
	char buf[MAXLINE];

	if (n > MAXLINE - 1)
		n = MAXLINE - 1;
	memset(buf, c, (size_t)n);
	buf[n] = 0;
	bfline(g, buf);
}

/* A loop: clear the next cell, count it up to k, loop over it. */
static void bfloop(Bf *g, int nest)
{
	bfline(g, ">[-]");
	bfrun(g, '+', 1 + rn(g->r, 6));
	bfline(g, "[");
	bfblock(g, nest + 1, 1);
	bfline(g, "-]");
	bfline(g, "<");
}

/* A block leaves the pointer where it found it and never goes left of
 * where it started (lo = 1 inside a loop body: the counter is left). */
static void bfblock(Bf *g, int nest, int lo)
{
	long i, n = 1 + rn(g->r, 6);
	int off = 0;

	if (lo) /* step right of the counter */
		bfline(g, ">");
	for (i = 0; i < n && g->ops < 400; i++) {
		switch (rn(g->r, 9)) {
		case 0: bfrun(g, '+', 1 + rn(g->r, 9)); break;
		case 1: bfrun(g, '-', 1 + rn(g->r, 9)); break;
		case 2: bfline(g, ">"), off++; break;
		case 3: if (off > 0) bfline(g, "<"), off--; break;
		case 4: bfline(g, "."); break;
		case 5: bfline(g, ","); break;
		case 6: bfline(g, "[-]"); break;
		default:
			if (nest < 3)
				bfloop(g, nest);
			break;
		}
	}
	while (off-- > 0)
		bfline(g, "<");
	if (lo)
		bfline(g, "<");
}

static void genbf(Rng *r, Prog *p)
{
	Bf g = {r, p, 0};

	bfline(&g, "seeded Brainfuck program");
	while (g.ops < 60)
		bfblock(&g, 0, 0);
	bfline(&g, ".>.");
}

static void breakbf(Rng *r, Prog *p)
{
	static const char *const bad[] = {"[", "]", "<", "<<<<", "][", "+[>+]", "+[<+]",
	                                  "[[]", "x]y"};
	int i = 1 + (int)rn(r, p->n - 1);

	insertat(p, i, bad[rn(r, 9)]);
}

/* ---- running a program ------------------------------------------------------------ */

typedef struct {
	char out[MAXOUT]; /* stdout (cut at MAXOUT) */
	long nout;        /* its length */
	char err[MAXOUT]; /* stderr */
	long nerr;        /* its length */
	int status;       /* exit status, 128 + signal, or -1 on a timeout */
} Outcome;

static char tmpdir[256]; /* private files */

static long slurp(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY);
	long n = 0, k;

	if (fd < 0)
		return 0;
	while (n < MAXOUT && (k = read(fd, buf + n, (size_t)(MAXOUT - n))) > 0)
		n += k;
	close(fd);
	return n;
}

/* Run argv[0] with argv, stdin from `in` (or /dev/null), the test mode
 * mode ("NAME=VALUE" or NULL) in the environment, within ms milliseconds. */
static void run(char *const argv[], const char *in, const char *mode, long ms, Outcome *o)
{
	char outp[300], errp[300];
	struct timespec nap = {0, 200000};
	long waited = 0; /* microseconds */
	int st, fd;
	pid_t pid;

	snprintf(outp, sizeof outp, "%s/out", tmpdir);
	snprintf(errp, sizeof errp, "%s/err", tmpdir);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		unsetenv("TS_INTERP"), unsetenv("TS_EAGER"), unsetenv("TS_LEAVE");
		unsetenv("TS_JIT"), unsetenv("TS_LOG");
		if (mode)
			putenv((char *)mode);
		fd = open(in ? in : "/dev/null", O_RDONLY);
		dup2(fd, 0);
		fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		fd = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	o->status = -1;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			break;
		if (waited / 1000 > ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			st = -1;
			break;
		}
		nanosleep(&nap, NULL);
		waited += nap.tv_nsec / 1000;
		if (nap.tv_nsec < 10000000)
			nap.tv_nsec *= 2;
	}
	if (st != -1)
		o->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	o->nout = slurp(outp, o->out);
	o->nerr = slurp(errp, o->err);
}

static int differ(const Outcome *a, const Outcome *b)
{
	return a->status != b->status || a->nout != b->nout || a->nerr != b->nerr ||
	       memcmp(a->out, b->out, (size_t)a->nout) != 0 ||
	       memcmp(a->err, b->err, (size_t)a->nerr) != 0;
}

/* ---- languages ------------------------------------------------------------ */

typedef struct {
	const char *name;                 /* tlr, tl, tlc, bf */
	const char *ext;                  /* file suffix */
	void (*gen)(Rng *, Prog *);       /* a valid program */
	void (*mutate)(Rng *, Prog *);    /* break it */
	long nprog, nvalid, nok, ntimeout, nbad; /* counts */
} Lang;

static void gentl0(Rng *r, Prog *p) { gentl(r, p, 0); }
static void gentlc(Rng *r, Prog *p) { gentl(r, p, 1); }
static void breaktl0(Rng *r, Prog *p) { breaktl(r, p, 0); }
static void breaktlc(Rng *r, Prog *p) { breaktl(r, p, 1); }
static void gentlf(Rng *r, Prog *p) { gentl(r, p, 2); }
static void breaktlf(Rng *r, Prog *p) { breaktl(r, p, 2); }

static Lang langs[] = {
	{"tlr", "tlr", gentlr, breaktlr, 0, 0, 0, 0, 0},
	{"tl", "tl", gentl0, breaktl0, 0, 0, 0, 0, 0},
	{"tlc", "tlc", gentlc, breaktlc, 0, 0, 0, 0, 0},
	{"bf", "b", genbf, breakbf, 0, 0, 0, 0, 0},
	{"tlf", "tlf", gentlf, breaktlf, 0, 0, 0, 0, 0},
};

static const char *bindir = "bin", *jitdir; /* where the VMs are */
static const char *forcemode;                /* -m: every JIT run's mode */

/* One case: the program, its argument and the JIT VM's test mode. */
typedef struct {
	Lang *lang;       /* its language */
	Prog prog;        /* the program */
	char arg[32];     /* N (unused by bf) */
	const char *mode; /* test mode of the JIT run, or NULL */
	int valid;        /* not mutated */
} Case;

static Outcome want, got; /* the last plain and JIT outcomes */

/* Run the case plain and JIT; 1 if they differ, 0 if they agree, -1 if
 * the plain run timed out (no verdict). */
static int check(Case *c)
{
	char path[300], plain[300], jit[300], in[300];
	char *argv[4];

	snprintf(path, sizeof path, "%s/prog.%s", tmpdir, c->lang->ext);
	snprintf(in, sizeof in, "%s/in", tmpdir);
	snprintf(plain, sizeof plain, "%s/%s", bindir, c->lang->name);
	snprintf(jit, sizeof jit, "%s/%s-jit", jitdir, c->lang->name);
	if (writeprog(&c->prog, path) != 0) {
		perror(path);
		exit(2);
	}
	argv[1] = path;
	argv[2] = strcmp(c->lang->name, "bf") == 0 ? NULL : c->arg;
	argv[3] = NULL;
	argv[0] = plain;
	run(argv, in, NULL, PLAIN_MS, &want);
	if (want.status == -1)
		return -1;
	argv[0] = jit;
	run(argv, in, c->mode, JIT_MS, &got);
	return differ(&want, &got);
}

/* Build the case of seed s. */
static void makecase(uint64_t s, Lang *lang, Case *c)
{
	static const char *const modes[] = {"TS_INTERP=1", "TS_INTERP=1", "TS_EAGER=1",
	                                    "TS_LEAVE=1"};
	static const char *const args[] = {"0", "1", "5", "-3", "1000", "-128"};
	Rng r;

	seedrng(&r, s);
	memset(&c->prog, 0, sizeof c->prog);
	c->lang = lang;
	lang->gen(&r, &c->prog);
	c->valid = !chance(&r, 33);
	if (!c->valid)
		lang->mutate(&r, &c->prog);
	if (chance(&r, 80))
		snprintf(c->arg, sizeof c->arg, "%s", args[rn(&r, 6)]);
	else
		snprintf(c->arg, sizeof c->arg, "%ld", (long)rn(&r, 2000001) - 1000000);
	c->mode = s % 4 == 3 ? modes[(s / 4) % 4] : NULL;
	if (forcemode)
		c->mode = *forcemode ? forcemode : NULL;
}

static void showbytes(const char *what, const char *buf, long n)
{
	long i, lines = 0;

	printf("    %s (%ld bytes):", what, n);
	if (n == 0) {
		printf(" (empty)\n");
		return;
	}
	printf("\n      ");
	for (i = 0; i < n && lines < 6; i++) {
		if (buf[i] == '\n') {
			lines++;
			if (i + 1 < n && lines < 6)
				printf("\n      ");
		} else if (buf[i] >= 32 && buf[i] < 127) {
			putchar(buf[i]);
		} else {
			printf("\\x%02x", (unsigned char)buf[i]);
		}
	}
	printf("\n");
}

static void showoutcome(const char *who, const Outcome *o)
{
	if (o->status == -1)
		printf("  %s: timed out\n", who);
	else
		printf("  %s: exit status %d\n", who, o->status);
	showbytes("stdout", o->out, o->nout);
	showbytes("stderr", o->err, o->nerr);
}

static void showprog(const Prog *p)
{
	int i;

	printf("  program (%d lines):\n", p->n);
	for (i = 0; i < p->n; i++)
		printf("    %s\n", p->line[i]);
}

/* Drop lines while the case still mismatches (the plain run ending). */
static void minimise(Case *c)
{
	int i, again = 1, tries = 0;

	while (again && tries < 400) {
		again = 0;
		for (i = c->prog.n - 1; i >= 0 && tries < 400; i--) {
			Case d = *c;

			dropline(&d.prog, i);
			tries++;
			if (check(&d) == 1) {
				*c = d;
				again = 1;
			}
		}
	}
	check(c); /* the outcomes of the smallest */
}

static Lang *findlang(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof langs / sizeof langs[0]; i++)
		if (strcmp(langs[i].name, name) == 0)
			return &langs[i];
	return NULL;
}

static void cleanup(void)
{
	char path[300];

	snprintf(path, sizeof path, "%s/prog.tlr", tmpdir), unlink(path);
	snprintf(path, sizeof path, "%s/prog.tl", tmpdir), unlink(path);
	snprintf(path, sizeof path, "%s/prog.tlc", tmpdir), unlink(path);
	snprintf(path, sizeof path, "%s/prog.b", tmpdir), unlink(path);
	snprintf(path, sizeof path, "%s/prog.tlf", tmpdir), unlink(path);
	snprintf(path, sizeof path, "%s/out", tmpdir), unlink(path);
	snprintf(path, sizeof path, "%s/err", tmpdir), unlink(path);
	snprintf(path, sizeof path, "%s/in", tmpdir), unlink(path);
	rmdir(tmpdir);
}

/* Parse -l LANGS into use[]; returns the count. */
static int parselangs(char *s, Lang **use)
{
	int n = 0;
	char *t;

	for (t = strtok(s, ","); t; t = strtok(NULL, ",")) {
		if (!(use[n] = findlang(t))) {
			fprintf(stderr, "guestfuzz: unknown language '%s'\n", t);
			exit(2);
		}
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	static Case c;
	static char deflangs[] = "tlr,tl,tlc,bf,tlf";
	char *langlist = deflangs, path[300];
	Lang *use[8];
	uint64_t seed = 1, s;
	long n = 100, i, bad = 0;
	int print = 0, quiet = 0, verbose = 0, nuse, opt, k;
	FILE *f;

	while ((opt = getopt(argc, argv, "n:s:l:b:j:m:pqv")) != -1) {
		switch (opt) {
		case 'n': n = atol(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'l': langlist = optarg; break;
		case 'b': bindir = optarg; break;
		case 'j': jitdir = optarg; break;
		case 'p': print = 1; break;
		case 'q': quiet = 1; break;
		case 'v': verbose = 1; break;
		case 'm': forcemode = optarg; break;
		default:
			fprintf(stderr, "usage: guestfuzz [-n N] [-s SEED] [-l LANGS] "
			                "[-b BINDIR] [-j JITDIR] [-m MODE] [-p] [-q] [-v]\n");
			return 2;
		}
	}
	if (!jitdir)
		jitdir = bindir;
	nuse = parselangs(langlist, use);
	snprintf(tmpdir, sizeof tmpdir, "%s/guestfuzz.XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("guestfuzz: mkdtemp");
		return 2;
	}
	atexit(cleanup);
	snprintf(path, sizeof path, "%s/in", tmpdir);
	if ((f = fopen(path, "w"))) { /* stdin of every run (bf's ',') */
		fputs("The quick brown fox\n", f);
		fclose(f);
	}
	for (i = 0; i < (print ? 1 : n); i++) {
		Lang *l;

		s = seed + (uint64_t)i;
		l = use[s % (uint64_t)nuse];
		makecase(s, l, &c);
		k = check(&c);
		l->nprog++;
		l->nvalid += c.valid;
		l->ntimeout += k < 0;
		l->nok += k >= 0 && want.status == 0;
		if (verbose || print)
			printf("seed %" PRIu64 " %s %s%s arg %s: plain %d, jit %d%s\n", s, l->name,
			       c.valid ? "valid" : "broken", c.mode ? c.mode : "", c.arg,
			       want.status, k < 0 ? -2 : got.status, k > 0 ? " MISMATCH" : "");
		if (print) {
			showprog(&c.prog);
			showoutcome("plain", &want);
			showoutcome("jit", &got);
		}
		if (k <= 0)
			continue;
		bad++;
		l->nbad++;
		printf("mismatch: seed %" PRIu64 " (%s, argument %s%s%s)\n", s, l->name, c.arg,
		       c.mode ? ", " : "", c.mode ? c.mode : "");
		if (!quiet && bad <= 5) {
			minimise(&c);
			printf("  minimised:\n");
		}
		showprog(&c.prog);
		showoutcome("plain", &want);
		showoutcome("jit", &got);
		fflush(stdout);
	}
	for (k = 0; k < nuse; k++)
		printf("lang %s: %ld programs, %ld valid, %ld ok, %ld plain timeouts, "
		       "%ld mismatches\n", use[k]->name, use[k]->nprog, use[k]->nvalid,
		       use[k]->nok, use[k]->ntimeout, use[k]->nbad);
	printf("fuzz: %ld programs, %ld mismatches\n", print ? 1 : n, bad);
	return bad != 0;
}
