/* portal.c: the portal (docs/timeshift.md §5-§6): the code cache keyed by
 * green arguments (a hash of entries that are never freed), compiling a
 * key, running its code, direct guest calls between compiled keys, the
 * code memory bound (eviction of the least recently used keys), TS_LOG.
 *
 * Direct calls.  A residual call of the portal's own JIT entry whose green
 * arguments are constants is emitted as a call through the callee key's
 * entry word `call`, with only the red arguments and the entry itself as
 * one more argument (the callee ignores it):
 *
 *     use += 1;  r = call [ent->call](reds..., ent);  use += 2^32 - 1
 *     if r == 0 (a callee that left early returned 0):
 *         l = x86_leftearly();  if l: r = directleft(l, ent, reds...)
 *
 * (no `use` counts for a call of the key being compiled: its caller is a
 * run of the same key, so the key is in use until the call returns).
 * `call` is the compiled root while the key is compiled, else a C
 * trampoline (per red count) that calls the JIT entry with all arguments
 * (which counts, compiles, runs or falls back to the plain interpreter).
 * A callee that left early returned 0 with x86_leftearly set: directleft
 * resumes its leave record in ts_resume.  `use` counts runs in progress
 * (low 32 bits: a key with runs in progress has code on the stack and is
 * never evicted) and runs finished (high bits: recency for eviction).
 */
#include <stddef.h>
#include "rt.h"

enum {
	RT_MAXDIRECT = 5,          /* red arguments of a direct call (+ the entry: 6 registers) */
	RT_MAXCODE = 16 << 20,     /* default TS_MAXCODE: bytes of code before evicting */
};

typedef struct PEnt PEnt;

/* A key of the code cache: a portal and its green arguments. */
struct PEnt {
	void *call;        /* what direct calls reach: the compiled root or a trampoline */
	uint64_t use;      /* low 32 bits: runs in progress; high: runs finished */
	const TsPortal *p; /* portal */
	int64_t *g;        /* green arguments (0 in red positions) */
	uint32_t hash;     /* hash of the greens */
	void *code;        /* compiled root, NULL while not compiled */
	Ctx *cx;           /* its compile tree, NULL once evicted */
	int state;         /* 0 counting, 1 compiled, 2 failed */
	int direct;        /* ts_enter may call code as int64 (*)(six int64) */
	long count;        /* entries before compiling */
	int nevict;        /* times its code was evicted */
	long stamp;        /* recency: the last time it was seen in use */
	uint32_t seen;     /* use >> 32 when stamped */
	int keys;          /* TS_LOG: global merge keys of its tree logged so far */
	long passes;       /* TS_LOG: global merge passes logged so far */
};

static PEnt **tab;      /* hash: greens -> entry (open addressing) */
static int tabcap;      /* its capacity (power of 2) */
static PEnt **ents;     /* every entry, in creation order */
static int nents, capents; /* count, capacity */
static PEnt **roots;    /* hash: root unit -> entry (for TS_LOG of bridges) */
static int rootcap;     /* its capacity (power of 2) */
static int nroots;      /* roots entered (never removed: evicted ones stay, unit NULL) */
static PEnt *lasthit;   /* the last entry used by ts_enter */
static long clk;        /* recency clock */
static size_t maxcode;  /* TS_MAXCODE */
static int logsum = -1; /* TS_LOG=summary (-1: not read yet) */
static int logline;     /* TS_LOG=units: print the unit lines */
static int nodirect;    /* TS_DIRECT=0: guest calls go through the JIT entry */

/* Totals for TS_LOG=summary. */
static struct {
	long roots, bridges, fails; /* units compiled, root compiles failed */
	long ops, guards, passes, keys; /* residual ops, exits, merge passes, keys */
	double ms;          /* compile time */
	long evictions;     /* trees evicted */
	long direct;        /* direct call sites emitted */
	size_t bytes;       /* machine code bytes compiled */
	size_t peak;        /* code memory in use, at most */
} sum;

static void flushlog(void);

/* Read the environment that belongs to the portal (once). */
static void portalenv(void)
{
	const char *s;

	if (logsum >= 0)
		return;
	s = getenv("TS_LOG");
	logsum = s && (strstr(s, "summary") || strstr(s, "all"));
	logline = s && (strstr(s, "units") || strstr(s, "all"));
	nodirect = (s = getenv("TS_DIRECT")) && strcmp(s, "0") == 0;
	maxcode = (s = getenv("TS_MAXCODE")) && atol(s) > 0 ? (size_t)atol(s) : RT_MAXCODE;
}

/* --- the code cache ------------------------------------------------------- */

static uint32_t greenhash(const TsPortal *p, const int64_t *args)
{
	uint64_t h = (uint64_t)(uintptr_t)p;
	int j;

	for (j = 0; j < p->nparam; j++)
		if (p->pgreen[j])
			h = (h ^ (uint64_t)args[j]) * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32);
}

/* Whether ce is the entry for the green arguments of args. */
static int samegreens(const PEnt *ce, const TsPortal *p, const int64_t *args)
{
	int j;

	if (ce->p != p)
		return 0;
	for (j = 0; j < p->nparam; j++)
		if (p->pgreen[j] && ce->g[j] != args[j])
			return 0;
	return 1;
}

/* Insert ce into the greens hash (which has room). */
static void tabput(PEnt *ce)
{
	uint32_t i = ce->hash & (tabcap - 1);

	while (tab[i])
		i = (i + 1) & (tabcap - 1);
	tab[i] = ce;
}

static int64_t trampoline(PEnt *ce, const int64_t *red);
static void *const tramps[RT_MAXDIRECT + 1];

/* Red parameters of p, and whether direct calls may reach its code
 * (integer reds in registers, an integer or no result). */
static int portalreds(const TsPortal *p, int *fast)
{
	int i, n = 0, ok = p->ret != X86_F64;

	for (i = 0; i < p->nparam; i++)
		if (!p->pgreen[i]) {
			n++;
			if (p->ptype[i] == X86_F64)
				ok = 0;
		}
	*fast = ok && n <= RT_MAXDIRECT;
	return n;
}

/* The entry for the green arguments of args, created (not compiled) on a
 * miss; NULL when out of memory. */
static PEnt *lookup(const TsPortal *p, const int64_t *args)
{
	uint32_t h = greenhash(p, args), i;
	PEnt *ce;
	int j, fast, n;

	if (tabcap)
		for (i = h & (tabcap - 1); (ce = tab[i]); i = (i + 1) & (tabcap - 1))
			if (ce->hash == h && samegreens(ce, p, args))
				return ce;
	if (2 * (nents + 1) > tabcap) {
		int cap = tabcap ? 2 * tabcap : 64;
		PEnt **t = rt_xalloc(NULL, cap * sizeof *t);
		if (!t)
			return NULL;
		memset(t, 0, cap * sizeof *t);
		x86_alloc(tab, 0);
		tab = t;
		tabcap = cap;
		for (j = 0; j < nents; j++)
			tabput(ents[j]);
	}
	if (nents == capents) {
		int cap = capents ? 2 * capents : 64;
		PEnt **e = rt_xalloc(ents, cap * sizeof *e);
		if (!e)
			return NULL;
		ents = e;
		capents = cap;
	}
	if (!(ce = rt_xalloc(NULL, sizeof *ce)))
		return NULL;
	memset(ce, 0, sizeof *ce);
	if (!(ce->g = rt_xalloc(NULL, (p->nparam + 1) * sizeof *ce->g)))
		return x86_alloc(ce, 0), NULL;
	ce->p = p;
	ce->hash = h;
	for (j = 0; j < p->nparam; j++)
		ce->g[j] = p->pgreen[j] ? args[j] : 0;
	n = portalreds(p, &fast);
	ce->call = fast ? tramps[n] : NULL;
	ents[nents++] = ce;
	tabput(ce);
	return ce;
}

/* Remember that root unit u belongs to ce (TS_LOG names bridges' keys). */
static void rootput(X86Unit *u, PEnt *ce)
{
	uint32_t i;

	if (2 * (nroots + 1) > rootcap) {
		int cap = rootcap ? 2 * rootcap : 64, j, old = rootcap;
		PEnt **t = rt_xalloc(NULL, cap * sizeof *t), **o = roots;
		if (!t)
			return;
		memset(t, 0, cap * sizeof *t);
		roots = t;
		rootcap = cap;
		nroots = 0;
		for (j = 0; j < old; j++)
			if (o[j] && o[j]->cx)
				rootput(o[j]->cx->root, o[j]);
		x86_alloc(o, 0);
	}
	for (i = rt_phash(u) & (rootcap - 1); roots[i]; i = (i + 1) & (rootcap - 1))
		;
	roots[i] = ce;
	nroots++;
}

/* The entry whose compile tree has root u, or NULL. */
static PEnt *rootget(X86Unit *u)
{
	uint32_t i;

	if (!rootcap)
		return NULL;
	for (i = rt_phash(u) & (rootcap - 1); roots[i]; i = (i + 1) & (rootcap - 1))
		if (roots[i]->cx && roots[i]->cx->root == u)
			return roots[i];
	return NULL;
}

/* --- eviction ------------------------------------------------------------ */

/* Free the code of ce's tree; the entry stays (direct calls go through its
 * `call`, back to the trampoline) and counts again from 0. */
static void evict(PEnt *ce)
{
	int fast, n = portalreds(ce->p, &fast);

	x86_free(ce->cx->root);
	ce->cx->root = NULL; /* the compile state itself is kept (it is small) */
	ce->cx = NULL;
	ce->code = NULL;
	ce->call = fast ? tramps[n] : NULL;
	ce->state = 0;
	ce->count = 0;
	ce->nevict++;
	sum.evictions++;
	if (rt_logunits && logline)
		fprintf(stderr, "ts: evict %s: %zu bytes in use\n", ce->p->name, x86_codeused());
}

/* Entries an evicted key waits, past the threshold, before it compiles
 * again: 4^n after n evictions (capped), so keys that keep evicting each
 * other under a budget too small for them settle in the interpreter
 * instead of recompiling on every entry. */
static long backoff(const PEnt *ce)
{
	return ce->nevict ? 1L << (2 * (ce->nevict < 15 ? ce->nevict : 15)) : 0;
}

/* Past TS_MAXCODE bytes of code: evict compiled keys with no run in
 * progress, least recently used first, until under the bound. */
static void evictcheck(void)
{
	int i, best;
	size_t used = x86_codeused();

	if (used > sum.peak)
		sum.peak = used;
	if (used <= maxcode)
		return;
	flushlog();
	clk++;
	for (i = 0; i < nents; i++) /* recency of keys entered by direct calls */
		if ((uint32_t)(ents[i]->use >> 32) != ents[i]->seen) {
			ents[i]->seen = (uint32_t)(ents[i]->use >> 32);
			ents[i]->stamp = clk;
		}
	while (x86_codeused() > maxcode) {
		for (best = -1, i = 0; i < nents; i++)
			if (ents[i]->state == 1 && ents[i]->cx && (uint32_t)ents[i]->use == 0 &&
			    (best < 0 || ents[i]->stamp < ents[best]->stamp))
				best = i;
		if (best < 0)
			return; /* everything left is running */
		evict(ents[best]);
	}
}

/* --- direct guest calls ---------------------------------------------------- */

/* A key that is not compiled (counting, failed, evicted): run the JIT
 * entry with all the arguments. */
static int64_t trampoline(PEnt *ce, const int64_t *red)
{
	const TsPortal *p = ce->p;
	int64_t a[X86_MAXCALLARGS];
	int i, k = 0;

	for (i = 0; i < p->nparam; i++)
		a[i] = p->pgreen[i] ? ce->g[i] : x86_norm(p->ptype[i], red[k++]);
	return x86_ccall((void *)p->entry, p->ret, p->nparam, p->ptype, a);
}

static int64_t tramp0(PEnt *ce)
{
	return trampoline(ce, NULL);
}

static int64_t tramp1(int64_t a0, PEnt *ce)
{
	int64_t r[] = {a0};
	return trampoline(ce, r);
}

static int64_t tramp2(int64_t a0, int64_t a1, PEnt *ce)
{
	int64_t r[] = {a0, a1};
	return trampoline(ce, r);
}

static int64_t tramp3(int64_t a0, int64_t a1, int64_t a2, PEnt *ce)
{
	int64_t r[] = {a0, a1, a2};
	return trampoline(ce, r);
}

static int64_t tramp4(int64_t a0, int64_t a1, int64_t a2, int64_t a3, PEnt *ce)
{
	int64_t r[] = {a0, a1, a2, a3};
	return trampoline(ce, r);
}

static int64_t tramp5(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, PEnt *ce)
{
	int64_t r[] = {a0, a1, a2, a3, a4};
	return trampoline(ce, r);
}

/* The trampoline per red argument count (the entry comes after the reds). */
static void *const tramps[RT_MAXDIRECT + 1] = {
	(void *)tramp0, (void *)tramp1, (void *)tramp2, (void *)tramp3, (void *)tramp4, (void *)tramp5,
};

/* After a direct call whose callee left early: resume its leave record in
 * the interpreter; with no record (a bridge failed twice) run the call
 * again through the entry. */
static int64_t directleft(X86Exit *site, PEnt *ce, int64_t a0, int64_t a1, int64_t a2,
                          int64_t a3, int64_t a4)
{
	TsLeave *lv = rt_leaving;
	int64_t r[] = {a0, a1, a2, a3, a4};

	(void)site;
	rt_leaving = NULL;
	if (lv && ce->p->resume)
		return ce->p->resume(lv);
	return trampoline(ce, r);
}

/* use += k, in residual code (base: the entry's address). */
static void emituse(X86Unit *u, int b, X86Ref base, int64_t k)
{
	int32_t off = (int32_t)offsetof(PEnt, use);
	X86Ref w = x86_load(u, b, X86_I64, base, X86_NONE, 1, off);

	x86_store(u, b, x86_op2(u, b, XR_ADD, w, x86_con(u, X86_I64, k)), base, X86_NONE, 1, off);
}

/* A residual call of a portal (a guest call that re-enters the
 * interpreter): 1 and its result in *res when it was emitted as a direct
 * call of the callee key's code (see the top), 0 to emit the call as any
 * other (the JIT entry runs it). */
int rt_portalcall(TsState *st, int ret, TsBox fn, int n, const TsBox *args, TsBox *res)
{
	const TsPortal *p = st->cx->p;
	X86Unit *u = st->u;
	int64_t g[X86_MAXCALLARGS];
	X86Ref a[RT_MAXDIRECT + 1], d[RT_MAXDIRECT + 2], r, r2, left, f;
	uint8_t rt = (uint8_t)ret;
	PEnt *ce;
	int i, k, fast, chk, slow, cont, join, b;

	if (!p->entry || fn.kind != TB_CONST || fn.val != (int64_t)(intptr_t)p->entry ||
	    n != p->nparam || ret != p->ret)
		return 0;
	portalreds(p, &fast);
	if (!fast)
		return 0;
	for (i = 0; i < n; i++) {
		if (p->pgreen[i] && args[i].kind != TB_CONST)
			return 0;
		g[i] = p->pgreen[i] ? args[i].val : 0;
	}
	portalenv();
	evictcheck();
	if (nodirect || !(ce = lookup(p, g)))
		return 0;
	for (i = k = 0; i < n; i++)
		if (!p->pgreen[i])
			a[k++] = rt_cref(st, rt_force(st, args[i]));
	b = st->blk;
	/* the entry's address as a value: one register for its fields */
	a[k++] = x86_op1(u, b, XR_BITCAST, X86_PTR, x86_con(u, X86_I64, (int64_t)(intptr_t)ce));
	if (ce->cx != st->cx) /* a call of its own key needs no count: the caller runs */
		emituse(u, b, a[k - 1], 1);
	f = x86_load(u, b, X86_PTR, a[k - 1], X86_NONE, 1, (int32_t)offsetof(PEnt, call));
	r = x86_call(u, b, ret, f, k, a);
	if (ce->cx != st->cx)
		emituse(u, b, a[k - 1], ((int64_t)1 << 32) - 1);
	chk = rt_newblock(st, 0, NULL);
	slow = rt_newblock(st, 0, NULL);
	cont = rt_newblock(st, 0, NULL);
	join = rt_newblock(st, ret != X86_VOID, &rt);
	if (chk < 0 || slow < 0 || cont < 0 || join < 0)
		return ts_fail(st, "block bound"), *res = ts_const(X86_I64, 0), 1;
	/* a callee that left early returned 0: only then ask the emitter */
	if (ret == X86_VOID)
		x86_jump(u, b, chk, 0, NULL);
	else
		x86_branch(u, b, x86_op2(u, b, XR_EQ, r, x86_con(u, ret, 0)), chk, cont);
	left = x86_call(u, chk, X86_PTR, x86_con(u, X86_PTR, (int64_t)(intptr_t)x86_leftearly), 0, NULL);
	x86_branch(u, chk, left, slow, cont);
	d[0] = left; /* directleft(left, ent, reds...) */
	d[1] = a[k - 1];
	memcpy(d + 2, a, (k - 1) * sizeof *a);
	r2 = x86_call(u, slow, ret, x86_con(u, X86_PTR, (int64_t)(intptr_t)directleft), k + 1, d);
	x86_jump(u, slow, join, ret != X86_VOID, &r2);
	x86_jump(u, cont, join, ret != X86_VOID, &r);
	st->blk = join;
	st->mvalid = 0; /* the call clobbered memory */
	sum.direct++;
	*res = ret == X86_VOID ? ts_const(X86_I64, 0) : rt_var(ret, x86_arg(u, join, 0));
	return 1;
}

/* --- TS_LOG ---------------------------------------------------------------- */

static X86Unit *pendu;  /* a bridge whose line waits for its code size */
static char pendbuf[1400]; /* its line without the size */

/* Print the pending bridge line, now that the emitter compiled it. */
static void flushlog(void)
{
	uint32_t bytes;

	if (!pendu)
		return;
	bytes = x86_codesize(pendu);
	sum.bytes += bytes;
	if (logline)
		fprintf(stderr, "%s, %u bytes\n", pendbuf, bytes);
	pendu = NULL;
}

/* Global merge keys of ce's tree and the passes through them so far. */
static void treepasses(const PEnt *ce, int *keys, long *passes)
{
	int i;

	*keys = 0;
	*passes = 0;
	for (i = 0; ce && ce->cx && i < ce->cx->ne; i++)
		if (ce->cx->e[i].key.mp->global) {
			++*keys;
			*passes += ce->cx->e[i].visits;
		}
}

/* TS_LOG=units: one line for unit u (root or bridge): residual ops by
 * kind, compile time, guards (exit stubs and flexswitches), machine code
 * bytes, the guest bytecodes compiled in it (passes of the global merge
 * point, and how many of them were keys new to the tree), and ops and
 * guards per bytecode.  A bridge is compiled after this call, so its line
 * waits (flushlog) for its size. */
void rt_logops(const char *what, const char *name, X86Unit *u, clock_t t0)
{
	int op, n, total = 0, nflex, nstub, keys, newkeys;
	long passes, dp;
	char buf[1024];
	size_t len = 0;
	double ms = 1000.0 * (clock() - t0) / CLOCKS_PER_SEC;
	PEnt *ce = rootget(x86_root(u));
	int root = x86_root(u) == u;

	portalenv();
	flushlog();
	buf[0] = 0;
	for (op = 0; op < XR_NOP; op++)
		if ((n = x86_countops(u, op)) > 0) {
			total += n;
			len += snprintf(buf + len, len < sizeof buf ? sizeof buf - len : 0, "%s%s=%d",
			                len ? " " : "", x86_opinfo[op].name, n);
		}
	nstub = x86_countexits(u, &nflex);
	treepasses(ce, &keys, &passes);
	dp = ce ? passes - ce->passes : 0;
	newkeys = ce ? keys - ce->keys : 0;
	if (ce) {
		sum.keys += newkeys;
		ce->keys = keys;
		ce->passes = passes;
	}
	*(root ? &sum.roots : &sum.bridges) += 1;
	sum.ops += total;
	sum.guards += nstub + nflex;
	sum.passes += dp;
	sum.ms += ms;
	snprintf(pendbuf, sizeof pendbuf,
	         "ts: %s %s: %d ops (%s), %.3f ms, %d guards (%d stubs, %d flexswitches), "
	         "%ld bytecodes (%d new), %.1f ops/bytecode, %.2f guards/bytecode",
	         what, name, total, buf, ms, nstub + nflex, nstub, nflex, dp, newkeys,
	         dp ? (double)total / dp : 0.0, dp ? (double)(nstub + nflex) / dp : 0.0);
	pendu = u;
}

/* TS_LOG=summary: one line at exit. */
static void logsummary(void)
{
	flushlog();
	if (x86_codeused() > sum.peak)
		sum.peak = x86_codeused();
	fprintf(stderr, "ts: summary: %ld units (%ld roots, %ld bridges, %ld failed), %zu bytes, "
	        "%.3f ms, %ld ops, %ld guards, %ld bytecodes (%ld keys), %.1f ops/bytecode, "
	        "%.2f guards/bytecode, %ld direct calls, %ld evictions, %zu bytes peak\n",
	        sum.roots + sum.bridges, sum.roots, sum.bridges, sum.fails, sum.bytes, sum.ms,
	        sum.ops, sum.guards, sum.passes, sum.keys,
	        sum.passes ? (double)sum.ops / sum.passes : 0.0,
	        sum.passes ? (double)sum.guards / sum.passes : 0.0, sum.direct, sum.evictions,
	        sum.peak);
}

/* --- the portal: compile, run ---------------------------------------------- */

/* Compile the root unit for the green arguments of args. */
static int compile(PEnt *ce, const int64_t *args)
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
	rootput(cx->root, ce);
	if (rt_runall(cx, st) < 0 || x86_verify(cx->root) != X86_OK) {
		if (rt_logunits)
			fprintf(stderr, "ts: %s: compile failed: %s\n", p->name,
			        cx->why ? cx->why : x86_errstr(x86_error(cx->root)));
		return -1;
	}
	if (rt_logunits)
		rt_logops("unit", p->name, cx->root, t0);
	if (rt_logir)
		x86_print(stderr, cx->root);
	if (!rt_interp && !(ce->code = x86_compile(cx->root))) {
		pendu = NULL;
		if (rt_logunits)
			fprintf(stderr, "ts: %s: x86_compile failed: %s\n", p->name,
			        x86_errstr(x86_error(cx->root)));
		return -1;
	}
	flushlog();
	return 0;
}

/* Compile ce (its first entries past the threshold); 0 when compiled. */
static int compileent(PEnt *ce, const int64_t *args)
{
	const TsPortal *p = ce->p;
	int i, n = 0, fast;

	ce->state = compile(ce, args) == 0 ? 1 : 2;
	if (ce->state == 2) {
		sum.fails++;
		return -1;
	}
	ce->direct = p->ret != X86_F64 && p->ret != X86_VOID;
	for (i = 0; i < p->nparam; i++)
		if (!p->pgreen[i] && (p->ptype[i] == X86_F64 || ++n > 6))
			ce->direct = 0;
	portalreds(p, &fast);
	if (fast && ce->code)
		ce->call = ce->code;
	return 0;
}

int ts_enter(const TsPortal *p, const int64_t *args, int64_t *res)
{
	PEnt *ce;
	int64_t red[X86_MAXCALLARGS];
	uint8_t types[X86_MAXCALLARGS];
	int i, n = 0, bad = 0;
	X86Exit *left;

	rt_readenv();
	if (rt_jitoff || p->nparam > X86_MAXCALLARGS)
		return -1;
	if (logsum < 0) {
		portalenv();
		if (logsum)
			atexit(logsummary);
	}
	ce = lasthit;
	if (!ce || !samegreens(ce, p, args))
		ce = lookup(p, args);
	if (!ce)
		return -1;
	lasthit = ce;
	flushlog();
	if (ce->state == 0) {
		if (ce->count++ < rt_threshold + backoff(ce))
			return -1;
		evictcheck();
		ce->use++; /* not evictable while compiling */
		i = compileent(ce, args);
		ce->use--;
		if (i < 0)
			return -1;
		evictcheck();
	}
	if (ce->state != 1)
		return -1;
	ce->stamp = ++clk;
	for (i = 0; i < p->nparam; i++)
		if (!p->pgreen[i]) {
			types[n] = p->ptype[i];
			red[n++] = args[i];
		}
	for (i = n; i < 6; i++)
		red[i] = 0;
	rt_leaving = NULL;
	ce->use++;
	if (rt_interp) {
		int rc = x86_interp(ce->cx->root, red, res, 0);
		bad = rc > 0; /* cannot happen after a verified compile */
	} else if (ce->direct) { /* integer arguments in registers, integer result */
		*res = x86_norm(p->ret, ((int64_t (*)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t))
		                         ce->code)(red[0], red[1], red[2], red[3], red[4], red[5]));
	} else {
		*res = x86_ccall(ce->code, p->ret, n, types, red);
	}
	ce->use += ((uint64_t)1 << 32) - 1;
	if (bad)
		return -1;
	left = x86_leftearly();
	flushlog();
	if (left) {
		TsLeave *lv = rt_leaving;
		if (!lv) /* a bridge failed twice: nothing to resume */
			return -1;
		rt_leaving = NULL;
		*res = p->resume(lv);
	}
	return 0;
}
