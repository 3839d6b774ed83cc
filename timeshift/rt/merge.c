/* merge.c: flattening a state into items (walk) and merge points: the
 * merge cache, versions, generalisation. */
#include "rt.h"
#include "vable.h"

/* --- walking a state: items, live values -------------------------------- */

static int push(Items *s, Item it)
{
	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 32;
		Item *p = rt_xalloc(s->it, cap * sizeof *p);
		if (!p)
			return -1;
		s->it = p;
		s->cap = cap;
	}
	s->it[s->n++] = it;
	return 0;
}

/* Add box *b; objects reached are numbered in order of discovery. */
static void walkbox(TsState *st, Items *s, TsBox *b, int k, int32_t x, int *num, int *order, int *nord)
{
	Item it;

	memset(&it, 0, sizeof it);
	it.b = *b;
	it.k = k;
	it.x = x;
	it.at = b;
	if (b->kind == TB_VIRT) {
		if (num[b->ref] < 0) {
			num[b->ref] = *nord;
			order[(*nord)++] = b->ref;
		}
		it.b.ref = num[b->ref];
	}
	push(s, it);
}

/* Flatten the red slots sel (or every non-dead slot of every frame when
 * sel is NULL) and the objects they reach into s. */
int rt_walk(TsState *st, const TsLive *sel, Items *s)
{
	int *num = rt_xalloc(NULL, (st->nvo + 1) * 2 * sizeof(int));
	int *order, nord = 0, i, j, f;
	Item it;

	if (!num)
		return -1;
	order = num + st->nvo + 1;
	for (i = 0; i < st->nvo; i++)
		num[i] = -1;
	s->n = 0;
	if (sel) {
		TsFrame *fr = st->fr[st->nfr - 1];
		for (f = 0; f + 1 < st->nfr; f++) /* frames below: every live box */
			for (i = 0; i < st->fr[f]->spec->nslot; i++)
				if (st->fr[f]->r[i].kind != TB_NONE)
					walkbox(st, s, &st->fr[f]->r[i], IT_BOX, i, num, order, &nord);
		for (i = 0; i < sel->n; i++)
			walkbox(st, s, &fr->r[sel->slot[i]], IT_BOX, 0, num, order, &nord);
	} else {
		for (f = 0; f < st->nfr; f++)
			for (i = 0; i < st->fr[f]->spec->nslot; i++)
				if (st->fr[f]->r[i].kind != TB_NONE)
					walkbox(st, s, &st->fr[f]->r[i], IT_BOX, i, num, order, &nord);
		if (st->ret.kind != TB_NONE)
			walkbox(st, s, &st->ret, IT_BOX, -1, num, order, &nord);
	}
	for (j = 0; j < nord; j++) {
		Virt *o = &st->vo[order[j]];
		memset(&it, 0, sizeof it);
		it.k = IT_OBJ;
		it.x = o->size;
		it.y = o->origin;
		it.z = o->nf | o->forced << 30;
		push(s, it);
		if (o->forced) {
			walkbox(st, s, &o->base, IT_BASE, 0, num, order, &nord);
			rt_vwalk(st, order[j], s); /* a frame's cached fields (vable.c) */
			continue;
		}
		for (i = 0; i < o->nf; i++)
			walkbox(st, s, &o->f[i].b, IT_FIELD, o->f[i].off, num, order, &nord);
	}
	x86_alloc(num, 0);
	return 0;
}

/* Same structure: objects, fields, virtual pointers, types. */
static int samestruct(const Items *a, const Items *b)
{
	int i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		const Item *x = &a->it[i], *y = &b->it[i];
		if (x->k != y->k || x->x != y->x || x->y != y->y || x->z != y->z)
			return 0;
		if (x->k == IT_OBJ)
			continue;
		if (x->b.type != y->b.type || (x->b.kind == TB_VIRT) != (y->b.kind == TB_VIRT))
			return 0;
		if (x->b.kind == TB_VIRT && (x->b.ref != y->b.ref || x->b.val != y->b.val))
			return 0;
		if ((x->b.kind == TB_NONE) != (y->b.kind == TB_NONE))
			return 0;
	}
	return 1;
}

/* Whether a state with items c may jump to a version with items v. */
static int matches(const Items *v, const Items *c)
{
	int i;

	if (!samestruct(v, c))
		return 0;
	for (i = 0; i < v->n; i++)
		if (v->it[i].b.kind == TB_CONST &&
		    (c->it[i].b.kind != TB_CONST || c->it[i].b.val != v->it[i].b.val))
			return 0;
	return 1;
}

/* The variables of items s as operands (constants of c where s has a
 * variable and c a constant); their types.  Returns the count. */
static int jumpargs(TsState *st, const Items *s, const Items *c, X86Ref **refs, uint8_t **types)
{
	int i, n = 0;

	*refs = rt_xalloc(NULL, (s->n + 1) * sizeof **refs);
	*types = rt_xalloc(NULL, s->n + 1);
	if (!*refs || !*types)
		return -1;
	for (i = 0; i < s->n; i++)
		if (s->it[i].k != IT_OBJ && s->it[i].b.kind == TB_VAR) {
			(*types)[n] = s->it[i].b.type;
			(*refs)[n++] = rt_cref(st, c->it[i].b);
		}
	return n;
}

/* --- merge points --------------------------------------------------------- */

/* Keys: g[0] is the length of g; then the live greens of the top frame,
 * then (spec, resume point, green slots) of each frame below it. */
static int samekey(const Key *k, const TsMerge *mp, const int64_t *g)
{
	return k->mp == mp && k->g[0] == g[0] && memcmp(k->g, g, g[0] * sizeof *g) == 0;
}

static uint32_t keyhash(const TsMerge *mp, const int64_t *g)
{
	uint32_t h = rt_phash(mp);
	int i;

	for (i = 0; i < g[0]; i++)
		h = (h ^ rt_phash((void *)(uintptr_t)g[i])) * 16777619u;
	return h;
}

/* Rebuild the key hash with capacity cap. */
static int rehashkeys(Ctx *cx, int cap)
{
	int *eh = rt_xalloc(NULL, cap * sizeof *eh), i;
	uint32_t h;

	if (!eh)
		return -1;
	for (i = 0; i < cap; i++)
		eh[i] = -1;
	for (i = 0; i < cx->ne; i++) {
		for (h = keyhash(cx->e[i].key.mp, cx->e[i].key.g) & (cap - 1); eh[h] >= 0; h = (h + 1) & (cap - 1))
			;
		eh[h] = i;
	}
	x86_alloc(cx->eh, 0);
	cx->eh = eh;
	cx->ehcap = cap;
	return 0;
}

/* The cache entry of a key, added when new. */
static Entry *entry(Ctx *cx, const TsMerge *mp, const int64_t *g)
{
	Entry *e;
	uint32_t h;

	if (2 * (cx->ne + 1) >= cx->ehcap && rehashkeys(cx, cx->ehcap ? 2 * cx->ehcap : 256) < 0)
		return NULL;
	for (h = keyhash(mp, g) & (cx->ehcap - 1); cx->eh[h] >= 0; h = (h + 1) & (cx->ehcap - 1))
		if (samekey(&cx->e[cx->eh[h]].key, mp, g))
			return &cx->e[cx->eh[h]];
	e = rt_xalloc(cx->e, (cx->ne + 1) * sizeof *e);
	if (!e)
		return NULL;
	cx->e = e;
	cx->eh[h] = cx->ne;
	e = &e[cx->ne++];
	memset(e, 0, sizeof *e);
	e->key.mp = mp;
	e->key.g = rt_xalloc(NULL, g[0] * sizeof *g);
	memcpy(e->key.g, g, g[0] * sizeof *g);
	return e;
}

/* Generalise items gen against an earlier visit's items old: a constant
 * that differs there (or every constant, when all is set or the
 * structures differ) becomes a variable, except a promoted one, which
 * promotion keeps known across merge points (a later TS_PROMOTE of it needs
 * no switch); all = 2 (a key with many versions) generalises those too. */
static void generalise(Items *gen, const Items *old, int all)
{
	int i, same = samestruct(old, gen);

	for (i = 0; i < gen->n; i++) {
		Item *it = &gen->it[i];
		if (it->k == IT_OBJ || it->b.kind != TB_CONST || ((it->b.pad & RT_PROMOTED) && all < 2))
			continue;
		if (all || !same || old->it[i].b.kind != TB_CONST || old->it[i].b.val != it->b.val)
			it->b.kind = TB_VAR;
	}
}

/* Jump from the current block to version v with the items c. */
static void jumpto(TsState *st, Version *v, const Items *c)
{
	X86Ref *refs;
	uint8_t *types;
	int n = jumpargs(st, &v->sh, c, &refs, &types);

	if (n < 0) {
		ts_fail(st, "out of memory");
		return;
	}
	if (v->u == st->u)
		x86_jump(st->u, st->blk, v->blk, n, refs);
	else
		x86_jumpunit(st->u, st->blk, v->u, v->blk, n, refs);
	x86_alloc(refs, 0);
	x86_alloc(types, 0);
}

/* Open a reentry block for the generalisation g of the current items c;
 * clear: forget the keys this path first visited (not at a join, so the
 * loop heads around it are merged as without it). */
static int openblock(TsState *st, Entry *e, Items *g, const Items *c, int clear)
{
	X86Ref *refs;
	uint8_t *types;
	int n = jumpargs(st, g, c, &refs, &types), b, i, k = 0;
	Version *v;

	if (n < 0 || (b = rt_newblock(st, n, types)) < 0)
		return ts_fail(st, "no block");
	x86_jump(st->u, st->blk, b, n, refs);
	x86_reentry(st->u, b);
	x86_alloc(refs, 0);
	x86_alloc(types, 0);
	for (i = 0; i < g->n; i++)
		if (g->it[i].k != IT_OBJ && g->it[i].b.kind == TB_VAR)
			*c->it[i].at = rt_var(g->it[i].b.type, x86_arg(st->u, b, k++));
	st->blk = b;
	v = rt_xalloc(e->v, (e->nv + 1) * sizeof *v);
	if (!v)
		return ts_fail(st, "out of memory");
	e->v = v;
	v[e->nv].u = st->u;
	v[e->nv].blk = b;
	v[e->nv].sh = *g;
	e->nv++;
	if (clear)
		rt_clearseen(st);
	return 0;
}

/* The key of the state at merge point mp (layout at samekey). */
static int64_t *mergekey(TsState *st, const TsMerge *mp)
{
	TsFrame *fr = st->fr[st->nfr - 1];
	int64_t *g;
	int n = 1 + mp->ng, i, f, k;

	for (f = 0; f + 1 < st->nfr; f++)
		n += 2 + st->fr[f]->spec->nslot;
	if (!(g = rt_xalloc(NULL, n * sizeof *g)))
		return NULL;
	g[0] = n;
	for (i = 0, k = 1; i < mp->ng; i++)
		g[k++] = fr->g[mp->gslot[i]];
	for (f = 0; f + 1 < st->nfr; f++) {
		g[k++] = (int64_t)(intptr_t)st->fr[f]->spec;
		g[k++] = st->fr[f]->resume;
		memcpy(&g[k], st->fr[f]->g, st->fr[f]->spec->nslot * sizeof *g);
		k += st->fr[f]->spec->nslot;
	}
	return g;
}

/* A join merge point (HM_JOIN: a block in no loop where the paths of a
 * red split meet before a return).  Only a path that split at run time in
 * this frame or in a callee that returned (RT_SPLITBIT: a path that did
 * not has no sibling to meet; the bit stays, so every later join of the
 * frame merges too, as nested splits need) merges there: it jumps to a
 * version its items match (exact constants, like any version); else the
 * first path opens a reentry block for its state as it is, and a later
 * path whose constants differ opens a version
 * generalised against the first one (differing constants become
 * variables, promoted ones excepted), where the paths after it jump.
 * Objects are not forced (a join is in no loop: nothing grows); past the
 * version bound, or with too many run-time values, the path goes on
 * inline (a join is never needed for correctness).  TS_JOIN=0 turns joins
 * off, TS_JOIN=2 opens no generalised version (exact matches only). */
static int joinmerge(TsState *st, const TsMerge *mp)
{
	static int mode = -1; /* TS_JOIN */
	const char *env;
	int64_t *g;
	Items c = {0}, gen;
	Entry *e;
	int i, nvar = 0;

	if (mode < 0)
		mode = (env = getenv("TS_JOIN")) ? atoi(env) : 1;
	if (mode == 0 || !(st->splitmask & RT_SPLITBIT(st->nfr)))
		return 0;
	rt_cleardead(st, &mp->red);
	if (!(g = mergekey(st, mp)))
		return ts_fail(st, "out of memory"), 1;
	e = entry(st->cx, mp, g);
	x86_alloc(g, 0);
	if (!e || rt_walk(st, &mp->red, &c) < 0)
		return ts_fail(st, "out of memory"), 1;
	for (i = e->nv - 1; i >= 0; i--)
		if (rt_reachable(st->cx, e->v[i].u, st->u) && matches(&e->v[i].sh, &c)) {
			jumpto(st, &e->v[i], &c);
			rt_itemsfree(&c);
			return 1;
		}
	for (i = 0; i < c.n; i++)
		nvar += c.it[i].k != IT_OBJ && c.it[i].b.kind == TB_VAR;
	if (e->nv >= 3 * TS_MAXVERSIONS || (mode == 2 && e->nv) || nvar > RT_MAXMERGEVARS) {
		rt_itemsfree(&c);
		return 0;
	}
	gen = rt_itemsdup(&c);
	if (e->nv)
		generalise(&gen, &e->v[0].sh, (e->nv >= TS_MAXVERSIONS) + (e->nv >= 2 * TS_MAXVERSIONS));
	i = openblock(st, e, &gen, &c, 0);
	rt_itemsfree(&c);
	return i == TS_FAIL;
}

int ts_merge(TsState *st, TsFrame *fr, const TsMerge *mp)
{
	int64_t *g;
	Items c = {0}, gen;
	Entry *e;
	Seen *sn = NULL;
	int i;

	if (st->leave && mp->global && st->nfr == 1)
		return rt_leave(st, mp);
	if (mp->join)
		return joinmerge(st, mp);
	rt_cleardead(st, &mp->red);
	if ((i = rt_guestmerge(st, mp)) >= 0) /* in an inlined guest call (ops.c) */
		return i;
	rt_forcedeep(st); /* growing heap structures are forced (ops.c) */
	if (!(g = mergekey(st, mp)))
		return ts_fail(st, "out of memory"), 1;
	if (!(e = entry(st->cx, mp, g)) || rt_walk(st, &mp->red, &c) < 0)
		return x86_alloc(g, 0), ts_fail(st, "out of memory"), 1;
	for (i = e->nv - 1; i >= 0; i--)
		if (rt_reachable(st->cx, e->v[i].u, st->u) && matches(&e->v[i].sh, &c)) {
			jumpto(st, &e->v[i], &c);
			x86_alloc(g, 0);
			rt_itemsfree(&c);
			return 1;
		}
	for (i = 0; i < st->nseen; i++)
		if (samekey(&st->seen[i].key, mp, g))
			sn = &st->seen[i];
	if (!e->visits++) {
		e->path = st->path;
		e->first = rt_itemsdup(&c);
	}
	if (!sn && e->path != st->path && e->nv < 2 * TS_MAXVERSIONS) {
		/* code another path compiled inline: cut here, so that paths
		 * compiled later (any unit of the tree) can jump here; generalised
		 * against that path's visit as a second visit would be */
		gen = rt_itemsdup(&c);
		x86_alloc(g, 0);
		generalise(&gen, &e->first, e->nv >= TS_MAXVERSIONS);
		i = openblock(st, e, &gen, &c, 1);
		rt_itemsfree(&c);
		return i == TS_FAIL;
	}
	if (!sn) {
		Seen *s = rt_xalloc(st->seen, (st->nseen + 1) * sizeof *s);
		if (!s)
			return ts_fail(st, "out of memory"), 1;
		st->seen = s;
		s[st->nseen].key.mp = mp;
		s[st->nseen].key.g = g;
		s[st->nseen++].sh = c;
		return 0;
	}
	x86_alloc(g, 0);
	if (e->nv >= 3 * TS_MAXVERSIONS) {
		rt_itemsfree(&c);
		return ts_fail(st, "version bound"), 1;
	}
	gen = rt_itemsdup(&c);
	generalise(&gen, &sn->sh, (e->nv >= TS_MAXVERSIONS) + (e->nv >= 2 * TS_MAXVERSIONS));
	i = openblock(st, e, &gen, &c, 1);
	rt_itemsfree(&c);
	return i == TS_FAIL;
}
