/* annotate.c: the binding-time analysis.
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
#include "hintannotator.h"

const char *const ha_whytext[HW_N] = {
#define W(name, text) text,
	HA_WHYS(W)
#undef W
};

/* Colour-independent facts about one function. */
typedef struct {
	uint32_t *predoff;  /* per block + 1: offsets into predlink */
	uint32_t *predlink; /* fn->links indices, grouped by target block */
	uint32_t *linkfrom; /* per link: its source block */
	uint32_t *opbase;   /* per block: number of its op 0 */
	uint32_t nops;      /* op count */
	uint32_t *heads;    /* vector: loop head blocks */
	int32_t *headof;    /* per block: index into heads, or -1 */
	uint64_t *member;   /* per head, `words` words: blocks of its loop */
	uint32_t words;     /* words per member row */
	uint32_t *exitoff;  /* per head + 1: offsets into exitblk */
	uint32_t *exitblk;  /* blocks of each loop with a successor outside it */
	uint8_t *deep;      /* per value: deep-frozen pointer */
	uint8_t *listed;    /* per value: listed by the merge point */
} FnInfo;

typedef struct {
	uint32_t func;  /* caller */
	uint32_t block; /* block of the CALL op */
	uint32_t op;    /* op index */
} Site;

/* Why a value was fixed: the value that needed it, or a hint. */
typedef struct {
	uint32_t func;  /* function of the needing value */
	Ref val;        /* the needing value, REF_NONE for a hint */
	uint32_t seed;  /* index of the hint in Priv.seeds (for hints) */
} Parent;

typedef struct {
	uint32_t func;  /* function of the hint */
	uint32_t block; /* its block */
	uint32_t op;    /* its op index */
	uint8_t failed; /* an error was reported for it */
} Seed;

typedef struct {
	uint32_t func; /* function */
	Ref val;       /* value to fix */
} Work;

typedef struct {
	FnInfo *fi;        /* per function */
	uint8_t *pure;     /* per function: pure (or TS_ELIDABLE) */
	uint8_t *rec;      /* per function: in a recursive call cycle */
	uint8_t *taken;    /* per function: address taken */
	Site **callers;    /* per function: vector of direct call sites */
	Site *indirect;    /* vector of indirect call sites */
	Parent **par;      /* per function, per value: why fixed */
	Seed *seeds;       /* vector of hints */
	Work *work;        /* fixing worklist */
	uint8_t *split;    /* per spec: holds a split (or inlines one) */
} Priv;

static uint32_t nfuncs(const FgModule *m) { return fg_vlen(m->funcs); }

static int defined(const FgFunc *f) { return (f->flags & FN_DEFINED) && fg_vlen(f->blocks) > 0; }

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

/* --- phase 1: colour-independent facts ---------------------------------- */

static const FgOp *opat(const FgFunc *f, uint32_t b, uint32_t i) { return &f->blocks[b].ops[i]; }

static Ref operand(const FgFunc *f, const FgOp *o, uint32_t k) { return f->refs[o->arg + k]; }

/* The callee function of a direct call, or -1. */
static int32_t directcallee(const FgFunc *f, const FgOp *o)
{
	Ref c;

	if (o->op != FG_CALL || o->narg == 0)
		return -1;
	c = operand(f, o, 0);
	if (REFKIND(c) == RK_CON && f->cons[REFIDX(c)].kind == CK_FUNC)
		return f->cons[REFIDX(c)].sym;
	return -1;
}

static void buildpreds(const FgFunc *f, FnInfo *fi)
{
	uint32_t nb = fg_vlen(f->blocks), nl = fg_vlen(f->links), b, l, k;
	uint32_t *fill;

	fi->predoff = fg_vnew(nb + 1, sizeof(uint32_t));
	fi->predlink = fg_vnew(nl, sizeof(uint32_t));
	fi->linkfrom = fg_vnew(nl, sizeof(uint32_t));
	fi->opbase = fg_vnew(nb, sizeof(uint32_t));
	for (b = 0; b < nb; b++) {
		const FgExit *e = &f->blocks[b].exit;
		fi->opbase[b] = fi->nops;
		fi->nops += fg_vlen(f->blocks[b].ops);
		for (k = 0; k < e->nlink; k++) {
			fi->linkfrom[e->link + k] = b;
			fi->predoff[f->links[e->link + k].target + 1]++;
		}
	}
	for (b = 0; b < nb; b++)
		fi->predoff[b + 1] += fi->predoff[b];
	fill = fg_vnew(nb, sizeof(uint32_t));
	for (l = 0; l < nl; l++) {
		uint32_t t = f->links[l].target;
		if (t < nb)
			fi->predlink[fi->predoff[t] + fill[t]++] = l;
	}
	fg_vfree(fill);
}

/* Mark the natural loop of the back edge t -> h in row `row`: h and every
 * block that reaches t without passing through h. */
static void markloop(const FgFunc *f, FnInfo *fi, uint64_t *row, uint32_t h, uint32_t t)
{
	uint32_t *stack = fg_vnew(0, sizeof(uint32_t)), b, k;

	row[h / 64] |= 1ull << (h % 64);
	fg_vpush(&stack, t);
	while (fg_vlen(stack)) {
		b = stack[fg_vlen(stack) - 1];
		fg_vgrow(&stack, fg_vlen(stack) - 1);
		if (row[b / 64] >> (b % 64) & 1)
			continue;
		row[b / 64] |= 1ull << (b % 64);
		for (k = fi->predoff[b]; k < fi->predoff[b + 1]; k++)
			fg_vpush(&stack, fi->linkfrom[fi->predlink[k]]);
	}
	fg_vfree(stack);
	(void)f;
}

static int inloop(const FnInfo *fi, uint32_t h, uint32_t b)
{
	return fi->member[h * fi->words + b / 64] >> (b % 64) & 1;
}

/* The next block of loop h at or after block b, or -1 (scans the bits). */
static int32_t nextin(const FnInfo *fi, uint32_t h, uint32_t b)
{
	const uint64_t *row = fi->member + h * fi->words;
	uint32_t w = b / 64;
	uint64_t x;

	if (w >= fi->words)
		return -1;
	x = row[w] & (~0ull << (b % 64));
	while (!x) {
		if (++w >= fi->words)
			return -1;
		x = row[w];
	}
	return w * 64 + __builtin_ctzll(x);
}

/* For each loop, the blocks that may leave it. */
static void buildexits(const FgFunc *f, FnInfo *fi)
{
	uint32_t h, k, nh = fg_vlen(fi->heads);
	int32_t b;

	fi->exitoff = fg_vnew(nh + 1, sizeof(uint32_t));
	fi->exitblk = fg_vnew(0, sizeof(uint32_t));
	for (h = 0; h < nh; h++) {
		for (b = nextin(fi, h, 0); b >= 0; b = nextin(fi, h, b + 1)) {
			const FgExit *e = &f->blocks[b].exit;
			for (k = 0; k < e->nlink; k++)
				if (!inloop(fi, h, f->links[e->link + k].target))
					break;
			if (k < e->nlink)
				fg_vpush(&fi->exitblk, (uint32_t)b);
		}
		fi->exitoff[h + 1] = fg_vlen(fi->exitblk);
	}
}

/* Loop heads are targets of DFS back edges (iterative DFS from block 0). */
static void buildloops(const FgFunc *f, FnInfo *fi)
{
	uint32_t nb = fg_vlen(f->blocks), b, h, k;
	uint8_t *state = fg_vnew(nb, 1); /* 0 new, 1 on stack, 2 done */
	uint32_t *stack = fg_vnew(0, sizeof(uint32_t)), *next = fg_vnew(nb, sizeof(uint32_t));
	uint32_t *bt = fg_vnew(0, sizeof(uint32_t)), *bh = fg_vnew(0, sizeof(uint32_t));

	fi->heads = fg_vnew(0, sizeof(uint32_t));
	fi->headof = fg_vnew(nb, sizeof(int32_t));
	for (b = 0; b < nb; b++)
		fi->headof[b] = -1;
	fg_vpush(&stack, 0u);
	state[0] = 1;
	while (fg_vlen(stack)) {
		const FgExit *e;
		b = stack[fg_vlen(stack) - 1];
		e = &f->blocks[b].exit;
		if (next[b] < e->nlink) {
			uint32_t t = f->links[e->link + next[b]++].target;
			if (state[t] == 0) {
				state[t] = 1;
				fg_vpush(&stack, t);
			} else if (state[t] == 1) {
				fg_vpush(&bt, b);
				fg_vpush(&bh, t);
			}
			continue;
		}
		state[b] = 2;
		fg_vgrow(&stack, fg_vlen(stack) - 1);
	}
	for (k = 0; k < fg_vlen(bh); k++)
		if (fi->headof[bh[k]] < 0) {
			fi->headof[bh[k]] = fg_vlen(fi->heads);
			fg_vpush(&fi->heads, bh[k]);
		}
	fi->words = (nb + 63) / 64;
	fi->member = fg_vnew(fg_vlen(fi->heads) * fi->words + 1, sizeof(uint64_t));
	for (k = 0; k < fg_vlen(bh); k++) {
		h = fi->headof[bh[k]];
		markloop(f, fi, fi->member + h * fi->words, bh[k], bt[k]);
	}
	buildexits(f, fi);
	fg_vfree(state);
	fg_vfree(stack);
	fg_vfree(next);
	fg_vfree(bt);
	fg_vfree(bh);
}

/* Reachability over direct calls and function/global references. */
static void reachable(HaResult *r, Priv *p)
{
	const FgModule *m = r->m;
	uint32_t *stack = fg_vnew(0, sizeof(uint32_t)), nf = nfuncs(m), ng = fg_vlen(m->globals);
	uint8_t *gseen = fg_vnew(ng, 1);
	uint32_t *gstack = fg_vnew(0, sizeof(uint32_t));
	uint32_t f, k, g;

	r->reach[r->portal] = 1;
	fg_vpush(&stack, r->portal);
	while (fg_vlen(stack)) {
		const FgFunc *fn;
		f = stack[fg_vlen(stack) - 1];
		fg_vgrow(&stack, fg_vlen(stack) - 1);
		fn = &m->funcs[f];
		for (k = 0; k < fg_vlen(fn->cons); k++) {
			const FgConst *c = &fn->cons[k];
			if (c->kind == CK_FUNC && c->sym < nf && !r->reach[c->sym]) {
				r->reach[c->sym] = 1;
				fg_vpush(&stack, c->sym);
			} else if (c->kind == CK_GLOBAL && c->sym < ng && !gseen[c->sym]) {
				gseen[c->sym] = 1;
				fg_vpush(&gstack, c->sym);
			}
		}
		while (fg_vlen(gstack)) {
			const FgGlobal *gl;
			g = gstack[fg_vlen(gstack) - 1];
			fg_vgrow(&gstack, fg_vlen(gstack) - 1);
			gl = &m->globals[g];
			for (k = 0; k < fg_vlen(gl->relocs); k++) {
				const FgReloc *rl = &gl->relocs[k];
				if (rl->kind == CK_FUNC && rl->sym < nf && !r->reach[rl->sym]) {
					r->reach[rl->sym] = 1;
					fg_vpush(&stack, rl->sym);
				} else if (rl->kind == CK_GLOBAL && rl->sym < ng && !gseen[rl->sym]) {
					gseen[rl->sym] = 1;
					fg_vpush(&gstack, rl->sym);
				}
			}
		}
	}
	fg_vfree(stack);
	fg_vfree(gstack);
	fg_vfree(gseen);
}

/* Call sites and address-taken functions (uses other than as a callee). */
static void callsites(HaResult *r, Priv *p)
{
	const FgModule *m = r->m;
	uint32_t f, b, i, k, nf = nfuncs(m);

	for (f = 0; f < nf; f++)
		p->callers[f] = fg_vnew(0, sizeof(Site));
	p->indirect = fg_vnew(0, sizeof(Site));
	for (f = 0; f < nf; f++) {
		const FgFunc *fn = &m->funcs[f];
		if (!r->reach[f] || !defined(fn))
			continue;
		for (b = 0; b < fg_vlen(fn->blocks); b++)
			for (i = 0; i < fg_vlen(fn->blocks[b].ops); i++) {
				const FgOp *o = opat(fn, b, i);
				Site s = {f, b, i};
				int32_t c = directcallee(fn, o);
				for (k = (o->op == FG_CALL); k < o->narg; k++) {
					Ref a = operand(fn, o, k);
					if (REFKIND(a) == RK_CON && fn->cons[REFIDX(a)].kind == CK_FUNC)
						p->taken[fn->cons[REFIDX(a)].sym] = 1;
				}
				if (c >= 0 && (uint32_t)c < nf)
					fg_vpush(&p->callers[c], s);
				else if (o->op == FG_CALL)
					fg_vpush(&p->indirect, s);
			}
	}
	for (k = 0; k < fg_vlen(m->globals); k++) {
		const FgGlobal *gl = &m->globals[k];
		for (i = 0; i < fg_vlen(gl->relocs); i++)
			if (gl->relocs[i].kind == CK_FUNC && gl->relocs[i].sym < nf)
				p->taken[gl->relocs[i].sym] = 1;
	}
}

static int refdeep(const FgModule *m, const FgFunc *f, const FnInfo *fi, Ref a)
{
	if (REFKIND(a) == RK_VAL)
		return fi->deep[REFIDX(a)];
	if (REFKIND(a) == RK_CON) {
		const FgConst *c = &f->cons[REFIDX(a)];
		return c->kind == CK_GLOBAL && c->sym < fg_vlen(m->globals) &&
			(m->globals[c->sym].flags & GL_CONST);
	}
	return 0;
}

/* The deep-frozen rule for one op result (given its operands). */
static int opdeep(const FgModule *m, const FgFunc *f, const FnInfo *fi, const FgOp *o)
{
	switch (o->op) {
	case FG_HDEEPFREEZE:
		return 1;
	case FG_PTRADD:
	case FG_LOAD:
	case FG_COPY:
	case FG_BITCAST:
	case FG_INTTOPTR:
	case FG_PTRTOINT:
		return refdeep(m, f, fi, operand(f, o, 0));
	case FG_SELECT:
		return refdeep(m, f, fi, operand(f, o, 1)) && refdeep(m, f, fi, operand(f, o, 2));
	}
	return 0;
}

/* The deep-frozen rule for block argument k of block b. */
static int argdeep(const HaResult *r, const Priv *p, uint32_t fnum, uint32_t b, uint32_t k)
{
	const FgModule *m = r->m;
	const FgFunc *f = &m->funcs[fnum];
	const FnInfo *fi = &p->fi[fnum];
	uint32_t j;

	if (b == 0) {
		const Site *s = p->callers[fnum];
		if (fnum == r->portal || p->taken[fnum] || fg_vlen(s) == 0)
			return 0;
		for (j = 0; j < fg_vlen(s); j++) {
			const FgFunc *cf = &m->funcs[s[j].func];
			const FgOp *o = opat(cf, s[j].block, s[j].op);
			if (k + 1 >= o->narg || !refdeep(m, cf, &p->fi[s[j].func], operand(cf, o, k + 1)))
				return 0;
		}
		return 1;
	}
	if (fi->predoff[b] == fi->predoff[b + 1])
		return 0;
	for (j = fi->predoff[b]; j < fi->predoff[b + 1]; j++) {
		const FgLink *l = &f->links[fi->predlink[j]];
		if (k >= l->narg || !refdeep(m, f, fi, f->refs[l->arg + k]))
			return 0;
	}
	return 1;
}

/* Greatest fixpoint of deep-frozen-ness over all reachable functions. */
static void deepfixpoint(HaResult *r, Priv *p)
{
	const FgModule *m = r->m;
	uint32_t f, b, i, nf = nfuncs(m);
	int changed = 1;

	for (f = 0; f < nf; f++)
		if (r->reach[f] && defined(&m->funcs[f]))
			memset(p->fi[f].deep, 1, fg_vlen(m->funcs[f].vals));
	while (changed) {
		changed = 0;
		for (f = 0; f < nf; f++) {
			const FgFunc *fn = &m->funcs[f];
			FnInfo *fi = &p->fi[f];
			if (!r->reach[f] || !defined(fn))
				continue;
			for (b = 0; b < fg_vlen(fn->blocks); b++) {
				const FgBlock *bl = &fn->blocks[b];
				for (i = 0; i < fg_vlen(bl->args); i++) {
					uint32_t v = REFIDX(bl->args[i]);
					if (fi->deep[v] && !argdeep(r, p, f, b, i))
						fi->deep[v] = 0, changed = 1;
				}
				for (i = 0; i < fg_vlen(bl->ops); i++) {
					const FgOp *o = &bl->ops[i];
					if (o->res == REF_NONE)
						continue;
					if (fi->deep[REFIDX(o->res)] && !opdeep(m, fn, fi, o))
						fi->deep[REFIDX(o->res)] = 0, changed = 1;
				}
			}
		}
	}
}

/* Is function f's body pure, given the current purity of the others? */
static int bodypure(const HaResult *r, const Priv *p, uint32_t fnum)
{
	const FgModule *m = r->m;
	const FgFunc *f = &m->funcs[fnum];
	uint32_t b, i;

	if (!defined(f) || (f->flags & FN_VARARGS) || fnum == r->portal)
		return 0;
	for (b = 0; b < fg_vlen(f->blocks); b++)
		for (i = 0; i < fg_vlen(f->blocks[b].ops); i++) {
			const FgOp *o = opat(f, b, i);
			int32_t c;
			if (o->op == FG_CALL) {
				c = directcallee(f, o);
				if (c < 0 || !p->pure[c])
					return 0;
			} else if (o->op == FG_LOAD) {
				if (!refdeep(m, f, &p->fi[fnum], operand(f, o, 0)))
					return 0;
			} else if (o->op == FG_ALLOCA || (fg_opinfo[o->op].props & P_STORE) ||
				   o->op == FG_HPROMOTE || o->op == FG_MERGEPOINT ||
				   o->op == FG_HVIRTUALIZABLE) {
				return 0;
			}
		}
	return 1;
}

static void purefixpoint(HaResult *r, Priv *p)
{
	const FgModule *m = r->m;
	uint32_t f, nf = nfuncs(m);
	int changed = 1;

	for (f = 0; f < nf; f++)
		p->pure[f] = (m->funcs[f].flags & FN_ELIDABLE) ||
			(r->reach[f] && defined(&m->funcs[f]) && !(m->funcs[f].flags & FN_RESIDUAL));
	while (changed) {
		changed = 0;
		for (f = 0; f < nf; f++)
			if (p->pure[f] && !(m->funcs[f].flags & FN_ELIDABLE) && !bodypure(r, p, f))
				p->pure[f] = 0, changed = 1;
	}
}

/* Tarjan's SCC over direct calls; marks functions in cycles. */
typedef struct {
	uint32_t *index, *low, *stack, next;
	uint8_t *on;
} Tarjan;

static void strong(HaResult *r, Priv *p, Tarjan *t, uint32_t f)
{
	const FgFunc *fn = &r->m->funcs[f];
	uint32_t b, i, w;

	t->index[f] = t->low[f] = ++t->next;
	fg_vpush(&t->stack, f);
	t->on[f] = 1;
	for (b = 0; b < fg_vlen(fn->blocks); b++)
		for (i = 0; i < fg_vlen(fn->blocks[b].ops); i++) {
			int32_t c = directcallee(fn, opat(fn, b, i));
			if (c < 0 || !defined(&r->m->funcs[c]))
				continue;
			if (c == (int32_t)f)
				p->rec[f] = 1;
			if (!t->index[c]) {
				strong(r, p, t, c);
				if (t->low[c] < t->low[f])
					t->low[f] = t->low[c];
			} else if (t->on[c] && t->index[c] < t->low[f]) {
				t->low[f] = t->index[c];
			}
		}
	if (t->low[f] == t->index[f]) {
		uint32_t n = 0, top = fg_vlen(t->stack);
		do {
			w = t->stack[--top];
			n++;
		} while (w != f);
		for (i = top; i < fg_vlen(t->stack); i++) {
			t->on[t->stack[i]] = 0;
			if (n > 1)
				p->rec[t->stack[i]] = 1;
		}
		fg_vgrow(&t->stack, top);
	}
}

static void cycles(HaResult *r, Priv *p)
{
	uint32_t f, nf = nfuncs(r->m);
	Tarjan t;

	t.index = fg_vnew(nf, sizeof(uint32_t));
	t.low = fg_vnew(nf, sizeof(uint32_t));
	t.stack = fg_vnew(0, sizeof(uint32_t));
	t.on = fg_vnew(nf, 1);
	t.next = 0;
	for (f = 0; f < nf; f++)
		if (r->reach[f] && defined(&r->m->funcs[f]) && !t.index[f])
			strong(r, p, &t, f);
	fg_vfree(t.index);
	fg_vfree(t.low);
	fg_vfree(t.stack);
	fg_vfree(t.on);
}

/* The colour-independent class of a direct call of c: HC_INLINE or
 * HC_RESIDUAL, with the reason. */
static int policy(const HaResult *r, const Priv *p, uint32_t c, uint8_t *why)
{
	const FgFunc *f = &r->m->funcs[c];

	if (c == r->portal)
		*why = HW_PORTAL;
	else if (!defined(f))
		*why = HW_EXTERNAL;
	else if (f->flags & FN_RESIDUAL)
		*why = HW_RESIDUAL;
	else if (f->flags & FN_VARARGS)
		*why = HW_VARARGS;
	else if (p->rec[c])
		*why = HW_RECURSIVE;
	else if (p->fi[c].nops > r->policy.maxinline)
		*why = HW_TOOBIG;
	else {
		*why = HW_SMALL;
		return HC_INLINE;
	}
	return HC_RESIDUAL;
}

/* --- phase 2: fixing ----------------------------------------------------- */

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
	int32_t c = directcallee(f, o);
	uint32_t k, seed = p->par[fnum][REFIDX(a)].seed;
	uint8_t why;
	char buf[200];

	if (c < 0) {
		fixerror(r, p, fnum, a, "result of an indirect call");
		return;
	}
	if (c != (int32_t)r->portal && policy(r, p, c, &why) == HC_INLINE) {
		fixreturns(r, p, c, fnum, a);
		return;
	}
	if (c != (int32_t)r->portal && p->pure[c]) {
		for (k = 1; k < o->narg; k++)
			fix(r, p, fnum, operand(f, o, k), fnum, a, seed);
		return;
	}
	policy(r, p, c, &why);
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
		if (refdeep(m, f, fi, operand(f, o, 0)))
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
static int findhints(HaResult *r, Priv *p)
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
static void findmphead(HaResult *r, Priv *p)
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

static int fixall(HaResult *r, Priv *p)
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

/* --- phase 3: colouring -------------------------------------------------- */

static int colof(const FgFunc *f, const uint8_t *col, Ref a)
{
	(void)f;
	return REFKIND(a) == RK_VAL ? col[REFIDX(a)] : BT_GREEN;
}

static int32_t getspec(HaResult *r, Priv *p, uint32_t fnum, const uint8_t *key, uint32_t nkey);

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
	int32_t callee = directcallee(f, o), s;
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
		if (policy(r, p, t, &why) != HC_INLINE) {
			c->kind = HC_RESIDUAL, c->why = why;
			break;
		}
		s = getspec(r, p, t, key, fg_vlen(key));
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

/* Colour of the result of op o. */
static int opcolour(HaResult *r, Priv *p, uint32_t fnum, const uint8_t *col, const FgOp *o,
	HaCall *scratch)
{
	const FgFunc *f = &r->m->funcs[fnum];
	uint32_t k;

	if (r->fixed[fnum][REFIDX(o->res)])
		return BT_GREEN;
	switch (o->op) {
	case FG_HPROMOTE:
	case FG_HGREEN:
		return BT_GREEN;
	case FG_ALLOCA:
		return BT_RED;
	case FG_LOAD:
		return refdeep(r->m, f, &p->fi[fnum], operand(f, o, 0)) ?
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
				    opcolour(r, p, fnum, col, o, &scratch) == BT_RED)
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
		int32_t callee = directcallee(f, o);
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
	int32_t c = directcallee(f, o);
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

	for (b = nextin(fi, h, 0); b >= 0; b = nextin(fi, h, b + 1))
		if (splitblk[b])
			return 1;
	return 0;
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
			} else if (o->op == FG_HPROMOTE) {
				*oc = OC_PROMOTE;
				split = 1;
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
	fg_vfree(splitblk);
	if ((int32_t)fnum == r->mpfunc) {
		sp->merge[r->mpblock] |= HM_GLOBAL;
	}
	for (b = 0; b < fg_vlen(f->blocks); b++)
		for (i = 0; i < fg_vlen(f->blocks[b].ops); i++) {
			const FgOp *o = opat(f, b, i);
			if (o->op == FG_ALLOCA || malloclike(r, f, o))
				r->specs[s].virt[fi->opbase[b] + i] = virtualok(r, p, s, o->res, 0);
		}
}

/* The specialisation of function fnum for key (nkey colours: missing
 * arguments are red), made on demand; -1 if it is being analysed (a
 * recursion the call graph did not show). */
static int32_t getspec(HaResult *r, Priv *p, uint32_t fnum, const uint8_t *key, uint32_t nkey)
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
		if (o->func == fnum && memcmp(o->key, sp.key, np) == 0) {
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
	fg_vpush(&r->specs, sp);
	s = fg_vlen(r->specs) - 1;
	colourspec(r, p, s);
	finishspec(r, p, s);
	r->specs[s].busy = 0;
	return s;
}

static void freespec(HaSpec *s)
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
	for (i = 0; i < fg_vlen(s->calls); i++)
		fg_vfree(s->calls[i].specs);
	fg_vfree(s->calls);
	fg_free((char *)s->name);
}

/* Keep the specialisations reachable from the portal's, renumbered in
 * discovery order; name them f, or f.KEY when f has several. */
static void compact(HaResult *r)
{
	uint32_t n = fg_vlen(r->specs), i, j, k;
	int32_t *map = fg_vnew(n, sizeof(int32_t));
	uint32_t *order = fg_vnew(0, sizeof(uint32_t));
	HaSpec *keep = fg_vnew(0, sizeof(HaSpec));
	uint32_t *count = fg_vnew(nfuncs(r->m), sizeof(uint32_t));

	for (i = 0; i < n; i++)
		map[i] = -1;
	map[0] = 0;
	fg_vpush(&order, 0u);
	for (i = 0; i < fg_vlen(order); i++) {
		HaSpec *s = &r->specs[order[i]];
		for (j = 0; j < fg_vlen(s->calls); j++)
			for (k = 0; k < fg_vlen(s->calls[j].specs); k++) {
				int32_t t = s->calls[j].specs[k];
				if (map[t] < 0) {
					map[t] = fg_vlen(order);
					fg_vpush(&order, (uint32_t)t);
				}
			}
	}
	for (i = 0; i < fg_vlen(order); i++) {
		HaSpec s = r->specs[order[i]];
		count[s.func]++;
		for (j = 0; j < fg_vlen(s.calls); j++)
			for (k = 0; k < fg_vlen(s.calls[j].specs); k++)
				s.calls[j].specs[k] = map[s.calls[j].specs[k]];
		fg_vpush(&keep, s);
	}
	for (i = 0; i < n; i++)
		if (map[i] < 0) {
			r->specs[i].name = NULL;
			freespec(&r->specs[i]);
		}
	for (i = 0; i < fg_vlen(keep); i++) {
		HaSpec *s = &keep[i];
		const FgFunc *f = &r->m->funcs[s->func];
		size_t len = strlen(f->name) + fg_vlen(s->key) + 2;
		char *name = fg_alloc(len);
		if (count[s->func] > 1) {
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

static void selfcheck(const HaResult *r)
{
	uint32_t i;
	const char *bad;

	for (i = 0; i < fg_vlen(r->specs); i++)
		if ((bad = checkspec(r, &r->specs[i])))
			die("hintannotator: internal error in %s: %s", r->specs[i].name, bad);
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
		freespec(&r->specs[i]);
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
		buildpreds(fn, &p->fi[f]);
		if (defined(fn))
			buildloops(fn, &p->fi[f]);
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
	reachable(r, p);
	callsites(r, p);
	deepfixpoint(r, p);
	purefixpoint(r, p);
	cycles(r, p);
	if (findhints(r, p) > 0) {
		ha_free(r);
		return NULL;
	}
	findmphead(r, p);
	if (fixall(r, p) > 0) {
		ha_free(r);
		return NULL;
	}
	key = fg_vnew(fg_vlen(m->funcs[pf].params), 1);
	for (k = 0; k < fg_vlen(key); k++)
		key[k] = BT_RED;
	getspec(r, p, pf, key, fg_vlen(key));
	fg_vfree(key);
	compact(r);
	selfcheck(r);
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
