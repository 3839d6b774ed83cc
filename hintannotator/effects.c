/* effects.c: the effect analysis of virtualizable frames: for a function,
 * what it may read, write or keep through each of its pointer parameters
 * (docs/timeshift.md, "Virtualizable frames").
 *
 * A value is *derived* from parameter p when it is p plus a byte offset,
 * known or not (PTRADD, copies, identity hints, block arguments).  A load
 * through a derived pointer reads [off, off + size), a store writes it, a
 * call passes the callee's own effects on, shifted; anything else (the
 * pointer stored to memory, returned, converted to an integer, passed to
 * an external or indirect callee, used at an unknown offset) is
 * conservative: the whole object, read and written, and kept (escape) when
 * the pointer itself may outlive the call.  The generating extension
 * writes one range list per residual call site (timeshift/gen.c); the
 * runtime writes back and reloads only the frame fields in those ranges.
 */
#include <stdlib.h>
#include <string.h>
#include "hintannotator.h"

enum { EFF_MAXDEPTH = 8 }; /* callees followed; deeper: conservative */

/* Per value: derived from the parameter being analysed. */
typedef struct {
	uint8_t on;  /* derived */
	uint8_t unk; /* at an unknown offset */
	int64_t off; /* the offset when known */
} Der;

static int64_t tysize(int t)
{
	static const int sz[TY_N] = {0, 1, 1, 2, 4, 8, 8, 4, 8};
	return t < TY_N ? sz[t] : 8;
}

/* Add range (param, what, [lo, hi)) to *v unless it is covered; a range
 * that overlaps or touches one of the same kind widens it. */
static void addrange(HaRange **v, uint32_t param, int what, int64_t lo, int64_t hi)
{
	uint32_t i, n = fg_vlen(*v);
	HaRange r;

	for (i = 0; i < n; i++) {
		HaRange *x = &(*v)[i];
		if (x->param != param || x->what != what || lo > x->hi || hi < x->lo)
			continue;
		if (lo < x->lo)
			x->lo = lo;
		if (hi > x->hi)
			x->hi = hi;
		return;
	}
	r.param = param;
	r.what = (uint8_t)what;
	r.lo = lo;
	r.hi = hi;
	fg_vpush(v, r);
}

/* Everything through param: read, write, kept. */
static void all(HaRange **v, uint32_t param)
{
	addrange(v, param, HE_READ, INT64_MIN, INT64_MAX);
	addrange(v, param, HE_WRITE, INT64_MIN, INT64_MAX);
	addrange(v, param, HE_ESCAPE, INT64_MIN, INT64_MAX);
}

/* An access of what at [d.off, d.off + n) (n < 0: unknown length). */
static void access(HaRange **v, uint32_t param, int what, Der d, int64_t n)
{
	if (d.unk || n < 0)
		addrange(v, param, what, INT64_MIN, INT64_MAX);
	else
		addrange(v, param, what, d.off, d.off + n);
}

/* Mark value r derived as d; 1 when that changed something. */
static int derive(Der *dv, Ref r, Der d)
{
	Der *x;

	if (REFKIND(r) != RK_VAL)
		return 0;
	x = &dv[REFIDX(r)];
	if (!x->on) {
		*x = d;
		x->on = 1;
		return 1;
	}
	if (!x->unk && (d.unk || d.off != x->off)) {
		x->unk = 1;
		return 1;
	}
	return 0;
}

/* A constant integer operand: 1 with its value in *k. */
static int constint(const FgFunc *f, Ref r, int64_t *k)
{
	if (REFKIND(r) != RK_CON || f->cons[REFIDX(r)].kind != CK_INT)
		return 0;
	*k = f->cons[REFIDX(r)].bits;
	return 1;
}

static HaRange *effects(const FgModule *m, uint32_t fi, int depth, uint8_t *busy);

/* The effects of a call op whose operand j (j >= 1) is derived as d. */
static void calluse(const FgModule *m, const FgFunc *f, const FgOp *op, uint32_t j, Der d,
                    HaRange **v, uint32_t param, int depth, uint8_t *busy)
{
	Ref fn = f->refs[op->arg];
	const FgConst *c = REFKIND(fn) == RK_CON ? &f->cons[REFIDX(fn)] : NULL;
	HaRange *sub;
	uint32_t i;

	if (!c || c->kind != CK_FUNC || j - 1 >= fg_vlen(m->funcs[c->sym].params)) {
		all(v, param);
		return;
	}
	sub = effects(m, c->sym, depth + 1, busy);
	for (i = 0; i < fg_vlen(sub); i++) {
		HaRange *r = &sub[i];
		if (r->param != j - 1)
			continue;
		if (d.unk || r->lo == INT64_MIN || r->hi == INT64_MAX)
			addrange(v, param, r->what, INT64_MIN, INT64_MAX);
		else
			addrange(v, param, r->what, r->lo + d.off, r->hi + d.off);
	}
	fg_vfree(sub);
}

/* One pass over f for parameter param; returns 1 when a value became
 * derived (another pass is needed). */
static int pass(const FgModule *m, const FgFunc *f, Der *dv, HaRange **v, uint32_t param, int depth,
                uint8_t *busy)
{
	uint32_t b, i, j, changed = 0;
	int64_t k;

	for (b = 0; b < fg_vlen(f->blocks); b++) {
		const FgBlock *bl = &f->blocks[b];
		for (i = 0; i < fg_vlen(bl->ops); i++) {
			const FgOp *op = &bl->ops[i];
			const Ref *a = &f->refs[op->arg];
			for (j = 0; j < op->narg; j++) {
				Der d;
				if (REFKIND(a[j]) != RK_VAL || !dv[REFIDX(a[j])].on)
					continue;
				d = dv[REFIDX(a[j])];
				switch (op->op) {
				case FG_PTRADD:
					if (j == 0 && constint(f, a[1], &k))
						d.off += k;
					else
						d.unk = 1;
					changed |= derive(dv, op->res, d);
					break;
				case FG_COPY: case FG_BITCAST: case FG_HGREEN: case FG_HPROMOTE: case FG_HDEEPFREEZE:
					changed |= derive(dv, op->res, d);
					break;
				case FG_SELECT:
					if (j == 0) {
						all(v, param);
						break;
					}
					d.unk = 1;
					changed |= derive(dv, op->res, d);
					break;
				case FG_LOAD:
					access(v, param, HE_READ, d, tysize(op->type));
					break;
				case FG_STORE:
					if (j == 0)
						access(v, param, HE_WRITE, d, tysize(fg_reftype(f, a[1])));
					else
						all(v, param);
					break;
				case FG_MEMCPY: case FG_MEMMOVE: case FG_MEMSET:
					if (j == 2 || (j == 1 && op->op == FG_MEMSET)) {
						all(v, param);
						break;
					}
					access(v, param, j == 0 ? HE_WRITE : HE_READ, d, constint(f, a[2], &k) ? k : -1);
					break;
				case FG_CALL:
					if (j == 0)
						all(v, param);
					else
						calluse(m, f, op, j, d, v, param, depth, busy);
					break;
				case FG_HVIRTUALIZABLE: case FG_MERGEPOINT:
					break;
				default:
					if (!(fg_opinfo[op->op].props & P_CMP))
						all(v, param);
				}
			}
		}
		if (bl->exit.kind == EX_RETURN && REFKIND(bl->exit.cond) == RK_VAL && dv[REFIDX(bl->exit.cond)].on)
			all(v, param);
		for (i = 0; i < bl->exit.nlink; i++) {
			const FgLink *l = &f->links[bl->exit.link + i];
			const FgBlock *t = &f->blocks[l->target];
			for (j = 0; j < l->narg; j++) {
				Ref s = f->refs[l->arg + j];
				if (REFKIND(s) == RK_VAL && dv[REFIDX(s)].on)
					changed |= derive(dv, t->args[j], dv[REFIDX(s)]);
			}
		}
	}
	return changed;
}

static HaRange *effects(const FgModule *m, uint32_t fi, int depth, uint8_t *busy)
{
	const FgFunc *f = &m->funcs[fi];
	HaRange *v = fg_vnew(0, sizeof *v);
	uint32_t p, np = fg_vlen(f->params);

	if (!fg_vlen(f->blocks) || busy[fi] || depth > EFF_MAXDEPTH) {
		for (p = 0; p < np; p++)
			if (f->params[p] == TY_PTR)
				all(&v, p);
		return v;
	}
	busy[fi] = 1;
	for (p = 0; p < np; p++) {
		Der *dv, d0 = {1, 0, 0};
		if (f->params[p] != TY_PTR)
			continue;
		dv = calloc(fg_vlen(f->vals) + 1, sizeof *dv);
		derive(dv, f->blocks[0].args[p], d0);
		while (pass(m, f, dv, &v, p, depth, busy))
			;
		free(dv);
	}
	busy[fi] = 0;
	return v;
}

HaRange *ha_effects(const FgModule *m, uint32_t func)
{
	uint8_t *busy = calloc(fg_vlen(m->funcs) + 1, 1);
	HaRange *v = effects(m, func, 0, busy);

	free(busy);
	return v;
}
