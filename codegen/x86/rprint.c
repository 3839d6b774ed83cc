/*
 * rprint.c: the text form of residual IR, one operation per line.  Names
 * are stable: values are %N (their number in the unit), blocks bN, sites
 * sN, bridges "bridge N" (their number in the root).  Constants print
 * inline: integers in decimal, pointers in hex, f64 with a '.' or exponent.
 * docs/codegen.md shows an example.
 */
#include <inttypes.h>
#include <string.h>

#include "internal.h"

/* A unit's name: "unit" for a root, "bridgeN" for a bridge. */
static void unitname(FILE *f, const X86Unit *u)
{
	if (u->from)
		fprintf(f, "bridge%u", u->id);
	else
		fputs("unit", f);
}

/* Print an f64 so that it reads back as a double. */
static void printf64(FILE *f, int64_t bits)
{
	char buf[40];
	double d;

	memcpy(&d, &bits, sizeof d);
	snprintf(buf, sizeof buf, "%.17g", d);
	if (!strpbrk(buf, ".eni"))
		strcat(buf, ".0");
	fputs(buf, f);
}

void x86_printref(FILE *f, const X86Unit *u, X86Ref r)
{
	const RCon *c;

	switch (X86_REFKIND(r)) {
	case XK_VAL:
		fprintf(f, "%%%u", X86_REFIDX(r));
		break;
	case XK_CON:
		c = &u->con[X86_REFIDX(r)];
		if (c->type == X86_F64)
			printf64(f, c->v);
		else if (c->type == X86_PTR)
			fprintf(f, "0x%" PRIx64, (uint64_t)c->v);
		else
			fprintf(f, "%" PRId64, c->v);
		break;
	default:
		fputs("none", f);
	}
}

/* Print refs u->ref[first .. first+n) separated by commas. */
static void printrefs(FILE *f, const X86Unit *u, uint32_t first, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (i)
			fputs(", ", f);
		x86_printref(f, u, u->ref[first + i]);
	}
}

/* Print an address operand [base + index*scale + off]. */
static void printaddr(FILE *f, const X86Unit *u, const RIns *in)
{
	fputc('[', f);
	x86_printref(f, u, in->a);
	if (in->b) {
		fputs(" + ", f);
		x86_printref(f, u, in->b);
		fprintf(f, "*%d", 1 << in->scale);
	}
	if (in->off)
		fprintf(f, " %c %" PRId64, in->off < 0 ? '-' : '+',
		        in->off < 0 ? -(int64_t)in->off : (int64_t)in->off);
	fputc(']', f);
}

/* Print one operation (without indentation or newline). */
static void printins(FILE *f, const X86Unit *u, const RIns *in)
{
	int n = x86_opinfo[in->op].nargs;

	if (in->res)
		fprintf(f, "%%%u:%s = ", X86_REFIDX(in->res),
		        x86_typename[in->type]);
	fputs(x86_opinfo[in->op].name, f);
	switch (in->op) {
	case XR_LOAD:
		fputc(' ', f);
		printaddr(f, u, in);
		return;
	case XR_STORE:
		fprintf(f, " %s ", x86_typename[in->type]);
		x86_printref(f, u, in->c);
		fputs(", ", f);
		printaddr(f, u, in);
		return;
	case XR_SLOT:
		fprintf(f, " %d (%d bytes, align %d)", in->off,
		        u->slot[in->off].size, u->slot[in->off].align);
		return;
	case XR_CALL:
		if (!in->res)
			fputs(" void", f);
		fputc(' ', f);
		x86_printref(f, u, in->a);
		fputc('(', f);
		printrefs(f, u, in->arg, in->narg);
		fputc(')', f);
		return;
	}
	fputc(' ', f);
	x86_printref(f, u, in->a);
	if (n >= 2) {
		fputs(", ", f);
		x86_printref(f, u, in->b);
	}
	if (n >= 3) {
		fputs(", ", f);
		x86_printref(f, u, in->c);
	}
}

/* Print the cases of a flexswitch site. */
static void printflex(FILE *f, const X86Exit *s)
{
	uint32_t i;

	fputs(" cases {", f);
	for (i = 0; i < s->ncase; i++) {
		fprintf(f, "%s%" PRId64 ": ", i ? ", " : "", s->cases[i].val);
		if (s->cases[i].to != X86_NOBLK)
			fprintf(f, "b%u", s->cases[i].to);
		else
			fprintf(f, "bridge%u", s->cases[i].bridge->id);
	}
	fputc('}', f);
}

/* Print a terminator. */
static void printexit(FILE *f, const X86Unit *u, const RExit *x)
{
	uint32_t i;

	switch (x->kind) {
	case XE_NONE:
		fputs("unterminated", f);
		break;
	case XE_RET:
		fputs("ret", f);
		if (x->val) {
			fputc(' ', f);
			x86_printref(f, u, x->val);
		}
		break;
	case XE_JUMP:
	case XE_JUMPUNIT:
		fputs(x->kind == XE_JUMP ? "jump " : "jumpunit ", f);
		if (x->kind == XE_JUMPUNIT) {
			unitname(f, x->unit);
			fputc('.', f);
		}
		fprintf(f, "b%u(", x->to[0]);
		printrefs(f, u, x->arg, x->narg);
		fputc(')', f);
		break;
	case XE_BRANCH:
		fputs("branch ", f);
		x86_printref(f, u, x->val);
		fprintf(f, ", b%u, b%u", x->to[0], x->to[1]);
		break;
	case XE_SWITCH:
		fputs("switch ", f);
		x86_printref(f, u, x->val);
		fputs(" [", f);
		for (i = 0; i < x->ncas; i++)
			fprintf(f, "%s%" PRId64 ": b%u", i ? ", " : "",
			        u->cas[x->cas + i].val, u->cas[x->cas + i].to);
		fprintf(f, "] else b%u", x->to[0]);
		break;
	case XE_STUB:
	case XE_FLEX:
		fprintf(f, "%s s%u ", x->kind == XE_STUB ? "stub" : "flexswitch",
		        x->site->id);
		if (x->kind == XE_FLEX) {
			x86_printref(f, u, x->val);
			fputc(' ', f);
		}
		fputc('[', f);
		printrefs(f, u, x->arg, x->narg);
		fputc(']', f);
		if (x->kind == XE_FLEX)
			printflex(f, x->site);
		else if (x->site->bridge)
			fprintf(f, " -> bridge%u", x->site->bridge->id);
		break;
	}
}

/* Print a block's header line: bN(%a:t, ...): */
static void printhead(FILE *f, const X86Unit *u, uint32_t b)
{
	const RBlock *bl = &u->blk[b];
	uint32_t i;

	fprintf(f, "b%u", b);
	if (bl->narg) {
		fputc('(', f);
		for (i = 0; i < bl->narg; i++)
			fprintf(f, "%s%%%u:%s", i ? ", " : "", bl->arg + i,
			        x86_typename[u->val[bl->arg + i].type]);
		fputc(')', f);
	}
	fputs(bl->reentry ? ": reentry\n" : ":\n", f);
}

void x86_print(FILE *f, const X86Unit *u)
{
	uint32_t b, i;

	if (!u) {
		fputs("unit failed: out of memory\n", f);
		return;
	}
	unitname(f, u);
	if (u->from) {
		fputs(" from ", f);
		unitname(f, u->from->unit);
		fprintf(f, ".s%u", u->from->id);
	}
	fprintf(f, " -> %s", x86_typename[u->ret]);
	if (u->err)
		fprintf(f, " failed: %s", x86_errstr(u->err));
	fputc('\n', f);
	for (b = 0; b < u->nblk; b++) {
		printhead(f, u, b);
		for (i = 0; i < u->blk[b].nins; i++) {
			fputs("  ", f);
			printins(f, u, &u->blk[b].ins[i]);
			fputc('\n', f);
		}
		fputs("  ", f);
		printexit(f, u, &u->blk[b].x);
		fputc('\n', f);
	}
}
