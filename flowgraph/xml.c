/* xml.c: the flow graphs as XML, written with libxml2's xmlTextWriter.
 *
 * One element per module, file, global (with its relocations), function,
 * block, argument, operation, operand, exit and link.  Names are the text
 * format's (textint.h), so an XML dump and a text dump of one module agree;
 * each operation also carries its text-format line.  The FgStyle callbacks
 * add a `class` attribute to values, operations and blocks, and a `note`
 * to functions.  docs/flowgraph.rng is the schema.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>
#include "textint.h"

typedef struct {
	xmlTextWriterPtr w; /* the writer */
	const FgModule *m;  /* module */
	const FgFunc *f;    /* function being written */
	const FgStyle *st;  /* styling, may be NULL */
	FgNames n;	    /* printed names */
	int err;	    /* a libxml2 call failed */
	char *buf;	    /* text of the last strprint */
	size_t len;	    /* its length */
	FILE *mem;	    /* memstream behind buf */
} Xw;

#define X(call)                                                                                    \
	do {                                                                                       \
		if ((call) < 0)                                                                    \
			x->err = 1;                                                                \
	} while (0)

static void start(Xw *x, const char *el)
{
	X(xmlTextWriterStartElement(x->w, BAD_CAST el));
}

static void end(Xw *x)
{
	X(xmlTextWriterEndElement(x->w));
}

static void attr(Xw *x, const char *name, const char *val)
{
	if (val)
		X(xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST val));
}

static void attrint(Xw *x, const char *name, int64_t v)
{
	X(xmlTextWriterWriteFormatAttribute(x->w, BAD_CAST name, "%" PRId64, v));
}

/* Start capturing printed text; done() returns it (valid until the next). */
static FILE *capture(Xw *x)
{
	if (x->mem)
		fclose(x->mem);
	free(x->buf);
	x->buf = NULL;
	x->mem = open_memstream(&x->buf, &x->len);
	if (!x->mem)
		die("open_memstream failed");
	return x->mem;
}

static const char *done(Xw *x)
{
	fclose(x->mem);
	x->mem = NULL;
	return x->buf;
}

static void attrname(Xw *x, const char *attrn, const char *name)
{
	fg_printname(capture(x), 0, name);
	attr(x, attrn, done(x));
}

/* A file path as an attribute; bytes that are not printable ASCII become
 * '?' so that the document stays valid UTF-8 whatever the path holds. */
static void attrpath(Xw *x, const char *name, const char *path)
{
	char *p = fg_alloc(strlen(path) + 1), *q;

	strcpy(p, path);
	for (q = p; *q; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
			*q = '?';
	attr(x, name, p);
	fg_free(p);
}

static void attrloc(Xw *x, FgLoc loc)
{
	if (loc.file)
		attrpath(x, "file", fg_locfile(x->m, loc));
	if (loc.line)
		attrint(x, "line", loc.line);
}

static void valclass(Xw *x, Ref r)
{
	if (x->st && x->st->valclass)
		attr(x, "class", x->st->valclass(x->st->ctx, x->f, r));
}

/* <operand value="a" type="i32"/> or <operand const="i32 1" .../> */
static void operand(Xw *x, Ref r)
{
	const FgFunc *f = x->f;

	start(x, "operand");
	fg_printvalue(capture(x), x->m, f, &x->n, r);
	if (REFKIND(r) == RK_VAL && REFIDX(r) < fg_vlen(f->vals))
		attr(x, "value", done(x) + 1);
	else
		attr(x, "const", done(x));
	attr(x, "type", fg_typename(fg_reftype(f, r)));
	valclass(x, r);
	end(x);
}

static void operands(Xw *x, uint32_t first, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && first + i < fg_vlen(x->f->refs); i++)
		operand(x, x->f->refs[first + i]);
}

static void writeop(Xw *x, uint32_t b, uint32_t i)
{
	const FgOp *o = &x->f->blocks[b].ops[i];

	start(x, "op");
	attr(x, "opcode", o->op < FG_NOP ? fg_opinfo[o->op].name : "?");
	if (o->res != REF_NONE && REFIDX(o->res) < fg_vlen(x->n.val)) {
		attrname(x, "name", x->n.val[REFIDX(o->res)]);
		attr(x, "type", fg_typename(o->type));
	}
	if (o->op == FG_FCMP)
		attr(x, "pred", fg_fpredname(o->imm));
	if (o->op == FG_ALLOCA) {
		attrint(x, "size", o->imm);
		attrint(x, "align", o->aux < 31 ? 1 << o->aux : 0);
	}
	if (o->op == FG_CALL && o->imm >= 0)
		attrint(x, "fixed", o->imm);
	if (x->st && x->st->opclass)
		attr(x, "class", x->st->opclass(x->st->ctx, x->f, b, i));
	attrloc(x, o->loc);
	fg_printopbody(capture(x), x->m, x->f, &x->n, o);
	attr(x, "text", done(x));
	operands(x, o->arg, o->narg);
	end(x);
}

static void writeexit(Xw *x, const FgExit *e)
{
	const FgFunc *f = x->f;
	uint32_t i;

	start(x, "exit");
	attr(x, "kind", e->kind == EX_NONE ? "none" : fg_exitname(e->kind));
	attrloc(x, e->loc);
	if (e->cond != REF_NONE) {
		start(x, "cond");
		operand(x, e->cond);
		end(x);
	}
	for (i = 0; i < e->nlink && e->link + i < fg_vlen(f->links); i++) {
		const FgLink *l = &f->links[e->link + i];
		start(x, "link");
		if (l->target < fg_vlen(x->n.block))
			attrname(x, "target", x->n.block[l->target]);
		if (e->kind == EX_BRANCH)
			attr(x, "when", i == 0 ? "true" : "false");
		else if (e->kind == EX_SWITCH && i == 0)
			attr(x, "when", "default");
		else if (e->kind == EX_SWITCH)
			attrint(x, "case", l->value);
		operands(x, l->arg, l->narg);
		end(x);
	}
	end(x);
}

static void writeblock(Xw *x, uint32_t b)
{
	const FgBlock *bl = &x->f->blocks[b];
	uint32_t i;

	start(x, "block");
	attrname(x, "name", x->n.block[b]);
	attrint(x, "index", b);
	if (x->st && x->st->blockclass)
		attr(x, "class", x->st->blockclass(x->st->ctx, x->f, b));
	for (i = 0; i < fg_vlen(bl->args); i++) {
		Ref r = bl->args[i];
		start(x, "arg");
		if (REFIDX(r) < fg_vlen(x->n.val))
			attrname(x, "name", x->n.val[REFIDX(r)]);
		attr(x, "type", fg_typename(fg_reftype(x->f, r)));
		valclass(x, r);
		end(x);
	}
	for (i = 0; i < fg_vlen(bl->ops); i++)
		writeop(x, b, i);
	writeexit(x, &bl->exit);
	end(x);
}

static void writefunc(Xw *x, const FgFunc *f)
{
	uint32_t i;
	char flags[64] = "";

	x->f = f;
	start(x, "function");
	attrname(x, "name", x->n.sym[fg_vlen(x->m->globals) + (f - x->m->funcs)]);
	attr(x, "ret", fg_typename(f->ret));
	if (f->flags & FN_STATIC)
		strcat(flags, " static");
	if (f->flags & FN_VARARGS)
		strcat(flags, " varargs");
	if (f->flags & FN_RESIDUAL)
		strcat(flags, " residual");
	if (f->flags & FN_ELIDABLE)
		strcat(flags, " elidable");
	if (*flags)
		attr(x, "flags", flags + 1);
	attr(x, "defined", (f->flags & FN_DEFINED) ? "yes" : "no");
	attrloc(x, f->loc);
	if (x->st && x->st->funcnote)
		attr(x, "note", x->st->funcnote(x->st->ctx, f));
	for (i = 0; i < fg_vlen(f->params); i++) {
		start(x, "param");
		attr(x, "type", fg_typename(f->params[i]));
		end(x);
	}
	if (f->flags & FN_DEFINED) {
		fg_namefunc(&x->n, f);
		for (i = 0; i < fg_vlen(f->blocks); i++)
			writeblock(x, i);
	}
	end(x);
}

static void writeglobal(Xw *x, const FgGlobal *g)
{
	uint32_t i, n = fg_vlen(g->init);
	char flags[64] = "";
	char *hex;

	start(x, "global");
	attrname(x, "name", x->n.sym[g - x->m->globals]);
	attrint(x, "size", g->size);
	attrint(x, "align", g->align);
	if (g->flags & GL_STATIC)
		strcat(flags, " static");
	if (g->flags & GL_CONST)
		strcat(flags, " const");
	if (!(g->flags & GL_DEFINED))
		strcat(flags, " extern");
	if (*flags)
		attr(x, "flags", flags + 1);
	attrloc(x, g->loc);
	if ((g->flags & GL_DEFINED) && g->init) {
		hex = fg_alloc(2 * n + 1);
		for (i = 0; i < n; i++)
			snprintf(hex + 2 * i, 3, "%02x", g->init[i]);
		attr(x, "contents", hex);
		fg_free(hex);
	}
	for (i = 0; i < fg_vlen(g->relocs); i++) {
		const FgReloc *r = &g->relocs[i];
		uint32_t idx = r->kind == CK_FUNC ? fg_vlen(x->m->globals) + r->sym : r->sym;
		start(x, "reloc");
		attrint(x, "offset", r->off);
		if (idx < fg_vlen(x->n.sym))
			attrname(x, "symbol", x->n.sym[idx]);
		attrint(x, "addend", r->addend);
		end(x);
	}
	end(x);
}

int fg_writexml(FILE *out, const FgModule *m, const FgFunc *only, const FgStyle *st)
{
	Xw xs = {0}, *x = &xs;
	xmlBufferPtr buf = xmlBufferCreate();
	size_t i;

	x->m = m;
	x->st = st;
	if (!buf || !(x->w = xmlNewTextWriterMemory(buf, 0)))
		return fg_errorat("", 0, "cannot create an XML writer");
	fg_namesyms(&x->n, m);
	X(xmlTextWriterSetIndent(x->w, 1));
	X(xmlTextWriterSetIndentString(x->w, BAD_CAST " "));
	X(xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL));
	start(x, "module");
	for (i = 1; i < fg_vlen(m->files); i++) {
		start(x, "file");
		attrint(x, "index", i);
		attrpath(x, "path", m->files[i]);
		end(x);
	}
	if (!only)
		for (i = 0; i < fg_vlen(m->globals); i++)
			writeglobal(x, &m->globals[i]);
	for (i = 0; i < fg_vlen(m->funcs); i++)
		if (!only || only == &m->funcs[i])
			writefunc(x, &m->funcs[i]);
	end(x);
	X(xmlTextWriterEndDocument(x->w));
	xmlFreeTextWriter(x->w);
	if (!x->err && fwrite(xmlBufferContent(buf), 1, xmlBufferLength(buf), out) !=
			   (size_t)xmlBufferLength(buf))
		x->err = 1;
	xmlBufferFree(buf);
	if (x->mem)
		fclose(x->mem);
	free(x->buf);
	fg_freenames(&x->n);
	return x->err ? fg_errorat("", 0, "cannot write XML") : 0;
}
