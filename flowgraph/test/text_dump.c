/* text_dump.c: parse and verify a .fg file, then write it as XML, DOT or
 * SVG, optionally with a test style (to exercise the FgStyle hooks).
 *
 *   text_dump xml|dot|svg FILE.fg [--style] [--function NAME]
 *
 * The test style: values with an even index are "green", odd ones "red";
 * operations take their result's class; block 1 is a "merge" block, a
 * block ending in a branch or switch is "split"; functions get the note
 * "(styled)".  Exit status: 0 written, 1 parse/verify error, 3 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flowgraph.h"

static const char *valclass(void *ctx, const FgFunc *f, Ref r)
{
	(void)ctx, (void)f;
	if (REFKIND(r) != RK_VAL)
		return NULL;
	return REFIDX(r) % 2 ? "red" : "green";
}

static const char *opclass(void *ctx, const FgFunc *f, uint32_t b, uint32_t i)
{
	const FgOp *o = &f->blocks[b].ops[i];

	return o->res != REF_NONE ? valclass(ctx, f, o->res) : "green";
}

static const char *blockclass(void *ctx, const FgFunc *f, uint32_t b)
{
	int k = f->blocks[b].exit.kind;

	(void)ctx;
	if (b == 1)
		return "merge";
	return k == EX_BRANCH || k == EX_SWITCH ? "split" : NULL;
}

static const char *funcnote(void *ctx, const FgFunc *f)
{
	(void)ctx, (void)f;
	return "(styled)";
}

int main(int argc, char **argv)
{
	FgStyle style = {NULL, valclass, opclass, blockclass, funcnote};
	const FgStyle *st = NULL;
	const FgFunc *only = NULL;
	const char *fn = NULL;
	FgModule *m;
	size_t len;
	char *text;
	int i, rc;

	if (argc < 3) {
		fprintf(stderr,
			"usage: text_dump xml|dot|svg FILE.fg [--style] [--function NAME]\n");
		return 3;
	}
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--style") == 0)
			st = &style;
		else if (strcmp(argv[i], "--function") == 0 && i + 1 < argc)
			fn = argv[++i];
		else
			return 3;
	}
	if (!(text = fg_readfile(argv[2], &len)))
		return 3;
	m = fg_parse(text, len, argv[2]);
	fg_free(text);
	if (!m || fg_verify(m) > 0) {
		fg_freemodule(m);
		return 1;
	}
	if (fn) {
		int k = fg_findfunc(m, fn);
		if (k < 0)
			return 3;
		only = &m->funcs[k];
	}
	if (strcmp(argv[1], "xml") == 0)
		rc = fg_writexml(stdout, m, only, st);
	else if (strcmp(argv[1], "dot") == 0)
		rc = fg_writedot(stdout, m, only, st);
	else if (strcmp(argv[1], "svg") == 0)
		rc = fg_writesvg(stdout, m, only, st);
	else
		rc = -1;
	fg_freemodule(m);
	return rc < 0 ? 1 : 0;
}
