/*
 * backend.h: types and functions shared by the backend files of codegen/x86
 * (encode.c, mem.c, regalloc.c, lower.c, isel.c, patch.c, disasm.c).  Engineer B's
 * part of the module; the residual IR is in internal.h.
 */
#ifndef X86_BACKEND_H
#define X86_BACKEND_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* General registers in hardware order; XMM registers are 0-15 too (the
 * opcode says which file a number names). */
enum {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
};
#define X86_NOREG (-1)

/* Condition codes (the low nibble of jcc/setcc/cmovcc). */
enum {
	X86_CC_O, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE,
	X86_CC_BE, X86_CC_A, X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP,
	X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G,
};

/* An opcode word (layout drawn in encode.c). */
typedef uint32_t X86Op;
#define XO(pfx, esc, op, ext) \
	((X86Op)(op) | (X86Op)(esc) << 8 | (X86Op)(pfx) << 16 | (X86Op)(ext) << 24)
#define XF_EXT  0x08000000u /* group opcode: ModRM.reg is the /digit */
#define XF_RM8  0x10000000u /* ModRM.rm names a byte register */
#define XF_NOW  0x20000000u /* size 8 does not set REX.W */
#define XG(op, d) (XO(0, 0, op, d) | XF_EXT)

/*
 * The instruction forms the backend emits: name, opcode word, operand kind,
 * mnemonic (Intel syntax, for the encoder's golden test).  Kinds:
 *   ALU   reg <- reg/mem, sizes 1-8, plus [mem] <- reg (op-2), imm (group 1)
 *   MOV   like ALU without imm group (mov)
 *   TEST  reg/mem, reg (85) and imm (F7 /0)
 *   SHIFT group 2 digit: by cl, by imm
 *   UNARY group 3 digit: not, neg, mul, imul, div, idiv
 *   RRM   reg <- reg/mem, sizes 2-8 (imul, lea, cmov base)
 *   EXT   reg <- reg8/16/32 or mem (movzx, movsx, movsxd)
 *   SSE   xmm <- xmm/mem64; SSEST [mem] <- xmm
 *   I2F   xmm <- gpr/mem 32/64;  F2I gpr 32/64 <- xmm/mem
 *   XG    xmm <- gpr64 (movq);  GX gpr64 <- xmm (movq, reg field is xmm)
 *   CC    condition-code families (setcc, cmovcc, jcc)
 *   MISC  the rest, hand-checked in the golden test
 */
#define X86_FORMS(_) \
	_(ADD,     XO(0, 0, 0x03, 0),       ALU,   "add") \
	_(OR,      XO(0, 0, 0x0b, 0),       ALU,   "or") \
	_(AND,     XO(0, 0, 0x23, 0),       ALU,   "and") \
	_(SUB,     XO(0, 0, 0x2b, 0),       ALU,   "sub") \
	_(XOR,     XO(0, 0, 0x33, 0),       ALU,   "xor") \
	_(CMP,     XO(0, 0, 0x3b, 0),       ALU,   "cmp") \
	_(MOV,     XO(0, 0, 0x8b, 0),       MOV,   "mov") \
	_(TEST,    XO(0, 0, 0x85, 0),       TEST,  "test") \
	_(SHL,     XG(0xd3, 4),             SHIFT, "shl") \
	_(SHR,     XG(0xd3, 5),             SHIFT, "shr") \
	_(SAR,     XG(0xd3, 7),             SHIFT, "sar") \
	_(NOT,     XG(0xf7, 2),             UNARY, "not") \
	_(NEG,     XG(0xf7, 3),             UNARY, "neg") \
	_(MUL,     XG(0xf7, 4),             UNARY, "mul") \
	_(DIV,     XG(0xf7, 6),             UNARY, "div") \
	_(IDIV,    XG(0xf7, 7),             UNARY, "idiv") \
	_(IMUL,    XO(0, 0x0f, 0xaf, 0),    RRM,   "imul") \
	_(LEA,     XO(0, 0, 0x8d, 0),       RRM,   "lea") \
	_(MOVZX8,  XO(0, 0x0f, 0xb6, 0) | XF_RM8, EXT, "movzx") \
	_(MOVZX16, XO(0, 0x0f, 0xb7, 0),    EXT,   "movzx") \
	_(MOVSX8,  XO(0, 0x0f, 0xbe, 0) | XF_RM8, EXT, "movsx") \
	_(MOVSX16, XO(0, 0x0f, 0xbf, 0),    EXT,   "movsx") \
	_(MOVSXD,  XO(0, 0, 0x63, 0),       EXT,   "movsxd") \
	_(MOVSD,   XO(0xf2, 0x0f, 0x10, 0), SSE,   "movsd") \
	_(MOVSDST, XO(0xf2, 0x0f, 0x11, 0), SSEST, "movsd") \
	_(ADDSD,   XO(0xf2, 0x0f, 0x58, 0), SSE,   "addsd") \
	_(SUBSD,   XO(0xf2, 0x0f, 0x5c, 0), SSE,   "subsd") \
	_(MULSD,   XO(0xf2, 0x0f, 0x59, 0), SSE,   "mulsd") \
	_(DIVSD,   XO(0xf2, 0x0f, 0x5e, 0), SSE,   "divsd") \
	_(SQRTSD,  XO(0xf2, 0x0f, 0x51, 0), SSE,   "sqrtsd") \
	_(UCOMISD, XO(0x66, 0x0f, 0x2e, 0), SSE,   "ucomisd") \
	_(XORPD,   XO(0x66, 0x0f, 0x57, 0), SSE,   "xorpd") \
	_(MOVAPD,  XO(0x66, 0x0f, 0x28, 0), SSE,   "movapd") \
	_(CVTSI2SD, XO(0xf2, 0x0f, 0x2a, 0), I2F,  "cvtsi2sd") \
	_(CVTTSD2SI, XO(0xf2, 0x0f, 0x2c, 0), F2I, "cvttsd2si") \
	_(MOVQXG,  XO(0x66, 0x0f, 0x6e, 0), XG,    "movq") \
	_(MOVQGX,  XO(0x66, 0x0f, 0x7e, 0), GX,    "movq") \
	_(SETCC,   XO(0, 0x0f, 0x90, 0),    CC,    "set") \
	_(CMOV,    XO(0, 0x0f, 0x40, 0),    CC,    "cmov") \
	_(GRP80,   XO(0, 0, 0x80, 0) | XF_EXT, MISC, "") \
	_(GRP81,   XO(0, 0, 0x81, 0) | XF_EXT, MISC, "") \
	_(GRP83,   XO(0, 0, 0x83, 0) | XF_EXT, MISC, "") \
	_(TESTI,   XG(0xf7, 0),             MISC,  "test") \
	_(MOVMI,   XG(0xc7, 0),             MISC,  "mov") \
	_(CALLR,   XG(0xff, 2) | XF_NOW,    MISC,  "call") \
	_(JMPR,    XG(0xff, 4) | XF_NOW,    MISC,  "jmp")

enum {
#define X86_OPENUM(name, op, kind, mn) XO_##name = op,
	X86_FORMS(X86_OPENUM)
#undef X86_OPENUM
};

/* [base + index<<scale + disp]; base or index may be X86_NOREG. */
typedef struct X86Mem {
	int8_t base;   /* base register or X86_NOREG */
	int8_t index;  /* index register (not rsp) or X86_NOREG */
	uint8_t scale; /* log2 of the index scale, 0..3 */
	int32_t disp;  /* displacement */
} X86Mem;

/* A growable code buffer, written forward. */
typedef struct X86Buf {
	uint8_t *code; /* bytes (malloc'd) */
	uint32_t len;  /* bytes written */
	uint32_t cap;  /* bytes allocated */
	int err;       /* set when growing failed: the buffer is garbage */
} X86Buf;

/* encode.c */
int x86_reserve(X86Buf *b, uint32_t n);
void x86_oprr(X86Buf *b, X86Op op, int sz, int reg, int rm);
void x86_movzx8(X86Buf *b, int dst, int src);
void x86_oprm(X86Buf *b, X86Op op, int sz, int reg, X86Mem m);
void x86_aluri(X86Buf *b, X86Op op, int sz, int dst, int32_t imm);
void x86_testri(X86Buf *b, int sz, int r, int32_t imm);
void x86_movmi(X86Buf *b, int sz, X86Mem m, int32_t imm);
void x86_movri(X86Buf *b, int r, int64_t v);
void x86_movabs(X86Buf *b, int r, int64_t v);
void x86_shiftri(X86Buf *b, X86Op op, int sz, int r, int n);
void x86_shiftrc(X86Buf *b, X86Op op, int sz, int r);
void x86_unary(X86Buf *b, X86Op op, int sz, int r);
void x86_imulrri(X86Buf *b, int sz, int dst, int src, int32_t imm);
void x86_setcc(X86Buf *b, int cc, int r);
void x86_cmov(X86Buf *b, int cc, int sz, int dst, int src);
void x86_push(X86Buf *b, int r);
void x86_pop(X86Buf *b, int r);
void x86_byte(X86Buf *b, int v);
void x86_cqo(X86Buf *b);
uint32_t x86_jcc(X86Buf *b, int cc, uint32_t target);
uint32_t x86_jmp(X86Buf *b, uint32_t target);
uint32_t x86_jcc8(X86Buf *b, int cc, uint32_t target);
uint32_t x86_jmp8(X86Buf *b, uint32_t target);
void x86_setrel32(X86Buf *b, uint32_t at, uint32_t target);
void x86_setrel8(X86Buf *b, uint32_t at, uint32_t target);
void x86_callr(X86Buf *b, int r);
void x86_jmpr(X86Buf *b, int r);
void x86_bytes(X86Buf *b, const void *p, uint32_t n);
void x86_align(X86Buf *b, uint32_t align);
void x86_buffree(X86Buf *b);

/* The ALU/MOV/TEST forms, inline so constant opcodes and sizes fold.  The
 * low opcode bit selects the byte form; the store direction is op - 2. */
static inline X86Op x86_byteop(X86Op op, int sz)
{
	return sz == 1 ? op & ~(X86Op)1 : op;
}

/* ALU dst, src (op is the reg <- r/m form, e.g. XO_ADD), encoded in the
 * r/m <- reg direction as assemblers do; TEST has only that form. */
static inline void x86_alurr(X86Buf *b, X86Op op, int sz, int dst, int src)
{
	uint8_t *p = b->code + b->len;

	op = op == XO_TEST ? op : op - 2;
	if (sz == 8 && b->len + 3 <= b->cap) { /* the common case, inline */
		p[0] = (uint8_t)(0x48 | (src >> 1 & 4) | (dst >> 3 & 1));
		p[1] = (uint8_t)op;
		p[2] = (uint8_t)(0xc0 | (src & 7) << 3 | (dst & 7));
		b->len += 3;
		return;
	}
	x86_oprr(b, x86_byteop(op, sz), sz, src, dst);
}

/* op reg, [rbp + disp8/disp32], 64-bit, for one-byte opcodes: 0 if it
 * does not apply (the caller then takes the general path). */
static inline int x86_rbp8(X86Buf *b, X86Op op, int reg, X86Mem m)
{
	uint8_t *p = b->code + b->len;

	if (m.base != X86_RBP || m.index != X86_NOREG || b->len + 7 > b->cap)
		return 0;
	p[0] = (uint8_t)(0x48 | (reg >> 1 & 4));
	p[1] = (uint8_t)op;
	if (m.disp >= -128 && m.disp <= 127) {
		p[2] = (uint8_t)(0x45 | (reg & 7) << 3);
		p[3] = (uint8_t)m.disp;
		b->len += 4;
	} else {
		p[2] = (uint8_t)(0x85 | (reg & 7) << 3);
		memcpy(p + 3, &m.disp, 4); /* little-endian */
		b->len += 7;
	}
	return 1;
}

/* ALU reg, [mem] (loads for XO_MOV). */
static inline void x86_alurm(X86Buf *b, X86Op op, int sz, int dst, X86Mem m)
{
	if (sz != 8 || !x86_rbp8(b, op, dst, m))
		x86_oprm(b, x86_byteop(op, sz), sz, dst, m);
}

/* [mem] <- reg: the store direction of ALU/MOV. */
static inline void x86_alumr(X86Buf *b, X86Op op, int sz, X86Mem m, int src)
{
	if (sz != 8 || !x86_rbp8(b, op - 2, src, m))
		x86_oprm(b, x86_byteop(op - 2, sz), sz, src, m);
}
#define X86_RET  0xc3
#define X86_INT3 0xcc
#define X86_CDQ  0x99

/* mem.c: executable memory (W^X arenas). */
typedef struct X86Code X86Code;
X86Code *x86_codealloc(const void *bytes, uint32_t len);
X86Code *x86_codereserve(uint32_t len);
void x86_codefree(X86Code *c);
void *x86_codeaddr(const X86Code *c);
int x86_codewrite(void *at, const void *bytes, uint32_t len);
void x86_codelimit(size_t bytes);
void x86_perfmap(const X86Code *c, const char *name);
void x86_perfmapon(int on);

/* Backend data of a compiled unit (X86Unit.be). */
typedef struct BUnit {
	X86Code *code;     /* its machine code */
	uint32_t len;      /* code bytes */
	int32_t *home;     /* per value: rbp offset of its home, 0 if none */
	int8_t *rhome;     /* per value: register it lives in for its whole
	                      live range (ra_global), or -1 */
	uint32_t *blkoff;  /* per block: code offset */
	int32_t frame;     /* frame bytes below rbp used by this unit */
	int32_t treeframe; /* root: the deepest frame of the tree so far */
	int32_t rspframe;  /* rsp <= rbp - rspframe all through this unit's
	                      code (a bridge: from its entry on) */
	uint32_t entry;    /* offset of the entry: a bridge whose frame is
	                      within its parent's rspframe skips the rsp move */
} BUnit;

/* Backend data of a patchable exit (X86Exit.be). */
typedef struct BSite {
	int32_t *loc;      /* per live value: rbp offset where it is */
	uint32_t jmpoff;   /* offset in the unit's code of the jmp rel32 */
	uint32_t *refs;    /* stub starting with that jmp: offsets of the
	                      rel32 of the unit's jumps to it (re-pointed to
	                      the bridge with it) */
	uint32_t nref;     /* their count */
	uint32_t slowoff;  /* flexswitch: offset of the slow path */
	X86Code **chunks;  /* flexswitch: pieces of the case chain */
	uint32_t nchunk;   /* their count */
	uint8_t *tail;     /* flexswitch: the chain's final jmp */
	uint8_t *end;      /* end of the current chunk */
} BSite;

/* --- lowering and register allocation (lower.c, regalloc.c) --- */

#define NREG 32        /* 0-15 general registers, 16-31 xmm0-15 */
#define XMM(n) (16 + (n))
/* Allocatable general registers: rax rcx rdx rbx rsi rdi r8-r10 r12-r15
 * (rsp, rbp reserved; r11 scratch); xmm0-14 (xmm15 scratch). */
#define INTREGS 0xf7cfu
#define XMMREGS 0x7fff0000u
/* Registers the global allocator (ra_global) hands out for whole live
 * ranges: the callee-saved rbx r12-r15 (they survive calls), and xmm8-14
 * for f64 ranges that contain no call.  Those it does not use stay in the
 * local allocator's pools (X86Ctx.imask, xmask). */
#define GINTREGS 0xf008u
#define GXMMREGS 0x7f000000u
/* Caller-saved general registers ra_global also hands out, to integer
 * ranges that contain no call (a call using the value as an argument
 * counts): r8-r10.  A stub's bridge does not find such a value in its
 * register (the slow path's call clobbers it): the stub stores it to the
 * frame first (x86_sitereg, livestores). */
#define GCALLREGS 0x0700u

/* A forward jump to a block, resolved when the code is placed. */
typedef struct {
	uint32_t at;  /* offset of the rel32 field */
	uint32_t blk; /* target block */
} Fix;

/* A jump to code outside the unit (an ancestor's reentry block). */
typedef struct {
	uint32_t at;  /* offset of the rel32 field */
	void *target; /* absolute target */
} Far;

/* An entry pad: loads registers block blk expects, then jumps to it. */
typedef struct {
	uint32_t blk;  /* the block */
	uint32_t body; /* code offset of its body (after the pad's loads) */
	uint32_t reg;  /* first (register, value) pair in padreg[] */
	uint32_t n;    /* pair count */
} Pad;

/* Compile state of one unit. */
typedef struct X86Ctx {
	X86Unit *u;       /* the unit */
	X86Buf b;         /* code being written */
	BUnit *bu;        /* backend data kept after compilation */
	uint8_t *glob;    /* per value: needs a home */
	uint8_t *jumparg; /* per value: passed by a jump (hi[v] != 0: used) */
	int8_t *reg;      /* per value: register caching it, or -1 */
	uint32_t vreg[NREG]; /* per register: value cached, 0 if none */
	uint32_t lock;    /* registers the current op must not lose */
	uint32_t used;    /* registers caching a value */
	uint32_t gmask;   /* registers caching a global value */
	uint32_t score[NREG]; /* per register: last use of its local value,
	                         all ones for a global (in memory: cheap) */
	uint32_t cur;     /* position of the current op (ra_global) */
	RIns *in;         /* the current op (NULL at a terminator) */
	uint32_t blk;     /* current block */
	Fix *fix;         /* forward jumps */
	uint32_t nfix, capfix; /* count, allocated */
	Far *far;         /* jumps into ancestors' code */
	uint32_t nfar, capfar; /* count, allocated */
	uint32_t framepos; /* offset of the frame size imm32 to patch */
	uint32_t rspend;  /* bridge: offset right after its rsp move */
	int32_t xslot[32]; /* exit slots: the k-th value an exit stores goes
	                      to xslot[k], shared by the unit's exits */
	uint32_t nxslot;  /* exit slots allocated */
	int32_t *slotoff; /* per stack slot: its rbp offset */
	uint32_t *npred;  /* per block: edges into it from this unit */
	Pad *pad;         /* entry pads to emit after the blocks */
	uint32_t npad, cappad; /* count, allocated */
	uint32_t *padreg; /* their (register, value) pairs */
	uint32_t npadreg, cappadreg; /* count, allocated */
	int8_t *rhome;    /* per value: its register for its whole live
	                     range, or -1 (BUnit.rhome) */
	uint32_t *base;   /* per block: its first position / 2 (ra_global) */
	uint32_t *hi;     /* per value: position of its last use (positions:
	                     see ra_global; c->cur is the current op's) */
	uint32_t *xuse;   /* (value, block) pairs: uses in other blocks */
	uint32_t nxuse, capxuse; /* count (2 per pair), allocated */
	uint32_t *calls;  /* positions of the calls, increasing */
	uint32_t ncall, capcall; /* count, allocated */
	uint32_t zfval;   /* value the last ALU op computed (ZF is its == 0) */
	uint32_t zfpos;   /* code offset right after it (0: none) */
	uint32_t imask;   /* general registers of the local allocator */
	uint32_t xmask;   /* xmm registers of the local allocator */
	uint32_t *lnext;  /* per block: the block lowered right after it
	                     (falls from it), or X86_NOBLK (lower.c: layout) */
	uint32_t *lprev;  /* per block: the block lowered right before it */
	uint32_t cold;    /* first block of the cold section, or X86_NOBLK */
	uint32_t tail;    /* code offset of the exit tail (lower.c), 0: none */
	uint32_t tailfix; /* 1 + offset of the rel32 of a jump to the exit
	                     tail emitted before it (block 0's stub), or 0 */
} X86Ctx;

/* Is type held in an xmm register? */
static inline int ra_isf(int type)
{
	return type == X86_F64;
}

/* The frame operand [rbp + off]. */
static inline X86Mem rbpmem(int32_t off)
{
	X86Mem m = {X86_RBP, X86_NOREG, 0, off};

	return m;
}

/* Forget what register r caches (regalloc.c's hot path, inline). */
static inline void ra_drop(X86Ctx *c, int r)
{
	if (c->vreg[r])
		c->reg[c->vreg[r]] = -1;
	c->vreg[r] = 0;
	c->used &= ~(1u << r);
	c->gmask &= ~(1u << r);
}

/* Bind value v to register r (r holds v's value now). */
static inline void ra_bind(X86Ctx *c, uint32_t v, int r)
{
	ra_drop(c, r);
	if (c->reg[v] >= 0)
		ra_drop(c, c->reg[v]);
	c->vreg[r] = v;
	c->reg[v] = (int8_t)r;
	c->used |= 1u << r;
	c->gmask |= (uint32_t)c->glob[v] << r;
	c->score[r] = c->glob[v] ? 0xffffffffu : c->hi[v];
}

/* Bind the current op's result v, defined just now, to register r, which
 * holds nothing (the fast ra_bind of def). */
static inline void ra_bindnew(X86Ctx *c, uint32_t v, int r)
{
	if (c->vreg[r])
		ra_drop(c, r);
	c->vreg[r] = v;
	c->reg[v] = (int8_t)r;
	c->used |= 1u << r;
	c->gmask |= (uint32_t)c->glob[v] << r;
	c->score[r] = c->glob[v] ? 0xffffffffu : c->hi[v];
}

/* After the current op: free the register of operand r, whose value this
 * block does not use again (a global stays in its home; a value living in
 * its register across blocks is not in vreg[], so dropping is a no-op). */
static inline void ra_release(X86Ctx *c, X86Ref r)
{
	uint32_t v = X86_REFIDX(r);

	if (c->reg[v] >= 0)
		ra_drop(c, c->reg[v]);
}

/* Lock the register already holding operand r for the current op. */
static inline void ra_lock(X86Ctx *c, X86Ref r)
{
	if (X86_REFKIND(r) == XK_VAL && c->reg[X86_REFIDX(r)] >= 0)
		c->lock |= 1u << c->reg[X86_REFIDX(r)];
}

/* Is operand r of the current op still needed after it (in this
 * block)?  ra_analyse flagged the last use of each value in each block. */
static inline int ra_liveafter(X86Ctx *c, X86Ref r)
{
	RIns *in = c->in;

	return !in || !((in->a == r && (in->pad & 1)) ||
	                (in->b == r && (in->pad & 2)) ||
	                (in->c == r && (in->pad & 4)));
}

/* regalloc.c */
int ra_evict(X86Ctx *c, int type, uint32_t m);

/* A free register of the class of type, not in avoid (regalloc.c's fast
 * path; ra_evict makes one free). */
static inline int ra_alloc(X86Ctx *c, int type, uint32_t avoid)
{
	uint32_t m = (ra_isf(type) ? c->xmask : c->imask) & ~(avoid | c->lock);

	if (m & ~c->used)
		return __builtin_ctz(m & ~c->used);
	return ra_evict(c, type, m);
}

int32_t ra_frame(X86Ctx *c, int32_t size, int32_t align);
int32_t ra_home(X86Ctx *c, uint32_t v);
void ra_spill(X86Ctx *c, int r);
void ra_free(X86Ctx *c, int r);
int ra_evict(X86Ctx *c, int type, uint32_t m);
void ra_reset(X86Ctx *c);
int ra_falls(X86Ctx *c, uint32_t b);
int ra_needpad(X86Ctx *c, uint32_t b);
void ra_keepused(X86Ctx *c, uint32_t b);
void ra_analyse(X86Ctx *c);
void ra_global(X86Ctx *c);

/* lower.c and isel.c: lowering */
#define SAVEAREA 40 /* callee-saved registers below rbp */
#define CALLERSAVED 0xffff0fc7u /* rax rcx rdx rsi rdi r8-r11, all xmm */

extern const uint8_t lw_argregs[6];     /* integer argument registers */
extern const uint8_t lw_calleesaved[5]; /* rbx r12-r15, push order */

/* Make room in the code buffer for n more bytes (the emitters do not). */
static inline void room(X86Ctx *c, uint32_t n)
{
	if (c->b.len + n > c->b.cap && !x86_reserve(&c->b, n))
		x86_fail(c->u, X86_ENOMEM);
}

static inline int iscon(X86Ref r)
{
	return X86_REFKIND(r) == XK_CON;
}

/* The type of operand r (a value or a constant). */
static inline int rtype(X86Ctx *c, X86Ref r)
{
	return iscon(r) ? c->u->con[X86_REFIDX(r)].type
	                : c->u->val[X86_REFIDX(r)].type;
}

static inline int64_t conval(X86Ctx *c, X86Ref r)
{
	return c->u->con[X86_REFIDX(r)].v; /* x86_conval, inline */
}

/* x86_bits of an integer type, inline (X86_I8..X86_PTR are 8 16 32 64 64;
 * else 0). */
static inline int bits(int type)
{
	return type == X86_I8 ? 8 : type == X86_I16 ? 16 : type == X86_I32 ? 32
	     : type == X86_I64 || type == X86_PTR ? 64 : 0;
}

void lw_op(X86Ctx *c, RIns *in);
int lw_use(X86Ctx *c, X86Ref r);
void lw_loadto(X86Ctx *c, X86Ref r, int dst);
void lw_movrr(X86Ctx *c, int d, int s);
void lw_norm(X86Ctx *c, int r, int type);
int lw_cmpflags(X86Ctx *c, RIns *in);
void *x86_compile(X86Unit *u);
int x86_opt(X86Unit *u); /* opt.c: the IR clean-up before lowering */
void *x86_scratch(size_t n);

/* patch.c: stubs, flexswitches, bridges */
int x86_placed(X86Unit *u);
void *x86_exithelper(X86Unit *u, uint32_t id, uint8_t *rbp, int64_t value);
/* lower.c: the register where a stub's bridge finds live value i, or -1 */
int x86_sitereg(const X86Exit *s, uint32_t i);

/* disasm.c */
int x86_disasm(const void *code, size_t len, FILE *out);
int x86_insncount(const void *code, size_t len);

#endif
