/*
 * lower.c: golden machine code of small units (the check_insns of the
 * backend): each unit is compiled and disassembled with Capstone, code
 * addresses are replaced by ADDR (they change from run to run), and the
 * text is compared with lower.golden beside this file.  A change in code
 * quality (an extra move, a lost fusion) shows up as a diff.  `lower -u
 * FILE` rewrites the golden file after a deliberate change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "backend.h"

static const uint8_t I64[] = {X86_I64, X86_I64, X86_I64, X86_I64};

/* adder: x + y. */
static X86Unit *adder(void)
{
	X86Unit *u = x86_newunit(2, I64, X86_I64);

	x86_ret(u, 0, x86_op2(u, 0, XR_ADD, x86_arg(u, 0, 0), x86_arg(u, 0, 1)));
	return u;
}

/* sum of 0..n-1: a counted loop; the header's compare feeds the branch. */
static X86Unit *sumloop(void)
{
	X86Unit *u = x86_newunit(1, I64, X86_I64);
	int h = x86_block(u, 2, I64), body = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL);
	X86Ref a[2], i, s;

	a[0] = x86_con(u, X86_I64, 0);
	a[1] = x86_con(u, X86_I64, 0);
	x86_jump(u, 0, h, 2, a);
	i = x86_arg(u, h, 0);
	s = x86_arg(u, h, 1);
	x86_branch(u, h, x86_op2(u, h, XR_SLT, i, x86_arg(u, 0, 0)), body, done);
	a[0] = x86_op2(u, body, XR_ADD, i, x86_con(u, X86_I64, 1));
	a[1] = x86_op2(u, body, XR_ADD, s, i);
	x86_jump(u, body, h, 2, a);
	x86_ret(u, done, s);
	return u;
}

static int64_t twice(int64_t x)
{
	return 2 * x;
}

/* a call with a value live across it, and f64 arithmetic. */
static X86Unit *callf(void)
{
	X86Unit *u = x86_newunit(1, I64, X86_I64);
	X86Ref x = x86_arg(u, 0, 0), y, f;

	y = x86_call(u, 0, X86_I64, x86_con(u, X86_PTR, (int64_t)(intptr_t)twice),
	             1, &x);
	f = x86_op2(u, 0, XR_FMUL, x86_op1(u, 0, XR_SITOF, X86_F64, y),
	            x86_conf(u, 1.5));
	x86_ret(u, 0, x86_op2(u, 0, XR_ADD, x86_op1(u, 0, XR_FTOSI, X86_I64, f), x));
	return u;
}

/* narrow arithmetic, a load and a store with index and scale. */
static X86Unit *memops(void)
{
	static const uint8_t pt[] = {X86_PTR, X86_I64};
	X86Unit *u = x86_newunit(2, pt, X86_I32);
	X86Ref p = x86_arg(u, 0, 0), i = x86_arg(u, 0, 1), v;

	v = x86_load(u, 0, X86_I32, p, i, 4, 8);
	v = x86_op2(u, 0, XR_MUL, v, x86_con(u, X86_I32, 3));
	x86_store(u, 0, v, p, i, 4, 12);
	x86_ret(u, 0, x86_op2(u, 0, XR_SDIV, v, x86_con(u, X86_I32, 7)));
	return u;
}

static X86Unit *noexit(void *opaque, X86Exit *site, int64_t value,
                       const int64_t *live)
{
	(void)opaque, (void)site, (void)value, (void)live;
	return NULL;
}

/* a loop with a guard: its stub is out of line, after the exit tail (the
 * hot path falls through the jcc); a flexswitch's slow path after it. */
static X86Unit *guard(void)
{
	X86Unit *u = x86_newunit(1, I64, X86_I64);
	int h = x86_block(u, 2, I64), body = x86_block(u, 0, NULL);
	int ex = x86_block(u, 0, NULL), cont = x86_block(u, 0, NULL);
	int done = x86_block(u, 0, NULL);
	X86Ref a[2], i, s;

	a[0] = x86_con(u, X86_I64, 0);
	a[1] = x86_con(u, X86_I64, 0);
	x86_jump(u, 0, h, 2, a);
	i = x86_arg(u, h, 0);
	s = x86_arg(u, h, 1);
	x86_branch(u, h, x86_op2(u, h, XR_SLT, i, x86_arg(u, 0, 0)), body, done);
	x86_branch(u, body, x86_op2(u, body, XR_SGT, s, x86_con(u, X86_I64, 1000)),
	           ex, cont);
	a[0] = i, a[1] = x86_con(u, X86_I64, 7);
	x86_exitstub(u, ex, 2, a, noexit, NULL);
	a[0] = x86_op2(u, cont, XR_ADD, i, x86_con(u, X86_I64, 1));
	a[1] = x86_op2(u, cont, XR_ADD, s, i);
	x86_jump(u, cont, h, 2, a);
	x86_flexswitch(u, done, s, 1, &i, noexit, NULL);
	return u;
}

/* Print the disassembly of u's code, addresses normalised. */
static void dump(FILE *out, const char *name, X86Unit *u)
{
	char *text = NULL, *line, *p, *q;
	size_t n = 0;
	FILE *mem = open_memstream(&text, &n);

	x86_disasm(u->code, ((BUnit *)u->be)->len, mem);
	fclose(mem);
	fprintf(out, "== %s\n", name);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		p = line + 14 + 30; /* skip "address: " and the bytes */
		if (strlen(line) < 45)
			continue;
		while (*p == ' ')
			p++;
		/* hex numbers of 6+ digits are addresses */
		for (q = p; *q; q++) {
			if (q[0] == '0' && q[1] == 'x' && strspn(q + 2, "0123456789abcdef") >= 6) {
				fputs("ADDR", out);
				q += 1 + strspn(q + 2, "0123456789abcdef");
				continue;
			}
			fputc(*q, out);
		}
		fputc('\n', out);
	}
	free(text);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		X86Unit *(*make)(void);
	} units[] = {
		{"adder", adder}, {"sumloop", sumloop}, {"callf", callf},
		{"memops", memops}, {"guard", guard},
	};
	char *got = NULL, want[65536];
	size_t n = 0, i, len;
	FILE *out = open_memstream(&got, &n), *f;
	int update = argc > 2 && !strcmp(argv[1], "-u");
	X86Unit *u;

	if (argc < 2) {
		fprintf(stderr, "usage: lower [-u] GOLDEN\n");
		return 2;
	}
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		u = units[i].make();
		if (!x86_compile(u)) {
			printf("FAIL lower-%s\n  compile: %s\n", units[i].name,
			       x86_errstr(x86_error(u)));
			return 1;
		}
		dump(out, units[i].name, u);
		x86_free(u);
	}
	fclose(out);
	if (update) {
		if (!(f = fopen(argv[2], "w")))
			return 2;
		fputs(got, f);
		fclose(f);
		return 0;
	}
	f = fopen(argv[1], "r");
	len = f ? fread(want, 1, sizeof want - 1, f) : 0;
	want[len] = 0;
	if (f)
		fclose(f);
	/* one verdict per unit: compare the sections */
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		char head[64], *g, *w, *ge, *we;
		snprintf(head, sizeof head, "== %s\n", units[i].name);
		g = strstr(got, head), w = strstr(want, head);
		ge = g ? strstr(g + 1, "\n== ") : NULL;
		we = w ? strstr(w + 1, "\n== ") : NULL;
		if (g && w && (ge ? ge - g : (long)strlen(g)) ==
		                  (we ? we - w : (long)strlen(w)) &&
		    !strncmp(g, w, ge ? (size_t)(ge - g) : strlen(g))) {
			printf("PASS lower-%s\n", units[i].name);
		} else {
			printf("FAIL lower-%s\n  differs from %s; got:\n", units[i].name,
			       argv[1]);
			if (g)
				printf("%.*s\n", ge ? (int)(ge - g) : (int)strlen(g), g);
		}
	}
	free(got);
	return 0;
}
