/* import.c: C, LLVM IR or bitcode -> flow-graph IR, through clang and LLVM-C.
 * (Constants, globals and signatures: importconst.c.)
 *
 * The pipeline (DESIGN.md 4.2):
 *   1. each .c file is compiled by clang-14 (a subprocess, bitcode read from
 *      its stdout: no temporary file); .ll and .bc files are read directly,
 *      after a probe in a forked child, since LLVM's readers are not
 *      hardened against malformed input and may crash;
 *   2. all modules are linked into one; optnone/noinline are stripped and
 *      `sroa,early-cse` runs in process;
 *   3. globals become byte images with relocations, functions become graphs.
 *
 * Conversion of a function.  Every LLVM basic block becomes the block of
 * the same position (so a blockaddress is the tag 1 + position); its phis
 * become the block's arguments, and each exit passes, per successor, the
 * phis' incoming values for that edge.  Blocks are converted in reverse
 * post-order, so a value is always converted before its uses (a definition
 * dominates its uses, and a dominator precedes in every RPO).  Blocks that
 * are unreachable from the entry are left empty with an unreachable exit.
 *
 * Never rely on pointee types (LLVM 15+ has none): sizes come from the GEP
 * source type, the allocated type, the load's type, the stored value's type
 * and the called function type, and offsets from the data layout.
 *
 * Mapping decisions:
 *   getelementptr   ptradd of the folded constant offset, plus one mul +
 *                   ptradd per variable index (sign-extended to i64)
 *   bitcast         ptr -> ptr is the operand itself; int <-> float is BITCAST
 *   blockaddress    the i64 tag 1 + position of the block in its function
 *                   (also in global images); indirectbr is a SWITCH on
 *                   ptrtoint of the address over its destinations' tags,
 *                   whose default is an added block with an unreachable exit
 *   with.overflow   no op of its own: extractvalue 0 emits the arithmetic,
 *                   extractvalue 1 the FG_*O test, on the call's operands
 *   intrinsics      memcpy/memmove/memset -> ops; dbg, lifetime, assume,
 *                   noalias.scope.decl, var.annotation -> dropped; expect ->
 *                   its operand; fmuladd -> fmul + fadd; fabs, floor, sqrt,
 *                   ... -> calls of the libm functions; ctpop, ctlz, cttz,
 *                   bswap -> expanded into shifts, masks and a multiply;
 *                   stacksave -> null and stackrestore dropped (VLA space
 *                   lives until the function returns); trap -> abort()
 *   byval argument  the caller passes a fresh alloca holding a memcpy copy
 *   hint markers    ts_hint_* and ts_merge_point calls -> the hint ops (the
 *                   merge point's argument count is dropped)
 * Anything else (vectors, aggregates in registers, x86_fp80, atomics,
 * va_start, inline asm, ...) is a `file:line: error: unsupported ...`.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <llvm-c/Analysis.h>
#include <llvm-c/Core.h>
#include <llvm-c/IRReader.h>
#include <llvm-c/Linker.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include "importint.h"

extern char **environ;

#define CLANG "clang-14"
#define HOST_LAYOUT "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
#define HOST_TRIPLE "x86_64-pc-linux-gnu"

/* ---- small helpers ---------------------------------------------------- */

static const char *endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0 ? s + n - k : NULL;
}

static const char *valname(Imp *c, LLVMValueRef v)
{
	size_t len;
	const char *s = LLVMGetValueName2(v, &len);

	return s && *s ? fg_strdup(c->m->arena, s) : NULL;
}

/* LLVM opcode names (LLVM-C has no such function). */
static const struct {
	LLVMOpcode op;    /* LLVM opcode */
	const char *name; /* its textual name */
} opnames[] = {
	{LLVMRet, "ret"}, {LLVMBr, "br"}, {LLVMSwitch, "switch"}, {LLVMIndirectBr, "indirectbr"},
	{LLVMInvoke, "invoke"}, {LLVMUnreachable, "unreachable"}, {LLVMCallBr, "callbr"},
	{LLVMFNeg, "fneg"}, {LLVMAdd, "add"}, {LLVMFAdd, "fadd"}, {LLVMSub, "sub"},
	{LLVMFSub, "fsub"}, {LLVMMul, "mul"}, {LLVMFMul, "fmul"}, {LLVMUDiv, "udiv"},
	{LLVMSDiv, "sdiv"}, {LLVMFDiv, "fdiv"}, {LLVMURem, "urem"}, {LLVMSRem, "srem"},
	{LLVMFRem, "frem"}, {LLVMShl, "shl"}, {LLVMLShr, "lshr"}, {LLVMAShr, "ashr"},
	{LLVMAnd, "and"}, {LLVMOr, "or"}, {LLVMXor, "xor"}, {LLVMAlloca, "alloca"},
	{LLVMLoad, "load"}, {LLVMStore, "store"}, {LLVMGetElementPtr, "getelementptr"},
	{LLVMTrunc, "trunc"}, {LLVMZExt, "zext"}, {LLVMSExt, "sext"}, {LLVMFPToUI, "fptoui"},
	{LLVMFPToSI, "fptosi"}, {LLVMUIToFP, "uitofp"}, {LLVMSIToFP, "sitofp"},
	{LLVMFPTrunc, "fptrunc"}, {LLVMFPExt, "fpext"}, {LLVMPtrToInt, "ptrtoint"},
	{LLVMIntToPtr, "inttoptr"}, {LLVMBitCast, "bitcast"}, {LLVMAddrSpaceCast, "addrspacecast"},
	{LLVMICmp, "icmp"}, {LLVMFCmp, "fcmp"}, {LLVMPHI, "phi"}, {LLVMCall, "call"},
	{LLVMSelect, "select"}, {LLVMUserOp1, "userop1"}, {LLVMUserOp2, "userop2"},
	{LLVMVAArg, "va_arg"}, {LLVMExtractElement, "extractelement"},
	{LLVMInsertElement, "insertelement"}, {LLVMShuffleVector, "shufflevector"},
	{LLVMExtractValue, "extractvalue"}, {LLVMInsertValue, "insertvalue"},
	{LLVMFreeze, "freeze"}, {LLVMFence, "fence"}, {LLVMAtomicCmpXchg, "cmpxchg"},
	{LLVMAtomicRMW, "atomicrmw"}, {LLVMResume, "resume"}, {LLVMLandingPad, "landingpad"},
	{LLVMCleanupRet, "cleanupret"}, {LLVMCatchRet, "catchret"}, {LLVMCatchPad, "catchpad"},
	{LLVMCleanupPad, "cleanuppad"}, {LLVMCatchSwitch, "catchswitch"},
};

static const char *opname(LLVMOpcode op)
{
	size_t i;

	for (i = 0; i < sizeof opnames / sizeof opnames[0]; i++)
		if (opnames[i].op == op)
			return opnames[i].name;
	return "?";
}

/* LLVM binary opcodes and casts -> IR opcodes. */
static const struct {
	LLVMOpcode op; /* LLVM opcode */
	FgOpcode fg;   /* IR opcode */
} simpleops[] = {
	{LLVMAdd, FG_ADD}, {LLVMSub, FG_SUB}, {LLVMMul, FG_MUL}, {LLVMUDiv, FG_UDIV},
	{LLVMSDiv, FG_SDIV}, {LLVMURem, FG_UREM}, {LLVMSRem, FG_SREM}, {LLVMShl, FG_SHL},
	{LLVMLShr, FG_LSHR}, {LLVMAShr, FG_ASHR}, {LLVMAnd, FG_AND}, {LLVMOr, FG_OR},
	{LLVMXor, FG_XOR}, {LLVMFAdd, FG_FADD}, {LLVMFSub, FG_FSUB}, {LLVMFMul, FG_FMUL},
	{LLVMFDiv, FG_FDIV}, {LLVMFRem, FG_FREM}, {LLVMFNeg, FG_FNEG}, {LLVMTrunc, FG_TRUNC},
	{LLVMZExt, FG_ZEXT}, {LLVMSExt, FG_SEXT}, {LLVMFPToUI, FG_FPTOUI},
	{LLVMFPToSI, FG_FPTOSI}, {LLVMUIToFP, FG_UITOFP}, {LLVMSIToFP, FG_SITOFP},
	{LLVMFPTrunc, FG_FPTRUNC}, {LLVMFPExt, FG_FPEXT}, {LLVMPtrToInt, FG_PTRTOINT},
	{LLVMIntToPtr, FG_INTTOPTR}, {LLVMSelect, FG_SELECT},
};

static int simpleop(LLVMOpcode op)
{
	size_t i;

	for (i = 0; i < sizeof simpleops / sizeof simpleops[0]; i++)
		if (simpleops[i].op == op)
			return simpleops[i].fg;
	return -1;
}

/* icmp predicates, from LLVMIntEQ (32) to LLVMIntSLE (41). */
static const FgOpcode icmpops[] = {
	FG_EQ, FG_NE, FG_UGT, FG_UGE, FG_ULT, FG_ULE, FG_SGT, FG_SGE, FG_SLT, FG_SLE,
};

/* Intrinsics that have no meaning for the IR and are dropped. */
static int droppedintrinsic(const char *name)
{
	static const char *const prefixes[] = {
		"llvm.dbg.", "llvm.lifetime.", "llvm.experimental.noalias.scope.decl",
		"llvm.assume", "llvm.donothing", "llvm.var.annotation",
	};
	size_t i;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/* ---- values ----------------------------------------------------------- */

static Ref convinst(Imp *c, LLVMOpcode op, LLVMValueRef v);

static Ref emit(Imp *c, FgOpcode op, FgType t, const Ref *args, uint32_t n, int64_t imm)
{
	return fg_emit(c->m, c->f, c->cur, op, t, args, n, imm, c->loc);
}

/* The Ref of operand v, materialising constants in the current block. */
static Ref getref(Imp *c, LLVMValueRef v)
{
	int ty = imp_type(LLVMTypeOf(v));
	uint32_t r = 0;
	CVal cv;

	if (imp_mapget(&c->vmap, v, &r))
		return r;
	if (ty <= 0)
		return imp_fail(c, "unsupported LLVM value of type '%s' in function %s",
			imp_typestr(c, LLVMTypeOf(v)), c->fname);
	if (LLVMIsAInstruction(v) || LLVMIsAArgument(v))
		return imp_fail(c, "value '%s' used before its definition in function %s",
			LLVMGetValueName(v), c->fname);
	if (LLVMIsAFunction(v) && !imp_mapget(&c->fmap, v, &r))
		return imp_fail(c, "the address of '%s' is taken in function %s",
			LLVMGetValueName(v), c->fname);
	if (LLVMIsAFunction(v) && c->badsig[r])
		return imp_fail(c, "unsupported type in the signature of '%s' used in function %s",
			LLVMGetValueName(v), c->fname);
	if (imp_evalconst(c, v, 0, &cv) == 0) {
		switch (cv.kind) {
		case CK_INT:
			return fg_con(c->f, ty, cv.bits);
		case CK_GLOBAL:
		case CK_FUNC:
			return fg_consym(c->f, cv.kind, cv.sym, cv.bits);
		default:
			return fg_undef(c->f, ty);
		}
	}
	if (LLVMIsAConstantExpr(v))
		return convinst(c, LLVMGetConstOpcode(v), v);
	return imp_fail(c, "unsupported LLVM constant in function %s", c->fname);
}

/* Operand i of v, converted. */
static Ref opnd(Imp *c, LLVMValueRef v, int i)
{
	return getref(c, LLVMGetOperand(v, i));
}

/* An integer operand widened to i64 (sign- or zero-extended). */
static Ref toi64(Imp *c, Ref r, int sign)
{
	FgType t = fg_reftype(c->f, r);

	if (r == REF_ERR || t == TY_I64)
		return r;
	if (REFKIND(r) == RK_CON && c->f->cons[REFIDX(r)].kind == CK_INT) {
		int64_t b = c->f->cons[REFIDX(r)].bits;
		if (!sign)
			b &= (int64_t)((1ull << fg_typebits(t)) - 1);
		return fg_con(c->f, TY_I64, b);
	}
	return emit(c, sign ? FG_SEXT : FG_ZEXT, TY_I64, &r, 1, 0);
}

/* getelementptr -> ptradd of the constant offset and of each variable
 * index times its stride. */
static Ref convgep(Imp *c, LLVMValueRef v)
{
	LLVMTypeRef t = LLVMGetGEPSourceElementType(v);
	int i, n = LLVMGetNumOperands(v);
	int64_t off = 0, stride;
	Ref p = opnd(c, v, 0);

	for (i = 1; i < n && p != REF_ERR; i++) {
		LLVMValueRef idx = LLVMGetOperand(v, i);
		t = imp_gepstep(c, t, i == 1, idx, &off, &stride);
		if (!t)
			return imp_fail(c, "unsupported LLVM instruction 'getelementptr' (index walk) in function %s",
				c->fname);
		if (stride) {
			Ref x = toi64(c, getref(c, idx), 1), args[2];
			if (x == REF_ERR)
				return REF_ERR;
			if (stride != 1) {
				args[0] = x;
				args[1] = fg_con(c->f, TY_I64, stride);
				x = emit(c, FG_MUL, TY_I64, args, 2, 0);
			}
			args[0] = p;
			args[1] = x;
			p = emit(c, FG_PTRADD, TY_PTR, args, 2, 0);
		}
	}
	if (p != REF_ERR && off) {
		Ref args[2];
		args[0] = p;
		args[1] = fg_con(c->f, TY_I64, off);
		p = emit(c, FG_PTRADD, TY_PTR, args, 2, 0);
	}
	return p;
}

static int log2of(unsigned a)
{
	int k = 0;

	while (a > 1) {
		a >>= 1;
		k++;
	}
	return k;
}

static Ref convalloca(Imp *c, LLVMValueRef v)
{
	LLVMTypeRef t = LLVMGetAllocatedType(v);
	LLVMValueRef cnt = LLVMGetOperand(v, 0);
	int64_t size;
	Ref r, n;

	if (!LLVMTypeIsSized(t))
		return imp_fail(c, "alloca of an unsized type in function %s", c->fname);
	size = LLVMABISizeOfType(c->td, t);
	if (LLVMIsAConstantInt(cnt)) {
		r = emit(c, FG_ALLOCA, TY_PTR, NULL, 0, size * LLVMConstIntGetZExtValue(cnt));
	} else {
		n = toi64(c, getref(c, cnt), 0);
		if (n == REF_ERR)
			return REF_ERR;
		r = emit(c, FG_ALLOCA, TY_PTR, &n, 1, size);
	}
	fg_defop(c->f, r)->aux = log2of(LLVMGetAlignment(v));
	return r;
}

/* Convert all operands of v in [from, to); returns -1 on error. */
static int opnds(Imp *c, LLVMValueRef v, int from, int to, Ref *out)
{
	int i;

	for (i = from; i < to; i++)
		if ((out[i - from] = opnd(c, v, i)) == REF_ERR)
			return -1;
	return 0;
}

/* The overflow intrinsic named `name` (llvm.sadd.with.overflow.i32, ...):
 * sets the plain and the overflow opcode; -1 if it is not one. */
static int ovfintrinsic(const char *name, FgOpcode *arith, FgOpcode *ovf)
{
	static const struct {
		const char *name; /* intrinsic prefix */
		FgOpcode arith;   /* field 0 */
		FgOpcode ovf;     /* field 1 */
	} t[] = {
		{"llvm.sadd.with.overflow.", FG_ADD, FG_SADDO},
		{"llvm.uadd.with.overflow.", FG_ADD, FG_UADDO},
		{"llvm.ssub.with.overflow.", FG_SUB, FG_SSUBO},
		{"llvm.usub.with.overflow.", FG_SUB, FG_USUBO},
		{"llvm.smul.with.overflow.", FG_MUL, FG_SMULO},
		{"llvm.umul.with.overflow.", FG_MUL, FG_UMULO},
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strncmp(name, t[i].name, strlen(t[i].name)) == 0) {
			*arith = t[i].arith;
			*ovf = t[i].ovf;
			return 0;
		}
	return -1;
}

/* The index of external function `name` (returning t, with n parameters
 * of type t), added to the module if absent.  Refreshes c->f, which the
 * append may move. */
static uint32_t extfunc(Imp *c, const char *name, FgType t, int n)
{
	uint8_t params[3] = {t, t, t};
	uint32_t cur = c->f - c->m->funcs;
	int fi = fg_findfunc(c->m, name);

	if (fi < 0) {
		fi = fg_addfunc(c->m, name, t, params, n, 0);
		c->f = &c->m->funcs[cur];
	}
	return fi;
}

/* Floating-point intrinsics that are libm functions of the same meaning:
 * llvm.NAME.f64 -> NAME, llvm.NAME.f32 -> NAMEf. */
static Ref convmathintrinsic(Imp *c, LLVMValueRef v, const char *name)
{
	static const struct {
		const char *llvm; /* intrinsic name between "llvm." and the type */
		const char *libm; /* libm function */
		int nargs;        /* parameters */
	} t[] = {
		{"fabs", "fabs", 1}, {"floor", "floor", 1}, {"ceil", "ceil", 1},
		{"trunc", "trunc", 1}, {"round", "round", 1}, {"rint", "rint", 1},
		{"nearbyint", "nearbyint", 1}, {"sqrt", "sqrt", 1}, {"sin", "sin", 1},
		{"cos", "cos", 1}, {"exp", "exp", 1}, {"exp2", "exp2", 1}, {"log", "log", 1},
		{"log2", "log2", 1}, {"log10", "log10", 1}, {"pow", "pow", 2},
		{"copysign", "copysign", 2}, {"minnum", "fmin", 2}, {"maxnum", "fmax", 2},
		{"fma", "fma", 3},
	};
	char fn[32];
	size_t i, k;
	Ref a[4];
	int ty = imp_type(LLVMTypeOf(v));

	if (ty != TY_F32 && ty != TY_F64)
		return REF_NONE;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		k = strlen(t[i].llvm);
		if (strncmp(name + 5, t[i].llvm, k) != 0 || name[5 + k] != '.' || name[6 + k] != 'f')
			continue;
		if (LLVMGetNumArgOperands(v) != (unsigned)t[i].nargs || opnds(c, v, 0, t[i].nargs, a + 1) < 0)
			return REF_ERR;
		snprintf(fn, sizeof fn, "%s%s", t[i].libm, ty == TY_F32 ? "f" : "");
		a[0] = fg_consym(c->f, CK_FUNC, extfunc(c, fn, ty, t[i].nargs), 0);
		return emit(c, FG_CALL, ty, a, t[i].nargs + 1, -1);
	}
	return REF_NONE;
}

static Ref bin(Imp *c, FgOpcode op, FgType t, Ref a, Ref b)
{
	Ref x[2];

	x[0] = a;
	x[1] = b;
	return emit(c, op, t, x, 2, 0);
}

static Ref kon(Imp *c, FgType t, uint64_t v)
{
	return fg_con(c->f, t, (int64_t)v);
}

/* Population count of x (type t, 8 to 64 bits), the SWAR way. */
static Ref popcount(Imp *c, FgType t, Ref x)
{
	int bits = fg_typebits(t);

	x = bin(c, FG_SUB, t, x, bin(c, FG_AND, t, bin(c, FG_LSHR, t, x, kon(c, t, 1)),
		kon(c, t, 0x5555555555555555ull)));
	x = bin(c, FG_ADD, t, bin(c, FG_AND, t, x, kon(c, t, 0x3333333333333333ull)),
		bin(c, FG_AND, t, bin(c, FG_LSHR, t, x, kon(c, t, 2)), kon(c, t, 0x3333333333333333ull)));
	x = bin(c, FG_AND, t, bin(c, FG_ADD, t, x, bin(c, FG_LSHR, t, x, kon(c, t, 4))),
		kon(c, t, 0x0f0f0f0f0f0f0f0full));
	if (bits > 8)
		x = bin(c, FG_LSHR, t, bin(c, FG_MUL, t, x, kon(c, t, 0x0101010101010101ull)),
			kon(c, t, bits - 8));
	return x;
}

/* llvm.ctpop, ctlz, cttz and bswap, expanded into operations.  A zero
 * input gives the bit width for ctlz/cttz (their "zero is poison" flag
 * allows any result). */
static Ref convbitintrinsic(Imp *c, LLVMValueRef v, const char *name)
{
	int ty = imp_type(LLVMTypeOf(v)), bits, s;
	Ref x, r;

	if (ty < TY_I8 || ty > TY_I64 || (x = opnd(c, v, 0)) == REF_ERR)
		return ty < TY_I8 || ty > TY_I64 ? imp_fail(c, "unsupported LLVM intrinsic '%s' in function %s",
			name, c->fname) : REF_ERR;
	bits = fg_typebits(ty);
	if (strncmp(name, "llvm.ctpop.", 11) == 0)
		return popcount(c, ty, x);
	if (strncmp(name, "llvm.ctlz.", 10) == 0) {
		for (s = 1; s < bits; s <<= 1)
			x = bin(c, FG_OR, ty, x, bin(c, FG_LSHR, ty, x, kon(c, ty, s)));
		return bin(c, FG_SUB, ty, kon(c, ty, bits), popcount(c, ty, x));
	}
	if (strncmp(name, "llvm.cttz.", 10) == 0)
		return popcount(c, ty, bin(c, FG_AND, ty, bin(c, FG_XOR, ty, x, kon(c, ty, -1)),
			bin(c, FG_SUB, ty, x, kon(c, ty, 1))));
	/* bswap: byte k goes to byte n-1-k */
	r = REF_NONE;
	for (s = 0; s < bits; s += 8) {
		Ref b = bin(c, FG_AND, ty, s ? bin(c, FG_LSHR, ty, x, kon(c, ty, s)) : x, kon(c, ty, 0xff));
		if (bits - 8 - s)
			b = bin(c, FG_SHL, ty, b, kon(c, ty, bits - 8 - s));
		r = r == REF_NONE ? b : bin(c, FG_OR, ty, r, b);
	}
	return r;
}

static int bitintrinsic(const char *name)
{
	return strncmp(name, "llvm.ctpop.", 11) == 0 || strncmp(name, "llvm.ctlz.", 10) == 0 ||
		strncmp(name, "llvm.cttz.", 10) == 0 ||
		(strncmp(name, "llvm.bswap.", 11) == 0 && strcmp(name, "llvm.bswap.i8") != 0);
}

/* Calls of intrinsics.  Returns the result, REF_NONE, or REF_ERR. */
static Ref convintrinsic(Imp *c, LLVMValueRef v, const char *name)
{
	Ref a[3];
	FgOpcode arith, ovf;

	if (droppedintrinsic(name))
		return REF_NONE;
	if (strncmp(name, "llvm.memcpy.", 12) == 0 || strncmp(name, "llvm.memmove.", 13) == 0 ||
		strncmp(name, "llvm.memset.", 12) == 0) {
		FgOpcode op = name[8] == 's' ? FG_MEMSET : name[8] == 'c' ? FG_MEMCPY : FG_MEMMOVE;
		if (opnds(c, v, 0, 3, a) < 0)
			return REF_ERR;
		if ((a[2] = toi64(c, a[2], 0)) == REF_ERR)
			return REF_ERR;
		emit(c, op, TY_VOID, a, 3, 0);
		return REF_NONE;
	}
	if (strncmp(name, "llvm.expect.", 12) == 0)
		return opnd(c, v, 0);
	if (bitintrinsic(name))
		return convbitintrinsic(c, v, name);
	/* VLAs: the space of dynamic allocas lives until the function returns */
	if (strcmp(name, "llvm.stacksave") == 0)
		return fg_con(c->f, TY_PTR, 0);
	if (strcmp(name, "llvm.stackrestore") == 0)
		return REF_NONE;
	if (strcmp(name, "llvm.trap") == 0 || strcmp(name, "llvm.debugtrap") == 0) {
		a[0] = fg_consym(c->f, CK_FUNC, extfunc(c, "abort", TY_VOID, 0), 0);
		emit(c, FG_CALL, TY_VOID, a, 1, -1);
		return REF_NONE;
	}
	if (strncmp(name, "llvm.fmuladd.", 13) == 0) {
		/* a * b + c, fused or not: the unfused form, as cc -O0 computes it */
		int ty = imp_type(LLVMTypeOf(v));
		if (ty <= 0 || opnds(c, v, 0, 3, a) < 0)
			return ty <= 0 ? imp_fail(c, "unsupported LLVM intrinsic '%s' in function %s", name, c->fname)
				: REF_ERR;
		a[0] = emit(c, FG_FMUL, ty, a, 2, 0);
		a[1] = a[2];
		return emit(c, FG_FADD, ty, a, 2, 0);
	}
	{
		Ref r = convmathintrinsic(c, v, name);
		if (r != REF_NONE)
			return r;
	}
	if (ovfintrinsic(name, &arith, &ovf) == 0) {
		OvfPair p;
		int ty = imp_type(LLVMTypeOf(LLVMGetOperand(v, 0)));
		if (ty <= 0 || opnds(c, v, 0, 2, a) < 0)
			return ty <= 0 ? imp_fail(c, "unsupported LLVM intrinsic '%s' in function %s", name, c->fname)
				: REF_ERR;
		p.arith = arith;
		p.ovf = ovf;
		p.type = ty;
		p.a = a[0];
		p.b = a[1];
		fg_vpush(&c->pairs, p);
		imp_mapput(&c->ovmap, v, fg_vlen(c->pairs) - 1);
		return REF_NONE;
	}
	return imp_fail(c, "unsupported LLVM intrinsic '%s' in function %s", name, c->fname);
}

/* extractvalue of a with.overflow pair: field 0 is the operation, field 1
 * the overflow flag. */
static Ref convextract(Imp *c, LLVMValueRef v)
{
	uint32_t pi;
	OvfPair *p;
	Ref a[2];

	if (LLVMGetNumIndices(v) != 1 || !imp_mapget(&c->ovmap, LLVMGetOperand(v, 0), &pi))
		return imp_fail(c, "unsupported LLVM instruction 'extractvalue' in function %s", c->fname);
	p = &c->pairs[pi];
	a[0] = p->a;
	a[1] = p->b;
	if (LLVMGetIndices(v)[0] == 0)
		return emit(c, p->arith, p->type, a, 2, 0);
	return emit(c, p->ovf, TY_I1, a, 2, 0);
}

/* A by-value aggregate argument (byval attribute, argument i of call v):
 * the caller passes a pointer to a copy, so make the copy here.  Only for
 * functions of the module: a native callee would want the bytes. */
static int byvalcopy(Imp *c, LLVMValueRef v, int i, LLVMValueRef fn, Ref *arg)
{
	unsigned kind = LLVMGetEnumAttributeKindForName("byval", 5);
	LLVMAttributeRef at = LLVMGetCallSiteEnumAttribute(v, i + 1, kind);
	LLVMTypeRef t;
	uint32_t fi;
	Ref a[3];

	if (!at)
		return 0;
	if (fn && LLVMIsAFunction(fn) && (!imp_mapget(&c->fmap, fn, &fi) || LLVMIsDeclaration(fn)))
		return imp_fail(c, "unsupported by-value struct argument to external function '%s' in function %s",
			LLVMGetValueName(fn), c->fname), -1;
	t = LLVMGetTypeAttributeValue(at);
	if (!t || !LLVMTypeIsSized(t))
		return imp_fail(c, "unsupported by-value argument in function %s", c->fname), -1;
	a[0] = emit(c, FG_ALLOCA, TY_PTR, NULL, 0, LLVMABISizeOfType(c->td, t));
	fg_defop(c->f, a[0])->aux = log2of(LLVMABIAlignmentOfType(c->td, t));
	a[1] = *arg;
	a[2] = fg_con(c->f, TY_I64, LLVMABISizeOfType(c->td, t));
	emit(c, FG_MEMCPY, TY_VOID, a, 3, 0);
	*arg = a[0];
	return 0;
}

static Ref convcall(Imp *c, LLVMValueRef v)
{
	LLVMValueRef callee = LLVMGetCalledValue(v), fn = callee;
	LLVMTypeRef ft = LLVMGetCalledFunctionType(v);
	int i, n = LLVMGetNumArgOperands(v), rt = imp_type(LLVMTypeOf(v)), h;
	Ref *a, r;
	uint32_t fi;

	while (fn && LLVMIsAConstantExpr(fn) &&
		(LLVMGetConstOpcode(fn) == LLVMBitCast || LLVMGetConstOpcode(fn) == LLVMAddrSpaceCast))
		fn = LLVMGetOperand(fn, 0);
	if (LLVMIsAInlineAsm(callee))
		return imp_fail(c, "unsupported inline assembly in function %s", c->fname);
	if (fn && LLVMIsAFunction(fn) && imp_isintrinsic(fn))
		return convintrinsic(c, v, LLVMGetValueName(fn));
	if (rt < 0)
		return imp_fail(c, "unsupported LLVM instruction 'call' (returns '%s') in function %s",
			imp_typestr(c, LLVMTypeOf(v)), c->fname);
	a = fg_alloc((n + 1) * sizeof *a);
	h = fn && LLVMIsAFunction(fn) ? imp_hintop(LLVMGetValueName(fn)) : -1;
	if (h >= 0) {
		int from = h == FG_MERGEPOINT ? 1 : 0;
		if (opnds(c, v, from, n, a) < 0 || (h != FG_MERGEPOINT && n != 1)) {
			fg_free(a);
			return n != 1 && h != FG_MERGEPOINT ? imp_fail(c, "bad call of '%s' in function %s",
				LLVMGetValueName(fn), c->fname) : REF_ERR;
		}
		r = emit(c, h, rt, a, n - from, 0);
		fg_free(a);
		return r;
	}
	if (fn && LLVMIsAFunction(fn) && imp_mapget(&c->fmap, fn, &fi) && !c->badsig[fi])
		a[0] = fg_consym(c->f, CK_FUNC, fi, 0);
	else
		a[0] = getref(c, callee);
	if (a[0] == REF_ERR || opnds(c, v, 0, n, a + 1) < 0) {
		fg_free(a);
		return REF_ERR;
	}
	for (i = 0; i < n; i++)
		if (byvalcopy(c, v, i, fn, &a[i + 1]) < 0) {
			fg_free(a);
			return REF_ERR;
		}
	r = emit(c, FG_CALL, rt, a, n + 1, LLVMIsFunctionVarArg(ft) ? (int64_t)LLVMCountParamTypes(ft) : -1);
	fg_free(a);
	return r;
}

/* Convert instruction or constant expression v (opcode op) in the current
 * block.  Returns its value, REF_NONE if it has none, REF_ERR on error. */
static Ref convinst(Imp *c, LLVMOpcode op, LLVMValueRef v)
{
	LLVMTypeRef lt = LLVMTypeOf(v);
	int ty = imp_type(lt), fop, pred;
	Ref a[3];

	if (ty < 0 && op != LLVMCall && op != LLVMExtractValue)
		return imp_fail(c, "unsupported LLVM instruction '%s' (type %s) in function %s", opname(op),
			imp_typestr(c, lt), c->fname);
	switch (op) {
	case LLVMAlloca:
		return convalloca(c, v);
	case LLVMLoad:
		if (opnds(c, v, 0, 1, a) < 0)
			return REF_ERR;
		return emit(c, FG_LOAD, ty, a, 1, 0);
	case LLVMStore: {
		LLVMTypeRef st = LLVMTypeOf(LLVMGetOperand(v, 0));
		if (imp_type(st) <= 0)
			return imp_fail(c, "unsupported LLVM instruction 'store' (type %s) in function %s",
				imp_typestr(c, st), c->fname);
		if (opnds(c, v, 1, 2, a) < 0 || opnds(c, v, 0, 1, a + 1) < 0)
			return REF_ERR;
		emit(c, FG_STORE, TY_VOID, a, 2, 0);
		return REF_NONE;
	}
	case LLVMGetElementPtr:
		return convgep(c, v);
	case LLVMBitCast:
	case LLVMAddrSpaceCast: {
		int sty = imp_type(LLVMTypeOf(LLVMGetOperand(v, 0)));
		if (sty <= 0)
			return imp_fail(c, "unsupported LLVM instruction '%s' (from type %s) in function %s",
				opname(op), imp_typestr(c, LLVMTypeOf(LLVMGetOperand(v, 0))), c->fname);
		if (opnds(c, v, 0, 1, a) < 0)
			return REF_ERR;
		if (sty == ty)
			return a[0];
		return emit(c, FG_BITCAST, ty, a, 1, 0);
	}
	case LLVMFreeze:
		return opnd(c, v, 0);
	case LLVMICmp:
		pred = LLVMGetICmpPredicate(v);
		if (pred < LLVMIntEQ || pred > LLVMIntSLE || opnds(c, v, 0, 2, a) < 0)
			return pred < LLVMIntEQ || pred > LLVMIntSLE ? imp_fail(c, "bad icmp predicate") : REF_ERR;
		return emit(c, icmpops[pred - LLVMIntEQ], TY_I1, a, 2, 0);
	case LLVMFCmp:
		if (opnds(c, v, 0, 2, a) < 0)
			return REF_ERR;
		return emit(c, FG_FCMP, TY_I1, a, 2, LLVMGetFCmpPredicate(v));
	case LLVMCall:
		return convcall(c, v);
	case LLVMExtractValue:
		if (ty < 0)
			return imp_fail(c, "unsupported LLVM instruction 'extractvalue' (type %s) in function %s",
				imp_typestr(c, lt), c->fname);
		return convextract(c, v);
	default:
		break;
	}
	fop = simpleop(op);
	if (fop < 0)
		return imp_fail(c, "unsupported LLVM instruction '%s' in function %s", opname(op), c->fname);
	{
		int n = fg_opinfo[fop].nargs;
		if (opnds(c, v, 0, n, a) < 0)
			return REF_ERR;
		return emit(c, fop, ty, a, n, 0);
	}
}

/* ---- control flow ----------------------------------------------------- */

/* The arguments block `from` passes to successor `to`: the incoming
 * values of to's phis for that edge.  Returns a vector, NULL on error. */
static Ref *edgeargs(Imp *c, LLVMBasicBlockRef from, LLVMBasicBlockRef to)
{
	Ref *args = fg_vnew(0, sizeof(Ref));
	LLVMValueRef i;

	for (i = LLVMGetFirstInstruction(to); i && LLVMGetInstructionOpcode(i) == LLVMPHI;
		i = LLVMGetNextInstruction(i)) {
		unsigned k, n = LLVMCountIncoming(i);
		Ref r = REF_ERR;
		for (k = 0; k < n; k++)
			if (LLVMGetIncomingBlock(i, k) == from) {
				r = getref(c, LLVMGetIncomingValue(i, k));
				break;
			}
		if (k == n)
			imp_fail(c, "phi without a value for an incoming edge in function %s", c->fname);
		if (r == REF_ERR) {
			fg_vfree(args);
			return NULL;
		}
		fg_vpush(&args, r);
	}
	return args;
}

/* A link to be added: target block, arguments, case value. */
typedef struct {
	uint32_t target; /* block index */
	Ref *args;       /* vector */
	int64_t value;   /* switch case */
} Edge;

static uint32_t unreachblock(Imp *c)
{
	if (c->unreach < 0) {
		c->unreach = fg_addblock(c->f, NULL);
		fg_setexit(c->f, c->unreach, EX_UNREACHABLE, REF_NONE, c->loc);
	}
	return c->unreach;
}

/* Set the exit of the current block (LLVM block bb, terminator t). */
static int convexit(Imp *c, LLVMBasicBlockRef bb, LLVMValueRef t)
{
	LLVMOpcode op = LLVMGetInstructionOpcode(t);
	unsigned i, n = LLVMGetNumSuccessors(t);
	Edge *e = fg_alloc((n + 1) * sizeof *e);
	int kind, err = 0;
	unsigned ne = 0;
	Ref cond = REF_NONE;

	switch (op) {
	case LLVMRet:
		kind = EX_RETURN;
		if (LLVMGetNumOperands(t) > 0)
			cond = opnd(c, t, 0);
		break;
	case LLVMUnreachable:
		kind = EX_UNREACHABLE;
		break;
	case LLVMBr:
		kind = LLVMIsConditional(t) ? EX_BRANCH : EX_GOTO;
		if (kind == EX_BRANCH)
			cond = getref(c, LLVMGetCondition(t));
		break;
	case LLVMSwitch:
		kind = EX_SWITCH;
		cond = opnd(c, t, 0);
		break;
	case LLVMIndirectBr: {
		Ref p = opnd(c, t, 0);
		kind = EX_SWITCH;
		cond = p == REF_ERR ? REF_ERR : emit(c, FG_PTRTOINT, TY_I64, &p, 1, 0);
		e[ne].target = unreachblock(c);
		e[ne++].args = fg_vnew(0, sizeof(Ref));
		break;
	}
	default:
		fg_free(e);
		return imp_fail(c, "unsupported LLVM instruction '%s' in function %s", opname(op), c->fname);
	}
	err = cond == REF_ERR;
	for (i = 0; i < n && !err; i++) {
		LLVMBasicBlockRef s = LLVMGetSuccessor(t, i);
		unsigned k;
		if (op == LLVMIndirectBr) {
			for (k = 1; k < ne; k++)
				if (e[k].target == imp_bbpos(c, s))
					break;
			if (k < ne)
				continue;
			e[ne].value = 1 + imp_bbpos(c, s);
		} else if (op == LLVMSwitch && i > 0) {
			LLVMValueRef cv = LLVMGetOperand(t, 2 * i);
			e[ne].value = fg_normalize(fg_reftype(c->f, cond), LLVMConstIntGetZExtValue(cv));
		}
		e[ne].target = imp_bbpos(c, s);
		e[ne].args = edgeargs(c, bb, s);
		err = !e[ne++].args;
	}
	if (!err) {
		fg_setexit(c->f, c->cur, kind, cond, c->loc);
		for (i = 0; i < ne; i++)
			fg_addlink(c->f, c->cur, e[i].target, e[i].args, fg_vlen(e[i].args), e[i].value);
	}
	for (i = 0; i < ne; i++)
		fg_vfree(e[i].args);
	fg_free(e);
	return err ? -1 : 0;
}

/* Reverse post-order of the blocks reachable from the entry (positions). */
static uint32_t *rpo(Imp *c, LLVMValueRef fn, uint32_t nb)
{
	uint32_t *order = fg_vnew(nb, sizeof(uint32_t)), *stack = fg_alloc((nb + 1) * sizeof *stack);
	uint32_t *next = fg_alloc((nb + 1) * sizeof *next), sp = 0, no = nb;
	uint8_t *seen = fg_alloc(nb + 1);
	LLVMBasicBlockRef *bbs = fg_alloc((nb + 1) * sizeof *bbs);

	LLVMGetBasicBlocks(fn, bbs);
	stack[sp++] = 0;
	seen[0] = 1;
	while (sp) {
		uint32_t b = stack[sp - 1];
		LLVMValueRef t = LLVMGetBasicBlockTerminator(bbs[b]);
		if (t && next[b] < LLVMGetNumSuccessors(t)) {
			uint32_t s = imp_bbpos(c, LLVMGetSuccessor(t, next[b]++));
			if (!seen[s]) {
				seen[s] = 1;
				stack[sp++] = s;
			}
			continue;
		}
		order[--no] = b;
		sp--;
	}
	memmove(order, order + no, (nb - no) * sizeof *order);
	fg_vgrow(&order, nb - no);
	fg_free(stack);
	fg_free(next);
	fg_free(seen);
	fg_free(bbs);
	return order;
}

/* Convert the body of one LLVM block into block `b`. */
static int convblock(Imp *c, LLVMBasicBlockRef bb, uint32_t b)
{
	LLVMValueRef i;
	Ref r;

	c->cur = b;
	for (i = LLVMGetFirstInstruction(bb); i; i = LLVMGetNextInstruction(i)) {
		LLVMOpcode op = LLVMGetInstructionOpcode(i);
		c->loc = imp_loc(c, i, c->loc);
		if (op == LLVMPHI)
			continue;
		if (LLVMIsATerminatorInst(i))
			return convexit(c, bb, i);
		r = convinst(c, op, i);
		if (r == REF_ERR)
			return -1;
		if (r != REF_NONE) {
			imp_mapput(&c->vmap, i, r);
			if (REFKIND(r) == RK_VAL && !c->f->vals[REFIDX(r)].name)
				c->f->vals[REFIDX(r)].name = valname(c, i);
		}
	}
	return imp_fail(c, "block without a terminator in function %s", c->fname);
}

/* Create the blocks of fn with their arguments (parameters for the entry,
 * phis for the others). */
static int makeblocks(Imp *c, LLVMValueRef fn)
{
	LLVMBasicBlockRef bb;
	uint32_t b = 0;
	unsigned k;

	for (bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb), b++) {
		const char *name = LLVMGetBasicBlockName(bb);
		LLVMValueRef i;
		fg_addblock(c->f, name && *name ? fg_strdup(c->m->arena, name) : NULL);
		imp_mapput(&c->bbpos, bb, b);
		if (b == 0)
			for (k = 0; k < LLVMCountParams(fn); k++) {
				LLVMValueRef p = LLVMGetParam(fn, k);
				imp_mapput(&c->vmap, p, fg_addarg(c->m, c->f, 0, c->f->params[k], valname(c, p)));
			}
		for (i = LLVMGetFirstInstruction(bb); i && LLVMGetInstructionOpcode(i) == LLVMPHI;
			i = LLVMGetNextInstruction(i)) {
			int ty = imp_type(LLVMTypeOf(i));
			c->loc = imp_loc(c, i, c->loc);
			if (ty <= 0) {
				imp_fail(c, "unsupported LLVM instruction 'phi' (type %s) in function %s",
					imp_typestr(c, LLVMTypeOf(i)), c->fname);
				return -1;
			}
			imp_mapput(&c->vmap, i, fg_addarg(c->m, c->f, b, ty, LLVMGetValueName(i)));
		}
	}
	return 0;
}

static int convfunc(Imp *c, LLVMValueRef fn, uint32_t fi)
{
	uint32_t nb = LLVMCountBasicBlocks(fn), *order, k;
	int err = 0;

	c->f = &c->m->funcs[fi];
	c->fname = c->f->name;
	c->loc = c->f->loc;
	c->unreach = -1;
	if (c->badsig[fi])
		return imp_fail(c, "unsupported type in the signature of function %s", c->fname), -1;
	imp_mapinit(&c->vmap);
	imp_mapinit(&c->ovmap);
	c->pairs = fg_vnew(0, sizeof(OvfPair));
	if (makeblocks(c, fn) < 0) {
		err = -1;
	} else {
		LLVMBasicBlockRef *bbs = fg_alloc((nb + 1) * sizeof *bbs);
		LLVMGetBasicBlocks(fn, bbs);
		order = rpo(c, fn, nb);
		for (k = 0; k < fg_vlen(order) && !err; k++) {
			c->loc = c->f->loc;
			err = convblock(c, bbs[order[k]], order[k]);
		}
		for (k = 0; k < nb && !err; k++)
			if (c->f->blocks[k].exit.kind == EX_NONE)
				fg_setexit(c->f, k, EX_UNREACHABLE, REF_NONE, c->f->loc);
		fg_vfree(order);
		fg_free(bbs);
	}
	imp_mapfree(&c->vmap);
	imp_mapfree(&c->ovmap);
	fg_vfree(c->pairs);
	return err;
}

static int convmodule(Imp *c)
{
	LLVMValueRef fn;
	uint32_t fi;
	int err = 0;

	if (imp_addglobals(c) < 0 || imp_addfuncs(c) < 0)
		return -1;
	imp_annotations(c);
	if (imp_fillglobals(c) < 0)
		err = -1;
	for (fn = LLVMGetFirstFunction(c->mod); fn; fn = LLVMGetNextFunction(fn))
		if (!LLVMIsDeclaration(fn) && imp_mapget(&c->fmap, fn, &fi))
			if (convfunc(c, fn, fi) < 0)
				err = -1;
	return err;
}

/* ---- reading, linking, optimising ------------------------------------- */

/* Run clang on a C file; its bitcode is read from a pipe. */
static LLVMMemoryBufferRef runclang(const char *file, const char *const *ccargs, int nccargs)
{
	static const char *const fixed[] = {
		CLANG, "-O0", "-Xclang", "-disable-O0-optnone", "-g", "-fno-discard-value-names",
		"-emit-llvm", "-c", "-DTS_ANALYZE",
	};
	int nfixed = sizeof fixed / sizeof fixed[0], i, fd[2], st;
	char **argv = fg_alloc((nfixed + nccargs + 5) * sizeof *argv), *buf, *path = NULL;
	size_t len = 0, cap = 1 << 16;
	posix_spawn_file_actions_t fa;
	LLVMMemoryBufferRef mb = NULL;
	pid_t pid;
	ssize_t k;

	for (i = 0; i < nfixed; i++)
		argv[i] = (char *)fixed[i];
	for (i = 0; i < nccargs; i++)
		argv[nfixed + i] = (char *)ccargs[i];
	i = nfixed + nccargs;
	if (file[0] == '-') {
		path = fg_alloc(strlen(file) + 3);
		strcpy(path, "./");
		strcat(path, file);
	}
	argv[i++] = path ? path : (char *)file;
	argv[i++] = "-o";
	argv[i++] = "-";
	argv[i] = NULL;
	if (pipe(fd) < 0) {
		fg_errorat(file, 0, "cannot create a pipe: %s", strerror(errno));
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	fflush(stdout);
	st = posix_spawnp(&pid, CLANG, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	if (st != 0) {
		close(fd[0]);
		fg_errorat(file, 0, "cannot run %s: %s", CLANG, strerror(st));
		goto out;
	}
	buf = fg_alloc(cap);
	while ((k = read(fd[0], buf + len, cap - len)) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += k;
		if (len == cap)
			buf = fg_realloc(buf, cap *= 2);
	}
	close(fd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fg_errorat(file, 0, "%s failed (%s %d)", CLANG, WIFEXITED(st) ? "exit status" : "signal",
			WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	else
		mb = LLVMCreateMemoryBufferWithMemoryRangeCopy(buf, len, file);
	fg_free(buf);
out:
	fg_free(path);
	fg_free(argv);
	return mb;
}

/* Report the first line of an LLVM message; as it is when it already
 * names the place (the IR parser's "file:line:col: error: ..."). */
static void msgerror(const char *file, const char *what, char *msg)
{
	char *nl = msg ? strchr(msg, '\n') : NULL;
	size_t n = strlen(file);

	if (nl)
		*nl = 0;
	if (msg && strncmp(msg, file, n) == 0 && msg[n] == ':' && strstr(msg, ": error: ")) {
		fflush(stdout);
		fprintf(stderr, "%s\n", msg);
		fg_nerrors++;
		return;
	}
	fg_errorat(file, 0, "%s: %s", what, msg && *msg ? msg : "unknown error");
}

/* Parse an LLVM IR or bitcode file into ctx; NULL on error (printed). */
static LLVMModuleRef parsefile(LLVMContextRef ctx, const char *file, int verify)
{
	LLVMMemoryBufferRef mb;
	LLVMModuleRef mod = NULL;
	char *msg = NULL;

	if (LLVMCreateMemoryBufferWithContentsOfFile(file, &mb, &msg)) {
		msgerror(file, "cannot read", msg);
		LLVMDisposeMessage(msg);
		return NULL;
	}
	if (LLVMGetBufferSize(mb) == 0) {
		LLVMDisposeMemoryBuffer(mb);
		fg_errorat(file, 0, "empty file");
		return NULL;
	}
	if (LLVMParseIRInContext(ctx, mb, &mod, &msg)) {
		msgerror(file, "invalid LLVM IR", msg);
		LLVMDisposeMessage(msg);
		return NULL;
	}
	if (verify && LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
		msgerror(file, "invalid LLVM IR", msg);
		LLVMDisposeMessage(msg);
		LLVMDisposeModule(mod);
		return NULL;
	}
	LLVMDisposeMessage(msg);
	return mod;
}

/* LLVM's readers may crash on malformed input: try one in a child first.
 * The child's messages come through a pipe and are shown only when it
 * exits normally.  Returns 0 if the file parses and verifies there. */
static int probefile(const char *file)
{
	char buf[4096];
	size_t len = 0;
	ssize_t k;
	pid_t pid;
	int st, fd[2];

	fflush(stdout);
	fflush(stderr);
	if (pipe(fd) < 0)
		return fg_errorat(file, 0, "cannot create a pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return fg_errorat(file, 0, "cannot fork: %s", strerror(errno));
	}
	if (pid == 0) {
		LLVMContextRef ctx;
		LLVMModuleRef mod;
		close(fd[0]);
		dup2(fd[1], 2);
		ctx = LLVMContextCreate();
		mod = parsefile(ctx, file, 1);
		if (mod)
			LLVMDisposeModule(mod);
		LLVMContextDispose(ctx);
		fflush(stderr);
		_exit(mod ? 0 : 1);
	}
	close(fd[1]);
	while ((k = read(fd[0], buf + len, sizeof buf - 1 - len)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		len += k;
		if (len == sizeof buf - 1)
			len--; /* keep reading, drop the excess */
	}
	buf[len] = 0;
	close(fd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 1 && len) {
		fputs(buf, stderr);
		fg_nerrors++;
		return -1;
	}
	if (WIFSIGNALED(st))
		return fg_errorat(file, 0, "malformed LLVM IR (the LLVM reader died of signal %d)",
			WTERMSIG(st));
	return fg_errorat(file, 0, "malformed LLVM IR (the LLVM reader exited with status %d)",
		WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* Linker diagnostics are reported against the file being linked. */
typedef struct {
	const char *file; /* file being linked */
} DiagState;

static void diaghandler(LLVMDiagnosticInfoRef di, void *p)
{
	DiagState *ds = p;
	char *s = LLVMGetDiagInfoDescription(di);

	if (LLVMGetDiagInfoSeverity(di) == LLVMDSError)
		fg_errorat(ds->file, 0, "%s", s);
	LLVMDisposeMessage(s);
}

/* Read one input file (by its suffix) into a module of ctx. */
static LLVMModuleRef readinput(LLVMContextRef ctx, const char *file, const char *const *ccargs,
	int nccargs)
{
	LLVMMemoryBufferRef mb;
	LLVMModuleRef mod = NULL;
	char *msg = NULL;
	struct stat sb;

	if (endswith(file, ".ll") || endswith(file, ".bc")) {
		if (probefile(file) < 0 || !(mod = parsefile(ctx, file, 0)))
			return NULL;
		/* IR without a layout gets the host's, which the executor runs on */
		if (!*LLVMGetDataLayoutStr(mod)) {
			LLVMSetDataLayout(mod, HOST_LAYOUT);
			LLVMSetTarget(mod, HOST_TRIPLE);
		}
		return mod;
	}
	if (!endswith(file, ".c") && !endswith(file, ".i")) {
		fg_errorat(file, 0, "unknown kind of input (expected .c, .ll or .bc)");
		return NULL;
	}
	if (stat(file, &sb) < 0 || access(file, R_OK) < 0) {
		fg_errorat(file, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	if (sb.st_size == 0) {
		fg_errorat(file, 0, "empty file");
		return NULL;
	}
	mb = runclang(file, ccargs, nccargs);
	if (!mb)
		return NULL;
	if (LLVMParseIRInContext(ctx, mb, &mod, &msg)) {
		msgerror(file, "cannot read clang's output", msg);
		mod = NULL;
	}
	LLVMDisposeMessage(msg);
	return mod;
}

/* Strip optnone/noinline (clang -O0 sets them) and run sroa,early-cse. */
static int optimise(LLVMModuleRef mod, const char *file)
{
	static const char *const attrs[] = {"optnone", "noinline"};
	LLVMPassBuilderOptionsRef po;
	LLVMErrorRef e;
	LLVMValueRef fn;
	size_t i;

	for (fn = LLVMGetFirstFunction(mod); fn; fn = LLVMGetNextFunction(fn))
		for (i = 0; i < 2; i++)
			LLVMRemoveEnumAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
				LLVMGetEnumAttributeKindForName(attrs[i], strlen(attrs[i])));
	po = LLVMCreatePassBuilderOptions();
	e = LLVMRunPasses(mod, "sroa,early-cse", NULL, po);
	LLVMDisposePassBuilderOptions(po);
	if (e) {
		char *s = LLVMGetErrorMessage(e);
		fg_errorat(file, 0, "LLVM passes failed: %s", s);
		LLVMDisposeErrorMessage(s);
		return -1;
	}
	return 0;
}

static LLVMModuleRef readall(LLVMContextRef ctx, const char *const *files, int nfiles,
	const char *const *ccargs, int nccargs)
{
	LLVMModuleRef mod = NULL;
	DiagState ds = {NULL};
	int i, err = 0;

	LLVMContextSetDiagnosticHandler(ctx, diaghandler, &ds);
	for (i = 0; i < nfiles; i++) {
		LLVMModuleRef m1;
		ds.file = files[i];
		m1 = readinput(ctx, files[i], ccargs, nccargs);
		if (!m1) {
			err = 1;
		} else if (!mod) {
			mod = m1;
		} else if (LLVMLinkModules2(mod, m1)) {
			err = 1;
		}
	}
	if (err || !mod) {
		if (mod)
			LLVMDisposeModule(mod);
		if (!nfiles)
			fg_errorat(NULL, 0, "no input files");
		return NULL;
	}
	if (optimise(mod, files[0]) < 0) {
		LLVMDisposeModule(mod);
		return NULL;
	}
	return mod;
}

FgModule *fg_import(const char *const *files, int nfiles, const char *const *ccargs, int nccargs)
{
	LLVMContextRef ctx = LLVMContextCreate();
	LLVMModuleRef mod = readall(ctx, files, nfiles, ccargs, nccargs);
	Imp c;
	int i, err;

	if (!mod) {
		LLVMContextDispose(ctx);
		return NULL;
	}
	memset(&c, 0, sizeof c);
	c.m = fg_newmodule();
	c.mod = mod;
	c.td = LLVMCreateTargetData(LLVMGetDataLayoutStr(mod));
	c.files = files;
	c.nfiles = nfiles;
	c.real = fg_alloc((nfiles + 1) * sizeof *c.real);
	for (i = 0; i < nfiles; i++)
		c.real[i] = realpath(files[i], NULL);
	imp_mapinit(&c.gmap);
	imp_mapinit(&c.fmap);
	imp_mapinit(&c.bbpos);
	err = convmodule(&c);
	for (i = 0; i < nfiles; i++)
		free(c.real[i]);
	fg_free(c.real);
	fg_free(c.badsig);
	imp_mapfree(&c.gmap);
	imp_mapfree(&c.fmap);
	imp_mapfree(&c.bbpos);
	LLVMDisposeTargetData(c.td);
	LLVMDisposeModule(mod);
	LLVMContextDispose(ctx);
	if (err) {
		fg_freemodule(c.m);
		return NULL;
	}
	return c.m;
}
