/* asm.c: the text assembler of TLR, TL and TLC (see asm.h).
 *
 * One pass over the lines emits the bytecode, leaving a fixup for each
 * operand that names a label; at the end the language's end opcode is
 * appended (so falling off the end returns), the fixups are resolved and
 * every jump is checked to land on the start of an instruction, so a
 * portal never meets a misaligned pc.  The first error stops the assembly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "asm.h"

/* Print an assembly error at FILE:LINE and exit 1. */
void asm_fail(Asm *as, int line, const char *msg, const char *arg)
{
	fprintf(stderr, "%s: %s:%d: error: %s", as->lang->name, as->file, line, msg);
	if (arg)
		fprintf(stderr, " '%s'", arg);
	fprintf(stderr, "\n");
	exit(1);
}

/* Read FILE whole into a NUL-terminated buffer; exit 1 if impossible.
 * prog names the interpreter in messages. */
char *asm_readfile(const char *prog, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n = 0;
	int c;

	if (!f) {
		fprintf(stderr, "%s: error: cannot open '%s'\n", prog, path);
		exit(1);
	}
	buf = malloc(ASM_MAXFILE + 1);
	if (!buf) {
		fprintf(stderr, "%s: error: out of memory\n", prog);
		exit(1);
	}
	while ((c = fgetc(f)) != EOF) {
		if (n == ASM_MAXFILE || c == 0) {
			fprintf(stderr, "%s: error: '%s' is not a program\n", prog, path);
			exit(1);
		}
		buf[n++] = (char)c;
	}
	fclose(f);
	buf[n] = 0;
	return buf;
}

/* Parse the integer argument N of the command line; exit 2 if it is not
 * one. */
long asm_intarg(const char *prog, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end) {
		fprintf(stderr, "%s: error: not an integer: '%s'\n", prog, s);
		exit(2);
	}
	return v;
}

static int identchar(const AsmLang *l, int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' ||
	       (c && strchr(l->wordchars, c));
}

/* Copy the next word of *s into tok (empty if none); advance *s. */
void asm_word(Asm *as, int line, const char **s, char *tok)
{
	const char *p = *s;
	int n = 0;

	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	while (identchar(as->lang, (unsigned char)*p)) {
		if (n == ASM_MAXTOK - 1)
			asm_fail(as, line, "word too long", NULL);
		tok[n++] = *p++;
	}
	tok[n] = 0;
	*s = p;
}

/* Parse a decimal number into *v: -128..127 in a language of relative
 * jumps, 0..255 otherwise; 0 if tok is not one. */
int asm_number(const AsmLang *l, const char *tok, long *v)
{
	int neg = l->relative && *tok == '-';

	tok += neg;
	*v = 0;
	if (!*tok)
		return 0;
	for (; *tok; tok++) {
		if (*tok < '0' || *tok > '9' || *v > 1000)
			return 0;
		*v = *v * 10 + (*tok - '0');
	}
	if (neg)
		*v = -*v;
	return l->relative ? *v >= -128 && *v <= 127 : *v <= 255;
}

/* Only blanks and a comment are left of the line at s. */
int asm_endofline(const AsmLang *l, const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return !*s || *s == '\n' || *s == '#' || *s == ';' ||
	       (l->slashcomment && s[0] == '/' && s[1] == '/');
}

AsmLabel *asm_findlabel(Asm *as, const char *name)
{
	int i;

	for (i = 0; i < as->nlabels; i++)
		if (strcmp(as->labels[i].name, name) == 0)
			return &as->labels[i];
	return NULL;
}

void asm_emit(Asm *as, int line, long byte)
{
	if (as->len >= as->lang->maxcode)
		asm_fail(as, line, "program too long", NULL);
	as->lineof[as->len] = line;
	as->code[as->len++] = (unsigned char)byte;
}

static void deflabel(Asm *as, int line, const char *name)
{
	AsmLabel *l;

	if (!as->lang->labelok(name))
		asm_fail(as, line, "bad label", name);
	if (asm_findlabel(as, name))
		asm_fail(as, line, "label defined twice", name);
	if (as->nlabels == as->lang->maxlabels)
		asm_fail(as, line, "too many labels", NULL);
	l = &as->labels[as->nlabels++];
	strcpy(l->name, name);
	l->pc = as->len;
}

/* Emit the operand tok of kind k of opcode op, an instruction that ends
 * at `from`. */
static void operand(Asm *as, int line, int op, int k, const char *tok, long from)
{
	const AsmLang *l = as->lang;
	AsmFixup *f;
	long v;

	if (!*tok)
		asm_fail(as, line, "missing operand for", l->opname[op]);
	if (k != 'i' && k != 'j') {
		asm_emit(as, line, l->operand(as, line, k, tok));
		return;
	}
	if (asm_number(l, tok, &v)) {
		asm_emit(as, line, v);
		return;
	}
	if (k != 'j' || !l->labelrefok(tok))
		asm_fail(as, line, "bad operand", tok);
	if (as->nfixups == ASM_MAXFIXUPS)
		asm_fail(as, line, "too many label operands", NULL);
	f = &as->fixups[as->nfixups++];
	strcpy(f->label, tok);
	f->at = as->len;
	f->from = from;
	f->line = line;
	asm_emit(as, line, 0);
}

/* Assemble one line (NUL- or newline-terminated). */
static void asmline(Asm *as, int line, const char *s)
{
	const AsmLang *l = as->lang;
	char tok[ASM_MAXTOK], arg[ASM_MAXTOK];
	const char *k;
	long from;
	int op;

	asm_word(as, line, &s, tok);
	if (l->directive && l->directive(as, line, tok, s))
		return;
	while (l->spacedcolon && (*s == ' ' || *s == '\t'))
		s++;
	if (*s == ':') {
		deflabel(as, line, tok);
		s++;
		asm_word(as, line, &s, tok);
	}
	if (!*tok) {
		if (!asm_endofline(l, s))
			asm_fail(as, line, "unexpected character", NULL);
		return;
	}
	for (op = l->firstop; op < l->nops; op++)
		if (strcmp(tok, l->opname[op]) == 0)
			break;
	if (op == l->nops)
		asm_fail(as, line, "unknown opcode", tok);
	if (as->len < l->maxcode)
		as->isstart[as->len] = 1;
	from = as->len + 1 + (long)strlen(l->opkinds[op]);
	asm_emit(as, line, op);
	for (k = l->opkinds[op]; *k; k++) {
		asm_word(as, line, &s, arg);
		operand(as, line, op, *k, arg, from);
	}
	asm_word(as, line, &s, tok);
	if (*tok || !asm_endofline(l, s))
		asm_fail(as, line, "unexpected text after", l->opname[op]);
}

/* Resolve label operands; check that every jump lands on an
 * instruction.  The messages give the operand as written in the code. */
static void resolve(Asm *as)
{
	const AsmLang *l = as->lang;
	char buf[32];
	long pc, t, arg;
	int i;

	for (i = 0; i < as->nfixups; i++) {
		AsmFixup *f = &as->fixups[i];
		AsmLabel *lab = asm_findlabel(as, f->label);

		if (!lab)
			asm_fail(as, f->line, "undefined label", f->label);
		t = l->relative ? lab->pc - f->from : lab->pc;
		if (l->relative && (t < -128 || t > 127))
			asm_fail(as, f->line, "branch too far to", f->label);
		as->code[f->at] = (unsigned char)t;
	}
	for (pc = 0; pc < as->len; pc += 1 + (long)strlen(l->opkinds[as->code[pc]])) {
		if (l->opkinds[as->code[pc]][0] != 'j')
			continue;
		arg = l->relative ? (signed char)as->code[pc + 1] : as->code[pc + 1];
		t = l->relative ? pc + 2 + arg : arg;
		snprintf(buf, sizeof buf, "%ld", arg);
		if (t < 0 || t >= as->len)
			asm_fail(as, as->lineof[pc], l->relative ? "jump out of range by" :
			         "jump out of range to", buf);
		if (!as->isstart[t])
			asm_fail(as, as->lineof[pc], l->relative ? "jump into an instruction by" :
			         "jump into an instruction at", buf);
	}
}

/* Assemble the text src into as->code (as->lang and as->file set); exit 1
 * on the first error. */
void asm_assemble(Asm *as, const char *src)
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
	if (as->len < as->lang->maxcode)
		as->isstart[as->len] = 1;
	asm_emit(as, line, as->lang->endop);
	resolve(as);
}

/* The command line `NAME FILE N` of an interpreter in language l: check
 * it (usage: exit 2), assemble FILE into as (as->user set if the language
 * needs it) and return N. */
long asm_load(Asm *as, const AsmLang *l, int argc, char **argv)
{
	long n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s FILE N\n", l->name);
		exit(2);
	}
	n = asm_intarg(l->name, argv[2]);
	as->lang = l;
	as->file = argv[1];
	asm_assemble(as, asm_readfile(l->name, argv[1]));
	return n;
}
