/* text.c: the text format of the flow-graph IR, printer and parser.
 *
 * One statement per line; `#` starts a comment.  A module is a file table,
 * globals, then functions in module order (docs/ir.md has the grammar):
 *
 *   file "interp.c"
 *   global static const @tab size 16 align 8 = x"0100..." reloc 8 = @f !interp.c:3
 *   declare i32 @printf(ptr, ...)
 *   define i32 @main(i32, ptr) !interp.c:10 {
 *   @entry(i32 %argc, ptr %argv):
 *   	i1 %c = slt %argc, i32 2 !interp.c:11
 *   	br %c, @small(%argc), @big()
 *   ...
 *   }
 *
 * Every definition shows its type; operands are `%value` or inline
 * constants (`i64 42`, `f64 0x3ff0000000000000` (bits), `@g+8`, `@f`,
 * `undef i32`); exits list their targets with the arguments they pass.
 *
 * The printer names things through textint.h so that print -> parse ->
 * print is the identity.  The parser reads the text twice: pass 1 creates
 * every global and function (so that bodies and relocations may refer to
 * symbols defined later), pass 2 fills contents and bodies.  Inside a body
 * a value may be used before its definition (block order need not follow
 * dominance): the use creates a pending value that the definition fills.
 * Errors longjmp out of the parser after one `file:line: error:` message.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "textint.h"

/* ---- string maps ---------------------------------------------------- */

/* Open-addressing map from strings (not copied) to ints. */
typedef struct {
	const char **key; /* cap slots, NULL when empty */
	int *val;	  /* cap values */
	uint32_t cap;	  /* power of two */
	uint32_t n;	  /* keys stored */
} Map;

static uint32_t strhash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void mapfree(Map *mp)
{
	fg_free(mp->key);
	fg_free(mp->val);
	memset(mp, 0, sizeof *mp);
}

/* The value slot of key k; with insert, created (0) when absent. */
static int *mapslot(Map *mp, const char *k, int insert)
{
	uint32_t i;

	if (insert && 2 * (mp->n + 1) > mp->cap) {
		Map g = {0};
		g.cap = mp->cap ? 2 * mp->cap : 64;
		g.key = fg_alloc(g.cap * sizeof *g.key);
		g.val = fg_alloc(g.cap * sizeof *g.val);
		for (i = 0; i < mp->cap; i++)
			if (mp->key[i])
				*mapslot(&g, mp->key[i], 1) = mp->val[i];
		mapfree(mp);
		*mp = g;
	}
	if (!mp->cap)
		return NULL;
	for (i = strhash(k) & (mp->cap - 1);; i = (i + 1) & (mp->cap - 1)) {
		if (!mp->key[i]) {
			if (!insert)
				return NULL;
			mp->key[i] = k;
			mp->n++;
			return &mp->val[i];
		}
		if (strcmp(mp->key[i], k) == 0)
			return &mp->val[i];
	}
}

static int mapget(Map *mp, const char *k, int dflt)
{
	int *v = mapslot(mp, k, 0);

	return v ? *v : dflt;
}

/* ---- names ---------------------------------------------------------- */

static int isnamechar(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '$';
}

static int isplain(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isnamechar((unsigned char)*s))
			return 0;
	return 1;
}

/* Make the n names unique in place (see textint.h); empty or NULL names
 * become prefix<number>. */
static void uniquify(FgArena *a, const char **names, uint32_t n, const char *prefix)
{
	Map count = {0}, used = {0}, next = {0};
	uint32_t i, ctr = 0;
	char buf[64];
	char *cand = NULL;
	size_t cap = 0;

	for (i = 0; i < n; i++)
		if (names[i] && *names[i])
			(*mapslot(&count, names[i], 1))++;
	for (i = 0; i < n; i++)
		if (names[i] && *names[i] && mapget(&count, names[i], 0) == 1)
			*mapslot(&used, names[i], 1) = 1;
	for (i = 0; i < n; i++) {
		const char *s = names[i];
		int *k;
		if (s && *s && mapget(&count, s, 0) == 1)
			continue;
		if (s && *s && !mapget(&used, s, 0)) {
			*mapslot(&used, s, 1) = 1;
			continue;
		}
		if (s && *s) {
			size_t len = strlen(s) + 24;
			if (len > cap)
				cand = fg_realloc(cand, cap = len);
			k = mapslot(&next, s, 1);
			do
				snprintf(cand, cap, "%s.%d", s, ++*k);
			while (mapget(&used, cand, 0) || mapget(&count, cand, 0));
			names[i] = fg_strdup(a, cand);
		} else {
			do
				snprintf(buf, sizeof buf, "%s%u", prefix, ctr++);
			while (mapget(&used, buf, 0) || mapget(&count, buf, 0));
			names[i] = fg_strdup(a, buf);
		}
		*mapslot(&used, names[i], 1) = 1;
	}
	fg_free(cand);
	mapfree(&count);
	mapfree(&used);
	mapfree(&next);
}

void fg_namesyms(FgNames *n, const FgModule *m)
{
	uint32_t ng = fg_vlen(m->globals), nf = fg_vlen(m->funcs), i;

	if (!n->arena)
		n->arena = fg_newarena();
	fg_vfree(n->sym);
	n->sym = fg_vnew(ng + nf, sizeof(char *));
	for (i = 0; i < ng; i++)
		n->sym[i] = m->globals[i].name;
	for (i = 0; i < nf; i++)
		n->sym[ng + i] = m->funcs[i].name;
	uniquify(n->arena, n->sym, ng + nf, "anon.");
}

/* Values are named in print order: each block's arguments, then its
 * results; values defined nowhere come last. */
void fg_namefunc(FgNames *n, const FgFunc *f)
{
	uint32_t nv = fg_vlen(f->vals), nb = fg_vlen(f->blocks), b, i, k = 0;
	uint32_t *order = fg_alloc((nv + 1) * sizeof *order);
	char *seen = fg_alloc(nv + 1);
	const char **tmp = fg_alloc((nv + 1) * sizeof *tmp);

	if (!n->arena)
		n->arena = fg_newarena();
	for (b = 0; b < nb; b++) {
		const FgBlock *bl = &f->blocks[b];
		for (i = 0; i < fg_vlen(bl->args); i++) {
			uint32_t v = REFIDX(bl->args[i]);
			if (REFKIND(bl->args[i]) == RK_VAL && v < nv && !seen[v])
				seen[v] = 1, order[k++] = v;
		}
		for (i = 0; i < fg_vlen(bl->ops); i++) {
			uint32_t v = REFIDX(bl->ops[i].res);
			if (REFKIND(bl->ops[i].res) == RK_VAL && v < nv && !seen[v])
				seen[v] = 1, order[k++] = v;
		}
	}
	for (i = 0; i < nv; i++)
		if (!seen[i])
			order[k++] = i;
	for (i = 0; i < nv; i++)
		tmp[i] = f->vals[order[i]].name;
	uniquify(n->arena, tmp, nv, "");
	fg_vfree(n->val);
	n->val = fg_vnew(nv, sizeof(char *));
	for (i = 0; i < nv; i++)
		n->val[order[i]] = tmp[i];
	fg_vfree(n->block);
	n->block = fg_vnew(nb, sizeof(char *));
	for (b = 0; b < nb; b++)
		n->block[b] = f->blocks[b].name;
	uniquify(n->arena, n->block, nb, "b");
	fg_free(order);
	fg_free(seen);
	fg_free(tmp);
}

void fg_freenames(FgNames *n)
{
	fg_freearena(n->arena);
	fg_vfree(n->sym);
	fg_vfree(n->val);
	fg_vfree(n->block);
	memset(n, 0, sizeof *n);
}

/* ---- printer -------------------------------------------------------- */

static const char *const fpreds[16] = {
    "false", "oeq", "ogt", "oge", "olt", "ole", "one", "ord",
    "uno",   "ueq", "ugt", "uge", "ult", "ule", "une", "true",
};

static const char *const exitnames[] = {
    "", "goto", "br", "switch", "ret", "unreachable",
};

const char *fg_fpredname(int64_t pred)
{
	return pred >= 0 && pred < 16 ? fpreds[pred] : NULL;
}

const char *fg_exitname(int kind)
{
	return kind >= 0 && kind <= EX_UNREACHABLE ? exitnames[kind] : "exit?";
}

static void printquoted(FILE *out, const char *s, size_t n)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)
			fprintf(out, "\\%02x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void fg_printname(FILE *out, int sigil, const char *name)
{
	if (sigil)
		fputc(sigil, out);
	if (name && isplain(name))
		fputs(name, out);
	else
		printquoted(out, name ? name : "", name ? strlen(name) : 0);
}

void fg_printtype(FILE *out, FgType t)
{
	fputs(fg_typename(t), out);
}

static int isplainpath(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_./+-", *s))
			return 0;
	return 1;
}

void fg_printloc(FILE *out, const FgModule *m, FgLoc loc)
{
	const char *file;

	if (!loc.file && !loc.line)
		return;
	file = fg_locfile(m, loc);
	fputs(" !", out);
	if (isplainpath(file))
		fputs(file, out);
	else if (*file)
		printquoted(out, file, strlen(file));
	fprintf(out, ":%u", loc.line);
}

static void printsym(FILE *out, const FgModule *m, const FgNames *n, int kind, uint32_t sym,
		     int64_t off)
{
	uint32_t ng = fg_vlen(m->globals), nf = fg_vlen(m->funcs);

	if (kind == CK_GLOBAL && sym < ng)
		fg_printname(out, '@', n->sym[sym]);
	else if (kind == CK_FUNC && sym < nf)
		fg_printname(out, '@', n->sym[ng + sym]);
	else
		fputs("<bad symbol>", out);
	if (off > 0)
		fprintf(out, "+%" PRId64, off);
	else if (off < 0)
		fprintf(out, "-%" PRIu64, (uint64_t)0 - (uint64_t)off);
}

static void printconst(FILE *out, const FgModule *m, const FgNames *n, const FgConst *c)
{
	int64_t v;

	switch (c->kind) {
	case CK_GLOBAL:
	case CK_FUNC:
		printsym(out, m, n, c->kind, c->sym, c->bits);
		return;
	case CK_UNDEF:
		fputs("undef ", out);
		fg_printtype(out, c->type);
		return;
	}
	fg_printtype(out, c->type);
	v = fg_normalize(c->type, c->bits);
	if (c->type == TY_F32)
		fprintf(out, " 0x%08" PRIx32, (uint32_t)v);
	else if (c->type == TY_F64)
		fprintf(out, " 0x%016" PRIx64, (uint64_t)v);
	else
		fprintf(out, " %" PRId64, v);
}

void fg_printvalue(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n, Ref r)
{
	uint32_t i = REFIDX(r);

	switch (REFKIND(r)) {
	case RK_VAL:
		if (i < fg_vlen(f->vals) && i < fg_vlen(n->val)) {
			fg_printname(out, '%', n->val[i]);
			return;
		}
		break;
	case RK_CON:
		if (i < fg_vlen(f->cons)) {
			printconst(out, m, n, &f->cons[i]);
			return;
		}
		break;
	case RK_NONE:
		if (r == REF_NONE) {
			fputs("<none>", out);
			return;
		}
	}
	fprintf(out, "<bad ref 0x%08" PRIx32 ">", r);
}

static void printrefs(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n,
		      uint32_t first, uint32_t count)
{
	uint32_t i, nr = fg_vlen(f->refs);

	for (i = 0; i < count; i++) {
		if (i)
			fputs(", ", out);
		if (first + i < nr && first + i >= first)
			fg_printvalue(out, m, f, n, f->refs[first + i]);
		else
			fputs("<bad ref>", out);
	}
}

void fg_printopbody(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n, const FgOp *o)
{
	const char *pred;

	if (o->res != REF_NONE) {
		fg_printtype(out, o->type);
		fputc(' ', out);
		fg_printvalue(out, m, f, n, o->res);
		fputs(" = ", out);
	}
	if (o->op >= FG_NOP) {
		fprintf(out, "<bad op %u>", o->op);
		return;
	}
	fputs(fg_opinfo[o->op].name, out);
	if (o->op == FG_FCMP) {
		if ((pred = fg_fpredname(o->imm)))
			fprintf(out, " %s", pred);
		else
			fprintf(out, " %" PRId64, o->imm);
	}
	if (o->op == FG_CALL && o->narg > 0) {
		fputc(' ', out);
		printrefs(out, m, f, n, o->arg, 1);
		fputc('(', out);
		printrefs(out, m, f, n, o->arg + 1, o->narg - 1);
		fputc(')', out);
	} else if (o->narg > 0) {
		fputc(' ', out);
		printrefs(out, m, f, n, o->arg, o->narg);
	}
	if (o->op == FG_ALLOCA) {
		fprintf(out, " size %" PRId64, o->imm);
		if (o->aux < 31)
			fprintf(out, " align %u", 1u << o->aux);
		else
			fprintf(out, " aux %u", o->aux);
		return;
	}
	if (o->op == FG_CALL && o->imm != -1)
		fprintf(out, " fixed %" PRId64, o->imm);
	else if (o->op != FG_CALL && o->op != FG_FCMP && o->imm != 0)
		fprintf(out, " imm %" PRId64, o->imm);
	if (o->aux)
		fprintf(out, " aux %u", o->aux);
}

void fg_printlinkargs(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n,
		      const FgLink *l)
{
	fputc('(', out);
	printrefs(out, m, f, n, l->arg, l->narg);
	fputc(')', out);
}

static void printlink(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n,
		      const FgLink *l)
{
	if (l->target < fg_vlen(n->block))
		fg_printname(out, '@', n->block[l->target]);
	else
		fprintf(out, "<bad block %u>", l->target);
	fg_printlinkargs(out, m, f, n, l);
}

void fg_printexitbody(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n,
		      const FgExit *e)
{
	uint32_t i, nl = fg_vlen(f->links);
	int sep = 0;

	fputs(fg_exitname(e->kind), out);
	if (e->kind == EX_BRANCH || e->kind == EX_SWITCH || (e->kind == EX_RETURN && e->cond)) {
		fputc(' ', out);
		fg_printvalue(out, m, f, n, e->cond);
		sep = 1;
	}
	for (i = 0; i < e->nlink; i++) {
		fputs(sep ? ", " : " ", out);
		sep = 1;
		if (e->link + i >= nl) {
			fputs("<bad link>", out);
			continue;
		}
		if (e->kind == EX_SWITCH && i > 0)
			fprintf(out, "%" PRId64 ": ", f->links[e->link + i].value);
		printlink(out, m, f, n, &f->links[e->link + i]);
	}
}

static void printfunc(FILE *out, const FgModule *m, const FgFunc *f, FgNames *n)
{
	uint32_t i, b, np = fg_vlen(f->params);
	int defined = (f->flags & FN_DEFINED) != 0;

	fputs(defined ? "define" : "declare", out);
	if (f->flags & FN_STATIC)
		fputs(" static", out);
	if (f->flags & FN_RESIDUAL)
		fputs(" residual", out);
	if (f->flags & FN_ELIDABLE)
		fputs(" elidable", out);
	fputc(' ', out);
	fg_printtype(out, f->ret);
	fputc(' ', out);
	printsym(out, m, n, CK_FUNC, f - m->funcs, 0);
	fputc('(', out);
	for (i = 0; i < np; i++) {
		if (i)
			fputs(", ", out);
		fg_printtype(out, f->params[i]);
	}
	if (f->flags & FN_VARARGS)
		fputs(np ? ", ..." : "...", out);
	fputc(')', out);
	fg_printloc(out, m, f->loc);
	if (!defined) {
		fputc('\n', out);
		return;
	}
	fputs(" {\n", out);
	fg_namefunc(n, f);
	for (b = 0; b < fg_vlen(f->blocks); b++) {
		const FgBlock *bl = &f->blocks[b];
		fg_printname(out, '@', n->block[b]);
		fputc('(', out);
		for (i = 0; i < fg_vlen(bl->args); i++) {
			if (i)
				fputs(", ", out);
			fg_printtype(out, fg_reftype(f, bl->args[i]));
			fputc(' ', out);
			fg_printvalue(out, m, f, n, bl->args[i]);
		}
		fputs("):\n", out);
		for (i = 0; i < fg_vlen(bl->ops); i++) {
			fputc('\t', out);
			fg_printopbody(out, m, f, n, &bl->ops[i]);
			fg_printloc(out, m, bl->ops[i].loc);
			fputc('\n', out);
		}
		if (bl->exit.kind != EX_NONE) {
			fputc('\t', out);
			fg_printexitbody(out, m, f, n, &bl->exit);
			fg_printloc(out, m, bl->exit.loc);
			fputc('\n', out);
		}
	}
	fputs("}\n", out);
}

static int allzero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Contents read as a string when every byte before the trailing zeros is
 * printable or a tab/newline. */
static int istext(const uint8_t *p, size_t n)
{
	while (n && !p[n - 1])
		n--;
	if (!n)
		return 0;
	while (n--)
		if (!(p[n] >= 0x20 && p[n] < 0x7f) && p[n] != '\n' && p[n] != '\t')
			return 0;
	return 1;
}

static void printglobal(FILE *out, const FgModule *m, const FgNames *n, const FgGlobal *g)
{
	size_t i, len = fg_vlen(g->init);

	fputs("global", out);
	if (g->flags & GL_STATIC)
		fputs(" static", out);
	if (g->flags & GL_CONST)
		fputs(" const", out);
	if (!(g->flags & GL_DEFINED))
		fputs(" extern", out);
	fputc(' ', out);
	printsym(out, m, n, CK_GLOBAL, g - m->globals, 0);
	fprintf(out, " size %" PRIu64 " align %" PRIu32, g->size, g->align);
	if ((g->flags & GL_DEFINED) && g->init) {
		fputs(" = ", out);
		if (allzero(g->init, len))
			fprintf(out, "zero");
		else if (istext(g->init, len)) {
			fputs("c", out);
			printquoted(out, (const char *)g->init, len);
		} else {
			fputs("x\"", out);
			for (i = 0; i < len; i++)
				fprintf(out, "%02x", g->init[i]);
			fputc('"', out);
		}
	}
	for (i = 0; i < fg_vlen(g->relocs); i++) {
		const FgReloc *r = &g->relocs[i];
		fprintf(out, " reloc %" PRIu64 " = ", r->off);
		printsym(out, m, n, r->kind, r->sym, r->addend);
	}
	fg_printloc(out, m, g->loc);
	fputc('\n', out);
}

void fg_print(FILE *out, const FgModule *m)
{
	FgNames n = {0};
	size_t i;

	fg_namesyms(&n, m);
	for (i = 1; i < fg_vlen(m->files); i++) {
		fputs("file ", out);
		printquoted(out, m->files[i], strlen(m->files[i]));
		fputc('\n', out);
	}
	if (fg_vlen(m->files) > 1)
		fputc('\n', out);
	for (i = 0; i < fg_vlen(m->globals); i++)
		printglobal(out, m, &n, &m->globals[i]);
	if (fg_vlen(m->globals))
		fputc('\n', out);
	for (i = 0; i < fg_vlen(m->funcs); i++) {
		if (i && ((m->funcs[i].flags | m->funcs[i - 1].flags) & FN_DEFINED))
			fputc('\n', out);
		printfunc(out, m, &m->funcs[i], &n);
	}
	fg_freenames(&n);
}

void fg_printfunc(FILE *out, const FgModule *m, const FgFunc *f)
{
	FgNames n = {0};

	fg_namesyms(&n, m);
	printfunc(out, m, f, &n);
	fg_freenames(&n);
}

/* fg_printref is called one value at a time (diagnostics, debugging), so
 * the names of the last function are cached.  The cache is checked against
 * the function's blocks and name pointers; a pass that reorders operations
 * without changing those may see the numbers of unnamed values of before. */
static struct {
	FgNames n;	       /* names of the cached function */
	const FgModule *m;     /* cached module */
	const FgFunc *f;       /* cached function */
	const FgBlock *blocks; /* its blocks vector when cached */
	uint32_t nblocks;      /* and their count */
	const char **valnames; /* vector: f->vals[i].name when cached */
	const char **symnames; /* vector: symbol names when cached */
} cache;

static int cachevalid(const FgModule *m, const FgFunc *f)
{
	uint32_t i, nv = fg_vlen(f->vals), ng = fg_vlen(m->globals), nf = fg_vlen(m->funcs);

	if (cache.m != m || cache.f != f || cache.blocks != f->blocks ||
	    cache.nblocks != fg_vlen(f->blocks) || fg_vlen(cache.valnames) != nv ||
	    fg_vlen(cache.symnames) != ng + nf)
		return 0;
	for (i = 0; i < nv; i++)
		if (cache.valnames[i] != f->vals[i].name)
			return 0;
	for (i = 0; i < ng; i++)
		if (cache.symnames[i] != m->globals[i].name)
			return 0;
	for (i = 0; i < nf; i++)
		if (cache.symnames[ng + i] != m->funcs[i].name)
			return 0;
	return 1;
}

void fg_printref(FILE *out, const FgModule *m, const FgFunc *f, Ref r)
{
	uint32_t i, nv = fg_vlen(f->vals), ng = fg_vlen(m->globals), nf = fg_vlen(m->funcs);

	if (!cachevalid(m, f)) {
		fg_freenames(&cache.n);
		fg_namesyms(&cache.n, m);
		fg_namefunc(&cache.n, f);
		fg_vfree(cache.valnames);
		fg_vfree(cache.symnames);
		cache.valnames = fg_vnew(nv, sizeof(char *));
		for (i = 0; i < nv; i++)
			cache.valnames[i] = f->vals[i].name;
		cache.symnames = fg_vnew(ng + nf, sizeof(char *));
		for (i = 0; i < ng; i++)
			cache.symnames[i] = m->globals[i].name;
		for (i = 0; i < nf; i++)
			cache.symnames[ng + i] = m->funcs[i].name;
		cache.m = m;
		cache.f = f;
		cache.blocks = f->blocks;
		cache.nblocks = fg_vlen(f->blocks);
	}
	fg_printvalue(out, m, f, &cache.n, r);
}

/* ---- lexer ---------------------------------------------------------- */

enum {
	T_EOF,
	T_NL,
	T_WORD,
	T_NUM,
	T_LOCAL,
	T_AT,
	T_STR,
	T_XSTR,
	T_CSTR,
	T_LOC,
	T_DOTS,
	T_PUNCT,
};

typedef struct {
	const char *p, *end;  /* cursor (after the current token) and end */
	const char *start;    /* the text */
	const char *filename; /* for messages */
	unsigned line;	      /* line of the current token */
	unsigned nextline;    /* line of the cursor */
	int tk;		      /* current token kind */
	int punct;	      /* T_PUNCT: the character */
	char *tb;	      /* vector: token text (decoded), NUL-terminated */
	size_t tlen;	      /* length of tb's text */
	uint32_t tline;	      /* T_LOC: line number */
	jmp_buf fail;	      /* where errors go */
	FgModule *m;	      /* module being built */
	Map syms;	      /* symbol name -> global index, or -1 - function index */
	int pass;	      /* 1 or 2 */
	/* the function being parsed (pass 2) */
	FgFunc *f;	     /* current function */
	uint32_t fi;	     /* its index */
	Map vals;	     /* value name -> value index */
	Map labels;	     /* label name -> label id */
	int32_t *labelblock; /* vector: label id -> block, -1 until defined */
	unsigned *labelline; /* vector: label id -> line of first use */
	unsigned *pending;   /* vector: value -> line of first use, 0 once defined */
	int32_t cur;	     /* current block, -1 before the first label */
	Ref *args;	     /* vector: operands or link arguments being read */
	FgLink *ls;	     /* vector: links being read (arg indexes args) */
	uint8_t *params;     /* vector: parameter types being read */
	int closed;	     /* the current block has its exit */
} Parser;

static void fail(Parser *P, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

static void fail(Parser *P, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fg_errorat(P->filename, P->line, "%s", msg);
	longjmp(P->fail, 1);
}

static void tbput(Parser *P, int c)
{
	fg_vgrow(&P->tb, P->tlen + 2);
	P->tb[P->tlen++] = c;
	P->tb[P->tlen] = 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A quoted string at the cursor ('"' included) into tb; \XX escapes. */
static void lexstring(Parser *P)
{
	P->p++;
	for (;;) {
		int c, h, l;
		if (P->p >= P->end || *P->p == '\n')
			fail(P, "unterminated string");
		c = (unsigned char)*P->p++;
		if (c == '"')
			return;
		if (c == '\\') {
			if (P->end - P->p < 2 || (h = hexval(P->p[0])) < 0 ||
			    (l = hexval(P->p[1])) < 0)
				fail(P, "bad escape in string (expected \\ and two hex digits)");
			c = h << 4 | l;
			P->p += 2;
		}
		tbput(P, c);
	}
}

/* A name after '%' or '@': plain or quoted; no NUL allowed. */
static void lexname(Parser *P, int sigil)
{
	if (P->p < P->end && *P->p == '"') {
		lexstring(P);
		if (strlen(P->tb) != P->tlen)
			fail(P, "name contains a NUL byte");
		if (!P->tlen)
			fail(P, "empty name after '%c'", sigil);
		return;
	}
	while (P->p < P->end && isnamechar((unsigned char)*P->p))
		tbput(P, *P->p++);
	if (!P->tlen)
		fail(P, "expected a name after '%c'", sigil);
}

/* A location after '!': FILE:LINE, FILE plain or quoted, maybe empty. */
static void lexloc(Parser *P)
{
	uint64_t line = 0;
	int digits = 0;

	if (P->p < P->end && *P->p == '"')
		lexstring(P);
	else
		while (P->p < P->end && *P->p != ':' && !isspace((unsigned char)*P->p))
			tbput(P, *P->p++);
	if (P->p >= P->end || *P->p != ':')
		fail(P, "expected ':' and a line number in location");
	P->p++;
	while (P->p < P->end && isdigit((unsigned char)*P->p)) {
		line = line * 10 + (*P->p++ - '0');
		if (line > UINT32_MAX)
			fail(P, "line number too large");
		digits++;
	}
	if (!digits)
		fail(P, "expected a line number in location");
	if (strlen(P->tb) != P->tlen)
		fail(P, "file name contains a NUL byte");
	P->tline = line;
}

static void next(Parser *P)
{
	int c;

	P->tlen = 0;
	fg_vgrow(&P->tb, 1);
	P->tb[0] = 0;
	for (;;) {
		while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' || *P->p == '\r'))
			P->p++;
		if (P->p < P->end && *P->p == '#')
			while (P->p < P->end && *P->p != '\n')
				P->p++;
		else
			break;
	}
	P->line = P->nextline;
	if (P->p >= P->end) {
		P->tk = T_EOF;
		return;
	}
	c = (unsigned char)*P->p;
	if (c == '\n') {
		P->p++;
		P->nextline++;
		P->tk = T_NL;
	} else if (c == '%' || c == '@') {
		P->p++;
		lexname(P, c);
		P->tk = c == '%' ? T_LOCAL : T_AT;
	} else if (c == '"') {
		lexstring(P);
		P->tk = T_STR;
	} else if ((c == 'x' || c == 'c') && P->end - P->p > 1 && P->p[1] == '"') {
		P->p++;
		lexstring(P);
		P->tk = c == 'x' ? T_XSTR : T_CSTR;
	} else if (c == '!') {
		P->p++;
		lexloc(P);
		P->tk = T_LOC;
	} else if (isdigit(c) || ((c == '-' || c == '+') && P->end - P->p > 1 &&
				  isdigit((unsigned char)P->p[1]))) {
		tbput(P, *P->p++);
		while (P->p < P->end &&
		       (isalnum((unsigned char)*P->p) || *P->p == '.' ||
			((*P->p == '-' || *P->p == '+') && (P->p[-1] == 'e' || P->p[-1] == 'E') &&
			 !strchr(P->tb, 'x'))))
			tbput(P, *P->p++);
		P->tk = T_NUM;
	} else if (isalpha(c) || c == '_') {
		while (P->p < P->end &&
		       (isalnum((unsigned char)*P->p) || *P->p == '_' || *P->p == '.'))
			tbput(P, *P->p++);
		P->tk = T_WORD;
	} else if (c == '.' && P->end - P->p > 2 && P->p[1] == '.' && P->p[2] == '.') {
		P->p += 3;
		P->tk = T_DOTS;
	} else if (strchr("(),:={}", c) && c) {
		P->p++;
		P->tk = T_PUNCT;
		P->punct = c;
	} else if (c >= 0x20 && c < 0x7f) {
		fail(P, "unexpected character '%c'", c);
	} else {
		fail(P, "unexpected byte 0x%02x", c);
	}
}

static const char *tokdesc(Parser *P)
{
	static char buf[80];

	switch (P->tk) {
	case T_EOF:
		return "end of file";
	case T_NL:
		return "end of line";
	case T_PUNCT:
		snprintf(buf, sizeof buf, "'%c'", P->punct);
		return buf;
	case T_LOCAL:
	case T_AT:
		snprintf(buf, sizeof buf, "'%c%.60s'", P->tk == T_LOCAL ? '%' : '@', P->tb);
		return buf;
	case T_STR:
	case T_XSTR:
	case T_CSTR:
		return "a string";
	case T_LOC:
		return "a location";
	case T_DOTS:
		return "'...'";
	}
	snprintf(buf, sizeof buf, "'%.60s'", P->tb);
	return buf;
}

static int ispunc(Parser *P, int c)
{
	return P->tk == T_PUNCT && P->punct == c;
}

static int isword(Parser *P, const char *w)
{
	return P->tk == T_WORD && strcmp(P->tb, w) == 0;
}

static void expectpunct(Parser *P, int c, const char *what)
{
	if (!ispunc(P, c))
		fail(P, "expected '%c' %s, got %s", c, what, tokdesc(P));
	next(P);
}

static void expecteol(Parser *P)
{
	if (P->tk != T_NL && P->tk != T_EOF)
		fail(P, "expected end of line, got %s", tokdesc(P));
	if (P->tk == T_NL)
		next(P);
}

static void skipline(Parser *P)
{
	while (P->tk != T_NL && P->tk != T_EOF)
		next(P);
	if (P->tk == T_NL)
		next(P);
}

/* A type word, or -1 (void is allowed only where asked). */
static int typeword(Parser *P, int allowvoid)
{
	int t;

	if (P->tk != T_WORD)
		return -1;
	for (t = allowvoid ? TY_VOID : TY_I1; t < TY_N; t++)
		if (strcmp(P->tb, fg_typename(t)) == 0)
			return t;
	return -1;
}

static int parsetype(Parser *P, int allowvoid, const char *what)
{
	int t = typeword(P, allowvoid);

	if (t < 0) {
		if (isword(P, "void"))
			fail(P, "%s cannot be void", what);
		fail(P, "expected a type for %s, got %s", what, tokdesc(P));
	}
	next(P);
	return t;
}

/* The current T_NUM as a 64-bit integer (decimal or 0x hex, maybe signed). */
static int64_t numval(Parser *P, const char *what)
{
	const char *s = P->tb;
	int neg = 0;
	uint64_t v;
	char *endp;

	if (P->tk != T_NUM)
		fail(P, "expected %s, got %s", what, tokdesc(P));
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (!isdigit((unsigned char)*s))
		fail(P, "bad number '%s'", P->tb);
	errno = 0;
	v = strtoull(s, &endp, 0);
	if (*endp || errno)
		fail(P, "bad number '%s' for %s", P->tb, what);
	if (neg && v > (uint64_t)1 << 63)
		fail(P, "number '%s' out of range", P->tb);
	return neg ? (int64_t)(0 - v) : (int64_t)v;
}

/* A non-negative integer no larger than max. */
static uint64_t parseuint(Parser *P, uint64_t max, const char *what)
{
	int64_t v = numval(P, what);

	if (P->tb[0] == '-' || (uint64_t)v > max)
		fail(P, "%s out of range: %s", what, P->tb);
	next(P);
	return v;
}

static uint32_t fileindex(Parser *P, const char *path)
{
	size_t i;

	for (i = 0; i < fg_vlen(P->m->files); i++)
		if (strcmp(P->m->files[i], path) == 0)
			return i;
	return fg_addfile(P->m, path);
}

/* An optional trailing location. */
static FgLoc parseloc(Parser *P)
{
	FgLoc loc = {0, 0};

	if (P->tk == T_LOC) {
		loc.file = fileindex(P, P->tb);
		loc.line = P->tline;
		next(P);
	}
	return loc;
}

/* ---- parser: symbols and headers ------------------------------------ */

/* The symbol named by the current T_AT: returns 1 for a global, 2 for a
 * function, with its index. */
static int lookupsym(Parser *P, uint32_t *idx)
{
	int *v = mapslot(&P->syms, P->tb, 0);

	if (!v)
		fail(P, "unknown symbol '@%.100s'", P->tb);
	if (*v >= 0) {
		*idx = *v;
		return 1;
	}
	*idx = -1 - *v;
	return 2;
}

static void defsym(Parser *P, const char *name, int v)
{
	int *slot;

	if (mapslot(&P->syms, name, 0))
		fail(P, "redefinition of '@%.100s'", name);
	slot = mapslot(&P->syms, name, 1);
	*slot = v;
}

/* A "+N" or "-N" right after a symbol name (the cursor is after it). */
static int64_t symoffset(Parser *P)
{
	uint64_t v = 0;
	int neg, digits = 0;

	if (P->p >= P->end || (*P->p != '+' && *P->p != '-'))
		return 0;
	neg = *P->p++ == '-';
	while (P->p < P->end && isdigit((unsigned char)*P->p)) {
		if (v > (UINT64_MAX - 9) / 10)
			fail(P, "symbol offset too large");
		v = v * 10 + (*P->p++ - '0');
		digits++;
	}
	if (!digits || v > (uint64_t)INT64_MAX)
		fail(P, "bad symbol offset");
	return neg ? -(int64_t)v : (int64_t)v;
}

typedef struct {
	uint32_t flags;	 /* FN_* */
	int ret;	 /* FgType */
	char *name;	 /* symbol (P->m's arena) */
	uint8_t *params; /* vector of types (P->params) */
	FgLoc loc;	 /* position */
} FnHdr;

/* After "declare" or "define": flags, return type, name, parameters, location. */
static void funchdr(Parser *P, FnHdr *h, int defined)
{
	h->flags = defined ? FN_DEFINED : 0;
	for (;;) {
		if (isword(P, "static"))
			h->flags |= FN_STATIC;
		else if (isword(P, "residual"))
			h->flags |= FN_RESIDUAL;
		else if (isword(P, "elidable"))
			h->flags |= FN_ELIDABLE;
		else
			break;
		next(P);
	}
	h->ret = parsetype(P, 1, "the return type");
	if (P->tk != T_AT)
		fail(P, "expected the function's '@name', got %s", tokdesc(P));
	h->name = fg_strdup(P->m->arena, P->tb);
	next(P);
	expectpunct(P, '(', "before the parameter types");
	fg_vgrow(&P->params, 0);
	h->params = P->params;
	while (!ispunc(P, ')')) {
		if (fg_vlen(h->params) || (h->flags & FN_VARARGS))
			expectpunct(P, ',', "between parameters");
		if (h->flags & FN_VARARGS)
			fail(P, "'...' must be the last parameter");
		if (P->tk == T_DOTS) {
			h->flags |= FN_VARARGS;
			next(P);
			continue;
		}
		fg_vpush(&P->params, (uint8_t)parsetype(P, 0, "a parameter"));
		h->params = P->params;
	}
	next(P);
	h->loc = parseloc(P);
}

/* Pass 1: create the function and skip its body. */
static void declfunc(Parser *P, int defined)
{
	FnHdr h = {0};
	uint32_t fi;

	funchdr(P, &h, defined);
	defsym(P, h.name, -1 - (int)fg_vlen(P->m->funcs));
	fi = fg_addfunc(P->m, h.name, h.ret, h.params, fg_vlen(h.params), h.flags);
	P->m->funcs[fi].loc = h.loc;
	if (!defined) {
		expecteol(P);
		return;
	}
	if (!ispunc(P, '{'))
		fail(P, "expected '{' after the function header, got %s", tokdesc(P));
	for (;;) {
		unsigned line = P->line;
		skipline(P);
		if (ispunc(P, '}')) {
			next(P);
			expecteol(P);
			return;
		}
		if (P->tk == T_EOF) {
			P->line = line;
			fail(P, "function '@%.100s' is not closed by '}'", h.name);
		}
	}
}

typedef struct {
	uint32_t flags; /* GL_* */
	char *name;	/* symbol */
	uint64_t size;	/* bytes */
	uint32_t align; /* bytes */
} GlHdr;

static void globalhdr(Parser *P, GlHdr *h)
{
	h->flags = GL_DEFINED;
	for (;;) {
		if (isword(P, "static"))
			h->flags |= GL_STATIC;
		else if (isword(P, "const"))
			h->flags |= GL_CONST;
		else if (isword(P, "extern"))
			h->flags &= ~GL_DEFINED;
		else
			break;
		next(P);
	}
	if (P->tk != T_AT)
		fail(P, "expected the global's '@name', got %s", tokdesc(P));
	h->name = fg_strdup(P->m->arena, P->tb);
	next(P);
	if (!isword(P, "size"))
		fail(P, "expected 'size' after the global's name, got %s", tokdesc(P));
	next(P);
	h->size = parseuint(P, (h->flags & GL_DEFINED) ? 1u << 28 : UINT32_MAX, "global size");
	if (!isword(P, "align"))
		fail(P, "expected 'align' after the global's size, got %s", tokdesc(P));
	next(P);
	h->align = parseuint(P, UINT32_MAX, "alignment");
}

/* Pass 2: the contents, relocations and location of global gi. */
static void defglobal(Parser *P, uint32_t gi)
{
	GlHdr h;
	FgGlobal *g = &P->m->globals[gi];

	globalhdr(P, &h);
	if (ispunc(P, '=')) {
		next(P);
		if (!(g->flags & GL_DEFINED))
			fail(P, "an extern global has no contents");
		if (isword(P, "zero")) {
			next(P);
		} else if (P->tk == T_XSTR || P->tk == T_CSTR) {
			size_t n = P->tlen, i;
			if (P->tk == T_XSTR) {
				if (n % 2)
					fail(P, "odd number of hex digits in contents");
				for (i = 0; i < n; i++)
					if (hexval(P->tb[i]) < 0)
						fail(P, "bad hex digit in contents");
				n /= 2;
			}
			if (n != g->size)
				fail(P, "contents have %zu bytes, the global's size is %" PRIu64, n,
				     g->size);
			for (i = 0; i < n; i++)
				g->init[i] = P->tk == T_CSTR ? (uint8_t)P->tb[i]
							     : hexval(P->tb[2 * i]) << 4 |
								   hexval(P->tb[2 * i + 1]);
			next(P);
		} else {
			fail(P, "expected 'zero', x\"...\" or c\"...\" contents, got %s",
			     tokdesc(P));
		}
	}
	while (isword(P, "reloc")) {
		FgReloc r = {0};
		uint32_t idx;
		next(P);
		r.off = parseuint(P, UINT64_MAX, "relocation offset");
		expectpunct(P, '=', "after the relocation offset");
		if (P->tk != T_AT)
			fail(P, "expected '@symbol' in relocation, got %s", tokdesc(P));
		r.kind = lookupsym(P, &idx) == 1 ? CK_GLOBAL : CK_FUNC;
		r.sym = idx;
		r.addend = symoffset(P);
		next(P);
		fg_vpush(&P->m->globals[gi].relocs, r);
	}
	P->m->globals[gi].loc = parseloc(P);
	expecteol(P);
}

/* ---- parser: function bodies ---------------------------------------- */

/* The value called name, pending if not yet defined. */
static Ref useval(Parser *P, const char *name)
{
	int *slot = mapslot(&P->vals, name, 0);
	FgVal v = {0};

	if (slot)
		return MKREF(RK_VAL, *slot);
	v.type = TY_VOID;
	v.block = UINT32_MAX;
	v.name = fg_strdup(P->m->arena, name);
	fg_vpush(&P->f->vals, v);
	fg_vpush(&P->pending, P->line);
	*mapslot(&P->vals, v.name, 1) = fg_vlen(P->f->vals) - 1;
	return MKREF(RK_VAL, fg_vlen(P->f->vals) - 1);
}

/* Define the value called name. */
static Ref defval(Parser *P, const char *name, FgType t, int kind, uint32_t b, uint32_t index)
{
	Ref r = useval(P, name);
	FgVal *v = &P->f->vals[REFIDX(r)];

	if (!P->pending[REFIDX(r)])
		fail(P, "redefinition of '%%%.100s'", name);
	P->pending[REFIDX(r)] = 0;
	v->type = t;
	v->kind = kind;
	v->block = b;
	v->index = index;
	return r;
}

/* An operand: %value, @sym[+-N], undef T, or T literal. */
static Ref parseref(Parser *P)
{
	Ref r;
	int t;

	if (P->tk == T_LOCAL) {
		r = useval(P, P->tb);
		next(P);
		return r;
	}
	if (P->tk == T_AT) {
		uint32_t idx;
		int kind = lookupsym(P, &idx) == 1 ? CK_GLOBAL : CK_FUNC;
		r = fg_consym(P->f, kind, idx, symoffset(P));
		next(P);
		return r;
	}
	if (isword(P, "undef")) {
		next(P);
		return fg_undef(P->f, parsetype(P, 0, "undef"));
	}
	if ((t = typeword(P, 0)) < 0)
		fail(P, "expected an operand, got %s", tokdesc(P));
	next(P);
	if (P->tk != T_NUM)
		fail(P, "expected a number after '%s', got %s", fg_typename(t), tokdesc(P));
	if ((t == TY_F32 || t == TY_F64) && !strchr(P->tb, 'x')) {
		char *endp;
		double d = strtod(P->tb, &endp);
		float fl = d;
		int64_t bits = 0;
		uint32_t b32;
		if (*endp)
			fail(P, "bad floating-point number '%s'", P->tb);
		if (t == TY_F32)
			memcpy(&b32, &fl, 4), bits = b32;
		else
			memcpy(&bits, &d, 8);
		r = fg_con(P->f, t, bits);
	} else {
		int64_t v = numval(P, "a constant");
		int w = fg_typebits(t);
		if (P->tb[0] == '-' && (t == TY_F32 || t == TY_F64))
			fail(P, "floating-point bits must not be negative");
		if (w < 64 && (v < -((int64_t)1 << (w - 1)) || v >= (int64_t)1 << w))
			fail(P, "constant %s does not fit in %s", P->tb, fg_typename(t));
		r = fg_con(P->f, t, v);
	}
	next(P);
	return r;
}

/* Comma-separated operands up to a word, location or end of line. */
static void parserefs(Parser *P, Ref **refs)
{
	if (P->tk == T_NL || P->tk == T_EOF || P->tk == T_LOC || ispunc(P, ')') ||
	    (P->tk == T_WORD && typeword(P, 0) < 0 && !isword(P, "undef")))
		return;
	for (;;) {
		fg_vpush(refs, parseref(P));
		if (!ispunc(P, ','))
			return;
		next(P);
	}
}

static uint32_t labelid(Parser *P)
{
	int *slot = mapslot(&P->labels, P->tb, 0);

	if (slot)
		return *slot;
	fg_vpush(&P->labelblock, -1);
	fg_vpush(&P->labelline, P->line);
	slot = mapslot(&P->labels, fg_strdup(P->m->arena, P->tb), 1);
	*slot = fg_vlen(P->labelblock) - 1;
	return *slot;
}

static uint32_t pushrefs(FgFunc *f, const Ref *r, uint32_t n)
{
	uint32_t first = fg_vlen(f->refs), i;

	for (i = 0; i < n; i++)
		fg_vpush(&f->refs, r[i]);
	return first;
}

/* "@label(T %a, ...):" starts block b. */
static void parselabel(Parser *P)
{
	uint32_t id = labelid(P), b;
	const char *name = fg_strdup(P->m->arena, P->tb);

	if (P->labelblock[id] >= 0)
		fail(P, "redefinition of label '@%.100s'", P->tb);
	b = fg_addblock(P->f, name);
	P->labelblock[id] = b;
	P->cur = b;
	P->closed = 0;
	next(P);
	expectpunct(P, '(', "after the label");
	while (!ispunc(P, ')')) {
		int t;
		Ref r;
		if (fg_vlen(P->f->blocks[b].args))
			expectpunct(P, ',', "between block arguments");
		t = parsetype(P, 0, "a block argument");
		if (P->tk != T_LOCAL)
			fail(P, "expected '%%name' for the block argument, got %s", tokdesc(P));
		r = defval(P, P->tb, t, VK_ARG, b, fg_vlen(P->f->blocks[b].args));
		fg_vpush(&P->f->blocks[b].args, r);
		next(P);
	}
	next(P);
	expectpunct(P, ':', "after the block's arguments");
	expecteol(P);
}

/* "@label(args)" of an exit, its arguments appended to P->args; the
 * label id goes in target until finishfunc resolves it. */
static FgLink parselink(Parser *P, int64_t value)
{
	FgLink l = {0};

	if (P->tk != T_AT)
		fail(P, "expected a target '@label(...)', got %s", tokdesc(P));
	l.target = labelid(P);
	l.value = value;
	l.arg = fg_vlen(P->args);
	next(P);
	expectpunct(P, '(', "after the target label");
	parserefs(P, &P->args);
	expectpunct(P, ')', "after the target's arguments");
	l.narg = fg_vlen(P->args) - l.arg;
	return l;
}

static void parseexit(Parser *P, int kind)
{
	Ref cond = REF_NONE;
	uint32_t i, b = P->cur;
	FgLoc loc;

	fg_vgrow(&P->args, 0);
	fg_vgrow(&P->ls, 0);
	next(P);
	if (kind == EX_BRANCH || kind == EX_SWITCH) {
		cond = parseref(P);
		expectpunct(P, ',', "after the condition");
	} else if (kind == EX_RETURN && P->tk != T_NL && P->tk != T_EOF && P->tk != T_LOC) {
		cond = parseref(P);
	}
	if (kind == EX_GOTO || kind == EX_BRANCH || kind == EX_SWITCH) {
		for (;;) {
			int64_t value = 0;
			if (kind == EX_SWITCH && fg_vlen(P->ls) > 0) {
				value = numval(P, "a case value");
				next(P);
				expectpunct(P, ':', "after the case value");
			}
			fg_vpush(&P->ls, parselink(P, value));
			if (!ispunc(P, ',') || kind == EX_GOTO)
				break;
			next(P);
		}
	}
	if (kind == EX_BRANCH && fg_vlen(P->ls) != 2)
		fail(P, "'br' needs two targets");
	loc = parseloc(P);
	if (P->tk != T_NL && P->tk != T_EOF)
		fail(P, "expected end of line after the exit, got %s", tokdesc(P));
	fg_setexit(P->f, b, kind, cond, loc);
	for (i = 0; i < fg_vlen(P->ls); i++) {
		FgLink *l = &P->ls[i];
		fg_addlink(P->f, b, l->target, P->args + l->arg, l->narg, l->value);
	}
	P->closed = 1;
	expecteol(P);
}

static int opbyname(const char *s)
{
	int i;

	for (i = 0; i < FG_NOP; i++)
		if (strcmp(fg_opinfo[i].name, s) == 0)
			return i;
	return -1;
}

static int hasresult(int op)
{
	switch (op) {
	case FG_STORE:
	case FG_MEMCPY:
	case FG_MEMMOVE:
	case FG_MEMSET:
	case FG_HVIRTUALIZABLE:
	case FG_MERGEPOINT:
		return 0;
	case FG_CALL:
		return -1; /* either */
	}
	return 1;
}

static int fpredbyname(const char *s)
{
	int i;

	for (i = 0; i < 16; i++)
		if (strcmp(fpreds[i], s) == 0)
			return i;
	return -1;
}

/* Keyword attributes after the operands: size, align, fixed, imm, aux. */
static void parseattrs(Parser *P, FgOp *o)
{
	while (P->tk == T_WORD) {
		const char *w = fg_strdup(P->m->arena, P->tb);
		int64_t v;
		next(P);
		v = numval(P, "a number");
		if (strcmp(w, "size") == 0 && o->op == FG_ALLOCA)
			o->imm = v;
		else if (strcmp(w, "align") == 0 && o->op == FG_ALLOCA) {
			int k = 0;
			if (v <= 0 || v > (int64_t)1 << 30 || (v & (v - 1)))
				fail(P, "alignment must be a power of two, got %s", P->tb);
			while ((int64_t)1 << k < v)
				k++;
			o->aux = k;
		} else if (strcmp(w, "fixed") == 0 && o->op == FG_CALL)
			o->imm = v;
		else if (strcmp(w, "imm") == 0)
			o->imm = v;
		else if (strcmp(w, "aux") == 0) {
			if (v < 0 || v > 255)
				fail(P, "aux out of range: %s", P->tb);
			o->aux = v;
		} else
			fail(P, "unexpected '%s' after the operands of '%s'", w,
			     fg_opinfo[o->op].name);
		next(P);
	}
}

/* "[T %x =] op operands attrs [!loc]" */
static void parseop(Parser *P)
{
	FgOp o = {0};
	FgBlock *bl;
	int t = TY_VOID, op, want, nargs;
	char *resname = NULL;
	unsigned line = P->line;

	if (typeword(P, 1) >= 0) {
		t = parsetype(P, 0, "a result");
		if (P->tk != T_LOCAL)
			fail(P, "expected '%%name' after the result type, got %s", tokdesc(P));
		resname = fg_strdup(P->m->arena, P->tb);
		next(P);
		expectpunct(P, '=', "after the result");
	}
	if (P->tk == T_WORD && (op = opbyname(P->tb)) < 0)
		fail(P, "unknown operation '%.100s'", P->tb);
	if (P->tk != T_WORD)
		fail(P, "expected an operation, got %s", tokdesc(P));
	want = hasresult(op);
	if (want == 1 && !resname)
		fail(P, "'%s' needs a result ('TYPE %%name = %s ...')", P->tb, P->tb);
	if (want == 0 && resname)
		fail(P, "'%s' has no result", P->tb);
	o.op = op;
	o.type = t;
	o.imm = op == FG_CALL ? -1 : 0;
	next(P);
	if (op == FG_FCMP) {
		int pr = P->tk == T_WORD ? fpredbyname(P->tb) : -1;
		if (P->tk == T_NUM)
			pr = numval(P, "a predicate");
		else if (pr < 0)
			fail(P, "expected an fcmp predicate (oeq, olt, ...), got %s", tokdesc(P));
		o.imm = pr;
		next(P);
	}
	fg_vgrow(&P->args, 0);
	if (op == FG_CALL) {
		fg_vpush(&P->args, parseref(P));
		expectpunct(P, '(', "after the callee");
		parserefs(P, &P->args);
		expectpunct(P, ')', "after the call's arguments");
	} else {
		parserefs(P, &P->args);
	}
	nargs = fg_opinfo[op].nargs;
	if (nargs >= 0 && (int)fg_vlen(P->args) != nargs)
		fail(P, "'%s' takes %d operand%s, got %zu", fg_opinfo[op].name, nargs,
		     nargs == 1 ? "" : "s", fg_vlen(P->args));
	if (op == FG_ALLOCA && fg_vlen(P->args) > 1)
		fail(P, "'alloca' takes at most one operand (the element count)");
	parseattrs(P, &o);
	o.loc = parseloc(P);
	if (P->tk != T_NL && P->tk != T_EOF)
		fail(P, "expected end of line, got %s", tokdesc(P));
	bl = &P->f->blocks[P->cur];
	o.narg = fg_vlen(P->args);
	o.arg = pushrefs(P->f, P->args, o.narg);
	if (resname) {
		P->line = line;
		o.res = defval(P, resname, t, VK_OP, P->cur, fg_vlen(bl->ops));
	}
	fg_vpush(&P->f->blocks[P->cur].ops, o);
	expecteol(P);
}

static int exitbyname(const char *s)
{
	int k;

	for (k = EX_GOTO; k <= EX_UNREACHABLE; k++)
		if (strcmp(exitnames[k], s) == 0)
			return k;
	return -1;
}

/* Resolve link targets from label ids to blocks; report undefined names. */
static void finishfunc(Parser *P)
{
	uint32_t i;

	for (i = 0; i < fg_vlen(P->labelblock); i++)
		if (P->labelblock[i] < 0) {
			uint32_t j;
			P->line = P->labelline[i];
			for (j = 0; j < P->labels.cap; j++)
				if (P->labels.key[j] && P->labels.val[j] == (int)i)
					fail(P, "undefined label '@%.100s'", P->labels.key[j]);
		}
	for (i = 0; i < fg_vlen(P->f->links); i++)
		P->f->links[i].target = P->labelblock[P->f->links[i].target];
	for (i = 0; i < fg_vlen(P->pending); i++)
		if (P->pending[i]) {
			P->line = P->pending[i];
			fail(P, "undefined value '%%%.100s'", P->f->vals[i].name);
		}
}

/* Pass 2 of "define": header again, then the body of function fi. */
static void deffunc(Parser *P, uint32_t fi)
{
	FnHdr h = {0};

	funchdr(P, &h, 1);
	expectpunct(P, '{', "after the function header");
	expecteol(P);
	P->f = &P->m->funcs[fi];
	P->fi = fi;
	mapfree(&P->vals);
	mapfree(&P->labels);
	fg_vgrow(&P->labelblock, 0);
	fg_vgrow(&P->labelline, 0);
	fg_vgrow(&P->pending, 0);
	P->cur = -1;
	P->closed = 0;
	for (;;) {
		int k;
		if (P->tk == T_NL) {
			next(P);
		} else if (ispunc(P, '}')) {
			next(P);
			expecteol(P);
			break;
		} else if (P->tk == T_AT) {
			parselabel(P);
		} else if (P->cur < 0) {
			fail(P, "expected a block label '@name(...):', got %s", tokdesc(P));
		} else if (P->tk == T_WORD && (k = exitbyname(P->tb)) >= 0) {
			if (P->closed)
				fail(P, "second exit in a block");
			parseexit(P, k);
		} else {
			if (P->closed)
				fail(P, "operation after the block's exit");
			parseop(P);
		}
	}
	finishfunc(P);
	P->f = NULL;
}

static void toplevel(Parser *P)
{
	uint32_t gi = 0, fi = 0;

	next(P);
	while (P->tk != T_EOF) {
		if (P->tk == T_NL) {
			next(P);
		} else if (isword(P, "file")) {
			next(P);
			if (P->tk != T_STR)
				fail(P, "expected a quoted file name, got %s", tokdesc(P));
			if (strlen(P->tb) != P->tlen)
				fail(P, "file name contains a NUL byte");
			if (P->pass == 1)
				fg_vpush(&P->m->files, fg_strdup(P->m->arena, P->tb));
			next(P);
			expecteol(P);
		} else if (isword(P, "global")) {
			next(P);
			if (P->pass == 1) {
				GlHdr h;
				globalhdr(P, &h);
				defsym(P, h.name, fg_vlen(P->m->globals));
				fg_addglobal(P->m, h.name, h.size, h.align, h.flags);
				skipline(P);
			} else {
				defglobal(P, gi++);
			}
		} else if (isword(P, "declare") || isword(P, "define")) {
			int defined = isword(P, "define");
			next(P);
			if (P->pass == 1) {
				declfunc(P, defined);
			} else if (defined) {
				deffunc(P, fi++);
			} else {
				FnHdr h = {0};
				funchdr(P, &h, 0);
				fi++;
				expecteol(P);
			}
		} else {
			fail(P, "expected 'file', 'global', 'declare' or 'define', got %s",
			     tokdesc(P));
		}
	}
}

FgModule *fg_parse(const char *text, size_t len, const char *filename)
{
	Parser *P = fg_alloc(sizeof *P);
	FgModule *m = fg_newmodule();
	FgModule *volatile result = NULL;

	P->start = text;
	P->end = text + len;
	P->filename = filename ? filename : "<input>";
	P->m = m;
	P->tb = fg_vnew(1, 1);
	P->labelblock = fg_vnew(0, sizeof(int32_t));
	P->labelline = fg_vnew(0, sizeof(unsigned));
	P->pending = fg_vnew(0, sizeof(unsigned));
	P->args = fg_vnew(0, sizeof(Ref));
	P->ls = fg_vnew(0, sizeof(FgLink));
	P->params = fg_vnew(0, 1);
	if (!setjmp(P->fail)) {
		for (P->pass = 1; P->pass <= 2; P->pass++) {
			P->p = text;
			P->nextline = 1;
			toplevel(P);
		}
		result = m;
	} else {
		fg_freemodule(m);
	}
	mapfree(&P->syms);
	mapfree(&P->vals);
	mapfree(&P->labels);
	fg_vfree(P->tb);
	fg_vfree(P->labelblock);
	fg_vfree(P->labelline);
	fg_vfree(P->pending);
	fg_vfree(P->args);
	fg_vfree(P->ls);
	fg_vfree(P->params);
	fg_free(P);
	return result;
}
