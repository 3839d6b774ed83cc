/* ops.c: red operations: residual IR helpers, online folding, virtual
 * objects (forcing), loads, stores and calls. */
#include "rt.h"

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
X86Ref rt_cref(TsState *st, TsBox b)
{
	if (b.kind == TB_VAR)
		return b.ref;
	if (b.type == X86_F64)
		return x86_conf(st->u, ts_r2f(b.val));
	return x86_con(st->u, b.type, b.val);
}

int rt_newblock(TsState *st, int n, const uint8_t *types)
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
		Field *f = rt_xalloc(o->f, cap * sizeof *f);
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

int rt_typesize(int t)
{
	static const int sz[X86_NTYPE] = {0, 1, 2, 4, 8, 8, 8};
	return sz[t];
}


/* Box b with pointers into object i (just forced) replaced by its base. */
static TsBox rebase(TsState *st, TsBox b, uint32_t i)
{
	if (b.kind != TB_VIRT || b.ref != i)
		return b;
	return rt_force(st, b);
}

/* A forced heap object is plain memory: every box of the state that
 * points into it becomes a run-time pointer, so that merges, stubs and
 * leaves see a value (the leave keeps its identity: no copy).  Its size
 * drops to 0: nothing refers to the object any more. */
static void unvirt(TsState *st, int i)
{
	int f, k, j;

	for (f = 0; f < st->nfr; f++)
		for (k = 0; k < st->fr[f]->spec->nslot; k++)
			st->fr[f]->r[k] = rebase(st, st->fr[f]->r[k], i);
	st->ret = rebase(st, st->ret, i);
	for (j = 0; j < st->nvo; j++)
		if (!st->vo[j].forced)
			for (k = 0; k < st->vo[j].nf; k++)
				st->vo[j].f[k].b = rebase(st, st->vo[j].f[k].b, i);
	st->vo[i].size = 0;
}

/* Out of memory in a forced heap object's allocation.  The program's own
 * test of malloc's result was folded when the object was virtual (a
 * virtual object is never NULL), so the program's error path cannot run
 * any more: say so and stop, rather than store through NULL. */
static void heapfail(size_t n)
{
	fprintf(stderr, "ts: error: out of memory (%zu bytes for an object the JIT "
	        "kept virtual)\n", n);
	exit(1);
}

/* What compiled code calls to materialise a heap object. */
static void *heapmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		heapfail(n);
	return p;
}

static void *heapcalloc(size_t k, size_t n)
{
	void *p = calloc(k, n);

	if (!p)
		heapfail(k * n);
	return p;
}

/* The real allocation of heap object o: malloc(size) or calloc(1, size),
 * through heapmalloc/heapcalloc. */
static X86Ref heapalloc(TsState *st, const Virt *o)
{
	X86Ref a[2];
	void *fn = o->zero ? (void *)heapcalloc : (void *)heapmalloc;
	X86Ref r;

	a[0] = x86_con(st->u, X86_I64, o->zero ? 1 : o->size);
	a[1] = x86_con(st->u, X86_I64, o->size);
	r = x86_call(st->u, st->blk, X86_PTR, x86_con(st->u, X86_PTR, (int64_t)(intptr_t)fn),
	             o->zero ? 2 : 1, a);
	memclobber(st);
	return r;
}

/* Materialise virtual object i: a stack slot (an alloca) or a malloc or
 * calloc call (a heap object) filled with its fields. */
static void forceobj(TsState *st, int i)
{
	Virt *o = &st->vo[i];
	X86Ref base;
	int k, heap = o->origin == RT_HEAP;

	if (o->forced)
		return;
	if (heap)
		base = heapalloc(st, o);
	else
		base = x86_slot(st->u, st->blk, o->size, o->align > 16 ? 16 : o->align ? o->align : 8);
	o = &st->vo[i];
	o->forced = 1;
	o->base = rt_var(X86_PTR, base);
	for (k = 0; k < st->vo[i].nf; k++) {
		TsBox v = rt_force(st, st->vo[i].f[k].b);
		if (heap && st->vo[i].zero && v.kind == TB_CONST && v.val == 0)
			continue; /* calloc zero-filled it */
		memstore(st, v, rt_cref(st, v), base, st->vo[i].f[k].off);
	}
	if (heap)
		unvirt(st, i);
}

/* A box usable as a run-time value: virtual pointers are forced. */
TsBox rt_force(TsState *st, TsBox p)
{
	Virt *o;

	if (p.kind != TB_VIRT)
		return p;
	forceobj(st, p.ref);
	o = &st->vo[p.ref];
	if (p.val == 0)
		return o->base;
	return rt_var(X86_PTR, emit2(st, XR_ADD, o->base.ref, x86_con(st->u, X86_I64, p.val)));
}

/* Heap depth of the objects reached from box b (the count of heap
 * objects on the shortest path): depth[] is 0 for unseen, else depth + 1. */
static void heapdepth(TsState *st, TsBox b, int d, int *depth)
{
	int k;

	if (b.kind != TB_VIRT || st->vo[b.ref].forced)
		return;
	d += st->vo[b.ref].origin == RT_HEAP;
	if (depth[b.ref] && depth[b.ref] <= d + 1)
		return;
	depth[b.ref] = d + 1;
	for (k = 0; k < st->vo[b.ref].nf; k++)
		heapdepth(st, st->vo[b.ref].f[k].b, d, depth);
}

/* The run-time values a state holds: variables in the frames and in the
 * fields of its virtual objects (a bound on what a merge's jump carries). */
static int varcount(TsState *st)
{
	int f, k, n = 0;

	for (f = 0; f < st->nfr; f++)
		for (k = 0; k < st->fr[f]->spec->nslot; k++)
			n += st->fr[f]->r[k].kind == TB_VAR;
	for (f = 0; f < st->nvo; f++)
		if (!st->vo[f].forced)
			for (k = 0; k < st->vo[f].nf; k++)
				n += st->vo[f].f[k].b.kind == TB_VAR;
	return n;
}

/* At a merge point: force the virtual heap objects reached only through
 * more than RT_MAXHEAPDEPTH heap objects.  A structure that grows with
 * every iteration (a list consed in a loop) then keeps one shape, which
 * the merge can match, instead of a new shape per iteration.  In an
 * inlined callee's loop, every object the callers reach is forced too:
 * their whole frames (dead slots included) are part of the merge's shape,
 * and the key of such a loop holds no greens of the callers.  A state
 * with more than RT_MAXMERGEVARS run-time values has all its objects
 * forced. */
void rt_forcedeep(TsState *st)
{
	int *depth = rt_xalloc(NULL, (st->nvo + 1) * sizeof *depth);
	int f, k, i;

	if (!depth) {
		ts_fail(st, "out of memory");
		return;
	}
	memset(depth, 0, (st->nvo + 1) * sizeof *depth);
	for (f = 0; f + 1 < st->nfr; f++)
		for (k = 0; k < st->fr[f]->spec->nslot; k++)
			heapdepth(st, st->fr[f]->r[k], 0, depth);
	for (i = 0; i < st->nvo; i++)
		if (depth[i])
			forceobj(st, i);
	memset(depth, 0, (st->nvo + 1) * sizeof *depth);
	for (k = 0; k < st->fr[st->nfr - 1]->spec->nslot; k++)
		heapdepth(st, st->fr[st->nfr - 1]->r[k], 0, depth);
	heapdepth(st, st->ret, 0, depth);
	for (i = 0; i < st->nvo; i++)
		if (depth[i] > RT_MAXHEAPDEPTH + 1 && st->vo[i].origin == RT_HEAP)
			forceobj(st, i);
	if (varcount(st) > RT_MAXMERGEVARS) {
		/* too many run-time values for a jump (the emitter takes 256
		 * arguments): every object goes to memory, one base each */
		memset(depth, 0, (st->nvo + 1) * sizeof *depth);
		for (f = 0; f < st->nfr; f++)
			for (k = 0; k < st->fr[f]->spec->nslot; k++)
				heapdepth(st, st->fr[f]->r[k], 0, depth);
		heapdepth(st, st->ret, 0, depth);
		for (i = 0; i < st->nvo; i++)
			if (depth[i])
				forceobj(st, i);
	}
	x86_alloc(depth, 0);
}

/* Mark the objects reachable from box b in seen[]. */
static void reach(TsState *st, TsBox b, uint8_t *seen)
{
	int k;

	if (b.kind != TB_VIRT || seen[b.ref])
		return;
	seen[b.ref] = 1;
	if (!st->vo[b.ref].forced)
		for (k = 0; k < st->vo[b.ref].nf; k++)
			reach(st, st->vo[b.ref].f[k].b, seen);
}

/* Force every virtual heap object that the state reaches (before leaving
 * to the interpreter, which needs real objects). */
void rt_forceheap(TsState *st)
{
	uint8_t *seen = rt_xalloc(NULL, st->nvo + 1);
	int f, k, i;

	if (!seen) {
		ts_fail(st, "out of memory");
		return;
	}
	memset(seen, 0, st->nvo + 1);
	for (f = 0; f < st->nfr; f++)
		for (k = 0; k < st->fr[f]->spec->nslot; k++)
			reach(st, st->fr[f]->r[k], seen);
	reach(st, st->ret, seen);
	for (i = 0; i < st->nvo; i++)
		if (seen[i] && st->vo[i].origin == RT_HEAP)
			forceobj(st, i);
	x86_alloc(seen, 0);
}

/* --- folding: the exact semantics of the residual operations ------------ */

static uint64_t umask(int type, int64_t v)
{
	int bits = 8 * rt_typesize(type);
	return bits >= 64 ? (uint64_t)v : (uint64_t)v & ((1ull << bits) - 1);
}

/* Fold a binary op on constants; 0 when it cannot (traps). */
static int fold2(int op, int type, int64_t a, int64_t b, int64_t *out)
{
	uint64_t ua = umask(type, a), ub = umask(type, b);
	int bits = 8 * rt_typesize(type);
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
		return rt_mkbox(TB_CONST, rt, 0, v);
	/* a virtual object's address is never null and differs from others */
	if ((op == XR_EQ || op == XR_NE) && a.kind == TB_VIRT && b.kind == TB_VIRT &&
	    a.ref == b.ref && !st->vo[a.ref].forced)
		return ts_const(X86_I8, (a.val == b.val) == (op == XR_EQ));
	if ((op == XR_EQ || op == XR_NE) && ((a.kind == TB_VIRT && b.kind == TB_CONST && b.val == 0) ||
	    (b.kind == TB_VIRT && a.kind == TB_CONST && a.val == 0)))
		return ts_const(X86_I8, op == XR_NE);
	/* ... and no run-time value can point into one that never escaped */
	if ((op == XR_EQ || op == XR_NE) && a.kind != b.kind &&
	    ((a.kind == TB_VIRT && !st->vo[a.ref].forced) || (b.kind == TB_VIRT && !st->vo[b.ref].forced)))
		return ts_const(X86_I8, op == XR_NE);
	if ((op == XR_EQ || op == XR_NE) && a.kind == TB_VIRT && b.kind == TB_VIRT && a.ref != b.ref &&
	    !st->vo[a.ref].forced && !st->vo[b.ref].forced)
		return ts_const(X86_I8, op == XR_NE);
	a = rt_force(st, a);
	b = rt_force(st, b);
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
	return rt_var(rt, emit2(st, op, rt_cref(st, a), rt_cref(st, b)));
}

TsBox ts_div(TsState *st, int op, TsBox a, TsBox b)
{
	/* a constant divisor other than 0 and -1 cannot trap */
	if (b.kind == TB_CONST && b.val != 0 && b.val != -1)
		return ts_op2(st, op, a, b);
	if (a.kind == TB_CONST && b.kind == TB_CONST) {
		int64_t v;
		if (fold2(op, a.type, a.val, b.val, &v))
			return rt_mkbox(TB_CONST, a.type, 0, v);
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
		case XR_FNEG: return rt_mkbox(TB_CONST, type, 0, ts_f2r(-ts_r2f(v)));
		case XR_SEXT:
		case XR_TRUNC: return ts_const(type, v);
		case XR_ZEXT: return ts_const(type, (int64_t)umask(a.type, v));
		case XR_SITOF: return rt_mkbox(TB_CONST, X86_F64, 0, ts_f2r((double)v));
		case XR_BITCAST: return rt_mkbox(TB_CONST, type, 0, v);
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
	a = rt_force(st, a);
	return rt_var(type, x86_op1(st->u, st->blk, op, type, rt_cref(st, a)));
}

TsBox ts_select(TsState *st, TsBox c, TsBox a, TsBox b)
{
	if (c.kind == TB_CONST)
		return c.val ? a : b;
	a = rt_force(st, a);
	b = rt_force(st, b);
	return rt_var(a.type, x86_select(st->u, st->blk, c.ref, rt_cref(st, a), rt_cref(st, b)));
}

/* --- memory: virtual objects and residual loads/stores ------------------ */

/* An alloca (origin: its op number) or a heap object (RT_HEAP).  Every
 * one starts virtual: escapes are found as they happen (forcing), so the
 * annotator's candidate flag virt is not needed. */
TsBox ts_alloca(TsState *st, int origin, int size, int align, int virt)
{
	Virt *vo, *o;

	vo = rt_xalloc(st->vo, (st->nvo + 1) * sizeof *vo);
	if (!vo)
		return ts_fail(st, "out of memory"), ts_const(X86_PTR, 0);
	st->vo = vo;
	o = &vo[st->nvo];
	memset(o, 0, sizeof *o);
	o->origin = origin;
	o->size = size;
	o->align = align;
	(void)virt;
	return rt_mkbox(TB_VIRT, X86_PTR, st->nvo++, 0);
}

TsBox ts_ptradd(TsState *st, TsBox p, TsBox n)
{
	if (p.kind == TB_VIRT && n.kind == TB_CONST)
		return rt_mkbox(TB_VIRT, X86_PTR, p.ref, p.val + n.val);
	if (p.kind == TB_CONST && n.kind == TB_CONST)
		return ts_const(X86_PTR, p.val + n.val);
	p = rt_force(st, p);
	n = rt_force(st, n);
	return rt_var(X86_PTR, emit2(st, XR_ADD, rt_cref(st, p), rt_cref(st, n)));
}

/* The field of o at off, or -1; overlapping fields are dropped when the
 * type differs (*clash set). */
static int findfield(Virt *o, int32_t off, int type, int *clash)
{
	int i, sz = rt_typesize(type);

	*clash = 0;
	for (i = 0; i < o->nf; i++) {
		Field *f = &o->f[i];
		int fsz = rt_typesize(f->b.type);
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
	return p.val >= 0 && p.val + rt_typesize(type) <= o->size;
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
		return forceobj(st, p.ref), memload(st, type, rt_cref(st, st->vo[p.ref].base), (int32_t)p.val);
	p = rt_force(st, p);
	return memload(st, type, rt_cref(st, p), 0);
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
	v = rt_force(st, v);
	if (p.kind == TB_VIRT && p.val == (int32_t)p.val) { /* forced: [base + off] */
		forceobj(st, p.ref);
		memstore(st, v, rt_cref(st, v), rt_cref(st, st->vo[p.ref].base), (int32_t)p.val);
		return;
	}
	p = rt_force(st, p);
	memstore(st, v, rt_cref(st, v), rt_cref(st, p), 0);
}

/* A new virtual heap object of size bytes (calloc'd: zero). */
static TsBox newheap(TsState *st, int64_t size, int zero)
{
	TsBox b = ts_alloca(st, RT_HEAP, (int)size, 16, 1);

	if (b.kind == TB_VIRT)
		st->vo[b.ref].zero = zero;
	return b;
}

/* malloc(n) or calloc(n, m) of a constant size: a virtual heap object
 * (forced when it escapes); free of one that never escaped: nothing.
 * Returns 1 with the result in *res when the call was handled here. */
static int heapcall(TsState *st, TsBox fn, int n, const TsBox *args, TsBox *res)
{
	intptr_t f = (intptr_t)fn.val;

	if (fn.kind != TB_CONST)
		return 0;
	if (f == (intptr_t)malloc && n == 1 && args[0].kind == TB_CONST &&
	    args[0].val > 0 && args[0].val <= RT_MAXHEAPOBJ) {
		*res = newheap(st, args[0].val, 0);
		return 1;
	}
	if (f == (intptr_t)calloc && n == 2 && args[0].kind == TB_CONST && args[1].kind == TB_CONST &&
	    args[0].val > 0 && args[1].val > 0 && args[0].val <= RT_MAXHEAPOBJ &&
	    args[1].val <= RT_MAXHEAPOBJ && args[0].val * args[1].val <= RT_MAXHEAPOBJ) {
		*res = newheap(st, args[0].val * args[1].val, 1);
		return 1;
	}
	if (f == (intptr_t)free && n == 1 && args[0].kind == TB_VIRT && args[0].val == 0 &&
	    !st->vo[args[0].ref].forced && st->vo[args[0].ref].origin == RT_HEAP) {
		*res = ts_const(X86_I64, 0);
		return 1;
	}
	return 0;
}

TsBox ts_call(TsState *st, int ret, TsBox fn, int n, const TsBox *args)
{
	X86Ref a[X86_MAXCALLARGS];
	X86Ref r;
	TsBox res;
	int i;

	if (n > X86_MAXCALLARGS)
		return ts_fail(st, "too many call arguments"), ts_const(ret, 0);
	if (heapcall(st, fn, n, args, &res))
		return res;
	if (rt_portalcall(st, ret, fn, n, args, &res))
		return res;
	for (i = 0; i < n; i++)
		a[i] = rt_cref(st, rt_force(st, args[i]));
	fn = rt_force(st, fn);
	r = x86_call(st->u, st->blk, ret, rt_cref(st, fn), n, a);
	memclobber(st);
	return ret == X86_VOID ? ts_const(X86_I64, 0) : rt_var(ret, r);
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

/* --- guest calls: the portal inlined in itself ------------------------ */

/* Guest calls in progress (frames of the portal above the outer one). */
static int guestdepth(TsState *st)
{
	int f, n = 0;

	for (f = 1; f < st->nfr; f++)
		n += st->fr[f]->spec == st->cx->p->spec;
	return n;
}

/* Whether a portal frame of st runs with the greens of args (a recursive
 * guest call). */
static int guestactive(TsState *st, const TsBox *args)
{
	const TsPortal *p = st->cx->p;
	int f, i, same;

	for (f = 0; f < st->nfr; f++) {
		if (st->fr[f]->spec != p->spec)
			continue;
		for (same = 1, i = 0; i < p->nparam && same; i++)
			if (p->pgreen[i] && st->fr[f]->g[p->pslot[i]] != args[i].val)
				same = 0;
		if (same)
			return 1;
	}
	return 0;
}

/* The boxes a state holds (every frame's red slots, the fields of its
 * virtual objects): what merges and exits of inlined code carry. */
static int statesize(TsState *st)
{
	int f, k, n = 0;

	for (f = 0; f < st->nfr; f++)
		for (k = 0; k < st->fr[f]->spec->nslot; k++)
			n += st->fr[f]->r[k].kind != TB_NONE;
	for (k = 0; k < st->nvo; k++)
		if (!st->vo[k].forced)
			n += st->vo[k].nf;
	return n;
}

/* A guest call whose greens are constants and which is passed a virtual
 * object runs the portal's own specialisation as an inlined frame: its
 * arguments stay boxes (a pointer into the caller's virtual stack stays
 * virtual), its objects stay virtual, a promotion of a known class costs
 * nothing.  Other guest calls stay calls (direct calls of the callee's
 * code, portal.c).  Not in leave mode (a bridge compiled again after a
 * failure), not for a recursive call (greens of a frame in progress), nor
 * past RT_MAXGUESTINLINE nested guest calls or RT_MAXGUESTSTATE boxes in
 * the state (every exit and merge of the inlined code carries them). */
int ts_inline(TsState *st, int n, const TsBox *args)
{
	const TsPortal *p = st->cx->p;
	TsFrame *f;
	int i, virt = 0;

	if (!rt_inlineguest || st->leave || n != p->nparam || guestdepth(st) >= RT_MAXGUESTINLINE ||
	    guestactive(st, args) || statesize(st) > RT_MAXGUESTSTATE)
		return 0;
	for (i = 0; i < n; i++) {
		if (p->pgreen[i] && args[i].kind != TB_CONST)
			return 0;
		if (!p->pgreen[i] && args[i].kind == TB_VIRT && !st->vo[args[i].ref].forced)
			virt = 1;
	}
	if (!virt)
		return 0;
	if (!(f = ts_push(st, p->spec, -1)))
		return 0;
	for (i = 0; i < n; i++) {
		if (p->pgreen[i])
			f->g[p->pslot[i]] = args[i].val;
		else
			f->r[p->pslot[i]] = args[i];
	}
	return 1;
}

/* The global merge point met in an inlined guest call: no merging (the
 * key holds no caller): compilation goes on, up to RT_MAXGUESTSTEPS of
 * them between two merges of the outer frame (a guest loop inside an
 * inlined call fails the path; its bridge is compiled again in leave
 * mode, without inlining).  Returns -1 for a merge point ts_merge
 * handles, else ts_merge's result. */
int rt_guestmerge(TsState *st, const TsMerge *mp)
{
	if (!mp->global)
		return -1;
	if (st->nfr == 1) {
		st->gsteps = 0;
		return -1;
	}
	if (++st->gsteps > (st->leave ? 10 : 1) * RT_MAXGUESTSTEPS)
		return ts_fail(st, "guest loop in an inlined guest call"), 1;
	return 0;
}
