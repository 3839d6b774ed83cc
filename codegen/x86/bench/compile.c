/*
 * compile.c: compile-cost benchmark of the x86 backend.
 *
 * Builds NUNIT units shaped like generating-extension output (a loop over
 * an array with a long body of integer and f64 arithmetic, compares,
 * selects, loads, stores, calls, a switch and an exit stub), then compiles
 * them all.  Only x86_compile is timed (and, under callgrind, instrumented:
 * CALLGRIND_START/STOP_INSTRUMENTATION around the compile loop).  Prints
 * the emitted machine instructions (counted by Capstone on the output) and
 * the nanoseconds per emitted instruction.  tools/bench.sh divides the
 * callgrind total by the instruction count.
 *
 * Usage: compile [NUNIT [REPS [WINDOW]]]   (window: see build())
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <valgrind/callgrind.h>

#include "internal.h"
#include "backend.h"

static int64_t helper(int64_t a, int64_t b)
{
	return a ^ b;
}

static X86Unit *stubcb(void *o, X86Exit *s, int64_t v, const int64_t *l)
{
	(void)o, (void)s, (void)v, (void)l;
	return NULL;
}

/* One unit: f(p, n) loops i over p[0..n) with a body of ~nops ops whose
 * operands are drawn from the last `window` values defined (a wide window
 * keeps many values live and forces spilling; a narrow one is the local
 * dataflow typical of residual code). */
static X86Unit *build(int nops, int window, unsigned seed)
{
	static const uint8_t pt[] = {X86_PTR, X86_I64};
	static const uint8_t lt[] = {X86_I64, X86_I64, X86_F64};
	static const int ops[] = {XR_ADD, XR_SUB, XR_MUL, XR_AND, XR_OR,
		XR_XOR, XR_SHL, XR_ASHR, XR_SLT, XR_EQ, XR_ULT};
	X86Unit *u = x86_newunit(2, pt, X86_I64);
	int head = x86_block(u, 3, lt), body = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL), exit_ = x86_block(u, 0, NULL);
	X86Ref p = x86_arg(u, 0, 0), n = x86_arg(u, 0, 1), a[3], v[512], f, x;
	int i, k, nv = 0;
	int64_t cases[4] = {1, 7, 100, 1000};
	int to[4] = {done, done, exit_, done};

	a[0] = x86_con(u, X86_I64, 0);
	a[1] = x86_con(u, X86_I64, 1);
	a[2] = x86_conf(u, 0.5);
	x86_jump(u, 0, head, 3, a);
	x86_branch(u, head, x86_op2(u, head, XR_SLT, x86_arg(u, head, 0), n),
	           body, done);
	v[nv++] = x86_arg(u, head, 1);
	v[nv++] = x86_load(u, body, X86_I64, p, x86_arg(u, head, 0), 8, 0);
	v[nv++] = x86_op1(u, body, XR_SEXT, X86_I64,
	                  x86_load(u, body, X86_I32, p, x86_arg(u, head, 0), 4, 8));
	f = x86_arg(u, head, 2);
	for (i = 0; i < nops; i++) {
		seed = seed * 1103515245 + 12345;
		k = (seed >> 16) % 16;
		int w = nv < window ? nv : window;
		X86Ref l = v[nv - 1 - (seed >> 8) % w], r = v[nv - 1 - (seed >> 4) % w];
		if (k < 11) {
			x = x86_op2(u, body, ops[k], l, (seed & 1) ? r :
			            x86_con(u, X86_I64, seed % 37));
			if (x86_type(u, x) != X86_I64)
				x = x86_op1(u, body, XR_SEXT, X86_I64, x);
		} else if (k == 11) {
			x = x86_select(u, body, x86_op2(u, body, XR_SGT, l, r), l, r);
		} else if (k == 12) {
			f = x86_op2(u, body, XR_FADD, f, x86_op1(u, body, XR_SITOF,
			            X86_F64, l));
			x = x86_op1(u, body, XR_FTOSI, X86_I64, f);
		} else if (k == 13) {
			x86_store(u, body, l, p, x86_arg(u, head, 0), 8, 16);
			x = x86_load(u, body, X86_I64, p, X86_NONE, 1, 24);
		} else if (k == 14) {
			X86Ref args[2] = {l, r};
			x = x86_call(u, body, X86_I64,
			             x86_con(u, X86_PTR, (int64_t)(intptr_t)helper), 2, args);
		} else {
			x = x86_op2(u, body, XR_MUL, l, x86_con(u, X86_I64, 3));
		}
		if (nv < 512)
			v[nv++] = x;
	}
	a[0] = x86_op2(u, body, XR_ADD, x86_arg(u, head, 0), x86_con(u, X86_I64, 1));
	a[1] = v[nv - 1];
	a[2] = f;
	x86_jump(u, body, head, 3, a);
	x86_switch(u, done, x86_arg(u, head, 1), 4, cases, to, exit_);
	x86_exitstub(u, exit_, 2, a, stubcb, NULL);
	return u;
}

/* CPU time of the process in ns (the machine is shared: not wall time). */
static double cpuns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv)
{
	int nunit = argc > 1 ? atoi(argv[1]) : 200;
	int reps = argc > 2 ? atoi(argv[2]) : 1, i, k;
	int window = argc > 3 ? atoi(argv[3]) : 64;
	X86Unit **u = malloc(nunit * sizeof *u);
	long insns = 0;
	double t0, ns, best = 0;

	for (k = 0; k < reps; k++) {
		for (i = 0; i < nunit; i++)
			u[i] = build(150, window, 1234u + i);
		t0 = cpuns();
		CALLGRIND_START_INSTRUMENTATION;
		for (i = 0; i < nunit; i++)
			if (!x86_compile(u[i])) {
				fprintf(stderr, "compile: unit %d failed: %s\n", i,
				        x86_errstr(x86_error(u[i])));
				return 1;
			}
		CALLGRIND_STOP_INSTRUMENTATION;
		ns = cpuns() - t0;
		if (!k || ns < best)
			best = ns;
		insns = 0;
		for (i = 0; i < nunit; i++) {
			insns += x86_insncount(u[i]->code, ((BUnit *)u[i]->be)->len);
			x86_free(u[i]);
		}
	}
	printf("x86 compile, operand window %d: %d units, %ld instructions "
	       "emitted, %.1f ns/insn (CPU time, best of %d)\n", window, nunit,
	       insns, best / insns, reps);
	printf("insns %ld\n", insns * reps);
	free(u);
	return 0;
}
