/* colour.c: colouring (phase 3, see annotate.c): specialisations made on
 * demand and coloured to a fixpoint, then their op colours, calls, exits,
 * merge points and virtualisation candidates; dropping the keys no live
 * call uses; the self-check of the invariants. */
#include <string.h>
#include "haint.h"


/* A loop whose exit is decided by a red value: some block of it has a red
 * branch or switch with a successor outside the loop. */
static int redcontrolled(const FgFunc *f, const FnInfo *fi, const uint8_t *col, uint32_t h)
{
	uint32_t k;

	for (k = fi->exitoff[h]; k < fi->exitoff[h + 1]; k++) {
		const FgExit *e = &f->blocks[fi->exitblk[k]].exit;
		if ((e->kind == EX_BRANCH || e->kind == EX_SWITCH) && colof(f, col, e->cond) == BT_RED)
			return 1;
	}
	return 0;
}

/* Is argument k of loop head b loop-invariant: every incoming value is
 * either the argument itself or one same value? */
static int invariant(const FgFunc *f, const FnInfo *fi, uint32_t b, uint32_t k)
{
	Ref self = f->blocks[b].args[k], other = REF_NONE;
	uint32_t j;

	for (j = fi->predoff[b]; j < fi->predoff[b + 1]; j++) {
		const FgLink *l = &f->links[fi->predlink[j]];
		Ref a = k < l->narg ? f->refs[l->arg + k] : REF_NONE;
		if (a == self)
			continue;
		if (other != REF_NONE && a != other)
			return 0;
		other = a;
	}
	return 1;
}

/* Colour of block argument k of block b (values green so far in col). */
static int argcol(const HaResult *r, const Priv *p, uint32_t fnum, const uint8_t *key,
	const uint8_t *col, uint32_t b, uint32_t k)
{
	const FgFunc *f = &r->m->funcs[fnum];
	const FnInfo *fi = &p->fi[fnum];
	Ref a = f->blocks[b].args[k];
	uint32_t j;

	if (r->fixed[fnum][REFIDX(a)])
		return BT_GREEN;
	if (b == 0)
		return k < fg_vlen(key) ? key[k] : BT_RED;
	if ((int32_t)fnum == r->mpfunc && b == r->mphead)
		return BT_RED;
	if (fi->headof[b] >= 0 && !invariant(f, fi, b, k) && redcontrolled(f, fi, col, fi->headof[b]))
		return BT_RED;
	for (j = fi->predoff[b]; j < fi->predoff[b + 1]; j++) {
		const FgLink *l = &f->links[fi->predlink[j]];
		if (k < l->narg && colof(f, col, f->refs[l->arg + k]) == BT_RED)
			return BT_RED;
	}
	return BT_GREEN;
}

static int allargsgreen(const FgFunc *f, const uint8_t *col, const FgOp *o)
{
	uint32_t k;

	for (k = 1; k < o->narg; k++)
		if (colof(f, col, operand(f, o, k)) == BT_RED)
			return 0;
	return 1;
}

/* Classify a call op with the current colours.  Fills c (kind, why, callee,
 * specs) and returns the colour of its result. */
static int classify(HaResult *r, Priv *p, uint32_t fnum, const uint8_t *col, const FgOp *o,
	HaCall *c)
{
	const FgModule *m = r->m;
	const FgFunc *f = &m->funcs[fnum];
	int32_t callee = ha_directcallee(f, o), s;
	uint32_t k, t, nf = nfuncs(m);
	uint8_t *key;
	int res = BT_GREEN;

	c->callee = callee;
	fg_vgrow(&c->specs, 0);
	if (callee < 0 && o->narg && colof(f, col, operand(f, o, 0)) == BT_RED) {
		c->kind = HC_RESIDUAL, c->why = HW_REDPTR;
		return BT_RED;
	}
	if (callee >= 0 && callee != (int32_t)r->portal && p->pure[callee] && allargsgreen(f, col, o)) {
		c->kind = HC_GREEN;
		c->why = (m->funcs[callee].flags & FN_ELIDABLE) ? HW_ELIDABLE : HW_PURE;
		return BT_GREEN;
	}
	key = fg_vnew(o->narg ? o->narg - 1 : 0, 1);
	for (k = 1; k < o->narg; k++)
		key[k - 1] = colof(f, col, operand(f, o, k));
	c->kind = HC_INLINE;
	c->why = callee >= 0 ? HW_SMALL : HW_GREENPTR;
	for (t = 0; t < nf; t++) {
		uint8_t why;
		const FgFunc *tf = &m->funcs[t];
		if (callee >= 0 ? t != (uint32_t)callee
				: !(p->taken[t] && defined(tf) && fg_vlen(tf->params) + 1 == o->narg))
			continue;
		if (ha_policy(r, p, t, &why) != HC_INLINE) {
			c->kind = HC_RESIDUAL, c->why = why;
			break;
		}
		s = ha_getspec(r, p, t, key, fg_vlen(key));
		if (s < 0) {
			c->kind = HC_RESIDUAL, c->why = HW_RECURSIVE;
			break;
		}
		fg_vpush(&c->specs, s);
		if (r->specs[s].retcol == BT_RED)
			res = BT_RED;
	}
	if (c->kind == HC_INLINE && fg_vlen(c->specs) == 0)
		c->kind = HC_RESIDUAL, c->why = HW_REDPTR;
	fg_vfree(key);
	if (c->kind == HC_RESIDUAL) {
		fg_vgrow(&c->specs, 0);
		return BT_RED;
	}
	return res;
}

/* Colour of the result of op o (generic: a promotion made a copy). */
static int opcolour(HaResult *r, Priv *p, uint32_t fnum, const uint8_t *col, const FgOp *o,
	HaCall *scratch, int generic)
{
	const FgFunc *f = &r->m->funcs[fnum];
	uint32_t k;

	if (r->fixed[fnum][REFIDX(o->res)])
		return BT_GREEN;
	switch (o->op) {
	case FG_HPROMOTE:
		return generic ? colof(f, col, operand(f, o, 0)) : BT_GREEN;
	case FG_HGREEN:
		return BT_GREEN;
	case FG_ALLOCA:
		return BT_RED;
	case FG_LOAD:
		return ha_refdeep(r->m, f, &p->fi[fnum], operand(f, o, 0)) ?
			colof(f, col, operand(f, o, 0)) : BT_RED;
	case FG_CALL:
		return classify(r, p, fnum, col, o, scratch);
	}
	if (!(fg_opinfo[o->op].props & (P_PURE | P_FOLD | P_HINT)))
		return BT_RED;
	for (k = 0; k < o->narg; k++)
		if (colof(f, col, operand(f, o, k)) == BT_RED)
			return BT_RED;
	return BT_GREEN;
}

/* Colour spec s to its fixpoint. */
static void colourspec(HaResult *r, Priv *p, int32_t s)
{
	uint32_t fnum = r->specs[s].func, b, i;
	const FgFunc *f = &r->m->funcs[fnum];
	uint8_t *col = r->specs[s].col, *key = r->specs[s].key;
	HaCall scratch = {0};
	int changed = 1;

	scratch.specs = fg_vnew(0, sizeof(int32_t));
	memset(col, BT_GREEN, fg_vlen(f->vals));
	while (changed) {
		changed = 0;
		for (b = 0; b < fg_vlen(f->blocks); b++) {
			const FgBlock *bl = &f->blocks[b];
			for (i = 0; i < fg_vlen(bl->args); i++) {
				uint32_t v = REFIDX(bl->args[i]);
				if (col[v] == BT_GREEN && argcol(r, p, fnum, key, col, b, i) == BT_RED)
					col[v] = BT_RED, changed = 1;
			}
			for (i = 0; i < fg_vlen(bl->ops); i++) {
				const FgOp *o = &bl->ops[i];
				if (o->res == REF_NONE) {
					if (o->op == FG_CALL)
						classify(r, p, fnum, col, o, &scratch);
					continue;
				}
				if (col[REFIDX(o->res)] == BT_GREEN &&
				    opcolour(r, p, fnum, col, o, &scratch,
				             r->specs[s].redop == (int32_t)(p->fi[fnum].opbase[b] + i)) == BT_RED)
					col[REFIDX(o->res)] = BT_RED, changed = 1;
			}
		}
	}
	fg_vfree(scratch.specs);
}

/* May the pointer `root` of spec s be kept virtual: is it used only at
 * green offsets, by loads, stores (as the address), copies with green
 * lengths and inlined calls that do the same? */
static int virtualok(HaResult *r, Priv *p, int32_t s, Ref root, int depth);

static int useok(HaResult *r, Priv *p, int32_t s, const FgOp *o, uint32_t k, uint8_t *in,
	int depth, int *grew)
{
	const HaSpec *sp = &r->specs[s];
	const FgFunc *f = &r->m->funcs[sp->func];
	uint32_t j;

	switch (o->op) {
	case FG_PTRADD:
		if (k != 0 || colof(f, sp->col, operand(f, o, 1)) == BT_RED)
			return 0;
		/* fallthrough */
	case FG_COPY:
	case FG_BITCAST:
	case FG_HDEEPFREEZE:
		if (!in[REFIDX(o->res)])
			in[REFIDX(o->res)] = 1, *grew = 1;
		return 1;
	case FG_HVIRTUALIZABLE:
		return 1;
	case FG_LOAD:
		return k == 0;
	case FG_STORE:
		return k == 0;
	case FG_MEMSET:
		return k == 0 && colof(f, sp->col, operand(f, o, 2)) == BT_GREEN;
	case FG_MEMCPY:
	case FG_MEMMOVE:
		return k < 2 && colof(f, sp->col, operand(f, o, 2)) == BT_GREEN;
	case FG_CALL: {
		const HaCall *c = NULL;
		int32_t callee = ha_directcallee(f, o);
		if (k == 0)
			return 0;
		if (callee >= 0 && strcmp(r->m->funcs[callee].name, "free") == 0)
			return 1;
		for (j = 0; j < fg_vlen(sp->calls); j++)
			if (&f->blocks[sp->calls[j].block].ops[sp->calls[j].op] == o)
				c = &sp->calls[j];
		if (!c || c->kind != HC_INLINE)
			return 0;
		for (j = 0; j < fg_vlen(c->specs); j++) {
			const FgFunc *tf = &r->m->funcs[r->specs[c->specs[j]].func];
			if (k - 1 >= fg_vlen(tf->blocks[0].args) ||
			    !virtualok(r, p, c->specs[j], tf->blocks[0].args[k - 1], depth + 1))
				return 0;
		}
		return 1;
	}
	}
	return 0;
}

static int virtualok(HaResult *r, Priv *p, int32_t s, Ref root, int depth)
{
	const FgFunc *f = &r->m->funcs[r->specs[s].func];
	uint8_t *in;
	uint32_t b, i, k;
	int grew = 1, ok = 1;

	if (depth > 8)
		return 0;
	in = fg_vnew(fg_vlen(f->vals), 1);
	in[REFIDX(root)] = 1;
	while (grew && ok) {
		grew = 0;
		for (b = 0; b < fg_vlen(f->blocks) && ok; b++) {
			const FgBlock *bl = &f->blocks[b];
			const FgExit *e = &bl->exit;
			for (i = 0; i < fg_vlen(bl->ops) && ok; i++) {
				const FgOp *o = &bl->ops[i];
				for (k = 0; k < o->narg && ok; k++) {
					Ref a = operand(f, o, k);
					if (REFKIND(a) == RK_VAL && in[REFIDX(a)])
						ok = useok(r, p, s, o, k, in, depth, &grew);
				}
			}
			if (REFKIND(e->cond) == RK_VAL && in[REFIDX(e->cond)])
				ok = 0;
			for (k = e->link; k < e->link + e->nlink && ok; k++)
				for (i = 0; i < f->links[k].narg; i++) {
					Ref a = f->refs[f->links[k].arg + i];
					if (REFKIND(a) == RK_VAL && in[REFIDX(a)])
						ok = 0;
				}
		}
	}
	fg_vfree(in);
	return ok;
}

static int malloclike(const HaResult *r, const FgFunc *f, const FgOp *o)
{
	int32_t c = ha_directcallee(f, o);
	const char *n;

	if (c < 0 || defined(&r->m->funcs[c]) || o->res == REF_NONE)
		return 0;
	n = r->m->funcs[c].name;
	return strcmp(n, "malloc") == 0 || strcmp(n, "calloc") == 0;
}

/* Does loop h of spec sp hold a split (a red exit, a promotion, or an
 * inlined call whose callee splits)?  splitblk: per block, it splits. */
static int holdsplit(const FnInfo *fi, const uint8_t *splitblk, uint32_t h)
{
	int32_t b;

	for (b = ha_nextin(fi, h, 0); b >= 0; b = ha_nextin(fi, h, b + 1))
		if (splitblk[b])
			return 1;
	return 0;
}

/* Mark the joins of spec sp: blocks in no loop with two or more incoming
 * links that a split (splitblk) reaches, so the paths of the split meet
 * there (HM_JOIN) and the code after it, up to the return, is compiled
 * once instead of once per path. */
static void markjoins(HaSpec *sp, const FgFunc *f, const FnInfo *fi, const uint8_t *splitblk)
{
	uint32_t nb = fg_vlen(f->blocks), b, h, k, n = 0;
	uint8_t *seen = fg_vnew(nb, 1);
	uint32_t *work = fg_vnew(nb, sizeof(uint32_t));

	for (b = 0; b < nb; b++)
		if (splitblk[b])
			work[n++] = b;
	while (n > 0) {
		const FgExit *e = &f->blocks[work[--n]].exit;
		for (k = e->link; k < e->link + e->nlink; k++) {
			uint32_t t = f->links[k].target;
			if (!seen[t])
				seen[t] = 1, work[n++] = t;
		}
	}
	for (b = 0; b < nb; b++) {
		int loop = 0;
		for (h = 0; h < fg_vlen(fi->heads); h++)
			loop |= inloop(fi, h, b);
		if (seen[b] && !loop && !sp->merge[b] && fi->predoff[b + 1] - fi->predoff[b] >= 2)
			sp->merge[b] |= HM_JOIN;
	}
	fg_vfree(seen);
	fg_vfree(work);
}

/* After the colours settle: op colours, calls, exits, merges, virtuals. */
static void finishspec(HaResult *r, Priv *p, int32_t s)
{
	HaSpec *sp = &r->specs[s];
	uint32_t fnum = sp->func, b, i, h;
	const FgFunc *f = &r->m->funcs[fnum];
	const FnInfo *fi = &p->fi[fnum];
	uint8_t split = 0, *splitblk;

	for (b = 0; b < fg_vlen(f->blocks); b++) {
		const FgBlock *bl = &f->blocks[b];
		const FgExit *e = &bl->exit;
		for (i = 0; i < fg_vlen(bl->ops); i++) {
			const FgOp *o = &bl->ops[i];
			uint8_t *oc = &sp->opcol[fi->opbase[b] + i];
			if (o->op == FG_CALL) {
				HaCall c = {b, i, 0, 0, -1, fg_vnew(0, sizeof(int32_t))};
				classify(r, p, fnum, sp->col, o, &c);
				sp = &r->specs[s];
				*oc = c.kind == HC_GREEN ? OC_GREEN : c.kind == HC_INLINE ? OC_INLINE : OC_RED;
				fg_vpush(&sp->calls, c);
			} else if (o->op == FG_HPROMOTE && sp->redop != (int32_t)(fi->opbase[b] + i)) {
				*oc = OC_PROMOTE;
				split = 1;
			} else if (o->op == FG_HPROMOTE) { /* a copy */
				*oc = sp->col[REFIDX(o->res)] == BT_GREEN ? OC_GREEN : OC_RED;
			} else if (fg_opinfo[o->op].props & P_HINT) {
				*oc = OC_HINT;
			} else if (o->res != REF_NONE) {
				*oc = sp->col[REFIDX(o->res)] == BT_GREEN ? OC_GREEN : OC_RED;
			} else {
				*oc = OC_RED;
			}
			if (o->op == FG_HVIRTUALIZABLE)
				sp->vframe = operand(f, o, 0);
		}
		if (e->kind == EX_BRANCH || e->kind == EX_SWITCH) {
			sp->exit[b] = colof(f, sp->col, e->cond) == BT_GREEN ? HX_GREEN : HX_SPLIT;
			split |= sp->exit[b] == HX_SPLIT;
		} else {
			sp->exit[b] = e->kind == EX_RETURN ? HX_RETURN : HX_GOTO;
		}
		if (e->kind == EX_RETURN && REFKIND(e->cond) == RK_VAL && sp->col[REFIDX(e->cond)] == BT_RED)
			sp->retcol = BT_RED;
	}
	splitblk = fg_vnew(fg_vlen(f->blocks), 1);
	for (b = 0; b < fg_vlen(f->blocks); b++) {
		splitblk[b] = sp->exit[b] == HX_SPLIT;
		for (i = 0; i < fg_vlen(f->blocks[b].ops); i++)
			splitblk[b] |= sp->opcol[fi->opbase[b] + i] == OC_PROMOTE;
	}
	for (i = 0; i < fg_vlen(sp->calls); i++)
		for (h = 0; h < fg_vlen(sp->calls[i].specs); h++)
			if (p->split[sp->calls[i].specs[h]])
				splitblk[sp->calls[i].block] = split = 1;
	fg_vgrow(&p->split, fg_vlen(r->specs));
	p->split[s] = split;
	for (h = 0; h < fg_vlen(fi->heads); h++) {
		b = fi->heads[h];
		sp->merge[b] |= HM_HEAD;
		if (holdsplit(fi, splitblk, h))
			sp->merge[b] |= HM_LOOP;
	}
	if ((int32_t)fnum == r->mpfunc) {
		sp->merge[r->mpblock] |= HM_GLOBAL;
	}
	markjoins(sp, f, fi, splitblk);
	fg_vfree(splitblk);
	for (b = 0; b < fg_vlen(f->blocks); b++)
		for (i = 0; i < fg_vlen(f->blocks[b].ops); i++) {
			const FgOp *o = opat(f, b, i);
			if (o->op == FG_ALLOCA || malloclike(r, f, o))
				r->specs[s].virt[fi->opbase[b] + i] = virtualok(r, p, s, o->res, 0);
		}
}

static int32_t getspec(HaResult *r, Priv *p, uint32_t fnum, const uint8_t *key, uint32_t nkey,
	int32_t redop);

/* The specialisation of function fnum for key (nkey colours: missing
 * arguments are red), made on demand; -1 if it is being analysed (a
 * recursion the call graph did not show). */
int32_t ha_getspec(HaResult *r, Priv *p, uint32_t fnum, const uint8_t *key, uint32_t nkey)
{
	return getspec(r, p, fnum, key, nkey, -1);
}

static const char *checkspec(const HaResult *r, const HaSpec *sp);

/* Generic variants: for every promotion site of every spec, a copy of the
 * spec coloured with that TS_PROMOTE a plain copy (its callees are
 * ordinary specs): the code the runtime compiles once for all the values
 * of a megamorphic site past TS_MAXCASES (docs/timeshift.md §4).  Kept
 * (gvar) only when consistent (a hint may need the promoted value green,
 * e.g. an interpreter's pc: then the site has no generic path) and when
 * its result is green only where the spec's is. */
void ha_generics(HaResult *r, Priv *p)
{
	uint32_t s, k;

	for (s = 0; s < fg_vlen(r->specs); s++) {
		if (r->specs[s].redop >= 0)
			continue;
		for (k = 0; k < fg_vlen(r->specs[s].opcol); k++) {
			int32_t g;
			if (r->specs[s].opcol[k] != OC_PROMOTE)
				continue;
			g = getspec(r, p, r->specs[s].func, r->specs[s].key, fg_vlen(r->specs[s].key), (int32_t)k);
			if (g >= 0 && !checkspec(r, &r->specs[g]) &&
			    (r->specs[s].retcol == BT_RED || r->specs[g].retcol == BT_GREEN))
				r->specs[s].gvar[k] = g;
		}
	}
}

static int32_t getspec(HaResult *r, Priv *p, uint32_t fnum, const uint8_t *key, uint32_t nkey,
	int32_t redop)
{
	const FgFunc *f = &r->m->funcs[fnum];
	uint32_t np = fg_vlen(f->params), k, nb = fg_vlen(f->blocks);
	uint32_t nops = p->fi[fnum].nops;
	int32_t s;
	HaSpec sp = {0};

	sp.key = fg_vnew(np, 1);
	for (k = 0; k < np; k++)
		sp.key[k] = (k < nkey && key[k]) || (k < fg_vlen(f->blocks[0].args) &&
			r->fixed[fnum][REFIDX(f->blocks[0].args[k])]);
	for (s = 0; s < (int32_t)fg_vlen(r->specs); s++) {
		HaSpec *o = &r->specs[s];
		if (o->func == fnum && o->redop == redop && memcmp(o->key, sp.key, np) == 0) {
			fg_vfree(sp.key);
			return o->busy ? -1 : s;
		}
	}
	sp.func = fnum;
	sp.name = f->name;
	sp.retgreen = r->retfixed[fnum];
	sp.retcol = BT_GREEN;
	sp.col = fg_vnew(fg_vlen(f->vals), 1);
	sp.deep = fg_vdup(p->fi[fnum].deep);
	sp.opbase = fg_vdup(p->fi[fnum].opbase);
	sp.opcol = fg_vnew(nops, 1);
	sp.virt = fg_vnew(nops, 1);
	sp.exit = fg_vnew(nb, 1);
	sp.merge = fg_vnew(nb, 1);
	sp.calls = fg_vnew(0, sizeof(HaCall));
	sp.vframe = REF_NONE;
	sp.busy = 1;
	sp.redop = redop;
	sp.gvar = fg_vnew(nops, sizeof(int32_t));
	for (k = 0; k < nops; k++)
		sp.gvar[k] = -1;
	fg_vpush(&r->specs, sp);
	s = fg_vlen(r->specs) - 1;
	colourspec(r, p, s);
	finishspec(r, p, s);
	r->specs[s].busy = 0;
	return s;
}

void ha_freespec(HaSpec *s)
{
	uint32_t i;

	fg_vfree(s->key);
	fg_vfree(s->col);
	fg_vfree(s->deep);
	fg_vfree(s->opbase);
	fg_vfree(s->opcol);
	fg_vfree(s->virt);
	fg_vfree(s->exit);
	fg_vfree(s->merge);
	fg_vfree(s->gvar);
	for (i = 0; i < fg_vlen(s->calls); i++)
		fg_vfree(s->calls[i].specs);
	fg_vfree(s->calls);
	fg_free((char *)s->name);
}

/* Add the specs spec o reaches (its inlined callees; with gen, also its
 * generic variants) to order. */
static void reachspecs(const HaSpec *o, int gen, int32_t *map, uint32_t **order)
{
	uint32_t j, k;

	for (j = 0; gen && j < fg_vlen(o->gvar); j++)
		if (o->gvar[j] >= 0 && map[o->gvar[j]] < 0) {
			map[o->gvar[j]] = fg_vlen(*order);
			fg_vpush(order, (uint32_t)o->gvar[j]);
		}
	for (j = 0; j < fg_vlen(o->calls); j++)
		for (k = 0; k < fg_vlen(o->calls[j].specs); k++) {
			int32_t t = o->calls[j].specs[k];
			if (map[t] < 0) {
				map[t] = fg_vlen(*order);
				fg_vpush(order, (uint32_t)t);
			}
		}
}

/* Keep the specialisations reachable from the portal's, renumbered in
 * discovery order (those reached only through generic variants last);
 * name them f, or f.KEY when f has several (or when only a generic
 * variant reaches it), a generic variant NAME.pOP. */
void ha_compact(HaResult *r)
{
	uint32_t n = fg_vlen(r->specs), i, j, k, nord;
	int32_t *map = fg_vnew(n, sizeof(int32_t));
	uint32_t *order = fg_vnew(0, sizeof(uint32_t));
	HaSpec *keep = fg_vnew(0, sizeof(HaSpec));
	uint32_t *count = fg_vnew(nfuncs(r->m), sizeof(uint32_t));

	for (i = 0; i < n; i++)
		map[i] = -1;
	map[0] = 0;
	fg_vpush(&order, 0u);
	for (i = 0; i < fg_vlen(order); i++)
		reachspecs(&r->specs[order[i]], 0, map, &order);
	nord = fg_vlen(order);
	for (i = 0; i < fg_vlen(order); i++)
		reachspecs(&r->specs[order[i]], 1, map, &order);
	for (i = 0; i < fg_vlen(order); i++) {
		HaSpec s = r->specs[order[i]];
		count[s.func] += i < nord;
		for (j = 0; j < fg_vlen(s.gvar); j++)
			if (s.gvar[j] >= 0)
				s.gvar[j] = map[s.gvar[j]];
		for (j = 0; j < fg_vlen(s.calls); j++)
			for (k = 0; k < fg_vlen(s.calls[j].specs); k++)
				s.calls[j].specs[k] = map[s.calls[j].specs[k]];
		fg_vpush(&keep, s);
	}
	for (i = 0; i < n; i++)
		if (map[i] < 0) {
			r->specs[i].name = NULL;
			ha_freespec(&r->specs[i]);
		}
	for (i = 0; i < fg_vlen(keep); i++) {
		HaSpec *s = &keep[i];
		const FgFunc *f = &r->m->funcs[s->func];
		size_t len = strlen(f->name) + 2 * fg_vlen(s->key) + 16;
		char *name = fg_alloc(len);
		if (s->redop >= 0) {
			const HaSpec *o = NULL;
			for (j = 0; j < i; j++)
				if ((uint32_t)s->redop < fg_vlen(keep[j].gvar) && keep[j].gvar[s->redop] == (int32_t)i)
					o = &keep[j];
			snprintf(name, len, "%s.p%d", o ? o->name : f->name, s->redop);
		} else if (count[s->func] > 1 || i >= nord) {
			snprintf(name, len, "%s.", f->name);
			for (k = 0; k < fg_vlen(s->key); k++)
				name[strlen(f->name) + 1 + k] = s->key[k] == BT_GREEN ? 'G' : 'R';
		} else {
			snprintf(name, len, "%s", f->name);
		}
		s->name = name;
	}
	fg_vfree(r->specs);
	r->specs = keep;
	fg_vfree(map);
	fg_vfree(order);
	fg_vfree(count);
}

/* The invariants the timeshifter relies on: nothing computed at compile
 * time reads a red value.  Returns the first broken one, or NULL. */
static const char *checkspec(const HaResult *r, const HaSpec *sp)
{
	const FgFunc *f = &r->m->funcs[sp->func];
	uint32_t b, i, k, j;

	for (b = 0; b < fg_vlen(f->blocks); b++) {
		const FgBlock *bl = &f->blocks[b];
		const FgExit *e = &bl->exit;
		for (i = 0; i < fg_vlen(bl->ops); i++) {
			const FgOp *o = &bl->ops[i];
			uint8_t oc = sp->opcol[sp->opbase[b] + i];
			if (o->res != REF_NONE && oc == OC_RED && sp->col[REFIDX(o->res)] == BT_GREEN)
				return "emitted op with a green result";
			if (oc == OC_GREEN && o->op != FG_CALL && !allargsgreen(f, sp->col, o))
				return "compile-time op with a red operand";
			if (oc == OC_GREEN && o->op != FG_CALL && o->narg &&
			    colof(f, sp->col, operand(f, o, 0)) == BT_RED)
				return "compile-time op with a red operand";
			if (o->op == FG_MERGEPOINT && !allargsgreen(f, sp->col, o))
				return "merge point with a red value";
		}
		if (sp->exit[b] == HX_GREEN && colof(f, sp->col, e->cond) == BT_RED)
			return "compile-time branch on a red value";
		for (k = e->link; k < e->link + e->nlink; k++) {
			const FgLink *l = &f->links[k];
			for (j = 0; j < l->narg; j++)
				if (sp->col[REFIDX(f->blocks[l->target].args[j])] == BT_GREEN &&
				    colof(f, sp->col, f->refs[l->arg + j]) == BT_RED)
					return "green block argument receives a red value";
		}
	}
	for (i = 0; i < fg_vlen(sp->calls); i++) {
		const HaCall *c = &sp->calls[i];
		const FgOp *o = &f->blocks[c->block].ops[c->op];
		if (c->kind == HC_GREEN && !allargsgreen(f, sp->col, o))
			return "green call with a red argument";
		for (j = 0; c->kind == HC_INLINE && j < fg_vlen(c->specs); j++) {
			const HaSpec *t = &r->specs[c->specs[j]];
			for (k = 0; k < fg_vlen(t->key) && k + 1 < o->narg; k++)
				if (t->key[k] == BT_GREEN && colof(f, sp->col, operand(f, o, k + 1)) == BT_RED)
					return "inlined call passes a red value for a green parameter";
		}
	}
	return NULL;
}

void ha_selfcheck(const HaResult *r)
{
	uint32_t i;
	const char *bad;

	for (i = 0; i < fg_vlen(r->specs); i++)
		if ((bad = checkspec(r, &r->specs[i])))
			die("hintannotator: internal error in %s: %s", r->specs[i].name, bad);
}
