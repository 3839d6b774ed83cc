/* explain.c: why values have their colours (`tsgen annotate --explain`).
 *
 * A green value is explained by its rule (constant operands, a promotion,
 * a green key parameter, a load through a deep-frozen pointer, a green
 * call) or, when a hint required it, by the chain from the hint down to
 * it.  A red value is explained by a shortest chain of red dependencies
 * (breadth-first over operands and incoming values) down to a red origin:
 * a red parameter, a load from mutable memory, an alloca, a residual call,
 * a loop-carried value of a red-controlled loop or of the merge point.
 */
#include <string.h>
#include "hintannotator.h"

static const char *vdesc(const FgFunc *f, Ref v, char *buf, size_t n)
{
	const FgVal *x = &f->vals[REFIDX(v)];
	const FgOp *o = fg_defop(f, v);
	const char *nm = x->name && x->name[0] ? x->name : NULL;

	if (o && nm)
		snprintf(buf, n, "'%s' (%s)", nm, fg_opinfo[o->op].name);
	else if (o)
		snprintf(buf, n, "%%%u (%s)", REFIDX(v), fg_opinfo[o->op].name);
	else if (nm)
		snprintf(buf, n, "'%s'", nm);
	else
		snprintf(buf, n, "%%%u", REFIDX(v));
	return buf;
}

static FgLoc vloc(const FgFunc *f, Ref v)
{
	const FgOp *o = fg_defop(f, v);
	const FgVal *x = &f->vals[REFIDX(v)];
	const FgBlock *bl;

	if (o)
		return o->loc;
	if (x->block == 0)
		return f->loc;
	bl = &f->blocks[x->block];
	return fg_vlen(bl->ops) ? bl->ops[0].loc : bl->exit.loc;
}

static void putloc(FILE *out, const FgModule *m, FgLoc l)
{
	fprintf(out, "  %s:%u: ", fg_locfile(m, l), l.line);
}

static const HaCall *callof(const HaSpec *s, const FgFunc *f, const FgOp *o)
{
	uint32_t k;

	for (k = 0; k < fg_vlen(s->calls); k++)
		if (&f->blocks[s->calls[k].block].ops[s->calls[k].op] == o)
			return &s->calls[k];
	return NULL;
}

static int red(const HaSpec *s, Ref a)
{
	return REFKIND(a) == RK_VAL && s->col[REFIDX(a)] == BT_RED;
}

/* The red dependencies of red value v (pushed on deps), or its origin
 * text in why (returns 1). */
static int reddeps(const HaResult *r, const HaSpec *s, Ref v, Ref **deps, char *why, size_t n)
{
	const FgFunc *f = &r->m->funcs[s->func];
	const FgVal *x = &f->vals[REFIDX(v)];
	const FgOp *o = fg_defop(f, v);
	const HaCall *c;
	uint32_t k, l;

	if (!o && x->block == 0) {
		snprintf(why, n, s->func == r->portal ? "a parameter of the portal that no hint requires green"
						   : "a parameter that is red in this specialisation's key");
		return 1;
	}
	if (!o) {
		if ((int32_t)s->func == r->mpfunc && x->block == r->mphead) {
			snprintf(why, n, "a loop-carried value of the global merge point that TS_MERGE_POINT does not list");
			return 1;
		}
		for (l = 0; l < fg_vlen(f->links); l++)
			if (f->links[l].target == x->block && x->index < f->links[l].narg &&
			    red(s, f->refs[f->links[l].arg + x->index]))
				fg_vpush(deps, f->refs[f->links[l].arg + x->index]);
		if (fg_vlen(*deps) == 0) {
			snprintf(why, n, "a loop-carried value of a loop whose exit depends on a red value");
			return 1;
		}
		return 0;
	}
	switch (o->op) {
	case FG_ALLOCA:
		snprintf(why, n, "the address of stack memory (alloca)");
		return 1;
	case FG_LOAD:
		if (!red(s, f->refs[o->arg]) || !s->deep[REFIDX(f->refs[o->arg])] ||
		    REFKIND(f->refs[o->arg]) != RK_VAL) {
			snprintf(why, n, "a load from mutable memory (not deep-frozen)");
			return 1;
		}
		fg_vpush(deps, f->refs[o->arg]);
		return 0;
	case FG_CALL:
		c = callof(s, f, o);
		if (c && c->kind == HC_INLINE)
			snprintf(why, n, "the red result of the inlined call of '%s'",
				r->specs[c->specs[0]].name);
		else
			snprintf(why, n, "the result of a residual call of '%s' (%s)",
				c && c->callee >= 0 ? r->m->funcs[c->callee].name : "a pointer",
				c ? ha_whytext[c->why] : "?");
		return 1;
	}
	if (!(fg_opinfo[o->op].props & (P_PURE | P_FOLD | P_HINT))) {
		snprintf(why, n, "the result of %s, which has a side effect", fg_opinfo[o->op].name);
		return 1;
	}
	for (k = 0; k < o->narg; k++)
		if (red(s, f->refs[o->arg + k]))
			fg_vpush(deps, f->refs[o->arg + k]);
	if (fg_vlen(*deps) == 0) {
		snprintf(why, n, "red by its rule");
		return 1;
	}
	return 0;
}

/* A red value that spec s returns, or REF_NONE. */
static Ref redreturn(const HaResult *r, const HaSpec *s)
{
	const FgFunc *f = &r->m->funcs[s->func];
	uint32_t b;

	for (b = 0; b < fg_vlen(f->blocks); b++)
		if (f->blocks[b].exit.kind == EX_RETURN && red(s, f->blocks[b].exit.cond))
			return f->blocks[b].exit.cond;
	return REF_NONE;
}

/* Breadth-first search from v to the nearest red origin; print the path.
 * An origin that is the red result of an inlined call continues into the
 * callee (up to `depth` levels). */
typedef struct {
	const HaSpec *spec; /* the caller's specialisation */
	const FgOp *call;   /* the call that inlined this one */
} Ctx;

static void explainred(FILE *out, const HaResult *r, const HaSpec *s, Ref v, int depth,
	const Ctx *ctx)
{
	const FgFunc *f = &r->m->funcs[s->func];
	uint32_t nv = fg_vlen(f->vals), head = 0, k;
	int32_t *from = fg_vnew(nv, sizeof(int32_t));
	Ref *queue = fg_vnew(0, sizeof(Ref)), *deps = fg_vnew(0, sizeof(Ref)), *path;
	char why[256], buf[128];
	Ref origin = REF_NONE;

	for (k = 0; k < nv; k++)
		from[k] = -2;
	from[REFIDX(v)] = -1;
	fg_vpush(&queue, v);
	while (head < fg_vlen(queue)) {
		Ref a = queue[head++];
		fg_vgrow(&deps, 0);
		if (reddeps(r, s, a, &deps, why, sizeof why)) {
			origin = a;
			break;
		}
		for (k = 0; k < fg_vlen(deps); k++)
			if (from[REFIDX(deps[k])] == -2) {
				from[REFIDX(deps[k])] = REFIDX(a);
				fg_vpush(&queue, deps[k]);
			}
	}
	path = fg_vnew(0, sizeof(Ref));
	for (k = REFIDX(origin); origin != REF_NONE; k = from[k]) {
		fg_vpush(&path, MKREF(RK_VAL, k));
		if (from[k] < 0)
			break;
	}
	for (k = fg_vlen(path); k-- > 1;) {
		putloc(out, r->m, vloc(f, path[k]));
		fprintf(out, "%s is red because it depends on ", vdesc(f, path[k], buf, sizeof buf));
		fprintf(out, "%s\n", vdesc(f, path[k - 1], buf, sizeof buf));
	}
	if (origin != REF_NONE) {
		const FgOp *o = fg_defop(f, origin);
		const HaCall *c = o && o->op == FG_CALL ? callof(s, f, o) : NULL;
		int param = !o && f->vals[REFIDX(origin)].block == 0;
		uint32_t pi = f->vals[REFIDX(origin)].index;
		int on = depth > 0 && ((c && c->kind == HC_INLINE) ||
			(param && ctx && pi + 1 < ctx->call->narg &&
			 red(ctx->spec, r->m->funcs[ctx->spec->func].refs[ctx->call->arg + pi + 1])));
		putloc(out, r->m, vloc(f, origin));
		fprintf(out, "%s is %s: %s\n", vdesc(f, origin, buf, sizeof buf),
			on ? "red" : "a red origin", why);
		for (k = 0; c && c->kind == HC_INLINE && k < fg_vlen(c->specs) && depth > 0; k++) {
			const HaSpec *cs = &r->specs[c->specs[k]];
			Ref rv = redreturn(r, cs);
			if (rv == REF_NONE)
				continue;
			Ctx in = {s, o};
			putloc(out, r->m, vloc(&r->m->funcs[cs->func], rv));
			fprintf(out, "in %s, the returned %s is red:\n", cs->name,
				vdesc(&r->m->funcs[cs->func], rv, buf, sizeof buf));
			explainred(out, r, cs, rv, depth - 1, &in);
			break;
		}
		if (on && param) {
			const FgFunc *cf = &r->m->funcs[ctx->spec->func];
			Ref a = cf->refs[ctx->call->arg + pi + 1];
			putloc(out, r->m, ctx->call->loc);
			fprintf(out, "in %s, the call passes %s for it:\n", ctx->spec->name,
				vdesc(cf, a, buf, sizeof buf));
			explainred(out, r, ctx->spec, a, depth - 1, NULL);
		}
	}
	fg_vfree(from);
	fg_vfree(queue);
	fg_vfree(deps);
	fg_vfree(path);
}

/* The rule that makes v green (v not required by a hint). */
static const char *greenrule(const HaResult *r, const HaSpec *s, Ref v, char *buf, size_t n)
{
	const FgFunc *f = &r->m->funcs[s->func];
	const FgVal *x = &f->vals[REFIDX(v)];
	const FgOp *o = fg_defop(f, v);
	const HaCall *c;

	if (!o)
		return x->block == 0 ? "a parameter that is green in this specialisation's key"
				     : "every incoming value is green";
	switch (o->op) {
	case FG_HPROMOTE:
		return "promoted by TS_PROMOTE (a run-time value becomes a compile-time constant)";
	case FG_LOAD:
		return "loaded at a green address through a deep-frozen pointer";
	case FG_CALL:
		c = callof(s, f, o);
		if (c && c->kind == HC_GREEN) {
			snprintf(buf, n, "the result of a green call (%s)", ha_whytext[c->why]);
			return buf;
		}
		if (c && c->kind == HC_INLINE) {
			snprintf(buf, n, "the green result of the inlined '%s'", r->specs[c->specs[0]].name);
			return buf;
		}
	}
	return "computed from green operands and constants";
}

static void explaingreen(FILE *out, const HaResult *r, const HaSpec *s, Ref v)
{
	const FgFunc *f = &r->m->funcs[s->func];
	uint32_t pf, fnum = s->func, steps = 0;
	Ref pv, cur = v;
	FgLoc hint;
	char buf[128], rb[200];

	if (!ha_fixedby(r, s->func, v, &hint, &pf, &pv)) {
		putloc(out, r->m, vloc(f, v));
		fprintf(out, "%s is green: %s\n", vdesc(f, v, buf, sizeof buf), greenrule(r, s, v, rb, sizeof rb));
		return;
	}
	putloc(out, r->m, vloc(f, v));
	fprintf(out, "%s is green: a hint requires it (the hint at %s:%u)\n",
		vdesc(f, v, buf, sizeof buf), fg_locfile(r->m, hint), hint.line);
	while (ha_fixedby(r, fnum, cur, &hint, &pf, &pv) && pv != REF_NONE && steps++ < 50) {
		const FgFunc *pfn = &r->m->funcs[pf];
		putloc(out, r->m, vloc(pfn, pv));
		fprintf(out, "needed by %s in '%s'\n", vdesc(pfn, pv, buf, sizeof buf), pfn->name);
		fnum = pf;
		cur = pv;
	}
}

static int samefile(const char *path, const char *want)
{
	size_t a = strlen(path), b = strlen(want);

	if (strcmp(path, want) == 0)
		return 1;
	return a > b && path[a - b - 1] == '/' && strcmp(path + a - b, want) == 0;
}

static int onthe(const HaResult *r, FgLoc l, const char *file, unsigned line)
{
	return l.line == line && samefile(fg_locfile(r->m, l), file);
}

static void explainval(FILE *out, const HaResult *r, const HaSpec *s, Ref v, int *n)
{
	char buf[128];
	const FgFunc *f = &r->m->funcs[s->func];

	fprintf(out, "%s in %s: %s\n", vdesc(f, v, buf, sizeof buf), s->name,
		s->col[REFIDX(v)] == BT_GREEN ? "green" : "red");
	if (s->col[REFIDX(v)] == BT_GREEN)
		explaingreen(out, r, s, v);
	else
		explainred(out, r, s, v, 4, NULL);
	(*n)++;
}

int ha_explain(FILE *out, const HaResult *r, const char *file, unsigned line)
{
	uint32_t i, b, k;
	int n = 0;

	for (i = 0; i < fg_vlen(r->specs); i++) {
		const HaSpec *s = &r->specs[i];
		const FgFunc *f = &r->m->funcs[s->func];
		for (b = 0; b < fg_vlen(f->blocks); b++) {
			const FgBlock *bl = &f->blocks[b];
			FgLoc first = fg_vlen(bl->ops) ? bl->ops[0].loc : bl->exit.loc;
			if (b == 0)
				first = f->loc;
			if (onthe(r, first, file, line))
				for (k = 0; k < fg_vlen(bl->args); k++)
					explainval(out, r, s, bl->args[k], &n);
			for (k = 0; k < fg_vlen(bl->ops); k++)
				if (bl->ops[k].res != REF_NONE && onthe(r, bl->ops[k].loc, file, line))
					explainval(out, r, s, bl->ops[k].res, &n);
		}
	}
	return n;
}
