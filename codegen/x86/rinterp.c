/*
 * rinterp.c: the residual-IR interpreter, the test oracle of the x86
 * backend (PyPy's llgraph backend played this part).
 *
 * It runs a unit exactly as the machine code would, on raw 64-bit words:
 * integers sign-extended from their width, f64 as bits.  Each unit of the
 * tree that runs during one invocation gets a frame (its values and its
 * stack slots), created when first entered and kept until the root
 * returns, so a bridge jumping back into a reentry block of its parent
 * finds the parent's frame (as the machine code finds its rbp frame).
 * Exit stubs and flexswitches call their callback the same way the machine
 * code does; the returned bridge is run here instead of being compiled.
 * Operations whose result x86 leaves undefined (division by zero) stop the
 * run with X86_ETRAP instead of producing a value.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The frame of one unit during one invocation. */
typedef struct {
	int64_t *v;    /* values, indexed like unit->val */
	uint8_t **slot; /* slot memory, indexed by slot number */
	uint32_t nslot; /* slots allocated */
} Frame;

/* One invocation of a root unit. */
typedef struct {
	X86Unit *root;   /* the unit tree */
	Frame *fr;       /* frames by unit id (0: root, n: bridge n) */
	uint32_t nfr;    /* frames allocated */
	int64_t *tmp;    /* scratch for jump arguments and live values */
	uint32_t ntmp;   /* scratch size */
	long fuel;       /* steps left; negative: unbounded */
	int err;         /* error that stopped the run */
} State;

/* The mask of an integer type's width. */
static uint64_t mask(int type)
{
	int n = x86_bits(type);

	return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
}

/* The raw value of operand r in frame f of unit u. */
static int64_t get(const X86Unit *u, const Frame *f, X86Ref r)
{
	if (X86_REFKIND(r) == XK_CON)
		return u->con[X86_REFIDX(r)].v;
	return f->v[X86_REFIDX(r)];
}

static double tof(int64_t bits)
{
	double d;

	memcpy(&d, &bits, sizeof d);
	return d;
}

static int64_t fromf(double d)
{
	int64_t bits;

	memcpy(&bits, &d, sizeof bits);
	return bits;
}

/* Stop the run with err; returns 0. */
static int stop(State *s, int err)
{
	if (!s->err)
		s->err = err;
	return 0;
}

/* The frame of unit u, created (values zeroed, slots allocated) on first
 * use in this invocation; NULL when out of memory. */
static Frame *frame(State *s, X86Unit *u)
{
	uint32_t id = u->id, n, i;
	Frame *f;

	if (id >= s->nfr) {
		n = id + 8;
		f = x86_alloc(s->fr, n * sizeof *f);
		if (!f)
			return stop(s, X86_ENOMEM), NULL;
		memset(f + s->nfr, 0, (n - s->nfr) * sizeof *f);
		s->fr = f;
		s->nfr = n;
	}
	f = &s->fr[id];
	if (f->v)
		return f;
	f->v = x86_alloc(NULL, u->nval * sizeof *f->v);
	f->slot = x86_alloc(NULL, (u->nslot + 1) * sizeof *f->slot);
	if (!f->v || !f->slot)
		return stop(s, X86_ENOMEM), NULL;
	memset(f->v, 0, u->nval * sizeof *f->v);
	for (i = 0; i < u->nslot; i++) {
		f->slot[i] = aligned_alloc(16, (u->slot[i].size + 15) & ~15);
		if (!f->slot[i])
			return stop(s, X86_ENOMEM), NULL;
		memset(f->slot[i], 0, u->slot[i].size);
		f->nslot = i + 1;
	}
	return f;
}

static void freeframes(State *s)
{
	uint32_t i, j;

	for (i = 0; i < s->nfr; i++) {
		for (j = 0; j < s->fr[i].nslot; j++)
			free(s->fr[i].slot[j]);
		free(s->fr[i].slot);
		free(s->fr[i].v);
	}
	free(s->fr);
	free(s->tmp);
}

/* --- operations ------------------------------------------------------------ */

/* Integer binary op on raw a, c of type t; 0 and stop(X86_ETRAP) when
 * undefined. */
static int intop(State *s, int op, int t, int64_t a, int64_t c, int64_t *r)
{
	uint64_t ua = (uint64_t)a & mask(t), uc = (uint64_t)c & mask(t);
	int n = x86_bits(t);
	int64_t min = n == 64 ? INT64_MIN : -((int64_t)1 << (n - 1));

	switch (op) {
	case XR_ADD: *r = (int64_t)((uint64_t)a + (uint64_t)c); break;
	case XR_SUB: *r = (int64_t)((uint64_t)a - (uint64_t)c); break;
	case XR_MUL: *r = (int64_t)((uint64_t)a * (uint64_t)c); break;
	case XR_AND: *r = a & c; break;
	case XR_OR: *r = a | c; break;
	case XR_XOR: *r = a ^ c; break;
	case XR_SHL: *r = (int64_t)(ua << (uc & (n - 1))); break;
	case XR_LSHR: *r = (int64_t)(ua >> (uc & (n - 1))); break;
	case XR_ASHR: *r = a >> (uc & (n - 1)); break;
	case XR_SDIV: case XR_SREM:
		if (c == 0 || (a == min && c == -1))
			return stop(s, X86_ETRAP);
		*r = op == XR_SDIV ? a / c : a % c;
		break;
	case XR_UDIV: case XR_UREM:
		if (uc == 0)
			return stop(s, X86_ETRAP);
		*r = (int64_t)(op == XR_UDIV ? ua / uc : ua % uc);
		break;
	case XR_EQ: *r = a == c; return 1;
	case XR_NE: *r = a != c; return 1;
	case XR_SLT: *r = a < c; return 1;
	case XR_SLE: *r = a <= c; return 1;
	case XR_SGT: *r = a > c; return 1;
	case XR_SGE: *r = a >= c; return 1;
	case XR_ULT: *r = ua < uc; return 1;
	case XR_ULE: *r = ua <= uc; return 1;
	case XR_UGT: *r = ua > uc; return 1;
	case XR_UGE: *r = ua >= uc; return 1;
	default: return stop(s, X86_EINVAL);
	}
	*r = x86_norm(t, *r);
	return 1;
}

/* f64 binary op or compare. */
static int64_t fltop(int op, double a, double c)
{
	switch (op) {
	case XR_FADD: return fromf(a + c);
	case XR_FSUB: return fromf(a - c);
	case XR_FMUL: return fromf(a * c);
	case XR_FDIV: return fromf(a / c);
	case XR_FEQ: return a == c;
	case XR_FNE: return a != c;
	case XR_FLT: return a < c;
	case XR_FLE: return a <= c;
	case XR_FGT: return a > c;
	default: return a >= c; /* XR_FGE */
	}
}

/* f64 to integer type t with cvttsd2si's out-of-range rule. */
static int64_t ftosi(int t, double d)
{
	if (t == X86_I64 || t == X86_PTR) {
		if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
			return (int64_t)d;
		return INT64_MIN;
	}
	if (d > -2147483649.0 && d < 2147483648.0)
		return x86_norm(t, (int32_t)d);
	return x86_norm(t, INT32_MIN);
}

/* Unary op or cast of raw a from type from to type t. */
static int64_t castop(int op, int from, int t, int64_t a)
{
	switch (op) {
	case XR_FNEG: return fromf(-tof(a));
	case XR_SEXT: return x86_norm(t, a);
	case XR_ZEXT: return x86_norm(t, (int64_t)((uint64_t)a & mask(from)));
	case XR_TRUNC: return x86_norm(t, a);
	case XR_SITOF: return fromf((double)a);
	case XR_FTOSI: return ftosi(t, tof(a));
	default: return a; /* XR_BITCAST */
	}
}

/* The address of a LOAD/STORE. */
static uint8_t *addr(const X86Unit *u, const Frame *f, const RIns *in)
{
	uint64_t p = (uint64_t)get(u, f, in->a);

	if (in->b)
		p += (uint64_t)get(u, f, in->b) << in->scale;
	return (uint8_t *)(uintptr_t)(p + (uint64_t)(int64_t)in->off);
}

static int64_t load(int t, const uint8_t *p)
{
	int8_t b;
	int16_t h;
	int32_t w;
	int64_t q;

	switch (t) {
	case X86_I8: memcpy(&b, p, 1); return b;
	case X86_I16: memcpy(&h, p, 2); return h;
	case X86_I32: memcpy(&w, p, 4); return w;
	default: memcpy(&q, p, 8); return q;
	}
}

static void store(int t, uint8_t *p, int64_t v)
{
	int n = t == X86_F64 ? 8 : x86_bits(t) / 8;

	memcpy(p, &v, n); /* little endian: the low bytes */
}

/* Run a CALL. */
static int64_t call(const X86Unit *u, const Frame *f, const RIns *in)
{
	int64_t args[X86_MAXCALLARGS];
	uint8_t types[X86_MAXCALLARGS];
	uint32_t i;
	X86Ref r;

	for (i = 0; i < in->narg; i++) {
		r = u->ref[in->arg + i];
		args[i] = get(u, f, r);
		types[i] = x86_type(u, r);
	}
	return x86_ccall((void *)(uintptr_t)get(u, f, in->a), in->type,
	                 in->narg, types, args);
}

/* Execute one operation in frame f. */
static int exec(State *s, const X86Unit *u, Frame *f, const RIns *in)
{
	unsigned props = x86_opinfo[in->op].props;
	int64_t a, c, r = 0;
	int ta;

	switch (in->op) {
	case XR_SELECT:
		r = get(u, f, in->a) ? get(u, f, in->b) : get(u, f, in->c);
		break;
	case XR_LOAD:
		r = load(in->type, addr(u, f, in));
		break;
	case XR_STORE:
		store(in->type, addr(u, f, in), get(u, f, in->c));
		return 1;
	case XR_SLOT:
		r = (int64_t)(uintptr_t)f->slot[in->off];
		break;
	case XR_CALL:
		r = call(u, f, in);
		if (!in->res)
			return 1;
		break;
	default:
		a = get(u, f, in->a);
		ta = x86_type(u, in->a);
		if (x86_opinfo[in->op].nargs == 1) {
			r = castop(in->op, ta, in->type, a);
			break;
		}
		c = get(u, f, in->b);
		if (props & XP_FLOAT)
			r = fltop(in->op, tof(a), tof(c));
		else if (!intop(s, in->op, ta, a, c, &r))
			return 0;
	}
	f->v[X86_REFIDX(in->res)] = r;
	return 1;
}

/* --- control ---------------------------------------------------------------- */

/* Copy the raw values of refs u->ref[first .. first+n) to s->tmp. */
static int gather(State *s, const X86Unit *u, const Frame *f, uint32_t first,
                  uint32_t n)
{
	int64_t *t;
	uint32_t i;

	if (n > s->ntmp) {
		if (!(t = x86_alloc(s->tmp, n * sizeof *t)))
			return stop(s, X86_ENOMEM);
		s->tmp = t;
		s->ntmp = n;
	}
	for (i = 0; i < n; i++)
		s->tmp[i] = get(u, f, u->ref[first + i]);
	return 1;
}

/* Bind block b's arguments of frame f from s->tmp. */
static void bind(State *s, const X86Unit *u, Frame *f, uint32_t b)
{
	const RBlock *bl = &u->blk[b];

	if (bl->narg)
		memcpy(&f->v[bl->arg], s->tmp, bl->narg * sizeof *s->tmp);
}

/* Where control goes next. */
typedef struct {
	X86Unit *u;   /* unit */
	uint32_t b;   /* block */
	int done;     /* 1: returned, -1: left early, 0: continue */
	int64_t ret;  /* returned raw value */
} Pc;

/* Take a patchable exit: find or ask for the bridge, then continue there
 * with the live values (already in s->tmp).  value: flexswitch value. */
static void takeexit(State *s, Pc *pc, X86Exit *site, int64_t value)
{
	X86Unit *br = site->kind == XE_STUB ? site->bridge : NULL;
	int k;

	if (site->kind == XE_FLEX && (k = x86_findcase(site, value)) >= 0) {
		if (site->cases[k].to != X86_NOBLK) {
			pc->b = site->cases[k].to;
			return;
		}
		br = site->cases[k].bridge;
	}
	if (!br) {
		int64_t none = 0; /* live values: never NULL, even when empty */
		br = site->fn(site->opaque, site, value, s->tmp ? s->tmp : &none);
		if (br && (br->from != site || x86_checkssa(br) != X86_OK))
			br = NULL;
		if (br && site->kind == XE_FLEX && !x86_addcase(site, value, br))
			br = NULL;
		if (!br) {
			x86_setleft(site);
			pc->done = -1;
			return;
		}
		br->frozen = 1;
		if (site->kind == XE_STUB)
			site->bridge = br;
	}
	pc->u = br;
	pc->b = 0;
}

/* Run the terminator of block pc->b of unit pc->u in frame f. */
static void leave(State *s, Pc *pc, Frame *f)
{
	X86Unit *u = pc->u;
	const RExit *x = &u->blk[pc->b].x;
	int64_t v;
	uint32_t i;

	switch (x->kind) {
	case XE_RET:
		pc->done = 1;
		pc->ret = x->val ? get(u, f, x->val) : 0;
		return;
	case XE_JUMP:
	case XE_JUMPUNIT:
		if (!gather(s, u, f, x->arg, x->narg))
			return;
		if (x->kind == XE_JUMPUNIT)
			pc->u = x->unit;
		pc->b = x->to[0];
		return;
	case XE_BRANCH:
		pc->b = get(u, f, x->val) ? x->to[0] : x->to[1];
		return;
	case XE_SWITCH:
		v = get(u, f, x->val);
		pc->b = x->to[0];
		for (i = 0; i < x->ncas; i++)
			if (u->cas[x->cas + i].val == v) {
				pc->b = u->cas[x->cas + i].to;
				break;
			}
		return;
	case XE_STUB:
	case XE_FLEX:
		if (!gather(s, u, f, x->arg, x->narg))
			return;
		takeexit(s, pc, x->site, x->kind == XE_FLEX ? get(u, f, x->val) : 0);
		return;
	default:
		stop(s, X86_EINVAL);
	}
}

/* The main loop: run from block 0 of the root (arguments bound). */
static int run(State *s, Pc *pc)
{
	const RBlock *bl;
	X86Unit *u;
	Frame *f;
	uint32_t i;

	for (;;) {
		u = pc->u;
		if (!(f = frame(s, u)))
			return 0;
		bl = &u->blk[pc->b];
		if (s->fuel >= 0 && (s->fuel -= bl->nins + 1) < 0)
			return stop(s, X86_ELIMIT);
		for (i = 0; i < bl->nins; i++)
			if (!exec(s, u, f, &bl->ins[i]))
				return 0;
		leave(s, pc, f);
		if (s->err || pc->done)
			return !s->err;
		/* block arguments: a jump or the entry of a bridge */
		if (pc->u->blk[pc->b].narg) {
			if (!(f = frame(s, pc->u)))
				return 0;
			bind(s, pc->u, f, pc->b);
		}
	}
}

int x86_interp(X86Unit *u, const int64_t *args, int64_t *res, long maxsteps)
{
	State s;
	Pc pc;
	Frame *f;
	uint32_t i;

	*res = 0;
	if (!u || u->root != u)
		return X86_EINVAL;
	if (!u->frozen && x86_checkssa(u) != X86_OK)
		return u->err;
	if (u->err)
		return u->err;
	u->frozen = 1;
	memset(&s, 0, sizeof s);
	s.root = u;
	s.fuel = maxsteps > 0 ? maxsteps : -1;
	memset(&pc, 0, sizeof pc);
	pc.u = u;
	x86_setleft(NULL);
	if ((f = frame(&s, u))) {
		for (i = 0; i < u->nparam; i++)
			f->v[u->blk[0].arg + i] =
			    x86_norm(u->val[u->blk[0].arg + i].type, args[i]);
		run(&s, &pc);
	}
	freeframes(&s);
	if (pc.done > 0 || s.err)
		x86_setleft(NULL); /* a nested unit may have left early */
	if (s.err)
		return s.err;
	if (pc.done < 0)
		return -1;
	*res = pc.ret;
	return X86_OK;
}

/* --- calling C ---------------------------------------------------------------- */

/*
 * System V puts the first 6 integer arguments in registers, the first 8
 * doubles in xmm registers and the rest on the stack in order, 8 bytes
 * each.  So any signature with at most X86_MAXCALLARGS arguments can be
 * called through one prototype: 6 integers, 8 doubles, then the overflow
 * arguments as raw words (a double's bits are its stack image).
 */
#define NSTACK (X86_MAXCALLARGS - 6)
typedef int64_t IFn(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                    double, double, double, double, double, double, double,
                    double, int64_t, int64_t, int64_t, int64_t, int64_t,
                    int64_t, int64_t, int64_t, int64_t, int64_t);
typedef double DFn(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                   double, double, double, double, double, double, double,
                   double, int64_t, int64_t, int64_t, int64_t, int64_t,
                   int64_t, int64_t, int64_t, int64_t, int64_t);

int64_t x86_ccall(void *fn, int ret, int nargs, const uint8_t *types,
                  const int64_t *args)
{
	int64_t ir[6] = {0}, st[NSTACK] = {0};
	double fr[8] = {0};
	int i, ni = 0, nf = 0, ns = 0;

	for (i = 0; i < nargs && i < X86_MAXCALLARGS; i++) {
		if (types[i] == X86_F64 && nf < 8)
			fr[nf++] = tof(args[i]);
		else if (types[i] != X86_F64 && ni < 6)
			ir[ni++] = args[i];
		else if (ns < NSTACK)
			st[ns++] = args[i];
	}
#define CARGS ir[0], ir[1], ir[2], ir[3], ir[4], ir[5], fr[0], fr[1], fr[2], \
	fr[3], fr[4], fr[5], fr[6], fr[7], st[0], st[1], st[2], st[3], st[4], \
	st[5], st[6], st[7], st[8], st[9]
	if (ret == X86_F64)
		return fromf(((DFn *)fn)(CARGS));
	if (ret == X86_VOID) {
		((IFn *)fn)(CARGS);
		return 0;
	}
	return x86_norm(ret, ((IFn *)fn)(CARGS));
#undef CARGS
}
