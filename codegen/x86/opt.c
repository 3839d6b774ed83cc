/*
 * opt.c: a clean-up pass over a unit's residual IR before lowering
 * (x86_opt, called by x86_compile), and the facts instruction selection
 * needs about the unit (opt.h: use counts, narrow values left lazy).
 *
 * The timeshifter emits the interpreter's steps one by one; this pass
 * removes what that leaves behind.  Every rewrite stays inside one block
 * (an operand is replaced only by one defined in the same block, so no
 * live range grows across blocks and the reentry rule still holds), and
 * keeps the IR valid for the interpreter:
 *
 *   address folding  load/store [add X, Y] -> [X + Y]; [add X, k] and an
 *                    index `add Y, k` fold k into the displacement
 *   dead stores      a store to the same address (base, index, scale,
 *                    offset, type) as a later store of the block, with no
 *                    load that may alias and no call in between, goes
 *   add chains       add (add X, k1), k2 -> add X, k1+k2 (sub too)
 *   compare chains   ne/eq (zext|sext)* X, 0 -> ne/eq X, 0; ne C, 0 -> C
 *                    and eq C, 0 -> the negation of C for a compare C
 *   dead pure ops    results nobody uses (ops, terminators, exits' live
 *                    lists) are dropped, operands first to last
 *
 * Each is one forward pass over the ops (dead ops: one backward pass),
 * with a few steps of lookback through operands' definitions, so the
 * pass is linear.  Removed ops are compacted out at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "backend.h"
#include "opt.h"

OptState x86_os;
X86OptStats x86_optstats;
static int optmode = -1; /* X86_OPT bits, -1 until read */

#define NPEND 8 /* stores the dead-store scan remembers per block */

/* The OPT_* bits in effect: X86_OPT if set, else all. */
int x86_optmode(void)
{
	const char *s;

	if (optmode < 0) {
		s = getenv("X86_OPT");
		optmode = s && *s ? atoi(s) & OPT_ALL : OPT_ALL;
	}
	return optmode;
}

void x86_setoptmode(int mode)
{
	optmode = mode;
}

static inline int isval(X86Ref r)
{
	return X86_REFKIND(r) == XK_VAL;
}

/* Count a use of r (d = 1) or forget one (d = -1). */
static inline void use1(uint32_t *n, X86Ref r, int d)
{
	if (isval(r))
		n[X86_REFIDX(r)] += (uint32_t)d;
}

/* Set operand *slot to r, keeping the use counts. */
static void setref(X86Ref *slot, X86Ref r)
{
	use1(x86_os.nuse, *slot, -1);
	use1(x86_os.nuse, r, 1);
	*slot = r;
}

/* Count the uses of op in: operands and call arguments. */
static inline void opuses(X86Unit *u, const RIns *in, uint32_t *n)
{
	uint32_t j;

	use1(n, in->a, 1);
	use1(n, in->b, 1);
	use1(n, in->c, 1);
	if (in->op == XR_CALL)
		for (j = 0; j < in->narg; j++)
			use1(n, u->ref[in->arg + j], 1);
}

/* Count the uses of block bk's terminator: its value and arguments
 * (jumps, exits' live values). */
static inline void exituses(X86Unit *u, const RBlock *bk, uint32_t *n)
{
	uint32_t j;

	use1(n, bk->x.val, 1);
	for (j = 0; j < bk->x.narg; j++)
		use1(n, u->ref[bk->x.arg + j], 1);
}

/* Count the uses of every value (forward() does it instead when it runs
 * first). */
static void countuses(X86Unit *u, uint32_t *n)
{
	uint32_t b, i;
	RBlock *bk;

	for (b = 0; b < u->nblk; b++) {
		bk = &u->blk[b];
		for (i = 0; i < bk->nins; i++)
			opuses(u, &bk->ins[i], n);
		exituses(u, bk, n);
	}
}

/* The op of block b that defines r, or NULL (a constant, an argument,
 * another block, a removed op). */
static RIns *defop(X86Unit *u, X86Ref r, uint32_t b)
{
	RVal *v;
	RIns *in;

	if (!isval(r))
		return NULL;
	v = &u->val[X86_REFIDX(r)];
	if (v->kind != XV_OP || v->blk != b)
		return NULL;
	in = &u->blk[b].ins[v->idx];
	return in->op == XR_NOP ? NULL : in;
}

static inline int fits32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

/* Remove op in (its operands lose a use). */
static void kill(X86Unit *u, RIns *in)
{
	uint32_t j;

	use1(x86_os.nuse, in->a, -1);
	use1(x86_os.nuse, in->b, -1);
	use1(x86_os.nuse, in->c, -1);
	if (in->op == XR_CALL)
		for (j = 0; j < in->narg; j++)
			use1(x86_os.nuse, u->ref[in->arg + j], -1);
	in->op = XR_NOP;
}

/* The constant of add/sub in (as the amount added), in *k; 0 if none.
 * *x gets the other operand. */
static int addk(X86Unit *u, RIns *in, int64_t *k, X86Ref *x)
{
	if (in->op != XR_ADD && in->op != XR_SUB)
		return 0;
	if (iscon(in->b)) {
		*k = x86_conval(u, in->b);
		*x = in->a;
		if (in->op == XR_SUB)
			*k = (int64_t)(0 - (uint64_t)*k);
		return !iscon(in->a);
	}
	if (in->op == XR_ADD && iscon(in->a)) {
		*k = x86_conval(u, in->a);
		*x = in->b;
		return 1;
	}
	return 0;
}

/* Fold the address arithmetic of load/store in (block b) into its
 * base/index/scale/offset form; a few steps (each removes one add). */
static void foldaddr(X86Unit *u, RIns *in, uint32_t b)
{
	RIns *d;
	int64_t k, off;
	X86Ref x;
	int step;

	for (step = 0; step < 4; step++) {
		if ((d = defop(u, in->a, b)) && x86_bits(d->type) == 64 &&
		    addk(u, d, &k, &x)) {
			off = in->off + k; /* base: add X, k */
			if (!fits32(k) || !fits32(off))
				return;
			setref(&in->a, x);
			in->off = (int32_t)off;
		} else if (d && d->op == XR_ADD && x86_bits(d->type) == 64 &&
		           in->b == X86_NONE && !iscon(d->a) && !iscon(d->b)) {
			setref(&in->b, d->b); /* base: add X, Y, no index */
			setref(&in->a, d->a);
			in->scale = 0;
		} else if (in->b != X86_NONE && (d = defop(u, in->b, b)) &&
		           x86_bits(d->type) == 64 && addk(u, d, &k, &x)) {
			if (!fits32(k))
				return;
			off = in->off + k * ((int64_t)1 << in->scale);
			if (!fits32(off))
				return;
			setref(&in->b, x); /* index: add Y, k */
			in->off = (int32_t)off;
		} else {
			return;
		}
		x86_optstats.addr++;
	}
}

/* Width in bytes of a memory access of type t. */
static int accsize(int t)
{
	return t == X86_F64 ? 8 : x86_bits(t) / 8;
}

/* Can load ld read what store st wrote?  Only provably disjoint
 * accesses (same base and index, offsets apart) cannot. */
static int mayalias(const RIns *ld, const RIns *st)
{
	if (ld->a != st->a || ld->b != st->b || ld->scale != st->scale)
		return 1;
	return ld->off < st->off + accsize(st->type) &&
	       st->off < ld->off + accsize(ld->type);
}

/* The compare that is true when compare op is false (integer compares,
 * and feq/fne, exact with NaNs too); -1 if none. */
static int negcmp(int op)
{
	switch (op) {
	case XR_EQ: return XR_NE;
	case XR_NE: return XR_EQ;
	case XR_SLT: return XR_SGE;
	case XR_SGE: return XR_SLT;
	case XR_SLE: return XR_SGT;
	case XR_SGT: return XR_SLE;
	case XR_ULT: return XR_UGE;
	case XR_UGE: return XR_ULT;
	case XR_ULE: return XR_UGT;
	case XR_UGT: return XR_ULE;
	case XR_FEQ: return XR_FNE;
	case XR_FNE: return XR_FEQ;
	}
	return -1;
}

/* eq/ne X, 0 (in block b): peel widening zext/sext off X; when X is
 * then a compare, in becomes that compare (ne) or its negation (eq). */
static void boolchain(X86Unit *u, RIns *in, uint32_t b)
{
	RIns *d;
	X86Ref x, z;
	int n = 0, op;

	if (iscon(in->a) && !iscon(in->b))
		x = in->a, in->a = in->b, in->b = x; /* eq/ne commute */
	if (!iscon(in->b) || x86_conval(u, in->b) != 0 || iscon(in->a))
		return;
	while ((d = defop(u, in->a, b)) && (d->op == XR_ZEXT || d->op == XR_SEXT) &&
	       x86_bits(d->type) >= x86_bits(x86_type(u, d->a)) &&
	       x86_bits(x86_type(u, d->a)) > 0 && n < 8)
		setref(&in->a, d->a), n++;
	d = defop(u, in->a, b);
	op = !d || !(x86_opinfo[d->op].props & XP_CMP) ? -1
	   : in->op == XR_NE ? d->op : negcmp(d->op);
	if (op >= 0) {
		in->op = (uint8_t)op;
		setref(&in->b, d->b);
		setref(&in->a, d->a);
		x86_optstats.boolean++;
		return;
	}
	if (!n)
		return;
	if ((z = x86_con(u, x86_type(u, in->a), 0)) == X86_NONE)
		return;
	in->b = z;
	x86_optstats.boolean++;
}

/* add/sub (add/sub X, k1), k2 in block b -> add X, k1+k2. */
static void addchain(X86Unit *u, RIns *in, uint32_t b)
{
	RIns *d;
	int64_t k1, k2;
	X86Ref x, y, kk;

	if (!addk(u, in, &k2, &x) || !(d = defop(u, x, b)) || d->type != in->type ||
	    !addk(u, d, &k1, &y))
		return;
	kk = x86_con(u, in->type, (int64_t)((uint64_t)k1 + (uint64_t)k2));
	if (kk == X86_NONE)
		return;
	in->op = XR_ADD;
	setref(&in->a, y);
	in->b = kk;
	x86_optstats.addk++;
}

/* The forward pass over block b: addresses, dead stores, chains.  With
 * count, it also counts the uses (each op's before its rewrites, which
 * keep the counts, and the terminator's): the unit then needs no
 * separate counting walk. */
static void forward(X86Unit *u, uint32_t b, int count)
{
	RBlock *bk = &u->blk[b];
	RIns *pend[NPEND], *in;
	uint32_t i;
	int np = 0, j, k;

	for (i = 0; i < bk->nins; i++) {
		in = &bk->ins[i];
		if (count)
			opuses(u, in, x86_os.nuse);
		switch (in->op) {
		case XR_LOAD:
			foldaddr(u, in, b);
			for (j = k = 0; j < np; j++) /* keep the disjoint ones */
				if (!mayalias(in, pend[j]))
					pend[k++] = pend[j];
			np = k;
			break;
		case XR_STORE:
			foldaddr(u, in, b);
			for (j = k = 0; j < np; j++) {
				RIns *p = pend[j];
				if (p->a == in->a && p->b == in->b && p->scale == in->scale &&
				    p->off == in->off && p->type == in->type) {
					kill(u, p);
					x86_optstats.dse++;
				} else {
					pend[k++] = p;
				}
			}
			np = k;
			if (np == NPEND)
				memmove(pend, pend + 1, --np * sizeof *pend);
			pend[np++] = in;
			break;
		case XR_CALL:
			np = 0;
			break;
		case XR_EQ: case XR_NE:
			boolchain(u, in, b);
			break;
		case XR_ADD: case XR_SUB:
			addchain(u, in, b);
			break;
		}
	}
	if (count)
		exituses(u, bk, x86_os.nuse);
}

/* Mark value r as read in its raw 64-bit form (a lazy candidate stops
 * being one). */
static inline void raw(uint8_t *lz, X86Ref r)
{
	uint8_t *p;

	if (isval(r)) {
		p = &lz[X86_REFIDX(r)];
		x86_optstats.lazy -= *p == LZ_CAND;
		*p |= LZ_RAW;
	}
}

/*
 * Narrow values that may stay unnormalised (lazy[] == LZ_CAND): i8/i16/i32
 * results of add sub mul and or xor whose every use reads only the low
 * bits: stores of the value, narrow arithmetic, shl and lshr (and any
 * shift amount), integer compares (done at the operand width), trunc,
 * zext, sext (which then extends).  Everything else (addresses, calls,
 * terminators, exits, jumps, select, division, ashr) reads raw.  Two
 * bits per value, so one walk in any order: LZ_CAND when defined by such
 * an op, LZ_RAW when read raw.  This is op in's part.
 */
static inline void lazyop(X86Unit *u, const RIns *in, uint8_t *lz)
{
	uint32_t j;
	unsigned p = x86_opinfo[in->op].props;

	switch (in->op) {
	case XR_STORE:
		raw(lz, in->a), raw(lz, in->b);
		return;
	case XR_ADD: case XR_SUB: case XR_MUL: case XR_AND: case XR_OR:
	case XR_XOR:
		if (bits(in->type) < 64) {
			j = X86_REFIDX(in->res);
			lz[j] |= LZ_CAND;
			x86_optstats.lazy += lz[j] == LZ_CAND;
		}
		return;
	case XR_SHL: case XR_LSHR: case XR_TRUNC: case XR_ZEXT: case XR_SEXT:
		return;
	case XR_ASHR:
		raw(lz, in->a);
		return;
	}
	if ((p & XP_CMP) && !(p & XP_FLOAT))
		return;
	raw(lz, in->a), raw(lz, in->b), raw(lz, in->c);
	if (in->op == XR_CALL)
		for (j = 0; j < in->narg; j++)
			raw(lz, u->ref[in->arg + j]);
}

/* Block bk's terminator's part of the lazy values (it reads raw). */
static inline void lazyexit(X86Unit *u, const RBlock *bk, uint8_t *lz)
{
	uint32_t j;

	raw(lz, bk->x.val);
	for (j = 0; j < bk->x.narg; j++)
		raw(lz, u->ref[bk->x.arg + j]);
}

/* The lazy values, when sweep() does not find them. */
static void lazies(X86Unit *u, uint8_t *lz)
{
	uint32_t b, i;
	RBlock *bk;

	for (b = 0; b < u->nblk; b++) {
		bk = &u->blk[b];
		for (i = 0; i < bk->nins; i++)
			lazyop(u, &bk->ins[i], lz);
		lazyexit(u, bk, lz);
	}
}

/* Drop pure ops whose result nobody uses (blocks and ops backwards, so
 * chains inside a block go in one sweep; an op the walk has passed stays),
 * with lz find the lazy values of the ops that stay, and compact each
 * block that lost ops (from its first removed op on). */
static void sweep(X86Unit *u, uint8_t *lz)
{
	uint32_t b, i, j, first;
	RBlock *bk;
	RIns *in;

	for (b = u->nblk; b-- > 0;) {
		bk = &u->blk[b];
		first = bk->nins; /* the first removed op */
		for (i = bk->nins; i-- > 0;) {
			in = &bk->ins[i];
			if (in->op == XR_NOP) { /* a dead store */
				first = i;
				continue;
			}
			if (in->res != X86_NONE && !x86_os.nuse[X86_REFIDX(in->res)] &&
			    (x86_opinfo[in->op].props & XP_PURE)) {
				kill(u, in);
				x86_optstats.dead++;
				first = i;
				continue;
			}
			if (lz)
				lazyop(u, in, lz);
		}
		if (lz)
			lazyexit(u, bk, lz);
		for (i = j = first; i < bk->nins; i++) {
			in = &bk->ins[i];
			if (in->op == XR_NOP)
				continue;
			bk->ins[j] = *in;
			if (in->res != X86_NONE)
				u->val[X86_REFIDX(in->res)].idx = j;
			j++;
		}
		bk->nins = j;
	}
}

/* --- guard chains ----------------------------------------------------------
 *
 * Brainfuck's `>>>>` becomes a chain of blocks, each stepping the pointer
 * and testing it against the tape's end:
 *
 *   b1: ...; x1 = add x0, s; c1 = eq x1, K; branch c1, E1, b2
 *   b2:      x2 = add x1, s; c2 = eq x2, K; branch c2, E2, b3  ... bm
 *
 * (s = 1 or -1, Ei exit stubs reached only from there, the chain's blocks
 * reached only from the block before).  Tests 1..m-1 fire exactly when x0
 * is in a range of m-1 values, so b1 ends with one range test instead:
 *
 *   b1: ...; d = add x0, -lo; r = ult d, m-1; branch r, D, bm
 *   D:  c1' = eq x1, K; branch c1', E1, b2      (the old chain, as before)
 *   bm: xm = add x0, m*s; ...                   (its own test stays)
 *
 * The values x1..x(m-1) are used only inside the chain and by its exits,
 * all still dominated by their definitions.
 */

/* Is block e an exit stub with no ops that only block b reaches? */
static int stubof(X86Unit *u, const uint32_t *npred, uint32_t e)
{
	RBlock *bk = &u->blk[e];

	return bk->x.kind == XE_STUB && !bk->nins && npred[e] == 1 && !bk->reentry;
}

/* Block b's test, if its last ops are `x = add y, s; c = eq x, K` and it
 * branches on c to an exit stub (Guard filled in); else 0. */
typedef struct {
	RIns *add;     /* x = add y, s */
	int64_t s, k;  /* step and tested constant */
	uint32_t exit; /* the stub block */
	uint32_t next; /* the other successor */
} Guard;

static int guardof(X86Unit *u, const uint32_t *npred, uint32_t b, Guard *g)
{
	RBlock *bk = &u->blk[b];
	RIns *ad, *eq;
	X86Ref x;

	if (bk->nins < 2 || bk->x.kind != XE_BRANCH)
		return 0;
	ad = &bk->ins[bk->nins - 2];
	eq = &bk->ins[bk->nins - 1];
	if (ad->op != XR_ADD || x86_bits(ad->type) != 64 || !iscon(ad->b) ||
	    isval(ad->a) == 0 || eq->op != XR_EQ || bk->x.val != eq->res ||
	    x86_os.nuse[X86_REFIDX(eq->res)] != 1)
		return 0;
	g->s = x86_conval(u, ad->b);
	if (g->s != 1 && g->s != -1)
		return 0;
	x = ad->res;
	if (eq->a == x && iscon(eq->b))
		g->k = x86_conval(u, eq->b);
	else if (eq->b == x && iscon(eq->a))
		g->k = x86_conval(u, eq->a);
	else
		return 0;
	g->add = ad;
	g->exit = bk->x.to[0];
	g->next = bk->x.to[1];
	return g->exit != b && g->next != b && stubof(u, npred, g->exit);
}

/* How many times exit block e lists r. */
static uint32_t inexit(X86Unit *u, uint32_t e, X86Ref r)
{
	RBlock *bk = &u->blk[e];
	uint32_t j, n = bk->x.val == r;

	for (j = 0; j < bk->x.narg; j++)
		n += u->ref[bk->x.arg + j] == r;
	return n;
}

/* Edges into each block (reentry blocks and the entry count one more). */
static void predcount(X86Unit *u, uint32_t *n)
{
	uint32_t b, k;
	RExit *x;

	memset(n, 0, u->nblk * sizeof *n);
	n[0] = 1;
	for (b = 0; b < u->nblk; b++) {
		x = &u->blk[b].x;
		n[b] += u->blk[b].reentry;
		switch (x->kind) {
		case XE_JUMP: n[x->to[0]]++; break;
		case XE_BRANCH: n[x->to[0]]++, n[x->to[1]]++; break;
		case XE_SWITCH:
			n[x->to[0]]++;
			for (k = 0; k < x->ncas; k++)
				n[u->cas[x->cas + k].to]++;
			break;
		case XE_FLEX:
			for (k = 0; k < x->site->ncase; k++)
				if (x->site->cases[k].to != X86_NOBLK)
					n[x->site->cases[k].to]++;
			break;
		}
	}
}

/* Rewrite the chain starting at b1 whose tests are g[0..m) (blocks b1,
 * g[0].next, ...); 0 when out of memory. */
static int mergechain(X86Unit *u, uint32_t b1, Guard *g, uint32_t m)
{
	RBlock *bk;
	RExit save;
	X86Ref x0 = g[0].add->a, x1 = g[0].add->res, d, r, c, kk;
	int64_t lo = g[0].s > 0 ? g[0].k - (int64_t)(m - 1) : g[0].k + 1;
	int dblk, t = g[0].add->type;
	uint32_t i;
	uint32_t bm = g[m - 2].next;

	if ((dblk = x86_block(u, 0, NULL)) < 0)
		return 0;
	c = x86_op2(u, dblk, XR_EQ, x1, x86_con(u, t, g[0].k));
	x86_branch(u, dblk, c, g[0].exit, g[0].next);
	bk = &u->blk[b1];
	save = bk->x;
	bk->x.kind = XE_NONE; /* reopened to append the range test */
	d = x86_op2(u, b1, XR_ADD, x0, x86_con(u, t, (int64_t)(0 - (uint64_t)lo)));
	r = x86_op2(u, b1, XR_ULT, d, x86_con(u, t, (int64_t)m - 1));
	bk = &u->blk[b1];
	bk->x = save;
	bk->x.val = r;
	bk->x.to[0] = (uint32_t)dblk;
	bk->x.to[1] = bm;
	kk = x86_con(u, t, (int64_t)m * g[0].s); /* bm: xm = x0 + m*s */
	if (u->err)
		return 0;
	g[m - 1].add->a = x0;
	g[m - 1].add->b = kk;
	u->blk[dblk].cold = 1; /* D and the old chain run only before an exit */
	for (i = 0; i + 2 < m; i++)
		u->blk[g[i].next].cold = 1;
	x86_optstats.guards += m - 1;
	return 1;
}

/* Find and merge the guard chains (block order; each block in one chain
 * at most).  Returns 1 when the IR changed (use counts are stale). */
static int guards(X86Unit *u)
{
	uint32_t *npred, b, nb = u->nblk, m, i;
	Guard g[64];
	int changed = 0;

	if (nb < 4 || !(npred = x86_alloc(NULL, 2 * (size_t)nb * sizeof *npred)))
		return 0;
	predcount(u, npred);
	memset(npred + nb, 0, nb * sizeof *npred); /* done[]: in a chain */
	for (b = 0; b < nb && !u->err; b++) {
		if (npred[nb + b] || !guardof(u, npred, b, &g[0]))
			continue;
		for (m = 1; m < 64; m++) {
			RIns *ad;
			uint32_t nx = g[m - 1].next;
			RBlock *bk = &u->blk[nx];
			if (nx >= nb || npred[nx] != 1 || bk->reentry || bk->nins != 2 ||
			    npred[nb + nx] || !guardof(u, npred, nx, &g[m]))
				break;
			ad = g[m].add;
			if (ad->a != g[m - 1].add->res || g[m].s != g[0].s ||
			    g[m].k != g[0].k ||
			    x86_os.nuse[X86_REFIDX(ad->a)] !=
			    2 + inexit(u, g[m - 1].exit, ad->a))
				break;
		}
		if (m < 3)
			continue;
		for (i = 0, npred[nb + b] = 1; i + 1 < m; i++)
			npred[nb + g[i].next] = 1;
		if (!mergechain(u, b, g, m))
			break;
		changed = 1;
	}
	free(npred);
	return changed;
}

/* Sink the pure ops of block b whose results only exit stub block e
 * uses (its live values: the interpreter state a guard hands over) into
 * e, so the path that stays in the unit does not compute them.  cnt[] is
 * zero on entry and on return. */
static void sinkinto(X86Unit *u, uint32_t b, uint32_t e, uint32_t *cnt)
{
	RBlock *bk = &u->blk[b], *ek = &u->blk[e];
	uint32_t i, j, n = 0;
	RIns *in;

	for (j = 0; j < ek->x.narg; j++)
		use1(cnt, u->ref[ek->x.arg + j], 1);
	for (i = bk->nins; i-- > 0;) {
		in = &bk->ins[i];
		in->pad = 0;
		if (!(x86_opinfo[in->op].props & XP_PURE) || in->op == XR_SLOT ||
		    in->res == X86_NONE ||
		    cnt[X86_REFIDX(in->res)] != x86_os.nuse[X86_REFIDX(in->res)])
			continue;
		in->pad = 1; /* sinks (pad is the backend's scratch, reset later) */
		n++;
		use1(cnt, in->a, 1), use1(cnt, in->b, 1), use1(cnt, in->c, 1);
	}
	for (j = 0; j < ek->x.narg; j++)
		if (isval(u->ref[ek->x.arg + j]))
			cnt[X86_REFIDX(u->ref[ek->x.arg + j])] = 0;
	for (i = 0; i < bk->nins; i++) {
		in = &bk->ins[i];
		if (!in->pad)
			continue;
		if (isval(in->a)) cnt[X86_REFIDX(in->a)] = 0;
		if (isval(in->b)) cnt[X86_REFIDX(in->b)] = 0;
		if (isval(in->c)) cnt[X86_REFIDX(in->c)] = 0;
	}
	if (!n || !x86_grow(u, &ek->ins, &ek->capins, n, sizeof *ek->ins))
		return;
	for (i = j = 0; i < bk->nins; i++) {
		in = &bk->ins[i];
		if (in->pad) {
			in->pad = 0;
			ek->ins[ek->nins] = *in;
			u->val[X86_REFIDX(in->res)].blk = e;
			u->val[X86_REFIDX(in->res)].idx = ek->nins++;
			continue;
		}
		if (i != j) {
			bk->ins[j] = *in;
			if (in->res != X86_NONE)
				u->val[X86_REFIDX(in->res)].idx = j;
		}
		j++;
	}
	bk->nins = j;
	x86_optstats.sunk += n;
}

/* Every branch to an exit stub that only it reaches: sink into it. */
static void sink(X86Unit *u)
{
	uint32_t nb = u->nblk, *npred, *cnt, b, k, e;
	RExit *x;

	if (!(npred = x86_alloc(NULL, ((size_t)nb + u->nval + 1) * sizeof *npred)))
		return;
	cnt = npred + nb;
	memset(cnt, 0, ((size_t)u->nval + 1) * sizeof *cnt);
	predcount(u, npred);
	for (b = 0; b < nb; b++) {
		x = &u->blk[b].x;
		if (x->kind != XE_BRANCH || !u->blk[b].nins)
			continue;
		for (k = 0; k < 2; k++) {
			e = x->to[k];
			if (e != b && stubof(u, npred, e))
				sinkinto(u, b, e, cnt);
		}
	}
	free(npred);
}

/* Room for the per-value arrays of the unit's values, zeroed (the use
 * counts are then to be counted); 0 when out of memory. */
static int counts(X86Unit *u)
{
	uint32_t nv = u->nval + 1;
	void *p;

	if (nv > x86_os.cap) {
		free(x86_os.nuse);
		x86_os.nuse = NULL;
		x86_os.lazy = NULL;
		x86_os.cap = 0;
		if (!(p = x86_alloc(NULL, (size_t)nv * 5)))
			return x86_fail(u, X86_ENOMEM);
		x86_os.nuse = p;
		x86_os.lazy = (uint8_t *)(x86_os.nuse + nv);
		x86_os.cap = nv;
	}
	memset(x86_os.nuse, 0, (size_t)nv * sizeof *x86_os.nuse);
	memset(x86_os.lazy, 0, nv); /* lazy sits at nuse + cap, not + nv */
	return 1;
}

/* Could the unit hold a guard chain?  At least three blocks end in
 * `add y, +-1; eq; branch` to an exit stub with no ops (guardof's shape,
 * before it looks at use counts and predecessors). */
static int guardshape(X86Unit *u)
{
	uint32_t b, n = 0;
	RBlock *bk, *ek;
	RIns *ad;

	if (u->nblk < 4)
		return 0;
	for (b = 0; b < u->nblk; b++) {
		bk = &u->blk[b];
		if (bk->nins < 2 || bk->x.kind != XE_BRANCH ||
		    bk->ins[bk->nins - 1].op != XR_EQ)
			continue;
		ad = &bk->ins[bk->nins - 2];
		ek = &u->blk[bk->x.to[0]];
		if (ad->op == XR_ADD && iscon(ad->b) && ek->x.kind == XE_STUB &&
		    !ek->nins && ++n >= 3)
			return 1;
	}
	return 0;
}

/* The pass (x86_compile calls it before anything else looks at the
 * unit): guard chains (OPT_GUARD, only when the unit has their shape;
 * they need the use counts first), the rewrites (OPT_IR; they count the
 * uses as they go when nothing did before), lazy values (OPT_ISEL, found
 * by the sweep when the rewrites run).  Returns 0 when out of memory
 * (the unit failed). */
int x86_opt(X86Unit *u)
{
	uint32_t b;
	int counted = 0;
	uint8_t *lz;

	x86_os.mode = x86_optmode();
	x86_os.nskip = 0;
	x86_os.flagsin = NULL;
	x86_os.flagspos = 0;
	if (!counts(u))
		return 0;
	if ((x86_os.mode & OPT_GUARD) && guardshape(u)) {
		countuses(u, x86_os.nuse);
		if (guards(u)) { /* the counts are stale */
			if (!counts(u))
				return 0;
			countuses(u, x86_os.nuse);
		}
		counted = 1;
	}
	lz = x86_os.mode & OPT_ISEL ? x86_os.lazy : NULL;
	if (x86_os.mode & OPT_IR) {
		for (b = 0; b < u->nblk && !u->err; b++)
			forward(u, b, !counted);
		sweep(u, lz);
		if (x86_os.mode & OPT_SINK)
			sink(u);
		return !u->err;
	}
	if (!counted)
		countuses(u, x86_os.nuse);
	if (lz)
		lazies(u, lz);
	return !u->err;
}
