/* ir.c: building and querying modules, functions and blocks. */
#include <string.h>
#include "flowgraph.h"

const FgOpInfo fg_opinfo[FG_NOP] = {
#define OP(name, text, nargs, props) {text, nargs, props},
#include "ops.h"
#undef OP
};

static const char *const typenames[TY_N] = {
	"void", "i1", "i8", "i16", "i32", "i64", "ptr", "f32", "f64",
};

FgModule *fg_newmodule(void)
{
	FgModule *m = fg_alloc(sizeof *m);

	m->arena = fg_newarena();
	m->funcs = fg_vnew(0, sizeof(FgFunc));
	m->globals = fg_vnew(0, sizeof(FgGlobal));
	m->files = fg_vnew(0, sizeof(char *));
	fg_vpush(&m->files, "");
	return m;
}

static void freefunc(FgFunc *f)
{
	size_t i;

	for (i = 0; i < fg_vlen(f->blocks); i++) {
		fg_vfree(f->blocks[i].args);
		fg_vfree(f->blocks[i].ops);
	}
	fg_vfree(f->blocks);
	fg_vfree(f->params);
	fg_vfree(f->vals);
	fg_vfree(f->cons);
	fg_vfree(f->conhash);
	fg_vfree(f->refs);
	fg_vfree(f->links);
}

void fg_freemodule(FgModule *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < fg_vlen(m->funcs); i++)
		freefunc(&m->funcs[i]);
	for (i = 0; i < fg_vlen(m->globals); i++) {
		fg_vfree(m->globals[i].init);
		fg_vfree(m->globals[i].relocs);
	}
	fg_vfree(m->funcs);
	fg_vfree(m->globals);
	fg_vfree(m->files);
	fg_freearena(m->arena);
	fg_free(m);
}

uint32_t fg_addfile(FgModule *m, const char *path)
{
	size_t i;

	for (i = 0; i < fg_vlen(m->files); i++)
		if (strcmp(m->files[i], path) == 0)
			return i;
	fg_vpush(&m->files, fg_strdup(m->arena, path));
	return fg_vlen(m->files) - 1;
}

const char *fg_locfile(const FgModule *m, FgLoc loc)
{
	if (!m || loc.file >= fg_vlen(m->files))
		return "";
	return m->files[loc.file];
}

uint32_t fg_addfunc(FgModule *m, const char *name, FgType ret, const uint8_t *params,
	uint32_t nparam, uint32_t flags)
{
	FgFunc f = {0};

	f.name = fg_strdup(m->arena, name);
	f.flags = flags;
	f.ret = ret;
	f.params = fg_vnew(nparam, 1);
	if (nparam)
		memcpy(f.params, params, nparam);
	f.blocks = fg_vnew(0, sizeof(FgBlock));
	f.vals = fg_vnew(0, sizeof(FgVal));
	f.cons = fg_vnew(0, sizeof(FgConst));
	f.refs = fg_vnew(0, sizeof(Ref));
	f.links = fg_vnew(0, sizeof(FgLink));
	fg_vpush(&m->funcs, f);
	return fg_vlen(m->funcs) - 1;
}

uint32_t fg_addglobal(FgModule *m, const char *name, uint64_t size, uint32_t align, uint32_t flags)
{
	FgGlobal g = {0};

	g.name = fg_strdup(m->arena, name);
	g.flags = flags;
	g.size = size;
	g.align = align ? align : 1;
	if (flags & GL_DEFINED)
		g.init = fg_vnew(size, 1);
	g.relocs = fg_vnew(0, sizeof(FgReloc));
	fg_vpush(&m->globals, g);
	return fg_vlen(m->globals) - 1;
}

int fg_findfunc(const FgModule *m, const char *name)
{
	size_t i;

	for (i = 0; i < fg_vlen(m->funcs); i++)
		if (strcmp(m->funcs[i].name, name) == 0)
			return i;
	return -1;
}

int fg_findglobal(const FgModule *m, const char *name)
{
	size_t i;

	for (i = 0; i < fg_vlen(m->globals); i++)
		if (strcmp(m->globals[i].name, name) == 0)
			return i;
	return -1;
}

uint32_t fg_addblock(FgFunc *f, const char *name)
{
	FgBlock b = {0};

	b.name = name;
	b.args = fg_vnew(0, sizeof(Ref));
	b.ops = fg_vnew(0, sizeof(FgOp));
	fg_vpush(&f->blocks, b);
	return fg_vlen(f->blocks) - 1;
}

static Ref newval(FgFunc *f, FgType t, int kind, uint32_t b, uint32_t index, const char *name)
{
	FgVal v = {t, kind, b, index, name};

	fg_vpush(&f->vals, v);
	return MKREF(RK_VAL, fg_vlen(f->vals) - 1);
}

Ref fg_addarg(FgModule *m, FgFunc *f, uint32_t b, FgType t, const char *name)
{
	FgBlock *bl = &f->blocks[b];
	Ref r = newval(f, t, VK_ARG, b, fg_vlen(bl->args), fg_strdup(m->arena, name));

	fg_vpush(&bl->args, r);
	return r;
}

static uint32_t conhash(const FgConst *c)
{
	uint64_t h = (uint64_t)c->bits * 0x9e3779b97f4a7c15u;

	h ^= ((uint64_t)c->type << 40 | (uint64_t)c->kind << 32 | c->sym) * 0xff51afd7ed558ccdu;
	return (uint32_t)(h >> 32);
}

/* The slot of c in f->conhash: where it is, or the empty slot for it. */
static uint32_t *conslot(FgFunc *f, const FgConst *c)
{
	size_t mask = fg_vlen(f->conhash) - 1, i = conhash(c) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t *s = &f->conhash[i];
		const FgConst *k = *s ? &f->cons[*s - 1] : NULL;
		if (!k || (k->type == c->type && k->kind == c->kind && k->sym == c->sym &&
			   k->bits == c->bits))
			return s;
	}
}

/* Rebuild the hash index with room for twice the constants (a power of
 * two, at most half full). */
static void rehash(FgFunc *f)
{
	size_t n = fg_vlen(f->cons), size = 64, i;

	while (size < 4 * (n + 1))
		size *= 2;
	fg_vfree(f->conhash);
	f->conhash = fg_vnew(size, sizeof(uint32_t));
	for (i = 0; i < n; i++)
		*conslot(f, &f->cons[i]) = i + 1;
}

/* Intern constant c: equal constants share one entry. */
static Ref addcon(FgFunc *f, FgConst c)
{
	uint32_t *s;

	if (2 * (fg_vlen(f->cons) + 1) > fg_vlen(f->conhash))
		rehash(f);
	s = conslot(f, &c);
	if (!*s) {
		fg_vpush(&f->cons, c);
		*s = fg_vlen(f->cons);
	}
	return MKREF(RK_CON, *s - 1);
}

Ref fg_con(FgFunc *f, FgType t, int64_t bits)
{
	FgConst c = {t, CK_INT, 0, fg_normalize(t, bits)};

	return addcon(f, c);
}

Ref fg_consym(FgFunc *f, int kind, uint32_t sym, int64_t off)
{
	FgConst c = {TY_PTR, kind, sym, off};

	return addcon(f, c);
}

Ref fg_undef(FgFunc *f, FgType t)
{
	FgConst c = {t, CK_UNDEF, 0, 0};

	return addcon(f, c);
}

static uint32_t pushrefs(FgFunc *f, const Ref *args, uint32_t n)
{
	uint32_t first = fg_vlen(f->refs);

	fg_vgrow(&f->refs, first + n);
	if (n)
		memcpy(f->refs + first, args, n * sizeof(Ref));
	return first;
}

Ref fg_emit(FgModule *m, FgFunc *f, uint32_t b, FgOpcode op, FgType t, const Ref *args,
	uint32_t narg, int64_t imm, FgLoc loc)
{
	FgOp o = {0};
	uint32_t idx = fg_vlen(f->blocks[b].ops);

	(void)m;
	o.op = op;
	o.type = t;
	o.arg = pushrefs(f, args, narg);
	o.narg = narg;
	o.imm = imm;
	o.loc = loc;
	o.res = t == TY_VOID ? REF_NONE : newval(f, t, VK_OP, b, idx, NULL);
	fg_vpush(&f->blocks[b].ops, o);
	return o.res;
}

void fg_setexit(FgFunc *f, uint32_t b, int kind, Ref cond, FgLoc loc)
{
	FgExit *e = &f->blocks[b].exit;

	e->kind = kind;
	e->cond = cond;
	e->link = fg_vlen(f->links);
	e->nlink = 0;
	e->loc = loc;
}

/* Requires: the links of block b are added right after its fg_setexit,
 * before any other block's. */
void fg_addlink(FgFunc *f, uint32_t b, uint32_t target, const Ref *args, uint32_t narg,
	int64_t value)
{
	FgExit *e = &f->blocks[b].exit;
	FgLink l = {target, 0, narg, value};

	if (e->link + e->nlink != fg_vlen(f->links))
		die("fg_addlink: links of block %u are not contiguous", b);
	l.arg = pushrefs(f, args, narg);
	fg_vpush(&f->links, l);
	e->nlink++;
}

FgType fg_reftype(const FgFunc *f, Ref r)
{
	switch (REFKIND(r)) {
	case RK_VAL:
		return f->vals[REFIDX(r)].type;
	case RK_CON:
		return f->cons[REFIDX(r)].type;
	}
	return TY_VOID;
}

const char *fg_typename(FgType t)
{
	return t < TY_N ? typenames[t] : "?";
}

int fg_typesize(FgType t)
{
	static const int size[TY_N] = {0, 1, 1, 2, 4, 8, 8, 4, 8};

	return t < TY_N ? size[t] : 0;
}

int fg_typebits(FgType t)
{
	static const int bits[TY_N] = {0, 1, 8, 16, 32, 64, 64, 32, 64};

	return t < TY_N ? bits[t] : 0;
}

/* Integers are kept sign-extended from their width (i1 true is -1 would be
 * surprising, so i1 is kept as 0 or 1). */
int64_t fg_normalize(FgType t, int64_t bits)
{
	switch (t) {
	case TY_I1:
		return bits & 1;
	case TY_I8:
		return (int8_t)bits;
	case TY_I16:
		return (int16_t)bits;
	case TY_I32:
	case TY_F32:
		return (int32_t)bits;
	default:
		return bits;
	}
}

FgOp *fg_defop(const FgFunc *f, Ref r)
{
	const FgVal *v;

	if (REFKIND(r) != RK_VAL)
		return NULL;
	v = &f->vals[REFIDX(r)];
	if (v->kind != VK_OP)
		return NULL;
	return &f->blocks[v->block].ops[v->index];
}

/* Copy function f (deeply) to a new function of m named newname.
 * Requires f to belong to m; returns the copy (pointers into m->funcs are
 * invalidated by the append, so f is copied first). */
FgFunc *fg_copyfunc(FgModule *m, const FgFunc *f, const char *newname)
{
	FgFunc c = *f;
	size_t i;

	c.name = fg_strdup(m->arena, newname);
	c.params = fg_vdup(f->params);
	c.blocks = fg_vdup(f->blocks);
	for (i = 0; i < fg_vlen(c.blocks); i++) {
		c.blocks[i].args = fg_vdup(c.blocks[i].args);
		c.blocks[i].ops = fg_vdup(c.blocks[i].ops);
	}
	c.vals = fg_vdup(f->vals);
	c.cons = fg_vdup(f->cons);
	c.conhash = fg_vdup(f->conhash);
	c.refs = fg_vdup(f->refs);
	c.links = fg_vdup(f->links);
	fg_vpush(&m->funcs, c);
	return &m->funcs[fg_vlen(m->funcs) - 1];
}
