/* rt.c: the runtime of generating extensions (docs/timeshift.md §2-§5).
 *
 * A state is the frame stack plus the virtual objects plus the position in
 * the residual code (unit, block).  Generated specialisation functions run
 * over the top frame and call the ts_* operations below, which fold
 * (constant boxes) or emit residual IR.  Copying a state gives a
 * continuation: the pending side of a red split (attached to an exit stub,
 * compiled in a bridge when it first runs; or queued, under TS_EAGER=1),
 * the pending values of a promotion (a flexswitch), or a leave record.
 *
 * Merge points.  At a merge point the live red boxes and the virtual
 * objects they reach are flattened into items (walk): box kinds, constants,
 * object shapes.  The state is looked up by (merge point, live greens).
 * A stored version whose items match (its variables accept anything, its
 * constants need the same constant, its objects the same shape) gets a
 * jump and the path ends.  Otherwise, the first time a path meets the key
 * it simply goes on (the first iteration of a loop is peeled and keeps its
 * constants); the second time it opens a reentry block whose arguments are
 * the variables of the generalisation of the two visits (constants that
 * differ become variables) and records it as a new version.  Past
 * TS_MAXVERSIONS versions every constant becomes a variable.
 *
 * Nothing here aborts: failures end the path with TS_FAIL.  A failed
 * root compile makes the portal run the plain interpreter for that key; a
 * failed bridge is compiled again in leave mode, which stops at the next
 * global merge point and leaves to ts_resume_NAME with the live values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tsrt.h"

enum {
	TS_MAXVERSIONS = 4,  /* versions of one merge key before full generality */
	TS_MAXWORK = 200000, /* ticks (blocks run) per compile */
	TS_MAXBLOCKS = 100000, /* residual blocks per unit */
	TS_MAXFRAMES = 16,   /* inline depth */
};

/* A field of a virtual object. */
typedef struct {
	int32_t off; /* byte offset */
	TsBox b;     /* its value (b.type gives the width) */
} Field;

/* A virtual object: an alloca whose pointer never escaped yet. */
typedef struct {
	int origin;  /* alloca op number in its function, -1 if none */
	int size;    /* bytes */
	int align;   /* bytes */
	int forced;  /* materialised: base is its address */
	TsBox base;  /* address after forcing */
	Field *f;    /* fields, unsorted */
	int nf;      /* count */
	int cap;     /* capacity */
} Virt;

/* One item of a flattened state (walk). */
typedef struct {
	TsBox b;    /* the box (TB_VIRT: ref is the object's canonical number) */
	int32_t k;  /* IT_* */
	int32_t x;  /* IT_OBJ: size; IT_FIELD: offset */
	int32_t y;  /* IT_OBJ: origin; */
	int32_t z;  /* IT_OBJ: field count | forced << 30 */
	TsBox *at;  /* where the box lives in the state */
} Item;

enum { IT_BOX, IT_OBJ, IT_FIELD, IT_BASE };

typedef struct {
	Item *it; /* items */
	int n;    /* count */
	int cap;  /* capacity */
} Items;

/* A key of the merge cache: a merge point and its live greens. */
typedef struct {
	const TsMerge *mp; /* the merge point */
	int64_t *g;        /* its live greens */
} Key;

/* A first visit of a key on this path. */
typedef struct {
	Key key;   /* the key */
	Items sh;  /* the state's items then (at pointers unused) */
} Seen;

/* A compiled version of a merge key. */
typedef struct {
	X86Unit *u; /* unit holding the block */
	int blk;    /* the reentry block */
	Items sh;   /* its items (generalised) */
} Version;

typedef struct {
	Key key;      /* the key */
	Version *v;   /* versions */
	int nv;       /* count */
	int visits;   /* paths that met it */
	int path;     /* the first of them */
} Entry;

typedef struct Ctx Ctx;

struct TsState {
	Ctx *cx;          /* the compile (shared, not copied) */
	X86Unit *u;       /* unit being built */
	int blk;          /* current block */
	TsFrame **fr;     /* frame stack */
	int nfr;          /* depth */
	Virt *vo;         /* virtual objects */
	int nvo;          /* count */
	int decided;      /* a resumed split or promotion: its value is known */
	int64_t dval;     /* that value */
	Seen *seen;       /* keys first visited since the last opened block */
	int nseen;        /* count */
	TsBox ret;        /* result of a returned inlined callee */
	int leave;        /* leave mode: leave at the next global merge point */
	int path;         /* this path's number (continuations get new ones) */
	X86Unit *cu;      /* peephole cache: valid in this unit and block */
	int cblk;         /* its block */
	int ncse;         /* pure operations remembered */
	struct {
		int op;       /* XR_* */
		X86Ref a, b;  /* operands */
		X86Ref r;     /* result */
	} cse[16];        /* ring of pure operations of the block */
	int mvalid;       /* the last memory access is remembered */
	X86Ref mbase;     /* its base */
	int32_t moff;     /* its offset */
	TsBox mval;       /* the value there */
};

static int npaths; /* paths numbered so far */

/* A unit and its parent (for x86_jumpunit reachability). */
typedef struct {
	X86Unit *u;      /* a unit of this tree */
	X86Unit *parent; /* its parent, NULL for the root */
} Tree;

/* One compile tree: the root unit of a portal key and its bridges. */
struct Ctx {
	const TsPortal *p; /* the portal */
	X86Unit *root;     /* the root unit */
	Entry *e;          /* merge cache */
	int ne;            /* count */
	Tree *t;           /* units of the tree */
	int nt;            /* count */
	int *th;           /* hash of units -> index in t (open addressing) */
	int thcap;         /* its capacity (power of 2) */
	int *eh;           /* hash of keys -> index in e */
	int ehcap;         /* its capacity (power of 2) */
	X86Unit *ancof;    /* the unit whose ancestors are in anc */
	int *anc;          /* per t index: 1 if an ancestor of ancof */
	TsState **work;    /* pending continuations (eager policy) */
	int nwork;         /* count */
	long ticks;        /* compile work of the current compile */
	int failed;        /* a path failed */
	const char *why;   /* why */
};

/* The portal's code cache. */
typedef struct {
	const TsPortal *p; /* portal */
	int64_t *g;        /* green arguments */
	void *code;        /* entry, NULL while not compiled */
	Ctx *cx;           /* its compile tree */
	int state;         /* 0 counting, 1 compiled, 2 failed */
	int direct;        /* callable as a C function of int64 arguments */
	long count;        /* entries before compiling */
} CacheEnt;

static CacheEnt *cache;
static int ncache, capcache;
static int logunits = -1, logir, eager, interp, jitoff, threshold, forceleave;
static long maxwork = TS_MAXWORK;

/* --- small helpers ------------------------------------------------------ */

static void *xalloc(void *p, size_t n)
{
	return x86_alloc(p, n ? n : 1);
}

static TsBox mkbox(int kind, int type, uint32_t ref, int64_t val)
{
	TsBox b;

	b.kind = (uint8_t)kind;
	b.type = (uint8_t)type;
	b.pad = 0;
	b.ref = ref;
	b.val = val;
	return b;
}

TsBox ts_const(int type, int64_t v)
{
	return mkbox(TB_CONST, type, 0, type == X86_F64 ? v : x86_norm(type, v));
}

static TsBox var(int type, X86Ref r)
{
	return mkbox(TB_VAR, type, r, 0);
}

int ts_fail(TsState *st, const char *why)
{
	if (!st->cx->failed)
		st->cx->why = why;
	st->cx->failed = 1;
	return TS_FAIL;
}

int ts_tick(TsState *st)
{
	if (st->cx->failed)
		return 1;
	/* leave mode gets more room: failing there leaves no way back */
	if (++st->cx->ticks > (st->leave ? 10 * maxwork : maxwork)) {
		ts_fail(st, "compile work bound");
		return 1;
	}
	return 0;
}

static void readenv(void)
{
	const char *s;

	if (logunits >= 0)
		return;
	s = getenv("TS_LOG");
	logunits = s && (strstr(s, "units") || strstr(s, "all"));
	logir = s && (strstr(s, "ir") || strstr(s, "all"));
	eager = (s = getenv("TS_EAGER")) && atoi(s) > 0;
	interp = (s = getenv("TS_INTERP")) && atoi(s) > 0;
	forceleave = (s = getenv("TS_LEAVE")) && atoi(s) > 0; /* tests: bridges leave */
	jitoff = (s = getenv("TS_JIT")) && strcmp(s, "off") == 0;
	threshold = (s = getenv("TS_THRESHOLD")) ? atoi(s) : 0;
	if ((s = getenv("TS_MAXWORK")))
		maxwork = atol(s);
}

/* --- states: copy and free ---------------------------------------------- */

static void itemsfree(Items *s)
{
	x86_alloc(s->it, 0);
	s->it = NULL;
	s->n = s->cap = 0;
}

static Items itemsdup(const Items *s)
{
	Items d;

	d.n = d.cap = s->n;
	d.it = xalloc(NULL, s->n * sizeof *d.it);
	if (d.it)
		memcpy(d.it, s->it, s->n * sizeof *d.it);
	else
		d.n = d.cap = 0;
	return d;
}

static TsFrame *newframe(const TsSpec *sp)
{
	size_t n = sp->nslot ? sp->nslot : 1;
	TsFrame *f = xalloc(NULL, sizeof *f + n * (sizeof(int64_t) + sizeof(TsBox)));

	if (!f)
		return NULL;
	memset(f, 0, sizeof *f + n * (sizeof(int64_t) + sizeof(TsBox)));
	f->spec = sp;
	f->retslot = -1;
	f->r = (TsBox *)(f + 1);
	f->g = (int64_t *)(f->r + n);
	return f;
}

static TsFrame *dupframe(const TsFrame *s)
{
	TsFrame *f = newframe(s->spec);
	size_t n = s->spec->nslot;

	if (!f)
		return NULL;
	f->resume = s->resume;
	f->retslot = s->retslot;
	memcpy(f->r, s->r, n * sizeof(TsBox));
	memcpy(f->g, s->g, n * sizeof(int64_t));
	return f;
}

static void freestate(TsState *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < st->nfr; i++)
		x86_alloc(st->fr[i], 0);
	x86_alloc(st->fr, 0);
	for (i = 0; i < st->nvo; i++)
		x86_alloc(st->vo[i].f, 0);
	x86_alloc(st->vo, 0);
	for (i = 0; i < st->nseen; i++) {
		x86_alloc(st->seen[i].key.g, 0);
		itemsfree(&st->seen[i].sh);
	}
	x86_alloc(st->seen, 0);
	x86_alloc(st, 0);
}

/* A deep copy of st (a continuation); NULL when out of memory. */
static TsState *copystate(const TsState *s)
{
	TsState *d = xalloc(NULL, sizeof *d);
	int i, ng;

	if (!d)
		return NULL;
	*d = *s;
	d->fr = xalloc(NULL, (s->nfr + 1) * sizeof *d->fr);
	d->vo = xalloc(NULL, (s->nvo + 1) * sizeof *d->vo);
	d->seen = xalloc(NULL, (s->nseen + 1) * sizeof *d->seen);
	if (!d->fr || !d->vo || !d->seen) {
		d->nfr = d->nvo = d->nseen = 0;
		freestate(d);
		return NULL;
	}
	for (i = 0; i < s->nfr; i++)
		d->fr[i] = dupframe(s->fr[i]);
	for (i = 0; i < s->nvo; i++) {
		d->vo[i] = s->vo[i];
		d->vo[i].f = xalloc(NULL, (s->vo[i].nf + 1) * sizeof(Field));
		d->vo[i].cap = s->vo[i].nf + 1;
		memcpy(d->vo[i].f, s->vo[i].f, s->vo[i].nf * sizeof(Field));
	}
	for (i = 0; i < s->nseen; i++) {
		ng = (int)s->seen[i].key.g[0];
		d->seen[i].key.mp = s->seen[i].key.mp;
		d->seen[i].key.g = xalloc(NULL, ng * sizeof(int64_t));
		memcpy(d->seen[i].key.g, s->seen[i].key.g, ng * sizeof(int64_t));
		d->seen[i].sh = itemsdup(&s->seen[i].sh);
	}
	return d;
}

static void clearseen(TsState *st)
{
	int i;

	for (i = 0; i < st->nseen; i++) {
		x86_alloc(st->seen[i].key.g, 0);
		itemsfree(&st->seen[i].sh);
	}
	st->nseen = 0;
}

/* --- residual IR helpers ------------------------------------------------- */

/* The peephole cache holds for the current block only. */
static void cachecheck(TsState *st)
{
	if (st->cu != st->u || st->cblk != st->blk) {
		st->cu = st->u;
		st->cblk = st->blk;
		st->ncse = 0;
		st->mvalid = 0;
	}
}

/* x86_op2 with common subexpressions of the block reused. */
static X86Ref emit2(TsState *st, int op, X86Ref a, X86Ref b)
{
	int i, n, pure = (x86_opinfo[op].props & XP_PURE) != 0;
	X86Ref r;

	cachecheck(st);
	n = st->ncse < 16 ? st->ncse : 16;
	for (i = 0; pure && i < n; i++)
		if (st->cse[i].op == op && st->cse[i].a == a && st->cse[i].b == b)
			return st->cse[i].r;
	r = x86_op2(st->u, st->blk, op, a, b);
	if (pure) {
		i = st->ncse++ % 16;
		st->cse[i].op = op;
		st->cse[i].a = a;
		st->cse[i].b = b;
		st->cse[i].r = r;
	}
	return r;
}

/* A load of type at [base + off]; the last store or load there in the
 * block gives its value without a load. */
static TsBox memload(TsState *st, int type, X86Ref base, int32_t off)
{
	TsBox v;

	cachecheck(st);
	if (st->mvalid && st->mbase == base && st->moff == off && st->mval.type == type)
		return st->mval;
	v.kind = TB_VAR;
	v.type = (uint8_t)type;
	v.pad = 0;
	v.ref = x86_load(st->u, st->blk, type, base, X86_NONE, 1, off);
	v.val = 0;
	st->mvalid = 1;
	st->mbase = base;
	st->moff = off;
	st->mval = v;
	return v;
}

/* A store of box v (not virtual) to [base + off]; it may alias anything. */
static void memstore(TsState *st, TsBox v, X86Ref vr, X86Ref base, int32_t off)
{
	cachecheck(st);
	x86_store(st->u, st->blk, vr, base, X86_NONE, 1, off);
	/* constants are not forwarded: they would specialise on data */
	st->mvalid = v.kind == TB_VAR;
	st->mbase = base;
	st->moff = off;
	st->mval = v;
}

/* Memory may have changed behind our back (a call). */
static void memclobber(TsState *st)
{
	st->mvalid = 0;
}

/* The operand for box b (a constant or a value); forces nothing. */
static X86Ref cref(TsState *st, TsBox b)
{
	if (b.kind == TB_VAR)
		return b.ref;
	if (b.type == X86_F64)
		return x86_conf(st->u, ts_r2f(b.val));
	return x86_con(st->u, b.type, b.val);
}

static int newblock(TsState *st, int n, const uint8_t *types)
{
	int b = x86_block(st->u, n, types);

	if (b >= TS_MAXBLOCKS)
		ts_fail(st, "block bound");
	return b;
}

static int addfield(Virt *o, int32_t off, TsBox b)
{
	if (o->nf == o->cap) {
		int cap = o->cap ? 2 * o->cap : 8;
		Field *f = xalloc(o->f, cap * sizeof *f);
		if (!f)
			return -1;
		o->f = f;
		o->cap = cap;
	}
	o->f[o->nf].off = off;
	o->f[o->nf].b = b;
	o->nf++;
	return 0;
}

static int typesize(int t)
{
	static const int sz[X86_NTYPE] = {0, 1, 2, 4, 8, 8, 8};
	return sz[t];
}

static TsBox force(TsState *st, TsBox p);

/* Materialise virtual object i: a stack slot filled with its fields. */
static void forceobj(TsState *st, int i)
{
	Virt *o = &st->vo[i];
	X86Ref base;
	int k;

	if (o->forced)
		return;
	base = x86_slot(st->u, st->blk, o->size, o->align > 16 ? 16 : o->align ? o->align : 8);
	o = &st->vo[i];
	o->forced = 1;
	o->base = var(X86_PTR, base);
	for (k = 0; k < st->vo[i].nf; k++) {
		TsBox v = force(st, st->vo[i].f[k].b);
		memstore(st, v, cref(st, v), base, st->vo[i].f[k].off);
	}
}

/* A box usable as a run-time value: virtual pointers are forced. */
static TsBox force(TsState *st, TsBox p)
{
	Virt *o;

	if (p.kind != TB_VIRT)
		return p;
	forceobj(st, p.ref);
	o = &st->vo[p.ref];
	if (p.val == 0)
		return o->base;
	return var(X86_PTR, emit2(st, XR_ADD, o->base.ref, x86_con(st->u, X86_I64, p.val)));
}

/* --- folding: the exact semantics of the residual operations ------------ */

static uint64_t umask(int type, int64_t v)
{
	int bits = 8 * typesize(type);
	return bits >= 64 ? (uint64_t)v : (uint64_t)v & ((1ull << bits) - 1);
}

/* Fold a binary op on constants; 0 when it cannot (traps). */
static int fold2(int op, int type, int64_t a, int64_t b, int64_t *out)
{
	uint64_t ua = umask(type, a), ub = umask(type, b);
	int bits = 8 * typesize(type);
	double fa = ts_r2f(a), fb = ts_r2f(b);
	int64_t r;

	switch (op) {
	case XR_ADD: r = (int64_t)((uint64_t)a + (uint64_t)b); break;
	case XR_SUB: r = (int64_t)((uint64_t)a - (uint64_t)b); break;
	case XR_MUL: r = (int64_t)((uint64_t)a * (uint64_t)b); break;
	case XR_SDIV:
	case XR_SREM:
		if (b == 0 || (b == -1 && a == x86_norm(type, (int64_t)1 << (bits - 1))))
			return 0;
		r = op == XR_SDIV ? a / b : a % b;
		break;
	case XR_UDIV:
	case XR_UREM:
		if (ub == 0)
			return 0;
		r = (int64_t)(op == XR_UDIV ? ua / ub : ua % ub);
		break;
	case XR_AND: r = a & b; break;
	case XR_OR: r = a | b; break;
	case XR_XOR: r = a ^ b; break;
	case XR_SHL: r = (int64_t)((uint64_t)a << (ub % bits)); break;
	case XR_LSHR: r = (int64_t)(ua >> (ub % bits)); break;
	case XR_ASHR: r = a >> (ub % bits); break;
	case XR_EQ: *out = a == b; return 1;
	case XR_NE: *out = a != b; return 1;
	case XR_SLT: *out = a < b; return 1;
	case XR_SLE: *out = a <= b; return 1;
	case XR_SGT: *out = a > b; return 1;
	case XR_SGE: *out = a >= b; return 1;
	case XR_ULT: *out = ua < ub; return 1;
	case XR_ULE: *out = ua <= ub; return 1;
	case XR_UGT: *out = ua > ub; return 1;
	case XR_UGE: *out = ua >= ub; return 1;
	case XR_FADD: *out = ts_f2r(fa + fb); return 1;
	case XR_FSUB: *out = ts_f2r(fa - fb); return 1;
	case XR_FMUL: *out = ts_f2r(fa * fb); return 1;
	case XR_FDIV: *out = ts_f2r(fa / fb); return 1;
	case XR_FEQ: *out = fa == fb; return 1;
	case XR_FNE: *out = fa != fb; return 1;
	case XR_FLT: *out = fa < fb; return 1;
	case XR_FLE: *out = fa <= fb; return 1;
	case XR_FGT: *out = fa > fb; return 1;
	case XR_FGE: *out = fa >= fb; return 1;
	default: return 0;
	}
	*out = x86_norm(type, r);
	return 1;
}

TsBox ts_op2(TsState *st, int op, TsBox a, TsBox b)
{
	int cmp = (x86_opinfo[op].props & XP_CMP) != 0;
	int rt = cmp ? X86_I8 : a.type;
	int64_t v;

	if (a.kind == TB_CONST && b.kind == TB_CONST && fold2(op, a.type, a.val, b.val, &v))
		return mkbox(TB_CONST, rt, 0, v);
	/* a virtual object's address is never null and differs from others */
	if ((op == XR_EQ || op == XR_NE) && a.kind == TB_VIRT && b.kind == TB_VIRT &&
	    a.ref == b.ref && !st->vo[a.ref].forced)
		return ts_const(X86_I8, (a.val == b.val) == (op == XR_EQ));
	if ((op == XR_EQ || op == XR_NE) && ((a.kind == TB_VIRT && b.kind == TB_CONST && b.val == 0) ||
	    (b.kind == TB_VIRT && a.kind == TB_CONST && a.val == 0)))
		return ts_const(X86_I8, op == XR_NE);
	a = force(st, a);
	b = force(st, b);
	if (a.kind == TB_CONST && b.kind == TB_CONST)
		return ts_fail(st, "division trap at compile time"), ts_const(rt, 0);
	if (!cmp && a.type == b.type && a.type != X86_F64) {
		/* identities: x+0, 0+x, x-0, x|0, x^0, x*1, 1*x, shifts by 0 */
		if (b.kind == TB_CONST && ((b.val == 0 && (op == XR_ADD || op == XR_SUB || op == XR_OR ||
		    op == XR_XOR || op == XR_SHL || op == XR_LSHR || op == XR_ASHR)) ||
		    (b.val == 1 && op == XR_MUL)))
			return a;
		if (a.kind == TB_CONST && ((a.val == 0 && (op == XR_ADD || op == XR_OR || op == XR_XOR)) ||
		    (a.val == 1 && op == XR_MUL)))
			return b;
	}
	return var(rt, emit2(st, op, cref(st, a), cref(st, b)));
}

TsBox ts_div(TsState *st, int op, TsBox a, TsBox b)
{
	/* a constant divisor other than 0 and -1 cannot trap */
	if (b.kind == TB_CONST && b.val != 0 && b.val != -1)
		return ts_op2(st, op, a, b);
	if (a.kind == TB_CONST && b.kind == TB_CONST) {
		int64_t v;
		if (fold2(op, a.type, a.val, b.val, &v))
			return mkbox(TB_CONST, a.type, 0, v);
	}
	/* a possible trap: the residual code has the same operation (x86
	 * traps like the C program would) */
	return ts_op2(st, op, a, b);
}

TsBox ts_op1(TsState *st, int op, int type, TsBox a)
{
	int64_t v = a.val;
	double d;

	if (a.kind == TB_CONST) {
		switch (op) {
		case XR_FNEG: return mkbox(TB_CONST, type, 0, ts_f2r(-ts_r2f(v)));
		case XR_SEXT:
		case XR_TRUNC: return ts_const(type, v);
		case XR_ZEXT: return ts_const(type, (int64_t)umask(a.type, v));
		case XR_SITOF: return mkbox(TB_CONST, X86_F64, 0, ts_f2r((double)v));
		case XR_BITCAST: return mkbox(TB_CONST, type, 0, v);
		case XR_FTOSI:
			d = ts_r2f(v);
			if (type == X86_I64)
				return ts_const(type, d >= -9223372036854775808.0 && d < 9223372036854775808.0
				                ? (int64_t)d : INT64_MIN);
			return ts_const(type, d > -2147483649.0 && d < 2147483648.0 ? (int64_t)(int32_t)d : INT32_MIN);
		}
	}
	if (op == XR_BITCAST && a.kind == TB_VIRT)
		return a;
	a = force(st, a);
	return var(type, x86_op1(st->u, st->blk, op, type, cref(st, a)));
}

TsBox ts_select(TsState *st, TsBox c, TsBox a, TsBox b)
{
	if (c.kind == TB_CONST)
		return c.val ? a : b;
	a = force(st, a);
	b = force(st, b);
	return var(a.type, x86_select(st->u, st->blk, c.ref, cref(st, a), cref(st, b)));
}

/* --- memory: virtual objects and residual loads/stores ------------------ */

TsBox ts_alloca(TsState *st, int origin, int size, int align, int virt)
{
	Virt *vo, *o;

	vo = xalloc(st->vo, (st->nvo + 1) * sizeof *vo);
	if (!vo)
		return ts_fail(st, "out of memory"), ts_const(X86_PTR, 0);
	st->vo = vo;
	o = &vo[st->nvo];
	memset(o, 0, sizeof *o);
	o->origin = origin;
	o->size = size;
	o->align = align;
	if (!virt) /* a real stack slot from the start (its address escapes) */
		forceobj(st, st->nvo);
	return mkbox(TB_VIRT, X86_PTR, st->nvo++, 0);
}

TsBox ts_ptradd(TsState *st, TsBox p, TsBox n)
{
	if (p.kind == TB_VIRT && n.kind == TB_CONST)
		return mkbox(TB_VIRT, X86_PTR, p.ref, p.val + n.val);
	if (p.kind == TB_CONST && n.kind == TB_CONST)
		return ts_const(X86_PTR, p.val + n.val);
	p = force(st, p);
	n = force(st, n);
	return var(X86_PTR, emit2(st, XR_ADD, cref(st, p), cref(st, n)));
}

/* The field of o at off, or -1; overlapping fields are dropped when the
 * type differs (*clash set). */
static int findfield(Virt *o, int32_t off, int type, int *clash)
{
	int i, sz = typesize(type);

	*clash = 0;
	for (i = 0; i < o->nf; i++) {
		Field *f = &o->f[i];
		int fsz = typesize(f->b.type);
		if (f->off == off && fsz == sz)
			return i;
		if (f->off < off + sz && off < f->off + fsz)
			*clash = 1;
	}
	return -1;
}

/* Whether a virtual access at p of type stays virtual. */
static int virtual(TsState *st, TsBox p, int type)
{
	Virt *o;

	if (p.kind != TB_VIRT || st->vo[p.ref].forced)
		return 0;
	o = &st->vo[p.ref];
	return p.val >= 0 && p.val + typesize(type) <= o->size;
}

TsBox ts_load(TsState *st, int type, TsBox p)
{
	int i, clash;

	if (virtual(st, p, type)) {
		Virt *o = &st->vo[p.ref];
		i = findfield(o, (int32_t)p.val, type, &clash);
		if (i >= 0 && !clash) {
			TsBox b = o->f[i].b;
			if (b.type == type || b.kind != TB_CONST)
				return b;
			return ts_const(type, b.val);
		}
		if (!clash) /* never written: an alloca's contents are undefined */
			return ts_const(type, 0);
	}
	if (p.kind == TB_VIRT && p.val == (int32_t)p.val) /* forced: [base + off] */
		return forceobj(st, p.ref), memload(st, type, cref(st, st->vo[p.ref].base), (int32_t)p.val);
	p = force(st, p);
	return memload(st, type, cref(st, p), 0);
}

void ts_store(TsState *st, TsBox p, TsBox v)
{
	int i, clash;

	if (virtual(st, p, v.type)) {
		Virt *o = &st->vo[p.ref];
		i = findfield(o, (int32_t)p.val, v.type, &clash);
		if (!clash) {
			if (i >= 0)
				o->f[i].b = v;
			else if (addfield(o, (int32_t)p.val, v) < 0)
				ts_fail(st, "out of memory");
			return;
		}
	}
	v = force(st, v);
	if (p.kind == TB_VIRT && p.val == (int32_t)p.val) { /* forced: [base + off] */
		forceobj(st, p.ref);
		memstore(st, v, cref(st, v), cref(st, st->vo[p.ref].base), (int32_t)p.val);
		return;
	}
	p = force(st, p);
	memstore(st, v, cref(st, v), cref(st, p), 0);
}

TsBox ts_call(TsState *st, int ret, TsBox fn, int n, const TsBox *args)
{
	X86Ref a[X86_MAXCALLARGS];
	X86Ref r;
	int i;

	if (n > X86_MAXCALLARGS)
		return ts_fail(st, "too many call arguments"), ts_const(ret, 0);
	for (i = 0; i < n; i++)
		a[i] = cref(st, force(st, args[i]));
	fn = force(st, fn);
	r = x86_call(st->u, st->blk, ret, cref(st, fn), n, a);
	memclobber(st);
	return ret == X86_VOID ? ts_const(X86_I64, 0) : var(ret, r);
}

void ts_mem(TsState *st, int which, TsBox d, TsBox s, TsBox n)
{
	TsBox a[3];
	void *fn = which == 0 ? (void *)memset : which == 1 ? (void *)memcpy : (void *)memmove;

	a[0] = d;
	a[1] = which == 0 ? ts_op1(st, XR_ZEXT, X86_I32, s) : s;
	a[2] = n;
	ts_call(st, X86_PTR, ts_const(X86_PTR, (int64_t)(intptr_t)fn), 3, a);
}

/* --- walking a state: items, live values -------------------------------- */

static int push(Items *s, Item it)
{
	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 32;
		Item *p = xalloc(s->it, cap * sizeof *p);
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
static int walk(TsState *st, const TsLive *sel, Items *s)
{
	int *num = xalloc(NULL, (st->nvo + 1) * 2 * sizeof(int));
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

	*refs = xalloc(NULL, (s->n + 1) * sizeof **refs);
	*types = xalloc(NULL, s->n + 1);
	if (!*refs || !*types)
		return -1;
	for (i = 0; i < s->n; i++)
		if (s->it[i].k != IT_OBJ && s->it[i].b.kind == TB_VAR) {
			(*types)[n] = s->it[i].b.type;
			(*refs)[n++] = cref(st, c->it[i].b);
		}
	return n;
}

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

/* Run st, then every queued continuation (eager policy); frees them. */
static int runall(Ctx *cx, TsState *st)
{
	int rc = run(st);

	freestate(st);
	while (cx->nwork > 0) {
		TsState *w = cx->work[--cx->nwork];
		if (rc == 0)
			rc = run(w);
		freestate(w);
	}
	return rc;
}

TsFrame *ts_push(TsState *st, const TsSpec *sp, int retslot)
{
	TsFrame **fr = xalloc(st->fr, (st->nfr + 1) * sizeof *fr);
	TsFrame *f = newframe(sp);

	if (!fr || !f) {
		ts_fail(st, "out of memory");
		return NULL;
	}
	st->fr = fr;
	f->retslot = retslot;
	fr[st->nfr++] = f;
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
		v = force(st, v);
		if (v.kind == TB_CONST)
			v.type = (uint8_t)st->cx->p->ret;
		x86_ret(st->u, st->blk, cref(st, v));
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
} Cont;

static X86Unit *stubcb(void *opaque, X86Exit *site, int64_t value, const int64_t *live);
static X86Unit *leavecb(void *opaque, X86Exit *site, int64_t value, const int64_t *live);

/* Clear the top frame's red slots that are not in live. */
static void cleardead(TsState *st, const TsLive *live)
{
	TsFrame *fr = st->fr[st->nfr - 1];
	uint8_t *keep = xalloc(NULL, fr->spec->nslot + 1);
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

	if (walk(st, NULL, &s) < 0)
		return -1;
	*refs = xalloc(NULL, (s.n + 1) * sizeof **refs);
	if (!*refs)
		return itemsfree(&s), -1;
	for (i = 0; i < s.n; i++)
		if (s.it[i].k != IT_OBJ && s.it[i].b.kind == TB_VAR && refindex(*refs, n, s.it[i].b.ref) < 0)
			(*refs)[n++] = s.it[i].b.ref;
	itemsfree(&s);
	return n;
}

/* Make the state a continuation in block blk: queued (eager) or behind
 * an exit stub (lazy, flex = 0) or a flexswitch on v (flex = 1). */
static int pending(TsState *st, const TsLive *live, int blk, int side, int flex, TsBox v)
{
	TsState *c = copystate(st);
	Cont *k;
	X86Ref *refs = NULL;
	int n;

	if (!c)
		return ts_fail(st, "out of memory");
	/* the pending path starts its own history (copying it would make long
	 * straight paths quadratic) */
	clearseen(c);
	c->path = ++npaths;
	cleardead(c, live);
	c->blk = blk;
	c->decided = 1;
	c->dval = side;
	if (eager && !flex) {
		TsState **w = xalloc(st->cx->work, (st->cx->nwork + 1) * sizeof *w);
		if (!w)
			return freestate(c), ts_fail(st, "out of memory");
		st->cx->work = w;
		w[st->cx->nwork++] = c;
		return 0;
	}
	k = xalloc(NULL, sizeof *k);
	if (!k || (n = liverefs(c, &refs)) < 0)
		return freestate(c), x86_alloc(k, 0), ts_fail(st, "out of memory");
	k->st = c;
	k->side = flex ? -1 : side;
	k->leave = 0;
	k->mp = NULL;
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
	t = newblock(st, 0, NULL);
	f = newblock(st, 0, NULL);
	if (t < 0 || f < 0)
		return ts_fail(st, "no block"), 0;
	x86_branch(st->u, st->blk, c.ref, t, f);
	pending(st, live, hot ? f : t, !hot, 0, c);
	st->blk = hot ? t : f;
	return hot;
}

int ts_promote(TsState *st, TsFrame *fr, TsBox v, const TsLive *live, int64_t *out)
{
	if (st->decided) {
		st->decided = 0;
		*out = st->dval;
		return 0;
	}
	v = force(st, v);
	if (v.kind == TB_CONST) {
		*out = v.val;
		return 0;
	}
	pending(st, live, st->blk, 0, 1, v);
	return 1;
}

/* Hash of a pointer. */
static uint32_t phash(const void *p)
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
	for (h = phash(u) & (cx->thcap - 1); cx->th[h] >= 0; h = (h + 1) & (cx->thcap - 1))
		if (cx->t[cx->th[h]].u == u)
			return cx->th[h];
	return -1;
}

/* Rebuild the unit hash with capacity cap. */
static int rehashunits(Ctx *cx, int cap)
{
	int *th = xalloc(NULL, cap * sizeof *th), i;
	uint32_t h;

	if (!th)
		return -1;
	for (i = 0; i < cap; i++)
		th[i] = -1;
	for (i = 0; i < cx->nt; i++) {
		for (h = phash(cx->t[i].u) & (cap - 1); th[h] >= 0; h = (h + 1) & (cap - 1))
			;
		th[h] = i;
	}
	x86_alloc(cx->th, 0);
	cx->th = th;
	cx->thcap = cap;
	return 0;
}

/* Add unit u of the tree with its parent. */
static void addunit(Ctx *cx, X86Unit *u, X86Unit *parent)
{
	Tree *t = xalloc(cx->t, (cx->nt + 1) * sizeof *t);

	if (!t)
		return;
	cx->t = t;
	t[cx->nt].u = u;
	t[cx->nt++].parent = parent;
	if (2 * cx->nt >= cx->thcap) {
		rehashunits(cx, cx->thcap ? 2 * cx->thcap : 64);
	} else {
		uint32_t h;
		for (h = phash(u) & (cx->thcap - 1); cx->th[h] >= 0; h = (h + 1) & (cx->thcap - 1))
			;
		cx->th[h] = cx->nt - 1;
	}
	cx->ancof = NULL;
}

/* Whether a is u or an ancestor of u (the ancestors of the unit being
 * built are computed once). */
static int ancestor(Ctx *cx, X86Unit *a, X86Unit *u)
{
	int i, ia;

	if (a == u)
		return 1;
	if (cx->ancof != u) {
		int *anc = xalloc(cx->anc, (cx->nt + 1) * sizeof *anc);
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

static void logops(const char *what, const char *name, X86Unit *u, clock_t t0);

/* A bridge for a continuation: its variables become the bridge's entry
 * arguments, then it compiles on. */
static X86Unit *bridge(Cont *k, X86Exit *site, int64_t value, int leave)
{
	TsState *st = copystate(k->st);
	Ctx *cx = st ? st->cx : NULL;
	X86Unit *b = x86_bridge(site);
	Items s = {0};
	X86Ref *old;
	int i, n = 0;
	clock_t t0 = clock();

	if (!st || !b)
		return freestate(st), NULL;
	addunit(cx, b, x86_siteunit(site));
	st->u = b;
	st->blk = 0;
	st->leave = leave;
	if (k->side < 0)
		st->dval = value;
	if (walk(st, NULL, &s) < 0)
		return freestate(st), NULL;
	old = xalloc(NULL, (s.n + 1) * sizeof *old);
	if (!old)
		return itemsfree(&s), freestate(st), NULL;
	for (i = 0; i < s.n; i++)
		if (s.it[i].k != IT_OBJ && s.it[i].b.kind == TB_VAR) {
			int j = refindex(old, n, s.it[i].b.ref);
			if (j < 0)
				old[j = n++] = s.it[i].b.ref;
			*s.it[i].at = var(s.it[i].b.type, x86_arg(b, 0, j));
		}
	x86_alloc(old, 0);
	itemsfree(&s);
	clearseen(st);
	cx->failed = 0;
	cx->ticks = 0;
	if (runall(cx, st) < 0 || x86_verify(b) != X86_OK) {
		if (logunits)
			fprintf(stderr, "ts: bridge failed (%s)%s\n", cx->why ? cx->why : x86_errstr(x86_error(b)),
			        leave ? "" : ": leave mode");
		return NULL;
	}
	if (logunits)
		logops(leave ? "bridge (leave)" : "bridge", cx->p->name, b, t0);
	if (logir)
		x86_print(stderr, b);
	return b;
}

static X86Unit *stubcb(void *opaque, X86Exit *site, int64_t value, const int64_t *live)
{
	Cont *k = opaque;
	X86Unit *b = forceleave ? NULL : bridge(k, site, value, 0);

	if (!b)
		b = bridge(k, site, value, 1);
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

static __thread TsLeave *leaving;

/* Whether item i holds the first occurrence of its ref. */
static int firstref(const Items *s, int i)
{
	int j;

	for (j = 0; j < i; j++)
		if (s->it[j].k != IT_OBJ && s->it[j].b.kind == TB_VAR && s->it[j].b.ref == s->it[i].b.ref)
			return 0;
	return 1;
}

/* The value of box b of a leaving state (live[]: the stub's values). */
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
	return 0;
}

static X86Unit *leavecb(void *opaque, X86Exit *site, int64_t value, const int64_t *live)
{
	Cont *k = opaque;
	TsState *st = k->st;
	TsFrame *fr = st->fr[0];
	const TsMerge *mp = k->mp;
	TsLeave *lv = xalloc(NULL, sizeof *lv);
	Items s = {0};
	int i, j, o;

	if (!lv || walk(st, NULL, &s) < 0)
		return NULL;
	memset(lv, 0, sizeof *lv);
	lv->n = mp->ng + mp->red.n;
	lv->v = xalloc(NULL, (lv->n + 1) * sizeof *lv->v);
	lv->obj = xalloc(NULL, (lv->n + 1) * sizeof *lv->obj);
	lv->nobj = st->nvo;
	lv->origin = xalloc(NULL, (st->nvo + 1) * sizeof(int));
	lv->size = xalloc(NULL, (st->nvo + 1) * sizeof(int));
	lv->bytes = xalloc(NULL, (st->nvo + 1) * sizeof(uint8_t *));
	lv->placed = xalloc(NULL, (st->nvo + 1) * sizeof(uint8_t *));
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
		lv->bytes[o] = xalloc(NULL, vo->size + 16);
		memset(lv->bytes[o], 0, vo->size + 16);
		if (vo->forced) {
			int dummy;
			int64_t a = leaveval(st, vo->base, &s, live, &dummy);
			memcpy(lv->bytes[o], (void *)(intptr_t)a, vo->size);
			continue;
		}
		for (j = 0; j < vo->nf; j++) {
			int ob;
			int64_t v = leaveval(st, vo->f[j].b, &s, live, &ob);
			if (ob < 0)
				memcpy(lv->bytes[o] + vo->f[j].off, &v, typesize(vo->f[j].b.type));
		}
	}
	itemsfree(&s);
	leaving = lv;
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
static int leave(TsState *st, const TsMerge *mp)
{
	TsState *c = copystate(st);
	Cont *k = xalloc(NULL, sizeof *k);
	X86Ref *refs = NULL;
	int n;

	if (!c || !k || (n = liverefs(c, &refs)) < 0)
		return ts_fail(st, "out of memory");
	k->st = c;
	k->side = 0;
	k->leave = 1;
	k->mp = mp;
	x86_exitstub(st->u, st->blk, n, refs, leavecb, k);
	x86_alloc(refs, 0);
	return 1;
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
	uint32_t h = phash(mp);
	int i;

	for (i = 0; i < g[0]; i++)
		h = (h ^ phash((void *)(uintptr_t)g[i])) * 16777619u;
	return h;
}

/* Rebuild the key hash with capacity cap. */
static int rehashkeys(Ctx *cx, int cap)
{
	int *eh = xalloc(NULL, cap * sizeof *eh), i;
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
	e = xalloc(cx->e, (cx->ne + 1) * sizeof *e);
	if (!e)
		return NULL;
	cx->e = e;
	cx->eh[h] = cx->ne;
	e = &e[cx->ne++];
	memset(e, 0, sizeof *e);
	e->key.mp = mp;
	e->key.g = xalloc(NULL, g[0] * sizeof *g);
	memcpy(e->key.g, g, g[0] * sizeof *g);
	return e;
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

/* Open a reentry block for the generalisation g of the current items c. */
static int openblock(TsState *st, Entry *e, Items *g, const Items *c)
{
	X86Ref *refs;
	uint8_t *types;
	int n = jumpargs(st, g, c, &refs, &types), b, i, k = 0;
	Version *v;

	if (n < 0 || (b = newblock(st, n, types)) < 0)
		return ts_fail(st, "no block");
	x86_jump(st->u, st->blk, b, n, refs);
	x86_reentry(st->u, b);
	x86_alloc(refs, 0);
	x86_alloc(types, 0);
	for (i = 0; i < g->n; i++)
		if (g->it[i].k != IT_OBJ && g->it[i].b.kind == TB_VAR)
			*c->it[i].at = var(g->it[i].b.type, x86_arg(st->u, b, k++));
	st->blk = b;
	v = xalloc(e->v, (e->nv + 1) * sizeof *v);
	if (!v)
		return ts_fail(st, "out of memory");
	e->v = v;
	v[e->nv].u = st->u;
	v[e->nv].blk = b;
	v[e->nv].sh = *g;
	e->nv++;
	clearseen(st);
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
	if (!(g = xalloc(NULL, n * sizeof *g)))
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

int ts_merge(TsState *st, TsFrame *fr, const TsMerge *mp)
{
	int64_t *g;
	Items c = {0}, gen;
	Entry *e;
	Seen *sn = NULL;
	int i;

	if (st->leave && mp->global && st->nfr == 1)
		return leave(st, mp);
	cleardead(st, &mp->red);
	if (!(g = mergekey(st, mp)))
		return ts_fail(st, "out of memory"), 1;
	if (!(e = entry(st->cx, mp, g)) || walk(st, &mp->red, &c) < 0)
		return x86_alloc(g, 0), ts_fail(st, "out of memory"), 1;
	for (i = e->nv - 1; i >= 0; i--)
		if (ancestor(st->cx, e->v[i].u, st->u) && matches(&e->v[i].sh, &c)) {
			jumpto(st, &e->v[i], &c);
			x86_alloc(g, 0);
			itemsfree(&c);
			return 1;
		}
	for (i = 0; i < st->nseen; i++)
		if (samekey(&st->seen[i].key, mp, g))
			sn = &st->seen[i];
	if (!e->visits++)
		e->path = st->path;
	if (!sn && e->path != st->path && e->nv < TS_MAXVERSIONS) {
		/* code another path compiled inline: cut here, so that paths
		 * compiled later (bridges below this one) can jump here */
		gen = itemsdup(&c);
		x86_alloc(g, 0);
		i = openblock(st, e, &gen, &c);
		itemsfree(&c);
		return i == TS_FAIL;
	}
	if (!sn) {
		Seen *s = xalloc(st->seen, (st->nseen + 1) * sizeof *s);
		if (!s)
			return ts_fail(st, "out of memory"), 1;
		st->seen = s;
		s[st->nseen].key.mp = mp;
		s[st->nseen].key.g = g;
		s[st->nseen++].sh = c;
		return 0;
	}
	x86_alloc(g, 0);
	if (e->nv >= 2 * TS_MAXVERSIONS) {
		itemsfree(&c);
		return ts_fail(st, "version bound"), 1;
	}
	gen = itemsdup(&c);
	if (e->nv >= TS_MAXVERSIONS || !samestruct(&sn->sh, &c)) {
		if (e->nv >= TS_MAXVERSIONS)
			for (i = 0; i < gen.n; i++)
				if (gen.it[i].b.kind == TB_CONST && gen.it[i].k != IT_OBJ)
					gen.it[i].b.kind = TB_VAR;
	} else {
		for (i = 0; i < gen.n; i++)
			if (gen.it[i].k != IT_OBJ && gen.it[i].b.kind == TB_CONST &&
			    (sn->sh.it[i].b.kind != TB_CONST || sn->sh.it[i].b.val != gen.it[i].b.val))
				gen.it[i].b.kind = TB_VAR;
	}
	i = openblock(st, e, &gen, &c);
	itemsfree(&c);
	return i == TS_FAIL;
}

/* --- the portal: code cache, compile, run ---------------------------------- */

/* TS_LOG=units: the residual operations of unit u by kind. */
static void logops(const char *what, const char *name, X86Unit *u, clock_t t0)
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
		c = xalloc(cache, cap * sizeof *c);
		if (!c)
			return NULL;
		cache = c;
		lasthit = NULL; /* it pointed into the old array */
		capcache = cap;
	}
	c = &cache[ncache++];
	memset(c, 0, sizeof *c);
	c->p = p;
	c->g = xalloc(NULL, (p->nparam + 1) * sizeof *c->g);
	for (j = 0; j < p->nparam; j++)
		c->g[j] = p->pgreen[j] ? args[j] : 0;
	return c;
}

/* Compile the root unit for the green arguments of args. */
static int compile(CacheEnt *ce, const int64_t *args)
{
	const TsPortal *p = ce->p;
	uint8_t types[X86_MAXCALLARGS];
	Ctx *cx = xalloc(NULL, sizeof *cx);
	TsState *st = xalloc(NULL, sizeof *st);
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
	addunit(cx, cx->root, NULL);
	st->cx = cx;
	st->u = cx->root;
	st->blk = 0;
	st->path = ++npaths;
	if (!(fr = ts_push(st, p->spec, -1)))
		return -1;
	for (i = n = 0; i < p->nparam; i++) {
		if (p->pgreen[i])
			fr->g[p->pslot[i]] = args[i];
		else
			fr->r[p->pslot[i]] = var(p->ptype[i], x86_arg(cx->root, 0, n++));
	}
	ce->cx = cx;
	if (runall(cx, st) < 0 || x86_verify(cx->root) != X86_OK) {
		if (logunits)
			fprintf(stderr, "ts: %s: compile failed: %s\n", p->name,
			        cx->why ? cx->why : x86_errstr(x86_error(cx->root)));
		return -1;
	}
	if (logir)
		x86_print(stderr, cx->root);
	if (!interp && !(ce->code = x86_compile(cx->root))) {
		if (logunits)
			fprintf(stderr, "ts: %s: x86_compile failed: %s\n", p->name,
			        x86_errstr(x86_error(cx->root)));
		return -1;
	}
	if (logunits)
		logops("unit", p->name, cx->root, t0);
	return 0;
}

int ts_enter(const TsPortal *p, const int64_t *args, int64_t *res)
{
	CacheEnt *ce;
	int64_t red[X86_MAXCALLARGS];
	uint8_t types[X86_MAXCALLARGS];
	int i, n = 0;
	X86Exit *left;

	readenv();
	if (jitoff || p->nparam > X86_MAXCALLARGS)
		return -1;
	ce = lasthit;
	if (!ce || ce->p != p || !samegreens(ce, args))
		ce = lookup(p, args);
	if (!ce)
		return -1;
	lasthit = ce;
	if (ce->state == 0) {
		if (ce->count++ < threshold)
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
	leaving = NULL;
	if (interp) {
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
		TsLeave *lv = leaving;
		if (!lv) /* a bridge failed twice: nothing to resume */
			return -1;
		leaving = NULL;
		*res = p->resume(lv);
	}
	return 0;
}
