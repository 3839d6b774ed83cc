/*
 * opt.c: tests of the IR clean-up pass (codegen/x86/opt.c) and of the
 * selection rules that use it (isel.c: narrow values, memory operands).
 *
 * Each case builds a unit twice: one copy runs on the residual-IR
 * interpreter (the oracle, on the IR as built), the other is compiled
 * (the pass rewrites it) and run as x86, on the same inputs and the same
 * initial memory; results and memory must agree.  The IR after the pass
 * is compared with the text the case expects, and the pass's counts
 * (x86_optstats) with the rewrites the case expects, so a rewrite that
 * stops firing fails too.  With -0 the pass and the rules are off
 * (X86_OPT=0): only the results are compared.
 *
 * Usage: opt [-v] [-0] [NAME...]   prints "PASS name" or "FAIL name"
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "backend.h"
#include "opt.h"

#define MEM 64 /* bytes of the memory a unit gets */

static const uint8_t PARAMS[] = {X86_PTR, X86_I64};
static int verbose;

/* A test case: a unit of (ptr mem, i64 x) -> i64. */
typedef struct {
	const char *name;          /* test name */
	X86Unit *(*build)(void);   /* builds the unit */
	const char *ir;            /* the IR after the pass, or NULL */
	int64_t dse, boolean, addk, dead; /* counts the pass must reach */
	int lazy;                  /* narrow values left lazy (at least) */
} Case;

static X86Ref I8(X86Unit *u, int64_t v) { return x86_con(u, X86_I8, v); }
static X86Ref I64(X86Unit *u, int64_t v) { return x86_con(u, X86_I64, v); }
static X86Ref P(X86Unit *u) { return x86_arg(u, 0, 0); }
static X86Ref X(X86Unit *u) { return x86_arg(u, 0, 1); }

/* Brainfuck's "+++[": a cell incremented three times, then a zero test
 * through zext i32. */
static X86Unit *bfcell(void)
{
	X86Unit *u = x86_newunit(2, PARAMS, X86_I64);
	int b1 = x86_block(u, 0, NULL), b2 = x86_block(u, 0, NULL);
	X86Ref a, v;
	int i;

	a = x86_op2(u, 0, XR_AND, X(u), I64(u, 15)); /* stay inside */
	a = x86_op2(u, 0, XR_ADD, P(u), a);

	v = x86_load(u, 0, X86_I8, a, X86_NONE, 1, 0);
	for (i = 0; i < 3; i++) {
		v = x86_op2(u, 0, XR_ADD, v, I8(u, 1));
		x86_store(u, 0, v, a, X86_NONE, 1, 0);
	}
	v = x86_op1(u, 0, XR_ZEXT, X86_I32, v);
	x86_branch(u, 0, x86_op2(u, 0, XR_EQ, v, x86_con(u, X86_I32, 0)), b1, b2);
	x86_ret(u, b1, I64(u, 1));
	x86_ret(u, b2, I64(u, 2));
	return u;
}

/* TL's if (a < b): slt, zext, sext, ne 0, branch; and the eq 0 form of
 * an unsigned compare, whose negation the branch tests. */
static X86Unit *tlcmp(void)
{
	X86Unit *u = x86_newunit(2, PARAMS, X86_I64);
	int b1 = x86_block(u, 0, NULL), b2 = x86_block(u, 0, NULL);
	int b3 = x86_block(u, 0, NULL);
	X86Ref c, y = x86_load(u, 0, X86_I64, P(u), X86_NONE, 1, 8);

	c = x86_op2(u, 0, XR_SLT, X(u), y);
	c = x86_op1(u, 0, XR_ZEXT, X86_I32, c);
	c = x86_op1(u, 0, XR_SEXT, X86_I64, c);
	x86_branch(u, 0, x86_op2(u, 0, XR_NE, c, I64(u, 0)), b1, b2);
	x86_ret(u, b1, I64(u, 1));
	c = x86_op2(u, b2, XR_ULT, X(u), y);
	c = x86_op1(u, b2, XR_ZEXT, X86_I64, c);
	x86_branch(u, b2, x86_op2(u, b2, XR_EQ, I64(u, 0), c), b3, b1);
	x86_ret(u, b3, I64(u, 3));
	return u;
}

static int64_t helper(int64_t x)
{
	return x * 7;
}

/* Stores that must stay (an aliasing load, a call, another width) and
 * ones that go (overwritten, only a disjoint load between). */
static X86Unit *stores(void)
{
	X86Unit *u = x86_newunit(2, PARAMS, X86_I64);
	X86Ref x = X(u), p = P(u), l, m, w, r;

	x86_store(u, 0, x, p, X86_NONE, 1, 0);           /* stays: load */
	l = x86_load(u, 0, X86_I64, p, I64(u, 0), 1, 0); /* may alias */
	x86_store(u, 0, x86_op2(u, 0, XR_ADD, x, I64(u, 1)), p, X86_NONE, 1, 0);
	w = x86_op1(u, 0, XR_TRUNC, X86_I32, x);
	x86_store(u, 0, w, p, X86_NONE, 1, 16);          /* goes */
	m = x86_load(u, 0, X86_I32, p, X86_NONE, 1, 8);  /* disjoint */
	x86_store(u, 0, x86_op2(u, 0, XR_SUB, w, m), p, X86_NONE, 1, 16);
	x86_store(u, 0, l, p, X86_NONE, 1, 24);          /* stays: call */
	r = x86_call(u, 0, X86_I64, x86_con(u, X86_PTR, (int64_t)(intptr_t)helper),
	             1, &x);
	x86_store(u, 0, r, p, X86_NONE, 1, 24);
	x86_store(u, 0, w, p, X86_NONE, 1, 32);          /* stays: width */
	x86_store(u, 0, I8(u, 5), p, X86_NONE, 1, 32);
	x86_store(u, 0, I8(u, 6), p, X86_NONE, 1, 40);   /* goes */
	x86_store(u, 0, x86_op1(u, 0, XR_TRUNC, X86_I8, m), p, X86_NONE, 1, 40);
	x86_ret(u, 0, x86_op2(u, 0, XR_ADD, r, l));
	return u;
}

/* Address arithmetic: base + (x & 3) + 2 as index with scale 8, base + 8
 * as base, a sub in the index. */
static X86Unit *addrs(void)
{
	X86Unit *u = x86_newunit(2, PARAMS, X86_I64);
	X86Ref p = P(u), i, a, v, w;

	i = x86_op2(u, 0, XR_AND, X(u), I64(u, 3));
	v = x86_load(u, 0, X86_I64, p, x86_op2(u, 0, XR_ADD, i, I64(u, 2)), 8, 0);
	a = x86_op2(u, 0, XR_ADD, p, I64(u, 8));
	w = x86_load(u, 0, X86_I64, a, i, 8, 0);
	a = x86_op2(u, 0, XR_ADD, p, x86_op2(u, 0, XR_SUB, i, I64(u, -4)));
	x86_store(u, 0, x86_op2(u, 0, XR_ADD, v, w), a, X86_NONE, 1, 1);
	x86_ret(u, 0, x86_load(u, 0, X86_I64, a, X86_NONE, 1, 1));
	return u;
}

/* Pure ops nobody uses, a chain of them, one used only in another block
 * (stays). */
static X86Unit *deadops(void)
{
	X86Unit *u = x86_newunit(2, PARAMS, X86_I64);
	int b1 = x86_block(u, 0, NULL);
	X86Ref x = X(u), a, k;

	a = x86_op2(u, 0, XR_MUL, x, x);
	a = x86_op2(u, 0, XR_XOR, a, I64(u, 9));
	x86_op2(u, 0, XR_SLT, a, x);
	k = x86_op2(u, 0, XR_SHL, x, I64(u, 2));
	x86_jump(u, 0, b1, 0, NULL);
	x86_ret(u, b1, k);
	return u;
}

/* Narrow arithmetic: i8/i16/i32 chains feeding stores, compares, casts,
 * a shift, and a call (which needs the raw form). */
static X86Unit *narrow(void)
{
	X86Unit *u = x86_newunit(2, PARAMS, X86_I64);
	int b1 = x86_block(u, 0, NULL), b2 = x86_block(u, 0, NULL);
	X86Ref p = P(u), a, b, c, d, e, h, s;

	a = x86_load(u, 0, X86_I8, p, X86_NONE, 1, 0);
	b = x86_op2(u, 0, XR_ADD, a, I8(u, 100));
	c = x86_op2(u, 0, XR_MUL, b, I8(u, 3));
	x86_store(u, 0, c, p, X86_NONE, 1, 1);
	d = x86_op2(u, 0, XR_XOR, c, b);
	h = x86_load(u, 0, X86_I16, p, X86_NONE, 1, 2);
	h = x86_op2(u, 0, XR_SUB, h, x86_op1(u, 0, XR_TRUNC, X86_I16, X(u)));
	x86_store(u, 0, x86_op2(u, 0, XR_SHL, h, x86_con(u, X86_I16, 3)), p,
	          X86_NONE, 1, 4);
	e = x86_load(u, 0, X86_I32, p, X86_NONE, 1, 8);
	e = x86_op2(u, 0, XR_ADD, e, x86_op1(u, 0, XR_SEXT, X86_I32, d));
	x86_store(u, 0, x86_op2(u, 0, XR_LSHR, e, x86_con(u, X86_I32, 4)), p,
	          X86_NONE, 1, 12);
	s = x86_op2(u, 0, XR_ADD, x86_op1(u, 0, XR_ZEXT, X86_I64, b),
	            x86_op1(u, 0, XR_SEXT, X86_I64, h));
	s = x86_op2(u, 0, XR_ADD, s, x86_call(u, 0, X86_I64,
	            x86_con(u, X86_PTR, (int64_t)(intptr_t)helper), 1, &e));
	x86_store(u, 0, s, p, X86_NONE, 1, 16);
	x86_branch(u, 0, x86_op2(u, 0, XR_SLT, d, I8(u, 5)), b1, b2);
	x86_ret(u, b1, x86_op1(u, b1, XR_ZEXT, X86_I64, x86_op2(u, b1, XR_SLT, h,
	        x86_op1(u, b1, XR_TRUNC, X86_I16, e))));
	x86_ret(u, b2, I64(u, 2));
	return u;
}

/* Loads compared with constants, each feeding a branch (cmp [m], k),
 * the constant on either side, at every width; and a read-modify-write
 * whose sum the next block tests. */
static X86Unit *loadcmp(void)
{
	static const int ops[] = {XR_SGT, XR_ULT, XR_EQ, XR_SLE, XR_UGE, XR_NE};
	static const uint8_t ts[] = {X86_I8, X86_I16, X86_I32, X86_I64, X86_I8,
	                             X86_I16};
	X86Unit *u = x86_newunit(2, PARAMS, X86_I64);
	int b[8], i, n = 6;
	X86Ref v, k, s;

	for (i = 0; i <= n; i++)
		b[i] = i ? x86_block(u, 0, NULL) : 0;
	b[n + 1] = x86_block(u, 0, NULL);
	x86_ret(u, b[n + 1], I64(u, 99));
	for (i = 0; i < n; i++) {
		v = x86_load(u, b[i], ts[i], P(u), X86_NONE, 1, 8 * i);
		k = x86_con(u, ts[i], i & 1 ? -3 : 0x61);
		x86_branch(u, b[i], i & 2 ? x86_op2(u, b[i], ops[i], k, v)
		                          : x86_op2(u, b[i], ops[i], v, k),
		           b[i + 1], b[n + 1]);
	}
	v = x86_load(u, b[n], X86_I16, P(u), X86_NONE, 1, 48);
	s = x86_op2(u, b[n], XR_SUB, v, x86_con(u, X86_I16, 1000));
	x86_store(u, b[n], s, P(u), X86_NONE, 1, 48);
	x86_ret(u, b[n], x86_op1(u, b[n], XR_SEXT, X86_I64, s));
	return u;
}

static const Case cases[] = {
	{"bfcell", bfcell,
	 "unit -> i64\n"
	 "b0(%1:ptr, %2:i64):\n"
	 "  %3:i64 = and %2, 15\n"
	 "  %5:i8 = load [%1 + %3*1]\n"
	 "  %8:i8 = add %5, 3\n"
	 "  store i8 %8, [%1 + %3*1]\n"
	 "  %10:i8 = eq %8, 0\n"
	 "  branch %10, b1, b2\n"
	 "b1:\n"
	 "  ret 1\n"
	 "b2:\n"
	 "  ret 2\n", 2, 1, 2, 4, 0},
	{"tlcmp", tlcmp,
	 "unit -> i64\n"
	 "b0(%1:ptr, %2:i64):\n"
	 "  %3:i64 = load [%1 + 8]\n"
	 "  %7:i8 = slt %2, %3\n"
	 "  branch %7, b1, b2\n"
	 "b1:\n"
	 "  ret 1\n"
	 "b2:\n"
	 "  %10:i8 = uge %2, %3\n"
	 "  branch %10, b3, b1\n"
	 "b3:\n"
	 "  ret 3\n", 0, 2, 0, 5, 0},
	{"stores", stores, NULL, 2, 0, 0, 0, 0},
	{"addrs", addrs,
	 "unit -> i64\n"
	 "b0(%1:ptr, %2:i64):\n"
	 "  %3:i64 = and %2, 3\n"
	 "  %5:i64 = load [%1 + %3*8 + 16]\n"
	 "  %7:i64 = load [%1 + %3*8 + 8]\n"
	 "  %10:i64 = add %5, %7\n"
	 "  store i64 %10, [%1 + %3*1 + 5]\n"
	 "  %11:i64 = load [%1 + %3*1 + 5]\n"
	 "  ret %11\n", 0, 0, 0, 4, 0},
	{"deadops", deadops,
	 "unit -> i64\n"
	 "b0(%1:ptr, %2:i64):\n"
	 "  %6:i64 = shl %2, 2\n"
	 "  jump b1()\n"
	 "b1:\n"
	 "  ret %6\n", 0, 0, 0, 3, 0},
	{"narrow", narrow, NULL, 0, 0, 0, 0, 3},
	{"loadcmp", loadcmp, NULL, 0, 0, 0, 0, 0},
};

static char *irtext(X86Unit *u);

/* --- guard chains: stepping a pointer with a bound test per step --- */

static int64_t seen[5]; /* the last exit's callback: site id, live values */

static X86Unit *leave(void *opaque, X86Exit *site, int64_t value,
                      const int64_t *live)
{
	X86Unit *u = x86_siteunit(site);
	int i;

	(void)opaque, (void)value;
	seen[0] = 1000;
	for (i = 0; i < (int)u->nsite; i++)
		if (u->site[i] == site)
			seen[0] = i;
	seen[1] = live[0], seen[2] = live[1], seen[3] = x86_sitenlive(site);
	seen[4] = live[seen[3] - 1];
	return NULL; /* leave early: the caller sees the site */
}

/* x + 5 in steps of 1, each tested against 20 (BF's `>>>>>` at the
 * tape's end), then - 4 in steps of -1 tested against 0 (`<<<<`), a
 * chain of 2 (too short to merge) whose first exit has a value only it
 * uses (sunk into it), and one whose middle value is used after it (not
 * merged). */
static X86Unit *chains(void)
{
	X86Unit *u = x86_newunit(2, PARAMS, X86_I64);
	X86Ref x = X(u), live[3];
	int b = 0, e, nb, i, j;
	static const int step[] = {1, 1, 1, 1, 1, -1, -1, -1, -1, 1, 1, 7, 1, 1,
	                           1};
	static const int64_t k[] = {20, 20, 20, 20, 20, 0, 0, 0, 0, 30, 30, 0,
	                            25, 25, 25};
	X86Ref mid = X86_NONE;

	for (i = 0; i < 15; i++) {
		if (i == 11) { /* a separator op */
			x = x86_op2(u, b, XR_XOR, x, I64(u, step[i]));
			continue;
		}
		if (i == 9) /* only the exit uses it: sunk into the stub block */
			live[2] = x86_op2(u, b, XR_MUL, x, I64(u, 3));
		x = x86_op2(u, b, XR_ADD, x, I64(u, step[i]));
		e = x86_block(u, 0, NULL);
		nb = x86_block(u, 0, NULL);
		x86_branch(u, b, x86_op2(u, b, XR_EQ, x, I64(u, k[i])), e, nb);
		live[0] = P(u), live[1] = x, live[2] = i == 9 ? live[2] : x;
		j = i % 3 == 0 ? 3 : 2;
		x86_exitstub(u, e, j, live, leave, NULL);
		if (i == 13)
			mid = x;
		b = nb;
	}
	x86_ret(u, b, x86_op2(u, b, XR_ADD, x, mid));
	return u;
}

/* Run chains() on inputs around its bounds: the result or the exit taken
 * (site, live values) must be the interpreter's; the merged tests count
 * 4 + 3. */
static int guardcase(void)
{
	X86Unit *ui = chains(), *ux = chains();
	X86OptStats s0 = x86_optstats;
	int64_t args[2], ri, rx, si[5], sx[5];
	uint8_t mem[MEM];
	void *code;
	int x, ci, cx, ok = 1;

	if (!(code = x86_compile(ux))) {
		printf("  compile failed\n");
		return 0;
	}
	if (verbose) {
		char *t = irtext(ux);
		printf("%s", t);
		free(t);
	}
	if ((x86_optmode() & OPT_SINK) && (x86_optmode() & OPT_IR) &&
	    x86_optstats.sunk - s0.sunk != 1) {
		printf("  ops sunk: %d, want 1\n", (int)(x86_optstats.sunk - s0.sunk));
		ok = 0;
	}
	if ((x86_optmode() & OPT_GUARD) && x86_optstats.guards - s0.guards != 7) {
		printf("  guards merged: %d, want 7\n",
		       (int)(x86_optstats.guards - s0.guards));
		ok = 0;
	}
	for (x = -12; x <= 40 && ok; x++) {
		args[0] = (int64_t)(intptr_t)mem;
		args[1] = x;
		memset(seen, 0, sizeof seen);
		ci = x86_interp(ui, args, &ri, 100000);
		memcpy(si, seen, sizeof si);
		x86_leftearly();
		memset(seen, 0, sizeof seen);
		rx = x86_ccall(code, X86_I64, 2, PARAMS, args);
		cx = x86_leftearly() ? -1 : X86_OK;
		memcpy(sx, seen, sizeof sx);
		if (ci != cx || (ci == X86_OK && ri != rx) ||
		    (ci == -1 && memcmp(si, sx, sizeof si))) {
			printf("  x = %d: interp rc %d result %" PRId64 " exit %" PRId64
			       " [%" PRId64 " %" PRId64 "], x86 rc %d result %" PRId64
			       " exit %" PRId64 " [%" PRId64 " %" PRId64 "]\n", x, ci, ri,
			       si[0], si[1] - args[0], si[2], cx, rx, sx[0],
			       sx[1] - args[0], sx[2]);
			ok = 0;
		}
	}
	x86_free(ui);
	x86_free(ux);
	return ok;
}

/* Memory contents for input k. */
static void fill(uint8_t *m, int k, const Case *cs)
{
	int i;

	for (i = 0; i < MEM; i++)
		m[i] = (uint8_t)(k * 37 + i * (k + 11) + (k & 1 ? 0x80 : 0));
	if (k >= 2 && cs->build == loadcmp) { /* pass all but test k-2 (k < 8) */
		memset(m, 0, 48);
		m[0] = 0x62, m[8] = 0xf0, m[9] = 0xff, m[16] = 0x61;
		switch (k) {
		case 2: m[0] = 0x61; break;
		case 3: m[8] = 0xfe; break;
		case 4: m[16] = 0x62; break;
		case 5: memset(m + 24, 0xff, 8), m[24] = 0xfc; break;
		case 6: m[32] = 0x62; break;
		case 7: m[40] = 0xfd, m[41] = 0xff; break;
		}
	}
	if (k == 1)
		m[0] = 253; /* bfcell: +3 wraps to 0 */
}

static const int64_t inputs[] = {0, 1, -1, 5, 127, 128, -300, 70000,
	INT64_MIN, INT64_MAX};
#define NIN (int)(sizeof inputs / sizeof inputs[0])

/* The printed IR of u (malloc'd). */
static char *irtext(X86Unit *u)
{
	char *t = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&t, &n);

	x86_print(f, u);
	fclose(f);
	return t;
}

/* Run one case; 1 when it passes (else prints why, indented). */
static int runcase(const Case *cs)
{
	X86Unit *ui = cs->build(), *ux = cs->build();
	X86OptStats s0 = x86_optstats;
	uint8_t mi[MEM], mx[MEM];
	int64_t args[2], ri, rx;
	void *code;
	char *t;
	int k, ok = 1;

	if (!ui || !ux || x86_error(ui) || x86_error(ux)) {
		printf("  build failed\n");
		return 0;
	}
	if (!(code = x86_compile(ux))) {
		printf("  compile failed: %s\n", x86_errstr(x86_error(ux)));
		return 0;
	}
	t = irtext(ux);
	if (verbose)
		printf("%s", t), x86_disasm(code, x86_codesize(ux), stdout);
	if (cs->ir && x86_optmode() & OPT_IR && strcmp(t, cs->ir)) {
		printf("  IR after the pass:\n%s  want:\n%s", t, cs->ir);
		ok = 0;
	}
	free(t);
#define WANT(f) \
	if ((x86_optmode() & OPT_IR) && (int64_t)(x86_optstats.f - s0.f) != cs->f) \
		printf("  %s: %" PRId64 ", want %" PRId64 "\n", #f, \
		       (int64_t)(x86_optstats.f - s0.f), cs->f), ok = 0;
	WANT(dse) WANT(boolean) WANT(addk) WANT(dead)
	if ((x86_optmode() & OPT_ISEL) && (int)(x86_optstats.lazy - s0.lazy) < cs->lazy)
		printf("  lazy: %d, want %d or more\n",
		       (int)(x86_optstats.lazy - s0.lazy), cs->lazy), ok = 0;
	for (k = 0; k < NIN; k++) {
		fill(mi, k, cs), fill(mx, k, cs);
		args[0] = (int64_t)(intptr_t)mi;
		args[1] = inputs[k];
		if (x86_interp(ui, args, &ri, 100000) != X86_OK) {
			printf("  interp failed on input %d\n", k);
			ok = 0;
			break;
		}
		args[0] = (int64_t)(intptr_t)mx;
		rx = x86_ccall(code, X86_I64, 2, PARAMS, args);
		if (rx != ri || memcmp(mi, mx, MEM)) {
			printf("  input %" PRId64 ": x86 %" PRId64 ", interp %" PRId64
			       "%s\n", inputs[k], rx, ri,
			       memcmp(mi, mx, MEM) ? ", memory differs" : "");
			ok = 0;
			break;
		}
	}
	x86_free(ui);
	x86_free(ux);
	return ok;
}

int main(int argc, char **argv)
{
	int i, j, a, sel, nfail = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-0"))
			x86_setoptmode(0);
	}
	for (j = 0; j < (int)(sizeof cases / sizeof cases[0]); j++) {
		sel = i == argc;
		for (a = i; a < argc; a++)
			sel |= !strcmp(argv[a], cases[j].name);
		if (!sel)
			continue;
		if (runcase(&cases[j])) {
			printf("PASS opt-%s%s\n", cases[j].name,
			       x86_optmode() ? "" : "-off");
		} else {
			printf("FAIL opt-%s%s\n", cases[j].name,
			       x86_optmode() ? "" : "-off");
			nfail++;
		}
	}
	sel = i == argc;
	for (a = i; a < argc; a++)
		sel |= !strcmp(argv[a], "guards");
	if (sel && guardcase()) {
		printf("PASS opt-guards%s\n", x86_optmode() ? "" : "-off");
	} else if (sel) {
		printf("FAIL opt-guards%s\n", x86_optmode() ? "" : "-off");
		nfail++;
	}
	return nfail != 0;
}
