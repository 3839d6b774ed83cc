/*
 * encode.c: x86-64 instruction encoding.
 *
 * Small composable emitters in the style of LuaJIT's emit_rr/emit_rmro.
 * Every instruction goes through one of two places that compute the
 * prefixes, REX and ModRM/SIB bytes: oprr() for a register r/m operand and
 * oprm() for a memory operand.  Opcodes are X86Op words (see X86_FORMS in
 * internal.h) that carry their bytes:
 *
 *   31   27  24 23         16 15          8 7           0
 *   +------+---+-------------+-------------+-------------+
 *   | flag |ext| mand. prefix| escape 0x0F | opcode byte |
 *   +------+---+-------------+-------------+-------------+
 *
 * ext is the /digit placed in ModRM.reg by group opcodes.  Code is written
 * forward into an X86Buf; x86_reserve makes room ahead of a group of
 * instructions; an emitter that would pass the room (or an allocation
 * failure) sets buf->err and drops the bytes, so callers check once at
 * the end.
 */
#include <stdlib.h>
#include <string.h>

#include "backend.h"

/* Check that n more bytes fit the room reserved by x86_reserve; else set
 * err (the emitters never allocate, so they stay cheap leaf functions). */
static inline int need(X86Buf *b, uint32_t n)
{
	if (__builtin_expect(b->len + n <= b->cap, 1))
		return 1;
	b->err = 1;
	return 0;
}

/* Make room for at least n more bytes: callers reserve enough for what
 * they emit next (lower.c: per residual op).  0 (and err) when out of
 * memory. */
int x86_reserve(X86Buf *b, uint32_t n)
{
	uint32_t cap;
	uint8_t *p;

	if (b->len + n <= b->cap)
		return 1;
	if (b->err)
		return 0;
	cap = b->cap ? b->cap * 2 : 4096;
	while (cap < b->len + n)
		cap *= 2;
	p = x86_alloc(b->code, cap);
	if (!p) {
		b->err = 1;
		return 0;
	}
	b->code = p;
	b->cap = cap;
	return 1;
}

/* Append one byte (room must have been made by need()). */
static void byte(X86Buf *b, int v)
{
	b->code[b->len++] = (uint8_t)v;
}

static void imm32(X86Buf *b, int32_t v)
{
	uint32_t u = (uint32_t)v;

	byte(b, u);
	byte(b, u >> 8);
	byte(b, u >> 16);
	byte(b, u >> 24);
}

static void imm64(X86Buf *b, int64_t v)
{
	imm32(b, (int32_t)(uint32_t)v);
	imm32(b, (int32_t)(uint32_t)((uint64_t)v >> 32));
}

/*
 * Prefixes, REX, escape and opcode byte of op, written at p; returns the
 * next byte.  sz is the operand size (1, 2, 4, 8; 8 sets REX.W, 2 adds
 * 0x66); rex holds the REX.R/X/B bits; b8 says a byte register 4..7
 * (spl..dil) is named, which needs a REX.
 */
static inline __attribute__((always_inline)) uint8_t *
head(uint8_t *p, X86Op op, int sz, int rex, int b8)
{
	int pfx = (op >> 16) & 0xff;

	if (sz == 2)
		*p++ = 0x66;
	if (pfx)
		*p++ = (uint8_t)pfx;
	if (sz == 8 && !(op & XF_NOW))
		rex |= 8;
	if (rex || b8)
		*p++ = (uint8_t)(0x40 | rex);
	if (op & 0xff00)
		*p++ = (uint8_t)(op >> 8);
	*p++ = (uint8_t)op;
	return p;
}

/* Is r a byte register that needs a REX prefix to be named (spl..dil)? */
static int isb8(int r)
{
	return r >= 4 && r < 8;
}

/* Operand-size byte flags: which operands are byte registers. */
static int byteregs(X86Op op, int sz, int reg, int rm)
{
	int f = 0;

	if ((sz == 1 || (op & XF_RM8)) && isb8(rm))
		f = 1;
	if (sz == 1 && !(op & XF_EXT) && isb8(reg))
		f = 1;
	return f;
}

/* The common register-register form, inline (constant arguments fold):
 * REX (W when w; a bare one when rm8 and rm is a byte register 4..7), an
 * optional 0x0f escape, the opcode byte and ModRM.  The caller checked
 * the room; returns the next byte.  Same bytes as oprr's general path. */
static inline __attribute__((always_inline)) uint8_t *
rrfast(uint8_t *p, int esc, int opc, int w, int rm8, int reg, int rm)
{
	int rex = w << 3 | (reg >> 1 & 4) | (rm >> 3 & 1);

	if (rex || (rm8 && isb8(rm)))
		*p++ = (uint8_t)(0x40 | rex);
	if (esc)
		*p++ = 0x0f;
	*p++ = (uint8_t)opc;
	*p++ = (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7));
	return p;
}

/* The fast path's epilogue: n bytes checked, p the next byte. */
#define FASTROOM(b, n) ((b)->len + (n) <= (b)->cap)
#define FASTEND(b, p) ((b)->len = (uint32_t)((p) - (b)->code))

/* movzx dst32, src8 (setcc's companion), the fast form of x86_oprr. */
void x86_movzx8(X86Buf *b, int dst, int src)
{
	if (FASTROOM(b, 4))
		FASTEND(b, rrfast(b->code + b->len, 1, 0xb6, 0, 1, dst, src));
	else
		x86_oprr(b, XO_MOVZX8, 4, dst, src);
}

/* op reg, rm where both are registers (rm in ModRM.rm). */
void x86_oprr(X86Buf *b, X86Op op, int sz, int reg, int rm)
{
	uint8_t *p;
	int rex;

	if (!need(b, 16))
		return;
	if (op & XF_EXT)
		reg = (op >> 24) & 7;
	rex = ((reg & 8) ? 4 : 0) | ((rm & 8) ? 1 : 0);
	p = head(b->code + b->len, op, sz, rex, byteregs(op, sz, reg, rm));
	*p++ = (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7));
	b->len = (uint32_t)(p - b->code);
}

/*
 * op reg, [base + index<<scale + disp].  base may be X86_NOREG (absolute
 * disp32); index X86_NOREG for none (rsp cannot be an index).
 */
static __attribute__((noinline)) void oprmgen(X86Buf *b, X86Op op, int sz,
                                              int reg, X86Mem m, int b8);

void x86_oprm(X86Buf *b, X86Op op, int sz, int reg, X86Mem m)
{
	int b8;
	uint8_t *p;

	if (!need(b, 16))
		return;
	b8 = sz == 1 && !(op & XF_EXT) && isb8(reg);
	if (op & XF_EXT)
		reg = (op >> 24) & 7;
	if (m.base != X86_RBP || m.index != X86_NOREG || b8) {
		oprmgen(b, op, sz, reg, m, b8);
		return;
	}
	/* the frame operand [rbp + disp] of homes: the common case (a leaf
	 * without saved registers; the rest is oprmgen's) */
	p = head(b->code + b->len, op, sz, (reg & 8) ? 4 : 0, 0);
	if (m.disp >= -128 && m.disp <= 127) {
		*p++ = (uint8_t)(0x45 | (reg & 7) << 3);
		*p++ = (uint8_t)m.disp;
	} else {
		*p++ = (uint8_t)(0x85 | (reg & 7) << 3);
		memcpy(p, &m.disp, 4);
		p += 4;
	}
	b->len = (uint32_t)(p - b->code);
}

/* x86_oprm's general case (reg already holds the /digit; b8: reg is a byte
 * register that needs a REX). */
static void oprmgen(X86Buf *b, X86Op op, int sz, int reg, X86Mem m, int b8)
{
	int rex, mod, base = m.base, idx = m.index;
	uint8_t *p;

	rex = ((reg & 8) ? 4 : 0) | (idx != X86_NOREG && (idx & 8) ? 2 : 0) |
	      (base != X86_NOREG && (base & 8) ? 1 : 0);
	p = head(b->code + b->len, op, sz, rex, b8);
	if (base == X86_NOREG) {
		*p++ = (uint8_t)(0x04 | (reg & 7) << 3);
		*p++ = (uint8_t)(m.scale << 6 | (idx == X86_NOREG ? 4 : idx & 7) << 3 | 5);
		mod = 2;
	} else {
		if (m.disp == 0 && (base & 7) != X86_RBP)
			mod = 0;
		else if (m.disp >= -128 && m.disp <= 127)
			mod = 1;
		else
			mod = 2;
		if (idx == X86_NOREG && (base & 7) != X86_RSP) {
			*p++ = (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7));
		} else {
			*p++ = (uint8_t)(mod << 6 | (reg & 7) << 3 | 4);
			*p++ = (uint8_t)(m.scale << 6 |
			                 (idx == X86_NOREG ? 4 : idx & 7) << 3 | (base & 7));
		}
	}
	if (mod == 1) {
		*p++ = (uint8_t)m.disp;
	} else if (mod == 2) {
		memcpy(p, &m.disp, 4); /* little-endian */
		p += 4;
	}
	b->len = (uint32_t)(p - b->code);
}

/* The group-1 digit (ModRM.reg) of an ALU opcode: add 0, or 1, ... cmp 7. */
static int aludigit(X86Op op)
{
	return (op & 0xff) >> 3;
}

/* Append an immediate of operand size sz (at most 4 bytes). */
static void immsz(X86Buf *b, int sz, int32_t imm)
{
	if (!need(b, 4))
		return;
	if (sz == 1)
		byte(b, imm);
	else if (sz == 2)
		byte(b, imm), byte(b, imm >> 8);
	else
		imm32(b, imm);
}

/* ALU reg, imm: the short imm8 form when it fits, the eax form else. */
void x86_aluri(X86Buf *b, X86Op op, int sz, int dst, int32_t imm)
{
	int d = aludigit(op);
	uint8_t *p;

	if (sz == 8 && imm >= -128 && imm <= 127 && FASTROOM(b, 4)) {
		p = rrfast(b->code + b->len, 0, 0x83, 1, 0, d, dst);
		*p++ = (uint8_t)imm;
		FASTEND(b, p);
		return;
	}
	if (dst == X86_RAX && (sz == 1 || imm < -128 || imm > 127)) {
		if (!need(b, 3))
			return;
		b->len = (uint32_t)(head(b->code + b->len,
		                         (X86Op)(d << 3 | (sz == 1 ? 4 : 5)), sz, 0, 0) -
		                    b->code);
		immsz(b, sz, imm);
	} else if (sz == 1) {
		x86_oprr(b, XO_GRP80 | (X86Op)d << 24, 1, 0, dst);
		if (need(b, 1))
			byte(b, imm);
	} else if (imm >= -128 && imm <= 127) {
		x86_oprr(b, XO_GRP83 | (X86Op)d << 24, sz, 0, dst);
		if (need(b, 1))
			byte(b, imm);
	} else {
		x86_oprr(b, XO_GRP81 | (X86Op)d << 24, sz, 0, dst);
		immsz(b, sz, imm);
	}
}

/* TEST reg, imm (the eax form for rax). */
void x86_testri(X86Buf *b, int sz, int r, int32_t imm)
{
	if (r == X86_RAX) {
		if (need(b, 3))
			b->len = (uint32_t)(head(b->code + b->len, sz == 1 ? 0xa8 : 0xa9,
			                         sz, 0, 0) - b->code);
	} else {
		x86_oprr(b, x86_byteop(XO_TESTI, sz), sz, 0, r);
	}
	immsz(b, sz, imm);
}

/* MOV [mem], imm (imm sign-extended to 64 bits when sz is 8). */
void x86_movmi(X86Buf *b, int sz, X86Mem m, int32_t imm)
{
	x86_oprm(b, x86_byteop(XO_MOVMI, sz), sz, 0, m);
	immsz(b, sz, imm);
}

/*
 * Load a 64-bit constant into r with the shortest form: mov r32, imm32
 * (zero-extends), mov r64, simm32, or movabs.  Flags are untouched.
 */
void x86_movri(X86Buf *b, int r, int64_t v)
{
	if (!need(b, 16))
		return;
	if (v >= 0 && v <= 0xffffffffLL) {
		if (r & 8)
			byte(b, 0x41);
		byte(b, 0xb8 | (r & 7));
		imm32(b, (int32_t)(uint32_t)v);
	} else if (v >= INT32_MIN && v <= INT32_MAX) {
		x86_oprr(b, XO_MOVMI, 8, 0, r);
		imm32(b, (int32_t)v);
	} else {
		x86_movabs(b, r, v);
	}
}

/* movabs r, imm64: always 10 bytes, so the constant can be patched. */
void x86_movabs(X86Buf *b, int r, int64_t v)
{
	if (!need(b, 10))
		return;
	byte(b, 0x48 | ((r & 8) ? 1 : 0));
	byte(b, 0xb8 | (r & 7));
	imm64(b, v);
}

/* Shift r by an immediate count (op is a shift group opcode, e.g. XO_SHL). */
void x86_shiftri(X86Buf *b, X86Op op, int sz, int r, int n)
{
	uint8_t *p;

	if (sz == 8 && FASTROOM(b, 4)) {
		p = rrfast(b->code + b->len, 0, n == 1 ? 0xd1 : 0xc1, 1, 0,
		           (op >> 24) & 7, r);
		if (n != 1)
			*p++ = (uint8_t)n;
		FASTEND(b, p);
		return;
	}
	if (n == 1) {
		x86_oprr(b, (sz == 1 ? 0xd0 : 0xd1) | (op & 0x7000000) | XF_EXT, sz,
		         0, r);
		return;
	}
	x86_oprr(b, (sz == 1 ? 0xc0 : 0xc1) | (op & 0x7000000) | XF_EXT, sz, 0, r);
	if (need(b, 1))
		byte(b, n);
}

/* Shift r by cl. */
void x86_shiftrc(X86Buf *b, X86Op op, int sz, int r)
{
	if (sz == 8 && FASTROOM(b, 3)) {
		FASTEND(b, rrfast(b->code + b->len, 0, 0xd3, 1, 0, (op >> 24) & 7, r));
		return;
	}
	x86_oprr(b, (sz == 1 ? 0xd2 : 0xd3) | (op & 0x7000000) | XF_EXT, sz, 0, r);
}

/* A group-3 unary op (not, neg, mul, imul, div, idiv) on a register. */
void x86_unary(X86Buf *b, X86Op op, int sz, int r)
{
	x86_oprr(b, x86_byteop(op, sz), sz, 0, r);
}

/* imul dst, src, imm. */
void x86_imulrri(X86Buf *b, int sz, int dst, int src, int32_t imm)
{
	uint8_t *p;

	if (sz == 8 && imm >= -128 && imm <= 127 && FASTROOM(b, 4)) {
		p = rrfast(b->code + b->len, 0, 0x6b, 1, 0, dst, src);
		*p++ = (uint8_t)imm;
		FASTEND(b, p);
		return;
	}
	if (imm >= -128 && imm <= 127) {
		x86_oprr(b, 0x6b, sz, dst, src);
		if (need(b, 1))
			byte(b, imm);
	} else {
		x86_oprr(b, 0x69, sz, dst, src);
		immsz(b, sz, imm);
	}
}

/* setcc r8 (r's low byte). */
void x86_setcc(X86Buf *b, int cc, int r)
{
	if (FASTROOM(b, 4)) {
		FASTEND(b, rrfast(b->code + b->len, 1, 0x90 + cc, 0, 1, 0, r));
		return;
	}
	x86_oprr(b, (XO_SETCC + cc) | XF_RM8, 4, 0, r);
}

/* cmovcc dst, src. */
void x86_cmov(X86Buf *b, int cc, int sz, int dst, int src)
{
	if (sz == 8 && FASTROOM(b, 4)) {
		FASTEND(b, rrfast(b->code + b->len, 1, 0x40 + cc, 1, 0, dst, src));
		return;
	}
	x86_oprr(b, XO_CMOV + cc, sz, dst, src);
}

/* push/pop a 64-bit register. */
void x86_push(X86Buf *b, int r)
{
	if (!need(b, 2))
		return;
	if (r & 8)
		byte(b, 0x41);
	byte(b, 0x50 | (r & 7));
}

void x86_pop(X86Buf *b, int r)
{
	if (!need(b, 2))
		return;
	if (r & 8)
		byte(b, 0x41);
	byte(b, 0x58 | (r & 7));
}

/* A one-byte instruction with no operands (ret, int3, cdq; cqo uses REX). */
void x86_byte(X86Buf *b, int v)
{
	if (need(b, 1))
		byte(b, v);
}

void x86_cqo(X86Buf *b)
{
	if (need(b, 2))
		byte(b, 0x48), byte(b, 0x99);
}

/*
 * Branches.  jmp/jcc/call to a target offset inside the buffer, or with a
 * rel32 to be filled later: they return the offset of their rel32 field.
 */
uint32_t x86_jcc(X86Buf *b, int cc, uint32_t target)
{
	if (!need(b, 6))
		return 0;
	byte(b, 0x0f);
	byte(b, 0x80 + cc);
	imm32(b, (int32_t)(target - (b->len + 4)));
	return b->len - 4;
}

uint32_t x86_jmp(X86Buf *b, uint32_t target)
{
	if (!need(b, 5))
		return 0;
	byte(b, 0xe9);
	imm32(b, (int32_t)(target - (b->len + 4)));
	return b->len - 4;
}

/* Short jcc/jmp (rel8) to an offset within 127 bytes; returns its field. */
uint32_t x86_jcc8(X86Buf *b, int cc, uint32_t target)
{
	if (!need(b, 2))
		return 0;
	byte(b, 0x70 + cc);
	byte(b, (int)(target - (b->len + 1)));
	return b->len - 1;
}

uint32_t x86_jmp8(X86Buf *b, uint32_t target)
{
	if (!need(b, 2))
		return 0;
	byte(b, 0xeb);
	byte(b, (int)(target - (b->len + 1)));
	return b->len - 1;
}

/* Point the rel32 field at offset at to target (both buffer offsets). */
void x86_setrel32(X86Buf *b, uint32_t at, uint32_t target)
{
	int32_t d = (int32_t)(target - (at + 4));

	if (b->err)
		return;
	memcpy(b->code + at, &d, 4);
}

void x86_setrel8(X86Buf *b, uint32_t at, uint32_t target)
{
	if (!b->err)
		b->code[at] = (uint8_t)(int8_t)(target - (at + 1));
}

/* call/jmp through a register. */
void x86_callr(X86Buf *b, int r)
{
	x86_oprr(b, XO_CALLR, 4, 0, r);
}

void x86_jmpr(X86Buf *b, int r)
{
	x86_oprr(b, XO_JMPR, 4, 0, r);
}

/* Append raw bytes (alignment padding, data). */
void x86_bytes(X86Buf *b, const void *p, uint32_t n)
{
	if (need(b, n)) {
		memcpy(b->code + b->len, p, n);
		b->len += n;
	}
}

/* Pad with int3 up to a multiple of align. */
void x86_align(X86Buf *b, uint32_t align)
{
	while (!b->err && b->len % align)
		x86_byte(b, 0xcc);
}

void x86_buffree(X86Buf *b)
{
	free(b->code);
	memset(b, 0, sizeof *b);
}
