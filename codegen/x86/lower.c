/*
 * lower.c: residual IR -> x86-64 (x86_compile).
 *
 * ra_analyse and ra_global (regalloc.c) first look at the whole unit:
 * global values (used outside their defining block, block arguments,
 * values live at a patchable exit) and jump arguments may get a register
 * for their whole live range (rhome[]: rbx r12-r15, xmm8-14), so loop-
 * carried values stay in registers.  The other global values have a home:
 * an 8-byte frame slot at [rbp - off], written when the value is defined
 * (write-through), so a home is always up to date.  Then one forward pass
 * over the blocks in index order lowers each op with the fast local
 * allocator of regalloc.c (ra_*).
 *
 * Control flow.  A jump binds its target's arguments by a parallel move
 * (pmove: registers and frame slots, cycles through a fresh slot); a
 * bridge's jumpunit into an ancestor's reentry block does the same with
 * the ancestor's locations and jumps to the block (or its entry pad).  A
 * branch to an empty block whose jump would move nothing goes straight to
 * that jump's target.  An exit stub or flexswitch stores its live values
 * that live in registers to frame slots of their own (constants to fresh
 * slots) and records where each one is (BSite.loc), so a bridge's entry
 * arguments are frame slots: "the locations where the unit left them".
 *
 * Inside a block, values are cached in registers.  A block that the
 * previous one falls into keeps the registers it uses; every other way in
 * (jumps from elsewhere, switch cases, bridges) goes through a small entry
 * pad that loads those registers from their homes and jumps to the block.
 * A jump that falls through loads its arguments into registers the next
 * block keeps; the parameters of a root start in their argument registers.
 * Calls evict caller-saved registers; division evicts rax/rdx; variable
 * shifts evict rcx.  r11 and xmm15 are scratch registers, never allocated.
 *
 * Integer values are kept sign-extended to 64 bits in registers and homes
 * (the raw form of x86.h), so compares of every width use 64-bit cmp and
 * narrow arithmetic is done in 64 bits and re-normalised.
 *
 * Local improvements, all in this pass: constants become immediates and
 * displacements where they fit; a value loaded from its home stays cached
 * for the rest of the block; a branch on a compare that nothing else uses
 * tests the flags (no setcc/movzx/test); a result nobody uses is not kept
 * in a register; jumps to the next block are omitted.
 *
 * Frame (rbp-based, shared with bridges):
 *   [rbp+8] return address   [rbp] caller's rbp
 *   [rbp-8 .. rbp-40] rbx r12 r13 r14 r15   then homes and stack slots.
 * A bridge's homes and slots start at the tree's high-water mark, and its
 * entry moves rsp below them (never up: slots of bridges that ran before
 * live until the root returns); every exit restores through rbp, so frames
 * of any depth return correctly.  A normal return clears the left-early
 * mark (x86_setleft(NULL)) that a nested unit may have set.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "backend.h"

static const uint8_t argregs[] = {X86_RDI, X86_RSI, X86_RDX, X86_RCX,
	X86_R8, X86_R9};
static const uint8_t calleesaved[] = {X86_RBX, X86_R12, X86_R13, X86_R14,
	X86_R15};
#define SAVEAREA 40 /* callee-saved registers below rbp */
#define CALLERSAVED 0xffff0fc7u /* rax rcx rdx rsi rdi r8-r11, all xmm */

/* Make room in the code buffer for n more bytes (the emitters do not). */
static void room(X86Ctx *c, uint32_t n)
{
	if (c->b.len + n > c->b.cap && !x86_reserve(&c->b, n))
		x86_fail(c->u, X86_ENOMEM);
}

/* --- operands ------------------------------------------------------------ */

static int iscon(X86Ref r)
{
	return X86_REFKIND(r) == XK_CON;
}

/* The type of operand r (a value or a constant). */
static int rtype(X86Ctx *c, X86Ref r)
{
	return iscon(r) ? c->u->con[X86_REFIDX(r)].type
	                : c->u->val[X86_REFIDX(r)].type;
}

static int64_t conval(X86Ctx *c, X86Ref r)
{
	return c->u->con[X86_REFIDX(r)].v; /* x86_conval, inline */
}

/* x86_bits of an integer type, inline (X86_I8..X86_PTR are 8 16 32 64 64;
 * else 0). */
static int bits(int type)
{
	return type == X86_I8 ? 8 : type == X86_I16 ? 16 : type == X86_I32 ? 32
	     : type == X86_I64 || type == X86_PTR ? 64 : 0;
}

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
static void loadto(X86Ctx *c, X86Ref r, int dst)
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
		int s = c->reg[v];
		if (s == dst)
			return;
		if (dst >= 16)
			x86_oprr(&c->b, XO_MOVAPD, 4, dst - 16, s - 16);
		else
			x86_alurr(&c->b, XO_MOV, 8, dst, s);
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

	loadto(c, r, reg);
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
	loadto(c, a, r);
	c->lock |= 1u << r;
	return r;
}

/* Move register s to register d (same class). */
static void movrr(X86Ctx *c, int d, int s)
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
		movrr(c, c->rhome[v], r);
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
static void norm(X86Ctx *c, int r, int type)
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

/* --- operations ------------------------------------------------------------ */

static const X86Op aluop[] = {
	[XR_ADD] = XO_ADD, [XR_SUB] = XO_SUB, [XR_AND] = XO_AND,
	[XR_OR] = XO_OR, [XR_XOR] = XO_XOR,
};

/* add sub and or xor mul. */
static __attribute__((noinline)) void binop(X86Ctx *c, RIns *in)
{
	int r, s, t = in->type;

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
			x86_imulrri(&c->b, 8, r, r, (int32_t)conval(c, in->b));
		else
			x86_oprr(&c->b, XO_IMUL, 8, r, s < 0 ? use(c, in->b) : s);
	} else if (s < 0 && isimm(c, in->b)) {
		x86_aluri(&c->b, aluop[in->op], 8, r, (int32_t)conval(c, in->b));
	} else {
		x86_alurr(&c->b, aluop[in->op], 8, r, s < 0 ? use(c, in->b) : s);
	}
	if (in->op == XR_ADD || in->op == XR_SUB || in->op == XR_MUL)
		norm(c, r, t);
	def(c, X86_REFIDX(in->res), r);
	if (in->op != XR_MUL && bits(t) == 64) { /* ZF tells res == 0 */
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
	loadto(c, in->a, X86_RAX);
	loadto(c, in->b, X86_R11);
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
	norm(c, r, t);
	def(c, X86_REFIDX(in->res), r);
}

/* shl lshr ashr: the amount modulo the width. */
static __attribute__((noinline)) void shiftop(X86Ctx *c, RIns *in)
{
	int t = in->type, w = bits(t), r, sz = w == 64 ? 8 : w == 32 ? 4 : 8;
	X86Op op = in->op == XR_SHL ? XO_SHL : in->op == XR_LSHR ? XO_SHR : XO_SAR;

	if (!iscon(in->b)) {
		claim(c, X86_RCX);
		loadto(c, in->b, X86_RCX);
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
	norm(c, r, t);
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
static int cmpflags(X86Ctx *c, RIns *in)
{
	int cc = cmpcc[in->op];
	X86Ref a = in->a, b = in->b;

	if (iscon(a) && !iscon(b)) {
		a = in->b, b = in->a;
		cc = swapcc(cc);
	}
	if (isimm(c, b)) {
		int ra = use(c, a);
		if (conval(c, b) == 0 && (cc == X86_CC_E || cc == X86_CC_NE) &&
		    c->zfpos == c->b.len && a == X86_MKREF(XK_VAL, c->zfval))
			; /* the op that computed a just set ZF */
		else if (conval(c, b) == 0) /* same flags as cmp ra, 0 */
			x86_alurr(&c->b, XO_TEST, 8, ra, ra);
		else
			x86_aluri(&c->b, XO_CMP, 8, ra, (int32_t)conval(c, b));
	} else {
		int ra = use(c, a), rb = use(c, b);
		x86_alurr(&c->b, XO_CMP, 8, ra, rb);
	}
	return cc;
}

/* An integer compare: setcc + movzx. */
static __attribute__((noinline)) void cmpop(X86Ctx *c, RIns *in)
{
	int cc = cmpflags(c, in);
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
			loadto(c, in->b, XMM(15));
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
		break;
	case XR_ZEXT:
		r = resfrom(c, in->a, to);
		zext(c, r, from);
		norm(c, r, to);
		break;
	case XR_TRUNC:
		r = resfrom(c, in->a, to);
		norm(c, r, to);
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
		norm(c, r, to);
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

/* load: sign-extending loads give the raw form directly. */
static __attribute__((noinline)) void loadop(X86Ctx *c, RIns *in)
{
	X86Mem m = addr(c, in);
	int t = in->type, r = resreg(c, t);

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
	int onstack[X86_MAXCALLARGS];
	uint32_t m;

	for (m = c->used & CALLERSAVED; m; m &= m - 1)
		ra_free(c, __builtin_ctz(m));
	for (i = 0; i < (int)in->narg; i++) {
		int f = ra_isf(rtype(c, args[i]));
		onstack[i] = f ? nf++ >= 8 : ni++ >= 6;
		nstack += onstack[i];
	}
	if (nstack & 1)
		x86_aluri(&c->b, XO_SUB, 8, X86_RSP, 8);
	for (i = (int)in->narg - 1; i >= 0; i--)
		if (room(c, 64), onstack[i]) {
			loadto(c, args[i], ra_isf(rtype(c, args[i])) ? XMM(15) : X86_R11);
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
			loadto(c, args[i], XMM(nf++));
		else
			loadto(c, args[i], argregs[ni++]);
	}
	if (iscon(in->a))
		x86_movri(&c->b, X86_R11, conval(c, in->a));
	else
		loadto(c, in->a, X86_R11);
	x86_callr(&c->b, X86_R11);
	if (nstack)
		x86_aluri(&c->b, XO_ADD, 8, X86_RSP, 8 * (nstack + (nstack & 1)));
	if (in->res != X86_NONE) {
		r = ra_isf(in->type) ? XMM(0) : X86_RAX;
		norm(c, r, in->type);
		def(c, X86_REFIDX(in->res), r);
	}
}

/* Lower one operation (dispatch on the op, or on its property column).
 * The handlers are noinline: this stays a small dispatcher whose calls are
 * tail jumps, without the saved registers of all of them inlined. */
static void lowerop(X86Ctx *c, RIns *in)
{
	unsigned p;

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

/* --- control flow -------------------------------------------------------- */

/* A jump (or jcc when cc >= 0) to block `to` of this unit. */
static void jumpto(X86Ctx *c, int cc, uint32_t to)
{
	uint32_t at;

	if (cc < 0 && to == c->blk + 1)
		return;
	at = cc < 0 ? x86_jmp(&c->b, 0) : x86_jcc(&c->b, cc, 0);
	if (!x86_grow(c->u, &c->fix, &c->capfix, c->nfix + 1, sizeof *c->fix))
		return;
	c->fix[c->nfix].at = at;
	c->fix[c->nfix++].blk = to;
}

/* Return sequence: restore callee-saved registers and rbp, ret. */
static void epilogue(X86Buf *b)
{
	int i;

	x86_oprm(b, XO_LEA, 8, X86_RSP, rbpmem(-SAVEAREA));
	for (i = 4; i >= 0; i--)
		x86_pop(b, calleesaved[i]);
	x86_pop(b, X86_RBP);
	x86_byte(b, X86_RET);
}

/* Load operand r as raw 64 bits into r11. */
static void raw11(X86Ctx *c, X86Ref r)
{
	uint32_t v;

	if (!iscon(r)) {
		v = X86_REFIDX(r);
		if (c->reg[v] >= 16) {
			x86_oprr(&c->b, XO_MOVQGX, 8, c->reg[v] - 16, X86_R11);
			return;
		}
		if (c->reg[v] < 0) {
			if (!c->bu->home[v])
				x86_fail(c->u, X86_EINVAL); /* a lost value: a bug */
			x86_alurm(&c->b, XO_MOV, 8, X86_R11, rbpmem(c->bu->home[v]));
			return;
		}
	}
	if (iscon(r))
		x86_movri(&c->b, X86_R11, conval(c, r));
	else
		x86_alurr(&c->b, XO_MOV, 8, X86_R11, c->reg[v]);
}

/* A normal return clears the "left early" mark that a nested unit (run by
 * a C function this unit called) may have set: x86_setleft(NULL), keeping
 * the result (rax, xmm0) in rbx, which the epilogue restores anyway. */
static void clearleft(X86Ctx *c)
{
	x86_alurr(&c->b, XO_MOV, 8, X86_RBX, X86_RAX);
	x86_oprr(&c->b, XO_MOVQGX, 8, 0, X86_R12);
	x86_alurr(&c->b, XO_XOR, 4, X86_RDI, X86_RDI);
	x86_movabs(&c->b, X86_R11, (int64_t)(uintptr_t)x86_setleft);
	x86_callr(&c->b, X86_R11);
	x86_alurr(&c->b, XO_MOV, 8, X86_RAX, X86_RBX);
	x86_oprr(&c->b, XO_MOVQXG, 8, 0, X86_R12);
}

/* Store operand r (raw 64 bits) at [rbp + off]. */
static void storehome(X86Ctx *c, X86Ref r, int32_t off)
{
	int reg = iscon(r) ? -1 : c->reg[X86_REFIDX(r)];

	if (iscon(r) && conval(c, r) >= INT32_MIN && conval(c, r) <= INT32_MAX)
		x86_movmi(&c->b, 8, rbpmem(off), (int32_t)conval(c, r));
	else if (reg >= 16)
		x86_oprm(&c->b, XO_MOVSDST, 4, reg - 16, rbpmem(off));
	else if (reg >= 0)
		x86_alumr(&c->b, XO_MOV, 8, rbpmem(off), reg);
	else
		raw11(c, r), x86_alumr(&c->b, XO_MOV, 8, rbpmem(off), X86_R11);
}

/* The home of operand r if it is a value not cached in a register. */
static int32_t memhome(X86Ctx *c, X86Ref r)
{
	uint32_t v = X86_REFIDX(r);

	if (iscon(r) || c->reg[v] >= 0)
		return 0;
	return c->bu->home[v];
}

/* Bind n arguments to the homes dst[i] (0: skip): a parallel copy.  A
 * source whose home another argument overwrites goes through a fresh
 * temporary slot first; a value already in its destination (its own home:
 * homes are always up to date) is not copied. */
static void bindargs(X86Ctx *c, int n, const X86Ref *args, const int32_t *dst,
                     int32_t *tmp)
{
	int32_t h;
	int i, j;

	for (i = 0; i < n; i++) {
		room(c, 64);
		tmp[i] = 0;
		if (!(h = memhome(c, args[i])))
			continue;
		for (j = 0; j < n && (j == i || dst[j] != h); j++)
			;
		if (j < n) {
			tmp[i] = ra_frame(c, 8, 8);
			raw11(c, args[i]);
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(tmp[i]), X86_R11);
		}
	}
	for (i = 0; i < n; i++) {
		room(c, 64);
		h = memhome(c, args[i]);
		if (!dst[i] || (!iscon(args[i]) &&
		                c->bu->home[X86_REFIDX(args[i])] == dst[i]))
			continue;
		if (tmp[i]) {
			x86_alurm(&c->b, XO_MOV, 8, X86_R11, rbpmem(tmp[i]));
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(dst[i]), X86_R11);
		} else if (!h) {
			storehome(c, args[i], dst[i]);
		} else {
			raw11(c, args[i]);
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(dst[i]), X86_R11);
		}
	}
}

/*
 * Arguments of a jump that falls through into the next block (at most 8):
 * every source goes to a register first (so no home is overwritten before
 * it is read), then to the argument's home, and the argument stays cached
 * in that register, which the next block keeps.
 */
static void fallargs(X86Ctx *c, RExit *x, const int32_t *dst, uint32_t targ)
{
	const X86Ref *args = c->u->ref + x->arg;
	int reg[8];
	uint32_t i;

	room(c, 64 * x->narg);
	for (i = 0; i < x->narg; i++)
		reg[i] = dst[i] && !iscon(args[i]) ? use(c, args[i]) : -1;
	for (i = 0; i < x->narg; i++) {
		if (!dst[i] || (reg[i] >= 0 &&
		                c->bu->home[X86_REFIDX(args[i])] == dst[i]))
			continue; /* unused, or already in its home */
		if (reg[i] < 0)
			storehome(c, args[i], dst[i]);
		else if (reg[i] >= 16)
			x86_oprm(&c->b, XO_MOVSDST, 4, reg[i] - 16, rbpmem(dst[i]));
		else
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(dst[i]), reg[i]);
	}
	for (i = 0; i < x->narg; i++) /* not a register a value lives in */
		if (reg[i] >= 0 && c->rhome[X86_REFIDX(args[i])] < 0)
			ra_bind(c, targ + i, reg[i]);
}

/*
 * Locations of a parallel move: > 0 register (loc - 1, xmm from 16), < 0
 * the frame slot [rbp + loc], 0 none (a constant source, or a skipped
 * destination).
 */

/* Where operand r is now: its register, else its home; 0 for a constant. */
static int32_t refloc(X86Ctx *c, X86Ref r)
{
	uint32_t v = X86_REFIDX(r);

	if (iscon(r))
		return 0;
	return c->reg[v] >= 0 ? c->reg[v] + 1 : c->bu->home[v];
}

/* Move source location s (or constant r when s is 0) to location d. */
static void moveloc(X86Ctx *c, X86Ref r, int32_t s, int32_t d)
{
	room(c, 64);
	if (!s && d > 0) {
		loadto(c, r, d - 1);
	} else if (!s) {
		storehome(c, r, d);
	} else if (s > 0 && d > 0) {
		if ((s > 16) == (d > 16))
			movrr(c, d - 1, s - 1);
		else if (d > 16)
			x86_oprr(&c->b, XO_MOVQXG, 8, d - 17, s - 1);
		else
			x86_oprr(&c->b, XO_MOVQGX, 8, s - 17, d - 1);
	} else if (s > 0) {
		if (s > 16)
			x86_oprm(&c->b, XO_MOVSDST, 4, s - 17, rbpmem(d));
		else
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(d), s - 1);
	} else if (d > 0) {
		if (d > 16)
			x86_oprm(&c->b, XO_MOVSD, 4, d - 17, rbpmem(s));
		else
			x86_alurm(&c->b, XO_MOV, 8, d - 1, rbpmem(s));
	} else {
		x86_alurm(&c->b, XO_MOV, 8, X86_R11, rbpmem(s));
		x86_alumr(&c->b, XO_MOV, 8, rbpmem(d), X86_R11);
	}
}

/*
 * The parallel move of n jump arguments to locations dst[] (registers or
 * frame slots; 0 skips).  A move is emitted once no pending move still
 * reads its destination; a cycle is broken by copying one source to a
 * fresh frame slot.  A value already in its destination is not moved (a
 * frame-homed value's home is always up to date).
 */
static void pmove(X86Ctx *c, uint32_t n, const X86Ref *args,
                  const int32_t *dst, int32_t *src, int32_t *todo)
{
	uint32_t i, j, left = 0, v;
	int32_t tmp;
	int progress;

	for (i = 0; i < n; i++) {
		src[i] = refloc(c, args[i]);
		v = X86_REFIDX(args[i]);
		todo[i] = dst[i] && src[i] != dst[i] &&
		          !(!iscon(args[i]) && c->rhome[v] < 0 &&
		            c->bu->home[v] == dst[i]);
		left += todo[i];
	}
	while (left) {
		progress = 0;
		for (i = 0; i < n; i++) {
			if (!todo[i])
				continue;
			for (j = 0; j < n && !(todo[j] && j != i && src[j] == dst[i]); j++)
				;
			if (j < n)
				continue;
			moveloc(c, args[i], src[i], dst[i]);
			todo[i] = 0;
			left--;
			progress = 1;
		}
		if (progress)
			continue;
		/* a cycle: copy the destination of the first pending move to a
		 * fresh slot and read it from there */
		for (i = 0; !todo[i]; i++)
			;
		tmp = ra_frame(c, 8, 8);
		moveloc(c, X86_NONE, dst[i], tmp);
		for (j = 0; j < n; j++)
			if (todo[j] && src[j] == dst[i])
				src[j] = tmp;
	}
}

/* Jump with arguments to block `to` of unit tu (this unit or an
 * ancestor, compiled).  Arguments that live in registers across blocks
 * are bound by a parallel move (pmove); when all live in the frame the
 * older paths (bindargs, fallargs) do it. */
static void jumpargs(X86Ctx *c, RExit *x, X86Unit *tu, uint32_t to)
{
	BUnit *tb = tu->be;
	RBlock *tbk = &tu->blk[to];
	int32_t buf[3 * 64], *dst = buf; /* dst[], then the moves' scratch */
	uint32_t i, a;
	int anyreg = 0;

	if (x->narg > 64 && !(dst = x86_alloc(NULL, 3 * x->narg * sizeof *dst))) {
		x86_fail(c->u, X86_ENOMEM);
		return;
	}
	for (i = 0; i < x->narg; i++) {
		a = tbk->arg + i;
		if (tb->rhome[a] >= 0)
			dst[i] = tb->rhome[a] + 1, anyreg = 1;
		else if (tu != c->u)
			dst[i] = tb->home[a];
		else /* an argument nothing uses needs no copy */
			dst[i] = c->hi[a] ? ra_home(c, a) : 0;
	}
	if (!anyreg && tu == c->u && to == c->blk + 1 && x->narg <= 8) {
		fallargs(c, x, dst, tbk->arg);
	} else {
		if (anyreg)
			pmove(c, x->narg, c->u->ref + x->arg, dst, dst + x->narg,
			      dst + 2 * x->narg);
		else
			bindargs(c, x->narg, c->u->ref + x->arg, dst, dst + x->narg);
		if (tu == c->u) /* the target's arguments are new values now */
			for (i = 0; i < x->narg; i++)
				if (c->rhome[tbk->arg + i] < 0 && c->reg[tbk->arg + i] >= 0)
					ra_drop(c, c->reg[tbk->arg + i]);
	}
	if (dst != buf)
		free(dst);
	if (tu == c->u) {
		jumpto(c, -1, to);
	} else {
		/* into an ancestor: absolute target, resolved when placed */
		uint32_t at = x86_jmp(&c->b, 0);
		if (x86_grow(c->u, &c->far, &c->capfar, c->nfar + 1, sizeof *c->far)) {
			c->far[c->nfar].at = at;
			c->far[c->nfar++].target = (uint8_t *)tu->code + tb->blkoff[to];
		}
	}
}

/* Store the live values of an exit to their locations: a value's home, or
 * a fresh slot for constants.  Fills loc[]. */
static int32_t *livelocs(X86Ctx *c, RExit *x)
{
	int32_t *loc = x86_alloc(NULL, (x->narg + 1) * sizeof *loc);
	uint32_t i;
	X86Ref r;

	if (!loc) {
		x86_fail(c->u, X86_ENOMEM);
		return NULL;
	}
	for (i = 0; i < x->narg; i++) {
		room(c, 64);
		r = c->u->ref[x->arg + i];
		if (iscon(r)) {
			loc[i] = ra_frame(c, 8, 8);
			storehome(c, r, loc[i]);
		} else if (c->rhome[X86_REFIDX(r)] >= 0) {
			/* in its register: stored to a slot of its own */
			loc[i] = ra_home(c, X86_REFIDX(r));
			storehome(c, r, loc[i]);
		} else {
			loc[i] = ra_home(c, X86_REFIDX(r));
		}
	}
	return loc;
}

/* The slow path of an exit: call x86_exithelper(site, rbp, rax) and jump
 * to the bridge it returns, or return 0 from the unit (left early). */
static void slowpath(X86Ctx *c, X86Exit *site)
{
	uint32_t at;

	x86_movabs(&c->b, X86_RDI, (int64_t)(uintptr_t)site);
	x86_alurr(&c->b, XO_MOV, 8, X86_RSI, X86_RBP);
	x86_alurr(&c->b, XO_MOV, 8, X86_RDX, X86_RAX);
	x86_movabs(&c->b, X86_R11, (int64_t)(uintptr_t)x86_exithelper);
	x86_callr(&c->b, X86_R11);
	x86_alurr(&c->b, XO_TEST, 8, X86_RAX, X86_RAX);
	at = x86_jcc8(&c->b, X86_CC_E, 0);
	x86_jmpr(&c->b, X86_RAX);
	x86_setrel8(&c->b, at, c->b.len);
	x86_oprr(&c->b, XO_XORPD, 4, 0, 0);
	epilogue(&c->b);
}

/* The backend record of a patchable exit, with where its live values
 * are; NULL when out of memory (the unit failed). */
static BSite *newsite(X86Ctx *c, RExit *x)
{
	BSite *bs = x86_alloc(NULL, sizeof *bs);

	if (!bs) {
		x86_fail(c->u, X86_ENOMEM);
		return NULL;
	}
	memset(bs, 0, sizeof *bs);
	x->site->be = bs;
	bs->loc = livelocs(c, x);
	return bs;
}

/* Exit stub: store live values, then a patchable jmp to the slow path. */
static void stub(X86Ctx *c, RExit *x)
{
	BSite *bs = newsite(c, x);
	uint32_t at;

	if (!bs)
		return;
	at = x86_jmp(&c->b, 0);
	x86_setrel32(&c->b, at, c->b.len);
	bs->jmpoff = at;
	slowpath(c, x->site);
}

/* Flexswitch: store live values, rax = value, jmp to the case chain
 * (built when the code is placed, in patch.c). */
static void flex(X86Ctx *c, RExit *x)
{
	BSite *bs = newsite(c, x);
	uint32_t at;

	if (!bs)
		return;
	loadto(c, x->val, X86_RAX);
	at = x86_jmp(&c->b, 0);
	x86_setrel32(&c->b, at, c->b.len);
	bs->jmpoff = at;
	bs->slowoff = c->b.len;
	slowpath(c, x->site);
}

/* Record that the rel32 at offset at refers to block blk (resolved when
 * the code is placed). */
static void fixup(X86Ctx *c, uint32_t at, uint32_t blk)
{
	if (!x86_grow(c->u, &c->fix, &c->capfix, c->nfix + 1, sizeof *c->fix))
		return;
	c->fix[c->nfix].at = at;
	c->fix[c->nfix++].blk = blk;
}

/*
 * A switch of many dense cases (value register r, cases in lo..lo+range):
 * an index bounds check, then a table of rel32 entries, each relative to
 * the end of its own slot (so they resolve like jumps):
 *   mov r11, r; sub r11, lo; cmp r11, range; ja default
 *   lea rax, [rip + table]; lea rax, [rax + r11*4 + 4]
 *   movsxd r11, [rax - 4]; add r11, rax; jmp r11
 * rax is free at a terminator (no successor keeps registers from here).
 */
static void jumptable(X86Ctx *c, RExit *x, int r, int64_t lo, uint32_t range)
{
	X86Mem slot = {X86_RAX, X86_R11, 2, 4}, ent = {X86_RAX, X86_NOREG, 0, -4};
	RCase *k = &c->u->cas[x->cas];
	uint32_t i, at, tab;
	int32_t rel;

	room(c, 64 + 4 * (range + 1));
	x86_alurr(&c->b, XO_MOV, 8, X86_R11, r);
	if (lo)
		x86_aluri(&c->b, XO_SUB, 8, X86_R11, (int32_t)lo);
	x86_aluri(&c->b, XO_CMP, 8, X86_R11, (int32_t)range);
	jumpto(c, X86_CC_A, x->to[0]);
	x86_bytes(&c->b, "\x48\x8d\x05\0\0\0\0", 7); /* lea rax, [rip+0] */
	at = c->b.len - 4;
	x86_oprm(&c->b, XO_LEA, 8, X86_RAX, slot);
	x86_oprm(&c->b, XO_MOVSXD, 8, X86_R11, ent);
	x86_alurr(&c->b, XO_ADD, 8, X86_R11, X86_RAX);
	x86_jmpr(&c->b, X86_R11);
	x86_align(&c->b, 4);
	tab = c->b.len;
	rel = (int32_t)(tab - (at + 4));
	if (!c->b.err)
		memcpy(c->b.code + at, &rel, 4);
	for (i = 0; i <= range; i++) {
		x86_bytes(&c->b, "\0\0\0\0", 4);
		fixup(c, tab + 4 * i, x->to[0]);
	}
	if (c->u->err)
		return;
	for (i = x->ncas; i-- > 0;) /* the first of equal cases wins */
		c->fix[c->nfix - 1 - range + (uint32_t)(k[i].val - lo)].blk = k[i].to;
}

/* A switch: a jump table when there are at least 8 cases and the table
 * has at most 8 slots per case, else a chain of compares. */
static void switchop(X86Ctx *c, RExit *x)
{
	int r = use(c, x->val);
	uint32_t i;
	int64_t lo, hi;
	RCase *k;

	if (x->ncas >= 8) {
		k = &c->u->cas[x->cas];
		for (lo = hi = k[0].val, i = 1; i < x->ncas; i++) {
			lo = k[i].val < lo ? k[i].val : lo;
			hi = k[i].val > hi ? k[i].val : hi;
		}
		if (lo >= INT32_MIN && hi <= INT32_MAX &&
		    (uint64_t)(hi - lo) < 8 * (uint64_t)x->ncas) {
			jumptable(c, x, r, lo, (uint32_t)(hi - lo));
			return;
		}
	}

	for (i = 0; i < x->ncas; i++) {
		room(c, 64);
		k = &c->u->cas[x->cas + i];
		if (k->val >= INT32_MIN && k->val <= INT32_MAX) {
			x86_aluri(&c->b, XO_CMP, 8, r, (int32_t)k->val);
		} else {
			x86_movri(&c->b, X86_R11, k->val);
			x86_alurr(&c->b, XO_CMP, 8, r, X86_R11);
		}
		jumpto(c, X86_CC_E, k->to);
	}
	jumpto(c, -1, x->to[0]);
}

/* The integer compare that block bk's branch can test directly: the last
 * op, whose result is used by nothing but the branch.  NULL if none. */
static RIns *fused(X86Ctx *c, RBlock *bk)
{
	RIns *in;

	if (!bk->nins || bk->x.kind != XE_BRANCH)
		return NULL;
	in = &bk->ins[bk->nins - 1];
	if (!(x86_opinfo[in->op].props & XP_CMP) ||
	    (x86_opinfo[in->op].props & XP_FLOAT) || in->res != bk->x.val ||
	    c->glob[X86_REFIDX(in->res)])
		return NULL;
	return in;
}

/* Does jump argument r already sit where the argument arg of its target
 * lives (same register across blocks, same home, or unused)? */
static int inplace(X86Ctx *c, X86Ref r, uint32_t arg)
{
	uint32_t v = X86_REFIDX(r);

	if (!c->hi[arg])
		return 1;
	if (iscon(r))
		return 0;
	if (c->rhome[arg] >= 0)
		return c->rhome[v] == c->rhome[arg];
	return c->rhome[v] < 0 && c->glob[v] && c->bu->home[v] &&
	       c->bu->home[v] == c->bu->home[arg];
}

/* Where a branch to block t may go instead: t's own target when t is
 * empty and its jump moves nothing, and that target does not count on t
 * falling into it (then it has a pad, or keeps no registers). */
static uint32_t thread(X86Ctx *c, uint32_t t)
{
	RBlock *bk = &c->u->blk[t];
	uint32_t i, to = bk->x.to[0];

	if (bk->nins || bk->x.kind != XE_JUMP || to == t + 1 || to == t)
		return t;
	for (i = 0; i < bk->x.narg; i++)
		if (!inplace(c, c->u->ref[bk->x.arg + i], c->u->blk[to].arg + i))
			return t;
	return to;
}

/* Lower the terminator of the current block. */
static void terminator(X86Ctx *c, RExit *x)
{
	RIns *in;
	int r, cc;
	uint32_t t0, t1;

	room(c, 512);
	c->lock = 0;
	c->in = NULL;
	c->cur = 2 * (c->base[c->blk] + 1 + c->u->blk[c->blk].nins);
	if (fused(c, &c->u->blk[c->blk]))
		c->cur -= 2; /* the compare's operands are still needed */
	switch (x->kind) {
	case XE_RET:
		if (x->val != X86_NONE)
			loadto(c, x->val, ra_isf(rtype(c, x->val)) ? XMM(0) : X86_RAX);
		clearleft(c); /* ~15 instructions; no measurable time in TL fib */
		epilogue(&c->b);
		break;
	case XE_JUMP:
		jumpargs(c, x, c->u, x->to[0]);
		break;
	case XE_JUMPUNIT:
		jumpargs(c, x, x->unit, x->to[0]);
		break;
	case XE_BRANCH:
		if (iscon(x->val)) {
			jumpto(c, -1, x->to[conval(c, x->val) ? 0 : 1]);
			break;
		}
		if ((in = fused(c, &c->u->blk[c->blk]))) {
			cc = cmpflags(c, in);
		} else {
			r = use(c, x->val);
			x86_alurr(&c->b, XO_TEST, 8, r, r);
			cc = X86_CC_NE;
		}
		t0 = thread(c, x->to[0]);
		t1 = thread(c, x->to[1]);
		if (t0 == c->blk + 1 || (t1 != c->blk + 1 && t1 != x->to[1])) {
			jumpto(c, cc ^ 1, t1); /* the taken edge leaves the loop */
			jumpto(c, -1, t0);
		} else {
			jumpto(c, cc, t0);
			jumpto(c, -1, t1);
		}
		break;
	case XE_SWITCH: switchop(c, x); break;
	case XE_STUB: stub(c, x); break;
	case XE_FLEX: flex(c, x); break;
	default: x86_fail(c->u, X86_EINVAL);
	}
}

/* --- driver -------------------------------------------------------------- */

/* Entry of a root: prologue; parameters used in other blocks go to their
 * homes, and all stay cached in their argument registers for block 0. */
static void rootentry(X86Ctx *c)
{
	X86Unit *u = c->u;
	RBlock *b0 = &u->blk[0];
	int i, ni = 0, nf = 0, t, r;
	uint32_t v;

	room(c, 512);
	x86_push(&c->b, X86_RBP);
	x86_alurr(&c->b, XO_MOV, 8, X86_RBP, X86_RSP);
	for (i = 0; i < 5; i++)
		x86_push(&c->b, calleesaved[i]);
	x86_oprr(&c->b, XO_GRP81 | 5 << 24, 8, 0, X86_RSP); /* sub rsp, imm32 */
	c->framepos = c->b.len;
	x86_bytes(&c->b, "\0\0\0\0", 4);
	for (i = 0; i < (int)b0->narg; i++) {
		v = b0->arg + i;
		t = c->u->val[v].type;
		if (ra_isf(t) ? nf >= 8 : ni >= 6) {
			x86_fail(u, X86_EUNSUP);
			break;
		}
		r = ra_isf(t) ? XMM(nf++) : argregs[ni++];
		if (!ra_isf(t))
			norm(c, r, t);
		if (c->rhome[v] >= 0) { /* to its register (never an argument one) */
			movrr(c, c->rhome[v], r);
			continue;
		}
		if (c->glob[v] && r >= 16)
			x86_oprm(&c->b, XO_MOVSDST, 4, r - 16, rbpmem(ra_home(c, v)));
		else if (c->glob[v])
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(ra_home(c, v)), r);
		if (c->hi[v])
			ra_bind(c, v, r); /* block 0 starts with it in r */
	}
}

/* Entry of a bridge: its arguments are where the site left them; the
 * stack pointer moves below its frame. */
static void bridgeentry(X86Ctx *c)
{
	BSite *bs = c->u->from->be;
	RBlock *b0 = &c->u->blk[0];
	uint32_t i;

	room(c, 64);
	for (i = 0; i < b0->narg; i++)
		c->bu->home[b0->arg + i] = bs->loc[i];
	/* rsp = min(rsp, rbp - frame): never above a slot of a bridge that
	 * ran before (slots live until the root returns) */
	x86_oprm(&c->b, XO_LEA, 8, X86_R11, rbpmem(-0x10000)); /* disp32 */
	c->framepos = c->b.len - 4;
	x86_alurr(&c->b, XO_CMP, 8, X86_RSP, X86_R11);
	x86_cmov(&c->b, X86_CC_A, 8, X86_RSP, X86_R11);
}

/* Block b falls from b-1 and keeps the registers it uses; other entries
 * will need a pad that loads them (recorded, emitted after the blocks). */
static void keep(X86Ctx *c, uint32_t b)
{
	uint32_t m, first = c->npadreg;
	int r;

	ra_keepused(c, b);
	if (!c->used || !ra_needpad(c, b))
		return;
	for (m = c->used; m; m &= m - 1) {
		r = __builtin_ctz(m);
		if (!x86_grow(c->u, &c->padreg, &c->cappadreg, c->npadreg + 2,
		              sizeof *c->padreg))
			return;
		c->padreg[c->npadreg++] = (uint32_t)r;
		c->padreg[c->npadreg++] = c->vreg[r];
	}
	if (!x86_grow(c->u, &c->pad, &c->cappad, c->npad + 1, sizeof *c->pad))
		return;
	c->pad[c->npad].blk = b;
	c->pad[c->npad].body = c->b.len;
	c->pad[c->npad].reg = first;
	c->pad[c->npad++].n = (c->npadreg - first) / 2;
}

/* Emit an entry pad: load the registers its block keeps, jump to the
 * body; the block's entry address becomes the pad's. */
static void emitpad(X86Ctx *c, const Pad *p)
{
	uint32_t i, r, v;

	room(c, 16 * p->n + 16);
	c->bu->blkoff[p->blk] = c->b.len;
	for (i = 0; i < p->n; i++) {
		r = c->padreg[p->reg + 2 * i];
		v = c->padreg[p->reg + 2 * i + 1];
		if (r >= 16)
			x86_oprm(&c->b, XO_MOVSD, 4, r - 16, rbpmem(c->bu->home[v]));
		else
			x86_alurm(&c->b, XO_MOV, 8, r, rbpmem(c->bu->home[v]));
	}
	x86_jmp(&c->b, p->body);
}

/* Lower every block; returns 0 when the unit failed. */
static int lowerall(X86Ctx *c)
{
	X86Unit *u = c->u;
	uint32_t b, i, cur;
	RBlock *bk;
	RIns *in, *end;

	for (b = 0; b < u->nblk && !u->err; b++) {
		c->blk = b;
		c->bu->blkoff[b] = c->b.len;
		c->zfpos = 0; /* other ways in: flags unknown */
		if (b == 0 && !u->from)
			; /* the prologue left the parameters in registers */
		else if (ra_falls(c, b))
			keep(c, b);
		else
			ra_reset(c);
		bk = &u->blk[b];
		cur = 2 * (c->base[b] + 1); /* (ra_global) */
		for (in = bk->ins, end = in + bk->nins; in < end && !u->err;
		     in++, cur += 2) {
			c->cur = cur;
			if (in + 1 == end && fused(c, bk))
				break; /* the branch compares */
			lowerop(c, in);
			if (!in->pad)
				continue;
			if (in->pad & 1)
				ra_release(c, in->a);
			if (in->pad & 2)
				ra_release(c, in->b);
			if (in->pad & 4)
				ra_release(c, in->c);
		}
		terminator(c, &bk->x);
	}
	for (i = 0; i < c->npad && !u->err; i++)
		emitpad(c, &c->pad[i]);
	return !u->err && !c->b.err;
}

/* The code buffer of the last compilation, kept for the next one (a
 * buffer per compilation costs a malloc and, for big ones, a brk). */
static X86Buf spare;

/* The compile state's arrays of the last compilation, kept for the next
 * one like the code buffer: the per-value and per-block arrays (one
 * block, `temp`), ra_global's work area and the growing lists. */
static __thread struct {
	void *temp;                  /* setup's arrays */
	size_t captemp;              /* its size in bytes */
	void *glob;                  /* ra_global's work area (x86_scratch) */
	size_t capglob;              /* its size in bytes */
	uint32_t *xuse, *calls, *padreg; /* X86Ctx's lists, ... */
	uint32_t capxuse, capcall, cappadreg; /* ... their capacities */
	Pad *pad;                    /* entry pads */
	uint32_t cappad;             /* its capacity */
	Fix *fix;                    /* forward jumps */
	uint32_t capfix;             /* its capacity */
	Far *far;                    /* jumps into ancestors */
	uint32_t capfar;             /* its capacity */
} kept;

/* Room for n bytes in the area *p of *cap bytes (grown without copying),
 * NULL when out of memory. */
static void *scratch(void **p, size_t *cap, size_t n)
{
	void *q;

	if (n <= *cap && *p)
		return *p;
	free(*p);
	*p = NULL;
	*cap = 0;
	if (!(q = x86_alloc(NULL, n)))
		return NULL;
	*p = q;
	*cap = n;
	return q;
}

/* ra_global's work area of n bytes, reused across compilations (not
 * zeroed; NULL when out of memory). */
void *x86_scratch(size_t n)
{
	return scratch(&kept.glob, &kept.capglob, n);
}

/* Zeroed memory from x86_alloc (so tests can make it fail). */
static void *zalloc(size_t n)
{
	void *p = x86_alloc(NULL, n);

	if (p)
		memset(p, 0, n);
	return p;
}

/* Allocate the per-value and per-block arrays. */
static int setup(X86Ctx *c, X86Unit *u)
{
	BUnit *bu;
	uint32_t i;
	int32_t base;
	size_t nv = (size_t)u->nval + 1, nb = (size_t)u->nblk + 1, n;
	uint32_t *w;

	memset(c, 0, sizeof *c);
	c->u = u;
	c->b = spare; /* reuse the last code buffer */
	memset(&spare, 0, sizeof spare);
	c->b.len = 0;
	c->b.err = 0;
	c->xuse = kept.xuse, c->capxuse = kept.capxuse;
	c->calls = kept.calls, c->capcall = kept.capcall;
	c->padreg = kept.padreg, c->cappadreg = kept.cappadreg;
	c->pad = kept.pad, c->cappad = kept.cappad;
	c->fix = kept.fix, c->capfix = kept.capfix;
	c->far = kept.far, c->capfar = kept.capfar;
	kept.xuse = kept.calls = kept.padreg = NULL, kept.pad = NULL;
	kept.fix = NULL, kept.far = NULL;
	/* the BUnit and its arrays in one block: home blkoff rhome */
	n = sizeof *bu + nv * sizeof *bu->home + nb * sizeof *bu->blkoff + nv;
	if (!(bu = zalloc(n)))
		return x86_fail(u, X86_ENOMEM);
	u->be = c->bu = bu;
	bu->home = (int32_t *)(bu + 1);
	bu->blkoff = (uint32_t *)(bu->home + nv);
	c->rhome = bu->rhome = (int8_t *)(bu->blkoff + nb);
	/* slotoff base npred hi (32-bit), then glob jumparg reg; zero from
	 * npred to reg (ra_frame and ra_analyse set slotoff and base) */
	n = 4 * (u->nslot + 1 + 2 * nb + nv) + 3 * nv;
	if (!(w = scratch(&kept.temp, &kept.captemp, n)))
		return x86_fail(u, X86_ENOMEM);
	c->slotoff = (int32_t *)w, w += u->nslot + 1;
	c->base = w, w += nb;
	c->npred = w, w += nb;
	c->hi = w, w += nv;
	c->glob = (uint8_t *)w;
	c->jumparg = c->glob + nv;
	c->reg = (int8_t *)c->jumparg + nv;
	memset(c->npred, 0, (size_t)((uint8_t *)c->reg - (uint8_t *)c->npred));
	memset(c->reg, -1, nv);
	memset(c->rhome, -1, nv);
	base = SAVEAREA;
	if (u->from)
		base = ((BUnit *)u->root->be)->treeframe;
	bu->frame = base;
	for (i = 0; i < u->nslot; i++)
		c->slotoff[i] = ra_frame(c, u->slot[i].size, u->slot[i].align);
	return 1;
}

/* Free the compile state (the unit's BUnit stays; the arrays and the code
 * buffer are kept for the next compilation). */
static void cleanup(X86Ctx *c)
{
	kept.xuse = c->xuse, kept.capxuse = c->capxuse;
	kept.calls = c->calls, kept.capcall = c->capcall;
	kept.padreg = c->padreg, kept.cappadreg = c->cappadreg;
	kept.pad = c->pad, kept.cappad = c->cappad;
	kept.fix = c->fix, kept.capfix = c->capfix;
	kept.far = c->far, kept.capfar = c->capfar;
	if (!spare.code && c->b.cap <= (1u << 20))
		spare = c->b;
	else
		x86_buffree(&c->b);
}

/* Copy the code to executable memory, resolving jumps. */
static int place(X86Ctx *c)
{
	X86Unit *u = c->u;
	BUnit *bu = c->bu, *rb = u->root->be;
	int32_t frame, imm;
	uint32_t i;
	uint8_t *at;

	frame = (bu->frame + 15) & ~15;
	imm = u->from ? -frame : frame - SAVEAREA;
	memcpy(c->b.code + c->framepos, &imm, 4);
	if (frame > rb->treeframe)
		rb->treeframe = frame;
	for (i = 0; i < c->nfix; i++)
		x86_setrel32(&c->b, c->fix[i].at, bu->blkoff[c->fix[i].blk]);
	if (!(bu->code = x86_codereserve(c->b.len)))
		return x86_fail(u, X86_ECODE);
	at = x86_codeaddr(bu->code);
	for (i = 0; i < c->nfar; i++) {
		imm = (int32_t)((uint8_t *)c->far[i].target - (at + c->far[i].at + 4));
		memcpy(c->b.code + c->far[i].at, &imm, 4);
	}
	if (!x86_codewrite(at, c->b.code, c->b.len))
		return x86_fail(u, X86_ECODE);
	bu->len = c->b.len;
	u->code = at;
	return x86_placed(u);
}

/* The pipeline: verify, analyse liveness, lower every block, place the
 * code and build the flexswitch chains (x86.h). */
void *x86_compile(X86Unit *u)
{
	static int dump = -1; /* X86_DUMP is set (read once) */
	X86Ctx c;
	int ok;

	if (!u || u->err)
		return NULL;
	if (u->compiled)
		return u->code;
	if (x86_verify(u) != X86_OK)
		return NULL;
	if (u->from && (!u->from->unit->compiled || !u->from->be))
		return x86_fail(u, X86_EINVAL), NULL;
	ok = setup(&c, u);
	if (ok) {
		ra_analyse(&c);
		if (u->from)
			bridgeentry(&c); /* its arguments' homes first */
		ra_global(&c);
		if (!u->from)
			rootentry(&c);
		ok = lowerall(&c) && place(&c);
	}
	cleanup(&c);
	if (!ok) {
		if (!u->err)
			x86_fail(u, X86_ENOMEM);
		return NULL;
	}
	u->compiled = 1;
	u->frozen = 1;
	x86_perfmap(c.bu->code, u->from ? "jit-bridge" : "jit-unit");
	if (dump < 0)
		dump = getenv("X86_DUMP") != NULL;
	if (dump) {
		x86_print(stderr, u);
		x86_disasm(u->code, c.bu->len, stderr);
	}
	return u->code;
}
