/* tl.c: TL, the stack toy language of PyPy's JIT generator.
 *
 *   usage: tl FILE N        runs the program in FILE with input argument N
 *                           and prints the result
 *
 * Portal: tl_interp(code, len, pc, arg, depth).  Greens: pc, the code (deep-
 * frozen), its length and the stack depth sp.  CALL recurses into the
 * portal.
 *
 * Values are integers on an operand stack, a local array of the portal; in
 * a well-formed program the stack depth at each pc is fixed, which is why
 * sp is green.  Bytecode: one byte of opcode, at most one byte of signed
 * operand.  Branch offsets are relative to the next instruction.  The
 * assembly (see tl_assemble):
 *
 *   ; comment (also '#' and '//')
 *   loop:   PICK 0           label, mnemonic, operand (number or label;
 *           BR_COND loop     a label operand becomes a relative offset)
 *
 * The assembler appends a RETURN.  CALL differs from PyPy's (which gives
 * the callee no argument): it pops the callee's argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hints.h"

/* Opcodes: name, operand kind ("" none, "i" integer, "j" branch offset).
 * Numbers are PyPy's.  "pop a, pop b, push b op a" for binary ops. */
#define TL_OPS(_) \
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
	_(INVALID, "")      /* 23: error */

enum {
#define OPENUM(name, kinds) OP_##name,
	TL_OPS(OPENUM)
#undef OPENUM
	OP_N
};

static const char *const opname[OP_N] = {
#define OPNAME(name, kinds) #name,
	TL_OPS(OPNAME)
#undef OPNAME
};

static const char *const opkinds[OP_N] = {
#define OPKINDS(name, kinds) kinds,
	TL_OPS(OPKINDS)
#undef OPKINDS
};

/* Decode: the signed operand of the instruction whose opcode is at pc. */
#define ARG(code, pc) ((long)(signed char)(code)[(pc) + 1])

enum {
	TL_STACK = 256,     /* operand stack slots per call */
	TL_MAXDEPTH = 1000, /* nested CALLs */
	TL_MAXCODE = 65536, /* bytes of code */
	TL_MAXFILE = 1 << 20,
};

/* Report a guest run-time error at pc and exit 1; returns 0 for the
 * type checker. */
static TS_RESIDUAL long tl_fail(const char *what, long pc)
{
	fprintf(stderr, "tl: error: %s at pc %ld\n", what, pc);
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

long tl_interp(const unsigned char *code, long len, long pc, long arg,
               long depth);

/* The portal: run code (len bytes) from pc with argument arg, depth calls
 * deep; return the top of the stack at RETURN. */
long tl_interp(const unsigned char *code, long len, long pc, long arg,
               long depth)
{
	long stack[TL_STACK]; /* the operand stack */
	long sp = 0;          /* its depth */
	long a, b, n, i, t;
	int op;

	code = TS_DEEPFREEZE(code);
	for (;;) {
		TS_MERGE_POINT(pc, code, len, sp);
		op = TS_GREEN(code[pc]);
		switch (op) {
		case OP_NOP:
			pc += 1;
			break;
		case OP_PUSH:
			if (sp == TL_STACK)
				return tl_fail("stack overflow", pc);
			stack[sp++] = ARG(code, pc);
			pc += 2;
			break;
		case OP_POP:
			if (sp < 1)
				return tl_fail("stack underflow", pc);
			sp--;
			pc += 1;
			break;
		case OP_SWAP:
			if (sp < 2)
				return tl_fail("stack underflow", pc);
			a = stack[sp - 1];
			stack[sp - 1] = stack[sp - 2];
			stack[sp - 2] = a;
			pc += 1;
			break;
		case OP_ROLL:
			n = ARG(code, pc);
			if (n < -1) {
				if (sp < -n)
					return tl_fail("stack underflow", pc);
				a = stack[sp - 1];
				for (i = sp - 1; i > sp + n; i--)
					stack[i] = stack[i - 1];
				stack[sp + n] = a;
			} else if (n > 1) {
				if (sp < n)
					return tl_fail("stack underflow", pc);
				a = stack[sp - n];
				for (i = sp - n; i < sp - 1; i++)
					stack[i] = stack[i + 1];
				stack[sp - 1] = a;
			}
			pc += 2;
			break;
		case OP_PICK:
			n = ARG(code, pc);
			if (n < 0 || sp < n + 1)
				return tl_fail("stack underflow", pc);
			if (sp == TL_STACK)
				return tl_fail("stack overflow", pc);
			stack[sp] = stack[sp - 1 - n];
			sp++;
			pc += 2;
			break;
		case OP_PUT:
			n = ARG(code, pc);
			if (n < 0 || sp < n + 2)
				return tl_fail("stack underflow", pc);
			sp--;
			stack[sp - 1 - n] = stack[sp];
			pc += 2;
			break;
		case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
		case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT:
		case OP_GE:
			if (sp < 2)
				return tl_fail("stack underflow", pc);
			a = stack[--sp];
			b = stack[sp - 1];
			switch (op) {
			case OP_ADD: b = wrapadd(b, a); break;
			case OP_SUB: b = wrapsub(b, a); break;
			case OP_MUL: b = wrapmul(b, a); break;
			case OP_DIV:
				if (a == 0)
					return tl_fail("division by zero", pc);
				b = a == -1 ? wrapsub(0, b) : b / a;
				break;
			case OP_EQ: b = b == a; break;
			case OP_NE: b = b != a; break;
			case OP_LT: b = b < a; break;
			case OP_LE: b = b <= a; break;
			case OP_GT: b = b > a; break;
			default: b = b >= a; break;
			}
			stack[sp - 1] = b;
			pc += 1;
			break;
		case OP_BR_COND:
			if (sp < 1)
				return tl_fail("stack underflow", pc);
			t = pc + 2 + ARG(code, pc);
			if (stack[--sp]) {
				if ((unsigned long)t >= (unsigned long)len)
					return tl_fail("jump out of range", pc);
				pc = t;
			} else {
				pc += 2;
			}
			break;
		case OP_BR_COND_STK:
			if (sp < 2)
				return tl_fail("stack underflow", pc);
			n = TS_PROMOTE(stack[--sp]);
			if (stack[--sp]) {
				if (n < -len || n > len)
					return tl_fail("jump out of range", pc);
				t = pc + 1 + n;
				if ((unsigned long)t >= (unsigned long)len)
					return tl_fail("jump out of range", pc);
				pc = t;
			} else {
				pc += 1;
			}
			break;
		case OP_CALL:
			if (sp < 1)
				return tl_fail("stack underflow", pc);
			t = pc + 2 + ARG(code, pc);
			if ((unsigned long)t >= (unsigned long)len)
				return tl_fail("jump out of range", pc);
			if (depth >= TL_MAXDEPTH)
				return tl_fail("calls nested too deep", pc);
			stack[sp - 1] = tl_interp(code, len, t, stack[sp - 1], depth + 1);
			pc += 2;
			break;
		case OP_RETURN:
			if (sp < 1)
				return tl_fail("stack underflow", pc);
			return stack[sp - 1];
		case OP_PUSHARG:
			if (sp == TL_STACK)
				return tl_fail("stack overflow", pc);
			stack[sp++] = arg;
			pc += 1;
			break;
		default:
			return tl_fail("invalid opcode", pc);
		}
	}
}

/* --- the assembler: interpreters/asm.c --------------------------------- */
#include "../asm.h"

enum { TL_MAXLABELS = 1024 };

static int islabel(const char *tok);

/* Jumps are signed offsets from the next instruction, operands signed
 * bytes; comments also after "//"; blanks may stand before a label's ':'. */
static const AsmLang tl_lang = {
	"tl", opname, opkinds, OP_N, 1, OP_RETURN, TL_MAXCODE, TL_MAXLABELS,
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
	long n = asm_load(&as, &tl_lang, argc, argv);

	printf("%ld\n", tl_interp(as.code, as.len, 0, n, 0));
	return 0;
}
