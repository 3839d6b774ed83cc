/*
 * rcheck.c: the SSA check of residual IR (x86_checkssa).
 *
 * The interpreter, the test oracle, runs it before it runs a unit or a
 * bridge: every use of a value must be dominated by its definition, and no
 * value but a reentry block's own arguments may be live at its start.
 * Dominators come from the iterative algorithm of Cooper, Harvey and
 * Kennedy over reverse postorder; liveness from the usual backward
 * fixpoint on bit sets.  It is quadratic at worst, so the backend does not
 * run it.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct {
	uint32_t *rpo;    /* reachable blocks in reverse postorder */
	uint32_t nrpo;    /* their count */
	uint32_t *order;  /* block -> index in rpo, X86_NOBLK if unreachable */
	uint32_t *idom;   /* block -> immediate dominator (rpo index) */
	uint32_t *succ;   /* successor lists, succ[soff[b] .. soff[b+1]) */
	uint32_t *soff;   /* offsets into succ */
} Cfg;

/* The successors of block b, into out (count returned; out may be NULL). */
static uint32_t succs(const X86Unit *u, uint32_t b, uint32_t *out)
{
	const RExit *x = &u->blk[b].x;
	uint32_t n = 0, i;

	switch (x->kind) {
	case XE_JUMP:
		if (out) out[n] = x->to[0];
		n++;
		break;
	case XE_BRANCH:
		if (out) out[n] = x->to[0], out[n + 1] = x->to[1];
		n += 2;
		break;
	case XE_SWITCH:
		if (out) out[n] = x->to[0];
		n++;
		for (i = 0; i < x->ncas; i++, n++)
			if (out) out[n] = u->cas[x->cas + i].to;
		break;
	case XE_FLEX:
		for (i = 0; i < x->site->ncase; i++)
			if (x->site->cases[i].to != X86_NOBLK) {
				if (out) out[n] = x->site->cases[i].to;
				n++;
			}
		break;
	}
	return n;
}

/* Depth-first search from block 0 filling the postorder (iteratively). */
static void dfs(const X86Unit *u, Cfg *c, uint32_t *post, uint32_t *npost)
{
	uint32_t *stack = c->rpo, *next = c->idom, sp = 0, b, s;

	/* rpo and idom serve as the stack and the edge cursors here */
	for (b = 0; b < u->nblk; b++)
		c->order[b] = X86_NOBLK, next[b] = 0;
	stack[sp++] = 0;
	c->order[0] = 0;
	while (sp) {
		b = stack[sp - 1];
		if (next[b] < c->soff[b + 1] - c->soff[b]) {
			s = c->succ[c->soff[b] + next[b]++];
			if (c->order[s] == X86_NOBLK) {
				c->order[s] = 0;
				stack[sp++] = s;
			}
			continue;
		}
		post[(*npost)++] = b;
		sp--;
	}
}

/* Intersect two dominator-tree paths (rpo indices). */
static uint32_t meet(const Cfg *c, uint32_t a, uint32_t b)
{
	while (a != b) {
		while (a > b)
			a = c->idom[c->rpo[a]];
		while (b > a)
			b = c->idom[c->rpo[b]];
	}
	return a;
}

/* Reverse postorder and immediate dominators; 0 when out of memory. */
static int dominators(X86Unit *u, Cfg *c)
{
	uint32_t n = u->nblk, b, i, k, ns = 0, *post, npost = 0, p, nd;
	int changed = 1;

	c->soff = x86_alloc(NULL, (n + 1) * sizeof *c->soff);
	for (b = 0; c->soff && b < n; b++)
		ns += succs(u, b, NULL);
	c->succ = x86_alloc(NULL, (ns + 1) * sizeof *c->succ);
	c->rpo = x86_alloc(NULL, n * sizeof *c->rpo);
	c->order = x86_alloc(NULL, n * sizeof *c->order);
	c->idom = x86_alloc(NULL, n * sizeof *c->idom);
	post = x86_alloc(NULL, n * sizeof *post);
	if (!c->soff || !c->succ || !c->rpo || !c->order || !c->idom || !post) {
		free(post);
		return x86_fail(u, X86_ENOMEM);
	}
	for (b = 0, ns = 0; b < n; b++) {
		c->soff[b] = ns;
		ns += succs(u, b, c->succ + ns);
	}
	c->soff[n] = ns;
	dfs(u, c, post, &npost);
	c->nrpo = npost;
	for (i = 0; i < npost; i++) {
		c->rpo[i] = post[npost - 1 - i];
		c->order[c->rpo[i]] = i;
	}
	free(post);
	for (b = 0; b < n; b++)
		c->idom[b] = X86_NOBLK;
	c->idom[0] = 0;
	while (changed) {
		changed = 0;
		for (i = 1; i < c->nrpo; i++) {
			b = c->rpo[i];
			nd = X86_NOBLK;
			for (p = 0; p < c->nrpo; p++) {
				uint32_t pb = c->rpo[p];
				for (k = c->soff[pb]; k < c->soff[pb + 1]; k++)
					if (c->succ[k] == b && c->idom[pb] != X86_NOBLK)
						nd = nd == X86_NOBLK ? p : meet(c, p, nd);
			}
			if (nd != c->idom[b]) {
				c->idom[b] = nd;
				changed = 1;
			}
		}
	}
	return 1;
}

/* Does block d dominate block b (both reachable)? */
static int dominates(const Cfg *c, uint32_t d, uint32_t b)
{
	uint32_t od = c->order[d], ob = c->order[b];

	while (ob > od)
		ob = c->idom[c->rpo[ob]];
	return ob == od;
}

/* Is use r at position pos (op index; nins = the exit) of block b
 * dominated by its definition? */
static int usedok(const X86Unit *u, const Cfg *c, X86Ref r, uint32_t b,
                  uint32_t pos)
{
	const RVal *v;

	if (X86_REFKIND(r) != XK_VAL)
		return 1;
	if (X86_REFIDX(r) == 0 || X86_REFIDX(r) >= u->nval)
		return 0;
	v = &u->val[X86_REFIDX(r)];
	if (v->blk == b)
		return v->kind == XV_ARG || v->idx < pos;
	return c->order[v->blk] != X86_NOBLK && dominates(c, v->blk, b);
}

/* Call fn(ctx, ref, pos) for every value operand of block b. */
static int eachuse(const X86Unit *u, uint32_t b,
                   int (*fn)(const X86Unit *, const void *, X86Ref, uint32_t,
                             uint32_t),
                   const void *ctx)
{
	const RBlock *bl = &u->blk[b];
	const RIns *in;
	uint32_t i, k;

	for (i = 0; i < bl->nins; i++) {
		in = &bl->ins[i];
		if (!fn(u, ctx, in->a, b, i) || !fn(u, ctx, in->b, b, i) ||
		    !fn(u, ctx, in->c, b, i))
			return 0;
		if (in->op == XR_CALL)
			for (k = 0; k < in->narg; k++)
				if (!fn(u, ctx, u->ref[in->arg + k], b, i))
					return 0;
	}
	if (!fn(u, ctx, bl->x.val, b, bl->nins))
		return 0;
	if (bl->x.kind == XE_JUMP || bl->x.kind == XE_JUMPUNIT ||
	    bl->x.kind == XE_STUB || bl->x.kind == XE_FLEX)
		for (k = 0; k < bl->x.narg; k++)
			if (!fn(u, ctx, u->ref[bl->x.arg + k], b, bl->nins))
				return 0;
	return 1;
}

static int domuse(const X86Unit *u, const void *ctx, X86Ref r, uint32_t b,
                  uint32_t pos)
{
	return usedok(u, ctx, r, b, pos);
}

/* Liveness state: bit sets of nval bits, one per block. */
typedef struct {
	uint64_t *in;    /* live-in sets */
	uint32_t words;  /* words per set */
	uint64_t *tmp;   /* scratch set */
} Live;

static int liveuse(const X86Unit *u, const void *ctx, X86Ref r, uint32_t b,
                   uint32_t pos)
{
	const Live *l = ctx;
	uint32_t v = X86_REFIDX(r);

	/* a use not defined earlier in the block is live in */
	if (X86_REFKIND(r) == XK_VAL && !(u->val[v].blk == b &&
	                                   (u->val[v].kind == XV_ARG ||
	                                    u->val[v].idx < pos)))
		l->tmp[v / 64] |= (uint64_t)1 << (v % 64);
	return 1;
}

/* Every reentry block's live-in set must be its own arguments only. */
static int reentryok(X86Unit *u, const Cfg *c)
{
	Live l;
	uint32_t b, i, k, w, v;
	int changed = 1, ok = 1;

	l.words = (u->nval + 63) / 64;
	l.in = x86_alloc(NULL, (size_t)u->nblk * l.words * sizeof *l.in + 8);
	l.tmp = x86_alloc(NULL, l.words * sizeof *l.tmp + 8);
	if (!l.in || !l.tmp) {
		free(l.in);
		free(l.tmp);
		return x86_fail(u, X86_ENOMEM);
	}
	memset(l.in, 0, (size_t)u->nblk * l.words * sizeof *l.in);
	while (changed) {
		changed = 0;
		for (i = c->nrpo; i-- > 0;) {
			b = c->rpo[i];
			memset(l.tmp, 0, l.words * sizeof *l.tmp);
			for (k = c->soff[b]; k < c->soff[b + 1]; k++)
				for (w = 0; w < l.words; w++)
					l.tmp[w] |= l.in[(size_t)c->succ[k] * l.words + w];
			/* minus the values defined in b */
			for (v = 1; v < u->nval; v++)
				if (u->val[v].blk == b)
					l.tmp[v / 64] &= ~((uint64_t)1 << (v % 64));
			eachuse(u, b, liveuse, &l);
			for (w = 0; w < l.words; w++)
				if (l.tmp[w] != l.in[(size_t)b * l.words + w]) {
					l.in[(size_t)b * l.words + w] = l.tmp[w];
					changed = 1;
				}
		}
	}
	for (b = 0; b < u->nblk; b++) {
		if (!u->blk[b].reentry)
			continue;
		for (v = 1; v < u->nval; v++)
			if (l.in[(size_t)b * l.words + v / 64] >> (v % 64) & 1 &&
			    u->val[v].blk != b)
				ok = 0;
	}
	free(l.in);
	free(l.tmp);
	return ok;
}

int x86_checkssa(X86Unit *u)
{
	Cfg c;
	uint32_t i, b, reent = 0;
	int ok;

	if (x86_verify(u) != X86_OK)
		return x86_error(u);
	memset(&c, 0, sizeof c);
	ok = dominators(u, &c);
	for (i = 0; ok && i < c.nrpo; i++) {
		b = c.rpo[i];
		reent |= u->blk[b].reentry;
		if (!eachuse(u, b, domuse, &c))
			ok = x86_fail(u, X86_EINVAL);
	}
	if (ok && reent && !reentryok(u, &c))
		ok = x86_fail(u, X86_EINVAL);
	free(c.rpo);
	free(c.order);
	free(c.idom);
	free(c.succ);
	free(c.soff);
	return x86_error(u);
}
