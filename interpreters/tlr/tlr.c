/* tlr.c: TLR, the register toy language of PyPy's JIT generator.
 *
 *   usage: tlr FILE N      runs the program in FILE with the accumulator
 *                          set to N and prints the result
 *
 * Portal: tlr_interp(code, pc, a).  Greens: pc and the (deep-frozen) code.
 *
 * The machine has an accumulator `a`, a register file allocated by the
 * ALLOCATE opcode and a pc.  Bytecode is one byte of opcode followed by at
 * most one byte of operand; jumps are absolute byte offsets.  The program
 * is written in a small assembly (see tlr_assemble):
 *
 *   # comment (also ';')
 *   loop:   ADD_R_TO_A 0        label, mnemonic, operand (number or label)
 *
 * The assembler appends a RETURN_A, so falling off the end returns a.
 * Every jump target is checked to be the start of an instruction, so the
 * portal never meets a misaligned pc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hints.h"

/* Opcodes: name, operand kinds (asm.h: "i" a byte, "j" a jump target). */
#define TLR_OPS(_) \
	_(NOP, "")          /* 0: nothing (never emitted by PyPy) */ \
	_(MOV_A_R, "i")     /* 1: regs[n] = a */ \
	_(MOV_R_A, "i")     /* 2: a = regs[n] */ \
	_(JUMP_IF_A, "j")   /* 3: if a != 0, pc = t (absolute) */ \
	_(SET_A, "i")       /* 4: a = v (0..255) */ \
	_(ADD_R_TO_A, "i")  /* 5: a = a + regs[n] */ \
	_(RETURN_A, "")     /* 6: return a */ \
	_(ALLOCATE, "i")    /* 7: regs = n fresh registers, all 0 */ \
	_(NEG_A, "")        /* 8: a = -a */

enum {
#define OPENUM(name, kinds) OP_##name,
	TLR_OPS(OPENUM)
#undef OPENUM
	OP_N
};

static const char *const opname[OP_N] = {
#define OPNAME(name, kinds) #name,
	TLR_OPS(OPNAME)
#undef OPNAME
};

static const char *const opkinds[OP_N] = {
#define OPKINDS(name, kinds) kinds,
	TLR_OPS(OPKINDS)
#undef OPKINDS
};

/* Decode: the operand byte of the instruction whose opcode is at pc. */
#define ARG(code, pc) ((long)(code)[(pc) + 1])

enum {
	TLR_MAXCODE = 256,  /* jump targets are one byte */
	TLR_MAXREGS = 256,  /* register numbers are one byte */
	TLR_MAXFILE = 1 << 20,
};

/* Report a guest run-time error and exit 1. */
static TS_RESIDUAL void tlr_fail(const char *what, long n, long pc)
{
	fprintf(stderr, "tlr: error: %s %ld at pc %ld\n", what, n, pc);
	exit(1);
}

long tlr_interp(const unsigned char *code, long pc, long a);

/* The portal: run code from pc with accumulator a; return the result. */
long tlr_interp(const unsigned char *code, long pc, long a)
{
	long regs[TLR_MAXREGS]; /* the register file */
	long nregs = 0;         /* registers allocated */
	long n, i;
	int op;

	code = TS_DEEPFREEZE(code);
	for (;;) {
		TS_MERGE_POINT(pc, code);
		op = TS_GREEN(code[pc]);
		switch (op) {
		case OP_NOP:
			pc += 1;
			break;
		case OP_MOV_A_R:
			n = ARG(code, pc);
			if (n >= nregs)
				tlr_fail("no register", n, pc);
			regs[n] = a;
			pc += 2;
			break;
		case OP_MOV_R_A:
			n = ARG(code, pc);
			if (n >= nregs)
				tlr_fail("no register", n, pc);
			a = regs[n];
			pc += 2;
			break;
		case OP_JUMP_IF_A:
			if (a)
				pc = ARG(code, pc);
			else
				pc += 2;
			break;
		case OP_SET_A:
			a = ARG(code, pc);
			pc += 2;
			break;
		case OP_ADD_R_TO_A:
			n = ARG(code, pc);
			if (n >= nregs)
				tlr_fail("no register", n, pc);
			a = (long)((unsigned long)a + (unsigned long)regs[n]);
			pc += 2;
			break;
		case OP_RETURN_A:
			return a;
		case OP_ALLOCATE:
			nregs = ARG(code, pc);
			for (i = 0; i < nregs; i++)
				regs[i] = 0;
			pc += 2;
			break;
		case OP_NEG_A:
			a = (long)(0UL - (unsigned long)a); /* wraps */
			pc += 1;
			break;
		default:
			tlr_fail("unknown opcode", op, pc);
			return 0;
		}
	}
}

/* --- the assembler: interpreters/asm.c --------------------------------- */
#include "../asm.h"

enum { TLR_MAXLABELS = 256 };

static int labelok(const char *tok);
static int labelrefok(const char *tok);

/* Jumps are absolute, operands unsigned bytes, words may hold signs (to
 * report them as bad operands). */
static const AsmLang tlr_lang = {
	"tlr", opname, opkinds, OP_N, 0, OP_RETURN_A, TLR_MAXCODE, TLR_MAXLABELS,
	0, "-+", 0, 0, labelok, labelrefok, NULL, NULL,
};

/* A label may be defined: a word that is not a number and has no sign. */
static int labelok(const char *tok)
{
	long v;

	return *tok && !asm_number(&tlr_lang, tok, &v) && !strchr(tok, '-') &&
	       !strchr(tok, '+');
}

/* A jump may name a label: a word that starts with a letter, '_' or '.'
 * and has no sign. */
static int labelrefok(const char *tok)
{
	return !(*tok >= '0' && *tok <= '9') && !strchr(tok, '-') && !strchr(tok, '+');
}

int main(int argc, char **argv)
{
	static Asm as;
	long n = asm_load(&as, &tlr_lang, argc, argv);

	printf("%ld\n", tlr_interp(as.code, 0, n));
	return 0;
}
