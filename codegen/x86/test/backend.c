/*
 * backend.c: tests of the x86 backend's own machinery, beyond the
 * conformance tests: flexswitch chains that outgrow their chunks, 64-bit
 * case values, stack alignment of calls made from bridges, bridges jumping
 * back into a loop with permuted arguments, register pressure with f64, a
 * stub with 100 live values, eviction (free and recompile) and the code
 * memory bound.  Results are checked against C computed here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "backend.h"

static char why[256]; /* failure details */

#define CHECK(c) \
	do { \
		if (!(c)) { \
			snprintf(why, sizeof why, "line %d: %s", __LINE__, #c); \
			return 0; \
		} \
	} while (0)

static const uint8_t I64[] = {X86_I64, X86_I64, X86_I64, X86_I64};

static int64_t call1(X86Unit *u, int64_t a)
{
	return x86_ccall(u->code, u->ret, 1, I64, &a);
}

/* --- flexswitch with many cases --------------------------------------- */

static int nflex;

/* Bridge for case value: returns value * 3 + live x (the switch value). */
static X86Unit *cbflex(void *o, X86Exit *s, int64_t value, const int64_t *live)
{
	X86Unit *br = x86_bridge(s);

	nflex++;
	x86_ret(br, 0, x86_op2(br, 0, XR_ADD, x86_arg(br, 0, 0),
	                       x86_con(br, X86_I64, value * 3)));
	return br;
}

static int t_flexmany(void)
{
	X86Unit *u = x86_newunit(1, I64, X86_I64);
	X86Ref x = x86_arg(u, 0, 0);
	int64_t v;
	int i, pass;

	x86_flexswitch(u, 0, x, 1, &x, cbflex, NULL);
	CHECK(x86_compile(u));
	nflex = 0;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < 100; i++) {
			v = (i & 1) ? (int64_t)i << 40 : -i;
			CHECK(call1(u, v) == v + v * 3);
		}
	CHECK(nflex == 100);
	CHECK(((BSite *)u->site[0]->be)->nchunk > 1);
	x86_free(u);
	return 1;
}

/* --- calls from bridges: alignment and stack arguments ------------------ */

/* Formats doubles (glibc's printf needs an aligned stack) and mixes all
 * arguments, nine of which travel on the stack. */
static int64_t mix(int64_t a, double b, int64_t c, double d, int64_t e,
                   int64_t f, int64_t g, int64_t h, int64_t i, double j,
                   int64_t k, double l)
{
	char s[128];

	snprintf(s, sizeof s, "%.1f %.1f %.1f %.1f", b, d, j, l);
	return a + (int64_t)b * 2 + c * 3 + (int64_t)d * 4 + e * 5 + f * 6 +
	       g * 7 + h * 8 + i * 9 + (int64_t)j * 10 + k * 11 +
	       (int64_t)l * 12 + (int64_t)strlen(s);
}

static const uint8_t mixtypes[] = {X86_I64, X86_F64, X86_I64, X86_F64,
	X86_I64, X86_I64, X86_I64, X86_I64, X86_I64, X86_F64, X86_I64, X86_F64};

/* Emit a call of mix with arguments derived from x into block b. */
static X86Ref callmix(X86Unit *u, int b, X86Ref x)
{
	X86Ref a[12];
	int i;

	for (i = 0; i < 12; i++) {
		X86Ref v = x86_op2(u, b, XR_ADD, x, x86_con(u, X86_I64, i));
		a[i] = mixtypes[i] == X86_F64 ? x86_op1(u, b, XR_SITOF, X86_F64, v) : v;
	}
	return x86_call(u, b, X86_I64, x86_con(u, X86_PTR, (int64_t)(intptr_t)mix),
	                12, a);
}

static int64_t mixref(int64_t x)
{
	return mix(x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7, x + 8,
	           x + 9, x + 10, x + 11);
}

/* A bridge with a slot (so its frame is deeper) that calls mix. */
static X86Unit *cbmix(void *o, X86Exit *s, int64_t value, const int64_t *live)
{
	X86Unit *br = x86_bridge(s);
	X86Ref slot = x86_slot(br, 0, 24, 8);

	x86_store(br, 0, x86_arg(br, 0, 0), slot, X86_NONE, 1, 8);
	x86_ret(br, 0, x86_op2(br, 0, XR_ADD, callmix(br, 0, x86_arg(br, 0, 0)),
	                       x86_load(br, 0, X86_I64, slot, X86_NONE, 1, 8)));
	return br;
}

static int t_bridgecall(void)
{
	X86Unit *u = x86_newunit(1, I64, X86_I64);
	X86Ref x = x86_arg(u, 0, 0), y;
	int64_t k;

	y = callmix(u, 0, x);
	x86_exitstub(u, 0, 1, &y, cbmix, NULL);
	CHECK(x86_compile(u));
	for (k = -3; k < 5; k++)
		CHECK(call1(u, k) == mixref(mixref(k)) + mixref(k));
	x86_free(u);
	return 1;
}

/* --- a loop body compiled lazily, jumping back with permuted args ------- */

static int nloop;

/* Loop header h(i, a, b, n); the stub's bridge computes the body:
 * jump h(i + 1, b, a, n) (a swap: the parallel copy must not read a home
 * it has already overwritten). */
static X86Unit *cbbody(void *o, X86Exit *s, int64_t value, const int64_t *live)
{
	X86Unit *br = x86_bridge(s), *u = o;
	X86Ref a[4];

	nloop++;
	a[0] = x86_op2(br, 0, XR_ADD, x86_arg(br, 0, 0), x86_con(br, X86_I64, 1));
	a[1] = x86_arg(br, 0, 2);
	a[2] = x86_arg(br, 0, 1);
	a[3] = x86_arg(br, 0, 3);
	x86_jumpunit(br, 0, u, 1, 4, a);
	return br;
}

static int t_lazyloop(void)
{
	X86Unit *u = x86_newunit(1, I64, X86_I64);
	int h = x86_block(u, 4, I64), body = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL);
	X86Ref a[4];
	int64_t n, i, p, q, t;

	a[0] = x86_con(u, X86_I64, 0);
	a[1] = x86_con(u, X86_I64, 1);
	a[2] = x86_con(u, X86_I64, 2);
	a[3] = x86_arg(u, 0, 0);
	x86_jump(u, 0, h, 4, a);
	x86_reentry(u, h);
	x86_branch(u, h, x86_op2(u, h, XR_SLT, x86_arg(u, h, 0), x86_arg(u, h, 3)),
	           body, done);
	for (i = 0; i < 4; i++)
		a[i] = x86_arg(u, h, (int)i);
	x86_exitstub(u, body, 4, a, cbbody, u);
	x86_ret(u, done, x86_op2(u, done, XR_SUB,
	                         x86_op2(u, done, XR_MUL, x86_arg(u, h, 1),
	                                 x86_con(u, X86_I64, 1000)),
	                         x86_arg(u, h, 2)));
	CHECK(x86_compile(u));
	nloop = 0;
	for (n = 0; n < 12; n++) {
		for (i = 0, p = 1, q = 2; i < n; i++)
			t = p, p = q, q = t;
		CHECK(call1(u, n) == p * 1000 - q);
	}
	CHECK(nloop == 1);
	x86_free(u);
	return 1;
}

/* --- register pressure with f64 and integers ----------------------------- */

static int t_pressure(void)
{
	enum { N = 40 };
	X86Unit *u = x86_newunit(1, I64, X86_I64);
	X86Ref x = x86_arg(u, 0, 0), iv[N], fv[N], s, f;
	int64_t want, k;
	double fw;
	int i;

	for (i = 0; i < N; i++) {
		iv[i] = x86_op2(u, 0, XR_MUL, x, x86_con(u, X86_I64, i + 1));
		fv[i] = x86_op2(u, 0, XR_FMUL, x86_op1(u, 0, XR_SITOF, X86_F64, iv[i]),
		                x86_conf(u, 0.5));
	}
	s = x86_con(u, X86_I64, 0);
	f = x86_conf(u, 0);
	for (i = N - 1; i >= 0; i--) {
		s = x86_op2(u, 0, XR_XOR, x86_op2(u, 0, XR_SHL, s, x86_con(u, X86_I64, 1)),
		            iv[i]);
		f = x86_op2(u, 0, XR_FADD, f, fv[i]);
	}
	x86_ret(u, 0, x86_op2(u, 0, XR_ADD, s, x86_op1(u, 0, XR_FTOSI, X86_I64, f)));
	CHECK(x86_compile(u));
	for (k = -5; k < 50; k += 7) {
		want = 0, fw = 0;
		for (i = N - 1; i >= 0; i--) {
			want = (int64_t)((uint64_t)want << 1) ^ (k * (i + 1));
			fw += (double)(k * (i + 1)) * 0.5;
		}
		CHECK(call1(u, k) == want + (int64_t)fw);
	}
	x86_free(u);
	return 1;
}

/* --- a stub with many live values ---------------------------------------- */

enum { NLIVE = 100 };
static int64_t livesum; /* sum of the live values the callback saw */

/* Bridge: returns the weighted sum of all live values. */
static X86Unit *cbmany(void *o, X86Exit *s, int64_t value, const int64_t *live)
{
	X86Unit *br = x86_bridge(s);
	X86Ref sum = x86_con(br, X86_I64, 0);
	int i;

	livesum = 0;
	for (i = 0; i < NLIVE; i++) {
		livesum += live[i] * (i + 1);
		sum = x86_op2(br, 0, XR_ADD, sum,
		              x86_op2(br, 0, XR_MUL, x86_arg(br, 0, i),
		                      x86_con(br, X86_I64, i + 1)));
	}
	x86_ret(br, 0, sum);
	return br;
}

static int t_manylive(void)
{
	X86Unit *u = x86_newunit(1, I64, X86_I64);
	X86Ref x = x86_arg(u, 0, 0), live[NLIVE];
	int64_t k, want;
	int i;

	for (i = 0; i < NLIVE; i++)
		live[i] = i % 3 ? x86_op2(u, 0, XR_XOR, x, x86_con(u, X86_I64, i * 77))
		                : x86_con(u, X86_I64, -i);
	x86_exitstub(u, 0, NLIVE, live, cbmany, NULL);
	CHECK(x86_compile(u));
	for (k = 1; k < 4; k++) {
		for (i = 0, want = 0; i < NLIVE; i++)
			want += (i % 3 ? k ^ (i * 77) : -i) * (i + 1);
		CHECK(call1(u, k) == want);
		CHECK(k > 1 || livesum == want);
	}
	x86_free(u);
	return 1;
}

/* --- eviction and the code memory bound ---------------------------------- */

/* A unit returning x + k with nops filler ops. */
static X86Unit *filler(int64_t k, int nops)
{
	X86Unit *u = x86_newunit(1, I64, X86_I64);
	X86Ref v = x86_arg(u, 0, 0);
	int i;

	for (i = 0; i < nops; i++)
		v = x86_op2(u, 0, XR_XOR, v, x86_con(u, X86_I64, 0));
	x86_ret(u, 0, x86_op2(u, 0, XR_ADD, v, x86_con(u, X86_I64, k)));
	return u;
}

static int t_evict(void)
{
	X86Unit *u;
	int i;

	/* 3000 units of ~4 KB each exceed the 8 MB bound unless freed */
	for (i = 0; i < 3000; i++) {
		u = filler(i, 1000);
		CHECK(x86_compile(u));
		CHECK(call1(u, 5) == 5 + i);
		x86_free(u);
	}
	return 1;
}

static int t_bound(void)
{
	X86Unit *u[4096];
	int i, n, failed = 0;

	for (n = 0; n < 4096; n++) {
		u[n] = filler(n, 1000);
		if (!x86_compile(u[n])) {
			failed = x86_error(u[n]) == X86_ECODE;
			n++;
			break;
		}
	}
	for (i = 0; i < n; i++)
		x86_free(u[i]);
	CHECK(failed);
	/* memory came back: compiling works again */
	u[0] = filler(1, 10);
	CHECK(x86_compile(u[0]) && call1(u[0], 1) == 2);
	x86_free(u[0]);
	return 1;
}

int main(void)
{
	static const struct {
		const char *name;
		int (*fn)(void);
	} tests[] = {
		{"flexmany", t_flexmany}, {"bridgecall", t_bridgecall},
		{"lazyloop", t_lazyloop}, {"pressure", t_pressure},
		{"manylive", t_manylive}, {"evict", t_evict}, {"bound", t_bound},
	};
	size_t i;
	int fails = 0, ok;

	x86_codelimit(8 << 20);
	for (i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		why[0] = 0;
		ok = tests[i].fn();
		printf("%s backend-%s\n", ok ? "PASS" : "FAIL", tests[i].name);
		if (!ok)
			printf("  %s\n", why), fails++;
		fflush(stdout);
	}
	return fails != 0;
}
