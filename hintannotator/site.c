/* site.c: the binding-time viewer (`tsgen view`, docs/viewer.md).
 *
 * Writes a self-contained static HTML site into a folder: index.html lists
 * the portal and every specialisation; spec<N>.html shows specialisation N
 * as its coloured flow graph (inline SVG from fg_writesvg with the style of
 * ha_view: green and red values, split and merge blocks), beside the
 * annotated source listing of ha_print (each line coloured by the binding
 * time of what it computes) and the table of its calls, each inline call
 * linking to its callee's page.  When the annotation failed there is no
 * result: the index shows the annotator's messages, which carry the
 * dependency chain of the failed hint (what --explain prints).
 *
 * Everything is rendered into memory streams first, then written; no
 * scripts, no external files, so the pages open from disk.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hintannotator.h"

static const char css[] =
	"body{font-family:sans-serif;margin:1em}"
	"h1{font-size:140%}h2{font-size:115%}"
	".cols{display:flex;gap:1.5em;align-items:flex-start}"
	".graph{flex:1 1 55%;overflow:auto;border:1px solid #ccc;max-height:90vh}"
	".graph svg{max-width:none}"
	".side{flex:1 1 45%;min-width:30em}"
	"pre{font-size:12px;line-height:1.25;overflow-x:auto}"
	"pre span{display:block}"
	".G{background:#e3f6e3}.R{background:#fbe3e3}.M{background:#f6efd8}"
	".err{background:#fbe3e3;padding:.5em;white-space:pre-wrap}"
	"table{border-collapse:collapse;font-size:90%}"
	"td,th{border:1px solid #bbb;padding:2px 6px;text-align:left}"
	".legend span{padding:0 .5em;margin-right:.5em}";

/* Write s HTML-escaped. */
static void esc(FILE *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++)
		switch (s[i]) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(s[i], out);
		}
}

static void escs(FILE *out, const char *s)
{
	esc(out, s, strlen(s));
}

static void head(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", out);
	escs(out, title);
	fprintf(out, "</title><style>%s</style></head><body>\n", css);
}

/* The listing of specialisation i (ha_print) as a malloc'ed string. */
static char *listing(const HaResult *r, uint32_t i)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	ha_print(f, r, r->specs[i].name);
	fclose(f);
	return buf;
}

/* The signature line of a listing ("spec NAME = f(a:G, ...) -> R"),
 * without "spec ", written escaped; the function name if there is none. */
static void signature(FILE *out, const char *lst, const char *fallback)
{
	const char *s = lst ? strstr(lst, "\nspec ") : NULL, *e;

	if (lst && strncmp(lst, "spec ", 5) == 0)
		s = lst - 1;
	if (!s) {
		escs(out, fallback);
		return;
	}
	s += 6;
	e = strchr(s, '\n');
	esc(out, s, e ? (size_t)(e - s) : strlen(s));
}

/* The listing as coloured lines: a source line "  NNN C | ..." gets the
 * class of its colour letter C (G, R or M). */
static void printlisting(FILE *out, const char *lst)
{
	const char *p = lst, *e;

	fputs("<pre class=\"listing\">", out);
	for (; p && *p; p = e + (*e != 0)) {
		const char *q = p;
		char c = 0;

		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		while (q < e && *q == ' ')
			q++;
		if (q < e && *q >= '0' && *q <= '9') {
			while (q < e && *q >= '0' && *q <= '9')
				q++;
			if (q + 1 < e && q[0] == ' ' && strchr("GRM", q[1]))
				c = q[1];
		}
		if (c)
			fprintf(out, "<span class=\"%c\">", c);
		else
			fputs("<span>", out);
		esc(out, p, e - p);
		fputs("</span>", out);
	}
	fputs("</pre>\n", out);
}

/* Write Graphviz's SVG, each <text> of a call to a specialisation
 * ("call @NAME(") wrapped in a link to that specialisation's page. */
static void linkcalls(FILE *out, const HaResult *r, const char *svg)
{
	const char *p = svg, *t, *e, *c, *q;
	char name[256];
	int j;

	while ((t = strstr(p, "<text")) && (e = strstr(t, "</text>"))) {
		e += strlen("</text>");
		fwrite(p, 1, t - p, out);
		c = strstr(t, "call @");
		j = -1;
		if (c && c < e) {
			c += strlen("call @");
			for (q = c; q < e && *q != '(' && *q != '<' && q - c < (long)sizeof name - 1; q++)
				;
			memcpy(name, c, q - c);
			name[q - c] = 0;
			if (*q == '(')
				j = ha_spec(r, name);
		}
		if (j >= 0)
			fprintf(out, "<a class=\"calllink\" href=\"spec%d.html\">", j);
		fwrite(t, 1, e - t, out);
		if (j >= 0)
			fputs("</a>", out);
		p = e;
	}
	fputs(p, out);
}

/* The coloured graph of specialisation i as inline SVG (the XML prolog
 * and doctype of Graphviz's output dropped), calls linked. */
static int printgraph(FILE *out, const HaResult *r, const FgModule *view, const FgStyle *st,
                      uint32_t i)
{
	char *buf = NULL, *svg;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return -1;
	rc = fg_writesvg(f, view, ha_viewfunc(view, st, i), st);
	fclose(f);
	svg = buf ? strstr(buf, "<svg") : NULL;
	if (rc < 0 || !svg) {
		free(buf);
		return -1;
	}
	linkcalls(out, r, svg);
	free(buf);
	return 0;
}

static const char *const kindtext[] = {"green", "inline", "residual"};

/* The calls of specialisation i: class, why, and links to the callees'
 * pages for inline calls. */
static void printcalls(FILE *out, const HaResult *r, uint32_t i)
{
	const HaSpec *s = &r->specs[i];
	const FgFunc *f = &r->m->funcs[s->func];
	size_t k, j, n = fg_vlen(s->calls);

	fprintf(out, "<h2>Calls (%zu)</h2>\n", n);
	if (n == 0)
		return;
	fputs("<table class=\"calls\"><tr><th>line</th><th>callee</th><th>class</th>"
	      "<th>why</th></tr>\n", out);
	for (k = 0; k < n; k++) {
		const HaCall *c = &s->calls[k];
		const FgOp *op = &f->blocks[c->block].ops[c->op];

		fprintf(out, "<tr><td>%u</td><td>", op->loc.line);
		if (c->kind == HC_INLINE && fg_vlen(c->specs) > 0) {
			for (j = 0; j < fg_vlen(c->specs); j++) {
				fprintf(out, "%s<a class=\"callee\" href=\"spec%d.html\">", j ? ", " : "",
				        c->specs[j]);
				escs(out, r->specs[c->specs[j]].name);
				fputs("</a>", out);
			}
		} else {
			escs(out, c->callee >= 0 ? r->m->funcs[c->callee].name : "(pointer)");
		}
		fprintf(out, "</td><td>%s</td><td>", c->kind <= HC_RESIDUAL ? kindtext[c->kind] : "?");
		escs(out, c->why < HW_N ? ha_whytext[c->why] : "?");
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

static const char legend[] =
	"<p class=\"legend\"><span class=\"G\">G green: known when code is generated</span>"
	"<span class=\"R\">R red: known when it runs</span><span class=\"M\">M mixed</span>"
	"</p>\n";

/* Page of specialisation i. */
static int specpage(const char *dir, const HaResult *r, const FgModule *view,
                    const FgStyle *st, uint32_t i, const char *portal)
{
	char path[4096];
	char *lst = listing(r, i);
	FILE *out;
	int rc;

	snprintf(path, sizeof path, "%s/spec%u.html", dir, i);
	if (!(out = fopen(path, "w"))) {
		free(lst);
		return fg_errorat(path, 0, "cannot write: %s", strerror(errno));
	}
	head(out, r->specs[i].name);
	fputs("<p><a href=\"index.html\">index</a> &middot; portal ", out);
	escs(out, portal);
	fputs("</p>\n<h1 class=\"spec\">", out);
	signature(out, lst, r->specs[i].name);
	fputs("</h1>\n", out);
	fputs(legend, out);
	fputs("<div class=\"cols\"><div class=\"graph\">\n", out);
	rc = printgraph(out, r, view, st, i);
	if (rc < 0)
		fputs("<p class=\"err\">the graph could not be drawn</p>", out);
	fputs("</div><div class=\"side\">\n", out);
	printcalls(out, r, i);
	fputs("<h2>Source with binding times</h2>\n", out);
	printlisting(out, lst);
	fputs("</div></div>\n</body></html>\n", out);
	free(lst);
	if (fclose(out) != 0)
		return fg_errorat(path, 0, "cannot write: %s", strerror(errno));
	if (rc < 0)
		return fg_errorat(path, 0, "no SVG for specialisation %s", r->specs[i].name);
	return 0;
}

/* index.html: the portal, the merge point and every specialisation; or the
 * annotator's errors when there is no result. */
static int indexpage(const char *dir, const FgModule *m, const HaResult *r,
                     const char *portal, const char *errors)
{
	char path[4096];
	FILE *out;
	uint32_t i;

	snprintf(path, sizeof path, "%s/index.html", dir);
	if (!(out = fopen(path, "w")))
		return fg_errorat(path, 0, "cannot write: %s", strerror(errno));
	head(out, portal);
	fputs("<h1>Binding times from portal <code>", out);
	escs(out, portal);
	fputs("</code></h1>\n", out);
	if (r && r->mpfunc >= 0) {
		const FgFunc *f = &m->funcs[r->mpfunc];
		const FgOp *op = &f->blocks[r->mpblock].ops[r->mpop];
		fputs("<p>Global merge point in <code>", out);
		escs(out, f->name);
		fputs("</code> at ", out);
		escs(out, fg_locfile(m, op->loc));
		fprintf(out, ":%u.</p>\n", op->loc.line);
	}
	if (errors && *errors) {
		fprintf(out, "<h2>%s</h2>\n<pre class=\"err\" id=\"errors\">",
		        r ? "Messages" : "The annotation failed");
		escs(out, errors);
		fputs("</pre>\n", out);
	}
	if (r) {
		fprintf(out, "<h2>Specialisations (%zu)</h2>\n<table class=\"specs\">"
		        "<tr><th>#</th><th>specialisation</th><th>signature</th><th>blocks</th>"
		        "<th>calls</th><th>defined at</th></tr>\n", fg_vlen(r->specs));
		for (i = 0; i < fg_vlen(r->specs); i++) {
			const HaSpec *s = &r->specs[i];
			const FgFunc *f = &m->funcs[s->func];
			char *lst = listing(r, i);

			fprintf(out, "<tr><td>%u</td><td><a class=\"spec\" href=\"spec%u.html\">", i, i);
			escs(out, s->name);
			fputs("</a></td><td>", out);
			signature(out, lst, s->name);
			fprintf(out, "</td><td>%zu</td><td>%zu</td><td>", fg_vlen(f->blocks),
			        fg_vlen(s->calls));
			escs(out, fg_locfile(m, f->loc));
			fprintf(out, ":%u</td></tr>\n", f->loc.line);
			free(lst);
		}
		fputs("</table>\n", out);
	}
	fputs("<p>Written by <code>tsgen view</code> (docs/viewer.md).</p>\n</body></html>\n", out);
	if (fclose(out) != 0)
		return fg_errorat(path, 0, "cannot write: %s", strerror(errno));
	return 0;
}

int ha_site(const char *dir, const FgModule *m, const HaResult *r, const char *portal,
            const char *errors)
{
	FgModule *view;
	FgStyle st;
	uint32_t i;
	int rc = 0;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return fg_errorat(dir, 0, "cannot create: %s", strerror(errno));
	if (indexpage(dir, m, r, portal, errors) < 0)
		return -1;
	if (!r)
		return 0;
	view = ha_view(r, &st);
	for (i = 0; i < fg_vlen(r->specs); i++)
		if (specpage(dir, r, view, &st, i, portal) < 0)
			rc = -1;
	ha_freeview(view, &st);
	return rc;
}
