/* facts.c: the colour-independent facts of the hint annotator (phase 1,
 * see annotate.c): predecessors, natural loops and their exits,
 * reachability, call sites, deep-frozen pointers, purity, recursive
 * cycles, and the colour-independent part of the inlining policy. */
#include <string.h>
#include "haint.h"

/* The callee function of a direct call, or -1. */
int32_t ha_directcallee(const FgFunc *f, const FgOp *o)
{
	Ref c;

	if (o->op != FG_CALL || o->narg == 0)
		return -1;
	c = operand(f, o, 0);
	if (REFKIND(c) == RK_CON && f->cons[REFIDX(c)].kind == CK_FUNC)
		return f->cons[REFIDX(c)].sym;
	return -1;
}

void ha_buildpreds(const FgFunc *f, FnInfo *fi)
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


/* The next block of loop h at or after block b, or -1 (scans the bits). */
int32_t ha_nextin(const FnInfo *fi, uint32_t h, uint32_t b)
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
		for (b = ha_nextin(fi, h, 0); b >= 0; b = ha_nextin(fi, h, b + 1)) {
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
void ha_buildloops(const FgFunc *f, FnInfo *fi)
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
void ha_reachable(HaResult *r, Priv *p)
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
void ha_callsites(HaResult *r, Priv *p)
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
				int32_t c = ha_directcallee(fn, o);
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

int ha_refdeep(const FgModule *m, const FgFunc *f, const FnInfo *fi, Ref a)
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
		return ha_refdeep(m, f, fi, operand(f, o, 0));
	case FG_SELECT:
		return ha_refdeep(m, f, fi, operand(f, o, 1)) && ha_refdeep(m, f, fi, operand(f, o, 2));
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
			if (k + 1 >= o->narg || !ha_refdeep(m, cf, &p->fi[s[j].func], operand(cf, o, k + 1)))
				return 0;
		}
		return 1;
	}
	if (fi->predoff[b] == fi->predoff[b + 1])
		return 0;
	for (j = fi->predoff[b]; j < fi->predoff[b + 1]; j++) {
		const FgLink *l = &f->links[fi->predlink[j]];
		if (k >= l->narg || !ha_refdeep(m, f, fi, f->refs[l->arg + k]))
			return 0;
	}
	return 1;
}

/* Greatest fixpoint of deep-frozen-ness over all reachable functions. */
void ha_deepfixpoint(HaResult *r, Priv *p)
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
				c = ha_directcallee(f, o);
				if (c < 0 || !p->pure[c])
					return 0;
			} else if (o->op == FG_LOAD) {
				if (!ha_refdeep(m, f, &p->fi[fnum], operand(f, o, 0)))
					return 0;
			} else if (o->op == FG_ALLOCA || (fg_opinfo[o->op].props & P_STORE) ||
				   o->op == FG_HPROMOTE || o->op == FG_MERGEPOINT ||
				   o->op == FG_HVIRTUALIZABLE) {
				return 0;
			}
		}
	return 1;
}

void ha_purefixpoint(HaResult *r, Priv *p)
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
	uint32_t *index; /* per function: DFS number, 0 if not visited */
	uint32_t *low;   /* per function: lowest number reachable */
	uint32_t *stack; /* vector: the SCC stack */
	uint32_t next;   /* last DFS number given */
	uint8_t *on;     /* per function: on the stack */
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
			int32_t c = ha_directcallee(fn, opat(fn, b, i));
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

void ha_cycles(HaResult *r, Priv *p)
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
int ha_policy(const HaResult *r, const Priv *p, uint32_t c, uint8_t *why)
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
