/* exec_calls.c: calls, memory, control flow and errors of the reference
 * executor on hand-built IR: varargs libc calls through libffi, many mixed
 * arguments, closures called back by qsort, atexit and the test itself,
 * globals with pointer tables, switches, parallel block-argument moves,
 * allocas and mem* ops, deep recursion, and the error paths (division by
 * zero, unreachable, undefined function, runaway recursion, exit()).
 *
 * main(argc, argv) of each module finds a uint64_t buffer through argv[0].
 * Error cases run in a child process whose output and status are checked.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "flowgraph.h"

static int nfail;

/* A function being built. */
typedef struct {
	FgModule *m; /* module */
	uint32_t fi; /* function index (m->funcs moves when functions are added) */
	uint32_t b;  /* current block */
	FgLoc L;     /* location of the next ops */
} Bld;

static FgFunc *F(Bld *c)
{
	return &c->m->funcs[c->fi];
}

static int64_t dbits(double d)
{
	int64_t v;

	memcpy(&v, &d, 8);
	return v;
}

static Ref K(Bld *c, FgType t, int64_t v)
{
	return fg_con(F(c), t, v);
}

static Ref op(Bld *c, int o, FgType t, Ref a, Ref b)
{
	Ref x[2] = {a, b};

	return fg_emit(c->m, F(c), c->b, o, t, x, b ? 2 : 1, 0, c->L);
}

static Ref op3(Bld *c, int o, FgType t, Ref a, Ref b, Ref d)
{
	Ref x[3] = {a, b, d};

	return fg_emit(c->m, F(c), c->b, o, t, x, 3, 0, c->L);
}

static Ref at(Bld *c, Ref p, int64_t off)
{
	return op(c, FG_PTRADD, TY_PTR, p, K(c, TY_I64, off));
}

static Ref ld(Bld *c, FgType t, Ref p, int64_t off)
{
	return op(c, FG_LOAD, t, off ? at(c, p, off) : p, REF_NONE);
}

static void st(Bld *c, Ref p, int64_t off, Ref v)
{
	op(c, FG_STORE, TY_VOID, off ? at(c, p, off) : p, v);
}

/* Index of function name, declared (extern) if new. */
static uint32_t fn(FgModule *m, const char *name, FgType ret, const uint8_t *ps, int n, int flags)
{
	int k = fg_findfunc(m, name);

	return k >= 0 ? (uint32_t)k : fg_addfunc(m, name, ret, ps, n, flags);
}

static Ref fref(Bld *c, uint32_t k)
{
	return fg_consym(F(c), CK_FUNC, k, 0);
}

static Ref call(Bld *c, FgType t, Ref callee, const Ref *args, int n, int64_t imm)
{
	Ref x[32];

	x[0] = callee;
	memcpy(x + 1, args, n * sizeof(Ref));
	return fg_emit(c->m, F(c), c->b, FG_CALL, t, x, n + 1, imm, c->L);
}

static void ret(Bld *c, Ref v)
{
	fg_setexit(F(c), c->b, EX_RETURN, v, c->L);
}

static void jmp(Bld *c, uint32_t to, const Ref *args, int n)
{
	fg_setexit(F(c), c->b, EX_GOTO, REF_NONE, c->L);
	fg_addlink(F(c), c->b, to, args, n, 0);
}

static void br(Bld *c, Ref cond, uint32_t t, const Ref *ta, int nt, uint32_t f, const Ref *fa,
	int nf)
{
	fg_setexit(F(c), c->b, EX_BRANCH, cond, c->L);
	fg_addlink(F(c), c->b, t, ta, nt, 0);
	fg_addlink(F(c), c->b, f, fa, nf, 0);
}

/* A new module with main(i32 argc, ptr argv); *buf = argv[0] loaded. */
static Bld newmain(Ref *buf)
{
	static const uint8_t ps[2] = {TY_I32, TY_PTR};
	Bld c = {fg_newmodule(), 0, 0, {0, 1}};
	Ref argv;

	c.fi = fg_addfunc(c.m, "main", TY_I32, ps, 2, FN_DEFINED);
	c.L.file = fg_addfile(c.m, "calls.fg");
	c.b = fg_addblock(F(&c), "entry");
	fg_addarg(c.m, F(&c), c.b, TY_I32, "argc");
	argv = fg_addarg(c.m, F(&c), c.b, TY_PTR, "argv");
	*buf = ld(&c, TY_PTR, argv, 0);
	return c;
}

/* A new defined function of c's module; the builder is positioned in its
 * entry block with the parameters in args. */
static Bld newfunc(Bld *c, const char *name, FgType rt, const uint8_t *ps, int n, Ref *args)
{
	Bld d = {c->m, 0, 0, c->L};
	int i;

	d.fi = fn(c->m, name, rt, ps, n, FN_DEFINED);
	d.b = fg_addblock(F(&d), "entry");
	for (i = 0; i < n; i++)
		args[i] = fg_addarg(d.m, F(&d), d.b, ps[i], "p");
	return d;
}

static uint32_t gbytes(FgModule *m, const char *name, const void *p, size_t n, uint32_t align)
{
	uint32_t k = fg_addglobal(m, name, n, align, GL_DEFINED);

	memcpy(m->globals[k].init, p, n);
	return k;
}

static Ref gref(Bld *c, uint32_t k, int64_t off)
{
	return fg_consym(F(c), CK_GLOBAL, k, off);
}

static void check(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void check(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS exec_calls/%s\n", name);
		return;
	}
	nfail++;
	printf("FAIL exec_calls/%s\n  ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static int runbuf(FgModule *m, void *buf)
{
	char *argv[2] = {buf, NULL};

	return fg_run(m, 1, argv);
}

/* Run m in a child with stdout+stderr into out; returns the shell status. */
static int forkrun(FgModule *m, void *buf, char *out, size_t n)
{
	int fd[2], st, len = 0, k;
	pid_t pid;

	fflush(stdout);
	if (pipe(fd) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		exit(runbuf(m, buf) & 0xff);
	}
	close(fd[1]);
	while ((size_t)len + 1 < n && (k = read(fd[0], out + len, n - 1 - len)) > 0)
		len += k;
	out[len] = 0;
	close(fd[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* --- tests ----------------------------------------------------------------- */

/* snprintf with varargs of every promoted kind; ldexp and powf. */
static void t_varargs(void)
{
	static const uint8_t sp[3] = {TY_PTR, TY_I64, TY_PTR}, lp[2] = {TY_F64, TY_I32};
	static const uint8_t pp[2] = {TY_F32, TY_F32};
	static const char fmt[] = "%d|%s|%.3f|%c|%ld|%x|%5.1f|%u";
	char buf[256] = {0}, want[256];
	uint64_t io[40] = {0};
	Ref p, a[11], r;
	Bld c = newmain(&p);
	uint32_t kf = gbytes(c.m, "fmt", fmt, sizeof fmt, 1);
	uint32_t ks = gbytes(c.m, "str", "hello", 6, 1);
	uint32_t snp = fn(c.m, "snprintf", TY_I32, sp, 3, FN_VARARGS);
	uint32_t lde = fn(c.m, "ldexp", TY_F64, lp, 2, 0);
	uint32_t pwf = fn(c.m, "powf", TY_F32, pp, 2, 0);
	float two = 2, ten = 10;
	int32_t tw, te;
	int rc, n;

	memcpy(&tw, &two, 4);
	memcpy(&te, &ten, 4);
	a[0] = ld(&c, TY_PTR, p, 0);
	a[1] = K(&c, TY_I64, 256);
	a[2] = gref(&c, kf, 0);
	a[3] = K(&c, TY_I32, -42);
	a[4] = gref(&c, ks, 0);
	a[5] = K(&c, TY_F64, 0x400921f9f01b866eLL); /* 3.14159 */
	a[6] = K(&c, TY_I32, 'x');
	a[7] = K(&c, TY_I64, 1LL << 40);
	a[8] = K(&c, TY_I32, 255);
	a[9] = K(&c, TY_F64, 0xc004000000000000LL); /* -2.5 */
	a[10] = K(&c, TY_I32, -1);
	r = call(&c, TY_I32, fref(&c, snp), a, 11, 3);
	st(&c, p, 8, r);
	a[0] = K(&c, TY_F64, 0x3ff8000000000000LL); /* 1.5 */
	a[1] = K(&c, TY_I32, 4);
	st(&c, p, 16, call(&c, TY_F64, fref(&c, lde), a, 2, -1));
	a[0] = K(&c, TY_F32, tw);
	a[1] = K(&c, TY_F32, te);
	st(&c, p, 24, call(&c, TY_F32, fref(&c, pwf), a, 2, -1));
	ret(&c, K(&c, TY_I32, 0));
	io[0] = (uintptr_t)buf;
	rc = runbuf(c.m, io);
	n = snprintf(want, sizeof want, fmt, -42, "hello", 3.14159, 'x', 1L << 40, 255, -2.5, -1);
	check("varargs_snprintf", rc == 0 && strcmp(buf, want) == 0 && (int32_t)io[1] == n,
		"rc %d, got '%s' (%d), want '%s' (%d)", rc, buf, (int32_t)io[1], want, n);
	{
		double d;
		float f;
		memcpy(&d, &io[2], 8);
		memcpy(&f, &io[3], 4);
		check("native_f64_f32", d == 24.0 && f == 1024.0f, "ldexp %g, powf %g", d, f);
	}
	fg_freemodule(c.m);
}

/* An interpreted varargs function: va_start, va_copy, va_end and native
 * vsnprintf consuming its va_lists. */
static void t_vastart(void)
{
	static const uint8_t vp[2] = {TY_PTR, TY_PTR}, np[4] = {TY_PTR, TY_I64, TY_PTR, TY_PTR};
	static const uint8_t sp[1] = {TY_PTR}, cp[2] = {TY_PTR, TY_PTR};
	static const char fmt[] = "%d %.2f %s %lld|";
	char buf[256] = {0}, want[256];
	uint64_t io[1] = {(uintptr_t)buf};
	Ref p, a[6], ap, ap2, r1, r2;
	Bld c = newmain(&p), d;
	uint32_t vs = fn(c.m, "vsnprintf", TY_I32, np, 4, 0);
	uint32_t vst = fn(c.m, "llvm.va_start", TY_VOID, sp, 1, 0);
	uint32_t ven = fn(c.m, "llvm.va_end", TY_VOID, sp, 1, 0);
	uint32_t vcp = fn(c.m, "llvm.va_copy", TY_VOID, cp, 2, 0);
	uint32_t gf = gbytes(c.m, "fmt", fmt, sizeof fmt, 1), gs = gbytes(c.m, "s", "str", 4, 1);
	int rc, n;

	d = newfunc(&c, "vfmt", TY_I32, vp, 2, a);
	c.m->funcs[d.fi].flags |= FN_VARARGS;
	ap = fg_emit(d.m, F(&d), d.b, FG_ALLOCA, TY_PTR, NULL, 0, 24, d.L);
	ap2 = fg_emit(d.m, F(&d), d.b, FG_ALLOCA, TY_PTR, NULL, 0, 24, d.L);
	call(&d, TY_VOID, fref(&d, vst), &ap, 1, -1);
	{
		Ref x[2] = {ap2, ap};
		call(&d, TY_VOID, fref(&d, vcp), x, 2, -1);
	}
	{
		Ref x[4] = {a[0], K(&d, TY_I64, 128), a[1], ap};
		r1 = call(&d, TY_I32, fref(&d, vs), x, 4, -1);
		x[0] = at(&d, a[0], 128);
		x[3] = ap2;
		r2 = call(&d, TY_I32, fref(&d, vs), x, 4, -1);
	}
	call(&d, TY_VOID, fref(&d, ven), &ap, 1, -1);
	call(&d, TY_VOID, fref(&d, ven), &ap2, 1, -1);
	ret(&d, op(&d, FG_ADD, TY_I32, r1, r2));
	a[0] = ld(&c, TY_PTR, p, 0);
	a[1] = gref(&c, gf, 0);
	a[2] = K(&c, TY_I32, -7);
	a[3] = K(&c, TY_F64, dbits(2.5));
	a[4] = gref(&c, gs, 0);
	a[5] = K(&c, TY_I64, 1LL << 40);
	ret(&c, call(&c, TY_I32, fref(&c, d.fi), a, 6, 2));
	rc = runbuf(c.m, io);
	n = snprintf(want, sizeof want, fmt, -7, 2.5, "str", 1LL << 40);
	check("va_start_vsnprintf", rc == 2 * n && strcmp(buf, want) == 0 &&
		strcmp(buf + 128, want) == 0, "rc %d (want %d), got '%s' and '%s', want '%s'", rc,
		2 * n, buf, buf + 128, want);
	fg_freemodule(c.m);
}

/* mix(14 mixed args) -> f64: called directly, and natively by the test
 * through its closure address after fg_run returned. */
typedef double Mix(int8_t, int16_t, int32_t, int64_t, float, double, int8_t, int16_t, int32_t,
	int64_t, float, double, void *, _Bool);

static void t_manyargs(void)
{
	static const uint8_t ps[14] = {TY_I8, TY_I16, TY_I32, TY_I64, TY_F32, TY_F64, TY_I8, TY_I16,
		TY_I32, TY_I64, TY_F32, TY_F64, TY_PTR, TY_I1};
	uint64_t io[8] = {0};
	Ref p, a[14], x[14], acc;
	Bld c = newmain(&p), d = newfunc(&c, "mix", TY_F64, ps, 14, a);
	float fe = -1.25f, fk = 1000.5f;
	int32_t be, bk;
	double want, got, got2, w = 10;
	int i, rc;
	Mix *mp;

	/* body: sum of all numbers scaled by their position, plus the i1 */
	acc = K(&d, TY_F64, 0);
	for (i = 0; i < 14; i++) {
		Ref v = a[i];
		if (ps[i] == TY_F32)
			v = op(&d, FG_FPEXT, TY_F64, v, REF_NONE);
		else if (ps[i] == TY_PTR)
			v = op(&d, FG_SITOFP, TY_F64, op(&d, FG_PTRTOINT, TY_I64, v, REF_NONE), REF_NONE);
		else if (ps[i] == TY_I1)
			v = op(&d, FG_UITOFP, TY_F64, v, REF_NONE);
		else if (ps[i] != TY_F64)
			v = op(&d, FG_SITOFP, TY_F64, v, REF_NONE);
		acc = op(&d, FG_FMUL, TY_F64, acc, K(&d, TY_F64, dbits(w)));
		acc = op(&d, FG_FADD, TY_F64, acc, v);
	}
	ret(&d, acc);
	memcpy(&be, &fe, 4);
	memcpy(&bk, &fk, 4);
	x[0] = K(&c, TY_I8, -3);
	x[1] = K(&c, TY_I16, -300);
	x[2] = K(&c, TY_I32, 70000);
	x[3] = K(&c, TY_I64, -5000000000LL);
	x[4] = K(&c, TY_F32, be);
	x[5] = K(&c, TY_F64, 0x3fe0000000000000LL); /* 0.5 */
	x[6] = K(&c, TY_I8, 100);
	x[7] = K(&c, TY_I16, 7);
	x[8] = K(&c, TY_I32, -1);
	x[9] = K(&c, TY_I64, 12);
	x[10] = K(&c, TY_F32, bk);
	x[11] = K(&c, TY_F64, 0x4000000000000000LL); /* 2.0 */
	x[12] = op(&c, FG_INTTOPTR, TY_PTR, K(&c, TY_I64, 4096), REF_NONE);
	x[13] = K(&c, TY_I1, 1);
	st(&c, p, 0, call(&c, TY_F64, fref(&c, d.fi), x, 14, -1));
	st(&c, p, 8, fref(&c, d.fi));
	ret(&c, K(&c, TY_I32, 0));
	want = 0;
	{
		double v[14] = {-3, -300, 70000, -5000000000.0, -1.25, 0.5, 100, 7, -1, 12, 1000.5, 2,
			4096, 1};
		for (i = 0; i < 14; i++)
			want = want * w + v[i];
	}
	rc = runbuf(c.m, io);
	memcpy(&got, &io[0], 8);
	check("many_args_interp", rc == 0 && got == want, "rc %d got %.17g want %.17g", rc, got, want);
	mp = (Mix *)(uintptr_t)io[1];
	got2 = mp ? mp(-3, -300, 70000, -5000000000LL, -1.25f, 0.5, 100, 7, -1, 12, 1000.5f, 2.0,
			   (void *)4096, 1) : 0;
	check("many_args_closure", got2 == want, "closure %p got %.17g want %.17g", (void *)mp, got2,
		want);
	fg_freemodule(c.m);
}

/* qsort with an interpreted comparator. */
static int cmpl(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void t_qsort(void)
{
	static const uint8_t cp[2] = {TY_PTR, TY_PTR}, qp[4] = {TY_PTR, TY_I64, TY_I64, TY_PTR};
	int64_t arr[200], want[200];
	uint64_t io[2] = {(uintptr_t)arr, 0};
	Ref p, a[4], x, y, r;
	Bld c = newmain(&p), d = newfunc(&c, "cmp", TY_I32, cp, 2, a);
	uint32_t qs = fn(c.m, "qsort", TY_VOID, qp, 4, 0);
	int i, rc;

	x = ld(&d, TY_I64, a[0], 0);
	y = ld(&d, TY_I64, a[1], 0);
	r = op(&d, FG_SUB, TY_I32, op(&d, FG_ZEXT, TY_I32, op(&d, FG_SGT, TY_I1, x, y), REF_NONE),
		op(&d, FG_ZEXT, TY_I32, op(&d, FG_SLT, TY_I1, x, y), REF_NONE));
	ret(&d, r);
	a[0] = ld(&c, TY_PTR, p, 0);
	a[1] = K(&c, TY_I64, 200);
	a[2] = K(&c, TY_I64, 8);
	a[3] = fref(&c, d.fi);
	call(&c, TY_VOID, fref(&c, qs), a, 4, -1);
	ret(&c, K(&c, TY_I32, 0));
	srand(7);
	for (i = 0; i < 200; i++)
		arr[i] = want[i] = (int64_t)rand() * (i % 3 ? 1 : -1) * 1000003;
	qsort(want, 200, 8, cmpl);
	rc = runbuf(c.m, io);
	check("qsort_closure", rc == 0 && memcmp(arr, want, sizeof arr) == 0, "rc %d, arr[0] %lld",
		rc, (long long)arr[0]);
	fg_freemodule(c.m);
}

/* A global pointer table: &ints[1], an interpreted function, a libc one. */
static void t_globals(void)
{
	static const uint8_t tp[1] = {TY_I32}, sp[1] = {TY_PTR};
	int32_t ints[3] = {10, 20, 30};
	char zero[24] = {0};
	uint64_t io[2] = {0};
	Ref p, a[1], v, f2, n, t;
	Bld c = newmain(&p), d = newfunc(&c, "twice", TY_I32, tp, 1, a);
	uint32_t gi = gbytes(c.m, "ints", ints, sizeof ints, 4);
	uint32_t gt = gbytes(c.m, "tab", zero, sizeof zero, 8);
	uint32_t gs = gbytes(c.m, "s", "hello", 6, 1);
	uint32_t sl = fn(c.m, "strlen", TY_I64, sp, 1, 0);
	FgReloc r0 = {0, CK_GLOBAL, gi, 4}, r1 = {8, CK_FUNC, d.fi, 0}, r2 = {16, CK_FUNC, sl, 0};
	int rc;

	fg_vpush(&c.m->globals[gt].relocs, r0);
	fg_vpush(&c.m->globals[gt].relocs, r1);
	fg_vpush(&c.m->globals[gt].relocs, r2);
	ret(&d, op(&d, FG_MUL, TY_I32, a[0], K(&d, TY_I32, 2)));
	t = gref(&c, gt, 0);
	v = ld(&c, TY_I32, ld(&c, TY_PTR, t, 0), 0);   /* 20 */
	a[0] = v;
	f2 = call(&c, TY_I32, ld(&c, TY_PTR, t, 8), a, 1, -1); /* 40 */
	a[0] = gref(&c, gs, 0);
	n = call(&c, TY_I64, ld(&c, TY_PTR, t, 16), a, 1, -1); /* 5 */
	st(&c, p, 0, op(&c, FG_EQ, TY_I1, ld(&c, TY_PTR, t, 16), fref(&c, sl)));
	ret(&c, op(&c, FG_ADD, TY_I32, f2, op(&c, FG_TRUNC, TY_I32, n, REF_NONE)));
	rc = runbuf(c.m, io);
	check("global_pointer_table", rc == 45 && io[0] == 1, "rc %d (want 45), fnptr eq %d", rc,
		(int)io[0]);
	fg_freemodule(c.m);
}

/* Hint operations: identities and no-ops at run time. */
static void t_hints(void)
{
	uint64_t io[4] = {0};
	Ref p, v, w, q;
	Bld c = newmain(&p);
	int rc;

	v = op(&c, FG_HGREEN, TY_I64, K(&c, TY_I64, -123456789), REF_NONE);
	w = op(&c, FG_HPROMOTE, TY_I32, K(&c, TY_I32, 77), REF_NONE);
	q = op(&c, FG_HDEEPFREEZE, TY_PTR, p, REF_NONE);
	op(&c, FG_HVIRTUALIZABLE, TY_VOID, p, REF_NONE);
	{
		Ref g[3] = {v, w, q};
		fg_emit(c.m, F(&c), c.b, FG_MERGEPOINT, TY_VOID, g, 3, 0, c.L);
	}
	st(&c, q, 0, v);
	st(&c, q, 8, w);
	st(&c, q, 16, op(&c, FG_EQ, TY_I1, q, p));
	ret(&c, w);
	rc = runbuf(c.m, io);
	check("hints_are_identities", rc == 77 && io[0] == (uint64_t)-123456789 &&
		(uint32_t)io[1] == 77 && io[2] == 1, "rc %d, %lld %lld %lld", rc, (long long)io[0],
		(long long)io[1], (long long)io[2]);
	fg_freemodule(c.m);
}

/* Dense and sparse switches over a range of values. */
static void t_switch(void)
{
	static const uint8_t ps[1] = {TY_I32};
	static const int64_t dense[] = {0, 1, 2, 3, 5}, sparse[] = {-3, 1, 1000000, 77};
	int64_t io[40] = {0};
	Ref p, a[1];
	Bld c = newmain(&p);
	uint32_t fd = 0, fs = 0;
	int i, ok = 1, rc;
	int64_t xs[12] = {-4, -3, -1, 0, 1, 2, 3, 4, 5, 6, 77, 1000000};

	for (i = 0; i < 2; i++) {
		const int64_t *cv = i ? sparse : dense;
		int n = i ? 4 : 5, j;
		Bld d = newfunc(&c, i ? "sw_sparse" : "sw_dense", TY_I32, ps, 1, a);
		uint32_t bdef = fg_addblock(F(&d), "default"), bc = fg_addblock(F(&d), "case");
		Ref r = fg_addarg(d.m, F(&d), bc, TY_I32, "r"), m1 = K(&d, TY_I32, -1);
		fg_setexit(F(&d), d.b, EX_SWITCH, a[0], d.L);
		fg_addlink(F(&d), d.b, bdef, NULL, 0, 0);
		for (j = 0; j < n; j++) {
			Ref v = K(&d, TY_I32, cv[j] * 10 + 1);
			fg_addlink(F(&d), d.b, bc, &v, 1, cv[j]);
		}
		d.b = bdef;
		ret(&d, m1);
		d.b = bc;
		ret(&d, r);
		if (i)
			fs = d.fi;
		else
			fd = d.fi;
	}
	for (i = 0; i < 12; i++) {
		a[0] = K(&c, TY_I32, xs[i]);
		st(&c, p, 16 * i, op(&c, FG_SEXT, TY_I64, call(&c, TY_I32, fref(&c, fd), a, 1, -1), 0));
		st(&c, p, 16 * i + 8, op(&c, FG_SEXT, TY_I64, call(&c, TY_I32, fref(&c, fs), a, 1, -1), 0));
	}
	ret(&c, K(&c, TY_I32, 0));
	rc = runbuf(c.m, io);
	for (i = 0; i < 12; i++) {
		int64_t wd = -1, ws = -1;
		int j;
		for (j = 0; j < 5; j++)
			if (dense[j] == xs[i])
				wd = xs[i] * 10 + 1;
		for (j = 0; j < 4; j++)
			if (sparse[j] == xs[i])
				ws = xs[i] * 10 + 1;
		if (io[2 * i] != wd || io[1 + 2 * i] != ws) {
			ok = 0;
			printf("  x=%lld: dense %lld (want %lld) sparse %lld (want %lld)\n",
				(long long)xs[i], (long long)io[2 * i], (long long)wd,
				(long long)io[1 + 2 * i], (long long)ws);
		}
	}
	check("switch_dense_sparse", rc == 0 && ok, "rc %d", rc);
	fg_freemodule(c.m);
}

/* Loop whose links swap and rotate block arguments: fib by (a,b)->(b,a+b)
 * and a swap (x,y)->(y,x). */
static void t_moves(void)
{
	uint64_t io[2] = {0};
	Ref p, x[4], a, b, s, t, cnd, kk;
	Bld c = newmain(&p);
	int k;
	uint32_t loop = fg_addblock(F(&c), "loop"), done = fg_addblock(F(&c), "done");
	int rc;

	x[0] = K(&c, TY_I64, 0);
	x[1] = K(&c, TY_I64, 1);
	x[2] = K(&c, TY_I32, 90);
	x[3] = K(&c, TY_I64, 5);
	jmp(&c, loop, x, 4);
	c.b = loop;
	a = fg_addarg(c.m, F(&c), loop, TY_I64, "a");
	b = fg_addarg(c.m, F(&c), loop, TY_I64, "b");
	kk = fg_addarg(c.m, F(&c), loop, TY_I32, "k");
	s = fg_addarg(c.m, F(&c), loop, TY_I64, "s");
	fg_addarg(c.m, F(&c), done, TY_I64, "r");
	fg_addarg(c.m, F(&c), done, TY_I64, "s");
	cnd = op(&c, FG_SGT, TY_I1, kk, K(&c, TY_I32, 0));
	x[0] = b;
	x[1] = op(&c, FG_ADD, TY_I64, a, b);
	x[2] = op(&c, FG_SUB, TY_I32, kk, K(&c, TY_I32, 1));
	t = op(&c, FG_MUL, TY_I64, s, K(&c, TY_I64, 3));
	x[3] = t;
	{
		Ref y[2] = {a, s};
		br(&c, cnd, loop, x, 4, done, y, 2);
	}
	c.b = done;
	st(&c, p, 0, F(&c)->blocks[done].args[0]);
	st(&c, p, 8, F(&c)->blocks[done].args[1]);
	ret(&c, K(&c, TY_I32, 0));
	rc = runbuf(c.m, io);
	{
		uint64_t fa = 0, fb = 1, fs = 5, ft;
		for (k = 0; k < 90; k++)
			ft = fa + fb, fa = fb, fb = ft, fs *= 3;
		check("block_arg_moves", rc == 0 && io[0] == fa && io[1] == fs,
			"rc %d fib %llu (want %llu) s %llu (want %llu)", rc, (unsigned long long)io[0],
			(unsigned long long)fa, (unsigned long long)io[1], (unsigned long long)fs);
	}
	fg_freemodule(c.m);
}

/* Alloca (fixed and counted), memset, memcpy, memmove. */
static void t_memory(void)
{
	unsigned char out[64] = {0}, want[64] = {0};
	uint64_t io[1] = {(uintptr_t)out};
	Ref p, a, b, dst;
	Bld c = newmain(&p);
	int rc;

	dst = ld(&c, TY_PTR, p, 0);
	a = fg_emit(c.m, F(&c), c.b, FG_ALLOCA, TY_PTR, NULL, 0, 16, c.L);
	F(&c)->blocks[c.b].ops[fg_vlen(F(&c)->blocks[c.b].ops) - 1].aux = 4;
	{
		Ref n = K(&c, TY_I32, 5);
		b = fg_emit(c.m, F(&c), c.b, FG_ALLOCA, TY_PTR, &n, 1, 4, c.L);
	}
	op3(&c, FG_MEMSET, TY_VOID, a, K(&c, TY_I8, 0x5a), K(&c, TY_I64, 16));
	op3(&c, FG_MEMSET, TY_VOID, b, K(&c, TY_I8, -1), K(&c, TY_I64, 20));
	st(&c, a, 4, K(&c, TY_I32, 0x01020304));
	st(&c, a, 10, K(&c, TY_I16, -2));
	op3(&c, FG_MEMMOVE, TY_VOID, at(&c, a, 1), a, K(&c, TY_I64, 8));
	op3(&c, FG_MEMCPY, TY_VOID, dst, a, K(&c, TY_I64, 16));
	op3(&c, FG_MEMCPY, TY_VOID, at(&c, dst, 16), b, K(&c, TY_I64, 20));
	st(&c, dst, 40, op(&c, FG_AND, TY_I64, op(&c, FG_PTRTOINT, TY_I64, a, 0), K(&c, TY_I64, 15)));
	ret(&c, K(&c, TY_I32, 0));
	rc = runbuf(c.m, io);
	memset(want, 0x5a, 16);
	{
		int32_t w = 0x01020304;
		int16_t h = -2;
		memcpy(want + 4, &w, 4);
		memcpy(want + 10, &h, 2);
		memmove(want + 1, want, 8);
		memset(want + 16, 0xff, 20);
	}
	check("alloca_memops", rc == 0 && memcmp(out, want, 64) == 0, "rc %d", rc);
	fg_freemodule(c.m);
}

/* Recursion: sum(n) = n ? n + sum(n-1) : 0 at depth 200000, fib(24). */
static void t_recursion(void)
{
	static const uint8_t ps[1] = {TY_I64};
	Ref p, a[1], x;
	Bld c = newmain(&p), d = newfunc(&c, "sum", TY_I64, ps, 1, a), e;
	uint32_t rec = fg_addblock(F(&d), "rec"), zero = fg_addblock(F(&d), "zero");
	int rc;

	fg_addarg(d.m, F(&d), rec, TY_I64, "n");
	br(&d, op(&d, FG_EQ, TY_I1, a[0], K(&d, TY_I64, 0)), zero, NULL, 0, rec, a, 1);
	d.b = zero;
	ret(&d, K(&d, TY_I64, 0));
	d.b = rec;
	x = op(&d, FG_SUB, TY_I64, F(&d)->blocks[rec].args[0], K(&d, TY_I64, 1));
	x = call(&d, TY_I64, fref(&d, d.fi), &x, 1, -1);
	ret(&d, op(&d, FG_ADD, TY_I64, F(&d)->blocks[rec].args[0], x));

	e = newfunc(&c, "fib", TY_I64, ps, 1, a);
	{
		uint32_t small = fg_addblock(F(&e), "small"), big = fg_addblock(F(&e), "big");
		Ref n = a[0], y;
		br(&e, op(&e, FG_SLT, TY_I1, n, K(&e, TY_I64, 2)), small, NULL, 0, big, NULL, 0);
		e.b = small;
		ret(&e, n);
		e.b = big;
		x = op(&e, FG_SUB, TY_I64, n, K(&e, TY_I64, 1));
		y = op(&e, FG_SUB, TY_I64, n, K(&e, TY_I64, 2));
		x = call(&e, TY_I64, fref(&e, e.fi), &x, 1, -1);
		y = call(&e, TY_I64, fref(&e, e.fi), &y, 1, -1);
		ret(&e, op(&e, FG_ADD, TY_I64, x, y));
	}
	a[0] = K(&c, TY_I64, 200000);
	st(&c, p, 0, call(&c, TY_I64, fref(&c, d.fi), a, 1, -1));
	a[0] = K(&c, TY_I64, 24);
	st(&c, p, 8, call(&c, TY_I64, fref(&c, e.fi), a, 1, -1));
	ret(&c, K(&c, TY_I32, 0));
	{
		uint64_t buf[2] = {0};
		rc = runbuf(c.m, buf);
		check("deep_recursion", rc == 0 && buf[0] == 200000ULL * 200001 / 2 && buf[1] == 46368,
			"rc %d sum %llu fib %llu", rc, (unsigned long long)buf[0],
			(unsigned long long)buf[1]);
	}
	fg_freemodule(c.m);
}

/* Error paths, each in a child process. */
static void t_errors(void)
{
	static const uint8_t ps[1] = {TY_I64}, pp[1] = {TY_PTR}, ip[1] = {TY_I32};
	char out[1024];
	uint64_t io[2] = {0};
	Ref p, a[1], x;
	int st;

	{ /* division by zero: status 136, message with location */
		Bld c = newmain(&p);
		x = ld(&c, TY_I32, p, 0);
		c.L.line = 7;
		x = op(&c, FG_SDIV, TY_I32, K(&c, TY_I32, 100), x);
		ret(&c, x);
		io[0] = 0;
		st = forkrun(c.m, io, out, sizeof out);
		check("div_by_zero", st == 136 && strstr(out, "calls.fg:7: error: division by zero"),
			"status %d, output '%s'", st, out);
		io[0] = 4; /* divisor 4: runs */
		st = forkrun(c.m, io, out, sizeof out);
		check("div_ok", st == 25, "status %d, output '%s'", st, out);
		fg_freemodule(c.m);
	}
	{ /* INT_MIN / -1 */
		Bld c = newmain(&p);
		x = ld(&c, TY_I32, p, 0);
		c.L.line = 8;
		ret(&c, op(&c, FG_SREM, TY_I32, K(&c, TY_I32, INT32_MIN), x));
		io[0] = (uint32_t)-1;
		st = forkrun(c.m, io, out, sizeof out);
		check("div_overflow", st == 136 && strstr(out, "calls.fg:8: error: division overflow"),
			"status %d, output '%s'", st, out);
		fg_freemodule(c.m);
	}
	{ /* unreachable */
		Bld c = newmain(&p);
		c.L.line = 9;
		fg_setexit(F(&c), c.b, EX_UNREACHABLE, REF_NONE, c.L);
		st = forkrun(c.m, io, out, sizeof out);
		check("unreachable", st == 134 && strstr(out, "calls.fg:9: error: unreachable"),
			"status %d, output '%s'", st, out);
		fg_freemodule(c.m);
	}
	{ /* undefined function: clean error, fg_run returns -1 */
		Bld c = newmain(&p);
		uint32_t u = fn(c.m, "no_such_function_xyz", TY_I32, ps, 1, 0);
		a[0] = K(&c, TY_I64, 1);
		c.L.line = 11;
		ret(&c, call(&c, TY_I32, fref(&c, u), a, 1, -1));
		st = forkrun(c.m, io, out, sizeof out);
		check("undefined_function", st == 255 &&
			strstr(out, "calls.fg:11: error: undefined function 'no_such_function_xyz'"),
			"status %d, output '%s'", st, out);
		fg_freemodule(c.m);
	}
	{ /* runaway recursion: clean error */
		Bld c = newmain(&p), d = newfunc(&c, "inf", TY_I64, ps, 1, a);
		x = op(&d, FG_ADD, TY_I64, a[0], K(&d, TY_I64, 1));
		ret(&d, call(&d, TY_I64, fref(&d, d.fi), &x, 1, -1));
		a[0] = K(&c, TY_I64, 0);
		ret(&c, op(&c, FG_TRUNC, TY_I32, call(&c, TY_I64, fref(&c, d.fi), a, 1, -1), 0));
		st = forkrun(c.m, io, out, sizeof out);
		check("runaway_recursion", st == 255 && strstr(out, "error: call depth limit"),
			"status %d, output '%s'", st, out);
		fg_freemodule(c.m);
	}
	{ /* malformed modules: clean errors at the place, never a crash */
		static const char *const want[] = {
			"calls.fg:21: error: invalid operation 999",
			"calls.fg:22: error: branch to an invalid block",
			"calls.fg:23: error: call through a null function pointer",
			"calls.fg:24: error: va_start in a function without variadic parameters",
			"calls.fg:25: error: the executor cannot call 'setjmp'",
			"calls.fg:26: error: malformed 'add' operation",
			"calls.fg:27: error: undefined symbol 'no_such_global_xyz'",
		};
		int k;
		for (k = 0; k < 7; k++) {
			Bld c = newmain(&p);
			char name[32];
			c.L.line = 21 + k;
			switch (k) {
			case 0:
				x = op(&c, FG_ADD, TY_I32, K(&c, TY_I32, 1), K(&c, TY_I32, 2));
				F(&c)->blocks[c.b].ops[fg_vlen(F(&c)->blocks[c.b].ops) - 1].op = 999;
				break;
			case 1:
				fg_setexit(F(&c), c.b, EX_GOTO, REF_NONE, c.L);
				fg_addlink(F(&c), c.b, 77, NULL, 0, 0);
				break;
			case 2: {
				Ref np = op(&c, FG_INTTOPTR, TY_PTR, K(&c, TY_I64, 0), REF_NONE);
				x = call(&c, TY_I32, np, NULL, 0, -1);
				break;
			}
			case 3:
				a[0] = p;
				call(&c, TY_VOID, fref(&c, fn(c.m, "llvm.va_start", TY_VOID, pp, 1, 0)), a, 1, -1);
				break;
			case 4:
				a[0] = p;
				call(&c, TY_I32, fref(&c, fn(c.m, "setjmp", TY_I32, pp, 1, 0)), a, 1, -1);
				break;
			case 5:
				x = fg_emit(c.m, F(&c), c.b, FG_ADD, TY_I32, a, 0, 0, c.L);
				break;
			case 6:
				x = gref(&c, fg_addglobal(c.m, "no_such_global_xyz", 8, 8, 0), 0);
				ret(&c, ld(&c, TY_I32, x, 0));
				break;
			}
			if (F(&c)->blocks[c.b].exit.kind == EX_NONE)
				ret(&c, K(&c, TY_I32, 0));
			st = forkrun(c.m, io, out, sizeof out);
			snprintf(name, sizeof name, "malformed_%d", k);
			check(name, st == 255 && strstr(out, want[k]) && !strchr(strchr(out, '\n') + 1, '\n'),
				"status %d, output '%s', want '%s'", st, out, want[k]);
			fg_freemodule(c.m);
		}
	}
	{ /* exit() from the program flushes stdio; atexit runs a closure */
		Bld c = newmain(&p), d = newfunc(&c, "bye", TY_VOID, NULL, 0, a);
		uint32_t ps_ = fn(c.m, "puts", TY_I32, pp, 1, 0), ae = fn(c.m, "atexit", TY_I32, pp, 1, 0);
		uint32_t ex = fn(c.m, "exit", TY_VOID, ip, 1, 0);
		uint32_t g1 = gbytes(c.m, "m1", "atexit ran", 11, 1), g2 = gbytes(c.m, "m2", "main", 5, 1);
		a[0] = gref(&d, g1, 0);
		call(&d, TY_I32, fref(&d, ps_), a, 1, -1);
		ret(&d, REF_NONE);
		a[0] = fref(&c, d.fi);
		call(&c, TY_I32, fref(&c, ae), a, 1, -1);
		a[0] = gref(&c, g2, 0);
		call(&c, TY_I32, fref(&c, ps_), a, 1, -1);
		a[0] = K(&c, TY_I32, 7);
		call(&c, TY_VOID, fref(&c, ex), a, 1, -1);
		fg_setexit(F(&c), c.b, EX_UNREACHABLE, REF_NONE, c.L);
		st = forkrun(c.m, io, out, sizeof out);
		check("exit_atexit_closure", st == 7 && strcmp(out, "main\natexit ran\n") == 0,
			"status %d, output '%s'", st, out);
		fg_freemodule(c.m);
	}
}

int main(void)
{
	t_varargs();
	t_manyargs();
	t_vastart();
	t_qsort();
	t_globals();
	t_hints();
	t_switch();
	t_moves();
	t_memory();
	t_recursion();
	t_errors();
	return nfail != 0;
}
