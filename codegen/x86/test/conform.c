/*
 * conform.c: conformance tests of the runtime code emitter, modelled on
 * PyPy's rgenop_tests.py.  Every test is written once against the API and
 * runs in each mode: "interp" (the residual-IR interpreter) and, when the
 * backend is linked (X86_HAVE_BACKEND in x86.h), "x86" (x86_compile, then a
 * System V call of the code).  Results are checked against C computed here,
 * independently of the interpreter.
 *
 * Usage: conform [-v] [NAME...]   prints "PASS name/mode" or "FAIL ..."
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { M_INTERP, M_X86, M_N };
static const char *const modename[M_N] = {"interp", "x86"};

static char failmsg[512]; /* why the current test failed */
static int verbose;       /* -v: print units */

#define CHECK(c) \
	do { \
		if (!(c)) { \
			snprintf(failmsg, sizeof failmsg, "line %d: %s", \
			         __LINE__, #c); \
			return 0; \
		} \
	} while (0)
#define CHECKEQ(a, b) \
	do { \
		int64_t a_ = (a), b_ = (b); \
		if (a_ != b_) { \
			snprintf(failmsg, sizeof failmsg, \
			         "line %d: %s = %" PRId64 ", want %" PRId64, \
			         __LINE__, #a, a_, b_); \
			return 0; \
		} \
	} while (0)

static const uint8_t T_I64[] = {X86_I64, X86_I64, X86_I64, X86_I64};
static int ncallback; /* callbacks so far */

static X86Exit *lastleft; /* x86_leftearly() after the last run() */

/* Run root unit u in mode m with raw args; 0 = returned (res set), -1 =
 * left early (the site in lastleft), else an error code. */
static int run(int m, X86Unit *u, const int64_t *args, int64_t *res)
{
	uint8_t types[16];
	uint32_t i;
	int rc;

	if (verbose && m == M_INTERP && u)
		x86_print(stdout, u);
	if (m == M_INTERP) {
		rc = x86_interp(u, args, res, 50000000);
		lastleft = x86_leftearly();
		return rc;
	}
	if (!u || !u->nblk)
		return X86_ENOMEM;
	for (i = 0; i < u->nparam; i++)
		types[i] = u->val[u->blk[0].arg + i].type;
#ifdef X86_HAVE_BACKEND
	if (!u->code) {
		void *code = x86_compile(u);
		if (!code)
			return x86_error(u) ? x86_error(u) : X86_EINVAL;
		u->code = code;
	}
	x86_leftearly();
	*res = x86_ccall(u->code, u->ret, u->nparam, types, args);
	lastleft = x86_leftearly();
	return lastleft ? -1 : X86_OK;
#else
	(void)types;
	(void)res;
	return X86_EUNSUP;
#endif
}

/* Run with up to 4 arguments and return the result, failing on error. */
#define RUN(m, u, res, ...) \
	do { \
		int64_t args_[] = {__VA_ARGS__}; \
		int rc_ = run(m, u, args_, res); \
		if (rc_ != X86_OK) { \
			snprintf(failmsg, sizeof failmsg, \
			         "line %d: run failed: %d (%s)", __LINE__, rc_, \
			         rc_ > 0 ? x86_errstr(rc_) : "left early"); \
			return 0; \
		} \
	} while (0)

static int64_t fbits(double d)
{
	int64_t b;

	memcpy(&b, &d, sizeof b);
	return b;
}

/* ---- adder, branching, loops ------------------------------------------------ */

static int t_adder(int m)
{
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int64_t r;

	x86_ret(u, 0, x86_op2(u, 0, XR_ADD, x86_arg(u, 0, 0),
	                      x86_con(u, X86_I64, 5)));
	RUN(m, u, &r, 37);
	CHECKEQ(r, 42);
	RUN(m, u, &r, -5);
	CHECKEQ(r, 0);
	x86_free(u);
	return 1;
}

/* max(a, b) through a branch; both sides return. */
static int t_branch(int m)
{
	X86Unit *u = x86_newunit(2, T_I64, X86_I64);
	X86Ref a = x86_arg(u, 0, 0), b = x86_arg(u, 0, 1);
	int yes = x86_block(u, 0, NULL), no = x86_block(u, 0, NULL);
	int64_t r;

	x86_branch(u, 0, x86_op2(u, 0, XR_SGT, a, b), yes, no);
	x86_ret(u, yes, a);
	x86_ret(u, no, b);
	RUN(m, u, &r, 3, 9);
	CHECKEQ(r, 9);
	RUN(m, u, &r, 11, -9);
	CHECKEQ(r, 11);
	x86_free(u);
	return 1;
}

/* Factorial with a loop: b1(i, acc) with jump arguments. */
static X86Unit *factorial(void)
{
	static const uint8_t t2[] = {X86_I64, X86_I64};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int loop = x86_block(u, 2, t2), body = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL);
	X86Ref a[2], i, acc;

	a[0] = x86_arg(u, 0, 0);
	a[1] = x86_con(u, X86_I64, 1);
	x86_jump(u, 0, loop, 2, a);
	i = x86_arg(u, loop, 0);
	acc = x86_arg(u, loop, 1);
	x86_branch(u, loop, x86_op2(u, loop, XR_SGT, i, x86_con(u, X86_I64, 1)),
	           body, done);
	a[0] = x86_op2(u, body, XR_SUB, i, x86_con(u, X86_I64, 1));
	a[1] = x86_op2(u, body, XR_MUL, acc, i);
	x86_jump(u, body, loop, 2, a);
	x86_ret(u, done, acc);
	return u;
}

static int t_loop(int m)
{
	X86Unit *u = factorial();
	int64_t r;

	RUN(m, u, &r, 10);
	CHECKEQ(r, 3628800);
	RUN(m, u, &r, 20);
	CHECKEQ(r, 2432902008176640000LL);
	RUN(m, u, &r, 0);
	CHECKEQ(r, 1);
	x86_free(u);
	return 1;
}

/* Blocks created and filled in an order unlike the control flow. */
static int t_order(int m)
{
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int c = x86_block(u, 1, T_I64), b = x86_block(u, 1, T_I64);
	X86Ref v;
	int64_t r;

	v = x86_op2(u, c, XR_MUL, x86_arg(u, c, 0), x86_con(u, X86_I64, 3));
	x86_ret(u, c, v);
	v = x86_op2(u, b, XR_ADD, x86_arg(u, b, 0), x86_con(u, X86_I64, 1));
	x86_jump(u, b, c, 1, &v);
	v = x86_arg(u, 0, 0);
	x86_jump(u, 0, b, 1, &v);
	RUN(m, u, &r, 4);
	CHECKEQ(r, 15);
	x86_free(u);
	return 1;
}

/* Many values live across a loop and a call: forces spilling.  The loop
 * rotates nlive values 7 times; the result weights each by its position. */
#define MAXLIVE 300
static int64_t h_id(int64_t x) { return x; }

static int rotate(int m, int nlive)
{
	uint8_t ty[MAXLIVE + 1];
	X86Unit *u;
	X86Ref v[MAXLIVE + 1], w[MAXLIVE + 1], s, k;
	int loop, body, done, i;
	int64_t r, want, ref[MAXLIVE], tmp;

	memset(ty, X86_I64, sizeof ty);
	u = x86_newunit(1, T_I64, X86_I64);
	loop = x86_block(u, nlive + 1, ty);
	body = x86_block(u, 0, NULL);
	done = x86_block(u, 0, NULL);
	for (i = 0; i < nlive; i++)
		v[i] = x86_op2(u, 0, XR_ADD, x86_arg(u, 0, 0),
		               x86_con(u, X86_I64, i * i));
	v[nlive] = x86_con(u, X86_I64, 0);
	x86_jump(u, 0, loop, nlive + 1, v);
	k = x86_arg(u, loop, nlive);
	x86_branch(u, loop, x86_op2(u, loop, XR_SLT, k, x86_con(u, X86_I64, 7)),
	           body, done);
	for (i = 0; i < nlive; i++)
		w[i] = x86_arg(u, loop, (i + 1) % nlive);
	w[0] = x86_call(u, body, X86_I64, x86_con(u, X86_PTR, (intptr_t)h_id),
	                1, &w[0]);
	w[nlive] = x86_op2(u, body, XR_ADD, k, x86_con(u, X86_I64, 1));
	x86_jump(u, body, loop, nlive + 1, w);
	s = x86_con(u, X86_I64, 0);
	for (i = 0; i < nlive; i++)
		s = x86_op2(u, done, XR_ADD, s,
		            x86_op2(u, done, XR_MUL, x86_arg(u, loop, i),
		                    x86_con(u, X86_I64, i + 1)));
	x86_ret(u, done, s);
	RUN(m, u, &r, 1000);
	for (i = 0; i < nlive; i++)
		ref[i] = 1000 + i * i;
	for (int it = 0; it < 7; it++) {
		tmp = ref[0];
		for (i = 0; i < nlive - 1; i++)
			ref[i] = ref[i + 1];
		ref[nlive - 1] = tmp;
	}
	for (want = 0, i = 0; i < nlive; i++)
		want += ref[i] * (i + 1);
	CHECKEQ(r, want);
	x86_free(u);
	return 1;
}

static int t_manylive(int m) { return rotate(m, 24); }

/* Jumps of 301 arguments (more than the emitter's on-stack move buffers). */
static int t_widejump(int m) { return rotate(m, MAXLIVE); }

/* A jump whose arguments are a permutation of the target's (a cycle of
 * swaps for the parallel move). */
static int t_swap(int m)
{
	static const uint8_t t3[] = {X86_I64, X86_I64, X86_I64, X86_I64};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int loop = x86_block(u, 4, t3), body = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL);
	X86Ref a[4], n;
	int64_t r;

	a[0] = x86_con(u, X86_I64, 1);
	a[1] = x86_con(u, X86_I64, 2);
	a[2] = x86_con(u, X86_I64, 3);
	a[3] = x86_arg(u, 0, 0);
	x86_jump(u, 0, loop, 4, a);
	n = x86_arg(u, loop, 3);
	x86_branch(u, loop, n, body, done);
	a[0] = x86_arg(u, loop, 1);
	a[1] = x86_arg(u, loop, 2);
	a[2] = x86_arg(u, loop, 0);
	a[3] = x86_op2(u, body, XR_SUB, n, x86_con(u, X86_I64, 1));
	x86_jump(u, body, loop, 4, a);
	x86_ret(u, done, x86_op2(u, done, XR_ADD,
	                         x86_op2(u, done, XR_MUL, x86_arg(u, loop, 0),
	                                 x86_con(u, X86_I64, 100)),
	                         x86_op2(u, done, XR_ADD,
	                                 x86_op2(u, done, XR_MUL,
	                                         x86_arg(u, loop, 1),
	                                         x86_con(u, X86_I64, 10)),
	                                 x86_arg(u, loop, 2))));
	RUN(m, u, &r, 0);
	CHECKEQ(r, 123);
	RUN(m, u, &r, 1);
	CHECKEQ(r, 231);
	RUN(m, u, &r, 5);
	CHECKEQ(r, 312);
	x86_free(u);
	return 1;
}

/* ---- calls -------------------------------------------------------------------- */

static int64_t h_add8(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e,
                      int64_t f, int64_t g, int64_t h)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

static double h_mix(int a, double x, int64_t b, double y)
{
	return a * x + (double)b / y;
}

/* 10 integers and 6 doubles, interleaved: 4 integers go on the stack. */
static int64_t h_many(int64_t a, double x1, int64_t b, int64_t c, double x2,
                      int64_t d, int64_t e, double x3, int64_t f, int64_t g,
                      double x4, int64_t h, int64_t i, double x5, int64_t j,
                      double x6)
{
	return a + 3 * b + 5 * c + 7 * d + 11 * e + 13 * f + 17 * g + 19 * h +
	       23 * i + 29 * j + (int64_t)(x1 + 2 * x2 + 4 * x3 + 8 * x4 +
	                                   16 * x5 + 32 * x6);
}

/* 12 doubles and 2 integers: 4 doubles go on the stack, among ints. */
static double h_fmany(double a, double b, double c, double d, double e,
                      double f, double g, double h, int64_t k, double i,
                      double j, int64_t l, double kk, double ll)
{
	return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h +
	       9 * i + 10 * j + 11 * kk + 12 * ll + 1000.0 * k - 0.5 * l;
}

static int h_small(signed char a, short b, int c)
{
	return a * 10000 + b * 10 + c;
}

static signed char h_ret8(int64_t x)
{
	return (signed char)(x * 3);
}

static int64_t h_global;
static void h_store(int64_t *p, int64_t v)
{
	*p = v * 2;
	h_global += v;
}

static X86Ref ptrcon(X86Unit *u, void *p)
{
	return x86_con(u, X86_PTR, (int64_t)(intptr_t)p);
}

static int t_calls(int m)
{
	static const uint8_t pt[] = {X86_I64, X86_F64, X86_PTR};
	X86Unit *u = x86_newunit(3, pt, X86_I64);
	X86Ref x = x86_arg(u, 0, 0), d = x86_arg(u, 0, 1), fp = x86_arg(u, 0, 2);
	X86Ref a[16], r1, r2, r3, r4, r5, r6, sum;
	int64_t r, want;
	int i;

	for (i = 0; i < 8; i++)
		a[i] = x86_op2(u, 0, XR_ADD, x, x86_con(u, X86_I64, i));
	r1 = x86_call(u, 0, X86_I64, ptrcon(u, h_add8), 8, a);
	a[0] = x86_con(u, X86_I32, 3);
	a[1] = d;
	a[2] = x;
	a[3] = x86_conf(u, 4.0);
	r2 = x86_op1(u, 0, XR_FTOSI, X86_I64,
	             x86_call(u, 0, X86_F64, ptrcon(u, h_mix), 4, a));
	for (i = 0; i < 16; i++) {
		static const char isd[16] = {0, 1, 0, 0, 1, 0, 0, 1,
		                             0, 0, 1, 0, 0, 1, 0, 1};
		a[i] = isd[i] ? x86_op1(u, 0, XR_SITOF, X86_F64,
		                        x86_op2(u, 0, XR_ADD, x,
		                                x86_con(u, X86_I64, i)))
		              : x86_op2(u, 0, XR_SUB, x, x86_con(u, X86_I64, i));
	}
	r3 = x86_call(u, 0, X86_I64, fp, 16, a); /* indirect: h_many */
	for (i = 0; i < 14; i++)
		a[i] = (i == 8 || i == 11)
		           ? x86_op2(u, 0, XR_ADD, x, x86_con(u, X86_I64, i))
		           : x86_op2(u, 0, XR_FADD, d, x86_conf(u, i * 0.25));
	r4 = x86_op1(u, 0, XR_FTOSI, X86_I64,
	             x86_call(u, 0, X86_F64, ptrcon(u, h_fmany), 14, a));
	a[0] = x86_op1(u, 0, XR_TRUNC, X86_I8, x);
	a[1] = x86_con(u, X86_I16, -300);
	a[2] = x86_op1(u, 0, XR_TRUNC, X86_I32, x);
	r5 = x86_op1(u, 0, XR_SEXT, X86_I64,
	             x86_call(u, 0, X86_I32, ptrcon(u, h_small), 3, a));
	r6 = x86_op1(u, 0, XR_SEXT, X86_I64,
	             x86_call(u, 0, X86_I8, ptrcon(u, h_ret8), 1, &x));
	a[0] = ptrcon(u, &h_global);
	a[1] = x;
	x86_call(u, 0, X86_VOID, ptrcon(u, h_store), 2, a);
	sum = x86_op2(u, 0, XR_ADD, r1, x86_op2(u, 0, XR_MUL, r2,
	                                        x86_con(u, X86_I64, 1000)));
	sum = x86_op2(u, 0, XR_ADD, sum, x86_op2(u, 0, XR_MUL, r3,
	                                         x86_con(u, X86_I64, 7)));
	sum = x86_op2(u, 0, XR_ADD, sum, x86_op2(u, 0, XR_MUL, r4,
	                                         x86_con(u, X86_I64, 13)));
	sum = x86_op2(u, 0, XR_ADD, sum, x86_op2(u, 0, XR_MUL, r5,
	                                         x86_con(u, X86_I64, 17)));
	sum = x86_op2(u, 0, XR_ADD, sum, x86_op2(u, 0, XR_MUL, r6,
	                                         x86_con(u, X86_I64, 19)));
	x86_ret(u, 0, sum);
	for (int64_t xv = -3; xv <= 60; xv += 21) {
		double dv = 1.5;
		h_global = 0;
		{
			int64_t args[3] = {xv, fbits(dv), (int64_t)(intptr_t)h_many};
			int rc = run(m, u, args, &r);
			CHECKEQ(rc, X86_OK);
		}
		want = h_add8(xv, xv + 1, xv + 2, xv + 3, xv + 4, xv + 5, xv + 6,
		              xv + 7);
		want += 1000 * (int64_t)h_mix(3, dv, xv, 4.0);
		want += 7 * h_many(xv, xv + 1.0, xv - 2, xv - 3, xv + 4.0, xv - 5,
		                   xv - 6, xv + 7.0, xv - 8, xv - 9, xv + 10.0,
		                   xv - 11, xv - 12, xv + 13.0, xv - 14, xv + 15.0);
		want += 13 * (int64_t)h_fmany(dv, dv + .25, dv + .5, dv + .75,
		                              dv + 1, dv + 1.25, dv + 1.5,
		                              dv + 1.75, xv + 8, dv + 2.25,
		                              dv + 2.5, xv + 11, dv + 3, dv + 3.25);
		want += 17 * (int64_t)h_small((signed char)xv, -300, (int)xv);
		want += 19 * (int64_t)h_ret8(xv);
		CHECKEQ(r, want);
		CHECKEQ(h_global, 3 * xv); /* h_store(&h_global, x) */
	}
	x86_free(u);
	return 1;
}

/* 16 integer arguments (10 on the stack) and 16 doubles (8 on the stack). */
static int64_t h_i16(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e,
                     int64_t f, int64_t g, int64_t h, int64_t i, int64_t j,
                     int64_t k, int64_t l, int64_t m, int64_t n, int64_t o,
                     int64_t p)
{
	return a - b + c * 2 - d + e * 3 - f + g * 4 - h + i * 5 - j + k * 6 -
	       l + m * 7 - n + o * 8 - p;
}

static double h_d16(double a, double b, double c, double d, double e,
                    double f, double g, double h, double i, double j,
                    double k, double l, double m, double n, double o,
                    double p)
{
	return a - b + c * 2 - d + e * 3 - f + g * 4 - h + i * 5 - j + k * 6 -
	       l + m * 7 - n + o * 8 - p;
}

static int t_stackargs(int m)
{
	static const uint8_t pt[] = {X86_I64, X86_F64};
	X86Unit *u = x86_newunit(2, pt, X86_I64);
	X86Ref ai[16], ad[16], r1, r2;
	int64_t r, x = 11, args[2];
	double d = 0.75;
	int i;

	for (i = 0; i < 16; i++) {
		ai[i] = x86_op2(u, 0, XR_MUL, x86_arg(u, 0, 0),
		                x86_con(u, X86_I64, i + 1));
		ad[i] = x86_op2(u, 0, XR_FADD, x86_arg(u, 0, 1),
		                x86_conf(u, i * 1.5));
	}
	r1 = x86_call(u, 0, X86_I64, ptrcon(u, h_i16), 16, ai);
	r2 = x86_call(u, 0, X86_F64, ptrcon(u, h_d16), 16, ad);
	x86_ret(u, 0, x86_op2(u, 0, XR_ADD, r1,
	                      x86_op1(u, 0, XR_FTOSI, X86_I64, r2)));
	args[0] = x;
	args[1] = fbits(d);
	CHECKEQ(run(m, u, args, &r), X86_OK);
	CHECKEQ(r, h_i16(x, 2 * x, 3 * x, 4 * x, 5 * x, 6 * x, 7 * x, 8 * x,
	                 9 * x, 10 * x, 11 * x, 12 * x, 13 * x, 14 * x, 15 * x,
	                 16 * x) +
	               (int64_t)h_d16(d, d + 1.5, d + 3, d + 4.5, d + 6, d + 7.5,
	                              d + 9, d + 10.5, d + 12, d + 13.5, d + 15,
	                              d + 16.5, d + 18, d + 19.5, d + 21,
	                              d + 22.5));
	x86_free(u);
	return 1;
}

/* Chains of conditions: (a < b && b < c) || a == 7, as branches that
 * cross-link, and an unreachable block. */
static int t_conds(int m)
{
	static const uint8_t t3[] = {X86_I32, X86_I32, X86_I32};
	X86Unit *u = x86_newunit(3, t3, X86_I32);
	X86Ref a = x86_arg(u, 0, 0), b = x86_arg(u, 0, 1), c = x86_arg(u, 0, 2);
	int c2 = x86_block(u, 0, NULL), c3 = x86_block(u, 0, NULL);
	int yes = x86_block(u, 0, NULL), no = x86_block(u, 0, NULL);
	int dead = x86_block(u, 0, NULL);
	int64_t r, args[3];

	x86_branch(u, 0, x86_op2(u, 0, XR_SLT, a, b), c2, c3);
	x86_branch(u, c2, x86_op2(u, c2, XR_SLT, b, c), yes, c3);
	x86_branch(u, c3, x86_op2(u, c3, XR_EQ, a, x86_con(u, X86_I32, 7)),
	           yes, no);
	x86_ret(u, yes, x86_con(u, X86_I32, 1));
	x86_ret(u, no, x86_con(u, X86_I32, 0));
	x86_ret(u, dead, x86_con(u, X86_I32, 99));
	for (int i = 0; i < 64; i++) {
		int va = i % 4 + 5, vb = i / 4 % 4 + 5, vc = i / 16 + 5;
		args[0] = va;
		args[1] = vb;
		args[2] = vc;
		CHECKEQ(run(m, u, args, &r), X86_OK);
		CHECKEQ(r, (va < vb && vb < vc) || va == 7);
	}
	x86_free(u);
	return 1;
}

/* A tight loop of a million iterations; a switch with only a default; a
 * flexswitch with only a default. */
static X86Unit *cb_only(void *opaque, X86Exit *site, int64_t value,
                        const int64_t *live)
{
	X86Unit *br = x86_bridge(site);

	ncallback++;
	x86_ret(br, 0, x86_op2(br, 0, XR_SUB, x86_con(br, X86_I64, value),
	                       x86_arg(br, 0, 0)));
	return br;
}

static int t_tight(int m)
{
	static const uint8_t t2[] = {X86_I64, X86_I64};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int loop = x86_block(u, 2, t2), body = x86_block(u, 0, NULL);
	int sw = x86_block(u, 0, NULL), dflt = x86_block(u, 0, NULL);
	X86Ref a[2], i, s;
	int64_t r;

	a[0] = x86_arg(u, 0, 0);
	a[1] = x86_con(u, X86_I64, 0);
	x86_jump(u, 0, loop, 2, a);
	i = x86_arg(u, loop, 0);
	s = x86_arg(u, loop, 1);
	x86_branch(u, loop, i, body, sw);
	a[0] = x86_op2(u, body, XR_SUB, i, x86_con(u, X86_I64, 1));
	a[1] = x86_op2(u, body, XR_XOR, s, i);
	x86_jump(u, body, loop, 2, a);
	x86_switch(u, sw, s, 0, NULL, NULL, dflt);
	x86_flexswitch(u, dflt, x86_op2(u, dflt, XR_AND, s,
	                                x86_con(u, X86_I64, 3)),
	               1, &s, cb_only, NULL);
	ncallback = 0;
	RUN(m, u, &r, 1000000);
	{
		int64_t want = 0;
		for (int64_t k = 1000000; k; k--)
			want ^= k;
		CHECKEQ(r, (want & 3) - want);
	}
	RUN(m, u, &r, 1000000);
	CHECKEQ(ncallback, 1);
	x86_free(u);
	return 1;
}

/* ---- switch ------------------------------------------------------------------ */

static int t_switch(int m)
{
	enum { N = 100 };
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int64_t cases[N], r, want;
	int to[N], i, dflt;

	for (i = 0; i < N; i++) {
		cases[i] = (int64_t)i * 7 - 300;
		to[i] = x86_block(u, 0, NULL);
		x86_ret(u, to[i], x86_op2(u, to[i], XR_MUL, x86_arg(u, 0, 0),
		                          x86_con(u, X86_I64, i)));
	}
	dflt = x86_block(u, 0, NULL);
	x86_ret(u, dflt, x86_con(u, X86_I64, -1));
	x86_switch(u, 0, x86_arg(u, 0, 0), N, cases, to, dflt);
	for (int64_t v = -310; v <= 420; v++) {
		RUN(m, u, &r, v);
		want = -1;
		if (v >= -300 && v <= 7 * (N - 1) - 300 && (v + 300) % 7 == 0)
			want = v * ((v + 300) / 7);
		CHECKEQ(r, want);
	}
	x86_free(u);
	return 1;
}

/* A dense switch (a jump table in x86): negative and positive cases, a
 * repeated case value (the first wins), gaps to the default, values
 * below, inside and above the range. */
static int t_switchdense(int m)
{
	enum { N = 24 };
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int64_t cases[N + 1], r, want;
	int to[N + 1], i, dflt;

	for (i = 0; i <= N; i++) {
		cases[i] = i < N ? (i * 3) / 2 - 5 : 7; /* 7 twice */
		to[i] = x86_block(u, 0, NULL);
		x86_ret(u, to[i], x86_op2(u, to[i], XR_ADD, x86_arg(u, 0, 0),
		                          x86_con(u, X86_I64, 1000 * (i + 1))));
	}
	dflt = x86_block(u, 0, NULL);
	x86_ret(u, dflt, x86_con(u, X86_I64, -1));
	x86_switch(u, 0, x86_arg(u, 0, 0), N + 1, cases, to, dflt);
	for (int64_t v = -12; v <= 45; v++) {
		RUN(m, u, &r, v);
		for (want = -1, i = 0; i <= N; i++)
			if (cases[i] == v) {
				want = v + 1000 * (i + 1);
				break;
			}
		CHECKEQ(r, want);
	}
	RUN(m, u, &r, INT64_MIN);
	CHECKEQ(r, -1);
	RUN(m, u, &r, (int64_t)1 << 40);
	CHECKEQ(r, -1);
	x86_free(u);
	return 1;
}

/* A switch on an i8 value with a negative case and a sparse set. */
static int t_switch8(int m)
{
	static const uint8_t t8[] = {X86_I8};
	static const int64_t cases[] = {-128, -1, 0, 5, 127};
	X86Unit *u = x86_newunit(1, t8, X86_I32);
	int to[5], i, dflt;
	int64_t r;

	for (i = 0; i < 5; i++) {
		to[i] = x86_block(u, 0, NULL);
		x86_ret(u, to[i], x86_con(u, X86_I32, i + 1));
	}
	dflt = x86_block(u, 0, NULL);
	x86_ret(u, dflt, x86_con(u, X86_I32, 0));
	x86_switch(u, 0, x86_arg(u, 0, 0), 5, cases, to, dflt);
	for (int v = -128; v < 128; v++) {
		int want = 0;
		for (i = 0; i < 5; i++)
			if (cases[i] == v)
				want = i + 1;
		RUN(m, u, &r, v);
		CHECKEQ(r, want);
	}
	x86_free(u);
	return 1;
}

/* ---- exit stubs and flexswitches ------------------------------------------------ */

static int64_t lastlive[8]; /* live values the last callback saw */

/* Stub callback: bridge b0(x, y) returns y + x + 100 + callbacks so far. */
static X86Unit *cb_stub(void *opaque, X86Exit *site, int64_t value,
                        const int64_t *live)
{
	X86Unit *br = x86_bridge(site);
	X86Ref s;

	ncallback++;
	memcpy(lastlive, live, 2 * sizeof *live);
	s = x86_op2(br, 0, XR_ADD, x86_arg(br, 0, 0), x86_arg(br, 0, 1));
	s = x86_op2(br, 0, XR_ADD, s, x86_con(br, X86_I64, 100 + ncallback));
	x86_ret(br, 0, s);
	return br;
}

static int t_stub(int m)
{
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	X86Ref live[2];
	X86Exit *site;
	int64_t r;

	live[0] = x86_arg(u, 0, 0);
	live[1] = x86_op2(u, 0, XR_MUL, live[0], x86_con(u, X86_I64, 3));
	site = x86_exitstub(u, 0, 2, live, cb_stub, NULL);
	CHECK(site != NULL);
	ncallback = 0;
	RUN(m, u, &r, 5);
	CHECKEQ(r, 5 + 15 + 101);
	CHECKEQ(ncallback, 1);
	CHECKEQ(lastlive[0], 5);
	CHECKEQ(lastlive[1], 15);
	RUN(m, u, &r, 7); /* patched: no callback */
	CHECKEQ(r, 7 + 21 + 101);
	CHECKEQ(ncallback, 1);
	x86_free(u);
	return 1;
}

/* Stub callback: bridge b0(a0..a7, k) returns sum a_i * (i + 1) + 1000 k. */
static X86Unit *cb_weigh(void *opaque, X86Exit *site, int64_t value,
                         const int64_t *live)
{
	X86Unit *br = x86_bridge(site);
	X86Ref s = x86_op2(br, 0, XR_MUL, x86_arg(br, 0, 8),
	                   x86_con(br, X86_I64, 1000));
	int i;

	ncallback++;
	for (i = 0; i < 8; i++)
		s = x86_op2(br, 0, XR_ADD, s,
		            x86_op2(br, 0, XR_MUL, x86_arg(br, 0, i),
		                    x86_con(br, X86_I64, i + 1)));
	x86_ret(br, 0, s);
	return br;
}

/* Nine values live across a loop without a call: more than the five
 * callee-saved registers, so some live in r8-r10 (GCALLREGS); the loop's
 * stub passes them all to a bridge (stored to the frame first). */
static int t_callregs(int m)
{
	uint8_t ty[9];
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int loop, body, out, i, it;
	X86Ref v[9], k;
	int64_t r, ref[8], tmp, want;

	memset(ty, X86_I64, sizeof ty);
	loop = x86_block(u, 9, ty);
	body = x86_block(u, 0, NULL);
	out = x86_block(u, 0, NULL);
	for (i = 0; i < 8; i++)
		v[i] = x86_op2(u, 0, XR_ADD, x86_arg(u, 0, 0),
		               x86_con(u, X86_I64, i * i));
	v[8] = x86_con(u, X86_I64, 0);
	x86_jump(u, 0, loop, 9, v);
	k = x86_arg(u, loop, 8);
	x86_branch(u, loop, x86_op2(u, loop, XR_EQ, k, x86_con(u, X86_I64, 5)),
	           out, body);
	for (i = 0; i < 9; i++)
		v[i] = x86_arg(u, loop, i);
	CHECK(x86_exitstub(u, out, 9, v, cb_weigh, NULL) != NULL);
	for (i = 0; i < 8; i++) /* rotate, and add k to one of them */
		v[i] = x86_arg(u, loop, (i + 1) % 8);
	v[3] = x86_op2(u, body, XR_ADD, v[3], k);
	v[8] = x86_op2(u, body, XR_ADD, k, x86_con(u, X86_I64, 1));
	x86_jump(u, body, loop, 9, v);
	ncallback = 0;
	for (int rep = 0; rep < 2; rep++) { /* the second run: patched */
		RUN(m, u, &r, 100 + rep);
		for (i = 0; i < 8; i++)
			ref[i] = 100 + rep + i * i;
		for (it = 0; it < 5; it++) {
			tmp = ref[0];
			for (i = 0; i < 7; i++)
				ref[i] = ref[i + 1];
			ref[7] = tmp;
			ref[3] += it;
		}
		for (want = 5000, i = 0; i < 8; i++)
			want += ref[i] * (i + 1);
		CHECKEQ(r, want);
	}
	CHECKEQ(ncallback, 1);
	x86_free(u);
	return 1;
}

/* A callback that cannot compile: the unit leaves early. */
static X86Unit *cb_null(void *opaque, X86Exit *site, int64_t value,
                        const int64_t *live)
{
	ncallback++;
	if (x86_sitenlive(site) > 0)
		lastlive[0] = live[0];
	return NULL;
}

static int t_leave(int m)
{
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	X86Ref v;
	X86Exit *site;
	int64_t r = 99;
	int64_t args[1] = {41};

	v = x86_op2(u, 0, XR_ADD, x86_arg(u, 0, 0), x86_con(u, X86_I64, 1));
	site = x86_exitstub(u, 0, 1, &v, cb_null, NULL);
	ncallback = 0;
	CHECKEQ(run(m, u, args, &r), -1);
	CHECKEQ(r, 0);
	CHECKEQ(lastlive[0], 42);
	CHECKEQ(ncallback, 1);
	CHECK(lastleft == site);
	x86_leftearly();
	CHECKEQ(run(m, u, args, &r), -1);
	CHECKEQ(ncallback, 2);
	x86_free(u);
	return 1;
}

/* Flex callback: bridge b0(x) returns x * 10 + value. */
static X86Unit *cb_flex(void *opaque, X86Exit *site, int64_t value,
                        const int64_t *live)
{
	X86Unit *br = x86_bridge(site);

	ncallback++;
	lastlive[0] = live[0];
	x86_ret(br, 0, x86_op2(br, 0, XR_ADD,
	                       x86_op2(br, 0, XR_MUL, x86_arg(br, 0, 0),
	                               x86_con(br, X86_I64, 10)),
	                       x86_con(br, X86_I64, value)));
	return br;
}

static int t_flex(int m)
{
	static const int64_t xs[] = {1, 2, 1, 9, 3, 5, 13, 2, 0, 8};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	X86Ref x = x86_arg(u, 0, 0), v;
	X86Exit *site;
	int five = x86_block(u, 0, NULL);
	int64_t r, want;
	int i, seen[8] = {0}, calls = 0;

	v = x86_op2(u, 0, XR_AND, x, x86_con(u, X86_I64, 7));
	site = x86_flexswitch(u, 0, v, 1, &x, cb_flex, NULL);
	x86_flexcase(site, 5, five);
	x86_ret(u, five, x86_con(u, X86_I64, 555));
	ncallback = 0;
	for (i = 0; i < 10; i++) {
		RUN(m, u, &r, xs[i]);
		want = (xs[i] & 7) == 5 ? 555 : xs[i] * 10 + (xs[i] & 7);
		if ((xs[i] & 7) != 5 && !seen[xs[i] & 7]++)
			calls++;
		CHECKEQ(r, want);
		CHECKEQ(ncallback, calls);
	}
	CHECKEQ(site->ncase, 1 + calls);
	x86_free(u);
	return 1;
}

/* A flexswitch that grows to 300 cases (patch areas must grow), checked
 * again after all are there; values of an i16 with negative cases. */
static int t_flexmany(int m)
{
	static const uint8_t t16[] = {X86_I16};
	X86Unit *u = x86_newunit(1, t16, X86_I64);
	X86Ref x = x86_op1(u, 0, XR_SEXT, X86_I64, x86_arg(u, 0, 0));
	int64_t r;
	int k, pass;

	x86_flexswitch(u, 0, x86_arg(u, 0, 0), 1, &x, cb_flex, NULL);
	ncallback = 0;
	for (pass = 0; pass < 2; pass++)
		for (k = 0; k < 300; k++) {
			int64_t v = (k * 7919) % 600 - 300;
			RUN(m, u, &r, v);
			CHECKEQ(r, v * 10 + v);
			CHECKEQ(ncallback, pass ? 300 : k + 1);
		}
	x86_free(u);
	return 1;
}

/* Exits without live values; leaving early from a bridge's stub (the
 * mark names the inner site). */
static X86Exit *inner_site; /* the stub in the bridge of cb_deep */

static X86Unit *cb_deep(void *opaque, X86Exit *site, int64_t value,
                        const int64_t *live)
{
	X86Unit *br = x86_bridge(site);

	ncallback++;
	inner_site = x86_exitstub(br, 0, 0, NULL, cb_null, NULL);
	return br;
}

static X86Unit *cb_const(void *opaque, X86Exit *site, int64_t value,
                         const int64_t *live)
{
	X86Unit *br = x86_bridge(site);

	ncallback++;
	x86_ret(br, 0, x86_con(br, X86_I64, 1000 + value));
	return br;
}

static int t_nolive(int m)
{
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int s = x86_block(u, 0, NULL), f = x86_block(u, 0, NULL);
	int64_t r, args[1];
	X86Exit *e;

	x86_branch(u, 0, x86_op2(u, 0, XR_SLT, x86_arg(u, 0, 0),
	                         x86_con(u, X86_I64, 0)), s, f);
	x86_exitstub(u, s, 0, NULL, cb_deep, NULL);
	x86_flexswitch(u, f, x86_arg(u, 0, 0), 0, NULL, cb_const, NULL);
	ncallback = 0;
	RUN(m, u, &r, 4);
	CHECKEQ(r, 1004);
	RUN(m, u, &r, 4);
	CHECKEQ(r, 1004);
	CHECKEQ(ncallback, 1);
	args[0] = -1;
	x86_leftearly();
	CHECKEQ(run(m, u, args, &r), -1);
	CHECKEQ(ncallback, 3); /* cb_deep, then cb_null in its bridge */
	e = lastleft;
	CHECK(e == inner_site && e != NULL);
	x86_free(u);
	return 1;
}

/* Nested: a stub's bridge ends in a flexswitch whose bridges end in a stub
 * whose bridge returns. */
static X86Unit *cb_inner(void *opaque, X86Exit *site, int64_t value,
                         const int64_t *live)
{
	X86Unit *br = x86_bridge(site);

	ncallback++;
	x86_ret(br, 0, x86_op2(br, 0, XR_SUB, x86_arg(br, 0, 0),
	                       x86_con(br, X86_I64, 1000)));
	return br;
}

static X86Unit *cb_mid(void *opaque, X86Exit *site, int64_t value,
                       const int64_t *live)
{
	X86Unit *br = x86_bridge(site);
	X86Ref s;

	ncallback++;
	s = x86_op2(br, 0, XR_MUL, x86_arg(br, 0, 0),
	            x86_con(br, X86_I64, value + 1));
	x86_exitstub(br, 0, 1, &s, cb_inner, NULL);
	return br;
}

static X86Unit *cb_outer(void *opaque, X86Exit *site, int64_t value,
                         const int64_t *live)
{
	X86Unit *br = x86_bridge(site);
	X86Ref x = x86_arg(br, 0, 0);

	ncallback++;
	x86_flexswitch(br, 0, x86_op2(br, 0, XR_UREM, x,
	                              x86_con(br, X86_I64, 3)),
	               1, &x, cb_mid, NULL);
	return br;
}

static int t_nested(int m)
{
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	X86Ref x = x86_arg(u, 0, 0);
	int64_t r;
	int i, expect[] = {3, 5, 5, 5, 7, 7, 7};
	int64_t xs[] = {10, 11, 13, 16, 12, 3, 4};

	x86_exitstub(u, 0, 1, &x, cb_outer, NULL);
	ncallback = 0;
	for (i = 0; i < 7; i++) {
		RUN(m, u, &r, xs[i]);
		CHECKEQ(r, xs[i] * (xs[i] % 3 + 1) - 1000);
		CHECKEQ(ncallback, expect[i]);
	}
	x86_free(u);
	return 1;
}

/* A loop whose body is compiled lazily: the bridge jumps back into the
 * reentry loop head of its parent.  sum of i*i for i < n. */
static X86Unit *cb_body(void *opaque, X86Exit *site, int64_t value,
                        const int64_t *live)
{
	X86Unit *br = x86_bridge(site), *parent = opaque;
	X86Ref i = x86_arg(br, 0, 0), a[3];

	ncallback++;
	a[0] = x86_op2(br, 0, XR_ADD, i, x86_con(br, X86_I64, 1));
	a[1] = x86_op2(br, 0, XR_ADD, x86_arg(br, 0, 1),
	               x86_op2(br, 0, XR_MUL, i, i));
	a[2] = x86_arg(br, 0, 2);
	x86_jumpunit(br, 0, parent, 1, 3, a);
	return br;
}

static int t_reentry(int m)
{
	static const uint8_t t3[] = {X86_I64, X86_I64, X86_I64};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int loop = x86_block(u, 3, t3), body = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL);
	X86Ref a[3];
	int64_t r;

	a[0] = x86_con(u, X86_I64, 0);
	a[1] = x86_con(u, X86_I64, 0);
	a[2] = x86_arg(u, 0, 0);
	x86_jump(u, 0, loop, 3, a);
	x86_reentry(u, loop);
	x86_branch(u, loop, x86_op2(u, loop, XR_SLT, x86_arg(u, loop, 0),
	                            x86_arg(u, loop, 2)), body, done);
	a[0] = x86_arg(u, loop, 0);
	a[1] = x86_arg(u, loop, 1);
	a[2] = x86_arg(u, loop, 2);
	x86_exitstub(u, body, 3, a, cb_body, u);
	x86_ret(u, done, x86_arg(u, loop, 1));
	ncallback = 0;
	RUN(m, u, &r, 10);
	CHECKEQ(r, 285);
	RUN(m, u, &r, 100);
	CHECKEQ(r, 328350);
	CHECKEQ(ncallback, 1);
	x86_free(u);
	return 1;
}

/* Bridge with f64 and narrow live values, and more live values than
 * registers. */
static X86Unit *cb_wide(void *opaque, X86Exit *site, int64_t value,
                        const int64_t *live)
{
	X86Unit *br = x86_bridge(site);
	X86Ref s = x86_con(br, X86_F64, fbits(0.0)), x;
	int i, n = x86_sitenlive(site);

	ncallback++;
	for (i = 0; i < n; i++) {
		x = x86_arg(br, 0, i);
		switch (x86_type(br, x)) {
		case X86_F64: break;
		case X86_I8: case X86_I16: case X86_I32:
			x = x86_op1(br, 0, XR_SEXT, X86_I64, x);
			/* fall through */
		default:
			x = x86_op1(br, 0, XR_SITOF, X86_F64, x);
		}
		s = x86_op2(br, 0, XR_FADD,
		            x86_op2(br, 0, XR_FMUL, s, x86_conf(br, 3.0)), x);
	}
	x86_ret(br, 0, s);
	return br;
}

static int t_widestub(int m)
{
	static const uint8_t pt[] = {X86_I64, X86_F64};
	static const uint8_t tys[] = {X86_I8, X86_F64, X86_I16, X86_I32,
	                              X86_I64, X86_PTR};
	X86Unit *u = x86_newunit(2, pt, X86_F64);
	X86Ref live[30], x = x86_arg(u, 0, 0), d = x86_arg(u, 0, 1), v;
	int i;
	int64_t r, args[2];
	double want, xv;

	for (i = 0; i < 30; i++) {
		v = x86_op2(u, 0, XR_ADD, x, x86_con(u, X86_I64, i * 37));
		if (tys[i % 6] == X86_F64)
			v = x86_op2(u, 0, XR_FADD, d, x86_op1(u, 0, XR_SITOF,
			                                       X86_F64, v));
		else if (tys[i % 6] != X86_I64 && tys[i % 6] != X86_PTR)
			v = x86_op1(u, 0, XR_TRUNC, tys[i % 6], v);
		else if (tys[i % 6] == X86_PTR)
			v = x86_op1(u, 0, XR_BITCAST, X86_PTR, v);
		live[i] = v;
	}
	x86_exitstub(u, 0, 30, live, cb_wide, NULL);
	ncallback = 0;
	for (int k = 0; k < 3; k++) {
		args[0] = 100 + k * 50;
		args[1] = fbits(0.5);
		CHECKEQ(run(m, u, args, &r), X86_OK);
		want = 0;
		for (i = 0; i < 30; i++) {
			int64_t iv = args[0] + i * 37;
			switch (tys[i % 6]) {
			case X86_I8: xv = (int8_t)iv; break;
			case X86_I16: xv = (int16_t)iv; break;
			case X86_I32: xv = (int32_t)iv; break;
			case X86_F64: xv = 0.5 + (double)iv; break;
			default: xv = (double)iv;
			}
			want = want * 3.0 + xv;
		}
		CHECKEQ(r, fbits(want));
	}
	CHECKEQ(ncallback, 1);
	x86_free(u);
	return 1;
}

/* Reentrancy: a bridge calls C, which runs the same unit again (the
 * factorial through a patched stub, recursively). */
static X86Unit *rec_unit; /* the unit the helper runs */
static int rec_mode;      /* and how */

static int64_t h_rec(int64_t n)
{
	int64_t r = -1000;

	if (run(rec_mode, rec_unit, &n, &r) != X86_OK)
		return -1000;
	return r;
}

static X86Unit *cb_rec(void *opaque, X86Exit *site, int64_t value,
                       const int64_t *live)
{
	X86Unit *br = x86_bridge(site);
	X86Ref n = x86_arg(br, 0, 0), m;

	ncallback++;
	m = x86_op2(br, 0, XR_SUB, n, x86_con(br, X86_I64, 1));
	m = x86_call(br, 0, X86_I64, x86_con(br, X86_PTR,
	                                     (int64_t)(intptr_t)h_rec), 1, &m);
	x86_ret(br, 0, x86_op2(br, 0, XR_MUL, n, m));
	return br;
}

static int t_reenter(int m)
{
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	X86Ref n = x86_arg(u, 0, 0);
	int zero = x86_block(u, 0, NULL), more = x86_block(u, 0, NULL);
	int64_t r;

	x86_branch(u, 0, n, more, zero);
	x86_ret(u, zero, x86_con(u, X86_I64, 1));
	x86_exitstub(u, more, 1, &n, cb_rec, NULL);
	rec_unit = u;
	rec_mode = m;
	ncallback = 0;
	RUN(m, u, &r, 10);
	CHECKEQ(r, 3628800);
	CHECKEQ(ncallback, 1);
	RUN(m, u, &r, 5);
	CHECKEQ(r, 120);
	CHECKEQ(ncallback, 1);
	x86_free(u);
	return 1;
}

/* A unit that returns normally after a nested unit left early: the
 * "left early" mark is the outer one's (NULL). */
static X86Unit *leave_inner; /* the inner unit (leaves through cb_null) */

static int64_t h_inner(int64_t x)
{
	static const uint8_t t[1] = {X86_I64};
	int64_t r = 0;

	/* run the inner unit without reading x86_leftearly() */
	if (rec_mode == M_INTERP)
		return x86_interp(leave_inner, &x, &r, 0) == -1 ? 7 : -7;
#ifdef X86_HAVE_BACKEND
	if (!leave_inner->code)
		leave_inner->code = x86_compile(leave_inner);
	if (leave_inner->code)
		return x86_ccall(leave_inner->code, X86_I64, 1, t, &x) == 0 ? 7 : -7;
#endif
	(void)t;
	return -7;
}

static int t_leavenested(int m)
{
	X86Unit *in = x86_newunit(1, T_I64, X86_I64);
	X86Unit *out = x86_newunit(1, T_I64, X86_I64);
	X86Ref x = x86_arg(in, 0, 0), y = x86_arg(out, 0, 0);
	int64_t r;

	x86_exitstub(in, 0, 1, &x, cb_null, NULL);
	y = x86_call(out, 0, X86_I64, ptrcon(out, h_inner), 1, &y);
	x86_ret(out, 0, x86_op2(out, 0, XR_ADD, y, x86_con(out, X86_I64, 1)));
	leave_inner = in;
	rec_mode = m;
	RUN(m, out, &r, 3); /* fails if x86_leftearly() is set afterwards */
	CHECKEQ(r, 8);
	CHECK(x86_leftearly() == NULL);
	x86_free(in);
	x86_free(out);
	return 1;
}

/* A bridge's own stack slot outlives the bridge: bridge 1 stores into its
 * slot and jumps back into the root with the slot's address; the root
 * then calls C (which uses plenty of stack) and takes a second stub whose
 * callback also uses stack and whose bridge (with its own slot) reads the
 * first slot. */
static int64_t h_stackhog(int64_t x)
{
	volatile int64_t buf[512];
	int i;

	for (i = 0; i < 512; i++)
		buf[i] = x ^ i;
	return buf[x & 511] ^ (x & 511);
}

static X86Unit *cb_slot2(void *opaque, X86Exit *site, int64_t value,
                         const int64_t *live)
{
	X86Unit *br = x86_bridge(site);
	X86Ref p = x86_arg(br, 0, 0), q, v;

	ncallback++;
	h_stackhog(live[1]);
	q = x86_slot(br, 0, 64, 8);
	x86_store(br, 0, x86_con(br, X86_I64, -1), q, X86_NONE, 1, 0);
	x86_store(br, 0, x86_con(br, X86_I64, -1), q, X86_NONE, 1, 56);
	v = x86_load(br, 0, X86_I64, p, X86_NONE, 1, 8);
	v = x86_op2(br, 0, XR_ADD, v, x86_load(br, 0, X86_I64, q, X86_NONE, 1,
	                                       56));
	x86_ret(br, 0, v);
	return br;
}

static X86Unit *cb_slot1(void *opaque, X86Exit *site, int64_t value,
                         const int64_t *live)
{
	X86Unit *br = x86_bridge(site), *root = opaque;
	X86Ref x = x86_arg(br, 0, 0), p, a[2];
	int i;

	ncallback++;
	p = x86_slot(br, 0, 64, 8);
	for (i = 0; i < 8; i++)
		x86_store(br, 0, x86_op2(br, 0, XR_MUL, x,
		                         x86_con(br, X86_I64, i + 1)),
		          p, X86_NONE, 1, 8 * i);
	a[0] = p;
	a[1] = x;
	x86_jumpunit(br, 0, root, 1, 2, a);
	return br;
}

static int t_bridgeslot(int m)
{
	static const uint8_t t2[] = {X86_PTR, X86_I64};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int j = x86_block(u, 2, t2);
	X86Ref x = x86_arg(u, 0, 0), a[2];
	int64_t r;

	x86_exitstub(u, 0, 1, &x, cb_slot1, u);
	x86_reentry(u, j);
	a[0] = x86_arg(u, j, 0);
	a[1] = x86_call(u, j, X86_I64, ptrcon(u, h_stackhog), 1,
	                (X86Ref[]){x86_arg(u, j, 1)});
	x86_exitstub(u, j, 2, a, cb_slot2, NULL);
	ncallback = 0;
	RUN(m, u, &r, 5);
	CHECKEQ(r, 5 * 2 - 1);
	RUN(m, u, &r, 7);
	CHECKEQ(r, 7 * 2 - 1);
	CHECKEQ(ncallback, 2);
	x86_free(u);
	return 1;
}

/* The same, with the bridges compiled in the order that matters: bridge
 * 1 (no slot) first, bridge 2 (with a slot) second, then bridge 1 runs
 * again while bridge 2's slot is live, and the root calls C before reading
 * the slot.  H(i, x, p): i < 3 ? flexswitch (i & 1) : return *p after a C
 * call; case 0 -> H(i+1, x, p), case 1 -> slot q = 3x; H(i+1, x, q). */
static int64_t slot_init = 42; /* what p points to at first */

static X86Unit *cb_life(void *opaque, X86Exit *site, int64_t value,
                        const int64_t *live)
{
	X86Unit *br = x86_bridge(site), *root = opaque;
	X86Ref a[3];

	ncallback++;
	a[0] = x86_op2(br, 0, XR_ADD, x86_arg(br, 0, 0), x86_con(br, X86_I64, 1));
	a[1] = x86_arg(br, 0, 1);
	a[2] = x86_arg(br, 0, 2);
	if (value == 1) {
		a[2] = x86_slot(br, 0, 256, 8);
		x86_store(br, 0, x86_op2(br, 0, XR_MUL, a[1],
		                         x86_con(br, X86_I64, 3)),
		          a[2], X86_NONE, 1, 0);
	}
	x86_jumpunit(br, 0, root, 1, 3, a);
	return br;
}

static int t_slotlife(int m)
{
	static const uint8_t t3[] = {X86_I64, X86_I64, X86_PTR};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int h = x86_block(u, 3, t3), f = x86_block(u, 0, NULL);
	int r = x86_block(u, 0, NULL);
	X86Ref a[3], i, x, p, v;
	int64_t res;

	a[0] = x86_con(u, X86_I64, 0);
	a[1] = x86_arg(u, 0, 0);
	a[2] = ptrcon(u, &slot_init);
	x86_jump(u, 0, h, 3, a);
	x86_reentry(u, h);
	i = x86_arg(u, h, 0);
	x = x86_arg(u, h, 1);
	p = x86_arg(u, h, 2);
	x86_branch(u, h, x86_op2(u, h, XR_SLT, i, x86_con(u, X86_I64, 3)), f, r);
	a[0] = i;
	a[1] = x;
	a[2] = p;
	x86_flexswitch(u, f, x86_op2(u, f, XR_AND, i, x86_con(u, X86_I64, 1)),
	               3, a, cb_life, u);
	v = x86_call(u, r, X86_I64, ptrcon(u, h_stackhog), 1, &x);
	x86_ret(u, r, x86_op2(u, r, XR_ADD, x86_load(u, r, X86_I64, p, X86_NONE,
	                                             1, 0),
	                      x86_op2(u, r, XR_SUB, v, v)));
	ncallback = 0;
	RUN(m, u, &res, 5);
	CHECKEQ(res, 15);
	RUN(m, u, &res, 6);
	CHECKEQ(res, 18);
	CHECKEQ(ncallback, 2);
	x86_free(u);
	return 1;
}

/* ---- stack slots and memory --------------------------------------------------- */

static int64_t h_sum(const int64_t *p, int64_t n)
{
	int64_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

static int t_slots(int m)
{
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	X86Ref s1, s2, x = x86_arg(u, 0, 0), a[2], t;
	int i;
	int64_t r;

	s1 = x86_slot(u, 0, 8 * 10, 8);
	s2 = x86_slot(u, 0, 16, 16);
	for (i = 0; i < 10; i++)
		x86_store(u, 0, x86_op2(u, 0, XR_MUL, x, x86_con(u, X86_I64, i)),
		          s1, X86_NONE, 1, 8 * i);
	x86_store(u, 0, x86_con(u, X86_I32, -7), s2, X86_NONE, 1, 4);
	a[0] = s1;
	a[1] = x86_con(u, X86_I64, 10);
	t = x86_call(u, 0, X86_I64, ptrcon(u, h_sum), 2, a);
	t = x86_op2(u, 0, XR_ADD, t,
	            x86_op1(u, 0, XR_SEXT, X86_I64,
	                    x86_load(u, 0, X86_I32, s2, X86_NONE, 1, 4)));
	t = x86_op2(u, 0, XR_ADD, t,
	            x86_load(u, 0, X86_I64, s1, x86_con(u, X86_I64, 3), 8, 0));
	t = x86_op2(u, 0, XR_ADD, t, x86_op2(u, 0, XR_AND, s2,
	                                     x86_con(u, X86_PTR, 15)));
	x86_ret(u, 0, t);
	RUN(m, u, &r, 2);
	CHECKEQ(r, 2 * 45 - 7 + 6);
	x86_free(u);
	return 1;
}

/* Stores and loads of every width with every addressing form. */
static int t_memory(int m)
{
	static const uint8_t pt[] = {X86_PTR, X86_I64, X86_I64};
	static const int tys[] = {X86_I8, X86_I16, X86_I32, X86_I64, X86_F64};
	static const int scales[] = {1, 2, 4, 8};
	static const int32_t offs[] = {0, 3, -8, 200};
	uint8_t buf[1024], mem[1024];
	int ti, si, oi, form, n;
	int64_t r;

	for (ti = 0; ti < 5; ti++)
		for (si = 0; si < 4; si++)
			for (oi = 0; oi < 4; oi++)
				for (form = 0; form < 3; form++) {
					int t = tys[ti], sc = scales[si];
					int32_t off = offs[oi];
					X86Unit *u = x86_newunit(3, pt, X86_I64);
					X86Ref p = x86_arg(u, 0, 0),
					       idx = x86_arg(u, 0, 1),
					       v = x86_arg(u, 0, 2), ix, ld;

					/* form 0: value index, 1: constant
					 * index, 2: no index */
					ix = form == 0 ? idx : form == 1
					    ? x86_con(u, X86_I64, 5) : X86_NONE;
					if (t != X86_I64)
						v = t == X86_F64
						    ? x86_op1(u, 0, XR_BITCAST, X86_F64, v)
						    : x86_op1(u, 0, XR_TRUNC, t, v);
					x86_store(u, 0, v, p, ix, sc, off);
					ld = x86_load(u, 0, t, p, ix, sc, off + 1 - 1);
					if (t == X86_F64)
						ld = x86_op1(u, 0, XR_BITCAST, X86_I64, ld);
					else if (t != X86_I64)
						ld = x86_op1(u, 0, XR_ZEXT, X86_I64, ld);
					/* plus an unaligned load of 8 bytes */
					ld = x86_op2(u, 0, XR_ADD, ld,
					             x86_load(u, 0, X86_I64, p, X86_NONE,
					                      1, 1));
					x86_ret(u, 0, ld);
					memset(buf, 0xa5, sizeof buf);
					memset(mem, 0xa5, sizeof mem);
					{
						int64_t val = 0x1122334455667788LL * (ti + 1),
						        base = 256, k = 5, x;
						int64_t args[3];
						uint64_t got = 0, un;
						args[0] = (int64_t)(intptr_t)(buf + base);
						args[1] = k;
						args[2] = val;
						CHECKEQ(run(m, u, args, &r), X86_OK);
						n = t == X86_F64 ? 8 : x86_bits(t) / 8;
						x = base + (form < 2 ? k * sc : 0) + off;
						memcpy(mem + x, &val, n);
						memcpy(&got, mem + x, n);
						memcpy(&un, mem + base + 1, 8);
						CHECK(memcmp(buf, mem, sizeof buf) == 0);
						CHECKEQ(r, (int64_t)(got + un));
					}
					x86_free(u);
				}
	return 1;
}

/* ---- operations against C ------------------------------------------------------ */

/* C semantics of integer op on type T (the reference). */
#define CREF(T, UT, BITS) \
	static int64_t cref_##BITS(int op, int64_t a0, int64_t b0) \
	{ \
		T a = (T)a0, b = (T)b0; \
		UT ua = (UT)a, ub = (UT)b; \
		switch (op) { \
		case XR_ADD: return (T)(UT)(ua + ub); \
		case XR_SUB: return (T)(UT)(ua - ub); \
		case XR_MUL: return (T)(UT)((UT)ua * (UT)ub); \
		case XR_SDIV: return (T)(a / b); \
		case XR_UDIV: return (T)(ua / ub); \
		case XR_SREM: return (T)(a % b); \
		case XR_UREM: return (T)(ua % ub); \
		case XR_AND: return (T)(a & b); \
		case XR_OR: return (T)(a | b); \
		case XR_XOR: return (T)(a ^ b); \
		case XR_SHL: return (T)(UT)(ua << (ub % BITS)); \
		case XR_LSHR: return (T)(UT)(ua >> (ub % BITS)); \
		case XR_ASHR: return (T)(a >> (ub % BITS)); \
		case XR_EQ: return a == b; \
		case XR_NE: return a != b; \
		case XR_SLT: return a < b; \
		case XR_SLE: return a <= b; \
		case XR_SGT: return a > b; \
		case XR_SGE: return a >= b; \
		case XR_ULT: return ua < ub; \
		case XR_ULE: return ua <= ub; \
		case XR_UGT: return ua > ub; \
		case XR_UGE: return ua >= ub; \
		} \
		return 0; \
	}
CREF(int8_t, uint8_t, 8)
CREF(int16_t, uint16_t, 16)
CREF(int32_t, uint32_t, 32)
CREF(int64_t, uint64_t, 64)

static int64_t cref(int op, int t, int64_t a, int64_t b)
{
	switch (t) {
	case X86_I8: return cref_8(op, a, b);
	case X86_I16: return cref_16(op, a, b);
	case X86_I32: return cref_32(op, a, b);
	default: return cref_64(op, a, b);
	}
}

static const int64_t ivals[] = {
	0, 1, -1, 2, 3, 7, -8, 31, 32, 63, 64, 100, -100, 127, -128, 255,
	0x7fff, -0x8000, 0xffff, 0x7fffffff, -0x7fffffff - 1, 0xffffffffLL,
	0x123456789abcdefLL, INT64_MAX, INT64_MIN, -0x5a5a5a5a5a5aLL,
};
#define NIVALS (int)(sizeof ivals / sizeof ivals[0])

/* Is op(a, b) undefined at type t? */
static int undefined(int op, int t, int64_t a, int64_t b)
{
	int64_t min = x86_norm(t, (int64_t)((uint64_t)1 << (x86_bits(t) - 1)));

	if (!(x86_opinfo[op].props & XP_TRAP))
		return 0;
	return b == 0 || ((op == XR_SDIV || op == XR_SREM) && a == min &&
	                  b == -1);
}

/* A unit computing op at type t; form 0: (a, b) params, 1: b constant,
 * 2: a constant; the result is zero-extended to i64 unless t is i64. */
static X86Unit *binunit(int op, int t, int form, int64_t k)
{
	uint8_t pt[2] = {t, t};
	X86Unit *u = x86_newunit(form ? 1 : 2, pt, X86_I64);
	X86Ref a = x86_arg(u, 0, 0), b, r;

	b = form ? x86_con(u, t, k) : x86_arg(u, 0, 1);
	if (form == 2) {
		b = a;
		a = x86_con(u, t, k);
	}
	r = x86_op2(u, 0, op, a, b);
	if (x86_type(u, r) != X86_I64)
		r = x86_op1(u, 0, XR_SEXT, X86_I64, r);
	x86_ret(u, 0, r);
	return u;
}

static int intops(int m, int op)
{
	static const int tys[] = {X86_I8, X86_I16, X86_I32, X86_I64};
	int ti, i, j, form;
	int64_t r, a, b, args[2];

	for (ti = 0; ti < 4; ti++) {
		int t = tys[ti];
		X86Unit *u = binunit(op, t, 0, 0);
		for (i = 0; i < NIVALS; i++)
			for (j = 0; j < NIVALS; j++) {
				a = x86_norm(t, ivals[i]);
				b = x86_norm(t, ivals[j]);
				if (undefined(op, t, a, b))
					continue;
				args[0] = a;
				args[1] = b;
				if (run(m, u, args, &r) != X86_OK) {
					snprintf(failmsg, sizeof failmsg,
					         "%s %s run failed",
					         x86_opinfo[op].name,
					         x86_typename[t]);
					return 0;
				}
				if (r != cref(op, t, a, b)) {
					snprintf(failmsg, sizeof failmsg,
					         "%s %s %" PRId64 ", %" PRId64
					         " = %" PRId64 ", want %" PRId64,
					         x86_opinfo[op].name, x86_typename[t],
					         a, b, r, cref(op, t, a, b));
					return 0;
				}
			}
		x86_free(u);
		/* constant operands, folded into instructions by the backend */
		for (form = 1; form <= 2; form++)
			for (j = 0; j < NIVALS; j++) {
				int64_t k = x86_norm(t, ivals[j]);
				u = binunit(op, t, form, k);
				for (i = 0; i < NIVALS; i += 3) {
					a = x86_norm(t, ivals[i]);
					if (form == 1 ? undefined(op, t, a, k)
					              : undefined(op, t, k, a))
						continue;
					args[0] = a;
					if (run(m, u, args, &r) != X86_OK ||
					    r != (form == 1 ? cref(op, t, a, k)
					                    : cref(op, t, k, a))) {
						snprintf(failmsg, sizeof failmsg,
						         "%s %s form %d k=%" PRId64
						         " a=%" PRId64 ": %" PRId64,
						         x86_opinfo[op].name,
						         x86_typename[t], form, k, a, r);
						return 0;
					}
				}
				x86_free(u);
			}
	}
	return 1;
}

static const double fvals[] = {
	0.0, -0.0, 1.0, -1.5, 3.25, 1e300, -1e-300, 2147483647.5,
	-2147483648.75, 9.3e18, -9.3e18, 4294967296.0, 100.9, -100.9,
	INFINITY, -INFINITY, NAN,
};
#define NFVALS (int)(sizeof fvals / sizeof fvals[0])

/* C reference of a f64 op; raw result (bits, or 0/1 for compares). */
static int64_t fref(int op, double a, double b)
{
	switch (op) {
	case XR_FADD: return fbits(a + b);
	case XR_FSUB: return fbits(a - b);
	case XR_FMUL: return fbits(a * b);
	case XR_FDIV: return fbits(a / b);
	case XR_FEQ: return a == b;
	case XR_FNE: return a != b;
	case XR_FLT: return a < b;
	case XR_FLE: return a <= b;
	case XR_FGT: return a > b;
	default: return a >= b;
	}
}

static int fltops(int m, int op)
{
	static const uint8_t pt[] = {X86_F64, X86_F64};
	int i, j, form;
	int64_t r, args[2];

	for (form = 0; form < 2; form++)
		for (j = 0; j < NFVALS; j++) {
			X86Unit *u = x86_newunit(2 - form, pt, X86_I64);
			X86Ref b = form ? x86_conf(u, fvals[j]) : x86_arg(u, 0, 1);
			X86Ref res = x86_op2(u, 0, op, x86_arg(u, 0, 0), b);
			res = x86_type(u, res) == X86_F64
			          ? x86_op1(u, 0, XR_BITCAST, X86_I64, res)
			          : x86_op1(u, 0, XR_ZEXT, X86_I64, res);
			x86_ret(u, 0, res);
			for (i = 0; i < NFVALS; i++) {
				args[0] = fbits(fvals[i]);
				args[1] = fbits(fvals[j]);
				if (run(m, u, args, &r) != X86_OK ||
				    r != fref(op, fvals[i], fvals[j])) {
					snprintf(failmsg, sizeof failmsg,
					         "%s %g, %g form %d = %" PRIx64,
					         x86_opinfo[op].name, fvals[i],
					         fvals[j], form, r);
					return 0;
				}
			}
			x86_free(u);
			if (!form)
				break;
		}
	return 1;
}

/* One test per operation: integer ops at every width, f64 ops. */
static int t_op(int m, int op)
{
	if (x86_opinfo[op].props & XP_FLOAT)
		return fltops(m, op);
	return intops(m, op);
}

/* cvttsd2si semantics: the reference for ftosi. */
static int64_t ftosiref(int t, double d)
{
	if (t == X86_I64)
		return (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
		           ? (int64_t)d : INT64_MIN;
	if (d > -2147483649.0 && d < 2147483648.0)
		return x86_norm(t, (int32_t)d);
	return x86_norm(t, INT32_MIN);
}

/* Casts between every pair of widths, fneg, sitof, ftosi, bitcast. */
static int t_casts(int m)
{
	static const int tys[] = {X86_I8, X86_I16, X86_I32, X86_I64};
	int fi, ti, op, i;
	int64_t r, want;

	for (fi = 0; fi < 4; fi++)
		for (ti = 0; ti < 4; ti++)
			for (op = XR_SEXT; op <= XR_TRUNC; op++) {
				int from = tys[fi], to = tys[ti];
				uint8_t pt[1] = {from};
				X86Unit *u;
				X86Ref v;
				if ((op == XR_TRUNC) != (ti <= fi) ||
				    (ti == fi && op != XR_TRUNC))
					continue;
				u = x86_newunit(1, pt, X86_I64);
				v = x86_op1(u, 0, op, to, x86_arg(u, 0, 0));
				if (to != X86_I64)
					v = x86_op1(u, 0, XR_SEXT, X86_I64, v);
				x86_ret(u, 0, v);
				for (i = 0; i < NIVALS; i++) {
					int64_t a = x86_norm(from, ivals[i]);
					uint64_t ua = (uint64_t)a;
					if (op == XR_ZEXT && from != X86_I64)
						ua &= ((uint64_t)1 << x86_bits(from)) - 1;
					want = x86_norm(to, (int64_t)ua);
					RUN(m, u, &r, a);
					CHECKEQ(r, want);
				}
				x86_free(u);
			}
	for (ti = 0; ti < 4; ti++) {
		int t = tys[ti];
		uint8_t pt[1] = {t}, pf[1] = {X86_F64};
		X86Unit *u = x86_newunit(1, pt, X86_F64);
		X86Unit *w = x86_newunit(1, pf, X86_I64);
		X86Ref v;
		x86_ret(u, 0, x86_op1(u, 0, XR_FNEG, X86_F64,
		                      x86_op1(u, 0, XR_SITOF, X86_F64,
		                              x86_arg(u, 0, 0))));
		v = x86_op1(w, 0, XR_FTOSI, t, x86_arg(w, 0, 0));
		if (t != X86_I64)
			v = x86_op1(w, 0, XR_SEXT, X86_I64, v);
		x86_ret(w, 0, v);
		for (i = 0; i < NIVALS; i++) {
			int64_t a = x86_norm(t, ivals[i]);
			RUN(m, u, &r, a);
			CHECKEQ(r, fbits(-(double)a));
		}
		for (i = 0; i < NFVALS; i++) {
			RUN(m, w, &r, fbits(fvals[i]));
			CHECKEQ(r, ftosiref(t, fvals[i]));
		}
		x86_free(u);
		x86_free(w);
	}
	return 1;
}

/* select at every width, with value and constant operands. */
static int t_select(int m)
{
	static const int tys[] = {X86_I8, X86_I16, X86_I32, X86_I64, X86_F64};
	int ti, i;
	int64_t r;

	for (ti = 0; ti < 5; ti++) {
		int t = tys[ti];
		uint8_t pt[3] = {X86_I32, t, t};
		X86Unit *u = x86_newunit(3, pt, t == X86_F64 ? X86_F64 : X86_I64);
		X86Ref c = x86_arg(u, 0, 0), s1, s2, v;
		s1 = x86_select(u, 0, c, x86_arg(u, 0, 1), x86_arg(u, 0, 2));
		s2 = x86_select(u, 0, x86_op2(u, 0, XR_SLT, c,
		                              x86_con(u, X86_I32, 2)),
		                t == X86_F64 ? x86_conf(u, 2.5) : x86_con(u, t, 9),
		                s1);
		v = t == X86_F64 ? s2
		    : t == X86_I64 ? s2 : x86_op1(u, 0, XR_SEXT, X86_I64, s2);
		x86_ret(u, 0, v);
		for (i = 0; i < 4; i++) {
			int64_t a = t == X86_F64 ? fbits(1.25) : x86_norm(t, -77);
			int64_t b = t == X86_F64 ? fbits(-3.0) : x86_norm(t, 300);
			int64_t k = t == X86_F64 ? fbits(2.5) : 9, args[3], want;
			args[0] = i;
			args[1] = a;
			args[2] = b;
			CHECKEQ(run(m, u, args, &r), X86_OK);
			want = i < 2 ? k : a;
			CHECKEQ(r, want);
		}
		x86_free(u);
	}
	return 1;
}

/* Narrow parameters and returns: i8/i16/i32 units called from C. */
static int t_narrow(int m)
{
	static const uint8_t pt[] = {X86_I8, X86_I16, X86_I32, X86_F64};
	X86Unit *u = x86_newunit(4, pt, X86_I16);
	X86Ref s;
	int64_t r, args[4];

	s = x86_op2(u, 0, XR_ADD,
	            x86_op1(u, 0, XR_SEXT, X86_I16, x86_arg(u, 0, 0)),
	            x86_arg(u, 0, 1));
	s = x86_op2(u, 0, XR_ADD, s,
	            x86_op1(u, 0, XR_TRUNC, X86_I16, x86_arg(u, 0, 2)));
	s = x86_op2(u, 0, XR_ADD, s, x86_op1(u, 0, XR_FTOSI, X86_I16,
	                                     x86_arg(u, 0, 3)));
	x86_ret(u, 0, s);
	args[0] = -5;
	args[1] = 30000;
	args[2] = 70000;
	args[3] = fbits(-2.5);
	CHECKEQ(run(m, u, args, &r), X86_OK);
	CHECKEQ(r, (int16_t)(-5 + 30000 + (int16_t)70000 - 2));
	x86_free(u);
	return 1;
}

/* ---- errors: never abort --------------------------------------------------------- */

static int t_errors(int m)
{
	X86Unit *u;
	int64_t r, args[2] = {1, 2};
	int n, ok, failed;

	/* type mismatch */
	u = x86_newunit(2, T_I64, X86_I64);
	x86_op2(u, 0, XR_ADD, x86_arg(u, 0, 0), x86_con(u, X86_I32, 1));
	CHECKEQ(x86_error(u), X86_EINVAL);
	CHECKEQ(x86_op2(u, 0, XR_ADD, x86_arg(u, 0, 0), x86_arg(u, 0, 1)),
	        X86_NONE);
	CHECK(run(m, u, args, &r) > 0);
	x86_free(u);
	/* jump to the entry, op after the terminator, unterminated block */
	u = x86_newunit(1, T_I64, X86_I64);
	x86_jump(u, 0, 0, 1, (X86Ref[]){x86_arg(u, 0, 0)});
	CHECKEQ(x86_error(u), X86_EINVAL);
	x86_free(u);
	u = x86_newunit(1, T_I64, X86_I64);
	x86_ret(u, 0, x86_arg(u, 0, 0));
	x86_op2(u, 0, XR_ADD, x86_arg(u, 0, 0), x86_arg(u, 0, 0));
	CHECKEQ(x86_error(u), X86_EINVAL);
	x86_free(u);
	u = x86_newunit(1, T_I64, X86_I64);
	x86_ret(u, 0, x86_arg(u, 0, 0));
	x86_block(u, 0, NULL);
	CHECK(run(m, u, args, &r) > 0);
	CHECKEQ(x86_error(u), X86_EINVAL);
	x86_free(u);
	/* too many parameters */
	u = x86_newunit(7, (const uint8_t[]){4, 4, 4, 4, 4, 4, 4}, X86_I64);
	CHECKEQ(x86_error(u), X86_EUNSUP);
	x86_free(u);
	/* allocation failures at every point of building factorial */
	for (n = 1, failed = 1; failed && n < 200; n++) {
		x86_allocfail = n;
		u = factorial();
		x86_allocfail = 0;
		failed = !u || x86_error(u) != X86_OK;
		if (u && failed) {
			CHECKEQ(x86_error(u), X86_ENOMEM);
			CHECK(run(m, u, args, &r) > 0);
		}
		if (!failed) {
			/* and then while running or compiling it */
			for (int k = 1; k < 20; k++) {
				X86Unit *w = factorial();
				x86_allocfail = k;
				ok = run(m, w, args, &r);
				x86_allocfail = 0;
				CHECK(ok == X86_OK || ok == X86_ENOMEM);
				if (ok == X86_OK)
					CHECKEQ(r, 1);
				x86_free(w);
			}
		}
		x86_free(u);
	}
	CHECK(!failed);
	return 1;
}

/* The strict check: dominance and the reentry rule (interp mode only). */
static int t_ssa(int m)
{
	X86Unit *u;
	X86Ref v, w;
	int t, e, j, r;
	int64_t res, args[1] = {1};

	if (m != M_INTERP)
		return -1;
	/* a value of one side of a diamond used at the join */
	u = x86_newunit(1, T_I64, X86_I64);
	t = x86_block(u, 0, NULL);
	e = x86_block(u, 0, NULL);
	j = x86_block(u, 0, NULL);
	x86_branch(u, 0, x86_arg(u, 0, 0), t, e);
	v = x86_op2(u, t, XR_ADD, x86_arg(u, 0, 0), x86_con(u, X86_I64, 1));
	x86_jump(u, t, j, 0, NULL);
	x86_jump(u, e, j, 0, NULL);
	x86_ret(u, j, v);
	CHECKEQ(x86_interp(u, args, &res, 0), X86_EINVAL);
	x86_free(u);
	/* a use before its definition in the same block */
	u = x86_newunit(1, T_I64, X86_I64);
	v = x86_op2(u, 0, XR_ADD, x86_arg(u, 0, 0), x86_con(u, X86_I64, 1));
	w = x86_op2(u, 0, XR_ADD, v, v);
	u->blk[0].ins[0].b = w; /* forge the cycle */
	x86_ret(u, 0, w);
	CHECKEQ(x86_interp(u, args, &res, 0), X86_EINVAL);
	x86_free(u);
	/* a value live through a reentry block, then the fixed version */
	for (int fixed = 0; fixed < 2; fixed++) {
		u = x86_newunit(1, T_I64, X86_I64);
		v = x86_op2(u, 0, XR_MUL, x86_arg(u, 0, 0),
		            x86_con(u, X86_I64, 3));
		r = x86_block(u, 1, T_I64);
		x86_reentry(u, r);
		x86_jump(u, 0, r, 1, &v);
		w = x86_op2(u, r, XR_ADD, x86_arg(u, r, 0),
		            fixed ? x86_arg(u, r, 0) : v);
		x86_ret(u, r, w);
		CHECKEQ(x86_interp(u, args, &res, 0), fixed ? X86_OK : X86_EINVAL);
		if (fixed)
			CHECKEQ(res, 6);
		x86_free(u);
	}
	return 1;
}

/* ---- the text form ---------------------------------------------------------------- */

static const char printgold[] =
	"unit -> i64\n"
	"b0(%1:i64, %2:f64):\n"
	"  %4:i64 = add %1, 5\n"
	"  %5:i8 = slt %4, -1\n"
	"  %6:ptr = slot 0 (16 bytes, align 8)\n"
	"  store i64 %4, [%6 + 8]\n"
	"  %7:f64 = fmul %2, 1.5\n"
	"  %8:i32 = load [%6 + %4*4 - 4]\n"
	"  branch %5, b1, b2\n"
	"b1:\n"
	"  %9:i64 = call 0x1000(%4, %7, 2.0)\n"
	"  jump b3(%9)\n"
	"b2:\n"
	"  switch %4 [1: b1, 7: b4] else b4\n"
	"b3(%3:i64): reentry\n"
	"  ret %3\n"
	"b4:\n"
	"  stub s0 [%4, %7]\n";

/* The printer's output for a unit using most forms (interp mode only). */
static int t_print(int m)
{
	static const uint8_t pt[] = {X86_I64, X86_F64};
	X86Unit *u;
	X86Ref x, d, a[3], s, c, p;
	int b1, b2, b3, b4, to[2];
	int64_t cases[2] = {1, 7};
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (m != M_INTERP)
		return -1;
	u = x86_newunit(2, pt, X86_I64);
	x = x86_arg(u, 0, 0);
	d = x86_arg(u, 0, 1);
	b1 = x86_block(u, 0, NULL);
	b2 = x86_block(u, 0, NULL);
	b3 = x86_block(u, 1, T_I64);
	b4 = x86_block(u, 0, NULL);
	to[0] = b1;
	to[1] = b4;
	s = x86_op2(u, 0, XR_ADD, x, x86_con(u, X86_I64, 5));
	c = x86_op2(u, 0, XR_SLT, s, x86_con(u, X86_I64, -1));
	p = x86_slot(u, 0, 16, 8);
	x86_store(u, 0, s, p, X86_NONE, 1, 8);
	a[1] = x86_op2(u, 0, XR_FMUL, d, x86_conf(u, 1.5));
	x86_load(u, 0, X86_I32, p, s, 4, -4);
	x86_branch(u, 0, c, b1, b2);
	a[0] = s;
	a[2] = x86_conf(u, 2.0);
	a[0] = x86_call(u, b1, X86_I64, x86_con(u, X86_PTR, 0x1000), 3,
	                (X86Ref[]){s, a[1], a[2]});
	x86_jump(u, b1, b3, 1, a);
	x86_switch(u, b2, s, 2, cases, to, b4);
	x86_reentry(u, b3);
	x86_ret(u, b3, x86_arg(u, b3, 0));
	a[0] = s;
	x86_exitstub(u, b4, 2, a, cb_null, NULL);
	CHECKEQ(x86_error(u), X86_OK);
	f = open_memstream(&text, &len);
	x86_print(f, u);
	fclose(f);
	if (strcmp(text, printgold) != 0) {
		printf("  got:\n%s  want:\n%s", text, printgold);
		free(text);
		CHECK(!"printed text differs");
	}
	free(text);
	CHECKEQ(x86_countops(u, XR_ADD), 1);
	CHECKEQ(x86_countops(u, XR_CALL), 1);
	CHECKEQ(x86_countops(u, XR_STORE), 1);
	x86_free(u);
	return 1;
}

/* ---- registers across blocks (global allocation) ------------------------------ */

/* Return x after writing every caller-saved register, as any C callee may:
 * what JIT code keeps across a call must be in callee-saved registers or
 * in memory. */
#define TRASH \
	__asm__ volatile("mov $0x5a5a5a5a, %%eax\n\tmov %%rax, %%rcx\n\t" \
	                 "mov %%rax, %%rdx\n\tmov %%rax, %%rsi\n\t" \
	                 "mov %%rax, %%rdi\n\tmov %%rax, %%r8\n\t" \
	                 "mov %%rax, %%r9\n\tmov %%rax, %%r10\n\t" \
	                 "mov %%rax, %%r11\n\tmovq %%rax, %%xmm0\n\t" \
	                 "movq %%rax, %%xmm1\n\tmovq %%rax, %%xmm2\n\t" \
	                 "movq %%rax, %%xmm3\n\tmovq %%rax, %%xmm4\n\t" \
	                 "movq %%rax, %%xmm5\n\tmovq %%rax, %%xmm6\n\t" \
	                 "movq %%rax, %%xmm7\n\tmovq %%rax, %%xmm8\n\t" \
	                 "movq %%rax, %%xmm9\n\tmovq %%rax, %%xmm10\n\t" \
	                 "movq %%rax, %%xmm11\n\tmovq %%rax, %%xmm12\n\t" \
	                 "movq %%rax, %%xmm13\n\tmovq %%rax, %%xmm14\n\t" \
	                 "movq %%rax, %%xmm15" ::: "rax", "rcx", "rdx", \
	                 "rsi", "rdi", "r8", "r9", "r10", "r11", "xmm0", \
	                 "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", \
	                 "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", \
	                 "xmm13", "xmm14", "xmm15")

static int64_t h_trash(int64_t x)
{
	volatile int64_t k = x;

	TRASH;
	return k * 3 + 1;
}

static double h_ftrash(double x)
{
	volatile double k = x;

	TRASH;
	return k * 0.5 + 1.0;
}

#define NGI 10 /* integer values live across the chain (> 5 registers) */
#define NGF 10 /* f64 values (> 7 registers) */
#define NCHAIN 6

/* Values defined in the entry, live across a chain of blocks that each
 * call C (which trashes every caller-saved register) and branch, used at
 * the end: more values than registers of each class. */
static int t_gacross(int m)
{
	static const uint8_t acc[] = {X86_I64, X86_F64};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	X86Ref x = x86_arg(u, 0, 0), iv[NGI], fv[NGF], a[2], t, d, s, fs;
	int blk[NCHAIN + 1], odd, even, j, k;
	int64_t r, xs[] = {0, 5, -77, 123456}, wi[NGI], want, ai;
	double wf[NGF], af, fsum;

	for (j = 0; j <= NCHAIN; j++)
		blk[j] = x86_block(u, 2, acc);
	for (k = 0; k < NGI; k++)
		iv[k] = x86_op2(u, 0, XR_ADD,
		                x86_op2(u, 0, XR_MUL, x, x86_con(u, X86_I64, k + 3)),
		                x86_con(u, X86_I64, k));
	for (k = 0; k < NGF; k++)
		fv[k] = x86_op2(u, 0, XR_FMUL, x86_op1(u, 0, XR_SITOF, X86_F64,
		                x86_op2(u, 0, XR_ADD, x, x86_con(u, X86_I64, k))),
		                x86_conf(u, 0.25));
	a[0] = x86_con(u, X86_I64, 0);
	a[1] = x86_conf(u, 0.0);
	x86_jump(u, 0, blk[0], 2, a);
	for (j = 0; j < NCHAIN; j++) {
		X86Ref arg = x86_op2(u, blk[j], XR_ADD, iv[j % NGI],
		                     x86_con(u, X86_I64, j));
		t = x86_call(u, blk[j], X86_I64,
		             x86_con(u, X86_PTR, (intptr_t)h_trash), 1, &arg);
		d = x86_call(u, blk[j], X86_F64,
		             x86_con(u, X86_PTR, (intptr_t)h_ftrash), 1,
		             &fv[(j * 3) % NGF]);
		odd = x86_block(u, 0, NULL);
		even = x86_block(u, 0, NULL);
		x86_branch(u, blk[j], x86_op2(u, blk[j], XR_AND, t,
		                              x86_con(u, X86_I64, 1)), odd, even);
		a[0] = x86_op2(u, odd, XR_ADD, x86_arg(u, blk[j], 0),
		               x86_op2(u, odd, XR_ADD, t, iv[(j + 1) % NGI]));
		a[1] = x86_op2(u, odd, XR_FADD, x86_arg(u, blk[j], 1), d);
		x86_jump(u, odd, blk[j + 1], 2, a);
		a[0] = x86_op2(u, even, XR_SUB, x86_arg(u, blk[j], 0), t);
		a[1] = x86_op2(u, even, XR_FSUB, x86_arg(u, blk[j], 1),
		               x86_op2(u, even, XR_FMUL, d, fv[j % NGF]));
		x86_jump(u, even, blk[j + 1], 2, a);
	}
	s = x86_arg(u, blk[NCHAIN], 0);
	fs = x86_arg(u, blk[NCHAIN], 1);
	for (k = 0; k < NGI; k++)
		s = x86_op2(u, blk[NCHAIN], XR_ADD, s,
		            x86_op2(u, blk[NCHAIN], XR_MUL, iv[k],
		                    x86_con(u, X86_I64, k + 1)));
	for (k = 0; k < NGF; k++)
		fs = x86_op2(u, blk[NCHAIN], XR_FADD, fs,
		             x86_op2(u, blk[NCHAIN], XR_FMUL, fv[k],
		                     x86_conf(u, k + 1)));
	x86_ret(u, blk[NCHAIN], x86_op2(u, blk[NCHAIN], XR_ADD, s,
	        x86_op1(u, blk[NCHAIN], XR_FTOSI, X86_I64, fs)));
	for (size_t q = 0; q < sizeof xs / sizeof xs[0]; q++) {
		for (k = 0; k < NGI; k++)
			wi[k] = xs[q] * (k + 3) + k;
		for (k = 0; k < NGF; k++)
			wf[k] = (double)(xs[q] + k) * 0.25;
		ai = 0, af = 0.0;
		for (j = 0; j < NCHAIN; j++) {
			int64_t tv = (wi[j % NGI] + j) * 3 + 1;
			double dv = wf[(j * 3) % NGF] * 0.5 + 1.0;
			if (tv & 1)
				ai += tv + wi[(j + 1) % NGI], af += dv;
			else
				ai -= tv, af -= dv * wf[j % NGF];
		}
		for (want = ai, k = 0; k < NGI; k++)
			want += wi[k] * (k + 1);
		for (fsum = af, k = 0; k < NGF; k++)
			fsum += wf[k] * (k + 1);
		want += (int64_t)fsum;
		RUN(m, u, &r, xs[q]);
		CHECKEQ(r, want);
	}
	x86_free(u);
	return 1;
}

/* Loop-carried integer and f64 values in a loop whose body calls C. */
static int t_loopcall(int m)
{
	static const uint8_t lt[] = {X86_I64, X86_I64, X86_I64, X86_F64, X86_I64};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int loop = x86_block(u, 5, lt), body = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL);
	X86Ref a[5], i, va, vb, f, n, t, g;
	int64_t r, ns[] = {0, 1, 7, 100}, wa, wb, want;
	double wf;

	a[0] = x86_con(u, X86_I64, 0);
	a[1] = x86_con(u, X86_I64, 5);
	a[2] = x86_con(u, X86_I64, 11);
	a[3] = x86_conf(u, 2.0);
	a[4] = x86_arg(u, 0, 0);
	x86_jump(u, 0, loop, 5, a);
	i = x86_arg(u, loop, 0), va = x86_arg(u, loop, 1);
	vb = x86_arg(u, loop, 2), f = x86_arg(u, loop, 3);
	n = x86_arg(u, loop, 4);
	x86_branch(u, loop, x86_op2(u, loop, XR_SLT, i, n), body, done);
	t = x86_op2(u, body, XR_AND, x86_op2(u, body, XR_ADD, va, i),
	            x86_con(u, X86_I64, 0xffff));
	t = x86_call(u, body, X86_I64, x86_con(u, X86_PTR, (intptr_t)h_trash),
	             1, &t);
	g = x86_op2(u, body, XR_FADD, x86_op2(u, body, XR_FMUL, f,
	            x86_conf(u, 0.5)), x86_op1(u, body, XR_SITOF, X86_F64, i));
	g = x86_call(u, body, X86_F64, x86_con(u, X86_PTR, (intptr_t)h_ftrash),
	             1, &g);
	a[0] = x86_op2(u, body, XR_ADD, i, x86_con(u, X86_I64, 1));
	a[1] = x86_op2(u, body, XR_XOR, t, vb);
	a[2] = x86_op2(u, body, XR_ADD, vb, x86_con(u, X86_I64, 3));
	a[3] = g;
	a[4] = n;
	x86_jump(u, body, loop, 5, a);
	x86_ret(u, done, x86_op2(u, done, XR_ADD, x86_op2(u, done, XR_ADD, va,
	        x86_op2(u, done, XR_MUL, vb, x86_con(u, X86_I64, 7))),
	        x86_op1(u, done, XR_FTOSI, X86_I64,
	                x86_op2(u, done, XR_FMUL, f, x86_conf(u, 1000.0)))));
	for (size_t q = 0; q < sizeof ns / sizeof ns[0]; q++) {
		wa = 5, wb = 11, wf = 2.0;
		for (int64_t k = 0; k < ns[q]; k++) {
			int64_t tv = (((wa + k) & 0xffff) * 3 + 1) ^ wb;
			wf = (wf * 0.5 + (double)k) * 0.5 + 1.0;
			wa = tv;
			wb += 3;
		}
		want = wa + wb * 7 + (int64_t)(wf * 1000.0);
		RUN(m, u, &r, ns[q]);
		CHECKEQ(r, want);
	}
	x86_free(u);
	return 1;
}

/* Odd iterations leave through a stub whose bridge jumps back to the
 * loop head; even ones jump there inside the unit. */
static X86Unit *cb_odd(void *opaque, X86Exit *site, int64_t value,
                       const int64_t *live)
{
	X86Unit *br = x86_bridge(site), *parent = opaque;
	X86Ref i = x86_arg(br, 0, 0), a[4];

	(void)value, (void)live;
	ncallback++;
	a[0] = x86_op2(br, 0, XR_ADD, i, x86_con(br, X86_I64, 1));
	a[1] = x86_op2(br, 0, XR_ADD, x86_arg(br, 0, 1),
	               x86_op2(br, 0, XR_MUL, i, x86_con(br, X86_I64, 3)));
	a[2] = x86_op2(br, 0, XR_FADD, x86_op2(br, 0, XR_FMUL, x86_arg(br, 0, 2),
	               x86_conf(br, 0.5)), x86_conf(br, 1.0));
	a[3] = x86_arg(br, 0, 3);
	x86_jumpunit(br, 0, parent, 1, 4, a);
	return br;
}

static int t_reentrymix(int m)
{
	static const uint8_t lt[] = {X86_I64, X86_I64, X86_F64, X86_I64};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int loop = x86_block(u, 4, lt), body = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL), odd = x86_block(u, 0, NULL);
	int even = x86_block(u, 0, NULL);
	X86Ref a[4], i, acc, f, n;
	int64_t r, ns[] = {0, 1, 2, 9, 50}, wa, want;
	double wf;

	a[0] = x86_con(u, X86_I64, 0);
	a[1] = x86_con(u, X86_I64, 0);
	a[2] = x86_conf(u, 1.0);
	a[3] = x86_arg(u, 0, 0);
	x86_jump(u, 0, loop, 4, a);
	x86_reentry(u, loop);
	i = x86_arg(u, loop, 0), acc = x86_arg(u, loop, 1);
	f = x86_arg(u, loop, 2), n = x86_arg(u, loop, 3);
	x86_branch(u, loop, x86_op2(u, loop, XR_SLT, i, n), body, done);
	x86_branch(u, body, x86_op2(u, body, XR_AND, i, x86_con(u, X86_I64, 1)),
	           odd, even);
	a[0] = i, a[1] = acc, a[2] = f, a[3] = n;
	x86_exitstub(u, odd, 4, a, cb_odd, u);
	a[0] = x86_op2(u, even, XR_ADD, i, x86_con(u, X86_I64, 1));
	a[1] = x86_op2(u, even, XR_ADD, acc, i);
	a[2] = x86_op2(u, even, XR_FADD, f, x86_conf(u, 1.5));
	a[3] = n;
	x86_jump(u, even, loop, 4, a);
	x86_ret(u, done, x86_op2(u, done, XR_ADD, acc, x86_op1(u, done,
	        XR_FTOSI, X86_I64, x86_op2(u, done, XR_FMUL, f,
	                                   x86_conf(u, 16.0)))));
	ncallback = 0;
	for (size_t q = 0; q < sizeof ns / sizeof ns[0]; q++) {
		wa = 0, wf = 1.0;
		for (int64_t k = 0; k < ns[q]; k++)
			if (k & 1)
				wa += 3 * k, wf = wf * 0.5 + 1.0;
			else
				wa += k, wf += 1.5;
		want = wa + (int64_t)(wf * 16.0);
		RUN(m, u, &r, ns[q]);
		CHECKEQ(r, want);
	}
	CHECKEQ(ncallback, 1);
	x86_free(u);
	return 1;
}

#define NROT 9 /* loop-carried values of t_stubloop (> 5 registers) */

/* The loop body is only a stub; its bridge rotates NROT values plus an f64
 * and jumps back to the loop head. */
static X86Unit *cb_rot(void *opaque, X86Exit *site, int64_t value,
                       const int64_t *live)
{
	X86Unit *br = x86_bridge(site), *parent = opaque;
	X86Ref i = x86_arg(br, 0, 0), a[NROT + 3];
	int k;

	(void)value, (void)live;
	ncallback++;
	a[0] = x86_op2(br, 0, XR_ADD, i, x86_con(br, X86_I64, 1));
	for (k = 0; k < NROT; k++)
		a[1 + k] = x86_arg(br, 0, 1 + (k + 1) % NROT);
	a[NROT] = x86_op2(br, 0, XR_ADD, a[NROT], i);
	a[NROT + 1] = x86_op2(br, 0, XR_FADD, x86_arg(br, 0, NROT + 1),
	                      x86_op1(br, 0, XR_SITOF, X86_F64, i));
	a[NROT + 2] = x86_arg(br, 0, NROT + 2);
	x86_jumpunit(br, 0, parent, 1, NROT + 3, a);
	return br;
}

static int t_stubloop(int m)
{
	uint8_t lt[NROT + 3];
	X86Unit *u;
	int loop, body, done, k;
	X86Ref a[NROT + 3], s;
	int64_t r, ns[] = {0, 1, 4, 23}, w[NROT], tmp, want;
	double wf;

	memset(lt, X86_I64, sizeof lt);
	lt[NROT + 1] = X86_F64;
	u = x86_newunit(1, T_I64, X86_I64);
	loop = x86_block(u, NROT + 3, lt);
	body = x86_block(u, 0, NULL);
	done = x86_block(u, 0, NULL);
	a[0] = x86_con(u, X86_I64, 0);
	for (k = 0; k < NROT; k++)
		a[1 + k] = x86_op2(u, 0, XR_MUL, x86_arg(u, 0, 0),
		                   x86_con(u, X86_I64, k + 1));
	a[NROT + 1] = x86_conf(u, 0.5);
	a[NROT + 2] = x86_arg(u, 0, 0);
	x86_jump(u, 0, loop, NROT + 3, a);
	x86_reentry(u, loop);
	x86_branch(u, loop, x86_op2(u, loop, XR_SLT, x86_arg(u, loop, 0),
	                            x86_arg(u, loop, NROT + 2)), body, done);
	for (k = 0; k < NROT + 3; k++)
		a[k] = x86_arg(u, loop, k);
	x86_exitstub(u, body, NROT + 3, a, cb_rot, u);
	s = x86_op1(u, done, XR_FTOSI, X86_I64, x86_arg(u, loop, NROT + 1));
	for (k = 0; k < NROT; k++)
		s = x86_op2(u, done, XR_ADD, s, x86_op2(u, done, XR_MUL,
		            x86_arg(u, loop, 1 + k), x86_con(u, X86_I64, k + 1)));
	x86_ret(u, done, s);
	ncallback = 0;
	for (size_t q = 0; q < sizeof ns / sizeof ns[0]; q++) {
		for (k = 0; k < NROT; k++)
			w[k] = ns[q] * (k + 1);
		wf = 0.5;
		for (int64_t i = 0; i < ns[q]; i++) {
			tmp = w[0];
			for (k = 0; k < NROT - 1; k++)
				w[k] = w[k + 1];
			w[NROT - 1] = tmp + i;
			wf += (double)i;
		}
		for (want = (int64_t)wf, k = 0; k < NROT; k++)
			want += w[k] * (k + 1);
		RUN(m, u, &r, ns[q]);
		CHECKEQ(r, want);
	}
	CHECKEQ(ncallback, 1);
	x86_free(u);
	return 1;
}

/* ---- guards taken after their bridge exists ------------------------------------ */

/*
 * A loop whose guard exits every fourth iteration, after the first time
 * straight into its bridge (the jcc re-pointed, the values where the
 * loop keeps them: registers across blocks), with a constant and a
 * duplicated value among the live ones; the bridge has a guard of its
 * own whose bridge (a bridge of a bridge) also jumps back into the loop.
 * With f64 on, the loop also carries a double (stored to the frame before
 * the stub's jump: the slot protocol for it).
 */
static X86Unit *guardroot; /* the unit the bridges jump back into */
static int guardf64;       /* the loop carries a double */
static int nguard1, nguard2; /* callbacks of the two stubs */

static int guardloop; /* the loop header block */

/* Bridge of the inner stub: b0(i, s, n[, f]) -> loop(i+1, s+1000, n[,
 * f+0.5]). */
static X86Unit *cb_guard2(void *opaque, X86Exit *site, int64_t value,
                          const int64_t *live)
{
	X86Unit *br = x86_bridge(site);
	X86Ref a[4];

	(void)opaque, (void)value, (void)live;
	nguard2++;
	a[0] = x86_op2(br, 0, XR_ADD, x86_arg(br, 0, 0), x86_con(br, X86_I64, 1));
	a[1] = x86_op2(br, 0, XR_ADD, x86_arg(br, 0, 1),
	               x86_con(br, X86_I64, 1000));
	a[2] = x86_arg(br, 0, 2);
	if (guardf64)
		a[3] = x86_op2(br, 0, XR_FADD, x86_arg(br, 0, 3), x86_conf(br, 0.5));
	x86_jumpunit(br, 0, guardroot, guardloop, 3 + guardf64, a);
	return br;
}

/* Bridge of the loop's stub: b0(i, s, k, i2, n[, f]): s1 = s + i2 * k;
 * if s1 & 2, exit to cb_guard2 with (i, s1, n[, f]), else loop(i+1,
 * s1, n[, f + 0.25]). */
static X86Unit *cb_guard1(void *opaque, X86Exit *site, int64_t value,
                          const int64_t *live)
{
	X86Unit *br = x86_bridge(site);
	int ex = x86_block(br, 0, NULL), cont = x86_block(br, 0, NULL);
	X86Ref i = x86_arg(br, 0, 0), s1, a[4];

	(void)opaque, (void)value, (void)live;
	nguard1++;
	s1 = x86_op2(br, 0, XR_ADD, x86_arg(br, 0, 1),
	             x86_op2(br, 0, XR_MUL, x86_arg(br, 0, 3), x86_arg(br, 0, 2)));
	x86_branch(br, 0, x86_op2(br, 0, XR_AND, s1, x86_con(br, X86_I64, 2)),
	           ex, cont);
	a[0] = i, a[1] = s1, a[2] = x86_arg(br, 0, 4);
	if (guardf64)
		a[3] = x86_arg(br, 0, 5);
	x86_exitstub(br, ex, 3 + guardf64, a, cb_guard2, NULL);
	a[0] = x86_op2(br, cont, XR_ADD, i, x86_con(br, X86_I64, 1));
	if (guardf64)
		a[3] = x86_op2(br, cont, XR_FADD, a[3], x86_conf(br, 0.25));
	x86_jumpunit(br, cont, guardroot, guardloop, 3 + guardf64, a);
	return br;
}

/* The loop (see above) for n iterations: s + (int64)f. */
static int64_t guardref(int64_t n)
{
	int64_t i, s = 0, s1;
	double f = 0;

	for (i = 0; i < n; i++) {
		if ((i & 3) != 3) {
			s += i, f += 1.0;
			continue;
		}
		s1 = s + i * 5;
		if (s1 & 2)
			s = s1 + 1000, f += 0.5;
		else
			s = s1, f += 0.25;
	}
	return guardf64 ? s + (int64_t)f : s;
}

static int guardrun(int m, int f64)
{
	static const uint8_t lt[] = {X86_I64, X86_I64, X86_I64, X86_F64};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	int loop = x86_block(u, 3 + f64, lt), body = x86_block(u, 0, NULL);
	int ex = x86_block(u, 0, NULL), cont = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL);
	X86Ref a[6], i, s, n_, r;
	int64_t res, n;

	guardroot = u, guardf64 = f64, guardloop = loop;
	nguard1 = nguard2 = 0;
	a[0] = a[1] = x86_con(u, X86_I64, 0);
	a[2] = x86_arg(u, 0, 0);
	a[3] = x86_conf(u, 0);
	x86_jump(u, 0, loop, 3 + f64, a);
	x86_reentry(u, loop);
	i = x86_arg(u, loop, 0), s = x86_arg(u, loop, 1), n_ = x86_arg(u, loop, 2);
	x86_branch(u, loop, x86_op2(u, loop, XR_SLT, i, n_), body, done);
	x86_branch(u, body, x86_op2(u, body, XR_EQ,
	                            x86_op2(u, body, XR_AND, i,
	                                    x86_con(u, X86_I64, 3)),
	                            x86_con(u, X86_I64, 3)), ex, cont);
	a[0] = i, a[1] = s, a[2] = x86_con(u, X86_I64, 5), a[3] = i, a[4] = n_;
	a[5] = f64 ? x86_arg(u, loop, 3) : X86_NONE;
	x86_exitstub(u, ex, 5 + f64, a, cb_guard1, NULL);
	a[0] = x86_op2(u, cont, XR_ADD, i, x86_con(u, X86_I64, 1));
	a[1] = x86_op2(u, cont, XR_ADD, s, i);
	a[2] = n_;
	if (f64)
		a[3] = x86_op2(u, cont, XR_FADD, x86_arg(u, loop, 3), x86_conf(u, 1));
	x86_jump(u, cont, loop, 3 + f64, a);
	r = s;
	if (f64)
		r = x86_op2(u, done, XR_ADD, s, x86_op1(u, done, XR_FTOSI, X86_I64,
		                                        x86_arg(u, loop, 3)));
	x86_ret(u, done, r);
	for (n = 0; n < 60; n += 7) {
		RUN(m, u, &res, n);
		CHECKEQ(res, guardref(n));
	}
	CHECKEQ(nguard1, 1);
	CHECKEQ(nguard2, 1);
	x86_free(u);
	return 1;
}

/* Bridge of the switch's stub: b0(x, k) returns x * 100 + k. */
static X86Unit *cb_swstub(void *opaque, X86Exit *site, int64_t value,
                          const int64_t *live)
{
	X86Unit *br = x86_bridge(site);

	(void)opaque, (void)value, (void)live;
	nguard1++;
	x86_ret(br, 0, x86_op2(br, 0, XR_ADD,
	                       x86_op2(br, 0, XR_MUL, x86_arg(br, 0, 0),
	                               x86_con(br, X86_I64, 100)),
	                       x86_arg(br, 0, 1)));
	return br;
}

/* A dense switch (a jump table) whose cases 3, 5 and 11 and a compare
 * chain's case go to one stub block: once the bridge exists every one of
 * those jumps (table entries, jcc) goes straight to it. */
static int t_switchstub(int m)
{
	static const int64_t cases[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	X86Unit *u = x86_newunit(1, T_I64, X86_I64);
	X86Ref x = x86_arg(u, 0, 0), v, a[2];
	int to[12], ex = x86_block(u, 0, NULL), dflt = x86_block(u, 0, NULL);
	int other = x86_block(u, 0, NULL), i;
	int64_t r, want, k;

	v = x86_op2(u, 0, XR_AND, x, x86_con(u, X86_I64, 15));
	for (i = 0; i < 12; i++) {
		if (i == 3 || i == 5 || i == 11) {
			to[i] = ex;
			continue;
		}
		to[i] = x86_block(u, 0, NULL);
		x86_ret(u, to[i], x86_op2(u, to[i], XR_ADD, x,
		                          x86_con(u, X86_I64, i)));
	}
	x86_switch(u, 0, v, 12, cases, to, dflt);
	x86_branch(u, dflt, x86_op2(u, dflt, XR_EQ, v, x86_con(u, X86_I64, 13)),
	           ex, other);
	x86_ret(u, other, x86_con(u, X86_I64, -1));
	a[0] = x, a[1] = x86_con(u, X86_I64, 7);
	x86_exitstub(u, ex, 2, a, cb_swstub, NULL);
	nguard1 = 0;
	for (k = 0; k < 64; k++) {
		i = (int)(k & 15);
		want = i == 3 || i == 5 || i == 11 || i == 13 ? k * 100 + 7
		     : i < 12 ? k + i : -1;
		RUN(m, u, &r, k);
		CHECKEQ(r, want);
	}
	CHECKEQ(nguard1, 1);
	x86_free(u);
	return 1;
}

static int t_guardint(int m)
{
	return guardrun(m, 0);
}

static int t_guardf64(int m)
{
	return guardrun(m, 1);
}

/* ---- driver ------------------------------------------------------------------------ */

typedef struct {
	const char *name; /* test name */
	int (*fn)(int);   /* 1 pass, 0 fail, -1 not applicable to the mode */
} Test;

static const Test tests[] = {
	{"adder", t_adder},       {"branch", t_branch},
	{"loop", t_loop},         {"order", t_order},
	{"manylive", t_manylive}, {"swap", t_swap},
	{"callregs", t_callregs},
	{"calls", t_calls},       {"switch", t_switch},
	{"switch8", t_switch8},   {"stub", t_stub},
	{"leave", t_leave},       {"flex", t_flex},
	{"nested", t_nested},     {"reentry", t_reentry},
	{"widestub", t_widestub}, {"slots", t_slots},
	{"memory", t_memory},     {"casts", t_casts},
	{"select", t_select},     {"narrow", t_narrow},
	{"errors", t_errors},     {"print", t_print},
	{"ssa", t_ssa},           {"stackargs", t_stackargs},
	{"conds", t_conds},       {"tight", t_tight},
	{"reenter", t_reenter},   {"leavenested", t_leavenested},
	{"bridgeslot", t_bridgeslot}, {"slotlife", t_slotlife},
	{"flexmany", t_flexmany}, {"nolive", t_nolive},
	{"gacross", t_gacross},   {"loopcall", t_loopcall},
	{"reentrymix", t_reentrymix}, {"stubloop", t_stubloop},
	{"switchdense", t_switchdense}, {"widejump", t_widejump},
	{"guardint", t_guardint}, {"guardf64", t_guardf64},
	{"switchstub", t_switchstub},
};

/* Is name selected by the command line? */
static int wanted(int argc, char **argv, const char *name)
{
	int i, any = 0;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		any = 1;
		if (strcmp(argv[i], name) == 0)
			return 1;
	}
	return !any;
}

/* Report one result. */
static void report(int *nfail, const char *name, int m, int ok)
{
	if (ok < 0)
		return;
	printf("%s %s/%s\n", ok ? "PASS" : "FAIL", name, modename[m]);
	if (!ok) {
		printf("  %s\n", failmsg);
		++*nfail;
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int nfail = 0, m, nmode = 1, op;
	size_t i;
	char name[64];

	if (argc > 1 && strcmp(argv[1], "-v") == 0)
		verbose = 1;
#ifdef X86_HAVE_BACKEND
	nmode = 2;
#endif
	for (m = 0; m < nmode; m++) {
		for (i = 0; i < sizeof tests / sizeof tests[0]; i++)
			if (wanted(argc, argv, tests[i].name)) {
				failmsg[0] = 0;
				report(&nfail, tests[i].name, m, tests[i].fn(m));
			}
		for (op = 0; op < XR_NOP; op++) {
			if (x86_opinfo[op].nargs != 2 || op == XR_LOAD)
				continue;
			snprintf(name, sizeof name, "op_%s", x86_opinfo[op].name);
			if (wanted(argc, argv, name)) {
				failmsg[0] = 0;
				report(&nfail, name, m, t_op(m, op));
			}
		}
	}
	if (nmode == 1)
		printf("# x86 mode skipped: no backend linked (X86_HAVE_BACKEND)\n");
	return nfail != 0;
}
