/*
 * isel.c: instruction selection, one residual operation at a time
 * (lw_op), for lower.c's pass over the blocks.
 *
 * Inside a block, values are cached in registers by the fast local
 * allocator of regalloc.c (ra_*); a value with a register across blocks
 * (rhome[], from ra_global) is computed straight into it.  Calls evict
 * caller-saved registers; division evicts rax/rdx; variable shifts evict
 * rcx.  r11 and xmm15 are scratch registers, never allocated.
 *
 * Integer values are kept sign-extended to 64 bits in registers and homes
 * (the raw form of x86.h), so compares of every width use 64-bit cmp and
 * narrow arithmetic is done in 64 bits and re-normalised.
 *
 * Local improvements: constants become immediates and displacements where
 * they fit; a value loaded from its home stays cached for the rest of the
 * block; a result nobody uses is not kept in a register.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "backend.h"
#include "opt.h"

const uint8_t lw_argregs[6] = {X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8,
	X86_R9};
const uint8_t lw_calleesaved[5] = {X86_RBX, X86_R12, X86_R13, X86_R14,
	X86_R15};

/* --- operands ------------------------------------------------------------ */

/* Is r a constant that fits a sign-extended imm32? */
static int isimm(X86Ctx *c, X86Ref r)
{
	int64_t v;

	if (!iscon(r) || ra_isf(rtype(c, r)))
		return 0;
	v = conval(c, r);
	return v >= INT32_MIN && v <= INT32_MAX;
}

/* Load operand r into register dst (of its class).  dst may be r11 or
 * xmm15 (scratch). */
void lw_loadto(X86Ctx *c, X86Ref r, int dst)
{
	uint32_t v;
	int64_t k;

	if (iscon(r)) {
		k = conval(c, r);
		if (dst >= 16) {
			if (k == 0) {
				x86_oprr(&c->b, XO_XORPD, 4, dst - 16, dst - 16);
			} else {
				x86_movri(&c->b, X86_R11, k);
				x86_oprr(&c->b, XO_MOVQXG, 8, dst - 16, X86_R11);
			}
		} else if (k == 0) {
			x86_alurr(&c->b, XO_XOR, 4, dst, dst);
		} else {
			x86_movri(&c->b, dst, k);
		}
		return;
	}
	v = X86_REFIDX(r);
	if (c->reg[v] >= 0) {
		lw_movrr(c, dst, c->reg[v]);
		return;
	}
	if (!c->bu->home[v]) {
		x86_fail(c->u, X86_EINVAL); /* a lost value: a backend bug */
		return;
	}
	if (dst >= 16)
		x86_oprm(&c->b, XO_MOVSD, 4, dst - 16, rbpmem(c->bu->home[v]));
	else
		x86_alurm(&c->b, XO_MOV, 8, dst, rbpmem(c->bu->home[v]));
}

/* use() when r is not in a register: load it into a free one. */
static int useload(X86Ctx *c, X86Ref r)
{
	int reg = ra_alloc(c, rtype(c, r), 0);

	lw_loadto(c, r, reg);
	if (!iscon(r))
		ra_bind(c, X86_REFIDX(r), reg);
	c->lock |= 1u << reg;
	return reg;
}

/* A register holding operand r (loaded if needed), locked for this op. */
static inline int use(X86Ctx *c, X86Ref r)
{
	int reg;

	if (!iscon(r) && (reg = c->reg[X86_REFIDX(r)]) >= 0) {
		c->lock |= 1u << reg;
		return reg;
	}
	return useload(c, r);
}

/* The register the current op's result lives in across blocks, if it has
 * one and no operand fetched for this op holds it; else -1. */
static inline int reshome(X86Ctx *c)
{
	int h = c->rhome[X86_REFIDX(c->in->res)]; /* rhome[0] is -1 */

	return h >= 0 && !(c->lock >> h & 1) ? h : -1;
}

/* A register for the result of the current op computed from scratch: its
 * own register across blocks if it has one, else a free one. */
static int resreg(X86Ctx *c, int type)
{
	int r = reshome(c);

	if (r < 0)
		r = ra_alloc(c, type, 0);
	c->lock |= 1u << r;
	return r;
}

/* A register for the result of the current op, which will be computed
 * from operand a: a's own register when a dies here (for a value with a
 * register across blocks: when the result was given the same one), else a
 * copy, in the result's own register if it has one. */
static int resfrom(X86Ctx *c, X86Ref a, int type)
{
	int r, h = c->rhome[X86_REFIDX(c->in->res)];
	uint32_t v;

	if (!iscon(a)) {
		v = X86_REFIDX(a);
		if (h >= 0 && c->rhome[v] == h) {
			c->lock |= 1u << h;
			return h;
		}
		if ((r = c->reg[v]) >= 0 && c->rhome[v] < 0 && !ra_liveafter(c, a)) {
			ra_drop(c, r);
			c->lock |= 1u << r;
			return r;
		}
	}
	r = h >= 0 && !(c->lock >> h & 1) ? h : ra_alloc(c, type, 0);
	lw_loadto(c, a, r);
	c->lock |= 1u << r;
	return r;
}

/* Move register s to register d (same class). */
void lw_movrr(X86Ctx *c, int d, int s)
{
	if (d == s)
		return;
	if (d >= 16)
		x86_oprr(&c->b, XO_MOVAPD, 4, d - 16, s - 16);
	else
		x86_alurr(&c->b, XO_MOV, 8, d, s);
}

/* The current op's result value v is now in register r. */
static void def(X86Ctx *c, uint32_t v, int r)
{
	if (c->rhome[v] >= 0) { /* it lives in its register */
		lw_movrr(c, c->rhome[v], r);
		return;
	}
	if (c->glob[v]) { /* written through to its home */
		ra_bindnew(c, v, r);
		if (r >= 16)
			x86_oprm(&c->b, XO_MOVSDST, 4, r - 16, rbpmem(c->bu->home[v]));
		else
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(c->bu->home[v]), r);
	} else if (c->hi[v] > c->cur) { /* else never used: r stays free */
		ra_bindnew(c, v, r);
	}
}

/* Sign-extend register r from the width of type (the raw form). */
void lw_norm(X86Ctx *c, int r, int type)
{
	switch (type) {
	case X86_I8: x86_oprr(&c->b, XO_MOVSX8, 8, r, r); break;
	case X86_I16: x86_oprr(&c->b, XO_MOVSX16, 8, r, r); break;
	case X86_I32: x86_oprr(&c->b, XO_MOVSXD, 8, r, r); break;
	}
}

/* Zero-extend register r from the width of type. */
static void zext(X86Ctx *c, int r, int type)
{
	switch (type) {
	case X86_I8: x86_movzx8(&c->b, r, r); break;
	case X86_I16: x86_oprr(&c->b, XO_MOVZX16, 4, r, r); break;
	case X86_I32: x86_alurr(&c->b, XO_MOV, 4, r, r); break;
	}
}

/* Is operand r a lazy value: its register may hold garbage above its
 * width (opt.c decided every use reads only the low bits)? */
static inline int dirty(X86Ref r)
{
	return X86_REFKIND(r) == XK_VAL &&
	       x86_os.lazy[X86_REFIDX(r)] == LZ_CAND;
}

/* Is operand r a value whose raw form is also its zero extension (a
 * compare's 0/1, a zext's result)? */
static int nonneg(X86Ctx *c, X86Ref r)
{
	RVal *v;
	int op;

	if (X86_REFKIND(r) != XK_VAL || !(x86_os.mode & OPT_ISEL))
		return 0;
	v = &c->u->val[X86_REFIDX(r)];
	if (v->kind != XV_OP)
		return 0;
	op = c->u->blk[v->blk].ins[v->idx].op;
	return op == XR_ZEXT || ((x86_opinfo[op].props & XP_CMP) != 0);
}

/* A register holding operand r, locked for this op (use(), for lower.c). */
int lw_use(X86Ctx *c, X86Ref r)
{
	return use(c, r);
}

/* --- operations ------------------------------------------------------------ */

static const X86Op aluop[] = {
	[XR_ADD] = XO_ADD, [XR_SUB] = XO_SUB, [XR_AND] = XO_AND,
	[XR_OR] = XO_OR, [XR_XOR] = XO_XOR,
};

/* add sub and or xor mul. */
static __attribute__((noinline)) void binop(X86Ctx *c, RIns *in)
{
	int r, s, t = in->type, lz = x86_os.lazy[X86_REFIDX(in->res)] == LZ_CAND;
	int sz = lz ? 4 : 8; /* a lazy narrow result: 32-bit ops, no movsx */

	if ((x86_opinfo[in->op].props & XP_COMM) && !iscon(in->b) &&
	    (iscon(in->a) || (c->rhome[X86_REFIDX(in->b)] >= 0 &&
	                      c->rhome[X86_REFIDX(in->b)] ==
	                      c->rhome[X86_REFIDX(in->res)]))) {
		X86Ref x = in->a;
		in->a = in->b, in->b = x; /* and their last-use flags */
		in->pad = (uint8_t)((in->pad & ~3) | (in->pad & 1) << 1 |
		                    (in->pad >> 1 & 1));
	}
	if (!iscon(in->b))
		use(c, in->b);
	r = resfrom(c, in->a, t);
	/* b may be a itself, whose register r now is */
	s = in->b == in->a ? r : iscon(in->b) ? -1 : use(c, in->b);
	if (in->op == XR_MUL) {
		if (s < 0 && isimm(c, in->b))
			x86_imulrri(&c->b, sz, r, r, (int32_t)conval(c, in->b));
		else
			x86_oprr(&c->b, XO_IMUL, sz, r, s < 0 ? use(c, in->b) : s);
	} else if (s < 0 && isimm(c, in->b)) {
		x86_aluri(&c->b, aluop[in->op], sz, r, (int32_t)conval(c, in->b));
	} else {
		x86_alurr(&c->b, aluop[in->op], sz, r, s < 0 ? use(c, in->b) : s);
	}
	if (!lz && (in->op == XR_ADD || in->op == XR_SUB || in->op == XR_MUL ||
	            dirty(in->a) || dirty(in->b)))
		lw_norm(c, r, t);
	def(c, X86_REFIDX(in->res), r);
	if (in->op != XR_MUL && bits(t) == 8 * sz) { /* ZF tells res == 0 */
		c->zfval = X86_REFIDX(in->res);
		c->zfpos = c->b.len;
	}
}

/* Evict register r for the current op (saving a value needed later). */
static void claim(X86Ctx *c, int r)
{
	ra_free(c, r);
	c->lock |= 1u << r;
}

/* sdiv udiv srem urem: 64-bit div on extended operands in rax:rdx. */
static __attribute__((noinline)) void divop(X86Ctx *c, RIns *in)
{
	int t = in->type, sgn = in->op == XR_SDIV || in->op == XR_SREM;
	int r;

	claim(c, X86_RAX);
	claim(c, X86_RDX);
	lw_loadto(c, in->a, X86_RAX);
	lw_loadto(c, in->b, X86_R11);
	if (!sgn) {
		zext(c, X86_RAX, t);
		zext(c, X86_R11, t);
		x86_alurr(&c->b, XO_XOR, 4, X86_RDX, X86_RDX);
		x86_unary(&c->b, XO_DIV, 8, X86_R11);
	} else {
		x86_cqo(&c->b);
		x86_unary(&c->b, XO_IDIV, 8, X86_R11);
	}
	r = (in->op == XR_SDIV || in->op == XR_UDIV) ? X86_RAX : X86_RDX;
	lw_norm(c, r, t);
	def(c, X86_REFIDX(in->res), r);
}

/* shl lshr ashr: the amount modulo the width. */
static __attribute__((noinline)) void shiftop(X86Ctx *c, RIns *in)
{
	int t = in->type, w = bits(t), r, sz = w == 64 ? 8 : w == 32 ? 4 : 8;
	X86Op op = in->op == XR_SHL ? XO_SHL : in->op == XR_LSHR ? XO_SHR : XO_SAR;

	if (!iscon(in->b)) {
		claim(c, X86_RCX);
		lw_loadto(c, in->b, X86_RCX);
	}
	r = resfrom(c, in->a, t);
	if (in->op == XR_LSHR && w < 64)
		zext(c, r, t);
	if (iscon(in->b)) {
		int n = (int)(conval(c, in->b) & (w - 1));
		if (n)
			x86_shiftri(&c->b, op, sz, r, n);
	} else {
		if (w < 32)
			x86_aluri(&c->b, XO_AND, 4, X86_RCX, w - 1);
		x86_shiftrc(&c->b, op, sz, r);
	}
	lw_norm(c, r, t);
	def(c, X86_REFIDX(in->res), r);
}

static const uint8_t cmpcc[] = {
	[XR_EQ] = X86_CC_E, [XR_NE] = X86_CC_NE, [XR_SLT] = X86_CC_L,
	[XR_SLE] = X86_CC_LE, [XR_SGT] = X86_CC_G, [XR_SGE] = X86_CC_GE,
	[XR_ULT] = X86_CC_B, [XR_ULE] = X86_CC_BE, [XR_UGT] = X86_CC_A,
	[XR_UGE] = X86_CC_AE,
};

/* The condition code with its operands swapped (a < b == b > a). */
static int swapcc(int cc)
{
	switch (cc) {
	case X86_CC_L: return X86_CC_G;
	case X86_CC_G: return X86_CC_L;
	case X86_CC_LE: return X86_CC_GE;
	case X86_CC_GE: return X86_CC_LE;
	case X86_CC_B: return X86_CC_A;
	case X86_CC_A: return X86_CC_B;
	case X86_CC_BE: return X86_CC_AE;
	case X86_CC_AE: return X86_CC_BE;
	}
	return cc;
}

/* Emit the compare of an integer compare op; returns its condition. */
int lw_cmpflags(X86Ctx *c, RIns *in)
{
	int cc = cmpcc[in->op], sz = 8;
	X86Ref a = in->a, b = in->b;

	if (x86_os.flagsin == in && x86_os.flagspos == c->b.len)
		return x86_os.flagscc; /* the load before compared memory */
	if (iscon(a) && !iscon(b)) {
		a = in->b, b = in->a;
		cc = swapcc(cc);
	}
	if (x86_os.mode & OPT_ISEL) /* compare at the operands' width */
		sz = bits(rtype(c, a)) / 8;
	if (isimm(c, b) && conval(c, b) == 0 && (cc == X86_CC_E || cc == X86_CC_NE) &&
	    c->zfpos == c->b.len && a == X86_MKREF(XK_VAL, c->zfval)) {
		; /* the op that computed a just set ZF */
	} else if (isimm(c, b)) {
		int ra = use(c, a);
		if (conval(c, b) == 0) /* same flags as cmp ra, 0 */
			x86_alurr(&c->b, XO_TEST, sz, ra, ra);
		else
			x86_aluri(&c->b, XO_CMP, sz, ra, (int32_t)conval(c, b));
	} else {
		int ra = use(c, a), rb = use(c, b);
		x86_alurr(&c->b, XO_CMP, sz, ra, rb);
	}
	return cc;
}

/* An integer compare: setcc + movzx. */
static __attribute__((noinline)) void cmpop(X86Ctx *c, RIns *in)
{
	int cc = lw_cmpflags(c, in);
	int r = resreg(c, X86_I64);

	x86_setcc(&c->b, cc, r);
	x86_movzx8(&c->b, r, r);
	def(c, X86_REFIDX(in->res), r);
}

/* f64 compares: ucomisd and one or two flag tests. */
static __attribute__((noinline)) void fcmpop(X86Ctx *c, RIns *in)
{
	X86Ref x = in->a, y = in->b;
	int cc = X86_CC_A, r, rx, ry;

	if (in->op == XR_FLT || in->op == XR_FLE)
		x = in->b, y = in->a;
	if (in->op == XR_FLE || in->op == XR_FGE)
		cc = X86_CC_AE;
	rx = use(c, x);
	ry = use(c, y);
	x86_oprr(&c->b, XO_UCOMISD, 4, rx - 16, ry - 16);
	r = resreg(c, X86_I64);
	if (in->op == XR_FEQ) {
		x86_setcc(&c->b, X86_CC_E, r);
		x86_setcc(&c->b, X86_CC_NP, X86_R11);
		x86_alurr(&c->b, XO_AND, 1, r, X86_R11);
	} else if (in->op == XR_FNE) {
		x86_setcc(&c->b, X86_CC_NE, r);
		x86_setcc(&c->b, X86_CC_P, X86_R11);
		x86_alurr(&c->b, XO_OR, 1, r, X86_R11);
	} else {
		x86_setcc(&c->b, cc, r);
	}
	x86_movzx8(&c->b, r, r);
	def(c, X86_REFIDX(in->res), r);
}

/* fadd fsub fmul fdiv fneg. */
static __attribute__((noinline)) void fop(X86Ctx *c, RIns *in)
{
	static const X86Op op[] = {[XR_FADD] = XO_ADDSD, [XR_FSUB] = XO_SUBSD,
		[XR_FMUL] = XO_MULSD, [XR_FDIV] = XO_DIVSD};
	int r, s;

	if (in->op == XR_FNEG) {
		r = resfrom(c, in->a, X86_F64);
		x86_movri(&c->b, X86_R11, INT64_MIN);
		x86_oprr(&c->b, XO_MOVQXG, 8, 15, X86_R11);
		x86_oprr(&c->b, XO_XORPD, 4, r - 16, 15);
	} else {
		if (!iscon(in->b))
			use(c, in->b);
		r = resfrom(c, in->a, X86_F64);
		if (in->b == in->a) {
			s = r;
		} else if (iscon(in->b)) {
			lw_loadto(c, in->b, XMM(15));
			s = XMM(15);
		} else {
			s = use(c, in->b);
		}
		x86_oprr(&c->b, op[in->op], 4, r - 16, s - 16);
	}
	def(c, X86_REFIDX(in->res), r);
}

/* sext zext trunc sitof ftosi bitcast. */
static __attribute__((noinline)) void castop(X86Ctx *c, RIns *in)
{
	int from = rtype(c, in->a), to = in->type, r, s;

	switch (in->op) {
	case XR_SEXT:
		r = resfrom(c, in->a, to);
		if (dirty(in->a))
			lw_norm(c, r, from);
		break;
	case XR_ZEXT: /* zero-extended from a narrower width: raw already */
		r = resfrom(c, in->a, to);
		if (!(x86_os.mode & OPT_ISEL) || bits(from) >= bits(to)) {
			zext(c, r, from);
			lw_norm(c, r, to);
		} else if (!nonneg(c, in->a)) {
			zext(c, r, from);
		}
		break;
	case XR_TRUNC:
		r = resfrom(c, in->a, to);
		lw_norm(c, r, to);
		break;
	case XR_SITOF:
		s = use(c, in->a);
		r = resreg(c, X86_F64);
		x86_oprr(&c->b, XO_CVTSI2SD, 8, r - 16, s);
		break;
	case XR_FTOSI:
		s = use(c, in->a);
		r = resreg(c, to);
		x86_oprr(&c->b, XO_CVTTSD2SI, to == X86_I64 || to == X86_PTR ? 8 : 4,
		         r, s - 16);
		lw_norm(c, r, to);
		break;
	default: /* bitcast */
		if (ra_isf(from) == ra_isf(to)) {
			r = resfrom(c, in->a, to);
		} else {
			s = use(c, in->a);
			r = resreg(c, to);
			if (ra_isf(to))
				x86_oprr(&c->b, XO_MOVQXG, 8, r - 16, s);
			else
				x86_oprr(&c->b, XO_MOVQGX, 8, s - 16, r);
		}
	}
	def(c, X86_REFIDX(in->res), r);
}

/* select cond, a, b. */
static __attribute__((noinline)) void selectop(X86Ctx *c, RIns *in)
{
	int t = in->type, rc, ra, r;
	uint32_t at;

	rc = use(c, in->a);
	if (ra_isf(t)) {
		ra = use(c, in->b);
		r = resfrom(c, in->c, t);
		x86_alurr(&c->b, XO_TEST, 8, rc, rc);
		at = x86_jcc8(&c->b, X86_CC_E, 0);
		x86_oprr(&c->b, XO_MOVAPD, 4, r - 16, ra - 16);
		x86_setrel8(&c->b, at, c->b.len);
	} else {
		ra = use(c, in->b);
		r = resfrom(c, in->c, t);
		x86_alurr(&c->b, XO_TEST, 8, rc, rc);
		x86_cmov(&c->b, X86_CC_NE, 8, r, ra);
	}
	def(c, X86_REFIDX(in->res), r);
}

/* The memory operand of a load/store: base, index, scale, off, with
 * constants folded into the displacement when they fit. */
static X86Mem addr(X86Ctx *c, RIns *in)
{
	X86Mem m = {X86_NOREG, X86_NOREG, in->scale, in->off};
	int64_t d = in->off;

	if (in->b != X86_NONE && iscon(in->b)) {
		d += conval(c, in->b) << in->scale;
		if (d >= INT32_MIN && d <= INT32_MAX)
			m.disp = (int32_t)d;
		else
			m.index = (int8_t)use(c, in->b), d = in->off;
	} else if (in->b != X86_NONE) {
		m.index = (int8_t)use(c, in->b);
	}
	if (iscon(in->a) && d + conval(c, in->a) >= INT32_MIN &&
	    d + conval(c, in->a) <= INT32_MAX && d == m.disp) {
		m.disp = (int32_t)(d + conval(c, in->a));
	} else {
		m.base = (int8_t)use(c, in->a);
	}
	return m;
}

/* op [m], imm at operand size sz for the group-1 digit d (add 0, sub 5,
 * cmp 7). */
static void alumi(X86Ctx *c, int d, int sz, X86Mem m, int32_t imm)
{
	X86Op op = sz == 1 ? XO_GRP80 : imm >= -128 && imm <= 127 ? XO_GRP83
	                                                           : XO_GRP81;

	x86_oprm(&c->b, op | (X86Op)d << 24, sz, 0, m);
	if (op != XO_GRP81) {
		x86_byte(&c->b, imm);
	} else if (sz == 2) {
		x86_byte(&c->b, imm);
		x86_byte(&c->b, imm >> 8);
	} else {
		x86_bytes(&c->b, &imm, 4); /* little-endian */
	}
}

/* Is `in` the last op of the current block, an integer compare of value
 * v with a constant that only the block's branch uses?  Then the branch
 * tests its flags (lower.c: fused); returns the constant, or X86_NONE. */
static X86Ref branchcmp(X86Ctx *c, RIns *in, X86Ref v)
{
	RBlock *bk = &c->u->blk[c->blk];
	unsigned p;

	if (in != bk->ins + bk->nins - 1 || bk->x.kind != XE_BRANCH ||
	    bk->x.val != in->res || x86_os.nuse[X86_REFIDX(in->res)] != 1)
		return X86_NONE;
	p = x86_opinfo[in->op].props;
	if (!(p & XP_CMP) || (p & XP_FLOAT))
		return X86_NONE;
	if (in->a == v && isimm(c, in->b))
		return in->b;
	if (in->b == v && isimm(c, in->a))
		return in->a;
	return X86_NONE;
}

/*
 * A load fused with the ops after it (OPT_ISEL), when the loaded value
 * has no other use:
 *   load; add/sub k; store back [same]   -> add/sub [m], k  (the sum used
 *                                           by nothing else, or only by
 *                                           the branch's zero test: ZF)
 *   load; compare with k; branch         -> cmp [m], k
 * Returns 1 when it emitted the load's code (lw_op skips the fused ops).
 */
static int loadfuse(X86Ctx *c, RIns *in)
{
	RBlock *bk = &c->u->blk[c->blk];
	RIns *end = bk->ins + bk->nins, *ad = in + 1, *st = in + 2;
	X86Ref v = in->res, k = X86_NONE, z;
	int t = in->type, sz = bits(t) / 8, cc, n;
	X86Mem m;

	if (!(x86_os.mode & OPT_ISEL) || !sz || x86_os.nuse[X86_REFIDX(v)] != 1 ||
	    ad >= end)
		return 0;
	if ((k = branchcmp(c, ad, v)) != X86_NONE) { /* cmp [m], k */
		cc = cmpcc[ad->op];
		if (ad->b == v)
			cc = swapcc(cc);
		m = addr(c, in);
		alumi(c, 7, sz, m, (int32_t)conval(c, k));
		x86_os.flagsin = ad;
		x86_os.flagscc = cc;
		x86_os.flagspos = c->b.len;
		return 1;
	}
	if (st >= end || (ad->op != XR_ADD && ad->op != XR_SUB) ||
	    ad->type != t || st->op != XR_STORE || st->c != ad->res ||
	    st->a != in->a || st->b != in->b || st->scale != in->scale ||
	    st->off != in->off || st->type != t)
		return 0;
	if (ad->a == v && isimm(c, ad->b))
		k = ad->b;
	else if (ad->op == XR_ADD && ad->b == v && isimm(c, ad->a))
		k = ad->a;
	else
		return 0;
	n = x86_os.nuse[X86_REFIDX(ad->res)];
	if (n == 2) { /* the other use: the branch's zero test */
		z = st + 1 < end ? branchcmp(c, st + 1, ad->res) : X86_NONE;
		if (z == X86_NONE || conval(c, z) != 0 ||
		    (st[1].op != XR_EQ && st[1].op != XR_NE))
			return 0;
	} else if (n != 1) {
		return 0;
	}
	m = addr(c, in);
	alumi(c, ad->op == XR_ADD ? 0 : 5, sz, m, (int32_t)conval(c, k));
	x86_os.nskip = 2;
	c->zfval = X86_REFIDX(ad->res); /* ZF tells sum == 0 */
	c->zfpos = c->b.len;
	return 1;
}

/* load: sign-extending loads give the raw form directly. */
static __attribute__((noinline)) void loadop(X86Ctx *c, RIns *in)
{
	X86Mem m;
	int t = in->type, r;

	if (loadfuse(c, in))
		return;
	m = addr(c, in);
	r = resreg(c, t);

	switch (t) {
	case X86_I8: x86_oprm(&c->b, XO_MOVSX8, 8, r, m); break;
	case X86_I16: x86_oprm(&c->b, XO_MOVSX16, 8, r, m); break;
	case X86_I32: x86_oprm(&c->b, XO_MOVSXD, 8, r, m); break;
	case X86_F64: x86_oprm(&c->b, XO_MOVSD, 4, r - 16, m); break;
	default: x86_alurm(&c->b, XO_MOV, 8, r, m);
	}
	def(c, X86_REFIDX(in->res), r);
}

/* store: constants that fit go as immediates. */
static __attribute__((noinline)) void storeop(X86Ctx *c, RIns *in)
{
	int t = in->type, sz = bits(t) / 8, s;
	X86Mem m;

	if (isimm(c, in->c) || (ra_isf(t) && iscon(in->c))) {
		int64_t k = conval(c, in->c);
		m = addr(c, in);
		if (k >= INT32_MIN && k <= INT32_MAX) {
			x86_movmi(&c->b, ra_isf(t) ? 8 : sz, m, (int32_t)k);
			return;
		}
		x86_movri(&c->b, X86_R11, k);
		x86_alumr(&c->b, XO_MOV, 8, m, X86_R11);
		return;
	}
	s = use(c, in->c);
	m = addr(c, in);
	if (ra_isf(t))
		x86_oprm(&c->b, XO_MOVSDST, 4, s - 16, m);
	else
		x86_alumr(&c->b, XO_MOV, sz, m, s);
}

/* slot: the address of the slot's frame area. */
static __attribute__((noinline)) void slotop(X86Ctx *c, RIns *in)
{
	int r = resreg(c, X86_PTR);

	x86_oprm(&c->b, XO_LEA, 8, r, rbpmem(c->slotoff[in->off]));
	def(c, X86_REFIDX(in->res), r);
}

/* A System V call: arguments in registers, the rest pushed. */
static __attribute__((noinline)) void callop(X86Ctx *c, RIns *in)
{
	X86Unit *u = c->u;
	X86Ref *args = u->ref + in->arg;
	int ni = 0, nf = 0, nstack = 0, r, i;
	int onstack[X86_MAXCALLARGS], inr11 = 0;
	uint32_t m;

	for (i = 0; i < (int)in->narg; i++) {
		int f = ra_isf(rtype(c, args[i]));
		onstack[i] = f ? nf++ >= 8 : ni++ >= 6;
		nstack += onstack[i];
	}
	if ((x86_os.mode & OPT_ISEL) && !nstack && !iscon(in->a) &&
	    (r = c->reg[X86_REFIDX(in->a)]) >= 0) {
		/* an indirect callee in a register: to r11 now (nothing else
		 * uses r11 without stack arguments), not saved and reloaded */
		x86_alurr(&c->b, XO_MOV, 8, X86_R11, r);
		if (!ra_liveafter(c, in->a) && c->rhome[X86_REFIDX(in->a)] < 0)
			ra_drop(c, r);
		inr11 = 1;
	}
	for (m = c->used & CALLERSAVED; m; m &= m - 1)
		ra_free(c, __builtin_ctz(m));
	if (nstack & 1)
		x86_aluri(&c->b, XO_SUB, 8, X86_RSP, 8);
	for (i = (int)in->narg - 1; i >= 0; i--)
		if (room(c, 64), onstack[i]) {
			lw_loadto(c, args[i], ra_isf(rtype(c, args[i])) ? XMM(15) : X86_R11);
			if (ra_isf(rtype(c, args[i])))
				x86_oprr(&c->b, XO_MOVQGX, 8, 15, X86_R11);
			x86_push(&c->b, X86_R11);
		}
	ni = nf = 0;
	for (i = 0; i < (int)in->narg; i++) {
		room(c, 64);
		if (onstack[i]) {
			ra_isf(rtype(c, args[i])) ? nf++ : ni++;
			continue;
		}
		if (ra_isf(rtype(c, args[i])))
			lw_loadto(c, args[i], XMM(nf++));
		else
			lw_loadto(c, args[i], lw_argregs[ni++]);
	}
	if (iscon(in->a))
		x86_movri(&c->b, X86_R11, conval(c, in->a));
	else if (!inr11)
		lw_loadto(c, in->a, X86_R11);
	x86_callr(&c->b, X86_R11);
	if (nstack)
		x86_aluri(&c->b, XO_ADD, 8, X86_RSP, 8 * (nstack + (nstack & 1)));
	if (in->res != X86_NONE) {
		r = ra_isf(in->type) ? XMM(0) : X86_RAX;
		lw_norm(c, r, in->type);
		def(c, X86_REFIDX(in->res), r);
	}
}

/* Lower one operation (dispatch on the op, or on its property column).
 * The handlers are noinline: this stays a small dispatcher whose calls are
 * tail jumps, without the saved registers of all of them inlined. */
void lw_op(X86Ctx *c, RIns *in)
{
	unsigned p;

	if (x86_os.nskip) { /* fused into the op before (loadop) */
		x86_os.nskip--;
		return;
	}
	room(c, 512);
	c->lock = 0;
	c->in = in;
	switch (in->op) {
	case XR_ADD: case XR_SUB: case XR_MUL: case XR_AND: case XR_OR:
	case XR_XOR:
		binop(c, in);
		break;
	case XR_SDIV: case XR_UDIV: case XR_SREM: case XR_UREM:
		divop(c, in);
		break;
	case XR_SHL: case XR_LSHR: case XR_ASHR:
		shiftop(c, in);
		break;
	case XR_FADD: case XR_FSUB: case XR_FMUL: case XR_FDIV: case XR_FNEG:
		fop(c, in);
		break;
	case XR_SELECT: selectop(c, in); break;
	case XR_LOAD: loadop(c, in); break;
	case XR_STORE: storeop(c, in); break;
	case XR_SLOT: slotop(c, in); break;
	case XR_CALL: callop(c, in); break;
	default:
		p = x86_opinfo[in->op].props;
		if (p & XP_CMP)
			(p & XP_FLOAT) ? fcmpop(c, in) : cmpop(c, in);
		else if (p & XP_CAST)
			castop(c, in);
		else
			x86_fail(c->u, X86_EUNSUP);
	}
}
