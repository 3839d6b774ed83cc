/* importconst.c: the importer's data side: pointer maps, types, source
 * locations, constants (folded at import time), global variables with
 * their byte images and relocations, function signatures and the
 * ts.residual/ts.elidable annotations.  The conversion of function bodies
 * and the clang/LLVM pipeline are in import.c. */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "importint.h"

void imp_mapinit(PtrMap *p)
{
	p->cap = 64;
	p->n = 0;
	p->keys = fg_alloc(p->cap * sizeof *p->keys);
	p->vals = fg_alloc(p->cap * sizeof *p->vals);
}

void imp_mapfree(PtrMap *p)
{
	fg_free(p->keys);
	fg_free(p->vals);
	p->keys = NULL;
	p->vals = NULL;
}

static size_t maphash(const void *k, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)k * 0x9e3779b97f4a7c15ull;

	return (h >> 20) & (cap - 1);
}

static void mapgrow(PtrMap *p)
{
	PtrMap o = *p;
	size_t i;

	p->cap *= 2;
	p->n = 0;
	p->keys = fg_alloc(p->cap * sizeof *p->keys);
	p->vals = fg_alloc(p->cap * sizeof *p->vals);
	for (i = 0; i < o.cap; i++)
		if (o.keys[i])
			imp_mapput(p, o.keys[i], o.vals[i]);
	imp_mapfree(&o);
}

void imp_mapput(PtrMap *p, const void *k, uint32_t v)
{
	size_t i;

	if (2 * (p->n + 1) > p->cap)
		mapgrow(p);
	for (i = maphash(k, p->cap); p->keys[i] && p->keys[i] != k; i = (i + 1) & (p->cap - 1))
		;
	if (!p->keys[i])
		p->n++;
	p->keys[i] = k;
	p->vals[i] = v;
}

/* Returns 1 and sets *v when k is present. */
int imp_mapget(const PtrMap *p, const void *k, uint32_t *v)
{
	size_t i;

	for (i = maphash(k, p->cap); p->keys[i]; i = (i + 1) & (p->cap - 1))
		if (p->keys[i] == k) {
			*v = p->vals[i];
			return 1;
		}
	return 0;
}

/* FgType of an LLVM type, or -1 if it has none. */
int imp_type(LLVMTypeRef t)
{
	switch (LLVMGetTypeKind(t)) {
	case LLVMVoidTypeKind:
		return TY_VOID;
	case LLVMPointerTypeKind:
		return TY_PTR;
	case LLVMFloatTypeKind:
		return TY_F32;
	case LLVMDoubleTypeKind:
		return TY_F64;
	case LLVMIntegerTypeKind:
		switch (LLVMGetIntTypeWidth(t)) {
		case 1: return TY_I1;
		case 8: return TY_I8;
		case 16: return TY_I16;
		case 32: return TY_I32;
		case 64: return TY_I64;
		}
		return -1;
	default:
		return -1;
	}
}

/* The text of an LLVM type, in the module arena. */
const char *imp_typestr(Imp *c, LLVMTypeRef t)
{
	char *s = LLVMPrintTypeToString(t);
	const char *r = fg_strdup(c->m->arena, s);

	LLVMDisposeMessage(s);
	return r;
}

/* Hint marker functions of hints.h and their operations. */
static const struct {
	const char *name; /* marker function */
	FgOpcode op;      /* hint operation */
} hintops[] = {
	{"ts_hint_green", FG_HGREEN},
	{"ts_hint_promote", FG_HPROMOTE},
	{"ts_hint_deepfreeze", FG_HDEEPFREEZE},
	{"ts_hint_virtualizable", FG_HVIRTUALIZABLE},
	{"ts_merge_point", FG_MERGEPOINT},
};

int imp_hintop(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof hintops / sizeof hintops[0]; i++)
		if (strcmp(hintops[i].name, name) == 0)
			return hintops[i].op;
	return -1;
}

/* ---- locations -------------------------------------------------------- */

/* The module file index for a debug file name: the input path as given
 * when it names an input file, else the name as clang recorded it. */
static uint32_t fileindex(Imp *c, const char *fn, const char *dir)
{
	char path[PATH_MAX], *r;
	int i;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(fn, c->files[i]) == 0)
			return fg_addfile(c->m, c->files[i]);
	if (fn[0] == '/' || !dir || !*dir)
		snprintf(path, sizeof path, "%s", fn);
	else
		snprintf(path, sizeof path, "%s/%s", dir, fn);
	r = realpath(path, NULL);
	if (r) {
		for (i = 0; i < c->nfiles; i++)
			if (c->real[i] && strcmp(r, c->real[i]) == 0) {
				free(r);
				return fg_addfile(c->m, c->files[i]);
			}
		free(r);
	}
	return fg_addfile(c->m, fn);
}

/* The source location of v (an instruction, function or global); `dflt`
 * when it has none. */
FgLoc imp_loc(Imp *c, LLVMValueRef v, FgLoc dflt)
{
	unsigned len, dlen, line;
	const char *fn, *dir;
	FgLoc l;

	line = LLVMGetDebugLocLine(v);
	fn = LLVMGetDebugLocFilename(v, &len);
	if (!fn || !len || !line)
		return dflt;
	dir = LLVMGetDebugLocDirectory(v, &dlen);
	if (fn != c->lastfn || dir != c->lastdir) {
		char *fs = fg_alloc(len + 1), *ds = fg_alloc(dlen + 1);
		memcpy(fs, fn, len);
		if (dir)
			memcpy(ds, dir, dlen);
		c->lastfile = fileindex(c, fs, ds);
		c->lastfn = fn;
		c->lastdir = dir;
		fg_free(fs);
		fg_free(ds);
	}
	l.file = c->lastfile;
	l.line = line;
	return l;
}

/* Report an error at the current location; returns REF_ERR. */
Ref imp_fail(Imp *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fg_error(c->m, c->loc, "%s", buf);
	return REF_ERR;
}

/* ---- constants -------------------------------------------------------- */


/* Position of block bb in its function (for blockaddress tags). */
uint32_t imp_bbpos(Imp *c, LLVMBasicBlockRef bb)
{
	LLVMValueRef fn;
	LLVMBasicBlockRef b;
	uint32_t pos = 0, i = 0;

	if (imp_mapget(&c->bbpos, bb, &pos))
		return pos;
	fn = LLVMGetBasicBlockParent(bb);
	for (b = LLVMGetFirstBasicBlock(fn); b; b = LLVMGetNextBasicBlock(b))
		imp_mapput(&c->bbpos, b, i++);
	imp_mapget(&c->bbpos, bb, &pos);
	return pos;
}

/* The tag of a blockaddress constant: 1 + the target's block position. */
static int64_t blocktag(Imp *c, LLVMValueRef ba)
{
	LLVMValueRef b = LLVMGetOperand(ba, 1);

	if (!b || !LLVMValueIsBasicBlock(b))
		return 0;
	return 1 + (int64_t)imp_bbpos(c, LLVMValueAsBasicBlock(b));
}

/* One step of a GEP walk.  `cur` is the type indexed by idx (the source
 * type for the first index).  Constant indices are added to *off; for a
 * variable index, *stride is set to its scale.  Returns the next type, or
 * NULL for an unsupported walk. */
LLVMTypeRef imp_gepstep(Imp *c, LLVMTypeRef cur, int first, LLVMValueRef idx,
	int64_t *off, int64_t *stride)
{
	LLVMTypeRef next;
	int64_t scale;

	*stride = 0;
	if (first) {
		next = cur;
		scale = LLVMABISizeOfType(c->td, cur);
	} else if (LLVMGetTypeKind(cur) == LLVMStructTypeKind) {
		unsigned k;
		if (!LLVMIsAConstantInt(idx))
			return NULL;
		k = LLVMConstIntGetZExtValue(idx);
		if (k >= LLVMCountStructElementTypes(cur))
			return NULL;
		*off += LLVMOffsetOfElement(c->td, cur, k);
		return LLVMStructGetTypeAtIndex(cur, k);
	} else if (LLVMGetTypeKind(cur) == LLVMArrayTypeKind) {
		next = LLVMGetElementType(cur);
		scale = LLVMABISizeOfType(c->td, next);
	} else {
		return NULL;
	}
	if (LLVMIsAConstantInt(idx) && LLVMGetIntTypeWidth(LLVMTypeOf(idx)) <= 64)
		*off += LLVMConstIntGetSExtValue(idx) * scale;
	else if (LLVMIsAUndefValue(idx))
		;
	else
		*stride = scale;
	return next;
}

/* The constant byte offset of a GEP whose indices are all constant;
 * returns -1 if some index is not. */
static int gepconstoff(Imp *c, LLVMValueRef gep, int64_t *off)
{
	LLVMTypeRef t = LLVMGetGEPSourceElementType(gep);
	int i, n = LLVMGetNumOperands(gep);
	int64_t stride;

	*off = 0;
	for (i = 1; i < n; i++) {
		t = imp_gepstep(c, t, i == 1, LLVMGetOperand(gep, i), off, &stride);
		if (!t || stride)
			return -1;
	}
	return 0;
}

/* Fold constant v.  `symint`: a symbol address may stand for an integer
 * (in global initializers, where it becomes a relocation).  Returns -1
 * when v cannot be folded. */
int imp_evalconst(Imp *c, LLVMValueRef v, int symint, CVal *r)
{
	LLVMTypeRef t = LLVMTypeOf(v);
	int ty = imp_type(t);
	uint32_t idx;

	memset(r, 0, sizeof *r);
	if (LLVMIsAUndefValue(v)) {
		r->kind = CK_UNDEF;
		return 0;
	}
	if (LLVMIsAConstantInt(v)) {
		if (LLVMGetIntTypeWidth(t) > 64)
			return -1;
		r->bits = ty >= 0 ? fg_normalize(ty, LLVMConstIntGetZExtValue(v))
			: (int64_t)LLVMConstIntGetZExtValue(v);
		return 0;
	}
	if (LLVMIsAConstantFP(v)) {
		LLVMBool lose;
		double d = LLVMConstRealGetDouble(v, &lose);
		if (ty == TY_F32) {
			float fl = d;
			int32_t b;
			memcpy(&b, &fl, 4);
			r->bits = b;
		} else if (ty == TY_F64) {
			memcpy(&r->bits, &d, 8);
		} else {
			return -1;
		}
		return 0;
	}
	if (LLVMIsAConstantPointerNull(v))
		return 0;
	if (LLVMIsAGlobalAlias(v))
		return imp_evalconst(c, LLVMAliasGetAliasee(v), symint, r);
	if (LLVMIsAGlobalVariable(v) && imp_mapget(&c->gmap, v, &idx)) {
		r->kind = CK_GLOBAL;
		r->sym = idx;
		return 0;
	}
	if (LLVMIsAFunction(v) && imp_mapget(&c->fmap, v, &idx)) {
		r->kind = CK_FUNC;
		r->sym = idx;
		return 0;
	}
	if (LLVMIsABlockAddress(v)) {
		r->bits = blocktag(c, v);
		return 0;
	}
	if (!LLVMIsAConstantExpr(v))
		return -1;
	switch (LLVMGetConstOpcode(v)) {
	case LLVMBitCast:
	case LLVMAddrSpaceCast:
		if (imp_evalconst(c, LLVMGetOperand(v, 0), symint, r) < 0)
			return -1;
		if (r->kind == CK_INT && ty > 0)
			r->bits = fg_normalize(ty, r->bits);
		return 0;
	case LLVMPtrToInt:
	case LLVMIntToPtr:
		if (imp_evalconst(c, LLVMGetOperand(v, 0), symint, r) < 0)
			return -1;
		if (r->kind == CK_INT && ty > 0)
			r->bits = fg_normalize(ty, r->bits);
		else if (r->kind != CK_INT && r->kind != CK_UNDEF && ty != TY_PTR && !symint)
			return -1;
		return 0;
	case LLVMTrunc:
	case LLVMZExt:
	case LLVMSExt: {
		LLVMTypeRef st = LLVMTypeOf(LLVMGetOperand(v, 0));
		int sty = imp_type(st);
		if (imp_evalconst(c, LLVMGetOperand(v, 0), 0, r) < 0 || r->kind != CK_INT || ty <= 0 || sty <= 0)
			return r->kind == CK_UNDEF ? 0 : -1;
		if (LLVMGetConstOpcode(v) == LLVMZExt && sty != TY_I64)
			r->bits &= (int64_t)((1ull << fg_typebits(sty)) - 1);
		r->bits = fg_normalize(ty, r->bits);
		return 0;
	}
	case LLVMGetElementPtr: {
		int64_t off;
		if (imp_evalconst(c, LLVMGetOperand(v, 0), symint, r) < 0 || r->kind == CK_FUNC ||
			r->kind == CK_UNDEF || gepconstoff(c, v, &off) < 0)
			return -1;
		r->bits += off;
		return 0;
	}
	default:
		return -1;
	}
}

/* ---- globals ---------------------------------------------------------- */

static int globalskipped(LLVMValueRef g)
{
	const char *name = LLVMGetValueName(g);
	const char *sec = LLVMGetSection(g);

	return strncmp(name, "llvm.", 5) == 0 || (sec && strcmp(sec, "llvm.metadata") == 0);
}

static void putbytes(FgGlobal *g, uint64_t off, uint64_t bits, unsigned n)
{
	unsigned i;

	for (i = 0; i < n && off + i < g->size; i++)
		g->init[off + i] = bits >> (8 * i);
}

/* Write constant v at byte `off` of global gi's image. */
static int putconst(Imp *c, uint32_t gi, uint64_t off, LLVMValueRef v)
{
	FgGlobal *g = &c->m->globals[gi];
	LLVMTypeRef t = LLVMTypeOf(v);
	unsigned i, n;
	CVal cv;

	if (off + LLVMStoreSizeOfType(c->td, t) > g->size)
		return fg_error(c->m, g->loc, "initializer of '%s' overflows it", g->name);
	if (LLVMIsAConstantAggregateZero(v) || LLVMIsAConstantPointerNull(v) || LLVMIsAUndefValue(v))
		return 0;
	if (LLVMIsAConstantDataSequential(v) && LLVMIsConstantString(v)) {
		size_t len;
		const char *s = LLVMGetAsString(v, &len);
		memcpy(g->init + off, s, len);
		return 0;
	}
	if (LLVMIsAConstantDataSequential(v) || LLVMIsAConstantArray(v)) {
		LLVMTypeRef et = LLVMGetElementType(t);
		uint64_t stride = LLVMABISizeOfType(c->td, et);
		n = LLVMGetTypeKind(t) == LLVMArrayTypeKind ? LLVMGetArrayLength(t) : LLVMGetVectorSize(t);
		for (i = 0; i < n; i++) {
			LLVMValueRef e = LLVMIsAConstantArray(v) ? LLVMGetOperand(v, i)
				: LLVMGetElementAsConstant(v, i);
			if (!e || putconst(c, gi, off + i * stride, e) < 0)
				return -1;
		}
		return 0;
	}
	if (LLVMIsAConstantStruct(v)) {
		n = LLVMCountStructElementTypes(t);
		for (i = 0; i < n; i++)
			if (putconst(c, gi, off + LLVMOffsetOfElement(c->td, t, i), LLVMGetOperand(v, i)) < 0)
				return -1;
		return 0;
	}
	if (imp_evalconst(c, v, 1, &cv) < 0)
		return fg_error(c->m, g->loc, "unsupported constant in the initializer of '%s'", g->name);
	if (cv.kind == CK_INT) {
		putbytes(g, off, cv.bits, LLVMStoreSizeOfType(c->td, t));
	} else if (cv.kind == CK_GLOBAL || cv.kind == CK_FUNC) {
		FgReloc r = {off, cv.kind, cv.sym, cv.bits};
		if (LLVMStoreSizeOfType(c->td, t) != 8)
			return fg_error(c->m, g->loc, "unsupported address of size %u in the initializer of '%s'",
				(unsigned)LLVMStoreSizeOfType(c->td, t), g->name);
		fg_vpush(&g->relocs, r);
	}
	return 0;
}

/* The symbol name of a global or function; unnamed ones (@0 in LLVM IR)
 * get "anon.KN": K is 'g' or 'f', N their index. */
static const char *symname(LLVMValueRef v, uint32_t index, char *buf, size_t size)
{
	const char *s = LLVMGetValueName(v);

	if (s && *s)
		return s;
	snprintf(buf, size, "anon.%c%u", LLVMIsAFunction(v) ? 'f' : 'g', index);
	return buf;
}

static int islocal(LLVMValueRef v)
{
	LLVMLinkage l = LLVMGetLinkage(v);

	return l == LLVMInternalLinkage || l == LLVMPrivateLinkage;
}

/* Create the module's globals (contents come later: they may refer to
 * any global or function). */
int imp_addglobals(Imp *c)
{
	LLVMValueRef g;
	FgLoc none = {0, 0};
	char buf[32];

	for (g = LLVMGetFirstGlobal(c->mod); g; g = LLVMGetNextGlobal(g)) {
		LLVMTypeRef t = LLVMGlobalGetValueType(g);
		uint32_t flags = 0, align, gi;
		const char *name = LLVMGetValueName(g);
		if (strcmp(name, "llvm.global_ctors") == 0 || strcmp(name, "llvm.global_dtors") == 0) {
			LLVMValueRef init = LLVMGetInitializer(g), fn = NULL;
			if (init && LLVMIsAConstantArray(init) && LLVMGetNumOperands(init) > 0 &&
				LLVMGetNumOperands(LLVMGetOperand(init, 0)) > 1)
				fn = LLVMGetOperand(LLVMGetOperand(init, 0), 1);
			while (fn && LLVMIsAConstantExpr(fn))
				fn = LLVMGetOperand(fn, 0);
			c->loc = fn && LLVMIsAFunction(fn) ? imp_loc(c, fn, none) : none;
			imp_fail(c, "unsupported %s function '%s'", name[12] == 'c' ? "constructor" : "destructor",
				fn && LLVMIsAFunction(fn) ? LLVMGetValueName(fn) : "?");
			return -1;
		}
		if (globalskipped(g))
			continue;
		c->loc = imp_loc(c, g, none);
		if (LLVMIsThreadLocal(g)) {
			imp_fail(c, "unsupported thread-local variable '%s'", LLVMGetValueName(g));
			return -1;
		}
		if (!LLVMTypeIsSized(t)) {
			imp_fail(c, "global '%s' has an unsized type", LLVMGetValueName(g));
			return -1;
		}
		if (LLVMGetInitializer(g) && !LLVMIsDeclaration(g))
			flags |= GL_DEFINED;
		if (LLVMIsGlobalConstant(g))
			flags |= GL_CONST;
		if (islocal(g))
			flags |= GL_STATIC;
		align = LLVMGetAlignment(g);
		if (!align)
			align = LLVMPreferredAlignmentOfGlobal(c->td, g);
		gi = fg_addglobal(c->m, symname(g, fg_vlen(c->m->globals), buf, sizeof buf),
			LLVMABISizeOfType(c->td, t), align, flags);
		c->m->globals[gi].loc = c->loc;
		imp_mapput(&c->gmap, g, gi);
	}
	return 0;
}

int imp_fillglobals(Imp *c)
{
	LLVMValueRef g;
	uint32_t gi;
	int err = 0;

	for (g = LLVMGetFirstGlobal(c->mod); g; g = LLVMGetNextGlobal(g))
		if (imp_mapget(&c->gmap, g, &gi) && (c->m->globals[gi].flags & GL_DEFINED))
			if (putconst(c, gi, 0, LLVMGetInitializer(g)) < 0)
				err = -1;
	return err;
}

/* ---- functions: signatures and annotations ---------------------------- */

int imp_isintrinsic(LLVMValueRef fn)
{
	return strncmp(LLVMGetValueName(fn), "llvm.", 5) == 0;
}

/* Create the module's functions: definitions and external declarations
 * (intrinsics and hint markers become operations instead). */
int imp_addfuncs(Imp *c)
{
	LLVMValueRef fn;
	FgLoc none = {0, 0};
	size_t n = 0;
	char buf[32];

	for (fn = LLVMGetFirstFunction(c->mod); fn; fn = LLVMGetNextFunction(fn))
		n++;
	c->badsig = fg_alloc(n + 1);
	for (fn = LLVMGetFirstFunction(c->mod); fn; fn = LLVMGetNextFunction(fn)) {
		LLVMTypeRef ft = LLVMGlobalGetValueType(fn);
		unsigned i, np = LLVMCountParamTypes(ft);
		LLVMTypeRef *pt = fg_alloc((np + 1) * sizeof *pt);
		uint8_t *params = fg_alloc(np + 1);
		int ret = imp_type(LLVMGetReturnType(ft)), bad = ret < 0;
		uint32_t flags = 0, fi;
		if (imp_isintrinsic(fn) || imp_hintop(LLVMGetValueName(fn)) >= 0) {
			fg_free(pt);
			fg_free(params);
			continue;
		}
		LLVMGetParamTypes(ft, pt);
		for (i = 0; i < np; i++) {
			int pty = imp_type(pt[i]);
			bad |= pty <= 0;
			params[i] = pty > 0 ? pty : TY_I64;
		}
		if (!LLVMIsDeclaration(fn))
			flags |= FN_DEFINED;
		if (LLVMIsFunctionVarArg(ft))
			flags |= FN_VARARGS;
		if (islocal(fn))
			flags |= FN_STATIC;
		fi = fg_addfunc(c->m, symname(fn, fg_vlen(c->m->funcs), buf, sizeof buf),
			ret < 0 ? TY_VOID : ret, params, np, flags);
		c->m->funcs[fi].loc = imp_loc(c, fn, none);
		c->badsig[fi] = bad;
		imp_mapput(&c->fmap, fn, fi);
		fg_free(pt);
		fg_free(params);
	}
	return 0;
}

/* The string a constant `i8*` points to (annotation strings). */
static const char *conststring(LLVMValueRef v)
{
	size_t len;

	while (v && LLVMIsAConstantExpr(v))
		v = LLVMGetOperand(v, 0);
	if (!v || !LLVMIsAGlobalVariable(v) || !LLVMGetInitializer(v))
		return NULL;
	v = LLVMGetInitializer(v);
	if (!LLVMIsAConstantDataSequential(v) || !LLVMIsConstantString(v))
		return NULL;
	return LLVMGetAsString(v, &len);
}

/* Read @llvm.global.annotations: "ts.residual" / "ts.elidable" functions. */
void imp_annotations(Imp *c)
{
	LLVMValueRef ga = LLVMGetNamedGlobal(c->mod, "llvm.global.annotations");
	LLVMValueRef init;
	int i, n;

	if (!ga || !(init = LLVMGetInitializer(ga)) || !LLVMIsAConstantArray(init))
		return;
	n = LLVMGetNumOperands(init);
	for (i = 0; i < n; i++) {
		LLVMValueRef e = LLVMGetOperand(init, i), fn;
		const char *s;
		uint32_t fi;
		if (!LLVMIsAConstantStruct(e) || LLVMGetNumOperands(e) < 2)
			continue;
		fn = LLVMGetOperand(e, 0);
		while (fn && LLVMIsAConstantExpr(fn))
			fn = LLVMGetOperand(fn, 0);
		s = conststring(LLVMGetOperand(e, 1));
		if (!fn || !s || !imp_mapget(&c->fmap, fn, &fi))
			continue;
		if (strcmp(s, "ts.residual") == 0)
			c->m->funcs[fi].flags |= FN_RESIDUAL;
		else if (strcmp(s, "ts.elidable") == 0)
			c->m->funcs[fi].flags |= FN_ELIDABLE;
	}
}
