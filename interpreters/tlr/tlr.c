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

/* Opcodes: name, operand count.  Numbers are PyPy's. */
#define TLR_OPS(_) \
	_(NOP, 0)        /* 0: nothing (never emitted by PyPy) */ \
	_(MOV_A_R, 1)    /* 1: regs[n] = a */ \
	_(MOV_R_A, 1)    /* 2: a = regs[n] */ \
	_(JUMP_IF_A, 1)  /* 3: if a != 0, pc = t (absolute) */ \
	_(SET_A, 1)      /* 4: a = v (0..255) */ \
	_(ADD_R_TO_A, 1) /* 5: a = a + regs[n] */ \
	_(RETURN_A, 0)   /* 6: return a */ \
	_(ALLOCATE, 1)   /* 7: regs = n fresh registers, all 0 */ \
	_(NEG_A, 0)      /* 8: a = -a */

enum {
#define OPENUM(name, nops) OP_##name,
	TLR_OPS(OPENUM)
#undef OPENUM
	OP_N
};

static const char *const opname[OP_N] = {
#define OPNAME(name, nops) #name,
	TLR_OPS(OPNAME)
#undef OPNAME
};

static const int opnops[OP_N] = {
#define OPNOPS(name, nops) nops,
	TLR_OPS(OPNOPS)
#undef OPNOPS
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

/* --- the assembler ------------------------------------------------------ */

enum { TLR_MAXLABELS = 256, TLR_MAXTOK = 64 };

typedef struct {
	char name[TLR_MAXTOK]; /* label name */
	long pc;               /* its offset, -1 while only referenced */
} Label;

typedef struct {
	char label[TLR_MAXTOK]; /* label used as an operand */
	long at;                /* offset of the operand byte */
	int line;               /* source line, for errors */
} Fixup;

typedef struct {
	const char *file;                /* file name, for errors */
	unsigned char code[TLR_MAXCODE]; /* the bytecode */
	long len;                        /* bytes of code */
	int lineof[TLR_MAXCODE];         /* source line of each byte */
	char isstart[TLR_MAXCODE];       /* 1 where an instruction starts */
	Label labels[TLR_MAXLABELS];     /* defined labels */
	int nlabels;                     /* count of labels */
	Fixup fixups[TLR_MAXCODE];       /* operands waiting for a label */
	int nfixups;                     /* count of fixups */
} Asm;

/* Print an assembly error at FILE:LINE and exit 1. */
static __attribute__((noreturn)) void asmfail(Asm *as, int line, const char *msg, const char *arg)
{
	fprintf(stderr, "tlr: %s:%d: error: %s", as->file, line, msg);
	if (arg)
		fprintf(stderr, " '%s'", arg);
	fprintf(stderr, "\n");
	exit(1);
}

/* Read FILE whole into a NUL-terminated buffer; exit 1 if impossible. */
static char *readfile(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n = 0;
	int c;

	if (!f) {
		fprintf(stderr, "tlr: error: cannot open '%s'\n", path);
		exit(1);
	}
	buf = malloc(TLR_MAXFILE + 1);
	if (!buf) {
		fprintf(stderr, "tlr: error: out of memory\n");
		exit(1);
	}
	while ((c = fgetc(f)) != EOF) {
		if (n == TLR_MAXFILE || c == 0) {
			fprintf(stderr, "tlr: error: '%s' is not a program\n", path);
			exit(1);
		}
		buf[n++] = (char)c;
	}
	fclose(f);
	buf[n] = 0;
	return buf;
}

static int isident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* Copy the next word of *s into tok (empty if none); advance *s. */
static void word(Asm *as, int line, const char **s, char *tok)
{
	const char *p = *s;
	int n = 0;

	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	while (isident((unsigned char)*p) || *p == '-' || *p == '+') {
		if (n == TLR_MAXTOK - 1)
			asmfail(as, line, "word too long", NULL);
		tok[n++] = *p++;
	}
	tok[n] = 0;
	*s = p;
}

/* Parse a decimal number in 0..255; return -1 if tok is not one. */
static long number(const char *tok)
{
	long v = 0;

	if (!*tok)
		return -1;
	for (; *tok; tok++) {
		if (*tok < '0' || *tok > '9')
			return -1;
		v = v * 10 + (*tok - '0');
		if (v > 255)
			return -1;
	}
	return v;
}

static Label *findlabel(Asm *as, const char *name)
{
	int i;

	for (i = 0; i < as->nlabels; i++)
		if (strcmp(as->labels[i].name, name) == 0)
			return &as->labels[i];
	return NULL;
}

static void emit(Asm *as, int line, long byte)
{
	if (as->len >= TLR_MAXCODE)
		asmfail(as, line, "program too long", NULL);
	as->lineof[as->len] = line;
	as->code[as->len++] = (unsigned char)byte;
}

static void deflabel(Asm *as, int line, const char *name)
{
	Label *l = findlabel(as, name);

	if (l)
		asmfail(as, line, "label defined twice", name);
	if (as->nlabels == TLR_MAXLABELS)
		asmfail(as, line, "too many labels", NULL);
	l = &as->labels[as->nlabels++];
	strcpy(l->name, name);
	l->pc = as->len;
}

/* Emit the operand tok of opcode op: a number, or a label if op jumps. */
static void operand(Asm *as, int line, int op, const char *tok)
{
	long v = number(tok);
	Fixup *f;

	if (!*tok)
		asmfail(as, line, "missing operand for", opname[op]);
	if (v >= 0) {
		emit(as, line, v);
		return;
	}
	if (op != OP_JUMP_IF_A || !isident((unsigned char)tok[0]) ||
	    (tok[0] >= '0' && tok[0] <= '9') || strchr(tok, '-') || strchr(tok, '+'))
		asmfail(as, line, "bad operand", tok);
	f = &as->fixups[as->nfixups++];
	strcpy(f->label, tok);
	f->at = as->len;
	f->line = line;
	emit(as, line, 0);
}

/* Assemble one line (NUL- or newline-terminated). */
static void asmline(Asm *as, int line, const char *s)
{
	char tok[TLR_MAXTOK], arg[TLR_MAXTOK];
	int op;

	word(as, line, &s, tok);
	if (*s == ':') {
		if (!*tok || number(tok) >= 0 || strchr(tok, '-') || strchr(tok, '+'))
			asmfail(as, line, "bad label", tok);
		deflabel(as, line, tok);
		s++;
		word(as, line, &s, tok);
	}
	if (!*tok) {
		if (*s && *s != '\n' && *s != '#' && *s != ';')
			asmfail(as, line, "unexpected character", NULL);
		return;
	}
	for (op = 0; op < OP_N; op++)
		if (strcmp(tok, opname[op]) == 0)
			break;
	if (op == OP_N)
		asmfail(as, line, "unknown opcode", tok);
	if (as->len < TLR_MAXCODE)
		as->isstart[as->len] = 1;
	emit(as, line, op);
	if (opnops[op])
		word(as, line, &s, arg), operand(as, line, op, arg);
	word(as, line, &s, tok);
	if (*tok || (*s && *s != '\n' && *s != '#' && *s != ';'))
		asmfail(as, line, "unexpected text after", opname[op]);
}

/* Resolve label operands and check that every jump lands on an
 * instruction. */
static void resolve(Asm *as)
{
	long pc;
	int i;

	for (i = 0; i < as->nfixups; i++) {
		Fixup *f = &as->fixups[i];
		Label *l = findlabel(as, f->label);

		if (!l)
			asmfail(as, f->line, "undefined label", f->label);
		as->code[f->at] = (unsigned char)l->pc;
	}
	for (pc = 0; pc < as->len; pc += 1 + opnops[as->code[pc]])
		if (as->code[pc] == OP_JUMP_IF_A) {
			long t = as->code[pc + 1];
			char buf[32];

			snprintf(buf, sizeof buf, "%ld", t);
			if (t >= as->len)
				asmfail(as, as->lineof[pc], "jump out of range to", buf);
			if (!as->isstart[t])
				asmfail(as, as->lineof[pc], "jump into an instruction at", buf);
		}
}

/* Assemble the text src into as->code; exit 1 on the first error. */
static void tlr_assemble(Asm *as, const char *src)
{
	int line = 1;

	while (*src) {
		asmline(as, line, src);
		while (*src && *src != '\n')
			src++;
		if (*src)
			src++;
		line++;
	}
	if (as->len < TLR_MAXCODE)
		as->isstart[as->len] = 1;
	emit(as, line, OP_RETURN_A);
	resolve(as);
}

/* Parse the integer argument N; exit 2 if it is not one. */
static long intarg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end) {
		fprintf(stderr, "tlr: error: not an integer: '%s'\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	static Asm as;
	char *src;
	long n;

	if (argc != 3) {
		fprintf(stderr, "usage: tlr FILE N\n");
		return 2;
	}
	n = intarg(argv[2]);
	as.file = argv[1];
	src = readfile(argv[1]);
	tlr_assemble(&as, src);
	printf("%ld\n", tlr_interp(as.code, 0, n));
	return 0;
}
