/* tlc.c: TLC, TL with boxed values: integers, nil, cons cells and objects
 * with fields and methods (PyPy's tlc.py and its 2008 object extension).
 *
 *   usage: tlc FILE N       runs the program in FILE with argument N (an
 *                           integer) and prints the result
 *
 * Portal: tlc_interp(code, len, classes, pc, args, nargs, depth).  Greens:
 * pc, the code and the class table (both deep-frozen), the code length and
 * the stack depth sp.  SEND recurses into the portal.
 *
 * Every value is an Obj allocated with malloc (nil is one static object);
 * its `cls` field says what it is.  Arithmetic, comparisons, branches,
 * GETATTR, SETATTR and SEND read the class through TS_PROMOTE before they
 * dispatch on it, so that a JIT compiles each case to straight-line code.
 * Boxes are never freed (there is no collector): a program that allocates
 * without bound ends with "out of memory".
 *
 * The assembly is TL's (labels, ';' '#' '//' comments; branch labels
 * become relative offsets) plus two directives that declare classes:
 *
 *   .class NAME FIELD...          a class and its fields (nil when NEW)
 *   .method CLASS NAME LABEL      a method: code at LABEL; when it runs,
 *                                 PUSHARGN 0 is the receiver, PUSHARGN k
 *                                 its k-th argument, and RETURN returns
 *
 * Operands: NEW takes a class name, GETATTR and SETATTR a field name, SEND
 * a method name and an argument count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hints.h"

/* Opcodes: name, operand kinds ("i" integer, "j" branch offset, "c" class,
 * "s" symbol).  1-27 are tlc.py's, 28-35 those of its object extension
 * (without DUMP).  "pop a, pop b, push b op a" for binary ops. */
#define TLC_OPS(_) \
	_(BAD, "")          /* 0: invalid */ \
	_(NOP, "")          /* 1: nothing */ \
	_(PUSH, "i")        /* 2: push the integer k */ \
	_(POP, "")          /* 3: drop the top */ \
	_(SWAP, "")         /* 4: exchange the top two */ \
	_(ROLL, "i")        /* 5: r < -1: move the top down to depth -r; r > 1: \
	                       bring the item at depth r to the top */ \
	_(PICK, "i")        /* 6: push the n-th item (0 = top) */ \
	_(PUT, "i")         /* 7: pop, store into the n-th item from the top */ \
	_(ADD, "")          /* 8: integers: b + a; lists: b then a (a copy) */ \
	_(SUB, "")          /* 9: b - a */ \
	_(MUL, "")          /* 10: b * a */ \
	_(DIV, "")          /* 11: integers: b / a; list b, integer a: the \
	                       a-th element of b */ \
	_(EQ, "")           /* 12: integers by value, others by identity */ \
	_(NE, "")           /* 13: not EQ */ \
	_(LT, "")           /* 14: integers: b < a */ \
	_(LE, "")           /* 15: b <= a */ \
	_(GT, "")           /* 16: b > a */ \
	_(GE, "")           /* 17: b >= a */ \
	_(BR_COND, "j")     /* 18: pop c; if c is true, pc += off (false: 0 \
	                       and nil) */ \
	_(BR_COND_STK, "")  /* 19: pop off, pop c; if c is true, pc += off */ \
	_(CALL, "j")        /* 20: pop a, push the result of running the code \
	                       at pc + off with argument a and an empty stack */ \
	_(RETURN, "")       /* 21: return the top */ \
	_(PUSHARG, "")      /* 22: push argument 0 */ \
	_(INVALID, "")      /* 23: error */ \
	_(NIL, "")          /* 24: push nil */ \
	_(CONS, "")         /* 25: pop car, pop cdr, push the pair */ \
	_(CAR, "")          /* 26: pop a pair, push its car */ \
	_(CDR, "")          /* 27: pop a pair, push its cdr */ \
	_(NEW, "c")         /* 28: push a new object of class c (fields nil) */ \
	_(GETATTR, "s")     /* 29: pop an object, push its field s */ \
	_(SETATTR, "s")     /* 30: pop v, pop an object, set its field s to v */ \
	_(SEND, "si")       /* 31: pop n arguments and a receiver, push the \
	                       result of its method s */ \
	_(PUSHARGN, "i")    /* 32: push argument n */ \
	_(PRINT, "")        /* 33: pop and print a value and a newline */ \
	_(BR, "j")          /* 34: pc += off (35 in PyPy, which has DUMP) */

enum {
#define OPENUM(name, kinds) OP_##name,
	TLC_OPS(OPENUM)
#undef OPENUM
	OP_N
};

static const char *const opname[OP_N] = {
#define OPNAME(name, kinds) #name,
	TLC_OPS(OPNAME)
#undef OPNAME
};

static const char *const opkinds[OP_N] = {
#define OPKINDS(name, kinds) kinds,
	TLC_OPS(OPKINDS)
#undef OPKINDS
};

/* Decode: the signed operand k (0 or 1) of the instruction at pc. */
#define ARG(code, pc, k) ((long)(signed char)(code)[(pc) + 1 + (k)])
/* Decode: an unsigned operand (class or symbol number). */
#define UARG(code, pc, k) ((long)(code)[(pc) + 1 + (k)])

enum {
	TLC_STACK = 256,     /* operand stack slots per call */
	TLC_MAXDEPTH = 1000, /* nested CALLs and SENDs */
	TLC_MAXCODE = 65536, /* bytes of code */
	TLC_MAXFILE = 1 << 20,
	TLC_MAXTOK = 64,     /* longest name */
	TLC_MAXCLASSES = 64,
	TLC_MAXFIELDS = 16,  /* per class */
	TLC_MAXMETHODS = 16, /* per class */
	TLC_MAXSYMS = 256,   /* field and method names */
};

/* Classes of values: the built-ins, then user class k is TLC_USER + k. */
enum { TLC_INT, TLC_NIL, TLC_CONS, TLC_USER };

typedef struct Obj Obj;
struct Obj {
	long cls;     /* TLC_INT, TLC_NIL, TLC_CONS or TLC_USER + class */
	long ival;    /* the value of an integer */
	Obj *field[]; /* a pair: car, cdr; an object: its fields */
};

typedef struct {
	char name[TLC_MAXTOK];                  /* class name, for printing */
	int nfields;                            /* count of fields */
	unsigned char fieldsym[TLC_MAXFIELDS];  /* symbol of each field */
	int nmethods;                           /* count of methods */
	unsigned char methsym[TLC_MAXMETHODS];  /* symbol of each method */
	long methpc[TLC_MAXMETHODS];            /* code of each method */
	char methlabel[TLC_MAXMETHODS][TLC_MAXTOK]; /* its label, until resolved */
	int methline[TLC_MAXMETHODS];           /* its .method line */
} Class;

static Obj tlc_nil = {TLC_NIL, 0};

/* Symbol names, for error messages: set by main. */
static char (*tlc_symname)[TLC_MAXTOK];

/* Report a guest run-time error at pc (-1: none) and exit 1; returns NULL
 * for the type checker. */
static TS_RESIDUAL Obj *tlc_fail(const char *what, long pc)
{
	if (pc < 0)
		fprintf(stderr, "tlc: error: %s\n", what);
	else
		fprintf(stderr, "tlc: error: %s at pc %ld\n", what, pc);
	exit(1);
	return NULL;
}

/* Same, naming symbol sym. */
static TS_RESIDUAL Obj *tlc_failsym(const char *what, long sym, long pc)
{
	fprintf(stderr, "tlc: error: %s '%s' at pc %ld\n", what, tlc_symname[sym], pc);
	exit(1);
	return NULL;
}

/* A new box with nfields fields, all nil. */
static Obj *newobj(long cls, long nfields)
{
	Obj *o = malloc(sizeof(Obj) + nfields * sizeof(Obj *));
	long i;

	if (!o)
		return tlc_fail("out of memory", -1);
	o->cls = cls;
	o->ival = 0;
	for (i = 0; i < nfields; i++)
		o->field[i] = &tlc_nil;
	return o;
}

static Obj *mkint(long v)
{
	Obj *o = newobj(TLC_INT, 0);

	o->ival = v;
	return o;
}

static Obj *mkcons(Obj *car, Obj *cdr)
{
	Obj *o = newobj(TLC_CONS, 2);

	o->field[0] = car;
	o->field[1] = cdr;
	return o;
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

/* The list b followed by the list a (b's cells are copied); NULL if b is
 * not a proper list. */
static Obj *concat(Obj *b, Obj *a)
{
	Obj *head = NULL, *last = NULL, *c;

	for (; b->cls == TLC_CONS; b = b->field[1]) {
		c = mkcons(b->field[0], &tlc_nil);
		if (last)
			last->field[1] = c;
		else
			head = c;
		last = c;
	}
	if (b->cls != TLC_NIL)
		return NULL;
	if (!last)
		return a;
	last->field[1] = a;
	return head;
}

/* The n-th element of the list l; NULL if there is none. */
static Obj *nth(Obj *l, long n)
{
	for (; n > 0 && l->cls == TLC_CONS; n--)
		l = l->field[1];
	return n == 0 && l->cls == TLC_CONS ? l->field[0] : NULL;
}

/* Print o (a list as "(1 2 3)", an improper tail after " . "). */
static void printobj(const Class *classes, Obj *o)
{
	const char *sep = "";

	switch (o->cls) {
	case TLC_INT:
		printf("%ld", o->ival);
		break;
	case TLC_NIL:
		printf("nil");
		break;
	case TLC_CONS:
		printf("(");
		for (; o->cls == TLC_CONS; o = o->field[1]) {
			printf("%s", sep);
			printobj(classes, o->field[0]);
			sep = " ";
		}
		if (o->cls != TLC_NIL) {
			printf(" . ");
			printobj(classes, o);
		}
		printf(")");
		break;
	default:
		printf("<%s>", classes[o->cls - TLC_USER].name);
		break;
	}
}

static TS_RESIDUAL void tlc_print(const Class *classes, Obj *o)
{
	printobj(classes, o);
	printf("\n");
}

/* The field of class cls (>= TLC_USER) named sym, or -1. */
static long findfield(const Class *classes, long cls, long sym)
{
	const Class *k = &classes[cls - TLC_USER];
	long i;

	for (i = 0; i < k->nfields; i++)
		if (k->fieldsym[i] == sym)
			return i;
	return -1;
}

/* The pc of the method of class cls (>= TLC_USER) named sym, or -1. */
static long findmethod(const Class *classes, long cls, long sym)
{
	const Class *k = &classes[cls - TLC_USER];
	long i;

	for (i = 0; i < k->nmethods; i++)
		if (k->methsym[i] == sym)
			return k->methpc[i];
	return -1;
}

/* Truth of a value whose class is cls. */
static int truth(Obj *v, long cls)
{
	if (cls == TLC_INT)
		return v->ival != 0;
	return cls != TLC_NIL;
}

/* b op a for the binary opcode op, dispatched on the promoted classes cb
 * and ca; NULL on a type error or a division by zero. */
static Obj *binop(int op, Obj *b, long cb, Obj *a, long ca)
{
	int lists = (cb == TLC_CONS || cb == TLC_NIL) && (ca == TLC_CONS || ca == TLC_NIL);

	if (op == OP_EQ || op == OP_NE) {
		long eq = cb == TLC_INT && ca == TLC_INT ? b->ival == a->ival : b == a;

		return mkint(op == OP_EQ ? eq : !eq);
	}
	if (op == OP_ADD && lists)
		return concat(b, a);
	if (op == OP_DIV && (cb == TLC_CONS || cb == TLC_NIL) && ca == TLC_INT)
		return nth(b, a->ival);
	if (cb != TLC_INT || ca != TLC_INT)
		return NULL;
	switch (op) {
	case OP_ADD: return mkint(wrapadd(b->ival, a->ival));
	case OP_SUB: return mkint(wrapsub(b->ival, a->ival));
	case OP_MUL: return mkint(wrapmul(b->ival, a->ival));
	case OP_DIV:
		if (a->ival == 0)
			return NULL;
		return mkint(a->ival == -1 ? wrapsub(0, b->ival) : b->ival / a->ival);
	case OP_LT: return mkint(b->ival < a->ival);
	case OP_LE: return mkint(b->ival <= a->ival);
	case OP_GT: return mkint(b->ival > a->ival);
	default: return mkint(b->ival >= a->ival);
	}
}

Obj *tlc_interp(const unsigned char *code, long len, const Class *classes,
                long pc, Obj *const *args, long nargs, long depth);

/* The portal: run code (len bytes) from pc with the nargs arguments args,
 * depth calls deep; return the top of the stack at RETURN. */
Obj *tlc_interp(const unsigned char *code, long len, const Class *classes,
                long pc, Obj *const *args, long nargs, long depth)
{
	Obj *stack[TLC_STACK]; /* the operand stack */
	long sp = 0;           /* its depth */
	Obj *a, *b;
	long ca, cb, n, i, t;
	int op;

	code = TS_DEEPFREEZE(code);
	classes = TS_DEEPFREEZE(classes);
	for (;;) {
		TS_MERGE_POINT(pc, code, len, classes, sp);
		op = TS_GREEN(code[pc]);
		switch (op) {
		case OP_NOP:
			pc += 1;
			break;
		case OP_PUSH:
			if (sp == TLC_STACK)
				return tlc_fail("stack overflow", pc);
			stack[sp++] = mkint(ARG(code, pc, 0));
			pc += 2;
			break;
		case OP_POP:
			if (sp < 1)
				return tlc_fail("stack underflow", pc);
			sp--;
			pc += 1;
			break;
		case OP_SWAP:
			if (sp < 2)
				return tlc_fail("stack underflow", pc);
			a = stack[sp - 1];
			stack[sp - 1] = stack[sp - 2];
			stack[sp - 2] = a;
			pc += 1;
			break;
		case OP_ROLL:
			n = ARG(code, pc, 0);
			if (n < -1) {
				if (sp < -n)
					return tlc_fail("stack underflow", pc);
				a = stack[sp - 1];
				for (i = sp - 1; i > sp + n; i--)
					stack[i] = stack[i - 1];
				stack[sp + n] = a;
			} else if (n > 1) {
				if (sp < n)
					return tlc_fail("stack underflow", pc);
				a = stack[sp - n];
				for (i = sp - n; i < sp - 1; i++)
					stack[i] = stack[i + 1];
				stack[sp - 1] = a;
			}
			pc += 2;
			break;
		case OP_PICK:
			n = ARG(code, pc, 0);
			if (n < 0 || sp < n + 1)
				return tlc_fail("stack underflow", pc);
			if (sp == TLC_STACK)
				return tlc_fail("stack overflow", pc);
			stack[sp] = stack[sp - 1 - n];
			sp++;
			pc += 2;
			break;
		case OP_PUT:
			n = ARG(code, pc, 0);
			if (n < 0 || sp < n + 2)
				return tlc_fail("stack underflow", pc);
			sp--;
			stack[sp - 1 - n] = stack[sp];
			pc += 2;
			break;
		case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
		case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT:
		case OP_GE:
			if (sp < 2)
				return tlc_fail("stack underflow", pc);
			a = stack[--sp];
			b = stack[sp - 1];
			ca = TS_PROMOTE(a->cls);
			cb = TS_PROMOTE(b->cls);
			b = binop(op, b, cb, a, ca);
			if (!b && op == OP_DIV && ca == TLC_INT && cb == TLC_INT)
				return tlc_fail("division by zero", pc);
			if (!b && op == OP_DIV && ca == TLC_INT)
				return tlc_fail("index out of range", pc);
			if (!b)
				return tlc_fail("bad operand types", pc);
			stack[sp - 1] = b;
			pc += 1;
			break;
		case OP_BR_COND:
			if (sp < 1)
				return tlc_fail("stack underflow", pc);
			a = stack[--sp];
			if (truth(a, TS_PROMOTE(a->cls))) {
				t = pc + 2 + ARG(code, pc, 0);
				if ((unsigned long)t >= (unsigned long)len)
					return tlc_fail("jump out of range", pc);
				pc = t;
			} else {
				pc += 2;
			}
			break;
		case OP_BR:
			t = pc + 2 + ARG(code, pc, 0);
			if ((unsigned long)t >= (unsigned long)len)
				return tlc_fail("jump out of range", pc);
			pc = t;
			break;
		case OP_BR_COND_STK:
			if (sp < 2)
				return tlc_fail("stack underflow", pc);
			a = stack[--sp];
			if (TS_PROMOTE(a->cls) != TLC_INT)
				return tlc_fail("bad operand types", pc);
			n = TS_PROMOTE(a->ival);
			b = stack[--sp];
			if (truth(b, TS_PROMOTE(b->cls))) {
				if (n < -len || n > len)
					return tlc_fail("jump out of range", pc);
				t = pc + 1 + n;
				if ((unsigned long)t >= (unsigned long)len)
					return tlc_fail("jump out of range", pc);
				pc = t;
			} else {
				pc += 1;
			}
			break;
		case OP_CALL:
			if (sp < 1)
				return tlc_fail("stack underflow", pc);
			t = pc + 2 + ARG(code, pc, 0);
			if ((unsigned long)t >= (unsigned long)len)
				return tlc_fail("jump out of range", pc);
			if (depth >= TLC_MAXDEPTH)
				return tlc_fail("calls nested too deep", pc);
			stack[sp - 1] = tlc_interp(code, len, classes, t, &stack[sp - 1], 1,
			                           depth + 1);
			pc += 2;
			break;
		case OP_RETURN:
			if (sp < 1)
				return tlc_fail("stack underflow", pc);
			return stack[sp - 1];
		case OP_PUSHARG:
		case OP_PUSHARGN:
			n = op == OP_PUSHARG ? 0 : ARG(code, pc, 0);
			if (n < 0 || n >= nargs)
				return tlc_fail("no such argument", pc);
			if (sp == TLC_STACK)
				return tlc_fail("stack overflow", pc);
			stack[sp++] = args[n];
			pc += op == OP_PUSHARG ? 1 : 2;
			break;
		case OP_NIL:
			if (sp == TLC_STACK)
				return tlc_fail("stack overflow", pc);
			stack[sp++] = &tlc_nil;
			pc += 1;
			break;
		case OP_CONS:
			if (sp < 2)
				return tlc_fail("stack underflow", pc);
			a = stack[--sp];
			stack[sp - 1] = mkcons(a, stack[sp - 1]);
			pc += 1;
			break;
		case OP_CAR:
		case OP_CDR:
			if (sp < 1)
				return tlc_fail("stack underflow", pc);
			a = stack[sp - 1];
			if (TS_PROMOTE(a->cls) != TLC_CONS)
				return tlc_fail("not a pair", pc);
			stack[sp - 1] = a->field[op == OP_CAR ? 0 : 1];
			pc += 1;
			break;
		case OP_NEW:
			if (sp == TLC_STACK)
				return tlc_fail("stack overflow", pc);
			n = UARG(code, pc, 0);
			stack[sp++] = newobj(TLC_USER + n, classes[n].nfields);
			pc += 2;
			break;
		case OP_GETATTR:
			if (sp < 1)
				return tlc_fail("stack underflow", pc);
			a = stack[sp - 1];
			ca = TS_PROMOTE(a->cls);
			i = ca < TLC_USER ? -1 : findfield(classes, ca, UARG(code, pc, 0));
			if (i < 0)
				return tlc_failsym("no field", UARG(code, pc, 0), pc);
			stack[sp - 1] = a->field[i];
			pc += 2;
			break;
		case OP_SETATTR:
			if (sp < 2)
				return tlc_fail("stack underflow", pc);
			b = stack[--sp];
			a = stack[--sp];
			ca = TS_PROMOTE(a->cls);
			i = ca < TLC_USER ? -1 : findfield(classes, ca, UARG(code, pc, 0));
			if (i < 0)
				return tlc_failsym("no field", UARG(code, pc, 0), pc);
			a->field[i] = b;
			pc += 2;
			break;
		case OP_SEND:
			n = ARG(code, pc, 1);
			if (n < 0 || sp < n + 1)
				return tlc_fail("stack underflow", pc);
			a = stack[sp - n - 1];
			ca = TS_PROMOTE(a->cls);
			t = ca < TLC_USER ? -1 : findmethod(classes, ca, UARG(code, pc, 0));
			if (t < 0)
				return tlc_failsym("no method", UARG(code, pc, 0), pc);
			if (depth >= TLC_MAXDEPTH)
				return tlc_fail("calls nested too deep", pc);
			sp -= n + 1;
			stack[sp] = tlc_interp(code, len, classes, t, &stack[sp], n + 1,
			                       depth + 1);
			sp++;
			pc += 3;
			break;
		case OP_PRINT:
			if (sp < 1)
				return tlc_fail("stack underflow", pc);
			tlc_print(classes, stack[--sp]);
			pc += 1;
			break;
		default:
			return tlc_fail("invalid opcode", pc);
		}
	}
}

/* --- the assembler: interpreters/asm.c, with classes ------------------- */
#include "../asm.h"

enum { TLC_MAXLABELS = 1024 };

/* What the directives declare. */
typedef struct {
	Class classes[TLC_MAXCLASSES];      /* declared classes */
	int nclasses;                       /* count of classes */
	char syms[TLC_MAXSYMS][TLC_MAXTOK]; /* field and method names */
	int nsyms;                          /* count of symbols */
} Decls;

static int isname(const char *tok);
static int directive(Asm *as, int line, const char *tok, const char *s);
static long classoperand(Asm *as, int line, int kind, const char *tok);

/* TL's syntax, plus directives and operands naming a class ('c') or a
 * field or method ('s'). */
static const AsmLang tlc_lang = {
	"tlc", opname, opkinds, OP_N, 1, OP_RETURN, TLC_MAXCODE, TLC_MAXLABELS,
	1, "-", 1, 1, isname, isname, directive, classoperand,
};

/* A name: a word that does not start with a digit, '-' or '.'. */
static int isname(const char *tok)
{
	return *tok && !(*tok >= '0' && *tok <= '9') && *tok != '-' && *tok != '.';
}

static int findclass(Decls *d, const char *name)
{
	int i;

	for (i = 0; i < d->nclasses; i++)
		if (strcmp(d->classes[i].name, name) == 0)
			return i;
	return -1;
}

/* The number of the symbol name, interned. */
static int intern(Asm *as, int line, const char *name)
{
	Decls *d = as->user;
	int i;

	if (!isname(name))
		asm_fail(as, line, "bad name", name);
	for (i = 0; i < d->nsyms; i++)
		if (strcmp(d->syms[i], name) == 0)
			return i;
	if (d->nsyms == TLC_MAXSYMS)
		asm_fail(as, line, "too many names", NULL);
	strcpy(d->syms[d->nsyms], name);
	return d->nsyms++;
}

/* `.class NAME FIELD...` (s is after the directive). */
static void defclass(Asm *as, int line, const char *s)
{
	Decls *d = as->user;
	char tok[TLC_MAXTOK];
	Class *k;

	asm_word(as, line, &s, tok);
	if (!isname(tok))
		asm_fail(as, line, "bad class name", tok);
	if (findclass(d, tok) >= 0)
		asm_fail(as, line, "class defined twice", tok);
	if (d->nclasses == TLC_MAXCLASSES)
		asm_fail(as, line, "too many classes", NULL);
	k = &d->classes[d->nclasses++];
	strcpy(k->name, tok);
	for (asm_word(as, line, &s, tok); *tok; asm_word(as, line, &s, tok)) {
		if (k->nfields == TLC_MAXFIELDS)
			asm_fail(as, line, "too many fields in", k->name);
		k->fieldsym[k->nfields++] = (unsigned char)intern(as, line, tok);
	}
	if (!asm_endofline(as->lang, s))
		asm_fail(as, line, "unexpected character", NULL);
}

/* `.method CLASS NAME LABEL` (s is after the directive). */
static void defmethod(Asm *as, int line, const char *s)
{
	Decls *d = as->user;
	char tok[TLC_MAXTOK];
	Class *k;
	int c, m, sym;

	asm_word(as, line, &s, tok);
	c = findclass(d, tok);
	if (c < 0)
		asm_fail(as, line, "unknown class", tok);
	k = &d->classes[c];
	asm_word(as, line, &s, tok);
	sym = intern(as, line, tok);
	for (m = 0; m < k->nmethods; m++)
		if (k->methsym[m] == sym)
			asm_fail(as, line, "method defined twice", tok);
	if (k->nmethods == TLC_MAXMETHODS)
		asm_fail(as, line, "too many methods in", k->name);
	asm_word(as, line, &s, tok);
	if (!isname(tok))
		asm_fail(as, line, "bad label", tok);
	if (!asm_endofline(as->lang, s))
		asm_fail(as, line, "unexpected character", NULL);
	m = k->nmethods++;
	k->methsym[m] = (unsigned char)sym;
	strcpy(k->methlabel[m], tok);
	k->methline[m] = line;
}

/* The directives: 1 if the line starting with tok was one. */
static int directive(Asm *as, int line, const char *tok, const char *s)
{
	if (strcmp(tok, ".class") == 0)
		defclass(as, line, s);
	else if (strcmp(tok, ".method") == 0)
		defmethod(as, line, s);
	else
		return 0;
	return 1;
}

/* The byte of a class ('c') or symbol ('s') operand. */
static long classoperand(Asm *as, int line, int kind, const char *tok)
{
	long v;

	if (kind == 's')
		return intern(as, line, tok);
	v = findclass(as->user, tok);
	if (v < 0)
		asm_fail(as, line, "unknown class", tok);
	return v;
}

/* Give every method the pc of its label. */
static void resolvemethods(Asm *as)
{
	Decls *d = as->user;
	int i, m;

	for (i = 0; i < d->nclasses; i++) {
		Class *k = &d->classes[i];

		for (m = 0; m < k->nmethods; m++) {
			AsmLabel *l = asm_findlabel(as, k->methlabel[m]);

			if (!l)
				asm_fail(as, k->methline[m], "undefined label", k->methlabel[m]);
			k->methpc[m] = l->pc;
		}
	}
}

int main(int argc, char **argv)
{
	static Asm as;
	static Decls decls;
	Obj *arg;
	long n;

	as.user = &decls;
	n = asm_load(&as, &tlc_lang, argc, argv);
	resolvemethods(&as);
	tlc_symname = decls.syms;
	arg = mkint(n);
	tlc_print(decls.classes, tlc_interp(as.code, as.len, decls.classes, 0, &arg, 1, 0));
	return 0;
}
