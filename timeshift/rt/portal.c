/* portal.c: the portal: code cache keyed by green arguments, compiling a
 * key, running its code, TS_LOG. */
#include "rt.h"

static CacheEnt *cache;
static int ncache, capcache;

/* A residual call of a portal (a guest call that re-enters the
 * interpreter): 1 and its result in *res if compiled here, 0 to emit the
 * call as any other (the JIT entry runs it). */
int rt_portalcall(TsState *st, int ret, TsBox fn, int n, const TsBox *args, TsBox *res)
{
	(void)st, (void)ret, (void)fn, (void)n, (void)args, (void)res;
	return 0;
}

/* --- the portal: code cache, compile, run ---------------------------------- */

/* TS_LOG=units: the residual operations of unit u by kind. */
void rt_logops(const char *what, const char *name, X86Unit *u, clock_t t0)
{
	int op, n, total = 0;
	char buf[1024];
	size_t len = 0;

	buf[0] = 0;
	for (op = 0; op < XR_NOP; op++)
		if ((n = x86_countops(u, op)) > 0) {
			total += n;
			len += snprintf(buf + len, len < sizeof buf ? sizeof buf - len : 0, "%s%s=%d",
			                len ? " " : "", x86_opinfo[op].name, n);
		}
	fprintf(stderr, "ts: %s %s: %d ops (%s), %.3f ms\n", what, name, total, buf,
	        1000.0 * (clock() - t0) / CLOCKS_PER_SEC);
}

static CacheEnt *lasthit; /* the last entry used */

/* Whether ce is the entry for the green arguments of args. */
static int samegreens(const CacheEnt *ce, const int64_t *args)
{
	int j;

	for (j = 0; j < ce->p->nparam; j++)
		if (ce->p->pgreen[j] && ce->g[j] != args[j])
			return 0;
	return 1;
}

static CacheEnt *lookup(const TsPortal *p, const int64_t *args)
{
	int i, j, same;
	CacheEnt *c;

	for (i = 0; i < ncache; i++) {
		if (cache[i].p != p)
			continue;
		for (same = 1, j = 0; j < p->nparam && same; j++)
			if (p->pgreen[j] && cache[i].g[j] != args[j])
				same = 0;
		if (same)
			return &cache[i];
	}
	if (ncache == capcache) {
		int cap = capcache ? 2 * capcache : 16;
		c = rt_xalloc(cache, cap * sizeof *c);
		if (!c)
			return NULL;
		cache = c;
		lasthit = NULL; /* it pointed into the old array */
		capcache = cap;
	}
	c = &cache[ncache++];
	memset(c, 0, sizeof *c);
	c->p = p;
	c->g = rt_xalloc(NULL, (p->nparam + 1) * sizeof *c->g);
	for (j = 0; j < p->nparam; j++)
		c->g[j] = p->pgreen[j] ? args[j] : 0;
	return c;
}

/* Compile the root unit for the green arguments of args. */
static int compile(CacheEnt *ce, const int64_t *args)
{
	const TsPortal *p = ce->p;
	uint8_t types[X86_MAXCALLARGS];
	Ctx *cx = rt_xalloc(NULL, sizeof *cx);
	TsState *st = rt_xalloc(NULL, sizeof *st);
	TsFrame *fr;
	int i, n = 0;
	clock_t t0 = clock();

	if (!cx || !st)
		return -1;
	memset(cx, 0, sizeof *cx);
	memset(st, 0, sizeof *st);
	cx->p = p;
	for (i = 0; i < p->nparam; i++)
		if (!p->pgreen[i])
			types[n++] = p->ptype[i];
	cx->root = x86_newunit(n, types, p->ret);
	if (!cx->root)
		return -1;
	rt_addunit(cx, cx->root, NULL);
	st->cx = cx;
	st->u = cx->root;
	st->blk = 0;
	st->path = ++rt_npaths;
	if (!(fr = ts_push(st, p->spec, -1)))
		return -1;
	for (i = n = 0; i < p->nparam; i++) {
		if (p->pgreen[i])
			fr->g[p->pslot[i]] = args[i];
		else
			fr->r[p->pslot[i]] = rt_var(p->ptype[i], x86_arg(cx->root, 0, n++));
	}
	ce->cx = cx;
	if (rt_runall(cx, st) < 0 || x86_verify(cx->root) != X86_OK) {
		if (rt_logunits)
			fprintf(stderr, "ts: %s: compile failed: %s\n", p->name,
			        cx->why ? cx->why : x86_errstr(x86_error(cx->root)));
		return -1;
	}
	if (rt_logir)
		x86_print(stderr, cx->root);
	if (!rt_interp && !(ce->code = x86_compile(cx->root))) {
		if (rt_logunits)
			fprintf(stderr, "ts: %s: x86_compile failed: %s\n", p->name,
			        x86_errstr(x86_error(cx->root)));
		return -1;
	}
	if (rt_logunits)
		rt_logops("unit", p->name, cx->root, t0);
	return 0;
}

int ts_enter(const TsPortal *p, const int64_t *args, int64_t *res)
{
	CacheEnt *ce;
	int64_t red[X86_MAXCALLARGS];
	uint8_t types[X86_MAXCALLARGS];
	int i, n = 0;
	X86Exit *left;

	rt_readenv();
	if (rt_jitoff || p->nparam > X86_MAXCALLARGS)
		return -1;
	ce = lasthit;
	if (!ce || ce->p != p || !samegreens(ce, args))
		ce = lookup(p, args);
	if (!ce)
		return -1;
	lasthit = ce;
	if (ce->state == 0) {
		if (ce->count++ < rt_threshold)
			return -1;
		lasthit = NULL;
		ce->state = compile(ce, args) == 0 ? 1 : 2;
		ce = lookup(p, args); /* the cache may have moved */
		lasthit = ce;
		if (!ce)
			return -1;
		ce->direct = p->ret != X86_F64 && p->ret != X86_VOID;
		for (i = 0, n = 0; i < p->nparam; i++)
			if (!p->pgreen[i] && (p->ptype[i] == X86_F64 || ++n > 6))
				ce->direct = 0;
		n = 0;
	}
	if (ce->state != 1)
		return -1;
	for (i = 0; i < p->nparam; i++)
		if (!p->pgreen[i]) {
			types[n] = p->ptype[i];
			red[n++] = args[i];
		}
	for (i = n; i < 6; i++)
		red[i] = 0;
	rt_leaving = NULL;
	if (rt_interp) {
		int rc = x86_interp(ce->cx->root, red, res, 0);
		if (rc > 0)
			return -1; /* cannot happen after a verified compile */
	} else if (ce->direct) { /* integer arguments in registers, integer result */
		*res = x86_norm(p->ret, ((int64_t (*)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t))
		                         ce->code)(red[0], red[1], red[2], red[3], red[4], red[5]));
	} else {
		*res = x86_ccall(ce->code, p->ret, n, types, red);
	}
	left = x86_leftearly();
	if (left) {
		TsLeave *lv = rt_leaving;
		if (!lv) /* a bridge failed twice: nothing to resume */
			return -1;
		rt_leaving = NULL;
		*res = p->resume(lv);
	}
	return 0;
}
