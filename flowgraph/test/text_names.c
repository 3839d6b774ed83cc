/* text_names.c: the printer's naming of duplicate, missing and unusual
 * names, on a module built with the builders (as the importer would).
 * Prints the module; checks that it verifies and that print -> parse ->
 * print is the identity.  Exit status 0 when both hold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flowgraph.h"

static char *printed(const FgModule *m, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	fg_print(f, m);
	fclose(f);
	return buf;
}

static void build(FgModule *m)
{
	uint8_t params[2] = {TY_I32, TY_I32};
	uint32_t fi, g1, b0, b1, b2, b3;
	FgFunc *f;
	FgLoc loc = {0, 0};
	Ref a, b, x1, x2, x3, u1, u2, c, args[2];

	g1 = fg_addglobal(m, "g", 4, 4, GL_DEFINED);
	fg_addglobal(m, "g", 4, 4, GL_DEFINED | GL_STATIC);
	fg_addglobal(m, "g.1", 8, 8, GL_DEFINED);
	m->globals[g1].init[0] = 7;
	fg_addglobal(m, "odd name\"\n", 1, 1, GL_DEFINED);
	fi = fg_addfunc(m, "f", TY_I32, params, 2, FN_DEFINED);
	fg_addfunc(m, "", TY_VOID, NULL, 0, 0);
	f = &m->funcs[fi];
	loc.file = fg_addfile(m, "names.c");
	loc.line = 3;
	b0 = fg_addblock(f, NULL);
	b1 = fg_addblock(f, "loop");
	b2 = fg_addblock(f, "loop");
	b3 = fg_addblock(f, "b0");
	a = fg_addarg(m, f, b0, TY_I32, "x");
	b = fg_addarg(m, f, b0, TY_I32, NULL);
	x1 = fg_emit(m, f, b0, FG_ADD, TY_I32, (Ref[]){a, b}, 2, 0, loc);
	f->vals[REFIDX(x1)].name = "x";
	x2 = fg_emit(m, f, b0, FG_MUL, TY_I32, (Ref[]){x1, fg_con(f, TY_I32, -3)}, 2, 0, loc);
	f->vals[REFIDX(x2)].name = "x.1";
	u1 = fg_emit(m, f, b0, FG_SUB, TY_I32, (Ref[]){x2, b}, 2, 0, loc);
	c = fg_emit(m, f, b0, FG_SLT, TY_I1, (Ref[]){u1, fg_con(f, TY_I32, 0)}, 2, 0, loc);
	f->vals[REFIDX(c)].name = "0";
	fg_setexit(f, b0, EX_BRANCH, c, loc);
	args[0] = u1;
	fg_addlink(f, b0, b1, args, 1, 0);
	fg_addlink(f, b0, b2, NULL, 0, 0);
	x3 = fg_addarg(m, f, b1, TY_I32, "x");
	u2 = fg_emit(m, f, b1, FG_ADD, TY_I32, (Ref[]){x3, fg_con(f, TY_I32, 5)}, 2, 0, loc);
	fg_emit(m, f, b1, FG_PTRADD, TY_PTR,
		(Ref[]){fg_consym(f, CK_GLOBAL, 1, -4), fg_con(f, TY_I64, 4)}, 2, 0, loc);
	fg_setexit(f, b1, EX_GOTO, REF_NONE, loc);
	fg_addlink(f, b1, b3, &u2, 1, 0);
	fg_setexit(f, b2, EX_GOTO, REF_NONE, loc);
	args[0] = fg_con(f, TY_I32, 1);
	fg_addlink(f, b2, b3, args, 1, 0);
	fg_addarg(m, f, b3, TY_I32, "we ird");
	fg_setexit(f, b3, EX_RETURN, f->blocks[b3].args[0], loc);
}

int main(void)
{
	FgModule *m = fg_newmodule(), *m2;
	size_t n1, n2;
	char *t1, *t2;
	int rc = 0;

	build(m);
	t1 = printed(m, &n1);
	fputs(t1, stdout);
	if (fg_verify(m) > 0)
		rc = 1;
	m2 = fg_parse(t1, n1, "names.fg");
	if (!m2)
		return 1;
	t2 = printed(m2, &n2);
	if (n1 != n2 || memcmp(t1, t2, n1) != 0) {
		fprintf(stderr, "text_names: print -> parse -> print differs:\n%s", t2);
		rc = 1;
	}
	fg_freemodule(m);
	fg_freemodule(m2);
	free(t1);
	free(t2);
	return rc;
}
