/* gen.c: the generator of the generating extension (docs/timeshift.md §3).
 *
 * For every coloured specialisation of the hint annotator we write one C
 * function over the frame slots: slot i is flow-graph value i, in g[] when
 * green (raw int64) and in r[] when red (a TsBox).  Green operations become
 * plain C with the IR's exact semantics on raw words (wrap-around through
 * unsigned arithmetic, results re-normalised to their width, i1 as 0/1);
 * red operations call the runtime (tsrt.h).  Blocks are labels; the
 * function starts with a switch over resume points (block starts, block
 * exits, return points of inlined calls, promotions), so a continuation is
 * just a copied frame with a resume number.  A generic variant (HaSpec.redop:
 * one TS_PROMOTE a copy) is one more such function, entered at that
 * promotion (RES_GPROMOTE) by a megamorphic site's generic bridge, and the
 * path stays in it (its loops compile once more, with the value red).
 *
 * Around the specialisations we write: declarations of the module's
 * symbols (through asm labels, so no C prototype can clash), the static
 * tables (specs, merge points, live sets, the portal), ts_resume_NAME (a
 * plain C copy of the portal entered at its global merge point), and the
 * JIT entry under the portal's own name.
 *
 * Liveness (per block, backward) gives the live red slots at merge points
 * and exits, so continuations and merge states carry no dead boxes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "timeshift.h"

/* Generator state for one module. */
typedef struct {
	const FgModule *m;   /* the module */
	const HaResult *r;   /* the annotation */
	FILE *o;             /* body being written */
	uint8_t *fused;      /* per module function: referenced */
	uint8_t *gused;      /* per module global: referenced */
	int nmerge;          /* merge points written */
	int nlive;           /* live sets written */
	FILE *tab;           /* static tables being written */
	int vable;           /* the module has TS_VIRTUALIZABLE: ts_v* calls */
	int nfx;             /* call effect tables written */
	int ngen;            /* generic path tables written */
} Gen;

/* Per function: liveness bitsets. */
typedef struct {
	const FgFunc *f;    /* the function */
	uint32_t nv;        /* values */
	uint32_t nw;        /* words per set */
	uint64_t *in;       /* nblocks * nw: live at block start (args excluded) */
	uint64_t *out;      /* nblocks * nw: live at block end */
} Live;

enum { RES_BLOCK, RES_EXIT };

/* The resume point of a generic variant at its promotion op k: RES_GPROMOTE
 * + k (above those a function numbers itself). */
enum { RES_GPROMOTE = 1 << 24 };

/* --- small helpers --------------------------------------------------------- */

static const char *const x86type[TY_N] = {
	"X86_VOID", "X86_I8", "X86_I8", "X86_I16", "X86_I32", "X86_I64", "X86_PTR", NULL, "X86_F64",
};

static const char *const ctype[TY_N] = {
	"void", "_Bool", "int8_t", "int16_t", "int32_t", "int64_t", "void *", "float", "double",
};

/* Print a C identifier made from s (other characters become '_'). */
static void ident(FILE *o, const char *s)
{
	for (; *s; s++)
		fputc((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ? *s : '_', o);
}

/* Text of the raw value of expression e normalised to type t. */
static const char *normtext(int t)
{
	switch (t) {
	case TY_I1: return "((%s) & 1)";
	case TY_I8: return "(int64_t)(int8_t)(%s)";
	case TY_I16: return "(int64_t)(int16_t)(%s)";
	case TY_I32: return "(int64_t)(int32_t)(%s)";
	default: return "(int64_t)(%s)";
	}
}

/* The mask of a type's width (for unsigned views). */
static const char *umaskof(int t)
{
	switch (t) {
	case TY_I1: return "0x1ull";
	case TY_I8: return "0xffull";
	case TY_I16: return "0xffffull";
	case TY_I32: return "0xffffffffull";
	default: return "~0ull";
	}
}

/* Into buf: the raw operand r (slot of prefix sl, or constant). */
static char *raw(Gen *gn, const FgFunc *f, Ref r, const char *sl, char *buf)
{
	const FgConst *c;

	if (REFKIND(r) == RK_VAL) {
		sprintf(buf, "%s[%u]", sl, REFIDX(r));
		return buf;
	}
	strcpy(buf, "INT64_C(0)");
	if (REFKIND(r) != RK_CON)
		return buf;
	c = &f->cons[REFIDX(r)];
	switch (c->kind) {
	case CK_INT:
		sprintf(buf, "INT64_C(%lld)", (long long)(c->type == TY_F64 || c->type == TY_F32
		        ? c->bits : fg_normalize(c->type, c->bits)));
		break;
	case CK_GLOBAL:
		gn->gused[c->sym] = 1;
		sprintf(buf, "((int64_t)(intptr_t)ts_g%u + INT64_C(%lld))", c->sym, (long long)c->bits);
		break;
	case CK_FUNC:
		gn->fused[c->sym] = 1;
		sprintf(buf, "(int64_t)(intptr_t)ts_f%u", c->sym);
		break;
	}
	return buf;
}

/* Into buf: a box operand for a red operation. */
static char *box(Gen *gn, const HaSpec *s, const FgFunc *f, Ref r, char *buf)
{
	char tmp[128];
	const char *xt;

	if (REFKIND(r) == RK_VAL && s->col[REFIDX(r)] == BT_RED) {
		sprintf(buf, "r[%u]", REFIDX(r));
		return buf;
	}
	xt = x86type[fg_reftype(f, r)];
	sprintf(buf, "ts_g(%s, %s)", xt ? xt : "X86_I64", raw(gn, f, r, "g", tmp));
	return buf;
}

/* --- liveness ------------------------------------------------------------- */

static void setbit(uint64_t *s, uint32_t i) { s[i / 64] |= 1ull << (i % 64); }
static void clrbit(uint64_t *s, uint32_t i) { s[i / 64] &= ~(1ull << (i % 64)); }
static int hasbit(const uint64_t *s, uint32_t i) { return (s[i / 64] >> (i % 64)) & 1; }

static void use(uint64_t *s, Ref r)
{
	if (REFKIND(r) == RK_VAL)
		setbit(s, REFIDX(r));
}

/* Uses of block b's exit (condition and link arguments) into s. */
static void exituses(const FgFunc *f, uint32_t b, uint64_t *s)
{
	const FgBlock *bl = &f->blocks[b];
	uint32_t i, j;

	use(s, bl->exit.cond);
	for (i = 0; i < bl->exit.nlink; i++) {
		const FgLink *l = &f->links[bl->exit.link + i];
		for (j = 0; j < l->narg; j++)
			use(s, f->refs[l->arg + j]);
	}
}

/* Live set before op i of block b (i = nops: before the exit) into s. */
static void livebefore(const Live *lv, uint32_t b, uint32_t i, uint64_t *s)
{
	const FgBlock *bl = &lv->f->blocks[b];
	uint32_t k, j;

	memcpy(s, &lv->out[b * lv->nw], lv->nw * 8);
	exituses(lv->f, b, s);
	for (k = fg_vlen(bl->ops); k-- > i;) {
		const FgOp *op = &bl->ops[k];
		if (op->res)
			clrbit(s, REFIDX(op->res));
		for (j = 0; j < op->narg; j++)
			use(s, lv->f->refs[op->arg + j]);
	}
}

static void liveness(Live *lv, const FgFunc *f)
{
	uint32_t nb = fg_vlen(f->blocks), b, i, w, changed = 1;
	uint64_t *tmp;

	lv->f = f;
	lv->nv = fg_vlen(f->vals);
	lv->nw = (lv->nv + 64) / 64;
	lv->in = calloc((size_t)nb * lv->nw + 1, 8);
	lv->out = calloc((size_t)nb * lv->nw + 1, 8);
	tmp = calloc(lv->nw, 8);
	while (changed) {
		changed = 0;
		for (b = nb; b-- > 0;) {
			const FgBlock *bl = &f->blocks[b];
			uint64_t *out = &lv->out[b * lv->nw];
			for (i = 0; i < bl->exit.nlink; i++) {
				uint32_t t = f->links[bl->exit.link + i].target;
				for (w = 0; w < lv->nw; w++)
					out[w] |= lv->in[t * lv->nw + w];
			}
			livebefore(lv, b, 0, tmp);
			for (i = 0; i < fg_vlen(bl->args); i++)
				clrbit(tmp, REFIDX(bl->args[i]));
			for (w = 0; w < lv->nw; w++)
				if (tmp[w] & ~lv->in[b * lv->nw + w]) {
					lv->in[b * lv->nw + w] |= tmp[w];
					changed = 1;
				}
		}
	}
	free(tmp);
}

/* The operand of TS_VIRTUALIZABLE stays live in the whole function (its
 * frame's cached fields must reach the return, merges and stubs). */
static void keepframe(Live *lv, const HaSpec *sp)
{
	uint32_t b, nb = fg_vlen(lv->f->blocks);

	if (REFKIND(sp->vframe) != RK_VAL || sp->col[REFIDX(sp->vframe)] != BT_RED)
		return;
	for (b = 0; b < nb; b++) {
		setbit(&lv->in[b * lv->nw], REFIDX(sp->vframe));
		setbit(&lv->out[b * lv->nw], REFIDX(sp->vframe));
	}
}

/* Write a static TsLive of the red values in s; returns its number. */
static int livetable(Gen *gn, const HaSpec *sp, const Live *lv, const uint64_t *s)
{
	uint32_t v;
	int n = 0, id = gn->nlive++;

	fprintf(gn->tab, "static const int ts_lv%d_s[] = {", id);
	for (v = 0; v < lv->nv; v++)
		if (hasbit(s, v) && sp->col[v] == BT_RED)
			fprintf(gn->tab, "%s%u", n++ ? ", " : "", v);
	fprintf(gn->tab, "%s};\nstatic const TsLive ts_lv%d = {%d, ts_lv%d_s};\n", n ? "" : "-1", id, n, id);
	return id;
}

/* --- green and plain operations -------------------------------------------- */

/* Into e: the C expression (raw result) of an operation computed on raw
 * operands of slot prefix sl: the green operations of the extension and
 * the operations of ts_resume.  Returns 0 when it has no such form. */
static int pureexpr(Gen *gn, const FgFunc *f, const FgOp *op, const char *sl, char *e)
{
	static const char *const fcmp[16] = {
		"0", "a_ == b_", "a_ > b_", "a_ >= b_", "a_ < b_", "a_ <= b_",
		"a_ < b_ || a_ > b_", "a_ == a_ && b_ == b_", "a_ != a_ || b_ != b_",
		"!(a_ < b_ || a_ > b_)", "!(a_ <= b_)", "!(a_ < b_)", "!(a_ >= b_)", "!(a_ > b_)",
		"a_ != b_", "1",
	};
	const Ref *a = &f->refs[op->arg];
	int t = op->type, at = op->narg ? fg_reftype(f, a[0]) : TY_VOID;
	int sh = fg_typebits(at) - 1;
	const char *M = umaskof(at), *s = NULL;
	char A[160] = "", B[160] = "", C[160] = "", x[900];

	if (t == TY_F32 || at == TY_F32)
		return 0;
	if (op->narg > 0)
		raw(gn, f, a[0], sl, A);
	if (op->narg > 1)
		raw(gn, f, a[1], sl, B);
	if (op->narg > 2)
		raw(gn, f, a[2], sl, C);
	switch (op->op) {
	case FG_ADD: s = "+"; goto wrap;
	case FG_SUB: s = "-"; goto wrap;
	case FG_MUL: s = "*";
	wrap:
		sprintf(x, "(uint64_t)%s %s (uint64_t)%s", A, s, B);
		break;
	case FG_AND: sprintf(e, "(%s & %s)", A, B); return 1;
	case FG_OR: sprintf(e, "(%s | %s)", A, B); return 1;
	case FG_XOR: sprintf(e, "(%s ^ %s)", A, B); return 1;
	case FG_SDIV: sprintf(x, "%s / %s", A, B); break;
	case FG_SREM: sprintf(x, "%s %% %s", A, B); break;
	case FG_UDIV: sprintf(x, "((uint64_t)%s & %s) / ((uint64_t)%s & %s)", A, M, B, M); break;
	case FG_UREM: sprintf(x, "((uint64_t)%s & %s) %% ((uint64_t)%s & %s)", A, M, B, M); break;
	case FG_SHL: sprintf(x, "(uint64_t)%s << (%s & %d)", A, B, sh); break;
	case FG_LSHR: sprintf(x, "((uint64_t)%s & %s) >> (%s & %d)", A, M, B, sh); break;
	case FG_ASHR: sprintf(x, "%s >> (%s & %d)", A, B, sh); break;
	case FG_EQ: s = "=="; goto scmp;
	case FG_NE: s = "!="; goto scmp;
	case FG_SLT: s = "<"; goto scmp;
	case FG_SLE: s = "<="; goto scmp;
	case FG_SGT: s = ">"; goto scmp;
	case FG_SGE: s = ">=";
	scmp:
		sprintf(e, "(int64_t)(%s %s %s)", A, s, B);
		return 1;
	case FG_ULT: s = "<"; goto ucmp;
	case FG_ULE: s = "<="; goto ucmp;
	case FG_UGT: s = ">"; goto ucmp;
	case FG_UGE: s = ">=";
	ucmp:
		sprintf(e, "(int64_t)(((uint64_t)%s & %s) %s ((uint64_t)%s & %s))", A, M, s, B, M);
		return 1;
	case FG_FADD: s = "+"; goto fbin;
	case FG_FSUB: s = "-"; goto fbin;
	case FG_FMUL: s = "*"; goto fbin;
	case FG_FDIV: s = "/";
	fbin:
		sprintf(e, "ts_f2r(ts_r2f(%s) %s ts_r2f(%s))", A, s, B);
		return 1;
	case FG_FREM: sprintf(e, "ts_f2r(fmod(ts_r2f(%s), ts_r2f(%s)))", A, B); return 1;
	case FG_FNEG: sprintf(e, "ts_f2r(-ts_r2f(%s))", A); return 1;
	case FG_FCMP:
		sprintf(e, "({ double a_ = ts_r2f(%s), b_ = ts_r2f(%s); (void)a_; (void)b_; (int64_t)(%s); })",
		        A, B, fcmp[op->imm & 15]);
		return 1;
	case FG_ZEXT: sprintf(e, "(int64_t)((uint64_t)%s & %s)", A, M); return 1;
	case FG_SEXT:
		if (at == TY_I1)
			sprintf(e, "(-%s)", A);
		else
			strcpy(e, A);
		return 1;
	case FG_TRUNC: case FG_PTRTOINT: strcpy(x, A); break;
	case FG_INTTOPTR: sprintf(e, "(int64_t)((uint64_t)%s & %s)", A, M); return 1;
	case FG_FPTOSI: sprintf(x, "(int64_t)ts_r2f(%s)", A); break;
	case FG_FPTOUI: sprintf(x, "(int64_t)(uint64_t)ts_r2f(%s)", A); break;
	case FG_SITOFP: sprintf(e, "ts_f2r((double)%s)", A); return 1;
	case FG_UITOFP: sprintf(e, "ts_f2r((double)((uint64_t)%s & %s))", A, M); return 1;
	case FG_BITCAST: case FG_COPY: case FG_HGREEN: case FG_HPROMOTE: case FG_HDEEPFREEZE:
		strcpy(e, A);
		return 1;
	case FG_SELECT: sprintf(e, "(%s ? %s : %s)", A, B, C); return 1;
	case FG_PTRADD: sprintf(e, "(int64_t)((uint64_t)%s + (uint64_t)%s)", A, B); return 1;
	case FG_LOAD:
		switch (t) {
		case TY_I1: sprintf(e, "(int64_t)(*(const uint8_t *)(intptr_t)%s & 1)", A); return 1;
		case TY_I8: case TY_I16: case TY_I32:
			sprintf(e, "(int64_t)*(const %s *)(intptr_t)%s", ctype[t], A);
			return 1;
		case TY_I64: case TY_PTR: case TY_F64:
			sprintf(e, "*(const int64_t *)(intptr_t)%s", A);
			return 1;
		}
		return 0;
	default:
		return 0;
	}
	sprintf(e, normtext(t), x);
	return 1;
}

/* Into e: a native call of op (a CALL) on raw operands: the callee's
 * prototype comes from the IR types of the operands and the result. */
static int callexpr(Gen *gn, const FgFunc *f, const FgOp *op, const char *sl, char *e)
{
	const Ref *a = &f->refs[op->arg];
	char A[160];
	uint32_t i;
	int t;

	if (op->type == TY_F32)
		return 0;
	e += sprintf(e, "((%s (*)(", op->type == TY_PTR ? "void *" : ctype[op->type]);
	for (i = 1; i < op->narg && (op->imm < 0 || (int64_t)i <= op->imm); i++)
		e += sprintf(e, "%s%s", i > 1 ? ", " : "", ctype[fg_reftype(f, a[i])]);
	e += sprintf(e, "%s))(intptr_t)%s)(", op->imm >= 0 ? (op->narg > 1 ? ", ..." : "...") :
	             op->narg == 1 ? "void" : "", raw(gn, f, a[0], sl, A));
	for (i = 1; i < op->narg; i++) {
		t = fg_reftype(f, a[i]);
		raw(gn, f, a[i], sl, A);
		if (t == TY_F32)
			return 0;
		if (t == TY_F64)
			e += sprintf(e, "%sts_r2f(%s)", i > 1 ? ", " : "", A);
		else if (t == TY_PTR)
			e += sprintf(e, "%s(void *)(intptr_t)%s", i > 1 ? ", " : "", A);
		else
			e += sprintf(e, "%s(%s)%s", i > 1 ? ", " : "", ctype[t], A);
	}
	sprintf(e, ")");
	return 1;
}

/* The statement that stores the raw result expression e of type t. */
static void setraw(FILE *o, const char *sl, Ref res, int t, const char *e)
{
	if (t == TY_VOID || !res)
		fprintf(o, "\t(void)%s;\n", e);
	else if (t == TY_F64)
		fprintf(o, "\t%s[%u] = ts_f2r(%s);\n", sl, REFIDX(res), e);
	else if (t == TY_PTR)
		fprintf(o, "\t%s[%u] = (int64_t)(intptr_t)%s;\n", sl, REFIDX(res), e);
	else
		fprintf(o, "\t%s[%u] = (int64_t)%s;\n", sl, REFIDX(res), e);
}

/* A plain (ts_resume) statement for op; 0 when unsupported. */
static int plainop(Gen *gn, const FgFunc *f, const FgOp *op, uint32_t opid)
{
	FILE *o = gn->o;
	const Ref *a = &f->refs[op->arg];
	char e[2400], A[160], B[160], C[160];
	int t;

	switch (op->op) {
	case FG_ALLOCA:
		if (op->narg)
			fprintf(o, "\tv[%u] = (int64_t)(intptr_t)__builtin_alloca((size_t)%s * %lld);\n",
			        REFIDX(op->res), raw(gn, f, a[0], "v", A), (long long)op->imm);
		else
			fprintf(o, "\tv[%u] = (int64_t)(intptr_t)ts_a%u;\n", REFIDX(op->res), opid);
		return 1;
	case FG_STORE:
		t = fg_reftype(f, a[1]);
		raw(gn, f, a[0], "v", A);
		raw(gn, f, a[1], "v", B);
		if (t == TY_I1)
			fprintf(o, "\t*(uint8_t *)(intptr_t)%s = (uint8_t)%s;\n", A, B);
		else if (t == TY_I8 || t == TY_I16 || t == TY_I32)
			fprintf(o, "\t*(%s *)(intptr_t)%s = (%s)%s;\n", ctype[t], A, ctype[t], B);
		else if (t == TY_F32)
			return 0;
		else
			fprintf(o, "\t*(int64_t *)(intptr_t)%s = %s;\n", A, B);
		return 1;
	case FG_MEMCPY: case FG_MEMMOVE: case FG_MEMSET:
		raw(gn, f, a[0], "v", A);
		raw(gn, f, a[1], "v", B);
		raw(gn, f, a[2], "v", C);
		if (op->op == FG_MEMSET)
			fprintf(o, "\tmemset((void *)(intptr_t)%s, (int)%s, (size_t)%s);\n", A, B, C);
		else
			fprintf(o, "\t%s((void *)(intptr_t)%s, (const void *)(intptr_t)%s, (size_t)%s);\n",
			        op->op == FG_MEMCPY ? "memcpy" : "memmove", A, B, C);
		return 1;
	case FG_CALL:
		if (!callexpr(gn, f, op, "v", e))
			return 0;
		setraw(o, "v", op->res, op->type, e);
		return 1;
	case FG_HVIRTUALIZABLE: case FG_MERGEPOINT:
		return 1;
	}
	if (!pureexpr(gn, f, op, "v", e))
		return 0;
	if (op->res)
		fprintf(o, "\tv[%u] = %s;\n", REFIDX(op->res), e);
	return 1;
}

/* --- red operations ---------------------------------------------------------- */

/* The x86 op name of a flow-graph binary op, or NULL. */
static const char *xop(int op)
{
	switch (op) {
	case FG_ADD: return "XR_ADD"; case FG_SUB: return "XR_SUB"; case FG_MUL: return "XR_MUL";
	case FG_SDIV: return "XR_SDIV"; case FG_UDIV: return "XR_UDIV";
	case FG_SREM: return "XR_SREM"; case FG_UREM: return "XR_UREM";
	case FG_AND: return "XR_AND"; case FG_OR: return "XR_OR"; case FG_XOR: return "XR_XOR";
	case FG_SHL: return "XR_SHL"; case FG_LSHR: return "XR_LSHR"; case FG_ASHR: return "XR_ASHR";
	case FG_EQ: return "XR_EQ"; case FG_NE: return "XR_NE";
	case FG_SLT: return "XR_SLT"; case FG_SLE: return "XR_SLE";
	case FG_SGT: return "XR_SGT"; case FG_SGE: return "XR_SGE";
	case FG_ULT: return "XR_ULT"; case FG_ULE: return "XR_ULE";
	case FG_UGT: return "XR_UGT"; case FG_UGE: return "XR_UGE";
	case FG_FADD: return "XR_FADD"; case FG_FSUB: return "XR_FSUB";
	case FG_FMUL: return "XR_FMUL"; case FG_FDIV: return "XR_FDIV";
	}
	return NULL;
}

/* Into e: the red expression (a TsBox) of a fcmp with predicate p. */
static void redfcmp(char *e, int p, const char *A, const char *B)
{
	static const char *const direct[16] = {
		[1] = "XR_FEQ", [2] = "XR_FGT", [3] = "XR_FGE", [4] = "XR_FLT", [5] = "XR_FLE",
		[14] = "XR_FNE", [10] = "XR_FLE", [11] = "XR_FLT", [12] = "XR_FGE", [13] = "XR_FGT",
	};
	char x[800];

	if (direct[p] && p < 10) {
		sprintf(e, "ts_op2(st, %s, %s, %s)", direct[p], A, B);
		return;
	}
	if (direct[p] && p < 14) { /* unordered: not the ordered inverse */
		sprintf(e, "ts_op2(st, XR_XOR, ts_op2(st, %s, %s, %s), ts_g(X86_I8, 1))", direct[p], A, B);
		return;
	}
	if (direct[p]) {
		sprintf(e, "ts_op2(st, XR_FNE, %s, %s)", A, B);
		return;
	}
	switch (p) {
	case 6: case 9:
		sprintf(x, "ts_op2(st, XR_OR, ts_op2(st, XR_FLT, %s, %s), ts_op2(st, XR_FGT, %s, %s))", A, B, A, B);
		break;
	case 7: case 8:
		sprintf(x, "ts_op2(st, XR_AND, ts_op2(st, XR_FEQ, %s, %s), ts_op2(st, XR_FEQ, %s, %s))", A, A, B, B);
		break;
	default:
		sprintf(e, "ts_g(X86_I8, %d)", p == 15);
		return;
	}
	if (p == 9 || p == 8)
		sprintf(e, "ts_op2(st, XR_XOR, %s, ts_g(X86_I8, 1))", x);
	else
		strcpy(e, x);
}

/* The runtime function for a memory operation: its ts_v* variant when
 * the module has a virtualizable frame (vable.h). */
static const char *vfn(const Gen *gn, const char *name)
{
	static char buf[32];

	if (!gn->vable)
		return name;
	snprintf(buf, sizeof buf, "ts_v%s", name + 3);
	return buf;
}
#define V(name) vfn(gn, name)

/* The effect table (TsEffect, vable.h) of residual call op: what the
 * callee does through its pointer arguments, from the build-time effect
 * analysis.  Returns its number, or -1 for an unknown callee. */
static int calleffect(Gen *gn, const FgFunc *f, const FgOp *op)
{
	Ref fn = f->refs[op->arg];
	const FgFunc *cf;
	HaRange *rg;
	int id, i, n;

	if (REFKIND(fn) != RK_CON || f->cons[REFIDX(fn)].kind != CK_FUNC)
		return -1;
	cf = &gn->m->funcs[f->cons[REFIDX(fn)].sym];
	rg = ha_effects(gn->m, f->cons[REFIDX(fn)].sym);
	n = fg_vlen(rg);
	id = gn->nfx++;
	fprintf(gn->tab, "static const TsRange ts_fx%d_r[] = {", id);
	for (i = 0; i < n; i++) {
		char lo[32], hi[32];
		if (rg[i].lo == INT64_MIN)
			strcpy(lo, "INT64_MIN");
		else
			sprintf(lo, "%lld", (long long)rg[i].lo);
		if (rg[i].hi == INT64_MAX)
			strcpy(hi, "INT64_MAX");
		else
			sprintf(hi, "%lld", (long long)rg[i].hi);
		fprintf(gn->tab, "%s{%u, %d, %s, %s}", i ? ", " : "", rg[i].param, rg[i].what, lo, hi);
	}
	fprintf(gn->tab, "%s};\n", n ? "" : "{0, 0, 0, 0}");
	fprintf(gn->tab, "static const TsEffect ts_fx%d = {\"%s\", \"%s:%u\", %d, ts_fx%d_r};\n", id,
	        cf->name, fg_locfile(gn->m, op->loc), op->loc.line, n, id);
	fg_vfree(rg);
	return id;
}

/* Write op (coloured OC_RED) as runtime calls.  opid: its number. */
static void redop(Gen *gn, const HaSpec *sp, const FgFunc *f, const FgOp *op, uint32_t opid)
{
	FILE *o = gn->o;
	const Ref *a = &f->refs[op->arg];
	int t = op->type, at = op->narg ? fg_reftype(f, a[0]) : TY_VOID;
	const char *XT = x86type[t] ? x86type[t] : "X86_I64";
	const char *XA = at < TY_N && x86type[at] ? x86type[at] : "X86_I64";
	char A[200] = "", B[200] = "", C[200] = "", e[2400], x[1200];
	uint32_t i;

	if (t == TY_F32 || at == TY_F32) {
		fprintf(o, "\treturn ts_fail(st, \"float (f32) operation\");\n");
		return;
	}
	if (op->narg > 0 && op->op != FG_CALL)
		box(gn, sp, f, a[0], A);
	if (op->narg > 1 && op->op != FG_CALL)
		box(gn, sp, f, a[1], B);
	if (op->narg > 2 && op->op != FG_CALL)
		box(gn, sp, f, a[2], C);
	switch (op->op) {
	case FG_SDIV: case FG_UDIV: case FG_SREM: case FG_UREM:
		sprintf(e, "ts_div(st, %s, %s, %s)", xop(op->op), A, B);
		break;
	case FG_ADD: case FG_SUB: case FG_MUL: case FG_SHL: case FG_LSHR: case FG_ASHR:
		sprintf(e, "ts_op2(st, %s, %s, %s)", xop(op->op), A, B);
		if (t == TY_I1) {
			strcpy(x, e);
			sprintf(e, "ts_op2(st, XR_AND, %s, ts_g(X86_I8, 1))", x);
		}
		break;
	case FG_AND: case FG_OR: case FG_XOR: case FG_EQ: case FG_NE: case FG_SLT: case FG_SLE:
	case FG_SGT: case FG_SGE: case FG_ULT: case FG_ULE: case FG_UGT: case FG_UGE:
	case FG_FADD: case FG_FSUB: case FG_FMUL: case FG_FDIV:
		sprintf(e, "ts_op2(st, %s, %s, %s)", xop(op->op), A, B);
		break;
	case FG_FREM:
		sprintf(e, "ts_call(st, X86_F64, ts_g(X86_PTR, (int64_t)(intptr_t)&fmod), 2, (TsBox[]){%s, %s})", A, B);
		break;
	case FG_FNEG: sprintf(e, "ts_op1(st, XR_FNEG, X86_F64, %s)", A); break;
	case FG_FCMP: redfcmp(e, op->imm & 15, A, B); break;
	case FG_ZEXT: case FG_BITCAST:
		if (strcmp(XT, XA) == 0)
			strcpy(e, A);
		else
			sprintf(e, "ts_op1(st, %s, %s, %s)", op->op == FG_ZEXT ? "XR_ZEXT" : "XR_BITCAST", XT, A);
		break;
	case FG_SEXT:
		if (at == TY_I1) {
			if (strcmp(XT, XA) == 0)
				strcpy(x, A);
			else
				sprintf(x, "ts_op1(st, XR_ZEXT, %s, %s)", XT, A);
			sprintf(e, "ts_op2(st, XR_SUB, ts_g(%s, 0), %s)", XT, x);
		} else if (strcmp(XT, XA) == 0) {
			strcpy(e, A);
		} else {
			sprintf(e, "ts_op1(st, XR_SEXT, %s, %s)", XT, A);
		}
		break;
	case FG_TRUNC:
		if (t == TY_I1) {
			if (strcmp(XA, "X86_I8") == 0)
				strcpy(x, A);
			else
				sprintf(x, "ts_op1(st, XR_TRUNC, X86_I8, %s)", A);
			sprintf(e, "ts_op2(st, XR_AND, %s, ts_g(X86_I8, 1))", x);
		} else if (strcmp(XT, XA) == 0) {
			strcpy(e, A);
		} else {
			sprintf(e, "ts_op1(st, XR_TRUNC, %s, %s)", XT, A);
		}
		break;
	case FG_PTRTOINT:
		if (gn->vable) {
			strcpy(x, A);
			sprintf(A, "ts_vesc(st, %s)", x);
		}
		sprintf(e, "ts_op1(st, %s, %s, %s)", t == TY_I64 ? "XR_BITCAST" : "XR_TRUNC", XT, A);
		break;
	case FG_INTTOPTR:
		sprintf(e, "ts_op1(st, %s, X86_PTR, %s)", at == TY_I64 ? "XR_BITCAST" : "XR_ZEXT", A);
		break;
	case FG_FPTOSI: sprintf(e, "ts_op1(st, XR_FTOSI, %s, %s)", XT, A); break;
	case FG_SITOFP:
		if (at == TY_I1) {
			fprintf(o, "\treturn ts_fail(st, \"sitofp of i1\");\n");
			return;
		}
		sprintf(e, "ts_op1(st, XR_SITOF, X86_F64, %s)", A);
		break;
	case FG_SELECT:
		if (gn->vable)
			sprintf(e, "ts_select(st, %s, ts_vesc(st, %s), ts_vesc(st, %s))", A, B, C);
		else
			sprintf(e, "ts_select(st, %s, %s, %s)", A, B, C);
		break;
	case FG_COPY: case FG_HDEEPFREEZE: case FG_HGREEN: case FG_HPROMOTE: strcpy(e, A); break;
	case FG_PTRADD: sprintf(e, "%s(st, %s, %s)", V("ts_ptradd"), A, B); break;
	case FG_ALLOCA:
		if (op->narg) {
			fprintf(o, "\treturn ts_fail(st, \"alloca of a run-time size\");\n");
			return;
		}
		sprintf(e, "ts_alloca(st, %u, %lld, %d, %d)", opid, (long long)op->imm, 1 << op->aux, sp->virt[opid]);
		break;
	case FG_LOAD: sprintf(e, "%s(st, %s, %s)", V("ts_load"), XT, A); break;
	case FG_STORE: fprintf(o, "\t%s(st, %s, %s);\n", V("ts_store"), A, B); return;
	case FG_MEMSET: case FG_MEMCPY: case FG_MEMMOVE:
		if (gn->vable) {
			strcpy(x, A);
			sprintf(A, "ts_vesc(st, %s)", x);
			strcpy(x, B);
			sprintf(B, "ts_vesc(st, %s)", x);
		}
		fprintf(o, "\tts_mem(st, %d, %s, %s, %s);\n",
		        op->op == FG_MEMSET ? 0 : op->op == FG_MEMCPY ? 1 : 2, A, B, C);
		return;
	case FG_CALL:
		if (op->narg - 1 > 16) {
			fprintf(o, "\treturn ts_fail(st, \"too many call arguments\");\n");
			return;
		}
		fprintf(o, "\t{\n\t\tTsBox a_[%u];\n", op->narg);
		for (i = 1; i < op->narg; i++)
			fprintf(o, "\t\ta_[%u] = %s;\n", i - 1, box(gn, sp, f, a[i], A));
		if (op->res)
			fprintf(o, "\t\tr[%u] = ", REFIDX(op->res));
		else
			fprintf(o, "\t\t");
		if (gn->vable) {
			int fx = calleffect(gn, f, op);
			fprintf(o, "ts_vcall(st, %s, %s, %u, a_, ", op->type == TY_VOID ? "X86_VOID" : XT,
			        box(gn, sp, f, a[0], B), op->narg - 1);
			if (fx >= 0)
				fprintf(o, "&ts_fx%d);\n\t}\n", fx);
			else
				fprintf(o, "NULL);\n\t}\n");
			return;
		}
		fprintf(o, "ts_call(st, %s, %s, %u, a_);\n\t}\n", op->type == TY_VOID ? "X86_VOID" : XT,
		        box(gn, sp, f, a[0], B), op->narg - 1);
		return;
	case FG_HVIRTUALIZABLE: case FG_MERGEPOINT:
		return;
	default:
		fprintf(o, "\treturn ts_fail(st, \"unsupported red %s\");\n", fg_opinfo[op->op].name);
		return;
	}
	if (op->res && sp->col[REFIDX(op->res)] == BT_GREEN)
		fprintf(o, "\tg[%u] = (%s).val;\n", REFIDX(op->res), e);
	else if (op->res)
		fprintf(o, "\tr[%u] = %s;\n", REFIDX(op->res), e);
	else
		fprintf(o, "\t(void)%s;\n", e);
}

/* --- control: links, exits, calls, merge points ------------------------------- */

/* Bind link l's arguments to its target's slots (a parallel copy through
 * temporaries) and jump there.  plain: ts_resume (every slot raw in v[]). */
static void bindlink(Gen *gn, const HaSpec *sp, const FgFunc *f, const FgLink *l, int plain, const char *ind)
{
	FILE *o = gn->o;
	const FgBlock *t = &f->blocks[l->target];
	char A[200];
	uint32_t j;

	if (l->narg)
		fprintf(o, "%s{\n", ind);
	for (j = 0; j < l->narg; j++) {
		Ref src = f->refs[l->arg + j];
		uint32_t dv = REFIDX(t->args[j]);
		if (plain)
			fprintf(o, "%s\tint64_t t%u_ = %s;\n", ind, j, raw(gn, f, src, "v", A));
		else if (sp->col[dv] == BT_GREEN)
			fprintf(o, "%s\tint64_t t%u_ = %s;\n", ind, j, raw(gn, f, src, "g", A));
		else
			fprintf(o, "%s\tTsBox t%u_ = %s;\n", ind, j, box(gn, sp, f, src, A));
	}
	for (j = 0; j < l->narg; j++) {
		uint32_t dv = REFIDX(t->args[j]);
		fprintf(o, "%s\t%s[%u] = t%u_;\n", ind, plain ? "v" : sp->col[dv] == BT_GREEN ? "g" : "r", dv, j);
	}
	if (l->narg)
		fprintf(o, "%s}\n", ind);
	fprintf(o, "%s\tgoto b%u;\n", ind, l->target);
}

/* A switch over a green (or promoted) raw value text v. */
static void greenswitch(Gen *gn, const HaSpec *sp, const FgFunc *f, const FgBlock *bl, const char *v, int plain)
{
	FILE *o = gn->o;
	uint32_t i;
	int ct = fg_reftype(f, bl->exit.cond);

	fprintf(o, "\tswitch (%s) {\n", v);
	for (i = 1; i < bl->exit.nlink; i++) {
		const FgLink *l = &f->links[bl->exit.link + i];
		fprintf(o, "\tcase INT64_C(%lld):\n", (long long)fg_normalize(ct, l->value));
		bindlink(gn, sp, f, l, plain, "\t");
	}
	fprintf(o, "\tdefault:\n");
	bindlink(gn, sp, f, &f->links[bl->exit.link], plain, "\t");
	fprintf(o, "\t}\n");
}

/* The HaCall of op i of block b. */
static const HaCall *findcall(const HaSpec *sp, uint32_t b, uint32_t i)
{
	uint32_t k;

	for (k = 0; k < fg_vlen(sp->calls); k++)
		if (sp->calls[k].block == b && sp->calls[k].op == i)
			return &sp->calls[k];
	return NULL;
}

/* An inlined call: push the callee's frame, return TS_CALL, continue at
 * resume point id with its result. */
static void inlinecall(Gen *gn, const HaSpec *sp, const FgFunc *f, const FgOp *op, const HaCall *hc, int id)
{
	FILE *o = gn->o;
	const Ref *a = &f->refs[op->arg];
	char A[200];
	uint32_t k, j, n = fg_vlen(hc->specs);

	fprintf(o, "\tfr->resume = %d;\n\t{\n\t\tTsFrame *cf = NULL;\n\t\tint64_t fv_ = %s;\n\t\t(void)fv_;\n",
	        id, raw(gn, f, a[0], "g", A));
	for (k = 0; k < n; k++) {
		const HaSpec *cs = &gn->r->specs[hc->specs[k]];
		const FgFunc *cf = &gn->m->funcs[cs->func];
		gn->fused[cs->func] = 1;
		if (n > 1)
			fprintf(o, "\t\t%sif (fv_ == (int64_t)(intptr_t)ts_f%u) {\n", k ? "else " : "", cs->func);
		else
			fprintf(o, "\t\t{\n");
		fprintf(o, "\t\t\tif (!(cf = ts_push(st, &ts_spec[%d], -1)))\n\t\t\t\treturn TS_FAIL;\n",
		        hc->specs[k]);
		for (j = 0; j < fg_vlen(cf->params) && j + 1 < op->narg; j++) {
			uint32_t slot = REFIDX(cf->blocks[0].args[j]);
			if (cs->key[j] == BT_GREEN)
				fprintf(o, "\t\t\tcf->g[%u] = %s;\n", slot, raw(gn, f, a[j + 1], "g", A));
			else
				fprintf(o, "\t\t\tcf->r[%u] = %s;\n", slot, box(gn, sp, f, a[j + 1], A));
		}
		fprintf(o, "\t\t}\n");
	}
	if (n > 1)
		fprintf(o, "\t\telse\n\t\t\treturn ts_fail(st, \"unexpected callee\");\n");
	fprintf(o, "\t}\n\treturn TS_CALL;\nc%d:\n", id);
	if (op->res && sp->col[REFIDX(op->res)] == BT_GREEN)
		fprintf(o, "\tg[%u] = ts_result(st).val;\n", REFIDX(op->res));
	else if (op->res)
		fprintf(o, "\tr[%u] = ts_result(st);\n", REFIDX(op->res));
	else
		fprintf(o, "\t(void)ts_result(st);\n");
}

static int originalof(const HaResult *r, int si);
static int samecolours(const HaSpec *o, const HaSpec *g, const Live *lv, uint32_t b);

/* Whether block b of spec si holds the global merge point: the portal's
 * (spec 0), or the same block of a generic variant of spec 0 where the
 * live values have spec 0's colours (it may leave to ts_resume). */
static int globalmp(Gen *gn, int si, const Live *lv, uint32_t b)
{
	const HaSpec *sp = &gn->r->specs[si];

	if (gn->r->mpfunc != (int32_t)sp->func || b != gn->r->mpblock)
		return 0;
	return si == 0 || (originalof(gn->r, si) == 0 && samecolours(&gn->r->specs[0], sp, lv, b));
}

/* A merge point table for block b of spec si; returns its number. */
static int mergetable(Gen *gn, int si, const Live *lv, uint32_t b)
{
	const HaSpec *sp = &gn->r->specs[si];
	const FgFunc *f = lv->f;
	const FgBlock *bl = &f->blocks[b];
	uint64_t *s = calloc(lv->nw, 8);
	int id = gn->nmerge++, ng = 0, nr = 0, c;
	uint32_t v, i;

	memcpy(s, &lv->in[b * lv->nw], lv->nw * 8);
	for (i = 0; i < fg_vlen(bl->args); i++)
		setbit(s, REFIDX(bl->args[i]));
	for (c = BT_GREEN; c >= BT_RED; c--) {
		int *n = c == BT_GREEN ? &ng : &nr;
		fprintf(gn->tab, "static const int ts_mp%d_%c[] = {", id, c == BT_GREEN ? 'g' : 'r');
		for (v = 0; v < lv->nv; v++)
			if (hasbit(s, v) && sp->col[v] == c)
				fprintf(gn->tab, "%s%u", (*n)++ ? ", " : "", v);
		fprintf(gn->tab, "%s};\n", *n ? "" : "-1");
	}
	fprintf(gn->tab, "static const TsMerge ts_mp%d = {%d, %d, %d, ts_mp%d_g, {%d, ts_mp%d_r}, \"%s:%u\", %d};\n",
	        id, id, globalmp(gn, si, lv, b), ng, id, nr, id, fg_locfile(gn->m, bl->exit.loc), bl->exit.loc.line,
	        sp->merge[b] == HM_JOIN);
	free(s);
	return id;
}

/* A source comment when the line changes. */
static void srcline(Gen *gn, FgLoc loc, FgLoc *last)
{
	const char *file, *base;

	if (!loc.line || (loc.line == last->line && loc.file == last->file))
		return;
	*last = loc;
	file = fg_locfile(gn->m, loc);
	base = strrchr(file, '/');
	fprintf(gn->o, "\t/* %s:%u */\n", base ? base + 1 : file, loc.line);
}

/* Whether block b only returns (the shared return block of a function
 * with several returns). */
static int retblock(const FgFunc *f, uint32_t b)
{
	return fg_vlen(f->blocks[b].ops) == 0 && f->blocks[b].exit.kind == EX_RETURN;
}

/* Whether block t is a cold side of a branch whose other side is u: it
 * makes a residual call and then ends, returns or joins u (`if (bad)
 * fail();`, `if (bad) return fail();`). */
static int cold(Gen *gn, const HaSpec *sp, const FgFunc *f, uint32_t t, uint32_t u)
{
	const FgBlock *bl = &f->blocks[t];
	uint32_t i;
	int call = 0;

	for (i = 0; i < fg_vlen(bl->ops); i++)
		if (bl->ops[i].op == FG_CALL && sp->opcol[sp->opbase[t] + i] == OC_RED)
			call = 1;
	if (!call)
		return 0;
	if (bl->exit.kind == EX_UNREACHABLE || bl->exit.kind == EX_RETURN)
		return 1;
	return bl->exit.kind == EX_GOTO && (f->links[bl->exit.link].target == u ||
	                                    retblock(f, f->links[bl->exit.link].target));
}

/* The exit of block b of a specialisation. */
static void specexit(Gen *gn, int si, const Live *lv, uint32_t b, int *nres, FILE *cases)
{
	const HaSpec *sp = &gn->r->specs[si];
	const FgFunc *f = lv->f;
	const FgBlock *bl = &f->blocks[b];
	FILE *o = gn->o;
	uint64_t *s;
	char A[200];
	int id, lid;

	switch (bl->exit.kind) {
	case EX_GOTO:
		bindlink(gn, sp, f, &f->links[bl->exit.link], 0, "");
		return;
	case EX_RETURN:
		if (bl->exit.cond)
			fprintf(o, "\treturn %s(st, fr, %s);\n", V("ts_return"), box(gn, sp, f, bl->exit.cond, A));
		else
			fprintf(o, "\treturn %s(st, fr, ts_g(X86_I64, 0));\n", V("ts_return"));
		return;
	case EX_BRANCH:
	case EX_SWITCH:
		break;
	default:
		fprintf(o, "\treturn ts_unreachable(st);\n");
		return;
	}
	if (sp->exit[b] != HX_SPLIT) {
		if (bl->exit.kind == EX_BRANCH) {
			fprintf(o, "\tif (%s) {\n", raw(gn, f, bl->exit.cond, "g", A));
			bindlink(gn, sp, f, &f->links[bl->exit.link], 0, "\t");
			fprintf(o, "\t} else {\n");
			bindlink(gn, sp, f, &f->links[bl->exit.link + 1], 0, "\t");
			fprintf(o, "\t}\n");
		} else {
			greenswitch(gn, sp, f, bl, raw(gn, f, bl->exit.cond, "g", A), 0);
		}
		return;
	}
	/* live at the exit: what the links need (the decided condition not) */
	s = calloc(lv->nw, 8);
	memcpy(s, &lv->out[b * lv->nw], lv->nw * 8);
	{
		uint32_t i, j;
		for (i = 0; i < bl->exit.nlink; i++) {
			const FgLink *l = &f->links[bl->exit.link + i];
			for (j = 0; j < l->narg; j++)
				use(s, f->refs[l->arg + j]);
		}
	}
	lid = livetable(gn, sp, lv, s);
	free(s);
	id = (*nres)++;
	fprintf(cases, "\tcase %d: goto x%u;\n", id, b);
	fprintf(o, "\tfr->resume = %d;\nx%u:\n", id, b);
	if (bl->exit.kind == EX_BRANCH) {
		fprintf(o, "\tif (ts_split(st, fr, %s, &ts_lv%d, %d)) {\n", box(gn, sp, f, bl->exit.cond, A), lid,
		        !cold(gn, sp, f, f->links[bl->exit.link].target, f->links[bl->exit.link + 1].target));
		bindlink(gn, sp, f, &f->links[bl->exit.link], 0, "\t");
		fprintf(o, "\t} else {\n");
		bindlink(gn, sp, f, &f->links[bl->exit.link + 1], 0, "\t");
		fprintf(o, "\t}\n");
	} else {
		fprintf(o, "\tif (ts_promote(st, fr, %s, &ts_lv%d, &sw_))\n\t\treturn TS_STOP;\n",
		        box(gn, sp, f, bl->exit.cond, A), lid);
		greenswitch(gn, sp, f, bl, "sw_", 0);
	}
}

/* Whether call op calls the portal itself (a guest call of the guest
 * language): its frame may be inlined at compile time (ts_inline).  Not
 * in a module with a virtualizable frame (its frames are the vable's). */
static int guestcall(Gen *gn, const FgFunc *f, const FgOp *op)
{
	Ref fn = f->refs[op->arg];

	return op->op == FG_CALL && !gn->vable && REFKIND(fn) == RK_CON &&
	       f->cons[REFIDX(fn)].kind == CK_FUNC &&
	       f->cons[REFIDX(fn)].sym == gn->r->specs[0].func;
}

/* A guest call: inlined when ts_inline pushes the portal's frame (then
 * resume point id takes its result), else emitted as a residual call. */
static void guestinline(Gen *gn, const HaSpec *sp, const FgFunc *f, const FgOp *op, uint32_t opid, int id)
{
	FILE *o = gn->o;
	const Ref *a = &f->refs[op->arg];
	char A[200];
	uint32_t i;

	fprintf(o, "\tfr->resume = %d;\n\t{\n\t\tTsBox a_[%u];\n", id, op->narg);
	for (i = 1; i < op->narg; i++)
		fprintf(o, "\t\ta_[%u] = %s;\n", i - 1, box(gn, sp, f, a[i], A));
	fprintf(o, "\t\tif (ts_inline(st, %u, a_))\n\t\t\treturn TS_CALL;\n\t}\n", op->narg - 1);
	redop(gn, sp, f, op, opid);
	fprintf(o, "\tgoto j%d;\nc%d:\n", id, id);
	if (op->res)
		fprintf(o, "\tr[%u] = ts_result(st);\n", REFIDX(op->res));
	else
		fprintf(o, "\t(void)ts_result(st);\n");
	fprintf(o, "j%d: __attribute__((unused));\n", id);
}

/* One operation of a specialisation. */
/* The TsGeneric of promotion op k of spec sp (live: the values live
 * before it); returns its number. */
static int generictable(Gen *gn, const HaSpec *sp, const Live *lv, const uint64_t *live, uint32_t k)
{
	const HaSpec *g = &gn->r->specs[sp->gvar[k]];
	int id = gn->ngen++, n = 0;
	uint32_t v;
	const char *xt;

	fprintf(gn->tab, "static const int ts_gp%d_s[] = {", id);
	for (v = 0; v < lv->nv; v++)
		if (hasbit(live, v) && sp->col[v] == BT_GREEN && g->col[v] == BT_RED)
			fprintf(gn->tab, "%s%u", n++ ? ", " : "", v);
	fprintf(gn->tab, "%s};\nstatic const uint8_t ts_gp%d_t[] = {", n ? "" : "-1", id);
	n = 0;
	for (v = 0; v < lv->nv; v++)
		if (hasbit(live, v) && sp->col[v] == BT_GREEN && g->col[v] == BT_RED) {
			xt = x86type[lv->f->vals[v].type];
			fprintf(gn->tab, "%s%s", n++ ? ", " : "", xt ? xt : "X86_I64");
		}
	fprintf(gn->tab, "%s};\nstatic const TsGeneric ts_gp%d = {&ts_spec[%d], %d, %d, ts_gp%d_s, ts_gp%d_t};\n",
	        n ? "" : "0", id, sp->gvar[k], RES_GPROMOTE + (int)k, n, id, id);
	return id;
}

/* The spec whose generic variant spec si is, or -1. */
static int originalof(const HaResult *r, int si)
{
	uint32_t i, k;

	if (r->specs[si].redop < 0)
		return -1;
	for (i = 0; i < fg_vlen(r->specs); i++)
		for (k = 0; k < fg_vlen(r->specs[i].gvar); k++)
			if (r->specs[i].gvar[k] == si)
				return (int)i;
	return -1;
}

/* Whether every value live at the start of block b has the same colour in
 * specs o and g (a generic variant's global merge point is one where it
 * may leave to ts_resume, whose layout is the original's). */
static int samecolours(const HaSpec *o, const HaSpec *g, const Live *lv, uint32_t b)
{
	const FgBlock *bl = &lv->f->blocks[b];
	uint32_t v, i;

	for (v = 0; v < lv->nv; v++)
		if (hasbit(&lv->in[b * lv->nw], v) && o->col[v] != g->col[v])
			return 0;
	for (i = 0; i < fg_vlen(bl->args); i++)
		if (o->col[REFIDX(bl->args[i])] != g->col[REFIDX(bl->args[i])])
			return 0;
	return 1;
}

static void specop(Gen *gn, int si, const Live *lv, uint32_t b, uint32_t i, int *nres, FILE *cases)
{
	const HaSpec *sp = &gn->r->specs[si];
	const FgFunc *f = lv->f;
	const FgOp *op = &f->blocks[b].ops[i];
	uint32_t opid = sp->opbase[b] + i;
	FILE *o = gn->o;
	char e[2400], A[200];
	uint64_t *s;
	int id, lid;

	switch (sp->opcol[opid]) {
	case OC_GREEN:
		if (op->op == FG_CALL ? callexpr(gn, f, op, "g", e) : pureexpr(gn, f, op, "g", e)) {
			if (op->op == FG_CALL)
				setraw(o, "g", op->res, op->type, e);
			else if (op->res)
				fprintf(o, "\tg[%u] = %s;\n", REFIDX(op->res), e);
		} else {
			fprintf(o, "\treturn ts_fail(st, \"unsupported green %s\");\n", fg_opinfo[op->op].name);
		}
		return;
	case OC_RED:
		if (guestcall(gn, f, op)) {
			id = (*nres)++;
			fprintf(cases, "\tcase %d: goto c%d;\n", id, id);
			guestinline(gn, sp, f, op, opid, id);
			return;
		}
		redop(gn, sp, f, op, opid);
		return;
	case OC_INLINE: {
		const HaCall *hc = findcall(sp, b, i);
		if (!hc || !fg_vlen(hc->specs)) {
			redop(gn, sp, f, op, opid);
			return;
		}
		id = (*nres)++;
		fprintf(cases, "\tcase %d: goto c%d;\n", id, id);
		inlinecall(gn, sp, f, op, hc, id);
		return;
	}
	case OC_PROMOTE:
		s = calloc(lv->nw, 8);
		livebefore(lv, b, i, s);
		lid = livetable(gn, sp, lv, s);
		free(s);
		id = (*nres)++;
		fprintf(cases, "\tcase %d: goto p%d;\n", id, id);
		fprintf(o, "\tfr->resume = %d;\np%d:\n", id, id);
		if (sp->gvar[opid] >= 0) {
			s = calloc(lv->nw, 8);
			livebefore(lv, b, i, s);
			fprintf(o, "\tif (ts_gpromote(st, fr, %s, &ts_lv%d, &ts_gp%d, &g[%u]))\n\t\treturn TS_STOP;\n",
			        box(gn, sp, f, f->refs[op->arg], A), lid, generictable(gn, sp, lv, s, opid),
			        REFIDX(op->res));
			free(s);
			return;
		}
		fprintf(o, "\tif (ts_promote(st, fr, %s, &ts_lv%d, &g[%u]))\n\t\treturn TS_STOP;\n",
		        box(gn, sp, f, f->refs[op->arg], A), lid, REFIDX(op->res));
		return;
	default: /* other hints: only their value */
		if (op->op == FG_HVIRTUALIZABLE && REFKIND(f->refs[op->arg]) == RK_VAL &&
		    sp->col[REFIDX(f->refs[op->arg])] == BT_RED)
			fprintf(o, "\tr[%u] = ts_vable(st, r[%u]);\n", REFIDX(f->refs[op->arg]), REFIDX(f->refs[op->arg]));
		if (op->res && op->narg) {
			if (sp->col[REFIDX(op->res)] == BT_GREEN)
				fprintf(o, "\tg[%u] = %s;\n", REFIDX(op->res), raw(gn, f, f->refs[op->arg], "g", A));
			else
				fprintf(o, "\tr[%u] = %s;\n", REFIDX(op->res), box(gn, sp, f, f->refs[op->arg], A));
		}
		return;
	}
}

/* The function of specialisation si. */
static void genspec(Gen *gn, int si)
{
	const HaSpec *sp = &gn->r->specs[si];
	const FgFunc *f = &gn->m->funcs[sp->func];
	FILE *body = gn->o, *cases;
	char *cbuf = NULL;
	size_t clen = 0;
	uint32_t b, i, nb = fg_vlen(f->blocks);
	int nres = 0;
	Live lv;
	FgLoc last = {0, 0};

	liveness(&lv, f);
	keepframe(&lv, sp);
	cases = open_memstream(&cbuf, &clen);
	fprintf(body, "/* %s: key", sp->name);
	for (i = 0; i < fg_vlen(sp->key); i++)
		fprintf(body, " %c", sp->key[i] == BT_GREEN ? 'G' : 'R');
	fprintf(body, " -> %c */\nstatic int ts_s%d(TsState *st, TsFrame *fr)\n{\n", sp->retcol == BT_GREEN ? 'G' : 'R', si);
	fprintf(body, "\tint64_t *g = fr->g;\n\tTsBox *r = fr->r;\n\tint64_t sw_ = 0;\n\n");
	fprintf(body, "\t(void)g;\n\t(void)r;\n\t(void)sw_;\n\tswitch (fr->resume) {\n");
	/* the body goes to a buffer first: resume points are found on the way */
	{
		char *bbuf = NULL;
		size_t blen = 0;
		FILE *bo = open_memstream(&bbuf, &blen);
		gn->o = bo;
		for (b = 0; b < nb; b++) {
			const FgBlock *bl = &f->blocks[b];
			fprintf(cases, "\tcase %d: goto b%u;\n", nres++, b);
			fprintf(bo, "b%u: /* %s */\n\tif (ts_tick(st))\n\t\treturn TS_FAIL;\n", b, bl->name ? bl->name : "");
			if (sp->merge[b] & (HM_GLOBAL | HM_LOOP | HM_JOIN))
				fprintf(bo, "\tif (%s(st, fr, &ts_mp%d))\n\t\treturn TS_STOP;\n",
				        gn->vable ? "ts_vmerge" : "ts_merge", mergetable(gn, si, &lv, b));
			for (i = 0; i < fg_vlen(bl->ops); i++) {
				srcline(gn, bl->ops[i].loc, &last);
				if (sp->redop == (int32_t)(sp->opbase[b] + i)) { /* entered from ts_gpromote */
					fprintf(cases, "\tcase %d: goto q%d;\n", RES_GPROMOTE + sp->redop, sp->redop);
					fprintf(bo, "q%d:\n", sp->redop);
				}
				specop(gn, si, &lv, b, i, &nres, cases);
			}
			srcline(gn, bl->exit.loc, &last);
			specexit(gn, si, &lv, b, &nres, cases);
		}
		fclose(bo);
		fclose(cases);
		gn->o = body;
		fputs(cbuf, body);
		fprintf(body, "\t}\n\treturn ts_fail(st, \"bad resume point\");\n");
		fputs(bbuf, body);
		free(bbuf);
	}
	fprintf(body, "}\n\n");
	free(cbuf);
	free(lv.in);
	free(lv.out);
}

/* --- ts_resume_NAME: the portal in plain C, entered at its merge point ---- */

static void genresume(Gen *gn, int mpid)
{
	const HaResult *r = gn->r;
	const FgFunc *f = &gn->m->funcs[r->portal];
	FILE *o = gn->o;
	uint32_t b, i, opid, nb = fg_vlen(f->blocks);
	char A[200];
	Live lv;
	uint64_t *s;
	uint32_t v;
	int k = 0, c;

	liveness(&lv, f);
	keepframe(&lv, &r->specs[0]);
	fprintf(o, "/* %s in plain C, entered at its global merge point with the live\n"
	        " * values of a state leaving JIT code (docs/timeshift.md §5). */\n", f->name);
	fprintf(o, "static int64_t ts_resume(const TsLeave *lv)\n{\n\tint64_t v[%u];\n", lv.nv + 1);
	for (b = 0, opid = 0; b < nb; b++)
		for (i = 0; i < fg_vlen(f->blocks[b].ops); i++, opid++)
			if (f->blocks[b].ops[i].op == FG_ALLOCA && !f->blocks[b].ops[i].narg)
				fprintf(o, "\tunsigned char ts_a%u[%lld] __attribute__((aligned(16)));\n", opid,
				        (long long)(f->blocks[b].ops[i].imm ? f->blocks[b].ops[i].imm : 1));
	fprintf(o, "\n\tmemset(v, 0, sizeof v);\n");
	for (b = 0, opid = 0; b < nb; b++)
		for (i = 0; i < fg_vlen(f->blocks[b].ops); i++, opid++) {
			const FgOp *op = &f->blocks[b].ops[i];
			if (op->op == FG_ALLOCA && !op->narg)
				fprintf(o, "\tv[%u] = (int64_t)(intptr_t)ts_a%u;\n\tts_leave_place(lv, %u, ts_a%u, %lld);\n",
				        REFIDX(op->res), opid, opid, opid, (long long)op->imm);
		}
	s = calloc(lv.nw, 8);
	memcpy(s, &lv.in[r->mpblock * lv.nw], lv.nw * 8);
	for (i = 0; i < fg_vlen(f->blocks[r->mpblock].args); i++)
		setbit(s, REFIDX(f->blocks[r->mpblock].args[i]));
	for (c = BT_GREEN; c >= BT_RED; c--)
		for (v = 0; v < lv.nv; v++)
			if (hasbit(s, v) && r->specs[0].col[v] == c)
				fprintf(o, "\tv[%u] = ts_leave_get(lv, %d);\n", v, k++);
	free(s);
	fprintf(o, "\tgoto b%u; /* merge point %d */\n", r->mpblock, mpid);
	for (b = 0, opid = 0; b < nb; b++) {
		const FgBlock *bl = &f->blocks[b];
		fprintf(o, "b%u: __attribute__((unused));\n", b);
		for (i = 0; i < fg_vlen(bl->ops); i++, opid++)
			if (!plainop(gn, f, &bl->ops[i], opid))
				fprintf(o, "\tabort(); /* unsupported: %s */\n", fg_opinfo[bl->ops[i].op].name);
		switch (bl->exit.kind) {
		case EX_GOTO:
			bindlink(gn, NULL, f, &f->links[bl->exit.link], 1, "");
			break;
		case EX_BRANCH:
			fprintf(o, "\tif (%s) {\n", raw(gn, f, bl->exit.cond, "v", A));
			bindlink(gn, NULL, f, &f->links[bl->exit.link], 1, "\t");
			fprintf(o, "\t} else {\n");
			bindlink(gn, NULL, f, &f->links[bl->exit.link + 1], 1, "\t");
			fprintf(o, "\t}\n");
			break;
		case EX_SWITCH:
			greenswitch(gn, NULL, f, bl, raw(gn, f, bl->exit.cond, "v", A), 1);
			break;
		case EX_RETURN:
			fprintf(o, "\treturn %s;\n", bl->exit.cond ? raw(gn, f, bl->exit.cond, "v", A) : "0");
			break;
		default:
			fprintf(o, "\treturn 0; /* unreachable */\n");
		}
	}
	fprintf(o, "}\n\n");
	free(lv.in);
	free(lv.out);
}

/* --- the JIT entry and the tables ------------------------------------------- */

/* A C declaration type (for the entry's signature). */
static const char *decltype(int t)
{
	return t == TY_PTR ? "void *" : ctype[t];
}

static void genentry(Gen *gn, int mpid, int hasresume)
{
	const HaResult *r = gn->r;
	const HaSpec *sp = &r->specs[0];
	const FgFunc *f = &gn->m->funcs[r->portal];
	FILE *o = gn->o;
	uint32_t i, n = fg_vlen(f->params);

	fprintf(o, "static const uint8_t ts_ptype[] = {");
	for (i = 0; i < n; i++)
		fprintf(o, "%s%s", i ? ", " : "", x86type[f->params[i]] ? x86type[f->params[i]] : "X86_VOID");
	fprintf(o, "%s};\nstatic const uint8_t ts_pgreen[] = {", n ? "" : "0");
	for (i = 0; i < n; i++)
		fprintf(o, "%s%d", i ? ", " : "", sp->key[i] == BT_GREEN);
	fprintf(o, "%s};\nstatic const int ts_pslot[] = {", n ? "" : "0");
	for (i = 0; i < n; i++)
		fprintf(o, "%s%u", i ? ", " : "", REFIDX(f->blocks[0].args[i]));
	fprintf(o, "%s};\n", n ? "" : "0");
	/* the JIT entry's prototype: ts_portal.entry names it (direct calls) */
	fprintf(o, "%s %s(", decltype(f->ret), f->name);
	for (i = 0; i < n; i++)
		fprintf(o, "%s%s", i ? ", " : "", decltype(f->params[i]));
	fprintf(o, "%s);\n", n ? "" : "void");
	fprintf(o, "static const TsPortal ts_portal = {\n\t.name = \"%s\",\n\t.spec = &ts_spec[0],\n"
	        "\t.nparam = %u,\n\t.ptype = ts_ptype,\n\t.pgreen = ts_pgreen,\n\t.ret = %s,\n"
	        "\t.pslot = ts_pslot,\n\t.resume = %s,\n\t.entry = (void (*)(void))%s,\n",
	        f->name, n, f->ret == TY_VOID ? "X86_VOID" : x86type[f->ret],
	        hasresume ? "ts_resume" : "NULL", f->name);
	if (mpid >= 0)
		fprintf(o, "\t.mp = &ts_mp%d,\n};\n\n", mpid);
	else
		fprintf(o, "\t.mp = NULL,\n};\n\n");
	/* the plain portal, renamed by the build */
	fprintf(o, "extern %s ts_plain_", decltype(f->ret));
	ident(o, f->name);
	fprintf(o, "(");
	for (i = 0; i < n; i++)
		fprintf(o, "%s%s", i ? ", " : "", decltype(f->params[i]));
	fprintf(o, "%s);\n\n/* The JIT entry: the portal's own name and signature. */\n%s %s(",
	        n ? "" : "void", decltype(f->ret), f->name);
	for (i = 0; i < n; i++)
		fprintf(o, "%s%s p%u", i ? ", " : "", decltype(f->params[i]), i);
	fprintf(o, "%s)\n{\n\tint64_t a_[%u];\n\tint64_t res_ = 0;\n\n", n ? "" : "void", n + 1);
	for (i = 0; i < n; i++)
		fprintf(o, f->params[i] == TY_F64 ? "\ta_[%u] = ts_f2r(p%u);\n" : "\ta_[%u] = (int64_t)(intptr_t)p%u;\n", i, i);
	fprintf(o, "\ta_[%u] = 0;\n\tif (ts_enter(&ts_portal, a_, &res_) == 0)\n", n);
	switch (f->ret) {
	case TY_VOID: fprintf(o, "\t\treturn;\n"); break;
	case TY_F64: fprintf(o, "\t\treturn ts_r2f(res_);\n"); break;
	case TY_PTR: fprintf(o, "\t\treturn (void *)(intptr_t)res_;\n"); break;
	default: fprintf(o, "\t\treturn (%s)res_;\n", ctype[f->ret]);
	}
	fprintf(o, "\t%sts_plain_", f->ret == TY_VOID ? "" : "return ");
	ident(o, f->name);
	fprintf(o, "(");
	for (i = 0; i < n; i++)
		fprintf(o, "%sp%u", i ? ", " : "", i);
	fprintf(o, ");\n}\n");
}

/* The symbol of a module function or global in the built executable. */
static void symname(FILE *o, const char *name, int isstatic)
{
	if (isstatic) {
		fputs("ts_static_", o);
		ident(o, name);
	} else {
		fputs(name, o);
	}
}

/* Declarations of the module symbols the extension uses: through asm
 * labels, so they cannot clash with the C library's prototypes.  Private
 * constant data (string literals) is copied. */
static void gendecls(Gen *gn, FILE *o)
{
	const FgModule *m = gn->m;
	uint32_t i;
	uint64_t k;

	for (i = 0; i < fg_vlen(m->funcs); i++)
		if (gn->fused[i]) {
			fprintf(o, "extern char ts_f%u[] __asm__(\"", i);
			symname(o, m->funcs[i].name, (m->funcs[i].flags & FN_STATIC) && i != gn->r->portal);
			fprintf(o, "\");\n");
		}
	for (i = 0; i < fg_vlen(m->globals); i++) {
		const FgGlobal *gl = &m->globals[i];
		if (!gn->gused[i])
			continue;
		if ((gl->flags & GL_STATIC) && (gl->flags & GL_CONST) && gl->init && !fg_vlen(gl->relocs)) {
			fprintf(o, "static const unsigned char ts_g%u[%llu] __attribute__((aligned(%u))) = {",
			        i, (unsigned long long)(gl->size ? gl->size : 1), gl->align ? gl->align : 1);
			for (k = 0; k < gl->size; k++)
				fprintf(o, "%s%u", k % 16 ? ", " : k ? ",\n\t" : "\n\t", gl->init[k]);
			fprintf(o, "%s};\n", gl->size ? "\n" : "0");
		} else {
			fprintf(o, "extern char ts_g%u[] __asm__(\"", i);
			symname(o, gl->name, (gl->flags & GL_STATIC) != 0);
			fprintf(o, "\");\n");
		}
	}
}

int ts_gen(FILE *out, const FgModule *m, const HaResult *r)
{
	Gen gn;
	char *body = NULL, *tab = NULL;
	size_t blen = 0, tlen = 0;
	uint32_t i, ns = fg_vlen(r->specs);
	int mpid = -1, hasresume;
	const FgFunc *pf = &m->funcs[r->portal];

	memset(&gn, 0, sizeof gn);
	gn.m = m;
	gn.r = r;
	gn.fused = calloc(fg_vlen(m->funcs) + 1, 1);
	gn.gused = calloc(fg_vlen(m->globals) + 1, 1);
	gn.o = open_memstream(&body, &blen);
	gn.tab = open_memstream(&tab, &tlen);
	for (i = 0; i < ns; i++)
		if (r->specs[i].vframe != REF_NONE)
			gn.vable = 1;
	for (i = 0; i < ns; i++)
		genspec(&gn, i);
	/* the global merge point's table (made by genspec of spec 0) */
	hasresume = r->mpfunc == (int32_t)r->portal;
	if (hasresume) {
		Live lv;
		liveness(&lv, pf);
		keepframe(&lv, &r->specs[0]);
		mpid = mergetable(&gn, 0, &lv, r->mpblock);
		free(lv.in);
		free(lv.out);
		genresume(&gn, mpid);
	}
	fclose(gn.tab);
	{
		FILE *bo = gn.o;
		gn.o = bo;
		genentry(&gn, mpid, hasresume);
		fclose(bo);
	}
	fprintf(out, "/* Generated by tsgen gen (timeshift/gen.c): the generating extension of\n"
	        " * %s with portal %s.  Do not edit.\n *\n"
	        " * One function per coloured specialisation: green operations are plain C\n"
	        " * on raw slots g[], red ones call the runtime (timeshift/rt/tsrt.h) on\n"
	        " * boxes r[].  Compile with -I timeshift/rt -I codegen/x86. */\n",
	        fg_locfile(m, pf->loc), pf->name);
	fprintf(out, "#include <math.h>\n#include <stdint.h>\n#include <stdlib.h>\n#include <string.h>\n"
	        "#include \"tsrt.h\"\n%s\n", gn.vable ? "#include \"vable.h\"\n" : "");
	gendecls(&gn, out);
	fprintf(out, "\n");
	for (i = 0; i < ns; i++)
		fprintf(out, "static int ts_s%u(TsState *st, TsFrame *fr);\n", i);
	fprintf(out, "\nstatic const TsSpec ts_spec[%u] = {\n", ns);
	for (i = 0; i < ns; i++)
		fprintf(out, "\t{\"%s\", ts_s%u, %u},\n", r->specs[i].name, i,
		        (unsigned)fg_vlen(m->funcs[r->specs[i].func].vals) + 1);
	fprintf(out, "};\n\n%s\n%s", tab, body);
	free(body);
	free(tab);
	free(gn.fused);
	free(gn.gused);
	return ferror(out) ? -1 : 0;
}
