/*
 * rir.c: building residual IR (the API of x86.h), its checks, and the
 * module's allocation.
 *
 * Every builder call first checks that the unit has not failed; a bad
 * request fails the unit with X86_EINVAL and later calls do nothing, so the
 * generating extension checks once, at x86_compile.  Blocks keep their own
 * operation arrays, so they may be filled in any order.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

const X86OpInfo x86_opinfo[XR_NOP] = {
#define X86_ROPINFO(name, text, nargs, props) {text, nargs, props},
	X86_ROPS(X86_ROPINFO)
#undef X86_ROPINFO
};

const char *const x86_typename[X86_NTYPE] = {
	"void", "i8", "i16", "i32", "i64", "ptr", "f64",
};

static const char *const errtext[X86_NERR] = {
	"ok", "out of memory", "malformed residual IR", "unsupported request",
	"code memory exhausted", "step limit reached", "trap (division)",
};

long x86_allocfail;
static __thread X86Exit *leftsite;

void *x86_alloc(void *p, size_t size)
{
	if (x86_allocfail > 0 && --x86_allocfail == 0)
		return NULL;
	return realloc(p, size);
}

int x86_fail(X86Unit *u, int err)
{
	if (!u->err)
		u->err = err;
	return 0;
}

int x86_grow(X86Unit *u, void *pp, uint32_t *cap, uint32_t n, size_t size)
{
	void **p = pp;
	uint32_t c;
	void *q;

	if (n <= *cap)
		return 1;
	c = *cap ? *cap : 4;
	while (c < n)
		c *= 2;
	q = x86_alloc(*p, (size_t)c * size);
	if (!q)
		return x86_fail(u, X86_ENOMEM);
	*p = q;
	*cap = c;
	return 1;
}

int x86_error(const X86Unit *u)
{
	return u ? u->err : X86_ENOMEM;
}

const char *x86_errstr(int err)
{
	return err >= 0 && err < X86_NERR ? errtext[err] : "unknown error";
}

int x86_bits(int type)
{
	switch (type) {
	case X86_I8: return 8;
	case X86_I16: return 16;
	case X86_I32: return 32;
	case X86_I64: case X86_PTR: return 64;
	default: return 0;
	}
}

int x86_class(int type)
{
	if (type == X86_F64)
		return 2;
	return x86_bits(type) ? 1 : 0;
}

int64_t x86_norm(int type, int64_t v)
{
	switch (type) {
	case X86_I8: return (int8_t)v;
	case X86_I16: return (int16_t)v;
	case X86_I32: return (int32_t)v;
	default: return v;
	}
}

X86Exit *x86_leftearly(void)
{
	X86Exit *s = leftsite;

	leftsite = NULL;
	return s;
}

void x86_setleft(X86Exit *site)
{
	leftsite = site;
}

/* The address of this thread's left-early mark (the backend clears it
 * with an inline store). */
X86Exit **x86_leftaddr(void)
{
	return &leftsite;
}

/* Is u missing (allocation failed) or failed? */
static int dead(const X86Unit *u)
{
	return !u || u->err;
}

/* --- units, blocks, values ------------------------------------------------ */

/* A new value of type defined at (blk, idx); its ref, or X86_NONE. */
static X86Ref newval(X86Unit *u, int type, int kind, uint32_t blk,
                     uint32_t idx)
{
	RVal *v;

	if (!x86_grow(u, &u->val, &u->capval, u->nval + 1, sizeof *u->val))
		return X86_NONE;
	v = &u->val[u->nval];
	v->type = type;
	v->kind = kind;
	v->blk = blk;
	v->idx = idx;
	return X86_MKREF(XK_VAL, u->nval++);
}

/* Is t a type a value may have? */
static int valtype(int t)
{
	return t > X86_VOID && t < X86_NTYPE;
}

/* A block with nargs arguments; shared by x86_block and the entries. */
static int newblock(X86Unit *u, int nargs, const uint8_t *types)
{
	RBlock *bl;
	uint32_t n;
	int i;

	if (dead(u))
		return -1;
	if (nargs < 0 || (nargs && !types)) {
		x86_fail(u, X86_EINVAL);
		return -1;
	}
	for (i = 0; i < nargs; i++)
		if (!valtype(types[i])) {
			x86_fail(u, X86_EINVAL);
			return -1;
		}
	if (!x86_grow(u, &u->blk, &u->capblk, u->nblk + 1, sizeof *u->blk))
		return -1;
	n = u->nblk;
	bl = &u->blk[n];
	memset(bl, 0, sizeof *bl);
	bl->arg = u->nval;
	bl->narg = nargs;
	u->nblk++;
	for (i = 0; i < nargs; i++)
		if (!newval(u, types[i], XV_ARG, n, i))
			return -1;
	return n;
}

/* An empty unit (no blocks); NULL when out of memory. */
static X86Unit *emptyunit(int ret)
{
	X86Unit *u = x86_alloc(NULL, sizeof *u);

	if (!u)
		return NULL;
	memset(u, 0, sizeof *u);
	u->ret = ret;
	u->root = u;
	/* val[0] is unused so that no value ref is 0 */
	if (x86_grow(u, &u->val, &u->capval, 1, sizeof *u->val)) {
		memset(&u->val[0], 0, sizeof u->val[0]);
		u->nval = 1;
	}
	return u;
}

X86Unit *x86_newunit(int nparam, const uint8_t *params, int ret)
{
	X86Unit *u = emptyunit(ret);
	int i, ni = 0, nf = 0;

	if (!u)
		return NULL;
	if (ret < X86_VOID || ret >= X86_NTYPE || nparam < 0 || nparam > 14)
		x86_fail(u, X86_EINVAL);
	for (i = 0; i < nparam && params; i++) {
		if (params[i] == X86_F64)
			nf++;
		else
			ni++;
	}
	if (ni > X86_MAXPARAMS_INT || nf > X86_MAXPARAMS_F64)
		x86_fail(u, X86_EUNSUP);
	u->nparam = nparam;
	newblock(u, nparam, params);
	return u;
}

/* Free one unit's own memory (not its bridges). */
static void freeone(X86Unit *u)
{
	uint32_t i;

	if (x86_befree)
		x86_befree(u);
	for (i = 0; i < u->nblk; i++)
		free(u->blk[i].ins);
	for (i = 0; i < u->nsite; i++) {
		free(u->site[i]->cases);
		free(u->site[i]);
	}
	free(u->blk);
	free(u->val);
	free(u->con);
	free(u->ref);
	free(u->cas);
	free(u->slot);
	free(u->site);
	free(u->bridges);
	free(u);
}

void x86_free(X86Unit *u)
{
	uint32_t i;

	if (!u)
		return;
	if (u->root != u)
		return;
	for (i = 0; i < u->nbridge; i++)
		freeone(u->bridges[i]);
	u->nbridge = 0;
	freeone(u);
}

int x86_block(X86Unit *u, int nargs, const uint8_t *types)
{
	return newblock(u, nargs, types);
}

/* Is b a block of u that may still take operations?  Fails u if not. */
static int isopen(X86Unit *u, int b)
{
	if (dead(u))
		return 0;
	if (b < 0 || (uint32_t)b >= u->nblk || u->blk[b].x.kind != XE_NONE ||
	    u->frozen)
		return x86_fail(u, X86_EINVAL);
	return 1;
}

X86Ref x86_arg(X86Unit *u, int b, int i)
{
	if (dead(u))
		return X86_NONE;
	if (b < 0 || (uint32_t)b >= u->nblk || i < 0 ||
	    (uint32_t)i >= u->blk[b].narg) {
		x86_fail(u, X86_EINVAL);
		return X86_NONE;
	}
	return X86_MKREF(XK_VAL, u->blk[b].arg + i);
}

X86Ref x86_con(X86Unit *u, int type, int64_t v)
{
	RCon *c;

	if (dead(u))
		return X86_NONE;
	if (!valtype(type)) {
		x86_fail(u, X86_EINVAL);
		return X86_NONE;
	}
	if (!x86_grow(u, &u->con, &u->capcon, u->ncon + 1, sizeof *u->con))
		return X86_NONE;
	c = &u->con[u->ncon];
	c->type = type;
	c->v = x86_norm(type, v);
	return X86_MKREF(XK_CON, u->ncon++);
}

X86Ref x86_conf(X86Unit *u, double d)
{
	int64_t bits;

	memcpy(&bits, &d, sizeof bits);
	return x86_con(u, X86_F64, bits);
}

int x86_type(const X86Unit *u, X86Ref r)
{
	uint32_t i = X86_REFIDX(r);

	if (!u)
		return X86_VOID;
	switch (X86_REFKIND(r)) {
	case XK_VAL:
		return i < u->nval ? u->val[i].type : X86_VOID;
	case XK_CON:
		return i < u->ncon ? u->con[i].type : X86_VOID;
	default:
		return X86_VOID;
	}
}

int64_t x86_conval(const X86Unit *u, X86Ref r)
{
	return u->con[X86_REFIDX(r)].v;
}

/* --- operations ------------------------------------------------------------ */

/* Is r a valid operand of u (a value or a constant)? */
static int isref(const X86Unit *u, X86Ref r)
{
	return x86_type(u, r) != X86_VOID;
}

/* Append an op to block b; its result (if type is not void) gets a new
 * value.  Returns the op or NULL when the unit failed. */
static RIns *emit(X86Unit *u, int b, int op, int type, int hasres)
{
	RBlock *bl;
	RIns *in;
	X86Ref r = X86_NONE;

	if (!isopen(u, b))
		return NULL;
	bl = &u->blk[b];
	if (!x86_grow(u, &bl->ins, &bl->capins, bl->nins + 1, sizeof *bl->ins))
		return NULL;
	if (hasres && !(r = newval(u, type, XV_OP, b, bl->nins)))
		return NULL;
	bl = &u->blk[b];
	in = &bl->ins[bl->nins++];
	memset(in, 0, sizeof *in);
	in->op = op;
	in->type = type;
	in->res = r;
	return in;
}

/* Same integer/float class and width, treating ptr as i64. */
static int sametype(int t1, int t2)
{
	if (t1 == X86_PTR)
		t1 = X86_I64;
	if (t2 == X86_PTR)
		t2 = X86_I64;
	return t1 == t2 && t1 != X86_VOID;
}

X86Ref x86_op2(X86Unit *u, int b, int op, X86Ref a, X86Ref c)
{
	int ta, type;
	RIns *in;

	if (dead(u))
		return X86_NONE;
	ta = x86_type(u, a);
	if (op < 0 || op >= XR_NOP || x86_opinfo[op].nargs != 2 ||
	    op == XR_LOAD || !sametype(ta, x86_type(u, c)) ||
	    (x86_opinfo[op].props & XP_FLOAT ? ta != X86_F64 : ta == X86_F64)) {
		x86_fail(u, X86_EINVAL);
		return X86_NONE;
	}
	type = x86_opinfo[op].props & XP_CMP ? X86_I8 : ta;
	if (!(in = emit(u, b, op, type, 1)))
		return X86_NONE;
	in->a = a;
	in->b = c;
	return in->res;
}

/* Is a cast of op from type from to type to allowed? */
static int castok(int op, int from, int to)
{
	int bf = x86_bits(from), bt = x86_bits(to);

	switch (op) {
	case XR_SEXT: case XR_ZEXT: return bf && bt && bt >= bf;
	case XR_TRUNC: return bf && bt && bt <= bf;
	case XR_SITOF: return bf && to == X86_F64;
	case XR_FTOSI: return from == X86_F64 && bt;
	case XR_BITCAST:
		return (bf == 64 || from == X86_F64) &&
		       (bt == 64 || to == X86_F64);
	case XR_FNEG: return from == X86_F64 && to == X86_F64;
	default: return 0;
	}
}

X86Ref x86_op1(X86Unit *u, int b, int op, int type, X86Ref a)
{
	RIns *in;

	if (dead(u))
		return X86_NONE;
	if (op < 0 || op >= XR_NOP || !castok(op, x86_type(u, a), type)) {
		x86_fail(u, X86_EINVAL);
		return X86_NONE;
	}
	if (!(in = emit(u, b, op, type, 1)))
		return X86_NONE;
	in->a = a;
	return in->res;
}

X86Ref x86_select(X86Unit *u, int b, X86Ref cond, X86Ref a, X86Ref c)
{
	RIns *in;
	int ta;

	if (dead(u))
		return X86_NONE;
	ta = x86_type(u, a);
	if (x86_class(x86_type(u, cond)) != 1 || !sametype(ta, x86_type(u, c))) {
		x86_fail(u, X86_EINVAL);
		return X86_NONE;
	}
	if (!(in = emit(u, b, XR_SELECT, ta, 1)))
		return X86_NONE;
	in->a = cond;
	in->b = a;
	in->c = c;
	return in->res;
}

/* log2 of a scale of 1, 2, 4 or 8; -1 otherwise. */
static int log2scale(int scale)
{
	switch (scale) {
	case 1: return 0;
	case 2: return 1;
	case 4: return 2;
	case 8: return 3;
	default: return -1;
	}
}

/* Check an address; 0 and fail if bad. */
static int addrok(X86Unit *u, X86Ref base, X86Ref index, int scale)
{
	if (x86_bits(x86_type(u, base)) != 64 || log2scale(scale) < 0 ||
	    (index && x86_bits(x86_type(u, index)) != 64))
		return x86_fail(u, X86_EINVAL);
	return 1;
}

X86Ref x86_load(X86Unit *u, int b, int type, X86Ref base, X86Ref index,
                int scale, int32_t off)
{
	RIns *in;

	if (dead(u) || !addrok(u, base, index, scale))
		return X86_NONE;
	if (!valtype(type)) {
		x86_fail(u, X86_EINVAL);
		return X86_NONE;
	}
	if (!(in = emit(u, b, XR_LOAD, type, 1)))
		return X86_NONE;
	in->a = base;
	in->b = index;
	in->scale = log2scale(scale);
	in->off = off;
	return in->res;
}

void x86_store(X86Unit *u, int b, X86Ref v, X86Ref base, X86Ref index,
               int scale, int32_t off)
{
	RIns *in;

	if (dead(u) || !addrok(u, base, index, scale))
		return;
	if (!isref(u, v)) {
		x86_fail(u, X86_EINVAL);
		return;
	}
	if (!(in = emit(u, b, XR_STORE, x86_type(u, v), 0)))
		return;
	in->a = base;
	in->b = index;
	in->c = v;
	in->scale = log2scale(scale);
	in->off = off;
}

X86Ref x86_slot(X86Unit *u, int b, int32_t size, int align)
{
	RIns *in;
	RSlot *s;

	if (dead(u))
		return X86_NONE;
	if (size <= 0 || size > (1 << 24) || align < 1 || align > 16 ||
	    (align & (align - 1))) {
		x86_fail(u, X86_EINVAL);
		return X86_NONE;
	}
	if (!x86_grow(u, &u->slot, &u->capslot, u->nslot + 1, sizeof *u->slot))
		return X86_NONE;
	if (!(in = emit(u, b, XR_SLOT, X86_PTR, 1)))
		return X86_NONE;
	s = &u->slot[u->nslot];
	s->size = size;
	s->align = align;
	in->off = u->nslot++;
	return in->res;
}

/* Copy n refs into the pool; returns the first index, and 0 with the unit
 * failed when out of memory or a ref is bad. */
static int pool(X86Unit *u, int n, const X86Ref *r, uint32_t *first)
{
	int i;

	if (n < 0 || (n && !r))
		return x86_fail(u, X86_EINVAL);
	for (i = 0; i < n; i++)
		if (!isref(u, r[i]))
			return x86_fail(u, X86_EINVAL);
	if (!x86_grow(u, &u->ref, &u->capref, u->nref + n, sizeof *u->ref))
		return 0;
	*first = u->nref;
	if (n)
		memcpy(&u->ref[u->nref], r, n * sizeof *r);
	u->nref += n;
	return 1;
}

X86Ref x86_call(X86Unit *u, int b, int ret, X86Ref fn, int nargs,
                const X86Ref *args)
{
	uint32_t first = 0;
	RIns *in;

	if (dead(u))
		return X86_NONE;
	if (ret < X86_VOID || ret >= X86_NTYPE ||
	    x86_bits(x86_type(u, fn)) != 64 || nargs > X86_MAXCALLARGS) {
		x86_fail(u, X86_EINVAL);
		return X86_NONE;
	}
	if (!pool(u, nargs, args, &first))
		return X86_NONE;
	if (!(in = emit(u, b, XR_CALL, ret, ret != X86_VOID)))
		return X86_NONE;
	in->a = fn;
	in->arg = first;
	in->narg = nargs;
	return in->res;
}

/* --- terminators ----------------------------------------------------------- */

/* The exit of open block b, or NULL (unit failed). */
static RExit *term(X86Unit *u, int b, int kind)
{
	RExit *x;

	if (!isopen(u, b))
		return NULL;
	x = &u->blk[b].x;
	memset(x, 0, sizeof *x);
	x->kind = kind;
	return x;
}

/* Is `to` a block of u?  With args, may it be jumped to with them? */
static int target(X86Unit *u, uint32_t to)
{
	return to > 0 && to < u->nblk;
}

void x86_ret(X86Unit *u, int b, X86Ref v)
{
	RExit *x;

	if (dead(u))
		return;
	if (u->ret == X86_VOID ? v != X86_NONE
	                       : !sametype(u->root->ret, x86_type(u, v))) {
		x86_fail(u, X86_EINVAL);
		return;
	}
	if ((x = term(u, b, XE_RET)))
		x->val = v;
}

/* Do the refs r[0..n) match the argument types of block `to` of t? */
static int argsmatch(X86Unit *u, X86Unit *t, uint32_t to, int n,
                     const X86Ref *r)
{
	RBlock *bl = &t->blk[to];
	int i;

	if ((uint32_t)n != bl->narg)
		return 0;
	for (i = 0; i < n; i++)
		if (!sametype(x86_type(u, r[i]), t->val[bl->arg + i].type))
			return 0;
	return 1;
}

void x86_jump(X86Unit *u, int b, int to, int nargs, const X86Ref *args)
{
	uint32_t first = 0;
	RExit *x;

	if (dead(u))
		return;
	if (!target(u, to) || !argsmatch(u, u, to, nargs, args)) {
		x86_fail(u, X86_EINVAL);
		return;
	}
	if (!isopen(u, b) || !pool(u, nargs, args, &first))
		return;
	if ((x = term(u, b, XE_JUMP))) {
		x->to[0] = to;
		x->arg = first;
		x->narg = nargs;
	}
}

/* Is `to` a block of u without arguments? */
static int plaintarget(X86Unit *u, int to)
{
	return to >= 0 && target(u, to) && u->blk[to].narg == 0;
}

void x86_branch(X86Unit *u, int b, X86Ref cond, int ifso, int ifnot)
{
	RExit *x;

	if (dead(u))
		return;
	if (x86_class(x86_type(u, cond)) != 1 || !plaintarget(u, ifso) ||
	    !plaintarget(u, ifnot)) {
		x86_fail(u, X86_EINVAL);
		return;
	}
	if ((x = term(u, b, XE_BRANCH))) {
		x->val = cond;
		x->to[0] = ifso;
		x->to[1] = ifnot;
	}
}

void x86_switch(X86Unit *u, int b, X86Ref v, int ncase,
                const int64_t *cases, const int *to, int dflt)
{
	RExit *x;
	int i, t;

	if (dead(u))
		return;
	t = x86_type(u, v);
	if (x86_class(t) != 1 || ncase < 0 || (ncase && (!cases || !to)) ||
	    !plaintarget(u, dflt)) {
		x86_fail(u, X86_EINVAL);
		return;
	}
	for (i = 0; i < ncase; i++)
		if (!plaintarget(u, to[i])) {
			x86_fail(u, X86_EINVAL);
			return;
		}
	if (!isopen(u, b) ||
	    !x86_grow(u, &u->cas, &u->capcas, u->ncas + ncase, sizeof *u->cas))
		return;
	if (!(x = term(u, b, XE_SWITCH)))
		return;
	x->val = v;
	x->to[0] = dflt;
	x->cas = u->ncas;
	x->ncas = ncase;
	for (i = 0; i < ncase; i++) {
		u->cas[u->ncas].val = x86_norm(t, cases[i]);
		u->cas[u->ncas++].to = to[i];
	}
}

/* A new site terminating block b; shared by stubs and flexswitches. */
static X86Exit *newsite(X86Unit *u, int b, int kind, X86Ref v, int nlive,
                        const X86Ref *live, X86ExitFn *fn, void *opaque)
{
	uint32_t first = 0;
	X86Exit *s;
	RExit *x;

	if (dead(u))
		return NULL;
	if (!fn) {
		x86_fail(u, X86_EINVAL);
		return NULL;
	}
	if (!isopen(u, b) || !pool(u, nlive, live, &first) ||
	    !x86_grow(u, &u->site, &u->capsite, u->nsite + 1, sizeof *u->site))
		return NULL;
	if (!(s = x86_alloc(NULL, sizeof *s))) {
		x86_fail(u, X86_ENOMEM);
		return NULL;
	}
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->unit = u;
	s->blk = b;
	s->id = u->nsite;
	s->fn = fn;
	s->opaque = opaque;
	u->site[u->nsite++] = s;
	x = term(u, b, kind);
	x->val = v;
	x->arg = first;
	x->narg = nlive;
	x->site = s;
	return s;
}

X86Exit *x86_exitstub(X86Unit *u, int b, int nlive, const X86Ref *live,
                      X86ExitFn *fn, void *opaque)
{
	return newsite(u, b, XE_STUB, X86_NONE, nlive, live, fn, opaque);
}

X86Exit *x86_flexswitch(X86Unit *u, int b, X86Ref v, int nlive,
                        const X86Ref *live, X86ExitFn *fn, void *opaque)
{
	if (dead(u))
		return NULL;
	if (x86_class(x86_type(u, v)) != 1) {
		x86_fail(u, X86_EINVAL);
		return NULL;
	}
	return newsite(u, b, XE_FLEX, v, nlive, live, fn, opaque);
}

int x86_findcase(const X86Exit *site, int64_t value)
{
	uint32_t i;

	for (i = 0; i < site->ncase; i++)
		if (site->cases[i].val == value)
			return i;
	return -1;
}

/* Append a case; 0 when out of memory. */
static int pushcase(X86Exit *s, int64_t value, uint32_t to, X86Unit *br)
{
	RFlexCase *c;
	uint32_t cap;

	if (s->ncase == s->capcase) {
		cap = s->capcase ? s->capcase * 2 : 4;
		c = x86_alloc(s->cases, cap * sizeof *c);
		if (!c)
			return 0;
		s->cases = c;
		s->capcase = cap;
	}
	c = &s->cases[s->ncase++];
	c->val = value;
	c->to = to;
	c->bridge = br;
	return 1;
}

int x86_addcase(X86Exit *site, int64_t value, X86Unit *bridge)
{
	return pushcase(site, value, X86_NOBLK, bridge);
}

void x86_flexcase(X86Exit *site, int64_t value, int to)
{
	X86Unit *u;
	int64_t v;

	if (!site || site->unit->err)
		return;
	u = site->unit;
	v = x86_norm(x86_type(u, u->blk[site->blk].x.val), value);
	if (site->kind != XE_FLEX || u->frozen || !plaintarget(u, to) ||
	    x86_findcase(site, v) >= 0) {
		x86_fail(u, X86_EINVAL);
		return;
	}
	if (!pushcase(site, v, to, NULL))
		x86_fail(u, X86_ENOMEM);
}

void x86_reentry(X86Unit *u, int b)
{
	if (dead(u))
		return;
	if (!target(u, b)) {
		x86_fail(u, X86_EINVAL);
		return;
	}
	u->blk[b].reentry = 1;
}

/* Is t u itself or an ancestor of u (through the bridges' sites)?  A jump
 * may also go to any frozen (compiled or run) unit of the same tree: each
 * unit's frame area lies below the older ones (timeshift: bridges that
 * reach code a sibling compiled). */
static int ancestor(const X86Unit *t, const X86Unit *u)
{
	for (; u; u = u->from ? u->from->unit : NULL)
		if (u == t)
			return 1;
	return 0;
}

void x86_jumpunit(X86Unit *u, int b, X86Unit *t, int to, int nargs,
                  const X86Ref *args)
{
	uint32_t first = 0;
	RExit *x;

	if (dead(u))
		return;
	if (!t || t->root != u->root || (!ancestor(t, u) && !t->frozen) || !target(t, to) ||
	    !t->blk[to].reentry || !argsmatch(u, t, to, nargs, args)) {
		x86_fail(u, X86_EINVAL);
		return;
	}
	if (!isopen(u, b) || !pool(u, nargs, args, &first))
		return;
	if ((x = term(u, b, XE_JUMPUNIT))) {
		x->to[0] = to;
		x->unit = t;
		x->arg = first;
		x->narg = nargs;
	}
}

/* --- bridges ------------------------------------------------------------- */

X86Unit *x86_bridge(X86Exit *site)
{
	X86Unit *p, *root, *br;
	uint8_t types[256];
	RExit *x;
	uint32_t i;

	if (!site)
		return NULL;
	p = site->unit;
	root = p->root;
	x = &p->blk[site->blk].x;
	if (x->narg > sizeof types)
		return NULL;
	for (i = 0; i < x->narg; i++)
		types[i] = x86_type(p, p->ref[x->arg + i]);
	if (!x86_grow(root, &root->bridges, &root->capbridge,
	              root->nbridge + 1, sizeof *root->bridges))
		return NULL;
	if (!(br = emptyunit(root->ret)))
		return NULL;
	br->root = root;
	br->from = site;
	br->nparam = 0;
	root->bridges[root->nbridge++] = br;
	br->id = root->nbridge;
	newblock(br, x->narg, types);
	return br;
}

X86Unit *x86_siteunit(const X86Exit *site)
{
	return site->unit;
}

int x86_sitenlive(const X86Exit *site)
{
	return site->unit->blk[site->blk].x.narg;
}

/* --- checks ---------------------------------------------------------------- */

int x86_verify(X86Unit *u)
{
	uint32_t i;

	if (dead(u))
		return x86_error(u);
	if (!u->nblk)
		return x86_fail(u, X86_EINVAL), u->err;
	for (i = 0; i < u->nblk; i++)
		if (u->blk[i].x.kind == XE_NONE)
			return x86_fail(u, X86_EINVAL), u->err;
	return X86_OK;
}

int x86_countops(const X86Unit *u, int op)
{
	uint32_t i, j;
	int n = 0;

	for (i = 0; u && i < u->nblk; i++)
		for (j = 0; j < u->blk[i].nins; j++)
			n += u->blk[i].ins[j].op == op;
	return n;
}
