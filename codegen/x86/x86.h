/*
 * x86.h: the runtime code emitter's public API (codegen/x86/).
 *
 * The generating extension records a compile unit as residual IR through
 * this API, then either compiles it to x86-64 (x86_compile) or runs it in
 * the residual-IR interpreter (x86_interp, the test oracle).  docs/codegen.md
 * explains the IR with a worked example.
 *
 * The model.  A unit is one function: typed parameters, a return type and
 * blocks.  Block 0 is the entry; its arguments are the parameters and it has
 * no predecessors.  Blocks are created in any order and filled in any
 * order; each ends with one terminator.  Values are SSA: a value may be used
 * by any operation that its definition dominates.  A block's arguments are
 * bound by the jumps into it (no phis).  Targets of branch, switch and
 * flexswitch cases take no arguments.
 *
 * Operands are X86Ref: a value (an argument or an operation's result) or a
 * constant (x86_con), so the backend can fold constants into instructions.
 * Refs are small integers, valid only inside their unit:
 *
 *   31 30 29                               0
 *   +-----+---------------------------------+
 *   |kind |             index               |
 *   +-----+---------------------------------+
 *   XK_NONE (ref 0) no value, XK_VAL a value, XK_CON a constant
 *
 * Types.  i8/i16/i32/i64 and ptr are integers (ptr is a 64-bit integer
 * that may be used wherever i64 is, and mixed with it); f64 is a double.
 * A value of an N-bit type has only N meaningful bits: in raw form (the
 * int64_t words of the interpreter, the callbacks and x86_ccall) integers
 * are sign-extended to 64 bits and f64 travels as its bit pattern.
 *
 * Semantics of the operations (checked by the conformance tests):
 *   add sub mul and or xor   wrap around at the type's width
 *   sdiv udiv srem urem      C semantics (truncating); a zero divisor, or
 *                            the type's minimum divided by -1, is undefined
 *                            (the caller guards: x86 traps)
 *   shl lshr ashr            the amount is taken modulo the width
 *   eq .. uge                integer compares; result i8, 0 or 1
 *   fadd fsub fmul fdiv fneg IEEE double arithmetic
 *   feq flt fle fgt fge      C ordered compares (false on NaN); fne is C
 *                            != (true on NaN); result i8
 *   sext zext trunc          to the op's integer type
 *   sitof                    signed integer to f64
 *   ftosi                    f64 to integer, truncating; to i32/i64 a NaN
 *                            or out-of-range value gives the type's minimum
 *                            (x86 "integer indefinite"); to i8/i16 it is
 *                            the conversion to i32, truncated
 *   bitcast                  same bits, other type (i64 <-> f64, i64 <-> ptr)
 *   select c, a, b           c != 0 ? a : b
 *   load/store               [base + index * scale + offset], scale 1/2/4/8,
 *                            index may be X86_NONE; unaligned is fine
 *   slot                     the address of a stack slot of the unit: a
 *                            block of memory that lives until the unit's
 *                            (root's) invocation returns, one per slot op;
 *                            its contents are undefined until written
 *   call                     System V call of a C function (a constant
 *                            address: direct; a value: indirect); at most
 *                            X86_MAXCALLARGS arguments; i8/i16 arguments
 *                            are passed sign-extended to 32 bits
 *   branch c                 c is any integer; taken when c != 0
 *
 * Patchable exits.  An exit stub (x86_exitstub) ends a block with a list of
 * live values and a callback.  When it runs, the live values are saved and
 * the callback is called as fn(opaque, site, 0, live) where live[i] is the
 * raw value of the i-th live value.  The callback builds a *bridge*
 * (x86_bridge(site): a new unit whose entry block's arguments are the live
 * values), finishes it and returns it; the emitter compiles it (x86 mode)
 * or interprets it, re-points the stub to it so later executions go
 * straight to the bridge, and continues in the bridge.  A flexswitch
 * (x86_flexswitch) compares an integer value against the cases known so
 * far; on a miss it calls fn(opaque, site, value, live) and adds the
 * returned bridge as the case for that value.  Cases may also be given at
 * build time (x86_flexcase) to blocks of the unit.  Bridges run in the
 * frame of their root unit; they may contain stubs and flexswitches, and
 * may jump into reentry blocks of their ancestors (x86_jumpunit).
 *
 * Leaving early.  A callback that cannot compile returns NULL.  The unit
 * then returns to its C caller at once with 0 (or 0.0, or nothing), and
 * x86_leftearly() returns the site (it would have returned NULL after a
 * normal return).  The callback saw the live values, so the portal can
 * resume in the interpreter.
 *
 * Errors.  Nothing here aborts.  A failing request (no memory, malformed
 * IR, an unsupported feature, code memory exhausted) makes the unit
 * *failed*: later builder calls do nothing and return X86_NONE, and
 * x86_compile returns NULL.  x86_error tells why.
 */
#ifndef X86_H
#define X86_H

#include <stdint.h>
#include <stdio.h>

typedef struct X86Unit X86Unit; /* a compile unit (or a bridge) */
typedef struct X86Exit X86Exit; /* a patchable exit: stub or flexswitch */
typedef uint32_t X86Ref;        /* an operand (layout above) */

enum { XK_NONE, XK_VAL, XK_CON };
#define X86_NONE ((X86Ref)0)
#define X86_MKREF(kind, idx) ((X86Ref)((uint32_t)(kind) << 30 | (uint32_t)(idx)))
#define X86_REFKIND(r) ((r) >> 30)
#define X86_REFIDX(r) ((r) & 0x3fffffffu)

/* Value types. */
typedef enum {
	X86_VOID, X86_I8, X86_I16, X86_I32, X86_I64, X86_PTR, X86_F64,
	X86_NTYPE
} X86Type;

/*
 * The operations, defined once: _(NAME, "text", nargs, props).  The enum is
 * XR_NAME; x86_opinfo[] has the text and the property columns:
 *   XP_PURE   no side effect, no trap    XP_COMM   commutative
 *   XP_CMP    compare, i8 result         XP_CAST   conversion to op type
 *   XP_FLOAT  operands are f64           XP_LOAD   reads memory
 *   XP_STORE  writes memory              XP_CALL   calls C code
 *   XP_TRAP   may trap (division)
 * Operand slots of RIns (internal.h): a, b, c.
 *   binary, compare   a, b (same type; ptr and i64 mix)
 *   unary, cast       a
 *   select            a = condition, b = if true, c = if false
 *   load              a = base, b = index or X86_NONE; scale, off
 *   store             a = base, b = index or X86_NONE, c = stored value
 *   slot              off = slot number
 *   call              a = callee; arguments in the unit's ref pool
 */
#define X86_ROPS(_) \
	_(ADD,    "add",    2, XP_PURE | XP_COMM) \
	_(SUB,    "sub",    2, XP_PURE) \
	_(MUL,    "mul",    2, XP_PURE | XP_COMM) \
	_(SDIV,   "sdiv",   2, XP_TRAP) \
	_(UDIV,   "udiv",   2, XP_TRAP) \
	_(SREM,   "srem",   2, XP_TRAP) \
	_(UREM,   "urem",   2, XP_TRAP) \
	_(AND,    "and",    2, XP_PURE | XP_COMM) \
	_(OR,     "or",     2, XP_PURE | XP_COMM) \
	_(XOR,    "xor",    2, XP_PURE | XP_COMM) \
	_(SHL,    "shl",    2, XP_PURE) \
	_(LSHR,   "lshr",   2, XP_PURE) \
	_(ASHR,   "ashr",   2, XP_PURE) \
	_(EQ,     "eq",     2, XP_PURE | XP_COMM | XP_CMP) \
	_(NE,     "ne",     2, XP_PURE | XP_COMM | XP_CMP) \
	_(SLT,    "slt",    2, XP_PURE | XP_CMP) \
	_(SLE,    "sle",    2, XP_PURE | XP_CMP) \
	_(SGT,    "sgt",    2, XP_PURE | XP_CMP) \
	_(SGE,    "sge",    2, XP_PURE | XP_CMP) \
	_(ULT,    "ult",    2, XP_PURE | XP_CMP) \
	_(ULE,    "ule",    2, XP_PURE | XP_CMP) \
	_(UGT,    "ugt",    2, XP_PURE | XP_CMP) \
	_(UGE,    "uge",    2, XP_PURE | XP_CMP) \
	_(FADD,   "fadd",   2, XP_PURE | XP_COMM | XP_FLOAT) \
	_(FSUB,   "fsub",   2, XP_PURE | XP_FLOAT) \
	_(FMUL,   "fmul",   2, XP_PURE | XP_COMM | XP_FLOAT) \
	_(FDIV,   "fdiv",   2, XP_PURE | XP_FLOAT) \
	_(FNEG,   "fneg",   1, XP_PURE | XP_FLOAT) \
	_(FEQ,    "feq",    2, XP_PURE | XP_COMM | XP_CMP | XP_FLOAT) \
	_(FNE,    "fne",    2, XP_PURE | XP_COMM | XP_CMP | XP_FLOAT) \
	_(FLT,    "flt",    2, XP_PURE | XP_CMP | XP_FLOAT) \
	_(FLE,    "fle",    2, XP_PURE | XP_CMP | XP_FLOAT) \
	_(FGT,    "fgt",    2, XP_PURE | XP_CMP | XP_FLOAT) \
	_(FGE,    "fge",    2, XP_PURE | XP_CMP | XP_FLOAT) \
	_(SEXT,   "sext",   1, XP_PURE | XP_CAST) \
	_(ZEXT,   "zext",   1, XP_PURE | XP_CAST) \
	_(TRUNC,  "trunc",  1, XP_PURE | XP_CAST) \
	_(SITOF,  "sitof",  1, XP_PURE | XP_CAST) \
	_(FTOSI,  "ftosi",  1, XP_PURE | XP_CAST | XP_FLOAT) \
	_(BITCAST, "bitcast", 1, XP_PURE | XP_CAST) \
	_(SELECT, "select", 3, XP_PURE) \
	_(LOAD,   "load",   2, XP_LOAD) \
	_(STORE,  "store",  3, XP_STORE) \
	_(SLOT,   "slot",   0, XP_PURE) \
	_(CALL,   "call",  -1, XP_LOAD | XP_STORE | XP_CALL)

typedef enum {
#define X86_ROPENUM(name, text, nargs, props) XR_##name,
	X86_ROPS(X86_ROPENUM)
#undef X86_ROPENUM
	XR_NOP
} X86ROp;

enum {
	XP_PURE = 1 << 0,  /* no side effect, cannot trap */
	XP_COMM = 1 << 1,  /* commutative */
	XP_CMP = 1 << 2,   /* compare: i8 result, 0 or 1 */
	XP_CAST = 1 << 3,  /* conversion to the op's type */
	XP_FLOAT = 1 << 4, /* f64 operands */
	XP_LOAD = 1 << 5,  /* reads memory */
	XP_STORE = 1 << 6, /* writes memory */
	XP_CALL = 1 << 7,  /* calls C code */
	XP_TRAP = 1 << 8,  /* may trap (undefined operands) */
};

typedef struct {
	const char *name; /* printer name */
	int nargs;        /* operand count, -1 for calls */
	unsigned props;   /* XP_* bits */
} X86OpInfo;

extern const X86OpInfo x86_opinfo[XR_NOP];
extern const char *const x86_typename[X86_NTYPE];

/* Error codes (x86_error); 0 is success. */
enum {
	X86_OK,
	X86_ENOMEM,  /* out of memory */
	X86_EINVAL,  /* malformed IR: bad type, bad block, double terminator */
	X86_EUNSUP,  /* a request this emitter does not support */
	X86_ECODE,   /* code memory bound reached */
	X86_ELIMIT,  /* interpreter: step limit reached */
	X86_ETRAP,   /* interpreter: the unit divided by zero or overflowed */
	X86_NERR
};

/* Limits. */
#define X86_MAXPARAMS_INT 6 /* integer parameters of a unit (registers) */
#define X86_MAXPARAMS_F64 8 /* f64 parameters of a unit (registers) */
#define X86_MAXCALLARGS 16  /* arguments of one call */

/*
 * A patchable exit's callback: returns the bridge to continue in (built on
 * x86_bridge(site) and finished), or NULL to leave the unit early.  value
 * is the flexswitch's value (0 for a stub); live[i] the raw live values.
 */
typedef X86Unit *X86ExitFn(void *opaque, X86Exit *site, int64_t value,
                           const int64_t *live);

/* --- rir.c: building units -------------------------------------------- */

/* A new unit with nparam parameters of the given types (block 0's
 * arguments) returning ret (X86_VOID for none).  NULL only when out of
 * memory; a bad signature gives a failed unit. */
X86Unit *x86_newunit(int nparam, const uint8_t *params, int ret);
/* Free a unit, all its bridges and their code.  Requires a root unit. */
void x86_free(X86Unit *u);
/* The error code of a failed unit, X86_OK otherwise; its text. */
int x86_error(const X86Unit *u);
const char *x86_errstr(int err);

/* A new block with nargs arguments of the given types; returns its number
 * (-1 when the unit failed). */
int x86_block(X86Unit *u, int nargs, const uint8_t *types);
/* The i-th argument of block b (block 0: the parameters). */
X86Ref x86_arg(X86Unit *u, int b, int i);
/* A constant of an integer type (truncated to its width) or of f64. */
X86Ref x86_con(X86Unit *u, int type, int64_t v);
X86Ref x86_conf(X86Unit *u, double v);
/* The type of an operand (X86_VOID for X86_NONE). */
int x86_type(const X86Unit *u, X86Ref r);

/* Operations, appended to block b (which must not be terminated yet). */
/* Binary arithmetic, shifts and compares; the type comes from a. */
X86Ref x86_op2(X86Unit *u, int b, int op, X86Ref a, X86Ref c);
/* fneg, and the casts (sext zext trunc sitof ftosi bitcast) to type. */
X86Ref x86_op1(X86Unit *u, int b, int op, int type, X86Ref a);
X86Ref x86_select(X86Unit *u, int b, X86Ref cond, X86Ref a, X86Ref c);
/* Load a value of type from [base + index * scale + off]. */
X86Ref x86_load(X86Unit *u, int b, int type, X86Ref base, X86Ref index,
                int scale, int32_t off);
/* Store v (of its own type) to [base + index * scale + off]. */
void x86_store(X86Unit *u, int b, X86Ref v, X86Ref base, X86Ref index,
               int scale, int32_t off);
/* The address of a new stack slot of size bytes (align: 1 to 16). */
X86Ref x86_slot(X86Unit *u, int b, int32_t size, int align);
/* Call fn (constant: direct, value: indirect) with nargs arguments;
 * returns the result, or X86_NONE when ret is X86_VOID. */
X86Ref x86_call(X86Unit *u, int b, int ret, X86Ref fn, int nargs,
                const X86Ref *args);

/* Terminators. */
void x86_ret(X86Unit *u, int b, X86Ref v); /* v = X86_NONE for void */
void x86_jump(X86Unit *u, int b, int to, int nargs, const X86Ref *args);
void x86_branch(X86Unit *u, int b, X86Ref cond, int ifso, int ifnot);
/* Multi-way switch on an integer: cases[i] -> to[i], else dflt. */
void x86_switch(X86Unit *u, int b, X86Ref v, int ncase,
                const int64_t *cases, const int *to, int dflt);
/* Exit stub with nlive live values (see above).  NULL when failed. */
X86Exit *x86_exitstub(X86Unit *u, int b, int nlive, const X86Ref *live,
                      X86ExitFn *fn, void *opaque);
/* Flexswitch on integer v.  NULL when failed. */
X86Exit *x86_flexswitch(X86Unit *u, int b, X86Ref v, int nlive,
                        const X86Ref *live, X86ExitFn *fn, void *opaque);
/* A build-time case of a flexswitch: value -> block to (no arguments) of
 * the flexswitch's unit.  Only before the unit is compiled or run. */
void x86_flexcase(X86Exit *site, int64_t value, int to);
/* Mark block b as a reentry block: bridges may jump to it.  No value but
 * its own arguments may be live at its start: code reachable from it uses
 * only its arguments and values defined after it (everything needed later
 * is passed as an argument). */
void x86_reentry(X86Unit *u, int b);
/* Jump from a bridge to reentry block `to` of an ancestor unit `target`
 * (of the same root), binding its arguments.  `target` may also be any
 * unit of the tree already compiled or run (a sibling). */
void x86_jumpunit(X86Unit *u, int b, X86Unit *target, int to, int nargs,
                  const X86Ref *args);

/* A new bridge for a site: block 0's arguments have the types of the
 * site's live values.  Owned by the site's root unit (freed with it). */
X86Unit *x86_bridge(X86Exit *site);
/* Accessors for callbacks. */
X86Unit *x86_siteunit(const X86Exit *site);
int x86_sitenlive(const X86Exit *site);
/* Check a finished unit: every block terminated, operand types, arity.
 * Returns X86_OK or the error (and fails the unit). */
int x86_verify(X86Unit *u);
/* Operation counts: how many ops of kind op (XR_*) the unit has. */
int x86_countops(const X86Unit *u, int op);
/* After a unit returned to C: the site through which it left early, or
 * NULL after a normal return (also when a unit it called through C left
 * early meanwhile); reading clears it (per thread). */
X86Exit *x86_leftearly(void);

/* Allocation: every allocation of the module goes through x86_alloc
 * (realloc semantics).  Tests set x86_allocfail to n > 0 to make the n-th
 * allocation from now fail. */
void *x86_alloc(void *p, size_t size);
extern long x86_allocfail;

/* --- rcheck.c: the SSA check ------------------------------------------ */

/* The strict check the interpreter runs: x86_verify, plus every use
 * dominated by its definition and the reentry rule (quadratic at worst;
 * not run by x86_compile).  Returns X86_OK or X86_EINVAL (unit failed). */
int x86_checkssa(X86Unit *u);

/* --- rprint.c: the text form ------------------------------------------ */

/* Print a unit, one op per line (format in docs/codegen.md). */
void x86_print(FILE *f, const X86Unit *u);
/* Print one operand. */
void x86_printref(FILE *f, const X86Unit *u, X86Ref r);

/* --- rinterp.c: the residual-IR interpreter ---------------------------- */

/* Run unit u (a root) with raw arguments args[0..nparam); the raw result
 * goes to *res (0 for void).  maxsteps > 0 bounds the ops executed.
 * Returns X86_OK, or -1 when the unit left early (x86_leftearly tells
 * where), or an error code (the unit's own, or X86_ELIMIT/X86_ETRAP/
 * X86_EINVAL for a run-time fault). */
int x86_interp(X86Unit *u, const int64_t *args, int64_t *res,
               long maxsteps);
/* Call a C function (or compiled unit) fn with raw arguments of the given
 * types, System V; returns the raw result (0 for void).  nargs <=
 * X86_MAXCALLARGS. */
int64_t x86_ccall(void *fn, int ret, int nargs, const uint8_t *types,
                  const int64_t *args);
/* Normalise a raw integer to its type (sign-extend from its width). */
int64_t x86_norm(int type, int64_t v);

/* --- backend (engineer B): x86_compile and friends ---------------------- */

/* Compile a verified unit (or bridge) to machine code.  Returns the entry
 * address (for a root: callable from C with the unit's signature, e.g.
 * through x86_ccall), or NULL when the unit failed (x86_error). */
void *x86_compile(X86Unit *u);

/* ==== backend section (engineer B adds declarations below) ============= */

/* The backend is linked: x86_compile works (conformance tests use it). */
#define X86_HAVE_BACKEND 1
/* Disassemble code[0..len) to out (Capstone); the instruction count. */
int x86_disasm(const void *code, size_t len, FILE *out);
/* Bound the code memory (bytes, before the first compilation). */
void x86_codelimit(size_t bytes);
/* Bytes of code memory in use (units, bridges, flexswitch chains). */
size_t x86_codeused(void);
/* stats.c: machine code bytes of a compiled unit (0 if not compiled), of
 * a root and all its bridges; exit stubs of a unit (flexswitches in
 * *nflex); the root of a unit's tree; the bridges of a root. */
uint32_t x86_codesize(const X86Unit *u);
uint32_t x86_treesize(const X86Unit *root);
int x86_countexits(const X86Unit *u, int *nflex);
X86Unit *x86_root(const X86Unit *u);
int x86_nbridges(const X86Unit *root);
/* Name JIT code in /tmp/perf-PID.map (also on with env X86_PERFMAP). */
void x86_perfmapon(int on);
/* Environment: X86_DUMP set prints every compiled unit (text form and
 * disassembly) to stderr; X86_MPROTECT set selects the mprotect W^X mode
 * instead of the dual mapping.  The backend (code memory, compilation,
 * patching) is not thread-safe: one thread compiles and patches at a time. */

#endif
