/* exec.c: the reference executor (fg_run).
 *
 * Runs a module's main with real memory and real calls.  Slow but exact:
 * it is the oracle the importer is checked against.
 *
 * Start-up.  Globals are materialised in real, aligned memory with their
 * initial bytes; relocations (pointers to globals and functions) are then
 * patched in.  Extern globals and functions come from dlsym(RTLD_DEFAULT).
 * Every defined function whose address is taken (a CK_FUNC constant or a
 * relocation) gets a libffi closure whose code address *is* the function's
 * address, so native code (qsort, atexit, signal) can call it; an indirect
 * call to such an address is interpreted directly.
 *
 * Decoding.  Each defined function is decoded once, eagerly, into a flat
 * array of Ins: every Ref becomes a frame slot index (values first, then the
 * function's constants, pre-materialised and copied into each new frame,
 * then one slot that always holds 0 for REF_NONE).  Block exits become
 * instructions too; a link is a list of (source, destination) slot moves,
 * done through a buffer when they overlap.  Anything that cannot run (an
 * unresolved symbol, a malformed op) decodes into an IX_ERROR instruction,
 * so the error is reported only if it is reached, with its location.
 *
 * Running.  One loop per entry from native code (fg_run, closures): calls
 * between interpreted functions push a Frame on an explicit stack instead of
 * recursing in C, so guest recursion depth is bounded by MAXDEPTH, not by
 * the C stack.  Allocas live on a separate bump stack, reset on return.
 *
 * Values.  A slot is 64 bits.  Integers are kept normalised like constants
 * (fg_normalize: sign-extended from their width, i1 as 0 or 1); f32 is its
 * bit pattern sign-extended from 32 bits, f64 its bit pattern.
 *
 * Traps (documented choice).  Integer division by zero and INT_MIN / -1
 * print "file:line: error: division by zero" (or "division overflow") and
 * _exit(136), the status a native SIGFPE gives in a shell, without flushing
 * stdio (a killed native process does not flush either).  Reaching an
 * unreachable exit prints an error and _exit(134) likewise.  Shift amounts
 * are masked as on x86 (63 for i64, 31 otherwise).  Other errors (unresolved
 * symbols, stack overflow, unsupported calls such as setjmp) print an error
 * and fg_run returns -1.
 *
 * Native calls.  Argument types come from the operands: i1 is passed as an
 * unsigned byte, i8 and i16 as signed (libffi widens them as the ABI
 * wants; the IR does not keep C's signedness, and the callee may not rely
 * on the upper bits anyway).  Calls of setjmp/longjmp, vfork, *context and
 * thread creation are refused with an error.  atexit and at_quick_exit,
 * which a native program gets from libc_nonshared.a, are forwarded.
 * Interpreted varargs functions get their variadic arguments in an
 * overflow area on the alloca stack; calls of llvm.va_start, llvm.va_end
 * and llvm.va_copy (as declared functions) build x86-64 va_lists on it.
 *
 * Speed.  Common operations are specialised at decode time (by type, and
 * gotos, branches and switches with few moves); FG_EXEC_NOSPECIAL=1 in the
 * environment turns that off, so that the tests check the generic paths
 * too.  Dispatch is direct-threaded.  Measured with callgrind, the executor
 * runs about 8 to 10 times the instructions of the native -O0 build (bf on
 * factor.b, tlr on square.tlr); in time, 10 to 15 times.
 */
#include <dlfcn.h>
#include <ffi.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "flowgraph.h"

extern char **environ;

enum {
	MAXDEPTH = 1000000,          /* interpreted call frames */
	MAXNEST = 2000,              /* nested entries from native code */
	SLOTSTACK = 64 << 20,        /* slots (8 bytes each) */
	ALLOCASTACK = 1024 << 20,    /* bytes of alloca memory */
	MAXARGS = 128,               /* arguments of a native call */
};

/* Instruction codes beyond the IR's opcodes. */
enum {
	IX_GOTO = FG_NOP + 1, /* imm: link */
	IX_BR,                /* a: cond, b: true link, c: false link */
	IX_SWITCH,            /* a: value, b: switch table */
	IX_RET,               /* a: value slot */
	IX_UNREACH,
	IX_ERROR,             /* imm: message index */
	IX_CALLI,             /* imm: call site; interpreted callee */
	IX_CALLN,             /* imm: call site; native callee */
	IX_CALLP,             /* imm: call site; a: callee pointer slot */
	IX_NONE,              /* no-op */
	IX_VASTART,           /* a: va_list to fill from the frame's varargs */
	IX_VACOPY,            /* a: destination va_list, b: source */
	/* Specialised forms of common operations (see special()). */
	XS_MOV,               /* copy a value that needs no normalisation */
	XS_ADD32, XS_ADD64, XS_SUB32, XS_SUB64, XS_MUL32, XS_MUL64, XS_AND, XS_OR, XS_XOR,
	XS_SLT, XS_SLE, XS_SGT, XS_SGE, XS_ULT, XS_ULE, XS_UGT, XS_UGE,
	XS_ZEXT8, XS_ZEXT16, XS_ZEXT32, XS_SEXT1, XS_TRUNC1, XS_TRUNC8, XS_TRUNC16, XS_TRUNC32,
	XS_LOAD1, XS_LOAD8, XS_LOAD16, XS_LOAD32, XS_LOAD64,
	XS_STORE8, XS_STORE16, XS_STORE32, XS_STORE64,
	XS_FADD64, XS_FSUB64, XS_FMUL64, XS_FDIV64,
	XS_JMP,               /* goto without moves: imm = target */
	XS_JMP1,              /* goto with one move a -> b */
	XS_JMP2,              /* goto with two independent moves a -> b, c -> d */
	XS_BR,                /* branch without moves: a cond, b/c targets */
	XS_SWITCH,            /* switch without moves: its table holds targets */
	NDISP                 /* number of instruction codes */
};

/* A decoded instruction. */
typedef struct {
	uint16_t op;      /* FG_*, IX_* or XS_* */
	uint8_t t;        /* result type */
	uint8_t ta;       /* operand type (casts, compares, stores) */
	uint32_t d;       /* result slot */
	uint32_t a, b, c; /* operand slots */
	int64_t imm;      /* op-specific */
} Ins;

typedef struct XFunc XFunc;

/* A decoded link: parallel moves, then a jump. */
typedef struct {
	uint32_t target; /* instruction index (block index until fixed up) */
	uint32_t nmove;  /* moves */
	uint32_t move;   /* fn->moves[move .. move + 2*nmove): src, dst pairs */
	uint32_t tmp;    /* moves overlap: copy through a buffer */
} XLink;

/* A call site. */
typedef struct {
	XFunc *callee;    /* interpreted callee (IX_CALLI) */
	void *native;     /* native address (IX_CALLN) */
	uint32_t *args;   /* argument slots */
	uint32_t narg;    /* argument count */
	ffi_type **types; /* argument ffi types */
	ffi_cif cif;      /* for native calls */
} XCall;

/* A multi-way switch: a dense table, or a list searched linearly. */
typedef struct {
	int64_t lo;      /* dense: smallest case value */
	uint32_t n;      /* table size, or case count */
	uint32_t dense;  /* 1 if tab is indexed by value - lo */
	uint32_t deflt;  /* default link */
	int64_t *vals;   /* linear: case values */
	uint32_t *tab;   /* links */
} XSwitch;

struct XFunc {
	const char *name;   /* symbol name */
	const FgFunc *src;  /* the IR (only while decoding) */
	uint8_t ret;        /* return type */
	uint8_t defined;    /* has a body */
	uint8_t varargs;    /* takes `...` */
	uint32_t nparam;    /* parameter count */
	uint8_t *ptypes;    /* parameter types */
	uint32_t *params;   /* parameter slots */
	uint32_t nslot;     /* slots per frame */
	uint32_t con0;      /* first constant slot */
	uint32_t ncon;      /* constant count */
	uint64_t *cons;     /* constant values */
	Ins *code;          /* instructions (vector) */
	FgLoc *locs;        /* location of each instruction (vector) */
	XLink *links;       /* links, indexed like the IR's */
	uint32_t *moves;    /* move pairs (vector) */
	XCall *calls;       /* call sites (vector) */
	XSwitch *sws;       /* switches (vector) */
	char **msgs;        /* messages of IX_ERROR (vector) */
	void *addr;         /* closure code address, or native address */
	ffi_closure *clo;   /* closure, NULL if none */
	ffi_cif ccif;       /* closure signature */
	ffi_type **ctypes;  /* closure parameter types */
	int resolved;       /* addr looked up (externs) */
	FgLoc loc;          /* source position of the definition */
};

/* A frame of an interpreted call. */
typedef struct {
	XFunc *fn;      /* running function */
	uint64_t *s;    /* its slots */
	const Ins *pc;  /* resume point after a call */
	char *amark;    /* alloca stack mark */
	char *va;       /* variadic arguments, 8 bytes each, or NULL */
} Frame;

/* The executor: one per process (closures reach it from native code). */
static struct {
	XFunc *fns;          /* one per module function */
	uint32_t nfn;        /* count */
	char **gaddr;        /* address of each global */
	const char **files;  /* copy of module->files */
	uint32_t nfile;      /* count */
	Frame *frames;       /* frame stack */
	uint32_t depth;      /* frames in use */
	uint32_t nest;       /* nested run loops */
	uint64_t *sp;        /* slot stack top */
	uint64_t *send;      /* slot stack end */
	char *ap;            /* alloca stack top */
	char *aend;          /* alloca stack end */
	jmp_buf *err;        /* where errors go; NULL once fg_run returned */
	void **hkeys;        /* closure address hash: keys */
	XFunc **hvals;       /* ... values */
	uint32_t hmask;      /* capacity - 1 */
	int nospecial;       /* FG_EXEC_NOSPECIAL set: generic opcodes only */
} X;

static const char *locfile(FgLoc loc)
{
	return loc.file < X.nfile ? X.files[loc.file] : "";
}

/* Print an error at loc and abandon the run. */
static void fail(FgLoc loc, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void fail(FgLoc loc, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fg_errorat(locfile(loc), loc.line, "%s", buf);
	if (X.err)
		longjmp(*X.err, 1);
	fflush(NULL);
	_exit(1);
}

/* A trap of the native program: report without flushing stdio, then die
 * with the status the native signal would give. */
static void trap(FgLoc loc, int status, const char *msg) __attribute__((noreturn));
static void trap(FgLoc loc, int status, const char *msg)
{
	const char *file = locfile(loc);

	if (*file && loc.line)
		fprintf(stderr, "%s:%u: error: %s\n", file, loc.line, msg);
	else
		fprintf(stderr, "tsgen: error: %s\n", msg);
	fflush(stderr);
	_exit(status);
}

/* --- values --------------------------------------------------------------- */

static inline int64_t norm(int t, int64_t v)
{
	switch (t) {
	case TY_I1: return v & 1;
	case TY_I8: return (int8_t)v;
	case TY_I16: return (int16_t)v;
	case TY_I32: case TY_F32: return (int32_t)v;
	default: return v;
	}
}

static inline uint64_t zx(int t, int64_t v)
{
	switch (t) {
	case TY_I1: return v & 1;
	case TY_I8: return (uint8_t)v;
	case TY_I16: return (uint16_t)v;
	case TY_I32: case TY_F32: return (uint32_t)v;
	default: return v;
	}
}

static inline int64_t sx(int t, int64_t v)
{
	return t == TY_I1 ? -(v & 1) : norm(t, v);
}

static inline double getd(uint64_t v)
{
	double d;

	memcpy(&d, &v, 8);
	return d;
}

static inline float getf(uint64_t v)
{
	uint32_t u = v;
	float f;

	memcpy(&f, &u, 4);
	return f;
}

static inline uint64_t putd(double d)
{
	uint64_t v;

	memcpy(&v, &d, 8);
	return v;
}

static inline uint64_t putf(float f)
{
	int32_t u;

	memcpy(&u, &f, 4);
	return (int64_t)u;
}

/* A float operand as a double (f32 widens exactly). */
static inline double getfp(int t, uint64_t v)
{
	return t == TY_F32 ? getf(v) : getd(v);
}

/* Read a value of type t from memory p. */
static inline uint64_t load(int t, const void *p)
{
	switch (t) {
	case TY_I1: return *(const uint8_t *)p & 1;
	case TY_I8: return *(const int8_t *)p;
	case TY_I16: { int16_t v; memcpy(&v, p, 2); return v; }
	case TY_I32: case TY_F32: { int32_t v; memcpy(&v, p, 4); return v; }
	default: { uint64_t v; memcpy(&v, p, 8); return v; }
	}
}

static inline void store(int t, void *p, uint64_t v)
{
	switch (t) {
	case TY_I1: case TY_I8: *(uint8_t *)p = v; break;
	case TY_I16: { uint16_t w = v; memcpy(p, &w, 2); break; }
	case TY_I32: case TY_F32: { uint32_t w = v; memcpy(p, &w, 4); break; }
	default: memcpy(p, &v, 8); break;
	}
}

/* Integer binary operations of the IR at type t (wrap-around). */
static int64_t intop(int op, int t, int64_t a, int64_t b)
{
	int sh = t == TY_I64 || t == TY_PTR ? 63 : 31;

	switch (op) {
	case FG_ADD: return norm(t, (uint64_t)a + (uint64_t)b);
	case FG_SUB: return norm(t, (uint64_t)a - (uint64_t)b);
	case FG_MUL: return norm(t, (uint64_t)a * (uint64_t)b);
	case FG_AND: return norm(t, a & b);
	case FG_OR: return norm(t, a | b);
	case FG_XOR: return norm(t, a ^ b);
	case FG_SHL: return norm(t, (uint64_t)a << (b & sh));
	case FG_LSHR: return norm(t, zx(t, a) >> (b & sh));
	case FG_ASHR: return norm(t, sx(t, a) >> (b & sh));
	}
	return 0;
}

/* Division: traps like x86 on zero and on MIN / -1. */
static int64_t divop(int op, int t, int64_t a, int64_t b, FgLoc loc)
{
	int bits = fg_typebits(t);
	int64_t min = bits >= 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
	uint64_t ua, ub;

	if (op == FG_SDIV || op == FG_SREM) {
		a = sx(t, a), b = sx(t, b);
		if (b == 0)
			trap(loc, 136, "division by zero");
		if (b == -1 && a == min && t != TY_I1)
			trap(loc, 136, "division overflow");
		return norm(t, op == FG_SDIV ? a / b : a % b);
	}
	ua = zx(t, a), ub = zx(t, b);
	if (ub == 0)
		trap(loc, 136, "division by zero");
	return norm(t, op == FG_UDIV ? ua / ub : ua % ub);
}

/* The overflow flag of the *O operations at operand type t. */
static int ovfop(int op, int t, int64_t a, int64_t b)
{
	int64_t r;
	uint64_t u, ua, ub, mask;

	if (t == TY_I64 || t == TY_PTR) {
		switch (op) {
		case FG_SADDO: return __builtin_add_overflow(a, b, &r);
		case FG_SSUBO: return __builtin_sub_overflow(a, b, &r);
		case FG_SMULO: return __builtin_mul_overflow(a, b, &r);
		case FG_UADDO: return __builtin_add_overflow((uint64_t)a, (uint64_t)b, &u);
		case FG_USUBO: return __builtin_sub_overflow((uint64_t)a, (uint64_t)b, &u);
		case FG_UMULO: return __builtin_mul_overflow((uint64_t)a, (uint64_t)b, &u);
		}
		return 0;
	}
	a = sx(t, a), b = sx(t, b);
	ua = zx(t, a), ub = zx(t, b);
	mask = zx(t, -1);
	switch (op) {
	case FG_SADDO: r = a + b; return sx(t, r) != r;
	case FG_SSUBO: r = a - b; return sx(t, r) != r;
	case FG_SMULO: r = a * b; return sx(t, r) != r;
	case FG_UADDO: return ua + ub > mask;
	case FG_USUBO: return ua < ub;
	case FG_UMULO: return ua * ub > mask;
	}
	return 0;
}

/* fcmp with an LLVM predicate (LLVMRealPredicate, 0 false .. 15 true).
 * The predicate is a bit set: 1 equal, 2 greater, 4 less, 8 unordered. */
static int fcmp(int pred, double x, double y)
{
	if (isnan(x) || isnan(y))
		return (pred & 8) != 0;
	if (x == y)
		return pred & 1;
	return x > y ? (pred & 2) != 0 : (pred & 4) != 0;
}

/* Float to integer as x86 code compiled by clang does it: cvttsd2si
 * (32-bit for narrow signed targets, 64-bit otherwise), whose invalid
 * result is the smallest integer. */
static int64_t fptoint(int op, int t, double d)
{
	if (op == FG_FPTOSI && t != TY_I64) {
		if (!(d > -2147483649.0 && d < 2147483648.0))
			return norm(t, INT32_MIN);
		return norm(t, (int32_t)d);
	}
	if (op == FG_FPTOUI && t == TY_I64 && d >= 9223372036854775808.0) {
		if (!(d < 18446744073709551616.0))
			return INT64_MIN;
		return (int64_t)((uint64_t)(d - 9223372036854775808.0) ^ ((uint64_t)1 << 63));
	}
	if (!(d > -9223372036854775809.0 && d < 9223372036854775808.0))
		return norm(t, INT64_MIN);
	return norm(t, (int64_t)d);
}

/* Casts: operand v of type ta to type t. */
static uint64_t castop(int op, int t, int ta, uint64_t v)
{
	switch (op) {
	case FG_ZEXT: return norm(t, zx(ta, v));
	case FG_SEXT: return norm(t, sx(ta, v));
	case FG_TRUNC: case FG_PTRTOINT: case FG_BITCAST: return norm(t, v);
	case FG_INTTOPTR: return zx(ta, v);
	case FG_FPTOSI: case FG_FPTOUI: return fptoint(op, t, getfp(ta, v));
	case FG_SITOFP:
		return t == TY_F32 ? putf((float)sx(ta, v)) : putd((double)sx(ta, v));
	case FG_UITOFP:
		return t == TY_F32 ? putf((float)zx(ta, v)) : putd((double)zx(ta, v));
	case FG_FPEXT: return putd(getfp(ta, v));
	case FG_FPTRUNC: return putf((float)getd(v));
	}
	return v;
}

/* Float arithmetic at type t (f32 is computed in float). */
static uint64_t fpop(int op, int t, uint64_t a, uint64_t b)
{
	if (t == TY_F32) {
		float x = getf(a), y = getf(b);
		switch (op) {
		case FG_FADD: return putf(x + y);
		case FG_FSUB: return putf(x - y);
		case FG_FMUL: return putf(x * y);
		case FG_FDIV: return putf(x / y);
		case FG_FREM: return putf(fmodf(x, y));
		case FG_FNEG: return putf(-x);
		}
	} else {
		double x = getd(a), y = getd(b);
		switch (op) {
		case FG_FADD: return putd(x + y);
		case FG_FSUB: return putd(x - y);
		case FG_FMUL: return putd(x * y);
		case FG_FDIV: return putd(x / y);
		case FG_FREM: return putd(fmod(x, y));
		case FG_FNEG: return putd(-x);
		}
	}
	return 0;
}

/* --- native interface ---------------------------------------------------- */

static ffi_type *fftype(int t)
{
	switch (t) {
	case TY_I1: return &ffi_type_uint8;
	case TY_I8: return &ffi_type_sint8;
	case TY_I16: return &ffi_type_sint16;
	case TY_I32: return &ffi_type_sint32;
	case TY_I64: return &ffi_type_sint64;
	case TY_PTR: return &ffi_type_pointer;
	case TY_F32: return &ffi_type_float;
	case TY_F64: return &ffi_type_double;
	}
	return &ffi_type_void;
}

/* Functions that a native program gets from libc_nonshared.a (not from
 * libc.so, so dlsym cannot find them): forwarded to our own copies. */
static int shim_atexit(void (*f)(void))
{
	return atexit(f);
}

static int shim_at_quick_exit(void (*f)(void))
{
	return at_quick_exit(f);
}

/* Look up a native symbol (libm is opened on demand). */
static void *native(const char *name)
{
	static void *libm;
	void *p;

	if (strcmp(name, "atexit") == 0)
		return (void *)shim_atexit;
	if (strcmp(name, "at_quick_exit") == 0)
		return (void *)shim_at_quick_exit;
	p = dlsym(RTLD_DEFAULT, name);

	if (!p && !libm)
		libm = dlopen("libm.so.6", RTLD_NOW | RTLD_GLOBAL);
	if (!p && libm)
		p = dlsym(libm, name);
	return p;
}

static XFunc *hfind(void *addr)
{
	uint32_t h;

	if (!X.hkeys)
		return NULL;
	for (h = ((uintptr_t)addr >> 4) & X.hmask; X.hkeys[h]; h = (h + 1) & X.hmask)
		if (X.hkeys[h] == addr)
			return X.hvals[h];
	return NULL;
}

static void hput(void *addr, XFunc *fn)
{
	uint32_t h;

	for (h = ((uintptr_t)addr >> 4) & X.hmask; X.hkeys[h]; h = (h + 1) & X.hmask)
		;
	X.hkeys[h] = addr;
	X.hvals[h] = fn;
}

static uint64_t run(XFunc *fn, const uint64_t *args, uint32_t nargs);

/* Native code called a closure: run the interpreted function. */
static void onclosure(ffi_cif *cif, void *ret, void **args, void *user)
{
	XFunc *fn = user;
	uint64_t a[MAXARGS], v;
	uint32_t i;

	(void)cif;
	for (i = 0; i < fn->nparam && i < MAXARGS; i++)
		a[i] = load(fn->ptypes[i], args[i]);
	v = run(fn, a, i);
	switch (fn->ret) {
	case TY_VOID: break;
	case TY_I1: *(ffi_arg *)ret = v & 1; break;
	case TY_I8: case TY_I16: case TY_I32: *(ffi_sarg *)ret = (int64_t)v; break;
	case TY_F32: { float f = getf(v); memcpy(ret, &f, 4); break; }
	default: memcpy(ret, &v, 8); break;
	}
}

/* The address of function k: its closure (made on first use) if defined,
 * else the native symbol; NULL if unresolved. */
static void *funcaddr(uint32_t k)
{
	XFunc *fn = &X.fns[k];
	uint32_t i;

	if (fn->resolved)
		return fn->addr;
	fn->resolved = 1;
	if (!fn->defined)
		return fn->addr = native(fn->name);
	if (fn->nparam > MAXARGS)
		return NULL;
	fn->ctypes = fg_alloc((fn->nparam + 1) * sizeof(ffi_type *));
	for (i = 0; i < fn->nparam; i++)
		fn->ctypes[i] = fftype(fn->ptypes[i]);
	if (ffi_prep_cif(&fn->ccif, FFI_DEFAULT_ABI, fn->nparam, fftype(fn->ret), fn->ctypes) != FFI_OK)
		return NULL;
	fn->clo = ffi_closure_alloc(sizeof(ffi_closure), &fn->addr);
	if (!fn->clo || ffi_prep_closure_loc(fn->clo, &fn->ccif, onclosure, fn, fn->addr) != FFI_OK)
		return fn->addr = NULL;
	hput(fn->addr, fn);
	return fn->addr;
}

/* --- decoding ------------------------------------------------------------ */

/* Decoding state of one function. */
typedef struct {
	const FgModule *m; /* module */
	const FgFunc *f;   /* function being decoded */
	XFunc *fn;         /* its decoded form */
	uint32_t nval;     /* value count */
	const char **bad;  /* per constant: its unresolved symbol, or NULL */
	const char *why;   /* first problem of the current op, or NULL */
	uint32_t *start;   /* first instruction of each block */
	char msg[160];     /* room for a message naming a symbol */
} Dec;

static uint32_t zeroslot(Dec *d)
{
	return d->fn->nslot - 1;
}

/* The slot of an operand; notes unresolved constants. */
static uint32_t slot(Dec *d, Ref r)
{
	uint32_t i = REFIDX(r);

	switch (REFKIND(r)) {
	case RK_VAL:
		if (i < d->nval)
			return i;
		d->why = "invalid value reference";
		break;
	case RK_CON:
		if (i < d->fn->ncon) {
			if (d->bad[i] && !d->why) {
				snprintf(d->msg, sizeof d->msg, "undefined symbol '%s'", d->bad[i]);
				d->why = d->msg;
			}
			return d->fn->con0 + i;
		}
		d->why = "invalid constant reference";
		break;
	}
	return zeroslot(d);
}

static void emit(Dec *d, Ins in, FgLoc loc)
{
	if (d->why) {
		Ins e = {IX_ERROR, 0, 0, 0, 0, 0, 0, fg_vlen(d->fn->msgs)};
		char *msg = fg_alloc(strlen(d->why) + 1);

		strcpy(msg, d->why);
		fg_vpush(&d->fn->msgs, msg);
		in = e;
		d->why = NULL;
	}
	fg_vpush(&d->fn->code, in);
	fg_vpush(&d->fn->locs, loc);
}

static void errorins(Dec *d, FgLoc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errorins(Dec *d, FgLoc loc, const char *fmt, ...)
{
	static char buf[512];
	Ins in = {0};
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	d->why = buf;
	emit(d, in, loc);
}

/* Materialise the constants of the function being decoded. */
static void decodecons(Dec *d)
{
	XFunc *fn = d->fn;
	uint32_t i;

	for (i = 0; i < fn->ncon; i++) {
		const FgConst *c = &d->f->cons[i];
		uint64_t v = 0;

		switch (c->kind) {
		case CK_INT:
			v = norm(c->type, c->bits);
			break;
		case CK_GLOBAL:
			if (c->sym >= fg_vlen(d->m->globals))
				d->bad[i] = "?";
			else if (!X.gaddr[c->sym])
				d->bad[i] = d->m->globals[c->sym].name;
			else
				v = (uint64_t)(uintptr_t)X.gaddr[c->sym] + c->bits;
			break;
		case CK_FUNC:
			if (c->sym >= X.nfn)
				d->bad[i] = "?";
			else if (!(v = (uintptr_t)funcaddr(c->sym)))
				d->bad[i] = X.fns[c->sym].name;
			break;
		}
		fn->cons[i] = v;
	}
}

/* Libc functions that cannot work through a foreign call: non-local
 * jumps across the executor's frames, and threads (one executor state). */
static int unsupported(const char *name)
{
	static const char *const names[] = {
		"setjmp", "_setjmp", "sigsetjmp", "__sigsetjmp", "longjmp", "_longjmp",
		"siglongjmp", "vfork", "getcontext", "swapcontext", "makecontext",
		"setcontext", "pthread_create", "thrd_create",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* Native function for an llvm.NAME.f64/f32 intrinsic with a libm twin. */
static void *intrinsic(const char *name)
{
	static const char *const math[] = {
		"fabs", "sqrt", "floor", "ceil", "trunc", "round", "rint", "nearbyint",
		"pow", "exp", "exp2", "log", "log2", "log10", "sin", "cos", "fma",
		"copysign", "minnum", "maxnum", "fmuladd",
	};
	char base[32], buf[40];
	const char *p = name + 5, *dot = strchr(p, '.');
	size_t i, n;

	if (!dot || (strcmp(dot, ".f64") && strcmp(dot, ".f32")) || (n = dot - p) >= sizeof base)
		return NULL;
	memcpy(base, p, n);
	base[n] = 0;
	for (i = 0; i < sizeof math / sizeof *math; i++)
		if (strcmp(base, math[i]) == 0)
			break;
	if (i == sizeof math / sizeof *math)
		return NULL;
	if (strcmp(base, "minnum") == 0)
		strcpy(base, "fmin");
	else if (strcmp(base, "maxnum") == 0)
		strcpy(base, "fmax");
	else if (strcmp(base, "fmuladd") == 0)
		strcpy(base, "fma");
	snprintf(buf, sizeof buf, "%s%s", base, dot[2] == '3' ? "f" : "");
	return native(buf);
}

/* A hint marker left as a call: 1 identity, 2 no-op, 0 not a marker. */
static int markercall(const char *name)
{
	if (!strcmp(name, "ts_hint_green") || !strcmp(name, "ts_hint_promote") ||
	    !strcmp(name, "ts_hint_deepfreeze"))
		return 1;
	if (!strcmp(name, "ts_hint_virtualizable") || !strcmp(name, "ts_merge_point"))
		return 2;
	return 0;
}

/* Decode a call: direct to an interpreted function, direct to a native
 * one, or through a pointer. */
static void decodecall(Dec *d, const FgOp *o, Ins in)
{
	const FgFunc *f = d->f;
	Ref callee = f->refs[o->arg];
	XCall c = {0};
	uint32_t i;
	int direct = 0;

	if (REFKIND(callee) == RK_CON && REFIDX(callee) < d->fn->ncon) {
		const FgConst *k = &f->cons[REFIDX(callee)];
		if (k->kind == CK_FUNC && k->sym < X.nfn)
			direct = 1 + k->sym;
	}
	c.narg = o->narg - 1;
	if (c.narg > MAXARGS) {
		errorins(d, o->loc, "call with %u arguments", c.narg);
		return;
	}
	c.args = fg_alloc((c.narg + 1) * sizeof(uint32_t));
	c.types = fg_alloc((c.narg + 1) * sizeof(ffi_type *));
	for (i = 0; i < c.narg; i++) {
		c.args[i] = slot(d, f->refs[o->arg + 1 + i]);
		c.types[i] = fftype(fg_reftype(f, f->refs[o->arg + 1 + i]));
		if (c.types[i] == &ffi_type_void)
			d->why = "call argument of type void";
	}
	if (direct) {
		XFunc *t = &X.fns[direct - 1];
		int mk;
		if (t->defined) {
			c.callee = t;
			in.op = IX_CALLI;
		} else if ((mk = markercall(t->name))) {
			in.op = mk == 1 && in.t != TY_VOID && c.narg ? FG_COPY : IX_NONE;
			in.a = c.narg ? c.args[0] : zeroslot(d);
			emit(d, in, o->loc);
			return;
		} else if (!strcmp(t->name, "llvm.va_start") || !strcmp(t->name, "llvm.va_end") ||
			   !strcmp(t->name, "llvm.va_copy")) {
			in.op = t->name[8] == 's' ? IX_VASTART : t->name[8] == 'c' ? IX_VACOPY : IX_NONE;
			in.a = c.narg > 0 ? c.args[0] : zeroslot(d);
			in.b = c.narg > 1 ? c.args[1] : zeroslot(d);
			if (in.op != IX_NONE && c.narg < (in.op == IX_VACOPY ? 2u : 1u))
				d->why = "malformed va_start/va_copy";
			else if (in.op == IX_VASTART && !d->fn->varargs)
				d->why = "va_start in a function without variadic parameters";
			emit(d, in, o->loc);
			return;
		} else if (unsupported(t->name)) {
			errorins(d, o->loc, "the executor cannot call '%s'", t->name);
			return;
		} else if (!strncmp(t->name, "llvm.", 5)) {
			if (!(c.native = intrinsic(t->name))) {
				errorins(d, o->loc, "unsupported intrinsic '%s'", t->name);
				return;
			}
			in.op = IX_CALLN;
		} else if (!(c.native = funcaddr(direct - 1))) {
			errorins(d, o->loc, "undefined function '%s'", t->name);
			return;
		} else
			in.op = IX_CALLN;
	} else {
		in.op = IX_CALLP;
		in.a = slot(d, callee);
	}
	if (in.op != IX_CALLI) {
		ffi_status st = o->imm >= 0 && o->imm <= c.narg
			? ffi_prep_cif_var(&c.cif, FFI_DEFAULT_ABI, o->imm, c.narg, fftype(in.t), c.types)
			: ffi_prep_cif(&c.cif, FFI_DEFAULT_ABI, c.narg, fftype(in.t), c.types);
		if (st != FFI_OK)
			d->why = "call signature rejected by libffi";
	}
	in.imm = fg_vlen(d->fn->calls);
	fg_vpush(&d->fn->calls, c);
	emit(d, in, o->loc);
}

/* The specialised opcode for in, or its own.  Values are normalised, so:
 * and/or/xor, sign extension and signed compares (but of i1) need no
 * extension; unsigned compares neither, since sign extension keeps the
 * unsigned order of same-width values. */
static int special(const Ins *in)
{
	int t = in->t, ta = in->ta, w64 = t == TY_I64 || t == TY_PTR;

	switch (in->op) {
	case FG_ADD: return t == TY_I32 ? XS_ADD32 : w64 ? XS_ADD64 : FG_ADD;
	case FG_SUB: return t == TY_I32 ? XS_SUB32 : w64 ? XS_SUB64 : FG_SUB;
	case FG_MUL: return t == TY_I32 ? XS_MUL32 : w64 ? XS_MUL64 : FG_MUL;
	case FG_AND: return XS_AND;
	case FG_OR: return XS_OR;
	case FG_XOR: return XS_XOR;
	case FG_SLT: return ta == TY_I1 ? FG_SLT : XS_SLT;
	case FG_SLE: return ta == TY_I1 ? FG_SLE : XS_SLE;
	case FG_SGT: return ta == TY_I1 ? FG_SGT : XS_SGT;
	case FG_SGE: return ta == TY_I1 ? FG_SGE : XS_SGE;
	case FG_ULT: return XS_ULT;
	case FG_ULE: return XS_ULE;
	case FG_UGT: return XS_UGT;
	case FG_UGE: return XS_UGE;
	case FG_ZEXT:
		return ta == TY_I8 ? XS_ZEXT8 : ta == TY_I16 ? XS_ZEXT16 : ta == TY_I32 ? XS_ZEXT32
			: ta == TY_I1 ? XS_MOV : FG_ZEXT;
	case FG_SEXT: return ta == TY_I1 ? XS_SEXT1 : XS_MOV;
	case FG_TRUNC: case FG_PTRTOINT: case FG_BITCAST: case FG_COPY:
		return t == TY_I1 ? XS_TRUNC1 : t == TY_I8 ? XS_TRUNC8 : t == TY_I16 ? XS_TRUNC16
			: t == TY_I32 || t == TY_F32 ? XS_TRUNC32 : XS_MOV;
	case FG_INTTOPTR: return ta == TY_I64 || ta == TY_PTR ? XS_MOV : FG_INTTOPTR;
	case FG_LOAD:
		switch (t) {
		case TY_I1: return XS_LOAD1;
		case TY_I8: return XS_LOAD8;
		case TY_I16: return XS_LOAD16;
		case TY_I32: case TY_F32: return XS_LOAD32;
		default: return XS_LOAD64;
		}
	case FG_STORE:
		switch (ta) {
		case TY_I1: case TY_I8: return XS_STORE8;
		case TY_I16: return XS_STORE16;
		case TY_I32: case TY_F32: return XS_STORE32;
		default: return XS_STORE64;
		}
	case FG_FADD: return t == TY_F64 ? XS_FADD64 : FG_FADD;
	case FG_FSUB: return t == TY_F64 ? XS_FSUB64 : FG_FSUB;
	case FG_FMUL: return t == TY_F64 ? XS_FMUL64 : FG_FMUL;
	case FG_FDIV: return t == TY_F64 ? XS_FDIV64 : FG_FDIV;
	}
	return in->op;
}

static void decodeop(Dec *d, const FgOp *o)
{
	const FgFunc *f = d->f;
	const Ref *r = f->refs + o->arg;
	Ins in = {0};
	int nargs;

	if (o->op >= FG_NOP) {
		errorins(d, o->loc, "invalid operation %u", o->op);
		return;
	}
	nargs = fg_opinfo[o->op].nargs;
	if ((nargs >= 0 && o->narg != (uint32_t)nargs) || (o->op == FG_CALL && o->narg < 1) ||
	    (o->op == FG_ALLOCA && o->narg > 1)) {
		errorins(d, o->loc, "malformed '%s' operation", fg_opinfo[o->op].name);
		return;
	}
	in.op = o->op;
	in.t = o->type;
	in.d = o->res ? slot(d, o->res) : zeroslot(d);
	in.imm = o->imm;
	if (o->op == FG_CALL) {
		decodecall(d, o, in);
		return;
	}
	if (o->narg > 0)
		in.a = slot(d, r[0]), in.ta = fg_reftype(f, r[0]);
	if (o->narg > 1)
		in.b = slot(d, r[1]);
	if (o->narg > 2)
		in.c = slot(d, r[2]);
	if (in.d == zeroslot(d) && o->type != TY_VOID && !d->why)
		d->why = "operation without a result value";
	switch (o->op) {
	case FG_STORE:
		in.ta = fg_reftype(f, r[1]);
		break;
	case FG_ALLOCA:
		in.b = o->narg;
		in.c = o->aux < 16 ? o->aux : 4;
		break;
	case FG_HGREEN: case FG_HPROMOTE: case FG_HDEEPFREEZE:
		in.op = o->type == TY_VOID ? IX_NONE : FG_COPY;
		break;
	case FG_HVIRTUALIZABLE: case FG_MERGEPOINT:
		return;
	}
	if (!X.nospecial)
		in.op = special(&in);
	emit(d, in, o->loc);
}

/* Decode link l of function f: the moves to its target's arguments. */
static void decodelink(Dec *d, uint32_t l)
{
	const FgFunc *f = d->f;
	const FgLink *k = &f->links[l];
	XLink *x = &d->fn->links[l];
	const FgBlock *t;
	uint32_t i, j, n;

	x->move = fg_vlen(d->fn->moves);
	if (k->target >= fg_vlen(f->blocks)) {
		x->target = UINT32_MAX;
		return;
	}
	x->target = k->target;
	t = &f->blocks[k->target];
	n = k->narg < fg_vlen(t->args) ? k->narg : fg_vlen(t->args);
	for (i = 0; i < n; i++) {
		uint32_t src = slot(d, f->refs[k->arg + i]), dst = slot(d, t->args[i]);
		if (src == dst)
			continue;
		fg_vpush(&d->fn->moves, src);
		fg_vpush(&d->fn->moves, dst);
		x->nmove++;
	}
	for (i = 0; i < x->nmove; i++)
		for (j = 0; j < x->nmove; j++)
			if (i != j && d->fn->moves[x->move + 2 * i + 1] == d->fn->moves[x->move + 2 * j])
				x->tmp = 1;
}

/* Build the table of a switch exit whose links start at l. */
static uint32_t decodeswitch(Dec *d, const FgExit *e, int t)
{
	const FgLink *k = d->f->links + e->link;
	XSwitch sw = {0};
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	uint32_t i, n = e->nlink - 1;

	sw.deflt = e->link;
	for (i = 1; i <= n; i++) {
		int64_t v = norm(t, k[i].value);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	if (n > 0 && (uint64_t)hi - (uint64_t)lo < 4 * (uint64_t)n + 16) {
		sw.dense = 1;
		sw.lo = lo;
		sw.n = hi - lo + 1;
		sw.tab = fg_alloc(sw.n * sizeof(uint32_t));
		for (i = 0; i < sw.n; i++)
			sw.tab[i] = e->link;
		for (i = n; i >= 1; i--) /* the first of duplicate cases wins */
			sw.tab[norm(t, k[i].value) - lo] = e->link + i;
	} else {
		sw.n = n;
		sw.vals = fg_alloc((n + 1) * sizeof(int64_t));
		sw.tab = fg_alloc((n + 1) * sizeof(uint32_t));
		for (i = 0; i < n; i++) {
			sw.vals[i] = norm(t, k[i + 1].value);
			sw.tab[i] = e->link + i + 1;
		}
	}
	fg_vpush(&d->fn->sws, sw);
	return fg_vlen(d->fn->sws) - 1;
}

static void decodeexit(Dec *d, const FgExit *e)
{
	Ins in = {0};
	uint32_t k, nl = fg_vlen(d->f->links);

	if (e->link + e->nlink > nl && e->kind != EX_RETURN && e->kind != EX_UNREACHABLE) {
		errorins(d, e->loc, "block exit with invalid links");
		return;
	}
	for (k = 0; e->kind != EX_RETURN && k < e->nlink; k++)
		if (d->f->links[e->link + k].target >= fg_vlen(d->f->blocks)) {
			errorins(d, e->loc, "branch to an invalid block %u",
				d->f->links[e->link + k].target);
			return;
		}
	switch (e->kind) {
	case EX_GOTO:
		if (e->nlink < 1)
			break;
		in.op = IX_GOTO;
		in.imm = e->link;
		emit(d, in, e->loc);
		return;
	case EX_BRANCH:
		if (e->nlink < 2)
			break;
		in.op = IX_BR;
		in.a = slot(d, e->cond);
		in.b = e->link;
		in.c = e->link + 1;
		emit(d, in, e->loc);
		return;
	case EX_SWITCH:
		if (e->nlink < 1)
			break;
		in.op = IX_SWITCH;
		in.a = slot(d, e->cond);
		in.b = decodeswitch(d, e, fg_reftype(d->f, e->cond));
		emit(d, in, e->loc);
		return;
	case EX_RETURN:
		in.op = IX_RET;
		in.a = e->cond ? slot(d, e->cond) : zeroslot(d);
		emit(d, in, e->loc);
		return;
	case EX_UNREACHABLE:
		in.op = IX_UNREACH;
		emit(d, in, e->loc);
		return;
	}
	errorins(d, e->loc, "block without a valid exit");
}

/* Specialise a goto or branch whose links move at most two values.
 * Requires the links decoded. */
static void specialexit(const XFunc *fn, Ins *in)
{
	const XLink *k, *k2;
	const uint32_t *mv;
	XSwitch *sw;
	uint32_t j;

	if (in->op == IX_SWITCH) {
		sw = &fn->sws[in->b];
		for (j = 0; j < sw->n; j++)
			if (fn->links[sw->tab[j]].nmove)
				return;
		if (fn->links[sw->deflt].nmove)
			return;
		for (j = 0; j < sw->n; j++)
			sw->tab[j] = fn->links[sw->tab[j]].target;
		sw->deflt = fn->links[sw->deflt].target;
		in->op = XS_SWITCH;
		return;
	}
	if (in->op == IX_BR) {
		k = &fn->links[in->b];
		k2 = &fn->links[in->c];
		if (k->nmove == 0 && k2->nmove == 0) {
			in->op = XS_BR;
			in->b = k->target;
			in->c = k2->target;
		}
		return;
	}
	if (in->op != IX_GOTO)
		return;
	k = &fn->links[in->imm];
	mv = fn->moves + k->move;
	if (k->nmove > 2 || k->tmp)
		return;
	in->op = k->nmove == 0 ? XS_JMP : k->nmove == 1 ? XS_JMP1 : XS_JMP2;
	in->imm = k->target;
	if (k->nmove >= 1)
		in->a = mv[0], in->b = mv[1];
	if (k->nmove == 2)
		in->c = mv[2], in->d = mv[3];
}

/* Decode function k of module m into X.fns[k]. */
static void decode(const FgModule *m, uint32_t k)
{
	const FgFunc *f = &m->funcs[k];
	XFunc *fn = &X.fns[k];
	uint32_t b, i, nb = fg_vlen(f->blocks), nl = fg_vlen(f->links);
	Dec d = {.m = m, .f = f, .fn = fn, .nval = fg_vlen(f->vals)};

	fn->ncon = fg_vlen(f->cons);
	fn->con0 = d.nval;
	fn->nslot = d.nval + fn->ncon + 1;
	fn->cons = fg_alloc((fn->ncon + 1) * sizeof(uint64_t));
	d.bad = fg_alloc((fn->ncon + 1) * sizeof(char *));
	d.start = fg_alloc((nb + 1) * sizeof(uint32_t));
	fn->code = fg_vnew(0, sizeof(Ins));
	fn->locs = fg_vnew(0, sizeof(FgLoc));
	fn->moves = fg_vnew(0, sizeof(uint32_t));
	fn->calls = fg_vnew(0, sizeof(XCall));
	fn->sws = fg_vnew(0, sizeof(XSwitch));
	fn->msgs = fg_vnew(0, sizeof(char *));
	fn->links = fg_alloc((nl + 1) * sizeof(XLink));
	decodecons(&d);
	fn->params = fg_alloc((fn->nparam + 1) * sizeof(uint32_t));
	for (i = 0; i < fn->nparam; i++)
		fn->params[i] = nb && i < fg_vlen(f->blocks[0].args) ? slot(&d, f->blocks[0].args[i])
								    : zeroslot(&d);
	d.why = NULL;
	if (nb == 0)
		errorins(&d, f->loc, "function '%s' has no blocks", f->name);
	for (b = 0; b < nb; b++) {
		const FgBlock *bl = &f->blocks[b];
		d.start[b] = fg_vlen(fn->code);
		for (i = 0; i < fg_vlen(bl->ops); i++)
			decodeop(&d, &bl->ops[i]);
		decodeexit(&d, &bl->exit);
	}
	d.start[nb] = fg_vlen(fn->code);
	errorins(&d, f->loc, "branch to an invalid block in '%s'", f->name);
	for (i = 0; i < nl; i++) {
		decodelink(&d, i);
		fn->links[i].target = fn->links[i].target < nb ? d.start[fn->links[i].target]
								: d.start[nb];
	}
	if (!X.nospecial)
		for (i = 0; i < fg_vlen(fn->code); i++)
			specialexit(fn, &fn->code[i]);
	fg_free(d.bad);
	fg_free(d.start);
}

/* --- running ------------------------------------------------------------- */

/* Push a frame for fn with the given arguments; returns it. */
static Frame *enter(XFunc *fn, const uint64_t *args, uint32_t nargs, FgLoc loc)
{
	Frame *f;
	uint64_t *s = X.sp;
	uint32_t i;

	if (X.depth >= MAXDEPTH || (size_t)(X.send - s) < fn->nslot)
		fail(loc, "call depth limit exceeded (%u frames): runaway recursion?", X.depth);
	f = &X.frames[X.depth++];
	f->fn = fn;
	f->s = s;
	f->amark = X.ap;
	f->va = NULL;
	X.sp = s + fn->nslot;
	memcpy(s + fn->con0, fn->cons, fn->ncon * sizeof(uint64_t));
	for (i = 0; i < fn->nparam; i++)
		s[fn->params[i]] = i < nargs ? args[i] : 0;
	s[fn->nslot - 1] = 0;
	return f;
}

/* Push a frame for an interpreted call from slots s.  The variadic
 * arguments of a varargs callee go to its alloca stack, 8 bytes each, where
 * va_start points the va_list's overflow area. */
static Frame *entercall(XFunc *fn, const XCall *c, const uint64_t *s, FgLoc loc)
{
	uint64_t a[MAXARGS];
	uint32_t i, nva = c->narg > fn->nparam ? c->narg - fn->nparam : 0;
	Frame *f;

	for (i = 0; i < c->narg; i++)
		a[i] = s[c->args[i]];
	f = enter(fn, a, c->narg, loc);
	if (fn->varargs) {
		char *p = (char *)(((uintptr_t)X.ap + 15) & ~(uintptr_t)15);
		if (p + 8 * (nva + 1) > X.aend)
			fail(loc, "out of stack memory for variadic arguments");
		memcpy(p, a + fn->nparam, 8 * nva);
		f->va = p;
		X.ap = p + 8 * (nva + 1);
	}
	return f;
}

/* va_start for x86-64: the register save area is marked used up
 * (gp_offset 48, fp_offset 176), so va_arg, native or interpreted, takes
 * every argument from the overflow area. */
static void vastart(void *ap, char *va)
{
	uint32_t off[2] = {48, 176};

	memcpy(ap, off, 8);
	memcpy((char *)ap + 8, &va, 8);
	memcpy((char *)ap + 16, &va, 8);
}

/* Call native code at p for call site c; result into *r. */
static void callnative(void *p, XCall *c, uint64_t *s, uint64_t *r)
{
	void *av[MAXARGS + 1];
	uint32_t i;

	for (i = 0; i < c->narg; i++)
		av[i] = &s[c->args[i]];
	r[0] = r[1] = 0;
	ffi_call(&c->cif, FFI_FN(p), r, av);
}

/* Follow link l: parallel moves, then the target's first instruction. */
static inline const Ins *jump(const XFunc *fn, uint64_t *s, uint32_t l)
{
	const XLink *k = &fn->links[l];
	const uint32_t *mv = fn->moves + k->move, *end = mv + 2 * k->nmove;
	uint32_t i;

	if (!k->tmp) {
		for (; mv < end; mv += 2)
			s[mv[1]] = s[mv[0]];
	} else {
		uint64_t tmp[k->nmove];
		for (i = 0; i < k->nmove; i++)
			tmp[i] = s[mv[2 * i]];
		for (i = 0; i < k->nmove; i++)
			s[mv[2 * i + 1]] = tmp[i];
	}
	return fn->code + k->target;
}

static uint32_t swsearch(const XSwitch *sw, int64_t v)
{
	uint32_t i;

	for (i = 0; i < sw->n; i++)
		if (sw->vals[i] == v)
			return sw->tab[i];
	return sw->deflt;
}

/* The link (or target) of switch sw for value v. */
static inline uint32_t swlink(const XSwitch *sw, int64_t v)
{
	uint64_t k = (uint64_t)v - (uint64_t)sw->lo;

	if (!sw->dense)
		return swsearch(sw, v);
	return k < sw->n ? sw->tab[k] : sw->deflt;
}

#define LOC (fn->locs[i - fn->code])

/* Dispatch by direct threading (GNU C labels as values): each handler
 * ends with its own indirect jump to the next instruction's handler, which
 * predicts better than one shared switch (-26% instructions on bf). */
#define NEXT() do { i = pc++; goto *disp[i->op]; } while (0)

/* Run fn(args) to completion; interpreted calls stay in this loop. */
static uint64_t run(XFunc *fn, const uint64_t *args, uint32_t nargs)
{
	uint32_t base = X.depth;
	Frame *fr;
	uint64_t *s, r[2];
	const Ins *pc, *i;
	XCall *c;
	XFunc *t;
	static const void *disp[NDISP];
	int k;

	if (!disp[0]) { /* the handler of each instruction code */
		for (k = 0; k < NDISP; k++)
			disp[k] = &&l_default;
		disp[FG_ADD] = &&l_FG_ADD; disp[FG_SUB] = &&l_FG_SUB;
		disp[FG_MUL] = &&l_FG_MUL; disp[FG_AND] = &&l_FG_AND; disp[FG_OR] = &&l_FG_OR;
		disp[FG_XOR] = &&l_FG_XOR; disp[FG_SHL] = &&l_FG_SHL;
		disp[FG_LSHR] = &&l_FG_LSHR; disp[FG_ASHR] = &&l_FG_ASHR;
		disp[FG_SDIV] = &&l_FG_SDIV; disp[FG_UDIV] = &&l_FG_UDIV;
		disp[FG_SREM] = &&l_FG_SREM; disp[FG_UREM] = &&l_FG_UREM;
		disp[FG_SADDO] = &&l_FG_SADDO; disp[FG_UADDO] = &&l_FG_UADDO;
		disp[FG_SSUBO] = &&l_FG_SSUBO; disp[FG_USUBO] = &&l_FG_USUBO;
		disp[FG_SMULO] = &&l_FG_SMULO; disp[FG_UMULO] = &&l_FG_UMULO;
		disp[FG_EQ] = &&l_FG_EQ; disp[FG_NE] = &&l_FG_NE; disp[FG_SLT] = &&l_FG_SLT;
		disp[FG_SLE] = &&l_FG_SLE; disp[FG_SGT] = &&l_FG_SGT;
		disp[FG_SGE] = &&l_FG_SGE; disp[FG_ULT] = &&l_FG_ULT;
		disp[FG_ULE] = &&l_FG_ULE; disp[FG_UGT] = &&l_FG_UGT;
		disp[FG_UGE] = &&l_FG_UGE; disp[FG_FADD] = &&l_FG_FADD;
		disp[FG_FSUB] = &&l_FG_FSUB; disp[FG_FMUL] = &&l_FG_FMUL;
		disp[FG_FDIV] = &&l_FG_FDIV; disp[FG_FREM] = &&l_FG_FREM;
		disp[FG_FNEG] = &&l_FG_FNEG; disp[FG_FCMP] = &&l_FG_FCMP;
		disp[FG_ZEXT] = &&l_FG_ZEXT; disp[FG_SEXT] = &&l_FG_SEXT;
		disp[FG_TRUNC] = &&l_FG_TRUNC; disp[FG_FPTOSI] = &&l_FG_FPTOSI;
		disp[FG_FPTOUI] = &&l_FG_FPTOUI; disp[FG_SITOFP] = &&l_FG_SITOFP;
		disp[FG_UITOFP] = &&l_FG_UITOFP; disp[FG_FPEXT] = &&l_FG_FPEXT;
		disp[FG_FPTRUNC] = &&l_FG_FPTRUNC; disp[FG_PTRTOINT] = &&l_FG_PTRTOINT;
		disp[FG_INTTOPTR] = &&l_FG_INTTOPTR; disp[FG_BITCAST] = &&l_FG_BITCAST;
		disp[FG_SELECT] = &&l_FG_SELECT; disp[FG_COPY] = &&l_FG_COPY;
		disp[FG_PTRADD] = &&l_FG_PTRADD; disp[FG_ALLOCA] = &&l_FG_ALLOCA;
		disp[FG_LOAD] = &&l_FG_LOAD; disp[FG_STORE] = &&l_FG_STORE;
		disp[FG_MEMCPY] = &&l_FG_MEMCPY; disp[FG_MEMMOVE] = &&l_FG_MEMMOVE;
		disp[FG_MEMSET] = &&l_FG_MEMSET; disp[IX_NONE] = &&l_IX_NONE;
		disp[XS_MOV] = &&l_XS_MOV; disp[XS_JMP] = &&l_XS_JMP;
		disp[XS_JMP1] = &&l_XS_JMP1; disp[XS_JMP2] = &&l_XS_JMP2;
		disp[XS_BR] = &&l_XS_BR; disp[XS_ADD32] = &&l_XS_ADD32;
		disp[XS_ADD64] = &&l_XS_ADD64; disp[XS_SUB32] = &&l_XS_SUB32;
		disp[XS_SUB64] = &&l_XS_SUB64; disp[XS_MUL32] = &&l_XS_MUL32;
		disp[XS_MUL64] = &&l_XS_MUL64; disp[XS_AND] = &&l_XS_AND;
		disp[XS_OR] = &&l_XS_OR; disp[XS_XOR] = &&l_XS_XOR; disp[XS_SLT] = &&l_XS_SLT;
		disp[XS_SLE] = &&l_XS_SLE; disp[XS_SGT] = &&l_XS_SGT;
		disp[XS_SGE] = &&l_XS_SGE; disp[XS_ULT] = &&l_XS_ULT;
		disp[XS_ULE] = &&l_XS_ULE; disp[XS_UGT] = &&l_XS_UGT;
		disp[XS_UGE] = &&l_XS_UGE; disp[XS_ZEXT8] = &&l_XS_ZEXT8;
		disp[XS_ZEXT16] = &&l_XS_ZEXT16; disp[XS_ZEXT32] = &&l_XS_ZEXT32;
		disp[XS_SEXT1] = &&l_XS_SEXT1; disp[XS_TRUNC1] = &&l_XS_TRUNC1;
		disp[XS_TRUNC8] = &&l_XS_TRUNC8; disp[XS_TRUNC16] = &&l_XS_TRUNC16;
		disp[XS_TRUNC32] = &&l_XS_TRUNC32; disp[XS_LOAD1] = &&l_XS_LOAD1;
		disp[XS_LOAD8] = &&l_XS_LOAD8; disp[XS_LOAD16] = &&l_XS_LOAD16;
		disp[XS_LOAD32] = &&l_XS_LOAD32; disp[XS_LOAD64] = &&l_XS_LOAD64;
		disp[XS_STORE8] = &&l_XS_STORE8; disp[XS_STORE16] = &&l_XS_STORE16;
		disp[XS_STORE32] = &&l_XS_STORE32; disp[XS_STORE64] = &&l_XS_STORE64;
		disp[XS_FADD64] = &&l_XS_FADD64; disp[XS_FSUB64] = &&l_XS_FSUB64;
		disp[XS_FMUL64] = &&l_XS_FMUL64; disp[XS_FDIV64] = &&l_XS_FDIV64;
		disp[IX_VASTART] = &&l_IX_VASTART; disp[IX_VACOPY] = &&l_IX_VACOPY;
		disp[IX_GOTO] = &&l_IX_GOTO; disp[IX_BR] = &&l_IX_BR;
		disp[IX_SWITCH] = &&l_IX_SWITCH;
		disp[XS_SWITCH] = &&l_XS_SWITCH; disp[IX_CALLI] = &&l_IX_CALLI;
		disp[IX_CALLN] = &&l_IX_CALLN; disp[IX_CALLP] = &&l_IX_CALLP;
		disp[IX_RET] = &&l_IX_RET; disp[IX_UNREACH] = &&l_IX_UNREACH;
		disp[IX_ERROR] = &&l_IX_ERROR;
	}

	if (X.nest >= MAXNEST)
		fail(fn->loc, "too many nested calls from native code into '%s'", fn->name);
	X.nest++;
	fr = enter(fn, args, nargs, fn->loc);
	s = fr->s;
	pc = fn->code;
	NEXT();
	l_FG_ADD: l_FG_SUB: l_FG_MUL: l_FG_AND: l_FG_OR: l_FG_XOR:
	l_FG_SHL: l_FG_LSHR: l_FG_ASHR:
		s[i->d] = intop(i->op, i->t, s[i->a], s[i->b]);
		NEXT();
	l_FG_SDIV: l_FG_UDIV: l_FG_SREM: l_FG_UREM:
		s[i->d] = divop(i->op, i->t, s[i->a], s[i->b], LOC);
		NEXT();
	l_FG_SADDO: l_FG_UADDO: l_FG_SSUBO: l_FG_USUBO: l_FG_SMULO:
	l_FG_UMULO:
		s[i->d] = ovfop(i->op, i->ta, s[i->a], s[i->b]);
		NEXT();
	l_FG_EQ: s[i->d] = s[i->a] == s[i->b]; NEXT();
	l_FG_NE: s[i->d] = s[i->a] != s[i->b]; NEXT();
	l_FG_SLT: s[i->d] = sx(i->ta, s[i->a]) < sx(i->ta, s[i->b]); NEXT();
	l_FG_SLE: s[i->d] = sx(i->ta, s[i->a]) <= sx(i->ta, s[i->b]); NEXT();
	l_FG_SGT: s[i->d] = sx(i->ta, s[i->a]) > sx(i->ta, s[i->b]); NEXT();
	l_FG_SGE: s[i->d] = sx(i->ta, s[i->a]) >= sx(i->ta, s[i->b]); NEXT();
	l_FG_ULT: s[i->d] = zx(i->ta, s[i->a]) < zx(i->ta, s[i->b]); NEXT();
	l_FG_ULE: s[i->d] = zx(i->ta, s[i->a]) <= zx(i->ta, s[i->b]); NEXT();
	l_FG_UGT: s[i->d] = zx(i->ta, s[i->a]) > zx(i->ta, s[i->b]); NEXT();
	l_FG_UGE: s[i->d] = zx(i->ta, s[i->a]) >= zx(i->ta, s[i->b]); NEXT();
	l_FG_FADD: l_FG_FSUB: l_FG_FMUL: l_FG_FDIV: l_FG_FREM: l_FG_FNEG:
		s[i->d] = fpop(i->op, i->t, s[i->a], s[i->b]);
		NEXT();
	l_FG_FCMP:
		s[i->d] = fcmp(i->imm, getfp(i->ta, s[i->a]), getfp(i->ta, s[i->b]));
		NEXT();
	l_FG_ZEXT: l_FG_SEXT: l_FG_TRUNC: l_FG_FPTOSI: l_FG_FPTOUI:
	l_FG_SITOFP: l_FG_UITOFP: l_FG_FPEXT: l_FG_FPTRUNC: l_FG_PTRTOINT:
	l_FG_INTTOPTR: l_FG_BITCAST:
		s[i->d] = castop(i->op, i->t, i->ta, s[i->a]);
		NEXT();
	l_FG_SELECT: s[i->d] = s[i->a] & 1 ? s[i->b] : s[i->c]; NEXT();
	l_FG_COPY: s[i->d] = norm(i->t, s[i->a]); NEXT();
	l_FG_PTRADD: s[i->d] = s[i->a] + s[i->b]; NEXT();
	l_FG_ALLOCA: {
		uint64_t n = i->imm, al = (uint64_t)1 << i->c;
		char *p;
		if (i->b) {
			int64_t cnt = sx(i->ta, s[i->a]);
			if (cnt < 0 || (cnt && n > (uint64_t)ALLOCASTACK / cnt))
				fail(LOC, "alloca of %lld elements", (long long)cnt);
			n *= cnt;
		}
		p = (char *)(((uintptr_t)X.ap + al - 1) & ~(uintptr_t)(al - 1));
		if (p > X.aend || n > (uint64_t)(X.aend - p))
			fail(LOC, "out of stack memory for alloca (%llu bytes)", (unsigned long long)n);
		X.ap = p + n;
		s[i->d] = (uintptr_t)p;
		NEXT();
	}
	l_FG_LOAD: s[i->d] = load(i->t, (void *)(uintptr_t)s[i->a]); NEXT();
	l_FG_STORE: store(i->ta, (void *)(uintptr_t)s[i->a], s[i->b]); NEXT();
	l_FG_MEMCPY:
		memcpy((void *)(uintptr_t)s[i->a], (void *)(uintptr_t)s[i->b], s[i->c]);
		NEXT();
	l_FG_MEMMOVE:
		memmove((void *)(uintptr_t)s[i->a], (void *)(uintptr_t)s[i->b], s[i->c]);
		NEXT();
	l_FG_MEMSET:
		memset((void *)(uintptr_t)s[i->a], (int)(s[i->b] & 0xff), s[i->c]);
		NEXT();
	l_IX_NONE:
		NEXT();
	l_XS_MOV: s[i->d] = s[i->a]; NEXT();
	l_XS_JMP: pc = fn->code + i->imm; NEXT();
	l_XS_JMP1: s[i->b] = s[i->a]; pc = fn->code + i->imm; NEXT();
	l_XS_JMP2:
		s[i->b] = s[i->a];
		s[i->d] = s[i->c];
		pc = fn->code + i->imm;
		NEXT();
	l_XS_BR: pc = fn->code + (s[i->a] & 1 ? i->b : i->c); NEXT();
	l_XS_ADD32: s[i->d] = (int32_t)((uint32_t)s[i->a] + (uint32_t)s[i->b]); NEXT();
	l_XS_ADD64: s[i->d] = s[i->a] + s[i->b]; NEXT();
	l_XS_SUB32: s[i->d] = (int32_t)((uint32_t)s[i->a] - (uint32_t)s[i->b]); NEXT();
	l_XS_SUB64: s[i->d] = s[i->a] - s[i->b]; NEXT();
	l_XS_MUL32: s[i->d] = (int32_t)((uint32_t)s[i->a] * (uint32_t)s[i->b]); NEXT();
	l_XS_MUL64: s[i->d] = s[i->a] * s[i->b]; NEXT();
	l_XS_AND: s[i->d] = s[i->a] & s[i->b]; NEXT();
	l_XS_OR: s[i->d] = s[i->a] | s[i->b]; NEXT();
	l_XS_XOR: s[i->d] = s[i->a] ^ s[i->b]; NEXT();
	l_XS_SLT: s[i->d] = (int64_t)s[i->a] < (int64_t)s[i->b]; NEXT();
	l_XS_SLE: s[i->d] = (int64_t)s[i->a] <= (int64_t)s[i->b]; NEXT();
	l_XS_SGT: s[i->d] = (int64_t)s[i->a] > (int64_t)s[i->b]; NEXT();
	l_XS_SGE: s[i->d] = (int64_t)s[i->a] >= (int64_t)s[i->b]; NEXT();
	l_XS_ULT: s[i->d] = s[i->a] < s[i->b]; NEXT();
	l_XS_ULE: s[i->d] = s[i->a] <= s[i->b]; NEXT();
	l_XS_UGT: s[i->d] = s[i->a] > s[i->b]; NEXT();
	l_XS_UGE: s[i->d] = s[i->a] >= s[i->b]; NEXT();
	l_XS_ZEXT8: s[i->d] = (uint8_t)s[i->a]; NEXT();
	l_XS_ZEXT16: s[i->d] = (uint16_t)s[i->a]; NEXT();
	l_XS_ZEXT32: s[i->d] = (uint32_t)s[i->a]; NEXT();
	l_XS_SEXT1: s[i->d] = -(s[i->a] & 1); NEXT();
	l_XS_TRUNC1: s[i->d] = s[i->a] & 1; NEXT();
	l_XS_TRUNC8: s[i->d] = (int8_t)s[i->a]; NEXT();
	l_XS_TRUNC16: s[i->d] = (int16_t)s[i->a]; NEXT();
	l_XS_TRUNC32: s[i->d] = (int32_t)s[i->a]; NEXT();
	l_XS_LOAD1: s[i->d] = *(uint8_t *)(uintptr_t)s[i->a] & 1; NEXT();
	l_XS_LOAD8: s[i->d] = *(int8_t *)(uintptr_t)s[i->a]; NEXT();
	l_XS_LOAD16: s[i->d] = load(TY_I16, (void *)(uintptr_t)s[i->a]); NEXT();
	l_XS_LOAD32: s[i->d] = load(TY_I32, (void *)(uintptr_t)s[i->a]); NEXT();
	l_XS_LOAD64: s[i->d] = load(TY_I64, (void *)(uintptr_t)s[i->a]); NEXT();
	l_XS_STORE8: *(uint8_t *)(uintptr_t)s[i->a] = s[i->b]; NEXT();
	l_XS_STORE16: store(TY_I16, (void *)(uintptr_t)s[i->a], s[i->b]); NEXT();
	l_XS_STORE32: store(TY_I32, (void *)(uintptr_t)s[i->a], s[i->b]); NEXT();
	l_XS_STORE64: store(TY_I64, (void *)(uintptr_t)s[i->a], s[i->b]); NEXT();
	l_XS_FADD64: s[i->d] = putd(getd(s[i->a]) + getd(s[i->b])); NEXT();
	l_XS_FSUB64: s[i->d] = putd(getd(s[i->a]) - getd(s[i->b])); NEXT();
	l_XS_FMUL64: s[i->d] = putd(getd(s[i->a]) * getd(s[i->b])); NEXT();
	l_XS_FDIV64: s[i->d] = putd(getd(s[i->a]) / getd(s[i->b])); NEXT();
	l_IX_VASTART:
		if (!fr->va)
			fail(LOC, "va_start in '%s' called from native code", fn->name);
		vastart((void *)(uintptr_t)s[i->a], fr->va);
		NEXT();
	l_IX_VACOPY:
		memcpy((void *)(uintptr_t)s[i->a], (void *)(uintptr_t)s[i->b], 24);
		NEXT();
	l_IX_GOTO: pc = jump(fn, s, i->imm); NEXT();
	l_IX_BR: pc = jump(fn, s, s[i->a] & 1 ? i->b : i->c); NEXT();
	l_IX_SWITCH: pc = jump(fn, s, swlink(&fn->sws[i->b], s[i->a])); NEXT();
l_XS_SWITCH: pc = fn->code + swlink(&fn->sws[i->b], s[i->a]); NEXT();
	l_IX_CALLI:
		c = &fn->calls[i->imm];
		t = c->callee;
	callinterp:
		fr->pc = pc;
		fr = entercall(t, c, s, LOC);
		fn = t;
		s = fr->s;
		pc = fn->code;
		NEXT();
	l_IX_CALLN:
		c = &fn->calls[i->imm];
		callnative(c->native, c, s, r);
		if (i->t != TY_VOID)
			s[i->d] = norm(i->t, r[0]);
		NEXT();
	l_IX_CALLP: {
		void *p = (void *)(uintptr_t)s[i->a];
		c = &fn->calls[i->imm];
		if ((t = hfind(p)))
			goto callinterp;
		if (!p)
			fail(LOC, "call through a null function pointer");
		callnative(p, c, s, r);
		if (i->t != TY_VOID)
			s[i->d] = norm(i->t, r[0]);
		NEXT();
	}
	l_IX_RET: {
		uint64_t v = s[i->a];
		X.depth--;
		X.sp = fr->s;
		X.ap = fr->amark;
		if (X.depth == base) {
			X.nest--;
			return v;
		}
		fr = &X.frames[X.depth - 1];
		fn = fr->fn;
		s = fr->s;
		pc = fr->pc;
		if (pc[-1].t != TY_VOID)
			s[pc[-1].d] = norm(pc[-1].t, v);
		NEXT();
	}
	l_IX_UNREACH:
		trap(LOC, 134, "unreachable code reached");
	l_IX_ERROR:
		fail(LOC, "%s", fn->msgs[i->imm]);
	l_default:
		fail(LOC, "internal error: bad instruction %u", i->op);
}

/* --- set-up -------------------------------------------------------------- */

static void *reserve(size_t n)
{
	void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		-1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Materialise the globals; 0 or -1 after an error. */
static int setglobals(const FgModule *m)
{
	uint32_t k, i, ng = fg_vlen(m->globals);
	int bad = 0;

	X.gaddr = fg_alloc((ng + 1) * sizeof(char *));
	for (k = 0; k < ng; k++) {
		const FgGlobal *g = &m->globals[k];
		size_t al = g->align < 16 ? 16 : g->align;
		void *p = NULL;

		if (!(g->flags & GL_DEFINED)) {
			X.gaddr[k] = native(g->name);
			continue;
		}
		if (posix_memalign(&p, al, g->size ? (g->size + 15) & ~(size_t)15 : 16))
			die("out of memory");
		memset(p, 0, g->size ? g->size : 1);
		if (g->init && fg_vlen(g->init) >= g->size)
			memcpy(p, g->init, g->size);
		X.gaddr[k] = p;
	}
	for (k = 0; k < ng; k++) {
		const FgGlobal *g = &m->globals[k];
		for (i = 0; (g->flags & GL_DEFINED) && i < fg_vlen(g->relocs); i++) {
			const FgReloc *r = &g->relocs[i];
			void *a = NULL;
			if (r->kind == CK_GLOBAL && r->sym < ng)
				a = X.gaddr[r->sym];
			else if (r->kind == CK_FUNC && r->sym < X.nfn)
				a = funcaddr(r->sym);
			if (!a || r->off + 8 > g->size) {
				bad = fg_error(m, g->loc, "global '%s': unresolved or invalid relocation",
					g->name);
				continue;
			}
			a = (char *)a + r->addend;
			memcpy(X.gaddr[k] + r->off, &a, 8);
		}
	}
	return bad;
}

/* Build the executor's state for m; 0 or -1 after an error. */
static int setup(const FgModule *m)
{
	uint32_t k, n = fg_vlen(m->funcs), cap = 16;

	X.nfn = n;
	X.nospecial = getenv("FG_EXEC_NOSPECIAL") && *getenv("FG_EXEC_NOSPECIAL");
	X.fns = fg_alloc((n + 1) * sizeof(XFunc));
	X.nfile = fg_vlen(m->files);
	X.files = fg_alloc((X.nfile + 1) * sizeof(char *));
	for (k = 0; k < X.nfile; k++) {
		char *s = fg_alloc(strlen(m->files[k]) + 1);
		X.files[k] = strcpy(s, m->files[k]);
	}
	while (cap < 2 * n)
		cap *= 2;
	X.hkeys = fg_alloc(cap * sizeof(void *));
	X.hvals = fg_alloc(cap * sizeof(XFunc *));
	X.hmask = cap - 1;
	for (k = 0; k < n; k++) {
		const FgFunc *f = &m->funcs[k];
		XFunc *fn = &X.fns[k];
		char *s = fg_alloc(strlen(f->name) + 1);
		fn->name = strcpy(s, f->name);
		fn->ret = f->ret;
		fn->loc = f->loc;
		fn->defined = (f->flags & FN_DEFINED) != 0;
		fn->varargs = (f->flags & FN_VARARGS) != 0;
		fn->nparam = fg_vlen(f->params);
		fn->ptypes = fg_alloc(fn->nparam + 1);
		memcpy(fn->ptypes, f->params, fn->nparam);
	}
	if (!X.frames) { /* kept across runs (unit tests run several modules) */
		X.frames = reserve(MAXDEPTH * sizeof(Frame));
		X.sp = reserve(SLOTSTACK * sizeof(uint64_t));
		X.ap = reserve(ALLOCASTACK);
		if (!X.frames || !X.sp || !X.ap)
			return fg_errorat("", 0, "cannot reserve the executor's stacks");
		X.send = X.sp + SLOTSTACK;
		X.aend = X.ap + ALLOCASTACK;
	}
	if (setglobals(m) < 0)
		return -1;
	for (k = 0; k < n; k++)
		if (X.fns[k].defined)
			decode(m, k);
	return 0;
}

/* Run main(argc, argv, envp).  State is kept after the return: atexit
 * handlers may still call interpreted functions. */
int fg_run(FgModule *m, int argc, char **argv)
{
	jmp_buf jb;
	uint64_t a[3];
	char **av;
	int k, rc;

	k = fg_findfunc(m, "main");
	if (k < 0 || !(m->funcs[k].flags & FN_DEFINED))
		return fg_errorat(fg_vlen(m->files) > 1 ? m->files[1] : "", 0, "no function 'main' defined");
	if (setup(m) < 0)
		return -1;
	av = fg_alloc((argc + 1) * sizeof(char *));
	memcpy(av, argv, argc * sizeof(char *));
	a[0] = (uint32_t)argc;
	a[1] = (uintptr_t)av;
	a[2] = (uintptr_t)environ;
	if (setjmp(jb)) {
		X.err = NULL;
		X.depth = 0;
		X.nest = 0;
		X.sp = X.send - SLOTSTACK;
		X.ap = X.aend - ALLOCASTACK;
		return -1;
	}
	X.err = &jb;
	rc = (int)run(&X.fns[k], a, 3);
	X.err = NULL;
	return X.fns[k].ret == TY_VOID ? 0 : rc;
}
