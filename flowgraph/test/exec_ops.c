/* exec_ops.c: every arithmetic, compare, cast and select operation of the
 * IR at every width, run by fg_run on hand-built IR and compared with the
 * same operation written in C.
 *
 * Each test builds a module whose main(argc, argv) loops over records
 * { a, b, c, r } (8 bytes each) found through argv[0]:
 *   main: p = *argv; n = *p; loop over the n records after it,
 *         r = OP(a, b, c) at the op's types, stored with the result width.
 * Prints "PASS name" or "FAIL name" with the first differences.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flowgraph.h"

typedef struct {
	uint64_t in[3]; /* operands (low bytes used) */
	uint64_t r;     /* result slot written by the IR */
} Rec;

static int nfail;

static Ref ptradd(FgModule *m, FgFunc *f, uint32_t b, Ref p, int64_t off, FgLoc loc)
{
	Ref a[2] = {p, fg_con(f, TY_I64, off)};

	return fg_emit(m, f, b, FG_PTRADD, TY_PTR, a, 2, 0, loc);
}

/* The loop module for op with result type rt and operand types at[n]. */
static FgModule *oploop(int op, FgType rt, const FgType *at, int n, int64_t imm)
{
	FgModule *m = fg_newmodule();
	uint8_t ps[2] = {TY_I32, TY_PTR};
	FgFunc *f = &m->funcs[fg_addfunc(m, "main", TY_I32, ps, 2, FN_DEFINED)];
	FgLoc L = {fg_addfile(m, "ops.fg"), 1};
	uint32_t b0 = fg_addblock(f, "entry"), b1 = fg_addblock(f, "loop");
	uint32_t b2 = fg_addblock(f, "body"), b3 = fg_addblock(f, "done");
	Ref argv, p, cnt, q, k, c, a[3], r, x[2];
	int i;

	fg_addarg(m, f, b0, TY_I32, "argc");
	argv = fg_addarg(m, f, b0, TY_PTR, "argv");
	p = fg_emit(m, f, b0, FG_LOAD, TY_PTR, &argv, 1, 0, L);
	cnt = fg_emit(m, f, b0, FG_LOAD, TY_I64, &p, 1, 0, L);
	x[0] = ptradd(m, f, b0, p, 8, L);
	x[1] = cnt;
	fg_setexit(f, b0, EX_GOTO, REF_NONE, L);
	fg_addlink(f, b0, b1, x, 2, 0);

	q = fg_addarg(m, f, b1, TY_PTR, "q");
	k = fg_addarg(m, f, b1, TY_I64, "k");
	x[0] = k;
	x[1] = fg_con(f, TY_I64, 0);
	c = fg_emit(m, f, b1, FG_EQ, TY_I1, x, 2, 0, L);
	fg_setexit(f, b1, EX_BRANCH, c, L);
	fg_addlink(f, b1, b3, NULL, 0, 0);
	x[0] = q;
	x[1] = k;
	fg_addlink(f, b1, b2, x, 2, 0);

	q = fg_addarg(m, f, b2, TY_PTR, "q");
	k = fg_addarg(m, f, b2, TY_I64, "k");
	for (i = 0; i < n; i++) {
		Ref pa = ptradd(m, f, b2, q, 8 * i, L);
		a[i] = fg_emit(m, f, b2, FG_LOAD, at[i], &pa, 1, 0, L);
	}
	r = fg_emit(m, f, b2, op, rt, a, n, imm, L);
	x[0] = ptradd(m, f, b2, q, 24, L);
	x[1] = r;
	fg_emit(m, f, b2, FG_STORE, TY_VOID, x, 2, 0, L);
	x[0] = ptradd(m, f, b2, q, 32, L);
	{
		Ref s[2] = {k, fg_con(f, TY_I64, 1)};
		x[1] = fg_emit(m, f, b2, FG_SUB, TY_I64, s, 2, 0, L);
	}
	fg_setexit(f, b2, EX_GOTO, REF_NONE, L);
	fg_addlink(f, b2, b1, x, 2, 0);

	fg_setexit(f, b3, EX_RETURN, fg_con(f, TY_I32, 0), L);
	return m;
}

/* Run the loop module over recs; returns fg_run's result. */
static int runrecs(FgModule *m, Rec *recs, int n)
{
	uint64_t *buf = calloc(1 + 4 * n, 8);
	char *argv[1];
	int rc;

	buf[0] = n;
	memcpy(buf + 1, recs, n * sizeof(Rec));
	argv[0] = (char *)buf;
	rc = fg_run(m, 1, argv);
	memcpy(recs, buf + 1, n * sizeof(Rec));
	free(buf);
	return rc;
}

static uint64_t mask(FgType t)
{
	int b = fg_typebits(t);

	return b >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << b) - 1;
}

/* --- reference semantics in C -------------------------------------------- */

#define INTBIN(T, U, SH)                                                       \
	do {                                                                   \
		T x = (T)in[0], y = (T)in[1];                                  \
		U ux = (U)x, uy = (U)y;                                        \
		T rs;                                                          \
		U ru;                                                          \
		switch (op) {                                                  \
		case FG_ADD: return (U)(ux + uy);                              \
		case FG_SUB: return (U)(ux - uy);                              \
		case FG_MUL: return (U)((uint64_t)ux * uy);                    \
		case FG_SDIV: return (U)(x / y);                               \
		case FG_UDIV: return (U)(ux / uy);                             \
		case FG_SREM: return (U)(x % y);                               \
		case FG_UREM: return (U)(ux % uy);                             \
		case FG_AND: return (U)(ux & uy);                              \
		case FG_OR: return (U)(ux | uy);                               \
		case FG_XOR: return (U)(ux ^ uy);                              \
		case FG_SHL: return (U)((uint64_t)ux << (uy & SH));            \
		case FG_LSHR: return (U)((uint64_t)ux >> (uy & SH));           \
		case FG_ASHR: return (U)((int64_t)x >> (uy & SH));             \
		case FG_EQ: return x == y;                                     \
		case FG_NE: return x != y;                                     \
		case FG_SLT: return x < y;                                     \
		case FG_SLE: return x <= y;                                    \
		case FG_SGT: return x > y;                                     \
		case FG_SGE: return x >= y;                                    \
		case FG_ULT: return ux < uy;                                   \
		case FG_ULE: return ux <= uy;                                  \
		case FG_UGT: return ux > uy;                                   \
		case FG_UGE: return ux >= uy;                                  \
		case FG_SADDO: return __builtin_add_overflow(x, y, &rs);       \
		case FG_SSUBO: return __builtin_sub_overflow(x, y, &rs);       \
		case FG_SMULO: return __builtin_mul_overflow(x, y, &rs);       \
		case FG_UADDO: return __builtin_add_overflow(ux, uy, &ru);     \
		case FG_USUBO: return __builtin_sub_overflow(ux, uy, &ru);     \
		case FG_UMULO: return __builtin_mul_overflow(ux, uy, &ru);     \
		}                                                              \
	} while (0)

static uint64_t refint(int op, FgType t, const uint64_t *in)
{
	switch (t) {
	case TY_I8: INTBIN(int8_t, uint8_t, 31); break;
	case TY_I16: INTBIN(int16_t, uint16_t, 31); break;
	case TY_I32: INTBIN(int32_t, uint32_t, 31); break;
	default: INTBIN(int64_t, uint64_t, 63); break;
	}
	abort();
}

/* fcmp written with the C99 comparison macros, predicates numbered as in
 * LLVMRealPredicate (llvm-c/Core.h). */
static int reffcmp(int pred, double x, double y)
{
	switch (pred) {
	case 0: return 0;                              /* false */
	case 1: return x == y;                         /* oeq */
	case 2: return isgreater(x, y);                /* ogt */
	case 3: return isgreaterequal(x, y);           /* oge */
	case 4: return isless(x, y);                   /* olt */
	case 5: return islessequal(x, y);              /* ole */
	case 6: return islessgreater(x, y);            /* one */
	case 7: return !isunordered(x, y);             /* ord */
	case 8: return isunordered(x, y);              /* uno */
	case 9: return isunordered(x, y) || x == y;    /* ueq */
	case 10: return !islessequal(x, y);            /* ugt */
	case 11: return !isless(x, y);                 /* uge */
	case 12: return !isgreaterequal(x, y);         /* ult */
	case 13: return !isgreater(x, y);              /* ule */
	case 14: return !(x == y);                     /* une */
	}
	return 1;                                      /* true */
}

static double rdf(FgType t, uint64_t v)
{
	if (t == TY_F32) {
		float f;
		uint32_t u = v;
		memcpy(&f, &u, 4);
		return f;
	} else {
		double d;
		memcpy(&d, &v, 8);
		return d;
	}
}

static uint64_t wrf(FgType t, double d)
{
	uint64_t v = 0;

	if (t == TY_F32) {
		float f = d;
		memcpy(&v, &f, 4);
	} else
		memcpy(&v, &d, 8);
	return v;
}

static uint64_t reffp(int op, FgType t, const uint64_t *in, int64_t imm)
{
	if (t == TY_F32) {
		float x = rdf(t, in[0]), y = rdf(t, in[1]);
		switch (op) {
		case FG_FADD: return wrf(t, x + y);
		case FG_FSUB: return wrf(t, x - y);
		case FG_FMUL: return wrf(t, x * y);
		case FG_FDIV: return wrf(t, x / y);
		case FG_FREM: return wrf(t, fmodf(x, y));
		case FG_FNEG: return wrf(t, -x);
		case FG_FCMP: return reffcmp(imm, x, y);
		}
	} else {
		double x = rdf(t, in[0]), y = rdf(t, in[1]);
		switch (op) {
		case FG_FADD: return wrf(t, x + y);
		case FG_FSUB: return wrf(t, x - y);
		case FG_FMUL: return wrf(t, x * y);
		case FG_FDIV: return wrf(t, x / y);
		case FG_FREM: return wrf(t, fmod(x, y));
		case FG_FNEG: return wrf(t, -x);
		case FG_FCMP: return reffcmp(imm, x, y);
		}
	}
	abort();
}

static int64_t sext(FgType t, uint64_t v)
{
	switch (t) {
	case TY_I1: return -(int64_t)(v & 1);
	case TY_I8: return (int8_t)v;
	case TY_I16: return (int16_t)v;
	case TY_I32: return (int32_t)v;
	default: return v;
	}
}

static uint64_t refcast(int op, FgType rt, FgType at, uint64_t v)
{
	switch (op) {
	case FG_ZEXT: return v & mask(at);
	case FG_SEXT: return sext(at, v);
	case FG_TRUNC: case FG_PTRTOINT: case FG_INTTOPTR: case FG_BITCAST: return v;
	case FG_FPTOSI: return (int64_t)rdf(at, v);
	case FG_FPTOUI: return (uint64_t)rdf(at, v);
	case FG_SITOFP:
		return rt == TY_F32 ? wrf(rt, (float)sext(at, v)) : wrf(rt, (double)sext(at, v));
	case FG_UITOFP:
		return rt == TY_F32 ? wrf(rt, (float)(v & mask(at))) : wrf(rt, (double)(v & mask(at)));
	case FG_FPEXT: case FG_FPTRUNC: return wrf(rt, rdf(at, v));
	}
	abort();
}

/* --- drivers -------------------------------------------------------------- */

static const uint64_t ivals[] = {
	0, 1, 2, 3, 7, 13, (uint64_t)-1, (uint64_t)-5, 127, 128, (uint64_t)-128, 255, 256,
	32767, 32768, (uint64_t)-32768, 65535, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000, 0x7fffffffffffffff, 0x8000000000000000, 0x123456789abcdef0,
	0xfedcba9876543210,
};
#define NIV (sizeof ivals / sizeof *ivals)

static const double fvals[] = {
	0.0, -0.0, 1.5, -2.25, 3.0, 0.1, 1e10, -1e-300, 1e300, 7.0, INFINITY, -INFINITY, NAN,
};
#define NFV (sizeof fvals / sizeof *fvals)

/* Compare the records' results with expected ones; print the verdict. */
static void verdict(const char *name, int rc, const Rec *recs, const uint64_t *want, int n,
	FgType rt)
{
	int i, bad = rc != 0;

	for (i = 0; i < n; i++)
		if (((recs[i].r ^ want[i]) & mask(rt)) != 0)
			bad++;
	if (!bad) {
		printf("PASS %s\n", name);
		return;
	}
	nfail++;
	printf("FAIL %s\n", name);
	if (rc)
		printf("  fg_run returned %d\n", rc);
	for (i = 0; i < n && bad > 0; i++)
		if (((recs[i].r ^ want[i]) & mask(rt)) != 0) {
			printf("  %llx, %llx, %llx: got %llx, want %llx\n",
				(unsigned long long)recs[i].in[0], (unsigned long long)recs[i].in[1],
				(unsigned long long)recs[i].in[2], (unsigned long long)(recs[i].r & mask(rt)),
				(unsigned long long)(want[i] & mask(rt)));
			if (--bad == 0 || i > 20)
				break;
		}
}

static void testint(int op, FgType t)
{
	const FgOpInfo *oi = &fg_opinfo[op];
	FgType rt = (oi->props & P_CMP) || (op >= FG_SADDO && op <= FG_UMULO) ? TY_I1 : t;
	FgType at[2] = {t, t};
	Rec *recs = calloc(NIV * NIV, sizeof(Rec));
	uint64_t *want = calloc(NIV * NIV, 8);
	int isdiv = op == FG_SDIV || op == FG_UDIV || op == FG_SREM || op == FG_UREM;
	int isshift = op == FG_SHL || op == FG_LSHR || op == FG_ASHR;
	size_t i, j, n = 0;
	char name[64];
	FgModule *m;

	for (i = 0; i < NIV; i++)
		for (j = 0; j < NIV; j++) {
			uint64_t y = isshift ? ivals[j] % 64 : ivals[j];
			int64_t sy = sext(t, y), sx = sext(t, ivals[i]);
			int64_t min = t == TY_I64 ? INT64_MIN : -((int64_t)1 << (fg_typebits(t) - 1));
			if (isdiv && ((y & mask(t)) == 0 || (sy == -1 && sx == min)))
				continue;
			recs[n].in[0] = ivals[i];
			recs[n].in[1] = y;
			want[n] = refint(op, t, recs[n].in);
			n++;
		}
	m = oploop(op, rt, at, 2, 0);
	snprintf(name, sizeof name, "exec_ops/%s.%s", oi->name, fg_typename(t));
	verdict(name, runrecs(m, recs, n), recs, want, n, rt);
	fg_freemodule(m);
	free(recs);
	free(want);
}

static void testfp(int op, FgType t, int64_t imm)
{
	int nargs = op == FG_FNEG ? 1 : 2;
	FgType rt = op == FG_FCMP ? TY_I1 : t, at[2] = {t, t};
	Rec *recs = calloc(NFV * NFV, sizeof(Rec));
	uint64_t *want = calloc(NFV * NFV, 8);
	size_t i, j, n = 0;
	char name[64];
	FgModule *m;

	for (i = 0; i < NFV; i++)
		for (j = 0; j < NFV; j++) {
			recs[n].in[0] = wrf(t, fvals[i]);
			recs[n].in[1] = wrf(t, fvals[j]);
			want[n] = reffp(op, t, recs[n].in, imm);
			n++;
		}
	m = oploop(op, rt, at, nargs, imm);
	if (op == FG_FCMP)
		snprintf(name, sizeof name, "exec_ops/fcmp%d.%s", (int)imm, fg_typename(t));
	else
		snprintf(name, sizeof name, "exec_ops/%s.%s", fg_opinfo[op].name, fg_typename(t));
	verdict(name, runrecs(m, recs, n), recs, want, n, rt);
	fg_freemodule(m);
	free(recs);
	free(want);
}

static int isint(FgType t)
{
	return t >= TY_I1 && t <= TY_I64;
}

static void testcast(int op, FgType rt, FgType at)
{
	Rec *recs = calloc(NIV + NFV, sizeof(Rec));
	uint64_t *want = calloc(NIV + NFV, 8);
	size_t i, n = 0;
	char name[64];
	FgModule *m;

	if (at == TY_F32 || at == TY_F64) {
		for (i = 0; i < NFV; i++) {
			double d = fvals[i];
			if (!isint(rt) || (isfinite(d) && fabs(d) < 1e9 && !(op == FG_FPTOUI && d < 0)))
				recs[n].in[0] = wrf(at, d), want[n] = refcast(op, rt, at, recs[n].in[0]), n++;
		}
		if (isint(rt)) /* in-range values of every width */
			for (i = 0; i < 5; i++) {
				double d = (double[]){100.75, -100.75, 127.0, 255.5, -0.5}[i];
				if (op == FG_FPTOUI && d < 0)
					continue;
				recs[n].in[0] = wrf(at, d), want[n] = refcast(op, rt, at, recs[n].in[0]), n++;
			}
	} else {
		for (i = 0; i < NIV; i++) {
			recs[n].in[0] = ivals[i] & mask(at);
			if (at == TY_I1)
				recs[n].in[0] = ivals[i] & 1;
			want[n] = refcast(op, rt, at, recs[n].in[0]);
			n++;
		}
	}
	m = oploop(op, rt, &at, 1, 0);
	snprintf(name, sizeof name, "exec_ops/%s.%s.%s", fg_opinfo[op].name, fg_typename(at),
		fg_typename(rt));
	verdict(name, runrecs(m, recs, n), recs, want, n, rt);
	fg_freemodule(m);
	free(recs);
	free(want);
}

/* i1 operations: the C reference works on 0/1 (signed: 1 is -1). */
static void testi1(int op)
{
	FgType at[2] = {TY_I1, TY_I1};
	Rec recs[4];
	uint64_t want[4];
	char name[64];
	FgModule *m;
	int n;

	for (n = 0; n < 4; n++) {
		int x = n & 1, y = n >> 1, sx = -x, sy = -y;
		recs[n].in[0] = x;
		recs[n].in[1] = y;
		switch (op) {
		case FG_ADD: case FG_SUB: case FG_XOR: want[n] = x ^ y; break;
		case FG_MUL: case FG_AND: want[n] = x & y; break;
		case FG_OR: want[n] = x | y; break;
		case FG_EQ: want[n] = x == y; break;
		case FG_NE: want[n] = x != y; break;
		case FG_SLT: want[n] = sx < sy; break;
		case FG_SGE: want[n] = sx >= sy; break;
		case FG_ULT: want[n] = x < y; break;
		case FG_UGE: want[n] = x >= y; break;
		}
	}
	m = oploop(op, TY_I1, at, 2, 0);
	snprintf(name, sizeof name, "exec_ops/%s.i1", fg_opinfo[op].name);
	verdict(name, runrecs(m, recs, 4), recs, want, 4, TY_I1);
	fg_freemodule(m);
}

static void testselect(FgType t)
{
	FgType at[3] = {TY_I1, t, t};
	Rec recs[NIV * 2];
	uint64_t want[NIV * 2];
	size_t i, n = 0;
	char name[64];
	FgModule *m;

	for (i = 0; i < NIV; i++) {
		recs[n].in[0] = i & 1;
		recs[n].in[1] = ivals[i];
		recs[n].in[2] = ivals[NIV - 1 - i];
		want[n] = i & 1 ? ivals[i] : ivals[NIV - 1 - i];
		n++;
	}
	m = oploop(FG_SELECT, t, at, 3, 0);
	snprintf(name, sizeof name, "exec_ops/select.%s", fg_typename(t));
	verdict(name, runrecs(m, recs, n), recs, want, n, t);
	fg_freemodule(m);
}

int main(void)
{
	static const FgType ints[] = {TY_I8, TY_I16, TY_I32, TY_I64};
	static const int casts[][3] = {
		{FG_ZEXT, TY_I32, TY_I1}, {FG_ZEXT, TY_I32, TY_I8}, {FG_ZEXT, TY_I64, TY_I8},
		{FG_ZEXT, TY_I32, TY_I16}, {FG_ZEXT, TY_I64, TY_I32}, {FG_ZEXT, TY_I8, TY_I1},
		{FG_SEXT, TY_I32, TY_I1}, {FG_SEXT, TY_I32, TY_I8}, {FG_SEXT, TY_I64, TY_I8},
		{FG_SEXT, TY_I32, TY_I16}, {FG_SEXT, TY_I64, TY_I32}, {FG_SEXT, TY_I16, TY_I8},
		{FG_TRUNC, TY_I1, TY_I32}, {FG_TRUNC, TY_I8, TY_I32}, {FG_TRUNC, TY_I16, TY_I64},
		{FG_TRUNC, TY_I32, TY_I64}, {FG_TRUNC, TY_I8, TY_I64},
		{FG_FPTOSI, TY_I32, TY_F64}, {FG_FPTOSI, TY_I64, TY_F64}, {FG_FPTOSI, TY_I32, TY_F32},
		{FG_FPTOSI, TY_I8, TY_F64}, {FG_FPTOUI, TY_I32, TY_F64}, {FG_FPTOUI, TY_I64, TY_F64},
		{FG_FPTOUI, TY_I64, TY_F32},
		{FG_SITOFP, TY_F64, TY_I32}, {FG_SITOFP, TY_F64, TY_I64}, {FG_SITOFP, TY_F32, TY_I32},
		{FG_SITOFP, TY_F32, TY_I64}, {FG_SITOFP, TY_F64, TY_I8}, {FG_SITOFP, TY_F64, TY_I16},
		{FG_UITOFP, TY_F64, TY_I32}, {FG_UITOFP, TY_F64, TY_I64}, {FG_UITOFP, TY_F32, TY_I64},
		{FG_UITOFP, TY_F32, TY_I8},
		{FG_FPEXT, TY_F64, TY_F32}, {FG_FPTRUNC, TY_F32, TY_F64},
		{FG_PTRTOINT, TY_I64, TY_PTR}, {FG_INTTOPTR, TY_PTR, TY_I64},
		{FG_BITCAST, TY_I64, TY_F64}, {FG_BITCAST, TY_F64, TY_I64},
		{FG_BITCAST, TY_I32, TY_F32}, {FG_BITCAST, TY_F32, TY_I32},
	};
	size_t i;
	int op, pred;

	for (op = FG_ADD; op <= FG_UGE; op++)
		for (i = 0; i < 4; i++)
			testint(op, ints[i]);
	for (op = FG_FADD; op <= FG_FNEG; op++) {
		testfp(op, TY_F32, 0);
		testfp(op, TY_F64, 0);
	}
	for (pred = 0; pred < 16; pred++) {
		testfp(FG_FCMP, TY_F32, pred);
		testfp(FG_FCMP, TY_F64, pred);
	}
	for (i = 0; i < sizeof casts / sizeof *casts; i++)
		testcast(casts[i][0], casts[i][1], casts[i][2]);
	{
		static const int i1ops[] = {FG_ADD, FG_SUB, FG_MUL, FG_AND, FG_OR, FG_XOR, FG_EQ,
			FG_NE, FG_SLT, FG_SGE, FG_ULT, FG_UGE};
		for (i = 0; i < sizeof i1ops / sizeof *i1ops; i++)
			testi1(i1ops[i]);
	}
	for (i = 0; i < 4; i++)
		testselect(ints[i]);
	testselect(TY_PTR);
	return nfail != 0;
}
