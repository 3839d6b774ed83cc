/* tlf.c: TLF, TL with its state in a frame struct: the test interpreter of
 * virtualizable frames (TS_VIRTUALIZABLE, docs/timeshift.md).
 *
 *   usage: tlf FILE N       runs the program in FILE with input argument N
 *                           and prints the result
 *
 * The language is TL's (interpreters/tl/tl.c, same opcodes, same programs,
 * same results; messages start with "tlf:").  The difference is where the
 * interpreter keeps its state: the operand stack and its depth live in a
 * `struct tlf_frame` that the caller passes by pointer, and every stack
 * access goes through it.  The portal marks the frame TS_VIRTUALIZABLE, so
 * JIT code keeps the frame's fields in registers and writes them back when
 * it returns, leaves, or calls code that may look at them.
 *
 * Portal: tlf_interp(code, len, pc, arg, depth, f).  Greens: pc, the code
 * (deep-frozen), its length and sp, a copy of the depth f->sp promoted at
 * the entry and kept equal to it (in a well-formed program the depth at
 * each pc is fixed), so stack slots are at constant offsets of the frame.
 * CALL recurses into the portal with a new frame (a local of the caller).
 *
 * The assembler is interpreters/asm.c with TL's settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hints.h"

/* Opcodes: name, operand kind ("" none, "i" integer, "j" branch offset).
 * Numbers are PyPy's.  "pop a, pop b, push b op a" for binary ops. */
#define TLF_OPS(_) \
	_(BAD, "")          /* 0: invalid */ \
	_(NOP, "")          /* 1: nothing */ \
	_(PUSH, "i")        /* 2: push k */ \
	_(POP, "")          /* 3: drop the top */ \
	_(SWAP, "")         /* 4: exchange the top two */ \
	_(ROLL, "i")        /* 5: r < -1: move the top down to depth -r; r > 1: \
	                       bring the item at depth r to the top */ \
	_(PICK, "i")        /* 6: push a copy of the n-th item (0 = top) */ \
	_(PUT, "i")         /* 7: pop, store into the n-th item from the top */ \
	_(ADD, "")          /* 8: b + a */ \
	_(SUB, "")          /* 9: b - a */ \
	_(MUL, "")          /* 10: b * a */ \
	_(DIV, "")          /* 11: b / a (error if a == 0) */ \
	_(EQ, "")           /* 12: b == a */ \
	_(NE, "")           /* 13: b != a */ \
	_(LT, "")           /* 14: b < a */ \
	_(LE, "")           /* 15: b <= a */ \
	_(GT, "")           /* 16: b > a */ \
	_(GE, "")           /* 17: b >= a */ \
	_(BR_COND, "j")     /* 18: pop c; if c != 0, pc += off */ \
	_(BR_COND_STK, "")  /* 19: pop off, pop c; if c != 0, pc += off */ \
	_(CALL, "j")        /* 20: pop a, push the result of running the code \
	                       at pc + off with argument a and an empty stack */ \
	_(RETURN, "")       /* 21: return the top */ \
	_(PUSHARG, "")      /* 22: push the argument */ \
	_(INVALID, "")      /* 23: error */ \
	_(DEPTH, "")        /* 24: push the depth (a residual call reading sp) */ \
	_(SUM, "")          /* 25: push the sum of the stack (a residual call \
	                       reading the frame) */ \
	_(INCALL, "")       /* 26: add 1 to every value (a residual call \
	                       writing the frame) */

enum {
#define OPENUM(name, kinds) OP_##name,
	TLF_OPS(OPENUM)
#undef OPENUM
	OP_N
};

static const char *const opname[OP_N] = {
#define OPNAME(name, kinds) #name,
	TLF_OPS(OPNAME)
#undef OPNAME
};

static const char *const opkinds[OP_N] = {
#define OPKINDS(name, kinds) kinds,
	TLF_OPS(OPKINDS)
#undef OPKINDS
};

/* Decode: the signed operand of the instruction whose opcode is at pc. */
#define ARG(code, pc) ((long)(signed char)(code)[(pc) + 1])

enum {
	TLF_STACK = 256,     /* operand stack slots per call */
	TLF_MAXDEPTH = 1000, /* nested CALLs */
	TLF_MAXCODE = 65536, /* bytes of code */
	TLF_MAXFILE = 1 << 20,
};

/* Report a guest run-time error at pc and exit 1; returns 0 for the
 * type checker. */
static TS_RESIDUAL long tlf_fail(const char *what, long pc)
{
	fprintf(stderr, "tlf: error: %s at pc %ld\n", what, pc);
	exit(1);
	return 0;
}

/* b op a on integers that wrap (no undefined overflow). */
static long wrapadd(long b, long a)
{
	return (long)((unsigned long)b + (unsigned long)a);
}

static long wrapsub(long b, long a)
{
	return (long)((unsigned long)b - (unsigned long)a);
}

static long wrapmul(long b, long a)
{
	return (long)((unsigned long)b * (unsigned long)a);
}

/* The frame: the interpreter's state that JIT code virtualizes. */
struct tlf_frame {
	long sp;                /* depth of the operand stack */
	long stack[TLF_STACK];  /* the operand stack */
};

/* Residual helpers that look at the frame (DEPTH, SUM, INCALL): JIT code
 * must write the fields they read back before the call and reload the
 * fields they write after it. */

/* The depth of f's stack (reads f->sp only). */
static TS_RESIDUAL long tlf_depth(const struct tlf_frame *f)
{
	return f->sp;
}

/* The sum of f's stack, wrapping (reads every slot in use). */
static TS_RESIDUAL long tlf_sum(const struct tlf_frame *f)
{
	unsigned long s = 0;
	long i;

	for (i = 0; i < f->sp; i++)
		s += (unsigned long)f->stack[i];
	return (long)s;
}

/* Add 1 to every value on f's stack (writes every slot in use). */
static TS_RESIDUAL void tlf_incall(struct tlf_frame *f)
{
	long i;

	for (i = 0; i < f->sp; i++)
		f->stack[i] = (long)((unsigned long)f->stack[i] + 1);
}

long tlf_interp(const unsigned char *code, long len, long pc, long arg,
                long depth, struct tlf_frame *f);

/* The portal: run code (len bytes) from pc with argument arg, depth calls
 * deep, on frame f; return the top of the stack at RETURN. */
long tlf_interp(const unsigned char *code, long len, long pc, long arg,
                long depth, struct tlf_frame *f)
{
	struct tlf_frame callee; /* the frame of a CALL */
	long a, b, n, i, t, sp;
	int op;

	TS_VIRTUALIZABLE(f);
	code = TS_DEEPFREEZE(code);
	sp = TS_PROMOTE(f->sp); /* a green copy of f->sp, kept equal to it */
	for (;;) {
		TS_MERGE_POINT(pc, code, len, sp);
		op = TS_GREEN(code[pc]);
		switch (op) {
		case OP_NOP:
			pc += 1;
			break;
		case OP_PUSH:
			if (sp == TLF_STACK)
				return tlf_fail("stack overflow", pc);
			f->stack[sp] = ARG(code, pc);
			f->sp = ++sp;
			pc += 2;
			break;
		case OP_POP:
			if (sp < 1)
				return tlf_fail("stack underflow", pc);
			f->sp = --sp;
			pc += 1;
			break;
		case OP_SWAP:
			if (sp < 2)
				return tlf_fail("stack underflow", pc);
			a = f->stack[sp - 1];
			f->stack[sp - 1] = f->stack[sp - 2];
			f->stack[sp - 2] = a;
			pc += 1;
			break;
		case OP_ROLL:
			n = ARG(code, pc);
			if (n < -1) {
				if (sp < -n)
					return tlf_fail("stack underflow", pc);
				a = f->stack[sp - 1];
				for (i = sp - 1; i > sp + n; i--)
					f->stack[i] = f->stack[i - 1];
				f->stack[sp + n] = a;
			} else if (n > 1) {
				if (sp < n)
					return tlf_fail("stack underflow", pc);
				a = f->stack[sp - n];
				for (i = sp - n; i < sp - 1; i++)
					f->stack[i] = f->stack[i + 1];
				f->stack[sp - 1] = a;
			}
			pc += 2;
			break;
		case OP_PICK:
			n = ARG(code, pc);
			if (n < 0 || sp < n + 1)
				return tlf_fail("stack underflow", pc);
			if (sp == TLF_STACK)
				return tlf_fail("stack overflow", pc);
			f->stack[sp] = f->stack[sp - 1 - n];
			f->sp = ++sp;
			pc += 2;
			break;
		case OP_PUT:
			n = ARG(code, pc);
			if (n < 0 || sp < n + 2)
				return tlf_fail("stack underflow", pc);
			f->stack[sp - 2 - n] = f->stack[sp - 1];
			f->sp = --sp;
			pc += 2;
			break;
		case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
		case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT:
		case OP_GE:
			if (sp < 2)
				return tlf_fail("stack underflow", pc);
			a = f->stack[sp - 1];
			b = f->stack[sp - 2];
			switch (op) {
			case OP_ADD: b = wrapadd(b, a); break;
			case OP_SUB: b = wrapsub(b, a); break;
			case OP_MUL: b = wrapmul(b, a); break;
			case OP_DIV:
				if (a == 0)
					return tlf_fail("division by zero", pc);
				b = a == -1 ? wrapsub(0, b) : b / a;
				break;
			case OP_EQ: b = b == a; break;
			case OP_NE: b = b != a; break;
			case OP_LT: b = b < a; break;
			case OP_LE: b = b <= a; break;
			case OP_GT: b = b > a; break;
			default: b = b >= a; break;
			}
			f->stack[sp - 2] = b;
			f->sp = --sp;
			pc += 1;
			break;
		case OP_BR_COND:
			if (sp < 1)
				return tlf_fail("stack underflow", pc);
			t = pc + 2 + ARG(code, pc);
			f->sp = --sp;
			if (f->stack[sp]) {
				if ((unsigned long)t >= (unsigned long)len)
					return tlf_fail("jump out of range", pc);
				pc = t;
			} else {
				pc += 2;
			}
			break;
		case OP_BR_COND_STK:
			if (sp < 2)
				return tlf_fail("stack underflow", pc);
			n = TS_PROMOTE(f->stack[sp - 1]);
			sp -= 2;
			f->sp = sp;
			if (f->stack[sp]) {
				if (n < -len || n > len)
					return tlf_fail("jump out of range", pc);
				t = pc + 1 + n;
				if ((unsigned long)t >= (unsigned long)len)
					return tlf_fail("jump out of range", pc);
				pc = t;
			} else {
				pc += 1;
			}
			break;
		case OP_CALL:
			if (sp < 1)
				return tlf_fail("stack underflow", pc);
			t = pc + 2 + ARG(code, pc);
			if ((unsigned long)t >= (unsigned long)len)
				return tlf_fail("jump out of range", pc);
			if (depth >= TLF_MAXDEPTH)
				return tlf_fail("calls nested too deep", pc);
			callee.sp = 0;
			f->stack[sp - 1] = tlf_interp(code, len, t, f->stack[sp - 1], depth + 1, &callee);
			pc += 2;
			break;
		case OP_RETURN:
			if (sp < 1)
				return tlf_fail("stack underflow", pc);
			return f->stack[sp - 1];
		case OP_PUSHARG:
			if (sp == TLF_STACK)
				return tlf_fail("stack overflow", pc);
			f->stack[sp] = arg;
			f->sp = ++sp;
			pc += 1;
			break;
		case OP_DEPTH:
		case OP_SUM:
			if (sp == TLF_STACK)
				return tlf_fail("stack overflow", pc);
			a = op == OP_DEPTH ? tlf_depth(f) : tlf_sum(f);
			f->stack[sp] = a;
			f->sp = ++sp;
			pc += 1;
			break;
		case OP_INCALL:
			tlf_incall(f);
			pc += 1;
			break;
		default:
			return tlf_fail("invalid opcode", pc);
		}
	}
}

/* --- the assembler (interpreters/asm.c, TL's settings) ------------------ */

#include "../asm.h"

enum { TLF_MAXLABELS = 1024 };

static int islabel(const char *tok);

/* Jumps are signed offsets from the next instruction, operands signed
 * bytes; comments also after "//"; blanks may stand before a label's ':'. */
static const AsmLang tlf_lang = {
	"tlf", opname, opkinds, OP_N, 1, OP_RETURN, TLF_MAXCODE, TLF_MAXLABELS,
	1, "-", 1, 1, islabel, islabel, NULL, NULL,
};

/* A label name: a word that does not start with a digit or '-'. */
static int islabel(const char *tok)
{
	return *tok && !(*tok >= '0' && *tok <= '9') && *tok != '-';
}

int main(int argc, char **argv)
{
	static Asm as;
	static struct tlf_frame top; /* the first frame */
	long n;

	if (argc != 3) {
		fprintf(stderr, "usage: tlf FILE N\n");
		return 2;
	}
	n = asm_intarg("tlf", argv[2]);
	as.lang = &tlf_lang;
	as.file = argv[1];
	asm_assemble(&as, asm_readfile("tlf", argv[1]));
	printf("%ld\n", tlf_interp(as.code, as.len, 0, n, 0, &top));
	return 0;
}
