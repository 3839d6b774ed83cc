/* annotate.c: the binding-time analysis (driver; phases in facts.c, fix.c
 * and colour.c).
 *
 * The analysis runs in three phases over the functions reachable from the
 * portal.
 *
 * 1. Facts that do not depend on colours, computed once per function:
 *    predecessors, natural loops (heads from the back edges of a DFS),
 *    deep-frozen pointers (a greatest fixpoint over the whole module:
 *    TS_DEEPFREEZE results, const globals, pointers derived from them and
 *    values loaded through them; a parameter is deep-frozen when every
 *    caller passes a deep-frozen value), purity (no stores, no allocas,
 *    loads only through deep-frozen pointers, calls only to pure
 *    functions) and the recursive cycles of the call graph.
 *
 * 2. Fixing (need-driven, PyPy's "concrete"): the operands of TS_GREEN and
 *    TS_MERGE_POINT must be green, and so must everything they depend on,
 *    backwards through data flow: operands of pure ops, the pointer of a
 *    load through a deep-frozen pointer, the values flowing into a block
 *    argument, the actual arguments at every call site of a function whose
 *    parameter is fixed, the returned values of an inlined callee whose
 *    result is fixed.  Fixing is monovariant (per function).  It fails at a
 *    red origin (a load from mutable memory, an alloca's address, a
 *    residual call's result, a loop-carried value of the global merge point
 *    that is not listed in it); the error prints the chain of values from
 *    the hint down to that origin, one source line per step.
 *
 * 3. Colouring (forward, polyvariant): a specialisation is a function with
 *    the colours of its parameters.  Its values start green and turn red
 *    until a fixpoint: red parameters, loads from mutable memory, allocas,
 *    residual calls, ops with a red operand, block arguments with a red
 *    incoming value; the loop-carried values of a loop whose exit is
 *    decided by a red value (unless loop-invariant), and those of the
 *    global merge point, are red unless fixed.  Fixed values and promotions are green.  A call site
 *    gets the specialisation of its callee for the colours of its actual
 *    arguments (computed on demand, memoised by key); intermediate keys
 *    seen while colours settle are dropped at the end.
 */
#include <stdlib.h>
#include <string.h>
#include "haint.h"

const char *const ha_whytext[HW_N] = {
#define W(name, text) text,
	HA_WHYS(W)
#undef W
};

uint32_t ha_nops(const FgFunc *f)
{
	uint32_t b, n = 0;

	for (b = 0; b < fg_vlen(f->blocks); b++)
		n += fg_vlen(f->blocks[b].ops);
	return n;
}

void ha_defaultpolicy(HaPolicy *p)
{
	p->maxinline = 1000;
}

void ha_printpolicy(FILE *out, const HaPolicy *p)
{
	fprintf(out, "inlining policy, first rule that applies:\n"
		"  green     callee TS_ELIDABLE or provably pure, all arguments green\n"
		"  residual  call of the portal\n"
		"  residual  external function (no body)\n"
		"  residual  TS_RESIDUAL callee\n"
		"  residual  varargs callee\n"
		"  residual  callee in a recursive cycle of the call graph\n"
		"  residual  callee of more than %u operations\n"
		"  inline    every other direct call, specialised on its argument colours\n"
		"  inline    through a green function pointer: every address-taken\n"
		"            function of that arity is a possible target\n"
		"  residual  through a red function pointer\n", p->maxinline);
}

int ha_spec(const HaResult *r, const char *name)
{
	uint32_t i;

	for (i = 0; i < fg_vlen(r->specs); i++)
		if (strcmp(r->specs[i].name, name) == 0)
			return i;
	return -1;
}

static void freepriv(const HaResult *r, Priv *p)
{
	uint32_t f, nf = nfuncs(r->m);

	for (f = 0; f < nf; f++) {
		FnInfo *fi = &p->fi[f];
		fg_vfree(fi->predoff);
		fg_vfree(fi->predlink);
		fg_vfree(fi->linkfrom);
		fg_vfree(fi->opbase);
		fg_vfree(fi->heads);
		fg_vfree(fi->headof);
		fg_vfree(fi->member);
		fg_vfree(fi->exitoff);
		fg_vfree(fi->exitblk);
		fg_vfree(fi->deep);
		fg_vfree(fi->listed);
		fg_vfree(p->callers[f]);
		fg_vfree(p->par[f]);
	}
	fg_free(p->fi);
	fg_free(p->callers);
	fg_free(p->par);
	fg_vfree(p->pure);
	fg_vfree(p->rec);
	fg_vfree(p->taken);
	fg_vfree(p->indirect);
	fg_vfree(p->seeds);
	fg_vfree(p->work);
	fg_vfree(p->split);
	fg_free(p);
}

void ha_free(HaResult *r)
{
	uint32_t i;

	if (!r)
		return;
	for (i = 0; i < fg_vlen(r->specs); i++)
		ha_freespec(&r->specs[i]);
	fg_vfree(r->specs);
	for (i = 0; i < nfuncs(r->m); i++)
		fg_vfree(r->fixed[i]);
	fg_free(r->fixed);
	fg_vfree(r->retfixed);
	fg_vfree(r->reach);
	if (r->priv)
		freepriv(r, r->priv);
	fg_free(r);
}

static Priv *newpriv(HaResult *r)
{
	const FgModule *m = r->m;
	uint32_t f, nf = nfuncs(m);
	Priv *p = fg_alloc(sizeof *p);

	p->fi = fg_alloc((nf + 1) * sizeof(FnInfo));
	p->callers = fg_alloc((nf + 1) * sizeof(Site *));
	p->par = fg_alloc((nf + 1) * sizeof(Parent *));
	p->pure = fg_vnew(nf, 1);
	p->rec = fg_vnew(nf, 1);
	p->taken = fg_vnew(nf, 1);
	p->seeds = fg_vnew(0, sizeof(Seed));
	p->work = fg_vnew(0, sizeof(Work));
	p->split = fg_vnew(0, 1);
	r->fixed = fg_alloc((nf + 1) * sizeof(uint8_t *));
	r->retfixed = fg_vnew(nf, 1);
	r->reach = fg_vnew(nf, 1);
	for (f = 0; f < nf; f++) {
		const FgFunc *fn = &m->funcs[f];
		uint32_t nv = fg_vlen(fn->vals);
		r->fixed[f] = fg_vnew(nv, 1);
		p->par[f] = fg_vnew(nv, sizeof(Parent));
		p->fi[f].deep = fg_vnew(nv, 1);
		p->fi[f].listed = fg_vnew(nv, 1);
		ha_buildpreds(fn, &p->fi[f]);
		if (defined(fn))
			ha_buildloops(fn, &p->fi[f]);
		else {
			p->fi[f].heads = fg_vnew(0, sizeof(uint32_t));
			p->fi[f].headof = fg_vnew(0, sizeof(int32_t));
			p->fi[f].member = fg_vnew(1, sizeof(uint64_t));
			p->fi[f].exitoff = fg_vnew(1, sizeof(uint32_t));
			p->fi[f].exitblk = fg_vnew(0, sizeof(uint32_t));
		}
	}
	return p;
}

HaResult *ha_annotate(const FgModule *m, const char *portal, const HaPolicy *pol)
{
	HaResult *r;
	Priv *p;
	int pf = fg_findfunc(m, portal);
	uint8_t *key;
	uint32_t k;

	if (pf < 0 || !defined(&m->funcs[pf])) {
		fg_errorat(fg_vlen(m->files) > 1 ? m->files[1] : "tsgen", 0,
			"portal function '%s' is not defined", portal);
		return NULL;
	}
	r = fg_alloc(sizeof *r);
	r->m = m;
	r->portal = pf;
	r->mpfunc = -1;
	if (pol)
		r->policy = *pol;
	else
		ha_defaultpolicy(&r->policy);
	r->specs = fg_vnew(0, sizeof(HaSpec));
	r->priv = p = newpriv(r);
	ha_reachable(r, p);
	ha_callsites(r, p);
	ha_deepfixpoint(r, p);
	ha_purefixpoint(r, p);
	ha_cycles(r, p);
	if (ha_findhints(r, p) > 0) {
		ha_free(r);
		return NULL;
	}
	ha_findmphead(r, p);
	if (ha_fixall(r, p) > 0) {
		ha_free(r);
		return NULL;
	}
	key = fg_vnew(fg_vlen(m->funcs[pf].params), 1);
	for (k = 0; k < fg_vlen(key); k++)
		key[k] = BT_RED;
	ha_getspec(r, p, pf, key, fg_vlen(key));
	fg_vfree(key);
	ha_generics(r, p);
	ha_compact(r);
	ha_selfcheck(r);
	return r;
}

int ha_fixedby(const HaResult *r, uint32_t f, Ref v, FgLoc *hint, uint32_t *pf, Ref *pv)
{
	const Priv *p = r->priv;
	const Parent *pa;
	const Seed *s;

	if (REFKIND(v) != RK_VAL || !r->fixed[f][REFIDX(v)])
		return 0;
	pa = &p->par[f][REFIDX(v)];
	s = &p->seeds[pa->seed];
	*hint = r->m->funcs[s->func].blocks[s->block].ops[s->op].loc;
	*pf = pa->func;
	*pv = pa->val;
	return 1;
}
