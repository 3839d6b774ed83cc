/* view.c: the coloured graphs of the specialisations, as a module the
 * dump writers (fg_writexml/dot/svg) can draw, and their FgStyle.
 *
 * The view module shares everything with the analysed module except its
 * function vector, made of shallow copies: a function's first
 * specialisation takes the function's own index (so that function
 * constants keep naming it), further ones are appended, and functions
 * without a specialisation stay as declarations.  Each copy is named after
 * its specialisation.  The style classes values "green" or
 * "red", ops "green", "red", "inline", "promote" or "hint", and blocks
 * "merge" (global merge point or red-controlled loop head) or "split". */
#include <string.h>
#include "hintannotator.h"

typedef struct {
	const HaResult *r;  /* the analysis */
	const FgModule *v;  /* the view module */
	int32_t *spec;      /* per v->funcs index: its specialisation or -1 */
	char note[256];     /* buffer of funcnote */
} View;

static const HaSpec *specof(const View *w, const FgFunc *f)
{
	size_t i = f - w->v->funcs;

	if (f < w->v->funcs || i >= fg_vlen(w->spec) || w->spec[i] < 0)
		return NULL;
	return &w->r->specs[w->spec[i]];
}

static const char *valclass(void *ctx, const FgFunc *f, Ref r)
{
	const HaSpec *s = specof(ctx, f);

	if (!s)
		return NULL;
	if (REFKIND(r) != RK_VAL)
		return "green";
	return s->col[REFIDX(r)] == BT_GREEN ? "green" : "red";
}

static const char *opclass(void *ctx, const FgFunc *f, uint32_t b, uint32_t i)
{
	static const char *const names[] = {"green", "red", "inline", "promote", "hint"};
	const HaSpec *s = specof(ctx, f);

	if (!s)
		return NULL;
	return names[s->opcol[s->opbase[b] + i]];
}

static const char *blockclass(void *ctx, const FgFunc *f, uint32_t b)
{
	const HaSpec *s = specof(ctx, f);

	if (!s)
		return NULL;
	if (s->merge[b] & (HM_GLOBAL | HM_LOOP))
		return "merge";
	return s->exit[b] == HX_SPLIT ? "split" : NULL;
}

static const char *funcnote(void *ctx, const FgFunc *f)
{
	View *w = ctx;
	const HaSpec *s = specof(w, f);
	size_t k, n;

	if (!s)
		return NULL;
	snprintf(w->note, sizeof w->note, "key ");
	for (k = 0; k < fg_vlen(s->key) && k + 8 < sizeof w->note; k++)
		w->note[4 + k] = s->key[k] == BT_GREEN ? 'G' : 'R';
	n = 4 + k;
	snprintf(w->note + n, sizeof w->note - n, "%s -> %s", k ? "" : "(none)",
		s->retcol == BT_GREEN ? "green" : "red");
	return w->note;
}

FgModule *ha_view(const HaResult *r, FgStyle *st)
{
	const FgModule *m = r->m;
	FgModule *v = fg_alloc(sizeof *v);
	View *w = fg_alloc(sizeof *w);
	uint32_t i, nf = fg_vlen(m->funcs);

	*v = *m;
	v->funcs = fg_vnew(0, sizeof(FgFunc));
	w->spec = fg_vnew(nf, sizeof(int32_t));
	for (i = 0; i < nf; i++) {
		FgFunc d = m->funcs[i];
		d.flags &= ~FN_DEFINED;
		d.blocks = NULL;
		fg_vpush(&v->funcs, d);
		w->spec[i] = -1;
	}
	for (i = 0; i < fg_vlen(r->specs); i++) {
		uint32_t fi = r->specs[i].func, at = fi;
		FgFunc c = m->funcs[fi];
		c.name = r->specs[i].name;
		if (w->spec[fi] < 0) {
			v->funcs[fi] = c;
		} else {
			at = fg_vlen(v->funcs);
			fg_vpush(&v->funcs, c);
			fg_vpush(&w->spec, (int32_t)-1);
		}
		w->spec[at] = i;
	}
	w->r = r;
	w->v = v;
	memset(st, 0, sizeof *st);
	st->ctx = w;
	st->valclass = valclass;
	st->opclass = opclass;
	st->blockclass = blockclass;
	st->funcnote = funcnote;
	return v;
}

/* The view's copy of specialisation s. */
const FgFunc *ha_viewfunc(const FgModule *v, const FgStyle *st, int32_t s)
{
	const View *w = st->ctx;
	uint32_t i;

	for (i = 0; i < fg_vlen(w->spec); i++)
		if (w->spec[i] == s)
			return &v->funcs[i];
	return NULL;
}

void ha_freeview(FgModule *v, FgStyle *st)
{
	if (v) {
		fg_vfree(v->funcs);
		fg_free(v);
	}
	if (st && st->ctx) {
		fg_vfree(((View *)st->ctx)->spec);
		fg_free(st->ctx);
		st->ctx = NULL;
	}
}
