/* drive.c: the trampoline that runs specialisation functions, red splits
 * and promotions as continuations on exit stubs and flexswitches, bridges,
 * and leaving to the interpreter. */
#include "rt.h"

/* --- the driver ---------------------------------------------------------- */

/* Run st until its path ends; 0, or -1 when it failed. */
static int run(TsState *st)
{
	for (;;) {
		TsFrame *fr = st->fr[st->nfr - 1];
		int s = fr->spec->fn(st, fr);

		if (st->cx->failed || x86_error(st->u))
			return ts_fail(st, st->cx->failed ? st->cx->why : x86_errstr(x86_error(st->u))), -1;
		switch (s) {
		case TS_STOP:
			return 0;
		case TS_CALL:
			if (st->nfr > TS_MAXFRAMES)
				return ts_fail(st, "inline depth bound"), -1;
			continue;
		case TS_RETURN: {
			TsFrame *done = st->fr[--st->nfr];
			TsFrame *up = st->fr[st->nfr - 1];
			if (st->splitmask & RT_SPLITBIT(st->nfr + 1)) /* the callee's paths go on here */
				st->splitmask = (st->splitmask & ~RT_SPLITBIT(st->nfr + 1)) | RT_SPLITBIT(st->nfr);
			if (done->retslot >= 0)
				up->r[done->retslot] = st->ret;
			x86_alloc(done, 0);
			continue;
		}
		default:
			return ts_fail(st, "path failed"), -1;
		}
	}
}

/* Run st, then every queued continuation (rt_eager policy); frees them. */
int rt_runall(Ctx *cx, TsState *st)
{
	int rc = run(st);

	rt_freestate(st);
	while (cx->nwork > 0) {
		TsState *w = cx->work[--cx->nwork];
		if (rc == 0)
			rc = run(w);
		rt_freestate(w);
	}
	return rc;
}

TsFrame *ts_push(TsState *st, const TsSpec *sp, int retslot)
{
	TsFrame **fr = rt_xalloc(st->fr, (st->nfr + 1) * sizeof *fr);
	TsFrame *f = rt_newframe(sp);

	if (!fr || !f) {
		ts_fail(st, "out of memory");
		return NULL;
	}
	st->fr = fr;
	f->retslot = retslot;
	fr[st->nfr++] = f;
	st->splitmask &= ~RT_SPLITBIT(st->nfr);
	return f;
}

TsBox ts_result(TsState *st)
{
	TsBox b = st->ret;

	st->ret.kind = TB_NONE;
	return b;
}

int ts_unreachable(TsState *st)
{
	int t = st->cx->p->ret;

	if (t == X86_VOID)
		x86_ret(st->u, st->blk, X86_NONE);
	else
		x86_ret(st->u, st->blk, t == X86_F64 ? x86_conf(st->u, 0) : x86_con(st->u, t, 0));
	return TS_STOP;
}

int ts_return(TsState *st, TsFrame *fr, TsBox v)
{
	if (st->nfr > 1) {
		st->ret = v;
		return TS_RETURN;
	}
	if (st->cx->p->ret == X86_VOID) {
		x86_ret(st->u, st->blk, X86_NONE);
	} else {
		v = rt_force(st, v);
		if (v.kind == TB_CONST)
			v.type = (uint8_t)st->cx->p->ret;
		x86_ret(st->u, st->blk, rt_cref(st, v));
	}
	return TS_STOP;
}

/* --- continuations, stubs, bridges ---------------------------------------- */

/* A continuation waiting behind an exit stub or flexswitch. */
typedef struct {
	TsState *st;  /* the state (its refs are of the stub's unit) */
	int side;     /* split: the side it takes; -1: promotion */
	int leave;    /* leave record instead of compiling */
	const TsMerge *mp; /* leave: the merge point */
	X86Ref pref;  /* promotion: the promoted value (in the stub's unit) */
	int ncases;   /* promotion: cases compiled in full */
	int nfail;    /* bridges that failed to compile in full */
	int dead;     /* even leave mode failed: give up at once */
	const TsGeneric *gen; /* promotion: its generic path, or NULL */
	X86Unit *generic; /* its bridge, once compiled (every later value's) */
	int gfail;    /* it failed to compile: per-value bridges instead */
} Cont;

/* Cases of one promotion site compiled in full (TS_MAXCASES); past them
 * every new value jumps to the site's one generic bridge (the value red),
 * or, at a site without one (or when it failed), gets a leave-mode bridge:
 * specialised only up to the next global merge point, then the
 * interpreter goes on. */
static int maxcases = -1;
static int generics = -1; /* TS_GENERIC=0: no generic paths (tests) */

static X86Unit *stubcb(void *opaque, X86Exit *site, int64_t value, const int64_t *live);
static X86Unit *leavecb(void *opaque, X86Exit *site, int64_t value, const int64_t *live);

/* Clear the top frame's red slots that are not in live. */
void rt_cleardead(TsState *st, const TsLive *live)
{
	TsFrame *fr = st->fr[st->nfr - 1];
	uint8_t *keep = rt_xalloc(NULL, fr->spec->nslot + 1);
	int i;

	if (!keep)
		return;
	memset(keep, 0, fr->spec->nslot + 1);
	for (i = 0; i < live->n; i++)
		keep[live->slot[i]] = 1;
	for (i = 0; i < fr->spec->nslot; i++)
		if (!keep[i])
			fr->r[i].kind = TB_NONE;
	x86_alloc(keep, 0);
}

/* The index of ref r in refs[0..n), or -1. */
static int refindex(const X86Ref *refs, int n, X86Ref r)
{
	int i;

	for (i = 0; i < n; i++)
		if (refs[i] == r)
			return i;
	return -1;
}

/* The run-time values of a continuation: the distinct refs of its
 * variables, in walk order. */
static int liverefs(TsState *st, X86Ref **refs)
{
	Items s = {0};
	int i, n = 0;

	if (rt_walk(st, NULL, &s) < 0)
		return -1;
	*refs = rt_xalloc(NULL, (s.n + 1) * sizeof **refs);
	if (!*refs)
		return rt_itemsfree(&s), -1;
	for (i = 0; i < s.n; i++)
		if (s.it[i].k != IT_OBJ && s.it[i].b.kind == TB_VAR && refindex(*refs, n, s.it[i].b.ref) < 0)
			(*refs)[n++] = s.it[i].b.ref;
	rt_itemsfree(&s);
	return n;
}

/* A copy of st without its history of seen keys (a continuation starts
 * its own: copying it would make long straight paths quadratic). */
static TsState *copynoseen(TsState *st)
{
	Seen *seen = st->seen;
	int nseen = st->nseen;
	TsState *c;

	st->seen = NULL;
	st->nseen = 0;
	c = rt_copystate(st);
	st->seen = seen;
	st->nseen = nseen;
	return c;
}

/* Make the state a continuation in block blk: queued (rt_eager) or behind
 * an exit stub (lazy, flex = 0) or a flexswitch on v (flex = 1). */
static int pending(TsState *st, const TsLive *live, int blk, int side, int flex, TsBox v,
	const TsGeneric *gen)
{
	TsState *c;
	Cont *k;
	X86Ref *refs = NULL;
	int n;

	st->splitmask |= RT_SPLITBIT(st->nfr); /* both paths may meet at a join */
	c = copynoseen(st);
	if (!c)
		return ts_fail(st, "out of memory");
	c->path = ++rt_npaths;
	rt_cleardead(c, live);
	c->blk = blk;
	c->decided = 1;
	c->dval = side;
	if (rt_eager && !flex) {
		TsState **w = rt_xalloc(st->cx->work, (st->cx->nwork + 1) * sizeof *w);
		if (!w)
			return rt_freestate(c), ts_fail(st, "out of memory");
		st->cx->work = w;
		w[st->cx->nwork++] = c;
		return 0;
	}
	k = rt_xalloc(NULL, sizeof *k);
	if (!k || (n = liverefs(c, &refs)) < 0)
		return rt_freestate(c), x86_alloc(k, 0), ts_fail(st, "out of memory");
	memset(k, 0, sizeof *k);
	k->st = c;
	k->side = flex ? -1 : side;
	k->pref = flex ? v.ref : X86_NONE;
	k->gen = gen;
	if (flex)
		x86_flexswitch(st->u, blk, v.ref, n, refs, stubcb, k);
	else
		x86_exitstub(st->u, blk, n, refs, stubcb, k);
	x86_alloc(refs, 0);
	return 0;
}

int ts_split(TsState *st, TsFrame *fr, TsBox c, const TsLive *live, int hot)
{
	int t, f;

	if (st->decided) {
		st->decided = 0;
		return st->dval != 0;
	}
	if (c.kind == TB_CONST)
		return c.val != 0;
	if (c.kind == TB_VIRT)
		return 1;
	t = rt_newblock(st, 0, NULL);
	f = rt_newblock(st, 0, NULL);
	if (t < 0 || f < 0)
		return ts_fail(st, "no block"), 0;
	x86_branch(st->u, st->blk, c.ref, t, f);
	pending(st, live, hot ? f : t, !hot, 0, c, NULL);
	st->blk = hot ? t : f;
	return hot;
}

int ts_gpromote(TsState *st, TsFrame *fr, TsBox v, const TsLive *live, const TsGeneric *gen,
	int64_t *out)
{
	if (st->decided) {
		st->decided = 0;
		*out = st->dval;
		return 0;
	}
	v = rt_force(st, v);
	if (v.kind == TB_CONST) {
		*out = v.val;
		return 0;
	}
	pending(st, live, st->blk, 0, 1, v, gen);
	return 1;
}

int ts_promote(TsState *st, TsFrame *fr, TsBox v, const TsLive *live, int64_t *out)
{
	return ts_gpromote(st, fr, v, live, NULL, out);
}

/* The generic path: the top frame (stopped at the promotion) becomes a
 * frame of the generic variant at its resume point; slots green here and
 * red there become constant boxes; the promoted value stays a variable. */
static int togeneric(TsState *st, const TsGeneric *gen)
{
	TsFrame *old = st->fr[st->nfr - 1], *f = rt_newframe(gen->spec);
	int i, n = gen->spec->nslot;

	if (!f)
		return -1;
	memcpy(f->r, old->r, n * sizeof(TsBox));
	memcpy(f->g, old->g, n * sizeof(int64_t));
	f->retslot = old->retslot;
	f->resume = gen->resume;
	for (i = 0; i < gen->n; i++)
		f->r[gen->slot[i]] = ts_g(gen->type[i], old->g[gen->slot[i]]);
	st->fr[st->nfr - 1] = f;
	x86_alloc(old, 0);
	st->decided = 0;
	return 0;
}

/* Hash of a pointer. */
uint32_t rt_phash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(x ^ x >> 32);
}

/* The index in cx->t of unit u, or -1. */
static int unitindex(Ctx *cx, X86Unit *u)
{
	uint32_t h;

	if (!cx->thcap)
		return -1;
	for (h = rt_phash(u) & (cx->thcap - 1); cx->th[h] >= 0; h = (h + 1) & (cx->thcap - 1))
		if (cx->t[cx->th[h]].u == u)
			return cx->th[h];
	return -1;
}

/* Rebuild the unit hash with capacity cap. */
static int rehashunits(Ctx *cx, int cap)
{
	int *th = rt_xalloc(NULL, cap * sizeof *th), i;
	uint32_t h;

	if (!th)
		return -1;
	for (i = 0; i < cap; i++)
		th[i] = -1;
	for (i = 0; i < cx->nt; i++) {
		for (h = rt_phash(cx->t[i].u) & (cap - 1); th[h] >= 0; h = (h + 1) & (cap - 1))
			;
		th[h] = i;
	}
	x86_alloc(cx->th, 0);
	cx->th = th;
	cx->thcap = cap;
	return 0;
}

/* Add unit u of the tree with its parent. */
void rt_addunit(Ctx *cx, X86Unit *u, X86Unit *parent)
{
	Tree *t = rt_xalloc(cx->t, (cx->nt + 1) * sizeof *t);

	if (!t)
		return;
	cx->t = t;
	t[cx->nt].u = u;
	t[cx->nt].done = 0;
	t[cx->nt++].parent = parent;
	if (2 * cx->nt >= cx->thcap) {
		rehashunits(cx, cx->thcap ? 2 * cx->thcap : 64);
	} else {
		uint32_t h;
		for (h = rt_phash(u) & (cx->thcap - 1); cx->th[h] >= 0; h = (h + 1) & (cx->thcap - 1))
			;
		cx->th[h] = cx->nt - 1;
	}
	cx->ancof = NULL;
}

/* Whether a is u or an ancestor of u (the ancestors of the unit being
 * built are computed once). */
int rt_ancestor(Ctx *cx, X86Unit *a, X86Unit *u)
{
	int i, ia;

	if (a == u)
		return 1;
	if (cx->ancof != u) {
		int *anc = rt_xalloc(cx->anc, (cx->nt + 1) * sizeof *anc);
		if (!anc)
			return 0;
		cx->anc = anc;
		memset(anc, 0, (cx->nt + 1) * sizeof *anc);
		for (i = unitindex(cx, u); i >= 0; i = unitindex(cx, cx->t[i].parent))
			anc[i] = 1;
		cx->ancof = u;
	}
	ia = unitindex(cx, a);
	return ia >= 0 && cx->anc[ia];
}

/* Unit u is finished: its code is final, other units of the tree may jump
 * into its reentry blocks. */
void rt_unitdone(Ctx *cx, X86Unit *u)
{
	int i = unitindex(cx, u);

	if (i >= 0)
		cx->t[i].done = 1;
}

/* Whether unit u (being built) may jump into a reentry block of unit a:
 * a is u, an ancestor of u (which ran, so it is finished), or a finished
 * unit of the tree.  Every unit of a tree has its own frame area
 * below the older ones (codegen/x86: bridges start at the tree's deepest
 * frame), so a jump into a sibling's code is as safe as into an ancestor's;
 * a bridge that failed never becomes finished. */
int rt_reachable(Ctx *cx, X86Unit *a, X86Unit *u)
{
	int i;

	if (a == u)
		return 1;
	i = unitindex(cx, a);
	return i >= 0 && (cx->t[i].done || rt_ancestor(cx, a, u));
}

/* A bridge for a continuation: its variables become the bridge's entry
 * arguments, then it compiles on (generic: the promotion's generic path,
 * the value red). */
static X86Unit *bridge(Cont *k, X86Exit *site, int64_t value, int leave, int generic)
{
	TsState *st = rt_copystate(k->st);
	Ctx *cx = st ? st->cx : NULL;
	X86Unit *b = x86_bridge(site);
	Items s = {0};
	X86Ref *old;
	int i, n = 0;
	clock_t t0 = clock();

	if (!st || !b)
		return rt_freestate(st), NULL;
	rt_addunit(cx, b, x86_siteunit(site));
	st->u = b;
	st->blk = 0;
	st->leave = leave;
	if (k->side < 0)
		st->dval = value;
	if (rt_walk(st, NULL, &s) < 0)
		return rt_freestate(st), NULL;
	old = rt_xalloc(NULL, (s.n + 1) * sizeof *old);
	if (!old)
		return rt_itemsfree(&s), rt_freestate(st), NULL;
	for (i = 0; i < s.n; i++)
		if (s.it[i].k != IT_OBJ && s.it[i].b.kind == TB_VAR) {
			int j = refindex(old, n, s.it[i].b.ref), t = s.it[i].b.type;
			if (j < 0)
				old[j = n++] = s.it[i].b.ref;
			if (k->side < 0 && !generic && s.it[i].b.ref == k->pref) { /* promoted: known */
				*s.it[i].at = ts_g(t, x86_norm(t, value));
				s.it[i].at->pad = RT_PROMOTED;
			} else
				*s.it[i].at = rt_var(t, x86_arg(b, 0, j));
		}
	x86_alloc(old, 0);
	rt_itemsfree(&s);
	rt_clearseen(st);
	if (generic && togeneric(st, k->gen) < 0)
		return rt_freestate(st), NULL;
	cx->failed = 0;
	cx->ticks = 0;
	if (rt_runall(cx, st) < 0 || x86_verify(b) != X86_OK) {
		if (rt_logunits)
			fprintf(stderr, "ts: bridge failed (%s)%s\n", cx->why ? cx->why : x86_errstr(x86_error(b)),
			        leave ? "" : ": leave mode");
		return NULL;
	}
	rt_unitdone(cx, b);
	if (rt_logunits)
		rt_logops(leave ? "bridge (leave)" : generic ? "bridge (generic)" : "bridge", cx->p->name, b, t0);
	if (rt_logir)
		x86_print(stderr, b);
	return b;
}

/* The callback of a stub or flexswitch: compile the continuation in a
 * bridge; past the bound on cases of a promotion site, return its generic
 * bridge (compiled for the first such value; the emitter adds it as the
 * case of each later value); in leave mode when TS_LEAVE is set, when a
 * full compile of this continuation failed before (not tried again), or
 * past the bound at a site without a generic path. */
static X86Unit *stubcb(void *opaque, X86Exit *site, int64_t value, const int64_t *live)
{
	Cont *k = opaque;
	X86Unit *b = NULL;
	const char *e;

	if (maxcases < 0)
		maxcases = (e = getenv("TS_MAXCASES")) && atoi(e) >= 0 ? atoi(e) : TS_MAXCASES;
	if (generics < 0)
		generics = !(e = getenv("TS_GENERIC")) || atoi(e) > 0;
	if (k->dead)
		return NULL;
	if (k->side < 0 && k->gen && generics && !k->gfail && !rt_forceleave && k->ncases >= maxcases) {
		if (!k->generic && !(k->generic = bridge(k, site, value, 0, 1)))
			k->gfail = 1;
		if (k->generic)
			return k->generic;
	}
	if (!rt_forceleave && !k->nfail && (k->side >= 0 || k->ncases < maxcases)) {
		if ((b = bridge(k, site, value, 0, 0)) && k->side < 0)
			k->ncases++;
		else if (!b)
			k->nfail++;
	}
	if (!b && !(b = bridge(k, site, value, 1, 0)))
		k->dead = 1;
	return b;
}

/* --- leaving to the interpreter ----------------------------------------- */

struct TsLeave {
	int n;            /* values */
	int64_t *v;       /* raw values (pointers to objects: offsets) */
	int *obj;         /* per value: object index or -1 */
	int nobj;         /* objects */
	int *origin;      /* per object: alloca op, -1 */
	int *size;        /* per object: bytes */
	uint8_t **bytes;  /* per object: contents at the leave */
	uint8_t **placed; /* per object: where ts_resume placed it */
};

__thread TsLeave *rt_leaving; /* the leave record of the unit that just left */

/* Whether item i holds the first occurrence of its ref. */
static int firstref(const Items *s, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (s->it[j].k != IT_OBJ && s->it[j].b.kind == TB_VAR && s->it[j].b.ref == s->it[i].b.ref)
			return 0;
	return 1;
}

/* The value of box b of a leaving state (live[]: the stub's values);
 * *obj: the virtual object b points into, -1 if none, -2 when b is not
 * live (nothing the state reaches holds it: the value is 0). */
static int64_t leaveval(TsState *st, TsBox b, const Items *s, const int64_t *live, int *obj)
{
	int i, k = 0;

	*obj = -1;
	if (b.kind == TB_CONST)
		return b.val;
	if (b.kind == TB_VIRT) {
		*obj = b.ref;
		return b.val;
	}
	for (i = 0; i < s->n; i++)
		if (s->it[i].k != IT_OBJ && s->it[i].b.kind == TB_VAR) {
			if (s->it[i].b.ref == b.ref)
				return live[k];
			if (firstref(s, i))
				k++;
		}
	*obj = -2;
	return 0;
}

static X86Unit *leavecb(void *opaque, X86Exit *site, int64_t value, const int64_t *live)
{
	Cont *k = opaque;
	TsState *st = k->st;
	TsFrame *fr = st->fr[0];
	const TsMerge *mp = k->mp;
	TsLeave *lv = rt_xalloc(NULL, sizeof *lv);
	Items s = {0};
	int i, j, o;

	if (!lv || rt_walk(st, NULL, &s) < 0)
		return NULL;
	memset(lv, 0, sizeof *lv);
	lv->n = mp->ng + mp->red.n;
	lv->v = rt_xalloc(NULL, (lv->n + 1) * sizeof *lv->v);
	lv->obj = rt_xalloc(NULL, (lv->n + 1) * sizeof *lv->obj);
	lv->nobj = st->nvo;
	lv->origin = rt_xalloc(NULL, (st->nvo + 1) * sizeof(int));
	lv->size = rt_xalloc(NULL, (st->nvo + 1) * sizeof(int));
	lv->bytes = rt_xalloc(NULL, (st->nvo + 1) * sizeof(uint8_t *));
	lv->placed = rt_xalloc(NULL, (st->nvo + 1) * sizeof(uint8_t *));
	for (i = 0; i < mp->ng; i++) {
		lv->v[i] = fr->g[mp->gslot[i]];
		lv->obj[i] = -1;
	}
	for (i = 0; i < mp->red.n; i++)
		lv->v[mp->ng + i] = leaveval(st, fr->r[mp->red.slot[i]], &s, live, &lv->obj[mp->ng + i]);
	for (o = 0; o < st->nvo; o++) {
		Virt *vo = &st->vo[o];
		lv->origin[o] = vo->origin;
		lv->size[o] = vo->size;
		lv->placed[o] = NULL;
		lv->bytes[o] = rt_xalloc(NULL, vo->size + 16);
		memset(lv->bytes[o], 0, vo->size + 16);
		if (vo->forced) {
			int dead;
			int64_t a = leaveval(st, vo->base, &s, live, &dead);
			if (dead == -2) /* unreachable (an inlined call's frame): */
				lv->origin[o] = -1; /* never placed */
			else
				memcpy(lv->bytes[o], (void *)(intptr_t)a, vo->size);
			continue;
		}
		for (j = 0; j < vo->nf; j++) {
			int ob;
			int64_t v = leaveval(st, vo->f[j].b, &s, live, &ob);
			if (ob < 0)
				memcpy(lv->bytes[o] + vo->f[j].off, &v, rt_typesize(vo->f[j].b.type));
		}
	}
	rt_itemsfree(&s);
	rt_leaving = lv;
	return NULL;
}

void ts_leave_place(const TsLeave *lv, int origin, void *mem, int size)
{
	int o;

	for (o = 0; o < lv->nobj; o++)
		if (lv->origin[o] == origin && !lv->placed[o]) {
			memcpy(mem, lv->bytes[o], size < lv->size[o] ? size : lv->size[o]);
			lv->placed[o] = mem;
			return;
		}
}

int64_t ts_leave_get(const TsLeave *lv, int i)
{
	int o = lv->obj[i];

	if (o < 0)
		return lv->v[i];
	if (!lv->placed[o]) /* not an alloca of the portal: a heap copy */
		lv->placed[o] = lv->bytes[o];
	return (int64_t)(intptr_t)(lv->placed[o] + lv->v[i]);
}

/* A leave: an exit stub that records the state and returns to C. */
int rt_leave(TsState *st, const TsMerge *mp)
{
	TsState *c;
	Cont *k = rt_xalloc(NULL, sizeof *k);
	X86Ref *refs = NULL;
	int n;

	rt_forceheap(st); /* the interpreter needs real heap objects (ops.c) */
	c = copynoseen(st);
	if (!c || !k || (n = liverefs(c, &refs)) < 0)
		return ts_fail(st, "out of memory");
	memset(k, 0, sizeof *k);
	k->st = c;
	k->leave = 1;
	k->mp = mp;
	x86_exitstub(st->u, st->blk, n, refs, leavecb, k);
	x86_alloc(refs, 0);
	return 1;
}
