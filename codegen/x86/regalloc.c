/*
 * regalloc.c: the register allocators of the backend: ra_global assigns
 * registers to values for their whole live range, across blocks (see its
 * section below); the fast local allocator serves lower.c while it walks
 * the unit once, in block order.
 *
 * ra_analyse (one backward pass over each block) splits values in two
 * kinds:
 *   global  used outside its defining block, a block argument, or live at
 *           a patchable exit.  Unless ra_global gave it a register
 *           (rhome[]), it gets a home, an 8-byte frame slot at [rbp - off],
 *           written when the value is defined (write-through), so every
 *           block entry finds it in memory.
 *   local   used only in its block; hi[v] is the position of its last use.
 * It also flags, on each op (RIns.pad), the operands whose value the block
 * does not use again.  Within a block a register of the local pools
 * (imask, xmask: the rest) caches one value (vreg[], reg[]).  A register
 * is free when empty or when its local value is dead (hi < cur);
 * ra_release frees the registers of operands that die at the current op.
 * A value with a register across blocks is never in vreg[]: reg[v] is
 * that register all along, so the local allocator neither evicts nor
 * drops it.
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
#include <stdlib.h>
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

/* Store value v (cached in r) to its home if it has none yet in memory. */
void ra_spill(X86Ctx *c, int r)
{
	uint32_t v = c->vreg[r];

	if (!v || c->glob[v] || c->hi[v] < c->cur)
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

/* Note a use of r at position p of block b, walking each block backwards:
 * the first use seen in a block is its last there (returns 1; hi[] then
 * ends at it, positions growing in block order, so hi[v] past b's first
 * position 2 * base[b] says v was seen in b already).  A use in another
 * block makes r global and is recorded once per block (c->xuse) for
 * ra_global. */
static inline int note(X86Ctx *c, X86Ref r, uint32_t b, uint32_t s,
                       uint32_t p)
{
	uint32_t v;
	RVal *rv;

	if (X86_REFKIND(r) != XK_VAL)
		return 0;
	v = X86_REFIDX(r);
	if (c->hi[v] > s) /* a later use in b was seen (s: 2 * base[b]) */
		return 0;
	rv = &c->u->val[v];
	c->hi[v] = p;
	if (rv->blk != b) { /* (a block argument is global anyway) */
		c->glob[v] = 1;
		if (c->nxuse + 2 > c->capxuse &&
		    !x86_grow(c->u, &c->xuse, &c->capxuse, c->nxuse + 2,
		              sizeof *c->xuse))
			return 1;
		c->xuse[c->nxuse++] = v;
		c->xuse[c->nxuse++] = b;
	}
	return 1;
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

/*
 * Does the block lowered before b (lprev[b], see lower.c's layout) fall
 * through into b (a jump or branch to b)?  Then b starts with what that
 * block left in registers.  Other ways into b (jumps from
 * elsewhere, bridges, switch cases) go through an entry pad that loads
 * those registers from the values' homes (lower.c), so b keeps them
 * whatever its predecessors.
 */
int ra_falls(X86Ctx *c, uint32_t b)
{
	RExit *x;

	if (c->lprev[b] == X86_NOBLK)
		return 0;
	x = &c->u->blk[c->lprev[b]].x;
	return (x->kind == XE_JUMP && x->to[0] == b) ||
	       (x->kind == XE_BRANCH && (x->to[0] == b || x->to[1] == b) &&
	        x->to[0] != x->to[1]);
}

/* Does a block that keeps registers need an entry pad for other entries? */
int ra_needpad(X86Ctx *c, uint32_t b)
{
	return c->npred[b] != 1 || c->u->blk[b].reentry;
}

/* The registers of the values among mask m that r is cached in. */
static inline uint32_t cachedin(X86Ctx *c, X86Ref r, uint32_t m)
{
	int g;

	if (X86_REFKIND(r) != XK_VAL || (g = c->reg[X86_REFIDX(r)]) < 0)
		return 0;
	return m & 1u << g;
}

/* At the start of block b that falls from lprev[b]: keep the cached globals
 * that b uses (one scan of b, stopping once all are found), forget the
 * rest. */
void ra_keepused(X86Ctx *c, uint32_t b)
{
	RBlock *bk = &c->u->blk[b];
	uint32_t m = c->used & c->gmask, keep = 0, i, j;
	RIns *in;

	for (i = 0; i < bk->nins && keep != m; i++) {
		in = &bk->ins[i];
		keep |= cachedin(c, in->a, m) | cachedin(c, in->b, m) |
		        cachedin(c, in->c, m);
		if (in->op == XR_CALL)
			for (j = 0; j < in->narg; j++)
				keep |= cachedin(c, c->u->ref[in->arg + j], m);
	}
	keep |= cachedin(c, bk->x.val, m);
	for (j = 0; j < bk->x.narg && keep != m; j++)
		keep |= cachedin(c, c->u->ref[bk->x.arg + j], m);
	for (m = c->used & ~keep; m; m &= m - 1)
		ra_drop(c, __builtin_ctz(m));
	c->lock = 0;
}

/* Compute glob[], jumparg[], npred[] for the unit, the last-use flags of
 * the operands (RIns.pad bits 0-2 for a, b, c: the value is not used
 * later in the block), and for ra_global the positions base[], the last
 * uses hi[], the uses in other blocks xuse[] and the calls (one pass,
 * each block backwards). */
void ra_analyse(X86Ctx *c)
{
	X86Unit *u = c->u;
	uint32_t b, i, j, p = 0, e, ncall, s;
	RBlock *bk;
	RIns *in;
	RExit *x;
	X86Ref r;

	for (b = 0; b < u->nblk; b++) {
		bk = &u->blk[b];
		c->base[b] = p / 2;
		s = p;
		for (i = 0; i < bk->narg; i++)
			if (!isparam(c, bk->arg + i))
				c->glob[bk->arg + i] = 1;
		x = &bk->x;
		preds(c, x);
		e = 2 * (c->base[b] + 1 + bk->nins);
		note(c, x->val, b, s, e);
		for (j = 0; j < x->narg; j++) {
			r = u->ref[x->arg + j];
			note(c, r, b, s, e);
			if (X86_REFKIND(r) != XK_VAL)
				continue;
			if (x->kind == XE_STUB || x->kind == XE_FLEX)
				c->glob[X86_REFIDX(r)] = 1;
			else /* a jump argument */
				c->jumparg[X86_REFIDX(r)] = 1;
		}
		for (ncall = c->ncall, p = e, i = bk->nins; i-- > 0;) {
			in = &bk->ins[i];
			p -= 2;
			if (in->op == XR_CALL) {
				for (j = 0; j < in->narg; j++)
					note(c, u->ref[in->arg + j], b, s, p);
				if (x86_grow(u, &c->calls, &c->capcall, c->ncall + 1,
				             sizeof *c->calls))
					c->calls[c->ncall++] = p;
			}
			in->pad = (uint8_t)(note(c, in->c, b, s, p) << 2 |
			                    note(c, in->b, b, s, p) << 1 |
			                    note(c, in->a, b, s, p));
		}
		for (i = ncall, j = c->ncall; i + 1 < j; i++, j--) { /* increasing */
			p = c->calls[i];
			c->calls[i] = c->calls[j - 1];
			c->calls[j - 1] = p;
		}
		p = e + 2;
	}
	c->base[u->nblk] = p / 2;
}

/* --- global allocation: registers across blocks ---------------------------
 *
 * ra_global gives some global values a register for their whole live range
 * (rhome[]), so loop-carried block arguments and values used in several
 * blocks stay in registers.  Positions number the unit in lowering order
 * (block index order): block b's arguments are defined at 2*base[b], op i
 * is used at 2*(base[b]+1+i) and defines its result one later, the
 * terminator uses at 2*(base[b]+1+nins) and the block ends one later.  A
 * value's interval is the hull [lo, hi] of every point where it is live:
 * its definition, its uses, the start of every block where it is live-in
 * and the end of every predecessor of such a block.  Live-in blocks come
 * from walking backwards from each use in another block to the defining
 * block (cost proportional to the live range).  Then a linear scan over
 * the intervals sorted by start assigns GINTREGS/GXMMREGS (f64 intervals
 * containing a call stay in memory: xmm registers do not survive calls),
 * and GCALLREGS to integer intervals without a call (callfree) when no
 * callee-saved register is free; when none is free, the interval ending
 * last among those holding a register it may use goes to memory.  A value and
 * an operand that dies where it is defined may share a register (the
 * operand is used at an even position, the result defined at the odd one
 * after), which makes `x = x + 1` loops run in place.
 *
 * Why one register for the whole hull is enough: a register is written
 * only at the definition of a value that owns it (inside its interval) or
 * by the parallel move of a jump into the arguments of its target, and
 * every value live across that jump is live-in at the target, as are the
 * target's arguments' intervals' starts, so they never share a register.
 */

/* Scratch of ra_global (one allocation). */
typedef struct {
	uint32_t *base;    /* per block: first position / 2 (X86Ctx.base) */
	uint32_t *predoff; /* per block: its predecessors in pred[] */
	uint32_t *pred;    /* predecessor blocks */
	uint32_t *lo, *hi; /* per value: interval (hi is X86Ctx.hi) */
	uint32_t *useoff;  /* per value: its uses in other blocks in usebk[] */
	uint32_t *usebk;   /* blocks of those uses */
	uint32_t *stamp;   /* per block: last value whose walk reached it */
	uint32_t *work;    /* worklist of blocks */
	uint32_t *calls;   /* positions of the calls, increasing */
	uint32_t ncall;    /* their count */
	uint32_t *cand;    /* the candidates */
	uint64_t *order;   /* candidates, (lo << 32 | value), sorted */
	uint32_t *act;     /* gslots: intervals holding a slot, then freed slots */
} GScan;

/* Is value v a candidate for a register across blocks?  Global values,
 * and jump arguments (so the move into the target's argument vanishes
 * when they share its register); a bridge's entry arguments too (its
 * entry moves them from where the site leaves them: lower.c). */
static inline int candidate(X86Ctx *c, uint32_t v)
{
	return (c->glob[v] || c->jumparg[v]) && c->hi[v];
}

/* Widen the interval of v to contain position p. */
static inline void widen(GScan *g, uint32_t v, uint32_t p)
{
	if (p < g->lo[v])
		g->lo[v] = p;
	if (p > g->hi[v])
		g->hi[v] = p;
}

/* Record b as a predecessor of t (predoff[t] counts down to t's start). */
static inline void addpred(GScan *g, uint32_t t, uint32_t b)
{
	g->pred[--g->predoff[t]] = b;
}

/* Fill pred[] from the terminators (c->npred has the counts). */
static void gpreds(X86Ctx *c, GScan *g)
{
	X86Unit *u = c->u;
	uint32_t b, k, n = 0;
	RExit *x;

	for (b = 0; b < u->nblk; b++)
		g->predoff[b] = (n += c->npred[b]);
	g->predoff[u->nblk] = n;
	for (b = 0; b < u->nblk; b++) {
		x = &u->blk[b].x;
		switch (x->kind) {
		case XE_JUMP:
			addpred(g, x->to[0], b);
			break;
		case XE_BRANCH:
			addpred(g, x->to[0], b);
			addpred(g, x->to[1], b);
			break;
		case XE_SWITCH:
			addpred(g, x->to[0], b);
			for (k = 0; k < x->ncas; k++)
				addpred(g, u->cas[x->cas + k].to, b);
			break;
		case XE_FLEX:
			for (k = 0; k < x->site->ncase; k++)
				if (x->site->cases[k].to != X86_NOBLK)
					addpred(g, x->site->cases[k].to, b);
			break;
		}
	}
}

/* Walk backwards from the blocks where v is used (other than its
 * defining block d) to d, widening v's interval over the live range. */
static void gwalk(X86Ctx *c, GScan *g, uint32_t v, uint32_t from, uint32_t to)
{
	uint32_t d = c->u->val[v].blk, n = 0, x, p, k;

	for (k = from; k < to; k++)
		if (g->stamp[g->usebk[k]] != v)
			g->stamp[g->usebk[k]] = v, g->work[n++] = g->usebk[k];
	while (n) {
		x = g->work[--n];
		widen(g, v, 2 * g->base[x]);
		for (k = g->predoff[x]; k < g->predoff[x + 1]; k++) {
			p = g->pred[k];
			widen(g, v, 2 * (g->base[p] + 1 + c->u->blk[p].nins) + 1);
			if (p != d && g->stamp[p] != v)
				g->stamp[p] = v, g->work[n++] = p;
		}
	}
}

/* Does the interval (lo, hi) contain a call? */
static int crosscall(GScan *g, uint32_t lo, uint32_t hi)
{
	uint32_t l = 0, h = g->ncall, m;

	while (l < h) { /* first call after lo */
		m = (l + h) / 2;
		if (g->calls[m] <= lo)
			l = m + 1;
		else
			h = m;
	}
	return l < g->ncall && g->calls[l] < hi;
}

/* May integer value v live in a caller-saved register (GCALLREGS)?  Not
 * when its interval contains a call or ends at one (an argument: the
 * call's argument moves may overwrite it), nor for a root's parameter
 * (the entry moves parameters from argument registers, r8 r9 among
 * them). */
static int callfree(X86Ctx *c, GScan *g, uint32_t v)
{
	return !crosscall(g, g->lo[v], g->hi[v] + 1) &&
	       !(isparam(c, v) && c->u->val[v].kind == XV_ARG);
}

/* The register of operand r if it is one of the free registers m. */
static int hintref(X86Ctx *c, X86Ref r, uint32_t m)
{
	int h;

	if (X86_REFKIND(r) != XK_VAL)
		return -1;
	h = c->rhome[X86_REFIDX(r)];
	return h >= 0 && (m >> h & 1) ? h : -1;
}

/* A register of the free set m for v: the register of an operand that
 * dies here (an op result), or of the value a jump passes (a block
 * argument; a bridge's entry argument: the register the site leaves it
 * in), else the lowest, callee-saved first. */
static int ghint(X86Ctx *c, GScan *g, uint32_t v, uint32_t m)
{
	X86Unit *u = c->u;
	RVal *rv = &u->val[v];
	uint32_t k;
	RExit *x;
	RIns *in;
	int h;

	if (rv->kind == XV_OP) {
		in = &u->blk[rv->blk].ins[rv->idx];
		if ((h = hintref(c, in->a, m)) >= 0)
			return h;
		if ((x86_opinfo[in->op].props & XP_COMM) &&
		    (h = hintref(c, in->b, m)) >= 0)
			return h;
		x = &u->blk[rv->blk].x; /* the argument a jump passes it to */
		for (k = 0; x->kind == XE_JUMP && k < x->narg; k++)
			if (u->ref[x->arg + k] == X86_MKREF(XK_VAL, v) &&
			    (h = c->rhome[u->blk[x->to[0]].arg + k]) >= 0 && (m >> h & 1))
				return h;
	} else {
		if (u->from && rv->blk == 0 && /* where the site leaves it */
		    (h = x86_sitereg(u->from, rv->idx)) >= 0 && (m >> h & 1))
			return h;
		for (k = g->predoff[rv->blk]; k < g->predoff[rv->blk + 1]; k++) {
			x = &u->blk[g->pred[k]].x;
			if (x->kind == XE_JUMP && rv->idx < x->narg &&
			    (h = hintref(c, u->ref[x->arg + rv->idx], m)) >= 0)
				return h;
		}
	}
	if (m & GINTREGS) /* callee-saved first: a bridge finds it there */
		m &= GINTREGS;
	return __builtin_ctz(m);
}

static int cmpu64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort the n keys k[]: insertion sort when short (candidates come almost
 * in order of their definitions), else qsort. */
static void gsort(uint64_t *k, uint32_t n)
{
	uint32_t i, j;
	uint64_t x;

	if (n > 32) {
		qsort(k, n, sizeof *k, cmpu64);
		return;
	}
	for (i = 1; i < n; i++) {
		for (x = k[i], j = i; j > 0 && k[j - 1] > x; j--)
			k[j] = k[j - 1];
		k[j] = x;
	}
}

/* The linear scan over the n sorted intervals; returns the registers
 * used. */
static uint32_t gscan(X86Ctx *c, GScan *g, uint32_t n)
{
	uint32_t act[32], nact = 0, fr = GINTREGS | GCALLREGS | GXMMREGS;
	uint32_t k, j, v, m, best, pool, used = 0;
	int f, r;

	for (k = 0; k < n; k++) {
		v = (uint32_t)g->order[k];
		for (j = 0; j < nact;) /* expire intervals that ended */
			if (g->hi[act[j]] < g->lo[v])
				fr |= 1u << c->rhome[act[j]], act[j] = act[--nact];
			else
				j++;
		f = ra_isf(c->u->val[v].type);
		if (f && crosscall(g, g->lo[v], g->hi[v]))
			continue;
		pool = f ? GXMMREGS
		       : callfree(c, g, v) ? GINTREGS | GCALLREGS : GINTREGS;
		m = fr & pool;
		if (m) {
			r = ghint(c, g, v, m);
		} else { /* the interval ending last goes to memory */
			for (best = nact, j = 0; j < nact; j++)
				if ((pool >> c->rhome[act[j]] & 1) &&
				    g->hi[act[j]] > g->hi[best < nact ? act[best] : v])
					best = j;
			if (best == nact)
				continue;
			r = c->rhome[act[best]];
			c->rhome[act[best]] = -1;
			act[best] = act[--nact];
		}
		c->rhome[v] = (int8_t)r;
		fr &= ~(1u << r);
		used |= 1u << r;
		act[nact++] = v;
	}
	return used;
}

/* Homes of the candidates left in memory: a linear scan like gscan's over
 * the same intervals, so values whose intervals do not overlap share a
 * frame slot (the argument of the comment above holds for slots as for
 * registers).  Without it a unit's frame grows by 8 bytes per value in
 * memory. */
static void gslots(X86Ctx *c, GScan *g, uint32_t n)
{
	uint32_t *act = g->act, *freed = g->act + n;
	uint32_t nact = 0, nfree = 0, k, j, v;

	for (k = 0; k < n; k++) {
		v = (uint32_t)g->order[k];
		if (c->rhome[v] >= 0 || !c->glob[v] || c->bu->home[v])
			continue;
		for (j = 0; j < nact;) /* expire intervals that ended */
			if (g->hi[act[j]] < g->lo[v])
				freed[nfree++] = (uint32_t)-c->bu->home[act[j]], act[j] = act[--nact];
			else
				j++;
		c->bu->home[v] = nfree ? -(int32_t)freed[--nfree] : ra_frame(c, 8, 8);
		act[nact++] = v;
	}
}

/* Assign registers across blocks (see above); sets rhome[], reg[] of
 * those values, and the local allocator's pools.  Uses what ra_analyse
 * gathered: positions, last uses, uses in other blocks, calls. */
void ra_global(X86Ctx *c)
{
	X86Unit *u = c->u;
	uint32_t nb = u->nblk, nv = u->nval, b, i, v, n = 0, nuse = 0, e = 0, k;
	uint32_t used;
	size_t words;
	uint32_t *mem;
	RVal *rv;
	GScan g;

	c->imask = INTREGS;
	c->xmask = XMMREGS;
	if (u->err)
		return;
	for (b = 0; b < nb; b++)
		e += c->npred[b];
	words = 3 * ((size_t)nb + 1) + e + 3 * ((size_t)nv + 1) + c->nxuse / 2 +
	        3 * (size_t)nv + 2 + 2 * (size_t)nv; /* order (aligned), act */
	if (!(mem = x86_scratch(words * sizeof *mem))) {
		x86_fail(u, X86_ENOMEM);
		return;
	}
	g.base = c->base;
	g.hi = c->hi;
	g.calls = c->calls;
	g.ncall = c->ncall;
	g.predoff = mem;
	g.stamp = g.predoff + nb + 1;
	g.work = g.stamp + nb + 1;
	g.pred = g.work + nb + 1;
	g.lo = g.pred + e;
	g.useoff = g.lo + nv + 1;
	g.cand = g.useoff + nv + 1;
	g.usebk = g.cand + nv + 1;
	g.order = (uint64_t *)(void *)(g.usebk + c->nxuse / 2 +
	                                ((uintptr_t)(g.usebk + c->nxuse / 2) & 4 ? 1 : 0));
	g.act = (uint32_t *)(void *)(g.order + nv); /* after order's nv entries */
	memset(g.stamp, 0, (nb + 1) * sizeof *g.stamp);
	memset(g.useoff, 0, (nv + 1) * sizeof *g.useoff);
	for (k = 0; k < c->nxuse; k += 2)
		g.useoff[c->xuse[k]]++;
	/* candidates: interval from the definition to the last use; offsets
	 * of their uses in other blocks */
	for (v = 1; v < nv; v++) {
		i = g.useoff[v];
		g.useoff[v] = nuse;
		nuse += i;
		if (!candidate(c, v)) {
			if (c->glob[v])
				ra_home(c, v);
			continue;
		}
		rv = &u->val[v];
		g.cand[n++] = v;
		g.lo[v] = rv->kind == XV_ARG ? 2 * g.base[rv->blk]
		          : 2 * (g.base[rv->blk] + 1 + rv->idx) + 1;
		if (g.hi[v] < g.lo[v])
			g.hi[v] = g.lo[v];
	}
	g.useoff[nv] = nuse;
	if (!n || u->err)
		return;
	for (k = 0; k < c->nxuse; k += 2)
		g.usebk[g.useoff[c->xuse[k]]++] = c->xuse[k + 1];
	/* useoff[v] now ends v's uses: the next value's start */
	gpreds(c, &g);
	for (i = 0; i < n; i++) {
		v = g.cand[i];
		gwalk(c, &g, v, v > 1 ? g.useoff[v - 1] : 0, g.useoff[v]);
		g.order[i] = (uint64_t)g.lo[v] << 32 | v;
	}
	gsort(g.order, n);
	used = gscan(c, &g, n);
	for (i = 0; i < n; i++) {
		v = g.cand[i];
		if (c->rhome[v] >= 0)
			c->reg[v] = c->rhome[v];
	}
	gslots(c, &g, n);
	c->imask = INTREGS & ~((GINTREGS | GCALLREGS) & used);
	c->xmask = XMMREGS & ~(GXMMREGS & used);
}
