/* unit.c: unit tests of the hint annotator on graphs built with the IR
 * builders (no importer needed).  Prints PASS/FAIL per test. */
#include <stdio.h>
#include <string.h>
#include "../hintannotator.h"

static int failed;

static void check(const char *name, int ok)
{
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
	failed += !ok;
}

static FgLoc at(FgModule *m, unsigned line)
{
	FgLoc l = {fg_addfile(m, "unit.c"), line};
	return l;
}

static int colour(const HaResult *r, int s, Ref v)
{
	return r->specs[s].col[REFIDX(v)];
}

/* interp(code, pc, a): a toy dispatch loop.
 *   b0: dc = deepfreeze code; goto b1(pc, a)
 *   b1(pc1, a1): merge_point(pc1, dc); op = load (dc + pc1); g = green op
 *                branch g == 0 ? b2 : b3
 *   b2: a2 = a1 + 1 (or green(a1) if badhint); goto b1(pc1 + 1, a2)
 *   b3: return a1 */
typedef struct {
	FgModule *m;
	uint32_t f;
	Ref pc1, a1, op, a2;
} Toy;

static void buildtoy(Toy *t, int badhint)
{
	uint8_t params[] = {TY_PTR, TY_I64, TY_I64};
	FgModule *m = t->m = fg_newmodule();
	FgFunc *f;
	Ref code, pc, a, dc, p, g, c, pc2, args[2];

	t->f = fg_addfunc(m, "interp", TY_I64, params, 3, FN_DEFINED);
	f = &m->funcs[t->f];
	fg_addblock(f, "entry");
	fg_addblock(f, "loop");
	fg_addblock(f, "next");
	fg_addblock(f, "done");
	code = fg_addarg(m, f, 0, TY_PTR, "code");
	pc = fg_addarg(m, f, 0, TY_I64, "pc");
	a = fg_addarg(m, f, 0, TY_I64, "a");
	dc = fg_emit(m, f, 0, FG_HDEEPFREEZE, TY_PTR, &code, 1, 0, at(m, 1));
	args[0] = pc, args[1] = a;
	fg_setexit(f, 0, EX_GOTO, REF_NONE, at(m, 1));
	fg_addlink(f, 0, 1, args, 2, 0);
	t->pc1 = fg_addarg(m, f, 1, TY_I64, "pc1");
	t->a1 = fg_addarg(m, f, 1, TY_I64, "a1");
	args[0] = t->pc1, args[1] = dc;
	fg_emit(m, f, 1, FG_MERGEPOINT, TY_VOID, args, 2, 0, at(m, 2));
	args[0] = dc, args[1] = t->pc1;
	p = fg_emit(m, f, 1, FG_PTRADD, TY_PTR, args, 2, 0, at(m, 3));
	t->op = fg_emit(m, f, 1, FG_LOAD, TY_I64, &p, 1, 0, at(m, 3));
	g = fg_emit(m, f, 1, FG_HGREEN, TY_I64, &t->op, 1, 0, at(m, 3));
	args[0] = g, args[1] = fg_con(f, TY_I64, 0);
	c = fg_emit(m, f, 1, FG_EQ, TY_I1, args, 2, 0, at(m, 4));
	fg_setexit(f, 1, EX_BRANCH, c, at(m, 4));
	fg_addlink(f, 1, 2, NULL, 0, 0);
	fg_addlink(f, 1, 3, NULL, 0, 0);
	args[0] = t->a1, args[1] = fg_con(f, TY_I64, 1);
	if (badhint)
		t->a2 = fg_emit(m, f, 2, FG_HGREEN, TY_I64, &t->a1, 1, 0, at(m, 5));
	else
		t->a2 = fg_emit(m, f, 2, FG_ADD, TY_I64, args, 2, 0, at(m, 5));
	args[0] = t->pc1, args[1] = fg_con(f, TY_I64, 1);
	pc2 = fg_emit(m, f, 2, FG_ADD, TY_I64, args, 2, 0, at(m, 6));
	args[0] = pc2, args[1] = t->a2;
	fg_setexit(f, 2, EX_GOTO, REF_NONE, at(m, 6));
	fg_addlink(f, 2, 1, args, 2, 0);
	fg_setexit(f, 3, EX_RETURN, t->a1, at(m, 7));
}

static void testtoy(void)
{
	Toy t;
	HaResult *r;

	buildtoy(&t, 0);
	r = ha_annotate(t.m, "interp", NULL);
	check("toy annotates", r != NULL);
	if (!r)
		return;
	check("toy one spec", fg_vlen(r->specs) == 1);
	check("toy pc green", colour(r, 0, t.pc1) == BT_GREEN);
	check("toy op green", colour(r, 0, t.op) == BT_GREEN);
	check("toy a red", colour(r, 0, t.a1) == BT_RED && colour(r, 0, t.a2) == BT_RED);
	check("toy key code,pc green a red", r->specs[0].key[0] == BT_GREEN &&
		r->specs[0].key[1] == BT_GREEN && r->specs[0].key[2] == BT_RED);
	check("toy green exit", r->specs[0].exit[1] == HX_GREEN);
	check("toy global merge", (r->specs[0].merge[1] & (HM_GLOBAL | HM_HEAD)) == (HM_GLOBAL | HM_HEAD));
	check("toy returns red", r->specs[0].retcol == BT_RED);
	ha_free(r);
	fg_freemodule(t.m);
}

static void testbadhint(void)
{
	Toy t;
	HaResult *r;
	int before = fg_nerrors;

	buildtoy(&t, 1);
	fprintf(stderr, "(expected error follows)\n");
	r = ha_annotate(t.m, "interp", NULL);
	check("bad hint fails", r == NULL && fg_nerrors == before + 1);
	ha_free(r);
	fg_freemodule(t.m);
}

/* main(x, y): h(x, y) twice, once with x green (a constant), once red;
 * h(a, b) = a * b.  Two specialisations of h. */
static void testspecialise(void)
{
	uint8_t params[] = {TY_I64, TY_I64};
	FgModule *m = fg_newmodule();
	FgFunc *f;
	uint32_t h, mn;
	Ref a, b, x, y, r1, r2, s, args[3];
	HaResult *r;
	int i, sg = -1, sr = -1;

	h = fg_addfunc(m, "h", TY_I64, params, 2, FN_DEFINED);
	f = &m->funcs[h];
	fg_addblock(f, "entry");
	a = fg_addarg(m, f, 0, TY_I64, "a");
	b = fg_addarg(m, f, 0, TY_I64, "b");
	args[0] = a, args[1] = b;
	s = fg_emit(m, f, 0, FG_MUL, TY_I64, args, 2, 0, at(m, 10));
	fg_setexit(f, 0, EX_RETURN, s, at(m, 10));
	mn = fg_addfunc(m, "p", TY_I64, params, 2, FN_DEFINED);
	f = &m->funcs[mn];
	fg_addblock(f, "entry");
	x = fg_addarg(m, f, 0, TY_I64, "x");
	y = fg_addarg(m, f, 0, TY_I64, "y");
	args[0] = fg_consym(f, CK_FUNC, h, 0), args[1] = fg_con(f, TY_I64, 3), args[2] = y;
	r1 = fg_emit(m, f, 0, FG_CALL, TY_I64, args, 3, -1, at(m, 20));
	args[1] = x;
	r2 = fg_emit(m, f, 0, FG_CALL, TY_I64, args, 3, -1, at(m, 21));
	args[0] = r1, args[1] = r2;
	s = fg_emit(m, f, 0, FG_ADD, TY_I64, args, 2, 0, at(m, 22));
	fg_setexit(f, 0, EX_RETURN, s, at(m, 22));
	r = ha_annotate(m, "p", NULL);
	check("specialise annotates", r != NULL);
	if (!r)
		return;
	check("specialise three specs", fg_vlen(r->specs) == 3);
	for (i = 1; i < (int)fg_vlen(r->specs); i++) {
		if (strcmp(r->specs[i].name, "h.GR") == 0)
			sg = i;
		if (strcmp(r->specs[i].name, "h.RR") == 0)
			sr = i;
	}
	check("specialise keys GR and RR", sg > 0 && sr > 0);
	check("specialise calls inline", fg_vlen(r->specs[0].calls) == 2 &&
		r->specs[0].calls[0].kind == HC_INLINE && r->specs[0].calls[0].specs[0] == sg &&
		r->specs[0].calls[1].specs[0] == sr);
	ha_free(r);
	{
		HaPolicy pol;
		ha_defaultpolicy(&pol);
		pol.maxinline = 0;
		r = ha_annotate(m, "p", &pol);
		check("policy bound makes calls residual", r && fg_vlen(r->specs) == 1 &&
			r->specs[0].calls[0].kind == HC_RESIDUAL &&
			r->specs[0].calls[0].why == HW_TOOBIG &&
			r->specs[0].opcol[0] == OC_RED && r->specs[0].retcol == BT_RED);
		ha_free(r);
	}
	fg_freemodule(m);
}

/* The view module: one copy per specialisation, classes from the style. */
static void testview(void)
{
	Toy t;
	HaResult *r;
	FgModule *v;
	FgStyle st;
	const FgFunc *f;

	buildtoy(&t, 0);
	r = ha_annotate(t.m, "interp", NULL);
	if (!r) {
		check("view annotates", 0);
		return;
	}
	v = ha_view(r, &st);
	f = ha_viewfunc(v, &st, 0);
	check("view one copy", fg_vlen(v->funcs) == fg_vlen(t.m->funcs) && f == &v->funcs[t.f] &&
		(f->flags & FN_DEFINED) && strcmp(f->name, "interp") == 0);
	check("view classes", strcmp(st.valclass(st.ctx, f, t.pc1), "green") == 0 &&
		strcmp(st.valclass(st.ctx, f, t.a1), "red") == 0 &&
		strcmp(st.blockclass(st.ctx, f, 1), "merge") == 0);
	check("view note", strcmp(st.funcnote(st.ctx, f), "key GGR -> red") == 0);
	ha_freeview(v, &st);
	ha_free(r);
	fg_freemodule(t.m);
}

int main(void)
{
	testtoy();
	testbadhint();
	testspecialise();
	testview();
	return failed != 0;
}
