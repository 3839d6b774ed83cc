/* text_verify.c: verifier checks that the text format cannot express
 * (the parser refuses such input), on modules broken with the builders:
 * operand counts, references and targets out of range, values that do not
 * point back to their definition, bad opcodes, bad contents.  Prints each
 * case's messages and count; exits 1 if some case found no problem. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flowgraph.h"

/* A module with one function `i32 @f(i32)` whose entry returns its
 * argument, at t.c:1; *pf and *pa receive the function and argument. */
static FgModule *base(FgFunc **pf, Ref *pa)
{
	FgModule *m = fg_newmodule();
	uint8_t p = TY_I32;
	FgLoc loc = {0, 1};
	FgFunc *f;

	loc.file = fg_addfile(m, "t.c");
	f = &m->funcs[fg_addfunc(m, "f", TY_I32, &p, 1, FN_DEFINED)];
	f->loc = loc;
	fg_addblock(f, "entry");
	*pa = fg_addarg(m, f, 0, TY_I32, "a");
	fg_setexit(f, 0, EX_RETURN, *pa, loc);
	*pf = f;
	return m;
}

static int check(int n, const char *what, FgModule *m)
{
	int k;

	fflush(stdout);
	k = fg_verify(m);
	fflush(stderr);
	printf("case %d (%s): %d problem%s\n", n, what, k, k == 1 ? "" : "s");
	fg_freemodule(m);
	return k > 0;
}

int main(void)
{
	FgLoc loc = {1, 2};
	FgModule *m;
	FgFunc *f;
	Ref a, r;
	int ok = 1;

	m = base(&f, &a);
	fg_emit(m, f, 0, FG_ADD, TY_I32, &a, 1, 0, loc);
	ok &= check(1, "operand count", m);

	m = base(&f, &a);
	fg_emit(m, f, 0, FG_ADD, TY_I32, (Ref[]){a, MKREF(RK_VAL, 999)}, 2, 0, loc);
	ok &= check(2, "value out of range", m);

	m = base(&f, &a);
	fg_emit(m, f, 0, FG_ADD, TY_I32, (Ref[]){a, MKREF(RK_CON, 77)}, 2, 0, loc);
	ok &= check(3, "constant out of range", m);

	m = base(&f, &a);
	fg_setexit(f, 0, EX_GOTO, REF_NONE, loc);
	fg_addlink(f, 0, 5, NULL, 0, 0);
	ok &= check(4, "target out of range", m);

	m = base(&f, &a);
	r = fg_emit(m, f, 0, FG_ADD, TY_I32, (Ref[]){a, a}, 2, 0, loc);
	f->vals[REFIDX(r)].index = 3;
	ok &= check(5, "value not at its definition", m);

	m = base(&f, &a);
	fg_emit(m, f, 0, FG_COPY, TY_PTR, (Ref[]){fg_consym(f, CK_GLOBAL, 9, 0)}, 1, 0, loc);
	ok &= check(6, "symbol out of range", m);

	m = base(&f, &a);
	fg_emit(m, f, 0, FG_CALL, TY_VOID, NULL, 0, -1, loc);
	fg_emit(m, f, 0, FG_ALLOCA, TY_PTR, (Ref[]){a, a}, 2, 8, loc);
	ok &= check(7, "call without callee, alloca with two operands", m);

	m = base(&f, &a);
	f->blocks[0].ops = fg_vnew(1, sizeof(FgOp));
	f->blocks[0].ops[0].op = 200;
	ok &= check(8, "bad opcode", m);

	m = base(&f, &a);
	fg_addglobal(m, "g", 16, 8, GL_DEFINED);
	fg_vgrow(&m->globals[0].init, 8);
	ok &= check(9, "contents shorter than the size", m);

	m = base(&f, &a);
	fg_vgrow(&f->blocks, 0);
	ok &= check(10, "defined function without blocks", m);

	m = base(&f, &a);
	f->blocks[0].exit.nlink = 3;
	f->blocks[0].exit.link = 100;
	ok &= check(11, "exit links out of range", m);

	m = base(&f, &a);
	fg_emit(m, f, 0, FG_STORE, TY_I32, (Ref[]){a, a}, 2, 0, loc);
	ok &= check(12, "store with a result", m);
	return ok ? 0 : 1;
}
