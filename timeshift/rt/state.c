/* state.c: small helpers, the environment (TS_*), copying and freeing
 * states. */
#include "rt.h"

int rt_npaths;
int rt_logunits = -1, rt_logir, rt_eager, rt_interp, rt_jitoff, rt_threshold, rt_forceleave;
long rt_maxwork = TS_MAXWORK;
int rt_inlineguest = 1;

/* --- small helpers ------------------------------------------------------ */

void *rt_xalloc(void *p, size_t n)
{
	return x86_alloc(p, n ? n : 1);
}

TsBox rt_mkbox(int kind, int type, uint32_t ref, int64_t val)
{
	TsBox b;

	b.kind = (uint8_t)kind;
	b.type = (uint8_t)type;
	b.pad = 0;
	b.ref = ref;
	b.val = val;
	return b;
}

TsBox ts_const(int type, int64_t v)
{
	return rt_mkbox(TB_CONST, type, 0, type == X86_F64 ? v : x86_norm(type, v));
}

TsBox rt_var(int type, X86Ref r)
{
	return rt_mkbox(TB_VAR, type, r, 0);
}

int ts_fail(TsState *st, const char *why)
{
	if (!st->cx->failed)
		st->cx->why = why;
	st->cx->failed = 1;
	return TS_FAIL;
}

int ts_tick(TsState *st)
{
	if (st->cx->failed)
		return 1;
	/* leave mode gets more room: failing there leaves no way back */
	if (++st->cx->ticks > (st->leave ? 10 * rt_maxwork : rt_maxwork)) {
		ts_fail(st, "compile work bound");
		return 1;
	}
	return 0;
}

void rt_readenv(void)
{
	const char *s;

	if (rt_logunits >= 0)
		return;
	s = getenv("TS_LOG");
	rt_logunits = s && (strstr(s, "units") || strstr(s, "all") || strstr(s, "summary"));
	rt_logir = s && (strstr(s, "ir") || strstr(s, "all"));
	rt_eager = (s = getenv("TS_EAGER")) && atoi(s) > 0;
	rt_interp = (s = getenv("TS_INTERP")) && atoi(s) > 0;
	rt_forceleave = (s = getenv("TS_LEAVE")) && atoi(s) > 0; /* tests: bridges leave */
	rt_jitoff = (s = getenv("TS_JIT")) && strcmp(s, "off") == 0;
	rt_threshold = (s = getenv("TS_THRESHOLD")) ? atoi(s) : 0;
	rt_inlineguest = !(s = getenv("TS_INLINE")) || atoi(s) > 0;
	if ((s = getenv("TS_MAXWORK")))
		rt_maxwork = atol(s);
}

/* --- states: copy and free ---------------------------------------------- */

void rt_itemsfree(Items *s)
{
	x86_alloc(s->it, 0);
	s->it = NULL;
	s->n = s->cap = 0;
}

Items rt_itemsdup(const Items *s)
{
	Items d;

	d.n = d.cap = s->n;
	d.it = rt_xalloc(NULL, s->n * sizeof *d.it);
	if (d.it)
		memcpy(d.it, s->it, s->n * sizeof *d.it);
	else
		d.n = d.cap = 0;
	return d;
}

TsFrame *rt_newframe(const TsSpec *sp)
{
	size_t n = sp->nslot ? sp->nslot : 1;
	TsFrame *f = rt_xalloc(NULL, sizeof *f + n * (sizeof(int64_t) + sizeof(TsBox)));

	if (!f)
		return NULL;
	memset(f, 0, sizeof *f + n * (sizeof(int64_t) + sizeof(TsBox)));
	f->spec = sp;
	f->retslot = -1;
	f->r = (TsBox *)(f + 1);
	f->g = (int64_t *)(f->r + n);
	return f;
}

static TsFrame *dupframe(const TsFrame *s)
{
	TsFrame *f = rt_newframe(s->spec);
	size_t n = s->spec->nslot;

	if (!f)
		return NULL;
	f->resume = s->resume;
	f->retslot = s->retslot;
	memcpy(f->r, s->r, n * sizeof(TsBox));
	memcpy(f->g, s->g, n * sizeof(int64_t));
	return f;
}

void rt_freestate(TsState *st)
{
	int i;

	if (!st)
		return;
	for (i = 0; i < st->nfr; i++)
		x86_alloc(st->fr[i], 0);
	x86_alloc(st->fr, 0);
	for (i = 0; i < st->nvo; i++)
		x86_alloc(st->vo[i].f, 0);
	x86_alloc(st->vo, 0);
	for (i = 0; i < st->nseen; i++) {
		x86_alloc(st->seen[i].key.g, 0);
		rt_itemsfree(&st->seen[i].sh);
	}
	x86_alloc(st->seen, 0);
	x86_alloc(st, 0);
}

/* A deep copy of st (a continuation); NULL when out of memory. */
TsState *rt_copystate(const TsState *s)
{
	TsState *d = rt_xalloc(NULL, sizeof *d);
	int i, ng;

	if (!d)
		return NULL;
	*d = *s;
	d->fr = rt_xalloc(NULL, (s->nfr + 1) * sizeof *d->fr);
	d->vo = rt_xalloc(NULL, (s->nvo + 1) * sizeof *d->vo);
	d->seen = rt_xalloc(NULL, (s->nseen + 1) * sizeof *d->seen);
	if (!d->fr || !d->vo || !d->seen) {
		d->nfr = d->nvo = d->nseen = 0;
		rt_freestate(d);
		return NULL;
	}
	for (i = 0; i < s->nfr; i++)
		d->fr[i] = dupframe(s->fr[i]);
	for (i = 0; i < s->nvo; i++) {
		d->vo[i] = s->vo[i];
		d->vo[i].f = rt_xalloc(NULL, (s->vo[i].nf + 1) * sizeof(Field));
		d->vo[i].cap = s->vo[i].nf + 1;
		memcpy(d->vo[i].f, s->vo[i].f, s->vo[i].nf * sizeof(Field));
	}
	for (i = 0; i < s->nseen; i++) {
		ng = (int)s->seen[i].key.g[0];
		d->seen[i].key.mp = s->seen[i].key.mp;
		d->seen[i].key.g = rt_xalloc(NULL, ng * sizeof(int64_t));
		memcpy(d->seen[i].key.g, s->seen[i].key.g, ng * sizeof(int64_t));
		d->seen[i].sh = rt_itemsdup(&s->seen[i].sh);
	}
	return d;
}

void rt_clearseen(TsState *st)
{
	int i;

	for (i = 0; i < st->nseen; i++) {
		x86_alloc(st->seen[i].key.g, 0);
		rt_itemsfree(&st->seen[i].sh);
	}
	st->nseen = 0;
}
