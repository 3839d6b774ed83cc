/* fix.c: fixing (phase 2, see annotate.c): the values the hints require
 * green, propagated backwards; an unsatisfiable requirement is reported
 * with the chain of values from the hint down to the red origin. */
#include <string.h>
#include "haint.h"

static const char *valname(const FgFunc *f, Ref v, char *buf, size_t n)
{
	const FgVal *x;
	const FgOp *o;

	if (REFKIND(v) != RK_VAL) {
		snprintf(buf, n, "a constant");
		return buf;
	}
	x = &f->vals[REFIDX(v)];
	o = fg_defop(f, v);
	if (x->name && x->name[0] && o)
		snprintf(buf, n, "'%s' (%s)", x->name, fg_opinfo[o->op].name);
	else if (x->name && x->name[0])
		snprintf(buf, n, "'%s'", x->name);
	else if (o)
		snprintf(buf, n, "the %s", fg_opinfo[o->op].name);
	else
		snprintf(buf, n, "argument %u of block %u", x->index, x->block);
	return buf;
}

/* A source position for value v: its op, the first op or exit of its block
 * for a block argument, the function for a parameter. */
static FgLoc valpos(const FgFunc *f, Ref v)
{
	const FgVal *x;
	const FgBlock *bl;
	const FgOp *o = fg_defop(f, v);

	if (o)
		return o->loc;
	if (REFKIND(v) != RK_VAL)
		return f->loc;
	x = &f->vals[REFIDX(v)];
	if (x->block == 0)
		return f->loc;
	bl = &f->blocks[x->block];
	return fg_vlen(bl->ops) ? bl->ops[0].loc : bl->exit.loc;
}

static void printloc(const FgModule *m, FgLoc loc)
{
	fprintf(stderr, "%s:%u: ", loc.file ? fg_locfile(m, loc) : "?", loc.line);
}

/* Report a failed fix of (f, v): the hint, the chain, the origin. */
static void fixerror(HaResult *r, Priv *p, uint32_t fnum, Ref v, const char *origin)
{
	const FgModule *m = r->m;
	Work *chain = fg_vnew(0, sizeof(Work));
	Work w = {fnum, v};
	Parent pa;
	Seed *s;
	const FgOp *hint;
	char buf[160];
	size_t k;

	for (;;) {
		fg_vpush(&chain, w);
		pa = p->par[w.func][REFIDX(w.val)];
		if (pa.val == REF_NONE)
			break;
		w.func = pa.func;
		w.val = pa.val;
		if (fg_vlen(chain) > 100000)
			break;
	}
	s = &p->seeds[pa.seed];
	if (s->failed) {
		fg_vfree(chain);
		return;
	}
	s->failed = 1;
	hint = opat(&m->funcs[s->func], s->block, s->op);
	fg_error(m, hint->loc, "%s: a value that must be green depends on a red value",
		hint->op == FG_HGREEN ? "TS_GREEN" : "TS_MERGE_POINT");
	for (k = fg_vlen(chain); k-- > 0;) {
		const FgFunc *f = &m->funcs[chain[k].func];
		const FgVal *x = &f->vals[REFIDX(chain[k].val)];
		printloc(m, valpos(f, chain[k].val));
		if (x->kind == VK_ARG && x->block == 0)
			fprintf(stderr, "note: parameter %s of '%s' must be green\n",
				valname(f, chain[k].val, buf, sizeof buf), f->name);
		else if (x->kind == VK_ARG)
			fprintf(stderr, "note: %s, joined at block %u of '%s', must be green\n",
				valname(f, chain[k].val, buf, sizeof buf), x->block, f->name);
		else
			fprintf(stderr, "note: %s in '%s' must be green\n",
				valname(f, chain[k].val, buf, sizeof buf), f->name);
	}
	printloc(m, valpos(&m->funcs[fnum], v));
	fprintf(stderr, "note: red origin: %s\n", origin);
	fg_vfree(chain);
}

/* Require (fnum, a) green because of `from` (REF_NONE with seed index). */
static void fix(HaResult *r, Priv *p, uint32_t fnum, Ref a, uint32_t ffrom, Ref from, uint32_t seed)
{
	uint32_t v;
	Work w = {fnum, a};

	if (REFKIND(a) != RK_VAL)
		return;
	v = REFIDX(a);
	if (r->fixed[fnum][v])
		return;
	r->fixed[fnum][v] = 1;
	p->par[fnum][v].func = ffrom;
	p->par[fnum][v].val = from;
	p->par[fnum][v].seed = seed;
	fg_vpush(&p->work, w);
}

/* Fix the returned values of function c. */
static void fixreturns(HaResult *r, Priv *p, uint32_t c, uint32_t ffrom, Ref from)
{
	const FgFunc *f = &r->m->funcs[c];
	uint32_t b, seed = p->par[ffrom][REFIDX(from)].seed;

	if (r->retfixed[c])
		return;
	r->retfixed[c] = 1;
	for (b = 0; b < fg_vlen(f->blocks); b++)
		if (f->blocks[b].exit.kind == EX_RETURN)
			fix(r, p, c, f->blocks[b].exit.cond, ffrom, from, seed);
}

static void fixcall(HaResult *r, Priv *p, uint32_t fnum, Ref a, const FgOp *o)
{
	const FgFunc *f = &r->m->funcs[fnum];
	int32_t c = ha_directcallee(f, o);
	uint32_t k, seed = p->par[fnum][REFIDX(a)].seed;
	uint8_t why;
	char buf[200];

	if (c < 0) {
		fixerror(r, p, fnum, a, "result of an indirect call");
		return;
	}
	if (c != (int32_t)r->portal && ha_policy(r, p, c, &why) == HC_INLINE) {
		fixreturns(r, p, c, fnum, a);
		return;
	}
	if (c != (int32_t)r->portal && p->pure[c]) {
		for (k = 1; k < o->narg; k++)
			fix(r, p, fnum, operand(f, o, k), fnum, a, seed);
		return;
	}
	ha_policy(r, p, c, &why);
	snprintf(buf, sizeof buf, "result of a residual call of '%s' (%s)", r->m->funcs[c].name,
		ha_whytext[why]);
	fixerror(r, p, fnum, a, buf);
}

/* Fixing a parameter fixes the actual argument at every call site. */
static void fixparam(HaResult *r, Priv *p, uint32_t fnum, Ref a, uint32_t k)
{
	const Site *s = p->callers[fnum];
	uint32_t j, seed = p->par[fnum][REFIDX(a)].seed;
	const FgFunc *fn = &r->m->funcs[fnum];

	if (fnum == r->portal)
		return; /* a green argument of the portal: keys the code cache */
	for (j = 0; j < fg_vlen(s); j++) {
		const FgFunc *cf = &r->m->funcs[s[j].func];
		const FgOp *o = opat(cf, s[j].block, s[j].op);
		if (r->reach[s[j].func] && k + 1 < o->narg)
			fix(r, p, s[j].func, operand(cf, o, k + 1), fnum, a, seed);
	}
	if (p->taken[fnum]) {
		for (j = 0; j < fg_vlen(p->indirect); j++) {
			const Site *t = &p->indirect[j];
			const FgFunc *cf = &r->m->funcs[t->func];
			const FgOp *o = opat(cf, t->block, t->op);
			if (o->narg == fg_vlen(fn->params) + 1)
				fix(r, p, t->func, operand(cf, o, k + 1), fnum, a, seed);
		}
	}
}

/* Propagate the fixing of one value to what it depends on. */
static void fixstep(HaResult *r, Priv *p, Work w)
{
	const FgModule *m = r->m;
	const FgFunc *f = &m->funcs[w.func];
	const FnInfo *fi = &p->fi[w.func];
	const FgVal *x = &f->vals[REFIDX(w.val)];
	uint32_t k, seed = p->par[w.func][REFIDX(w.val)].seed;
	const FgOp *o;

	if (x->kind == VK_ARG && x->block == 0) {
		fixparam(r, p, w.func, w.val, x->index);
		return;
	}
	if (x->kind == VK_ARG) {
		if ((int32_t)w.func == r->mpfunc && x->block == r->mphead && !fi->listed[REFIDX(w.val)]) {
			fixerror(r, p, w.func, w.val,
				"a loop-carried value of the global merge point that TS_MERGE_POINT does not list");
			return;
		}
		for (k = fi->predoff[x->block]; k < fi->predoff[x->block + 1]; k++) {
			const FgLink *l = &f->links[fi->predlink[k]];
			if (x->index < l->narg)
				fix(r, p, w.func, f->refs[l->arg + x->index], w.func, w.val, seed);
		}
		return;
	}
	o = fg_defop(f, w.val);
	switch (o->op) {
	case FG_HPROMOTE:
		return;
	case FG_LOAD:
		if (ha_refdeep(m, f, fi, operand(f, o, 0)))
			fix(r, p, w.func, operand(f, o, 0), w.func, w.val, seed);
		else
			fixerror(r, p, w.func, w.val, "a load from mutable memory (not deep-frozen)");
		return;
	case FG_ALLOCA:
		fixerror(r, p, w.func, w.val, "the address of stack memory (an alloca)");
		return;
	case FG_CALL:
		fixcall(r, p, w.func, w.val, o);
		return;
	}
	if (!(fg_opinfo[o->op].props & (P_PURE | P_FOLD | P_HINT))) {
		fixerror(r, p, w.func, w.val, "an operation with a side effect");
		return;
	}
	for (k = 0; k < o->narg; k++)
		fix(r, p, w.func, operand(f, o, k), w.func, w.val, seed);
}

/* Mark the values a merge point lists, through casts and copies. */
static void marklisted(HaResult *r, Priv *p, const FgOp *o)
{
	const FgFunc *f = &r->m->funcs[r->mpfunc];
	FnInfo *fi = &p->fi[r->mpfunc];
	uint32_t k;

	for (k = 0; k < o->narg; k++) {
		Ref a = operand(f, o, k);
		const FgOp *d;
		while (REFKIND(a) == RK_VAL) {
			fi->listed[REFIDX(a)] = 1;
			d = fg_defop(f, a);
			if (!d || !((fg_opinfo[d->op].props & P_CAST) || d->op == FG_COPY ||
				    d->op == FG_HGREEN || d->op == FG_HDEEPFREEZE))
				break;
			a = operand(f, d, 0);
		}
	}
}

static int mpargsok(const FgFunc *f, const FgOp *o)
{
	uint32_t k;

	for (k = 0; k < o->narg; k++) {
		FgType t = fg_reftype(f, operand(f, o, k));
		if (t == TY_VOID || t == TY_F32 || t == TY_F64)
			return 0;
	}
	return 1;
}

/* Find the hints; check the merge point; returns errors found. */
int ha_findhints(HaResult *r, Priv *p)
{
	const FgModule *m = r->m;
	uint32_t f, b, i, nf = nfuncs(m);
	int err = 0;

	for (f = 0; f < nf; f++) {
		const FgFunc *fn = &m->funcs[f];
		if (!defined(fn))
			continue;
		for (b = 0; b < fg_vlen(fn->blocks); b++)
			for (i = 0; i < fg_vlen(fn->blocks[b].ops); i++) {
				const FgOp *o = opat(fn, b, i);
				Seed s = {f, b, i, 0};
				if (o->op == FG_MERGEPOINT) {
					if (f != r->portal) {
						err += fg_error(m, o->loc, "TS_MERGE_POINT outside the portal '%s' (in '%s')",
							m->funcs[r->portal].name, fn->name) < 0;
						continue;
					}
					if (r->mpfunc >= 0) {
						const FgOp *first = opat(fn, r->mpblock, r->mpop);
						err += fg_error(m, o->loc, "duplicate TS_MERGE_POINT (the first is at %s:%u)",
							fg_locfile(m, first->loc), first->loc.line) < 0;
						continue;
					}
					if (o->narg < 1 || o->narg > 8) {
						err += fg_error(m, o->loc, "TS_MERGE_POINT lists %u values (1 to 8)",
							o->narg) < 0;
						continue;
					}
					if (!mpargsok(fn, o)) {
						err += fg_error(m, o->loc, "TS_MERGE_POINT values must be integers or pointers") < 0;
						continue;
					}
					r->mpfunc = f;
					r->mpblock = b;
					r->mpop = i;
					fg_vpush(&p->seeds, s);
				} else if (o->op == FG_HGREEN && r->reach[f]) {
					fg_vpush(&p->seeds, s);
				}
			}
	}
	return err;
}

/* The innermost loop holding the merge point's block gives its head. */
void ha_findmphead(HaResult *r, Priv *p)
{
	const FnInfo *fi;
	uint32_t h, best = 0, bestn = ~0u, w, n;

	r->mphead = r->mpblock;
	if (r->mpfunc < 0)
		return;
	fi = &p->fi[r->mpfunc];
	for (h = 0; h < fg_vlen(fi->heads); h++) {
		if (!inloop(fi, h, r->mpblock))
			continue;
		for (n = 0, w = 0; w < fi->words; w++)
			n += __builtin_popcountll(fi->member[h * fi->words + w]);
		if (n < bestn)
			bestn = n, best = fi->heads[h];
	}
	if (bestn != ~0u)
		r->mphead = best;
}

int ha_fixall(HaResult *r, Priv *p)
{
	const FgModule *m = r->m;
	uint32_t s, k;
	int before = fg_nerrors;

	if (r->mpfunc >= 0)
		marklisted(r, p, opat(&m->funcs[r->mpfunc], r->mpblock, r->mpop));
	for (s = 0; s < fg_vlen(p->seeds); s++) {
		const Seed *sd = &p->seeds[s];
		const FgFunc *f = &m->funcs[sd->func];
		const FgOp *o = opat(f, sd->block, sd->op);
		for (k = 0; k < o->narg; k++)
			fix(r, p, sd->func, operand(f, o, k), sd->func, REF_NONE, s);
		while (fg_vlen(p->work)) {
			Work w = p->work[fg_vlen(p->work) - 1];
			fg_vgrow(&p->work, fg_vlen(p->work) - 1);
			fixstep(r, p, w);
		}
	}
	return fg_nerrors - before;
}
