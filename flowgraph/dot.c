/* dot.c: the flow graphs as Graphviz DOT text, and as SVG laid out by
 * libgvc in process (no `dot` subprocess).
 *
 * Each defined function is a cluster; each block a node whose HTML-like
 * label is a table: the block's label and typed arguments, one row per
 * operation in the text format, and the exit.  Each link is an edge
 * labelled with the arguments it passes, and "true"/"false" for a branch
 * or the case value ("default") for a switch.  FgStyle classes colour
 * values and operations ("green" and "red" draw in those colours, the
 * annotator's "promote", "inline" and "hint" in orange, blue and grey), a
 * "merge" block gets a double border, and a "split" block's exit row and
 * outgoing edges are drawn bold.
 */
#include <stdlib.h>
#include <string.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include "textint.h"

typedef struct {
	FILE *out;	   /* DOT text goes here */
	const FgModule *m; /* module */
	const FgFunc *f;   /* function being drawn */
	uint32_t fi;	   /* its index */
	const FgStyle *st; /* styling, may be NULL */
	FgNames n;	   /* printed names */
} Dw;

/* Text with HTML's special characters escaped. */
static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
				fprintf(out, "&#%u;",
					(unsigned char)*s < 0x20 ? 0x2400 + *s : 0xfffd);
			else
				fputc(*s, out);
		}
	}
}

/* The colour of a class (the first known word of it), NULL for black:
 * the binding-time classes of the hint annotator. */
static const char *colour(const char *cls)
{
	static const char *const map[][2] = {
	    {"green", "green"},
	    {"red", "red"},
	    {"promote", "orange"},
	    {"inline", "blue"},
	    {"hint", "gray50"},
	};
	size_t i, n;

	while (cls && *cls) {
		cls += strspn(cls, " ");
		n = strcspn(cls, " ");
		for (i = 0; i < sizeof map / sizeof *map; i++)
			if (strlen(map[i][0]) == n && strncmp(cls, map[i][0], n) == 0)
				return map[i][1];
		cls += n;
	}
	return NULL;
}

/* Does the space-separated class list cls contain word w? */
static int hasclass(const char *cls, const char *w)
{
	size_t n = strlen(w);

	while (cls && *cls) {
		cls += strspn(cls, " ");
		if (strncmp(cls, w, n) == 0 && (cls[n] == ' ' || !cls[n]))
			return 1;
		cls += strcspn(cls, " ");
	}
	return 0;
}

/* Print with a callback into a string, then escape it. */
typedef struct {
	char *buf;  /* memstream buffer */
	size_t len; /* its length */
	FILE *mem;  /* the stream */
} Str;

static FILE *sopen(Str *s)
{
	s->buf = NULL;
	if (!(s->mem = open_memstream(&s->buf, &s->len)))
		die("open_memstream failed");
	return s->mem;
}

static void sflush(Dw *d, Str *s, const char *col)
{
	fclose(s->mem);
	if (col)
		fprintf(d->out, "<font color=\"%s\">", col);
	esc(d->out, s->buf);
	if (col)
		fputs("</font>", d->out);
	free(s->buf);
}

static const char *blockclass(Dw *d, uint32_t b)
{
	return d->st && d->st->blockclass ? d->st->blockclass(d->st->ctx, d->f, b) : NULL;
}

static const char *valclass(Dw *d, Ref r)
{
	return d->st && d->st->valclass ? d->st->valclass(d->st->ctx, d->f, r) : NULL;
}

static void blocknode(Dw *d, uint32_t b)
{
	const FgFunc *f = d->f;
	const FgBlock *bl = &f->blocks[b];
	const char *cls = blockclass(d, b);
	int merge = hasclass(cls, "merge"), split = hasclass(cls, "split");
	uint32_t i;
	Str s;

	fprintf(d->out,
		"  f%u_b%u [%slabel=<<table border=\"%d\" cellborder=\"0\" "
		"cellspacing=\"0\" cellpadding=\"1\">\n   <tr><td align=\"left\"><b>",
		d->fi, b, merge ? "peripheries=2, " : "", 0);
	fg_printname(sopen(&s), '@', d->n.block[b]);
	sflush(d, &s, colour(cls));
	fputs("</b>(", d->out);
	for (i = 0; i < fg_vlen(bl->args); i++) {
		FILE *o = sopen(&s);
		if (i)
			fputs(", ", d->out);
		fg_printtype(o, fg_reftype(f, bl->args[i]));
		fputc(' ', o);
		fg_printvalue(o, d->m, f, &d->n, bl->args[i]);
		sflush(d, &s, colour(valclass(d, bl->args[i])));
	}
	fputs("):</td></tr>\n", d->out);
	for (i = 0; i < fg_vlen(bl->ops); i++) {
		const FgOp *o = &bl->ops[i];
		const char *oc =
		    d->st && d->st->opclass ? d->st->opclass(d->st->ctx, f, b, i) : NULL;
		if (!oc && o->res != REF_NONE)
			oc = valclass(d, o->res);
		fputs("   <tr><td align=\"left\">  ", d->out);
		fg_printopbody(sopen(&s), d->m, f, &d->n, o);
		sflush(d, &s, colour(oc));
		fputs("</td></tr>\n", d->out);
	}
	fprintf(d->out, "   <tr><td align=\"left\">  %s", split ? "<b>" : "");
	fg_printexitbody(sopen(&s), d->m, f, &d->n, &bl->exit);
	sflush(d, &s, NULL);
	fprintf(d->out, "%s</td></tr>\n  </table>>];\n", split ? "</b>" : "");
}

static void blockedges(Dw *d, uint32_t b)
{
	const FgFunc *f = d->f;
	const FgExit *e = &f->blocks[b].exit;
	const char *cls = blockclass(d, b);
	int split = hasclass(cls, "split");
	uint32_t i;
	Str s;

	for (i = 0; i < e->nlink && e->link + i < fg_vlen(f->links); i++) {
		const FgLink *l = &f->links[e->link + i];
		if (l->target >= fg_vlen(f->blocks))
			continue;
		fprintf(d->out, "  f%u_b%u -> f%u_b%u [%slabel=<", d->fi, b, d->fi, l->target,
			split ? "style=bold, " : "");
		if (e->kind == EX_BRANCH)
			fputs(i == 0 ? "true " : "false ", d->out);
		else if (e->kind == EX_SWITCH && i == 0)
			fputs("default ", d->out);
		else if (e->kind == EX_SWITCH)
			fprintf(d->out, "%lld: ", (long long)l->value);
		fg_printlinkargs(sopen(&s), d->m, f, &d->n, l);
		sflush(d, &s, NULL);
		fputs(">];\n", d->out);
	}
}

static void funcgraph(Dw *d, uint32_t fi)
{
	const FgFunc *f = &d->m->funcs[fi];
	uint32_t b;
	Str s;

	d->f = f;
	d->fi = fi;
	fg_namefunc(&d->n, f);
	fprintf(d->out, " subgraph cluster_f%u {\n  label=<", fi);
	fg_printname(sopen(&s), '@', d->n.sym[fg_vlen(d->m->globals) + fi]);
	if (d->st && d->st->funcnote && d->st->funcnote(d->st->ctx, f))
		fprintf(s.mem, " %s", d->st->funcnote(d->st->ctx, f));
	sflush(d, &s, NULL);
	fputs(">;\n", d->out);
	for (b = 0; b < fg_vlen(f->blocks); b++)
		blocknode(d, b);
	for (b = 0; b < fg_vlen(f->blocks); b++)
		blockedges(d, b);
	fputs(" }\n", d->out);
}

int fg_writedot(FILE *out, const FgModule *m, const FgFunc *only, const FgStyle *st)
{
	Dw d = {0};
	uint32_t i;

	d.out = out;
	d.m = m;
	d.st = st;
	fg_namesyms(&d.n, m);
	fputs("digraph flowgraph {\n node [shape=box, fontname=\"monospace\", fontsize=10];\n"
	      " edge [fontname=\"monospace\", fontsize=9];\n",
	      out);
	for (i = 0; i < fg_vlen(m->funcs); i++)
		if ((m->funcs[i].flags & FN_DEFINED) && (!only || only == &m->funcs[i]))
			funcgraph(&d, i);
	fputs("}\n", out);
	fg_freenames(&d.n);
	return ferror(out) ? fg_errorat("", 0, "cannot write DOT") : 0;
}

int fg_writesvg(FILE *out, const FgModule *m, const FgFunc *only, const FgStyle *st)
{
	char *dot = NULL, *svg = NULL;
	size_t dotlen = 0;
	unsigned svglen = 0;
	FILE *mem = open_memstream(&dot, &dotlen);
	GVC_t *gvc;
	Agraph_t *g;
	int rc = 0;

	if (!mem)
		die("open_memstream failed");
	fg_writedot(mem, m, only, st);
	fclose(mem);
	gvc = gvContext();
	if (!(g = agmemread(dot))) {
		free(dot);
		gvFreeContext(gvc);
		return fg_errorat("", 0, "graphviz cannot read the generated DOT");
	}
	if (gvLayout(gvc, g, "dot") != 0 || gvRenderData(gvc, g, "svg", &svg, &svglen) != 0) {
		rc = fg_errorat("", 0, "graphviz layout or SVG rendering failed");
	} else if (fwrite(svg, 1, svglen, out) != svglen) {
		rc = fg_errorat("", 0, "cannot write SVG");
	}
	if (svg)
		gvFreeRenderData(svg);
	gvFreeLayout(gvc, g);
	agclose(g);
	gvFreeContext(gvc);
	free(dot);
	return rc;
}
