/* vable.c: virtualizable frames: the cached fields of the interpreter's
 * frame, write-back and reload around calls, returns and leaves (vable.h).
 *
 * A frame is a forced object (Virt) with origin RT_VABLE: o->base is the
 * real pointer, o->f[] the cache, sorted by offset; a field's offset
 * carries RT_VDIRTY when its box differs from memory.  Cached fields take
 * part in merge-point states (rt_vwalk), so in a loop they become the
 * arguments of the reentry block: registers, not memory.
 */
#include "rt.h"
#include "vable.h"

enum { RT_VMAXFIELDS = 128 }; /* cached fields of one frame at most */

static int logvable = -1; /* TS_LOG has "vable" (or "all") */

static int logging(void)
{
	if (logvable < 0) {
		const char *s = getenv("TS_LOG");
		logvable = s && (strstr(s, "vable") || strstr(s, "all"));
	}
	return logvable;
}

/* Whether box p points into a live frame. */
static int isvable(TsState *st, TsBox p)
{
	return p.kind == TB_VIRT && (int)p.ref < st->nvo && st->vo[p.ref].origin == RT_VABLE;
}

static int32_t offof(const Field *f)
{
	return f->off & ~RT_VDIRTY;
}

static int fsize(const Field *f)
{
	return rt_typesize(f->b.type);
}

/* Write field i of frame o back if it is dirty. */
static void flushfield(TsState *st, Virt *o, int i)
{
	Field *f = &o->f[i];

	if (!(f->off & RT_VDIRTY))
		return;
	x86_store(st->u, st->blk, rt_cref(st, f->b), rt_cref(st, o->base), X86_NONE, 1, offof(f));
	st->mvalid = 0; /* the peephole cache of ops.c may remember this place */
	f->off &= ~RT_VDIRTY;
}

static void dropfield(Virt *o, int i)
{
	memmove(&o->f[i], &o->f[i + 1], (o->nf - i - 1) * sizeof *o->f);
	o->nf--;
}

/* Print the offsets of the fields of o in [lo, hi) that are dirty
 * (dirty = 1) or cached (dirty = 0). */
static void logfields(const Virt *o, int64_t lo, int64_t hi, int dirty)
{
	int i, n = 0;

	for (i = 0; i < o->nf; i++)
		if (offof(&o->f[i]) < hi && offof(&o->f[i]) + fsize(&o->f[i]) > lo &&
		    (!dirty || (o->f[i].off & RT_VDIRTY)))
			fprintf(stderr, "%s%d", n++ ? "," : "", offof(&o->f[i]));
	if (!n)
		fprintf(stderr, "-");
}

/* Write back the dirty fields of o that overlap [lo, hi). */
static void flushrange(TsState *st, Virt *o, int64_t lo, int64_t hi)
{
	int i;

	for (i = 0; i < o->nf; i++)
		if (offof(&o->f[i]) < hi && offof(&o->f[i]) + fsize(&o->f[i]) > lo)
			flushfield(st, o, i);
}

/* Drop the cached fields of o that overlap [lo, hi) (written back
 * first when dirty). */
static void droprange(TsState *st, Virt *o, int64_t lo, int64_t hi)
{
	int i;

	for (i = 0; i < o->nf;)
		if (offof(&o->f[i]) < hi && offof(&o->f[i]) + fsize(&o->f[i]) > lo) {
			flushfield(st, o, i);
			dropfield(o, i);
		} else {
			i++;
		}
}

/* Box b with pointers into frame i replaced by run-time pointers. */
static TsBox rebase(TsState *st, TsBox b, uint32_t i)
{
	if (b.kind != TB_VIRT || b.ref != i)
		return b;
	return rt_force(st, b);
}

/* Frame i stops being virtualizable on this path: its dirty fields are
 * written back and (unless the unit returns: ret) every pointer into it
 * becomes a run-time pointer, so that a leave passes the real frame to the
 * interpreter.  The object stays, forced and empty, unreferenced. */
static void unvable(TsState *st, int i, const char *why, int ret)
{
	Virt *o = &st->vo[i];
	int f, k, j;

	if (o->origin != RT_VABLE)
		return;
	if (logging() && why) {
		fprintf(stderr, "ts: vable %s: wrote back ", why);
		logfields(o, INT64_MIN, INT64_MAX, 1);
		fprintf(stderr, "\n");
	}
	flushrange(st, o, INT64_MIN, INT64_MAX);
	o->nf = 0;
	for (f = 0; !ret && f < st->nfr; f++)
		for (k = 0; k < st->fr[f]->spec->nslot; k++)
			st->fr[f]->r[k] = rebase(st, st->fr[f]->r[k], i);
	if (!ret)
		st->ret = rebase(st, st->ret, i);
	for (j = 0; !ret && j < st->nvo; j++)
		if (!st->vo[j].forced)
			for (k = 0; k < st->vo[j].nf; k++)
				st->vo[j].f[k].b = rebase(st, st->vo[j].f[k].b, i);
	st->vo[i].origin = -1;
	st->vo[i].size = 0;
}

TsBox ts_vesc(TsState *st, TsBox p)
{
	if (!isvable(st, p))
		return p;
	unvable(st, p.ref, "escape", 0);
	return rt_force(st, p);
}

TsBox ts_vable(TsState *st, TsBox f)
{
	Virt *vo, *o;

	if (f.kind == TB_VIRT || f.kind == TB_NONE) /* already a frame, or virtual */
		return f;
	vo = rt_xalloc(st->vo, (st->nvo + 1) * sizeof *vo);
	if (!vo)
		return ts_fail(st, "out of memory"), f;
	st->vo = vo;
	o = &vo[st->nvo];
	memset(o, 0, sizeof *o);
	o->origin = RT_VABLE;
	o->size = RT_VDIRTY; /* unknown: any offset below RT_VDIRTY */
	o->align = 8;
	o->forced = 1;
	o->base = f;
	return rt_mkbox(TB_VIRT, X86_PTR, st->nvo++, 0);
}

/* The index of the field of o at off with size sz, or -1; overlapping
 * fields of another shape are dropped (written back first). */
static int findfield(TsState *st, Virt *o, int32_t off, int sz)
{
	int i;

	for (i = 0; i < o->nf; i++)
		if (offof(&o->f[i]) == off && fsize(&o->f[i]) == sz)
			return i;
	droprange(st, o, off, (int64_t)off + sz);
	return -1;
}

/* Add field (off, b) to o in offset order; returns its index or -1.
 * Past RT_VMAXFIELDS cached fields one is written back and dropped first
 * (the farthest from off, never the first: a frame's header, like sp,
 * stays): the cache's fields are live values of every exit and reentry
 * block, and the emitter takes at most 256 per jump. */
static int addfield(TsState *st, Virt *o, int32_t off, TsBox b)
{
	int i, far = -1;
	int64_t d, best = -1;

	if (o->nf >= RT_VMAXFIELDS) {
		for (i = 1; i < o->nf; i++) {
			d = (int64_t)offof(&o->f[i]) - off;
			if (d < 0)
				d = -d;
			if (d > best)
				best = d, far = i;
		}
		flushfield(st, o, far);
		dropfield(o, far);
	}
	if (o->nf == o->cap) {
		int cap = o->cap ? 2 * o->cap : 8;
		Field *f = rt_xalloc(o->f, cap * sizeof *f);
		if (!f)
			return ts_fail(st, "out of memory"), -1;
		o->f = f;
		o->cap = cap;
	}
	for (i = o->nf; i > 0 && offof(&o->f[i - 1]) > off; i--)
		o->f[i] = o->f[i - 1];
	o->f[i].off = off;
	o->f[i].b = b;
	o->nf++;
	return i;
}

/* Whether an access of sz bytes at p stays in the cache. */
static int cacheable(TsBox p, int sz)
{
	return p.val >= 0 && p.val + sz < RT_VDIRTY && sz > 0;
}

TsBox ts_vload(TsState *st, int type, TsBox p)
{
	Virt *o;
	TsBox v;
	int i, sz = rt_typesize(type);

	if (!isvable(st, p))
		return ts_load(st, type, p);
	if (!cacheable(p, sz))
		return ts_load(st, type, ts_vesc(st, p));
	o = &st->vo[p.ref];
	if ((i = findfield(st, o, (int32_t)p.val, sz)) >= 0) {
		v = o->f[i].b;
		if (v.type != type && v.kind == TB_CONST) /* same width: f64/i64 */
			return rt_mkbox(TB_CONST, type, 0, v.val);
		if (v.type != type)
			return ts_op1(st, XR_BITCAST, type, v);
		return v;
	}
	v = rt_var(type, x86_load(st->u, st->blk, type, rt_cref(st, o->base), X86_NONE, 1, (int32_t)p.val));
	addfield(st, &st->vo[p.ref], (int32_t)p.val, v);
	return v;
}

/* Whether boxes a and b hold the same value. */
static int samebox(TsBox a, TsBox b)
{
	if (a.kind != b.kind || a.type != b.type)
		return 0;
	return a.kind == TB_CONST ? a.val == b.val : a.ref == b.ref;
}

void ts_vstore(TsState *st, TsBox p, TsBox v)
{
	Virt *o;
	int i, sz = rt_typesize(v.type);

	v = ts_vesc(st, v); /* a frame pointer stored anywhere escapes */
	if (!isvable(st, p)) {
		ts_store(st, p, v);
		return;
	}
	if (!cacheable(p, sz)) {
		ts_store(st, ts_vesc(st, p), v);
		return;
	}
	v = rt_force(st, v); /* a virtual object stored into the frame escapes */
	o = &st->vo[p.ref];
	if ((i = findfield(st, o, (int32_t)p.val, sz)) >= 0) {
		if (samebox(o->f[i].b, v))
			return;
		o->f[i].b = v;
		o->f[i].off |= RT_VDIRTY;
		return;
	}
	if ((i = addfield(st, o, (int32_t)p.val, v)) >= 0)
		st->vo[p.ref].f[i].off |= RT_VDIRTY;
}

TsBox ts_vptradd(TsState *st, TsBox p, TsBox n)
{
	if (isvable(st, p) && n.kind != TB_CONST)
		p = ts_vesc(st, p); /* a run-time offset: no longer a known field */
	return ts_ptradd(st, p, n);
}

/* Before a call: for frame argument a (index k) apply fx's ranges: write
 * back what the callee may read or write; mark in drop[] (per field of
 * the frame) what it may write.  Returns 1 when the frame escapes. */
static int before(TsState *st, const TsEffect *fx, int k, TsBox a)
{
	Virt *o = &st->vo[a.ref];
	int j, esc = !fx;

	if (logging())
		fprintf(stderr, "ts: vable call %s (%s) arg %d:", fx ? fx->callee : "?", fx ? fx->where : "?", k);
	for (j = 0; fx && j < fx->n; j++) {
		const TsRange *r = &fx->r[j];
		int64_t lo = r->lo == INT64_MIN ? INT64_MIN : r->lo + a.val;
		int64_t hi = r->hi == INT64_MAX ? INT64_MAX : r->hi + a.val;
		if (r->arg != k)
			continue;
		if (r->what & TE_ESCAPE)
			esc = 1;
		if (logging()) {
			fprintf(stderr, " [%s%s%s ", r->what & TE_READ ? "r" : "", r->what & TE_WRITE ? "w" : "",
			        r->what & TE_ESCAPE ? "e" : "");
			if (lo == INT64_MIN || hi == INT64_MAX)
				fprintf(stderr, "all");
			else
				fprintf(stderr, "%lld..%lld", (long long)lo, (long long)hi);
			fprintf(stderr, ": wrote back ");
			logfields(o, lo, hi, 1);
			if (r->what & TE_WRITE) {
				fprintf(stderr, ", reload ");
				logfields(o, lo, hi, 0);
			}
			fprintf(stderr, "]");
		}
		if (r->what & TE_WRITE)
			droprange(st, o, lo, hi);
		else
			flushrange(st, o, lo, hi);
		o = &st->vo[a.ref];
	}
	if (logging())
		fprintf(stderr, "%s\n", esc ? " escapes" : "");
	return esc;
}

TsBox ts_vcall(TsState *st, int ret, TsBox fn, int n, const TsBox *args, const TsEffect *fx)
{
	TsBox a[X86_MAXCALLARGS];
	int i, esc[X86_MAXCALLARGS];

	if (n > X86_MAXCALLARGS)
		return ts_call(st, ret, fn, n, args);
	fn = ts_vesc(st, fn);
	for (i = 0; i < n; i++) {
		a[i] = args[i];
		esc[i] = isvable(st, a[i]) && before(st, fx, i, a[i]);
	}
	/* a frame that escapes is written back whole and stays a plain
	 * pointer; the others are passed as run-time pointers */
	for (i = 0; i < n; i++) {
		if (esc[i])
			a[i] = ts_vesc(st, a[i]);
		else if (isvable(st, a[i]))
			a[i] = rt_force(st, a[i]);
	}
	return ts_call(st, ret, fn, n, a);
}

int ts_vmerge(TsState *st, TsFrame *fr, const TsMerge *mp)
{
	int i;

	if (st->leave && mp->global && st->nfr == 1) /* ts_merge will leave */
		for (i = 0; i < st->nvo; i++)
			unvable(st, i, "leave", 0);
	return ts_merge(st, fr, mp);
}

int ts_vreturn(TsState *st, TsFrame *fr, TsBox v)
{
	int i;

	if (st->nfr == 1) /* the unit returns */
		for (i = 0; i < st->nvo; i++)
			unvable(st, i, "return", 1);
	return ts_return(st, fr, v);
}

void rt_vwalk(TsState *st, int o, Items *s)
{
	Virt *v = &st->vo[o];
	int i;

	if (v->origin != RT_VABLE)
		return;
	for (i = 0; i < v->nf; i++) {
		Item it;
		if (s->n == s->cap) {
			int cap = s->cap ? 2 * s->cap : 32;
			Item *p = rt_xalloc(s->it, cap * sizeof *p);
			if (!p)
				return;
			s->it = p;
			s->cap = cap;
		}
		memset(&it, 0, sizeof it);
		it.b = v->f[i].b;
		it.k = IT_FIELD;
		it.x = v->f[i].off; /* with its dirty bit: versions must agree */
		it.at = &v->f[i].b;
		s->it[s->n++] = it;
	}
}
