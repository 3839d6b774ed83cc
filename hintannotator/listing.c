/* listing.c: the annotated listing of a binding-time analysis (C-Mix's
 * .ann idea: the source lines of each specialisation with the colours of
 * what they compute) and the explanations of `tsgen annotate --explain`.
 *
 * Listing format (docs/annotator.md):
 *
 *   spec NAME = FUNC(p1:G, p2:R) -> R
 *     calls: ...    merges: ...    virtual: ...
 *     LINE C | SOURCE TEXT | NOTES
 *
 * C summarises the ops of the line: G all green, R all red, M mixed, ' '
 * none; NOTES lists named values with their colour, calls with their
 * class, splits, promotions and merge points.
 */
#include <stdlib.h>
#include <string.h>
#include "hintannotator.h"

/* Source files, read on demand, split into lines. */
typedef struct {
	char *text;     /* file contents, NUL at each line end */
	char **lines;   /* vector: line i+1 */
} Src;

typedef struct {
	uint32_t line;  /* source line */
	uint32_t block; /* block */
	int32_t op;     /* op index, -1 for the exit, -2 for the block head */
} Item;

static const char *line(const FgModule *m, Src *srcs, FgLoc loc)
{
	Src *s;
	size_t n;
	char *p;

	if (!loc.file || loc.file >= fg_vlen(m->files) || !loc.line)
		return "";
	s = &srcs[loc.file];
	if (!s->lines) {
		s->lines = fg_vnew(0, sizeof(char *));
		if ((s->text = fg_readfile(m->files[loc.file], &n))) {
			for (p = s->text; *p;) {
				char *e = strchr(p, '\n');
				fg_vpush(&s->lines, p);
				if (!e)
					break;
				*e = 0;
				p = e + 1;
			}
		}
	}
	return loc.line <= fg_vlen(s->lines) ? s->lines[loc.line - 1] : "";
}

static int cmpitem(const void *a, const void *b)
{
	const Item *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->block != y->block)
		return x->block < y->block ? -1 : 1;
	return x->op < y->op ? -1 : x->op > y->op;
}

static char cl(int c) { return c == BT_GREEN ? 'G' : 'R'; }

static const char *vname(const FgFunc *f, Ref v, char *buf, size_t n)
{
	const FgVal *x;

	if (REFKIND(v) != RK_VAL)
		return "const";
	x = &f->vals[REFIDX(v)];
	if (x->name && x->name[0])
		return x->name;
	snprintf(buf, n, "%%%u", REFIDX(v));
	return buf;
}

/* One note, separated from the previous by two spaces. */
static void note(char *buf, size_t n, const char *fmt, const char *a, const char *b)
{
	size_t len = strlen(buf);

	if (len + 2 >= n)
		return;
	snprintf(buf + len, n - len, len ? "  " : "");
	len = strlen(buf);
	snprintf(buf + len, n - len, fmt, a, b);
}

static const char *callnote(const HaResult *r, const HaCall *c, char *buf, size_t n)
{
	const char *callee = c->callee >= 0 ? r->m->funcs[c->callee].name : "(pointer)";
	uint32_t k;
	size_t len;

	switch (c->kind) {
	case HC_GREEN:
		snprintf(buf, n, "call %s: green", callee);
		break;
	case HC_RESIDUAL:
		snprintf(buf, n, "call %s: residual (%s)", callee, ha_whytext[c->why]);
		break;
	default:
		snprintf(buf, n, "call %s: inline", callee);
		for (k = 0; k < fg_vlen(c->specs); k++) {
			len = strlen(buf);
			snprintf(buf + len, n - len, "%s%s", k ? "," : " ", r->specs[c->specs[k]].name);
		}
	}
	return buf;
}

static const HaCall *findcall(const HaSpec *s, uint32_t b, uint32_t i)
{
	uint32_t k;

	for (k = 0; k < fg_vlen(s->calls); k++)
		if (s->calls[k].block == b && s->calls[k].op == i)
			return &s->calls[k];
	return NULL;
}

/* The notes of one item, appended to buf; counts green and red ops. */
static void itemnotes(const HaResult *r, const HaSpec *s, const Item *it, char *buf, size_t n,
	int *ng, int *nr)
{
	const FgFunc *f = &r->m->funcs[s->func];
	const FgBlock *bl = &f->blocks[it->block];
	char nb[64], cb[256];
	uint32_t k;

	if (it->op == -2) {
		uint8_t mk = s->merge[it->block];
		if (mk & HM_GLOBAL)
			note(buf, n, "%s%s", "[global merge point]", "");
		else if (mk & HM_LOOP)
			note(buf, n, "%s%s", "[merge: loop head under red control]", "");
		else if (mk & HM_JOIN)
			note(buf, n, "%s%s", "[merge: join after a red split]", "");
		for (k = 0; mk && k < fg_vlen(bl->args); k++)
			note(buf, n, "%s:%s", vname(f, bl->args[k], nb, sizeof nb),
				s->col[REFIDX(bl->args[k])] == BT_GREEN ? "G" : "R");
		return;
	}
	if (it->op == -1) {
		if (s->exit[it->block] == HX_SPLIT)
			note(buf, n, "%s%s", bl->exit.kind == EX_SWITCH ? "switch: split" : "branch: split", "");
		else if (s->exit[it->block] == HX_GREEN)
			note(buf, n, "%s%s", bl->exit.kind == EX_SWITCH ? "switch: green" : "branch: green", "");
		else if (s->exit[it->block] == HX_RETURN && bl->exit.cond != REF_NONE)
			note(buf, n, "return:%s", REFKIND(bl->exit.cond) == RK_VAL &&
				s->col[REFIDX(bl->exit.cond)] == BT_RED ? "R" : "G", "");
		return;
	}
	{
		const FgOp *o = &bl->ops[it->op];
		uint32_t num = s->opbase[it->block] + it->op;
		uint8_t oc = s->opcol[num];
		const HaCall *c;

		*ng += oc == OC_GREEN;
		*nr += oc == OC_RED;
		if (o->op == FG_CALL && (c = findcall(s, it->block, it->op)))
			note(buf, n, "%s%s", callnote(r, c, cb, sizeof cb), "");
		else if (o->op == FG_HPROMOTE)
			note(buf, n, "%s%s", "promote", "");
		else if (o->op == FG_MERGEPOINT)
			note(buf, n, "%s%s", "TS_MERGE_POINT", "");
		else if (o->op == FG_HVIRTUALIZABLE)
			note(buf, n, "%s%s", "virtualizable frame", "");
		if (o->op == FG_ALLOCA || (o->op == FG_CALL && s->virt[num]))
			note(buf, n, "%s%s", o->op == FG_ALLOCA ? "alloca" : "malloc",
				s->virt[num] ? ": virtual" : ": escapes");
		if (o->res != REF_NONE && f->vals[REFIDX(o->res)].name && f->vals[REFIDX(o->res)].name[0]) {
			const char *nm = f->vals[REFIDX(o->res)].name;
			char want[96];
			snprintf(want, sizeof want, "%s:%c", nm, cl(s->col[REFIDX(o->res)]));
			if (!strstr(buf, want))
				note(buf, n, "%s%s", want, s->deep[REFIDX(o->res)] &&
					fg_reftype(f, o->res) == TY_PTR ? "(deep)" : "");
		}
	}
}

/* The header of a specialisation. */
static void printhead(FILE *out, const HaResult *r, const HaSpec *s)
{
	const FgFunc *f = &r->m->funcs[s->func];
	char nb[64];
	uint32_t k, nv = 0;

	fprintf(out, "spec %s = %s(", s->name, f->name);
	for (k = 0; k < fg_vlen(f->blocks[0].args); k++)
		fprintf(out, "%s%s:%c%s", k ? ", " : "", vname(f, f->blocks[0].args[k], nb, sizeof nb),
			k < fg_vlen(s->key) ? cl(s->key[k]) : '?',
			s->deep[REFIDX(f->blocks[0].args[k])] ? "(deep)" : "");
	fprintf(out, ")");
	if (f->ret != TY_VOID)
		fprintf(out, " -> %c%s", cl(s->retcol), s->retgreen ? " (must be green)" : "");
	fprintf(out, "\n");
	for (k = 0; k < fg_vlen(s->opcol); k++)
		nv += s->virt[k];
	if (s->vframe != REF_NONE)
		fprintf(out, "  virtualizable frame: %s\n", vname(f, s->vframe, nb, sizeof nb));
	if (nv)
		fprintf(out, "  virtualisation candidates: %u\n", nv);
}

static void printspec(FILE *out, const HaResult *r, const HaSpec *s, Src *srcs)
{
	const FgFunc *f = &r->m->funcs[s->func];
	Item *items = fg_vnew(0, sizeof(Item));
	uint32_t b, i, j, nblock = fg_vlen(f->blocks);
	char buf[1024];

	printhead(out, r, s);
	for (b = 0; b < nblock; b++) {
		const FgBlock *bl = &f->blocks[b];
		FgLoc first = fg_vlen(bl->ops) ? bl->ops[0].loc : bl->exit.loc;
		Item head = {first.line, b, -2}, ex = {bl->exit.loc.line, b, -1};
		if (s->merge[b] & (HM_GLOBAL | HM_LOOP | HM_JOIN))
			fg_vpush(&items, head);
		for (i = 0; i < fg_vlen(bl->ops); i++) {
			Item it = {bl->ops[i].loc.line, b, (int32_t)i};
			fg_vpush(&items, it);
		}
		fg_vpush(&items, ex);
	}
	qsort(items, fg_vlen(items), sizeof(Item), cmpitem);
	for (i = 0; i < fg_vlen(items); i = j) {
		int ng = 0, nr = 0;
		FgLoc loc = {0, items[i].line};
		const char *text;
		char sum;
		const FgBlock *bl = &f->blocks[items[i].block];

		buf[0] = 0;
		for (j = i; j < fg_vlen(items) && items[j].line == items[i].line; j++)
			itemnotes(r, s, &items[j], buf, sizeof buf, &ng, &nr);
		if (!buf[0] && !ng && !nr)
			continue;
		loc.file = items[i].op >= 0 ? bl->ops[items[i].op].loc.file : f->loc.file;
		text = line(r->m, srcs, loc);
		while (*text == ' ' || *text == '\t')
			text++;
		sum = ng && nr ? 'M' : ng ? 'G' : nr ? 'R' : ' ';
		fprintf(out, "%5u %c | %-40.40s |%s%s\n", items[i].line, sum, text, buf[0] ? " " : "", buf);
	}
	fprintf(out, "\n");
	fg_vfree(items);
}

/* A generic variant in the full listing: its head and what it is (its
 * lines are those of its original but for the promotion's colours; listed
 * in full when named). */
static void genericnote(FILE *out, const HaResult *r, const HaSpec *s)
{
	const FgFunc *f = &r->m->funcs[s->func];
	uint32_t b;

	printhead(out, r, s);
	for (b = fg_vlen(f->blocks); b-- > 0;)
		if ((uint32_t)s->redop >= s->opbase[b])
			break;
	fprintf(out, "  generic path: the TS_PROMOTE of line %u a copy (--function %s)\n\n",
		f->blocks[b].ops[s->redop - s->opbase[b]].loc.line, s->name);
}

void ha_print(FILE *out, const HaResult *r, const char *only)
{
	uint32_t i, nf = fg_vlen(r->m->files);
	Src *srcs = fg_alloc((nf + 1) * sizeof(Src));

	fprintf(out, "# binding times from portal %s: %u specialisation%s\n",
		r->m->funcs[r->portal].name, (unsigned)fg_vlen(r->specs), fg_vlen(r->specs) == 1 ? "" : "s");
	if (r->mpfunc >= 0) {
		const FgOp *o = &r->m->funcs[r->mpfunc].blocks[r->mpblock].ops[r->mpop];
		fprintf(out, "# global merge point: %s:%u\n", fg_locfile(r->m, o->loc), o->loc.line);
	}
	fprintf(out, "# inline: defined, non-recursive callees of at most %u ops\n\n", r->policy.maxinline);
	for (i = 0; i < fg_vlen(r->specs); i++) {
		const HaSpec *s = &r->specs[i];
		if (!only && s->redop >= 0)
			genericnote(out, r, s);
		else if (!only || strcmp(only, s->name) == 0 ||
		         (s->redop < 0 && strcmp(only, r->m->funcs[s->func].name) == 0))
			printspec(out, r, s, srcs);
	}
	for (i = 0; i < nf; i++) {
		fg_free(srcs[i].text);
		fg_vfree(srcs[i].lines);
	}
	fg_free(srcs);
}
