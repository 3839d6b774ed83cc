/* import_smoke.c: import C/LLVM files, verify the module and print a
 * compact summary of it (independent of the text printer), for the
 * importer's tests.
 * Usage: import_smoke [-r] FILE... [-- CCARGS...]
 *   -r  instead of the summary, check that the module's text form reads
 *       back to the same text (print -> parse -> print)
 * Exit status: 1 if the import fails, 2 if the module does not verify,
 * 3 if the text does not round-trip. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "flowgraph.h"

static void ref(const FgModule *m, const FgFunc *f, Ref r)
{
	const FgConst *k;

	switch (REFKIND(r)) {
	case RK_VAL:
		printf(" %%%u", REFIDX(r));
		return;
	case RK_CON:
		k = &f->cons[REFIDX(r)];
		if (k->kind == CK_INT)
			printf(" %s:%" PRId64, fg_typename(k->type), k->bits);
		else if (k->kind == CK_GLOBAL)
			printf(" @%s+%" PRId64, m->globals[k->sym].name, k->bits);
		else if (k->kind == CK_FUNC)
			printf(" &%s", m->funcs[k->sym].name);
		else
			printf(" undef");
		return;
	}
	printf(" -");
}

static void func(const FgModule *m, const FgFunc *f)
{
	size_t b, i;

	printf("func %s flags=%u ret=%s nparams=%zu loc=%s:%u\n", f->name, f->flags,
		fg_typename(f->ret), fg_vlen(f->params), fg_locfile(m, f->loc), f->loc.line);
	for (b = 0; b < fg_vlen(f->blocks); b++) {
		const FgBlock *bl = &f->blocks[b];
		printf(" b%zu %s(", b, bl->name ? bl->name : "");
		for (i = 0; i < fg_vlen(bl->args); i++)
			printf("%s%%%u:%s", i ? " " : "", REFIDX(bl->args[i]),
				fg_typename(fg_reftype(f, bl->args[i])));
		printf(")\n");
		for (i = 0; i < fg_vlen(bl->ops); i++) {
			const FgOp *o = &bl->ops[i];
			uint32_t k;
			printf("  ");
			if (o->res)
				printf("%%%u:%s = ", REFIDX(o->res), fg_typename(o->type));
			printf("%s", fg_opinfo[o->op].name);
			for (k = 0; k < o->narg; k++)
				ref(m, f, f->refs[o->arg + k]);
			printf(" imm=%" PRId64 " line=%u\n", o->imm, o->loc.line);
		}
		printf("  exit %d", bl->exit.kind);
		ref(m, f, bl->exit.cond);
		for (i = 0; i < bl->exit.nlink; i++) {
			const FgLink *l = &f->links[bl->exit.link + i];
			uint32_t k;
			printf(" [%" PRId64 "->b%u", l->value, l->target);
			for (k = 0; k < l->narg; k++)
				ref(m, f, f->refs[l->arg + k]);
			printf("]");
		}
		printf("\n");
	}
}

/* The text form of m, malloc'ed. */
static char *text(const FgModule *m, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	fg_print(f, m);
	fclose(f);
	return buf;
}

/* print -> parse -> print must give the same text. */
static int roundtrip(const FgModule *m)
{
	size_t n1, n2;
	char *t1 = text(m, &n1), *t2 = NULL;
	FgModule *m2 = t1 ? fg_parse(t1, n1, "<printed>") : NULL;
	int ok = 0;

	if (m2 && (t2 = text(m2, &n2)))
		ok = n1 == n2 && memcmp(t1, t2, n1) == 0;
	if (m2 && !ok) {
		size_t i = 0;
		while (i < n1 && i < n2 && t1[i] == t2[i])
			i++;
		fprintf(stderr, "text differs after a round trip at byte %zu:\n%.80s\n---\n%.80s\n", i,
			t1 + (i > 40 ? i - 40 : 0), t2 + (i > 40 ? i - 40 : 0));
	}
	free(t1);
	free(t2);
	fg_freemodule(m2);
	return ok;
}

int main(int argc, char **argv)
{
	int i, nf, rt = argc > 1 && strcmp(argv[1], "-r") == 0;
	FgModule *m;
	size_t k;

	if (rt) {
		argv++;
		argc--;
	}
	nf = argc - 1;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			nf = i - 1;
			break;
		}
	m = fg_import((const char *const *)argv + 1, nf, (const char *const *)argv + nf + 2,
		nf + 1 < argc ? argc - nf - 2 : 0);
	if (!m)
		return 1;
	if (fg_verify(m) > 0) {
		fg_freemodule(m);
		return 2;
	}
	if (rt) {
		i = roundtrip(m);
		fg_freemodule(m);
		return i ? 0 : 3;
	}
	for (k = 0; k < fg_vlen(m->globals); k++) {
		const FgGlobal *g = &m->globals[k];
		size_t j;
		printf("global %s size=%" PRIu64 " align=%u flags=%u loc=%s:%u", g->name, g->size,
			g->align, g->flags, fg_locfile(m, g->loc), g->loc.line);
		for (j = 0; g->init && j < g->size && j < 64; j++)
			printf("%s%02x", j ? "" : " init=", g->init[j]);
		for (j = 0; j < fg_vlen(g->relocs); j++) {
			const FgReloc *r = &g->relocs[j];
			printf(" reloc@%" PRIu64 "=%s+%" PRId64, r->off,
				r->kind == CK_GLOBAL ? m->globals[r->sym].name : m->funcs[r->sym].name, r->addend);
		}
		printf("\n");
	}
	for (k = 0; k < fg_vlen(m->funcs); k++)
		func(m, &m->funcs[k]);
	fg_freemodule(m);
	return 0;
}
