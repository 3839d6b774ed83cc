/*
 * regalloc.c: the fast local register allocator of the backend (used by
 * lower.c while it walks a unit once, in block order).
 *
 * Liveness is cheap because of one rule: at every block boundary no value
 * lives in a register.  ra_analyse splits values in two kinds:
 *   global  used outside its defining block, a block argument, or live at
 *           a patchable exit.  It gets a home, an 8-byte frame slot at
 *           [rbp - off], written when the value is defined (write-through),
 *           so every block entry, exit stub and bridge finds it in memory.
 *   local   used only in its block; last[v] is the position of its last
 *           use there (an op index, or nins for the terminator).
 * Within a block a register caches one value (vreg[], reg[]).  A register
 * is free when empty or when its local value is dead (last < cur);
 * ra_release frees the registers of operands that die at the current op.
 * When none is free, ra_alloc evicts a global (already in memory, costs
 * only a reload) or else the local used furthest ahead, which ra_spill
 * first stores to a home of its own (it then counts as global).  Registers
 * of operands already fetched are locked, and before evicting, those of the
 * current op's other operands too (ra_lock), so loading one operand never
 * evicts another.  score[] caches each register's rank, so
 * the eviction scan reads one small array.
 *
 * The frame grows downwards from the callee-saved area; homes, spill homes
 * and stack slots are carved from it by ra_frame (bridges continue from
 * the tree's high-water mark, see lower.c).
 */
#include <string.h>

#include "internal.h"
#include "backend.h"


/* Reserve size bytes of frame aligned to align; returns the (negative)
 * rbp offset of the lowest byte. */
int32_t ra_frame(X86Ctx *c, int32_t size, int32_t align)
{
	BUnit *bu = c->bu;

	bu->frame = (bu->frame + size + align - 1) & ~(align - 1);
	return -bu->frame;
}

/* The home of value v, allocated on first request. */
int32_t ra_home(X86Ctx *c, uint32_t v)
{
	if (!c->bu->home[v])
		c->bu->home[v] = ra_frame(c, 8, 8);
	return c->bu->home[v];
}

/* Is value v needed after the current op? */
int ra_liveafter(X86Ctx *c, uint32_t v)
{
	return c->last[v] > c->cur;
}

/* Store value v (cached in r) to its home if it has none yet in memory. */
void ra_spill(X86Ctx *c, int r)
{
	uint32_t v = c->vreg[r];

	if (!v || c->glob[v] || c->last[v] < c->cur)
		return;
	/* a local still needed: give it a home, then it is like a global */
	if (r >= 16)
		x86_oprm(&c->b, XO_MOVSDST, 4, r - 16, rbpmem(ra_home(c, v)));
	else
		x86_alumr(&c->b, XO_MOV, 8, rbpmem(ra_home(c, v)), r);
	c->glob[v] = 1;
	c->gmask |= 1u << r;
}

/* Empty register r, saving a value still needed. */
void ra_free(X86Ctx *c, int r)
{
	ra_spill(c, r);
	ra_drop(c, r);
}

/* No register of the candidates m is empty: take one whose local value is
 * dead, else evict a global value (it is in memory) or the local used
 * furthest ahead.  score[] caches each register's rank so the scan reads
 * one array. */
int ra_evict(X86Ctx *c, int type, uint32_t m)
{
	int r, best = -1;
	uint32_t far = 0, sc;

	if (c->in) {
		/* evicting: keep the current op's operands (lock them now) */
		ra_lock(c, c->in->a);
		ra_lock(c, c->in->b);
		ra_lock(c, c->in->c);
		m &= ~c->lock;
	}
	if (m & c->gmask) {
		r = __builtin_ctz(m & c->gmask);
		ra_drop(c, r);
		return r;
	}
	for (; m; m &= m - 1) {
		r = __builtin_ctz(m);
		sc = c->score[r];
		if (sc < c->cur) {
			ra_drop(c, r);
			return r;
		}
		if (sc >= far)
			far = sc, best = r;
	}
	if (best < 0) {
		x86_fail(c->u, X86_EUNSUP);
		return ra_isf(type) ? XMM(15) : X86_R11;
	}
	ra_free(c, best);
	return best;
}

/* Forget every register (block boundary). */
void ra_reset(X86Ctx *c)
{
	uint32_t m;

	for (m = c->used; m; m &= m - 1)
		ra_drop(c, __builtin_ctz(m));
	c->lock = 0;
}

/* Is value v a parameter of a root unit?  Those arrive in registers, not
 * through a jump, so they need a home only if used in other blocks. */
static int isparam(X86Ctx *c, uint32_t v)
{
	return c->u->val[v].blk == 0 && !c->u->from;
}

/* Note a use of r at position pos of block b. */
static inline void note(X86Ctx *c, X86Ref r, uint32_t b)
{
	uint32_t v;

	if (X86_REFKIND(r) != XK_VAL)
		return;
	v = X86_REFIDX(r);
	c->hasuse[v] = 1;
	if (c->u->val[v].blk != b || (c->u->val[v].kind == XV_ARG && !isparam(c, v)))
		c->glob[v] = 1;
}

/* Count the edges of terminator x into the blocks of the unit. */
static void preds(X86Ctx *c, RExit *x)
{
	X86Unit *u = c->u;
	uint32_t k;

	switch (x->kind) {
	case XE_JUMP:
		c->npred[x->to[0]]++;
		break;
	case XE_BRANCH:
		c->npred[x->to[0]]++;
		c->npred[x->to[1]]++;
		break;
	case XE_SWITCH:
		c->npred[x->to[0]]++;
		for (k = 0; k < x->ncas; k++)
			c->npred[u->cas[x->cas + k].to]++;
		break;
	case XE_FLEX:
		for (k = 0; k < x->site->ncase; k++)
			if (x->site->cases[k].to != X86_NOBLK)
				c->npred[x->site->cases[k].to]++;
		break;
	}
}

/* Record a use of r at position pos of block b. */
static inline void lastuse(X86Ctx *c, X86Ref r, uint32_t b, uint32_t pos)
{
	if (X86_REFKIND(r) == XK_VAL) {
		c->last[X86_REFIDX(r)] = pos;
		c->useblk[X86_REFIDX(r)] = b + 1;
	}
}

/* Set last[v] (and useblk[v]) of every value block b uses: the position of its last use
 * (op index, nins for the terminator).  Run before lowering the block. */
void ra_block(X86Ctx *c, uint32_t b)
{
	X86Unit *u = c->u;
	RBlock *bk = &u->blk[b];
	uint32_t i, j;
	RIns *in;

	for (i = 0; i < bk->nins; i++) {
		in = &bk->ins[i];
		lastuse(c, in->a, b, i);
		lastuse(c, in->b, b, i);
		lastuse(c, in->c, b, i);
		if (in->op == XR_CALL)
			for (j = 0; j < in->narg; j++)
				lastuse(c, u->ref[in->arg + j], b, i);
	}
	lastuse(c, bk->x.val, b, bk->nins);
	for (j = 0; j < bk->x.narg; j++)
		lastuse(c, u->ref[bk->x.arg + j], b, bk->nins);
}

/* Recompute the rank of every register (after ra_block). */
void ra_rescore(X86Ctx *c)
{
	uint32_t m, v;
	int r;

	for (m = c->used; m; m &= m - 1) {
		r = __builtin_ctz(m);
		v = c->vreg[r];
		c->score[r] = c->glob[v] ? 0xffffffffu : c->last[v];
	}
}

/*
 * Does block b-1 fall through into block b (a jump or branch to b)?  Then
 * b starts with what b-1 left in registers.  Other ways into b (jumps from
 * elsewhere, bridges, switch cases) go through an entry pad that loads
 * those registers from the values' homes (lower.c), so b keeps them
 * whatever its predecessors.
 */
int ra_falls(X86Ctx *c, uint32_t b)
{
	RExit *x;

	if (b == 0)
		return 0;
	x = &c->u->blk[b - 1].x;
	return (x->kind == XE_JUMP && x->to[0] == b) ||
	       (x->kind == XE_BRANCH && (x->to[0] == b || x->to[1] == b) &&
	        x->to[0] != x->to[1]);
}

/* Does a block that keeps registers need an entry pad for other entries? */
int ra_needpad(X86Ctx *c, uint32_t b)
{
	return c->npred[b] != 1 || c->u->blk[b].reentry;
}

/* At the start of block b (after ra_block) that falls from b-1: keep the
 * cached globals that b uses, forget the rest. */
void ra_keepused(X86Ctx *c, uint32_t b)
{
	uint32_t m, v;
	int r;

	for (m = c->used; m; m &= m - 1) {
		r = __builtin_ctz(m);
		v = c->vreg[r];
		if (!c->glob[v] || c->useblk[v] != b + 1)
			ra_drop(c, r);
	}
	c->lock = 0;
}

/* Compute glob[], hasuse[] and npred[] for the unit (one pass). */
void ra_analyse(X86Ctx *c)
{
	X86Unit *u = c->u;
	uint32_t b, i, j;
	RBlock *bk;
	RIns *in;
	RExit *x;

	for (b = 0; b < u->nblk; b++) {
		bk = &u->blk[b];
		for (i = 0; i < bk->narg; i++)
			if (!isparam(c, bk->arg + i))
				c->glob[bk->arg + i] = 1;
		for (i = 0; i < bk->nins; i++) {
			in = &bk->ins[i];
			note(c, in->a, b);
			note(c, in->b, b);
			note(c, in->c, b);
			if (in->op == XR_CALL)
				for (j = 0; j < in->narg; j++)
					note(c, u->ref[in->arg + j], b);
		}
		x = &bk->x;
		preds(c, x);
		note(c, x->val, b);
		for (j = 0; j < x->narg; j++) {
			X86Ref r = u->ref[x->arg + j];
			note(c, r, b);
			if ((x->kind == XE_STUB || x->kind == XE_FLEX) &&
			    X86_REFKIND(r) == XK_VAL)
				c->glob[X86_REFIDX(r)] = 1;
		}
	}
}

/* Give every global value its home before any code uses it (blocks are
 * laid out in index order, not in dominance order). */
void ra_homes(X86Ctx *c)
{
	uint32_t v;

	for (v = 1; v < c->u->nval; v++)
		if (c->glob[v])
			ra_home(c, v);
}

