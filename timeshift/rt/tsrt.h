/* tsrt.h: the runtime of generating extensions (docs/timeshift.md).
 *
 * The only interface between the C that `tsgen gen` writes and the
 * runtime.  Generated code keeps compile-time state in frames: green slots
 * g[] (raw int64: integers sign-extended from their width, i1 as 0/1,
 * pointers as integers, doubles by their bits) and red slots r[] (boxes).
 * Red operations call ts_* functions, which fold them (constant operands)
 * or emit residual IR through codegen/x86.  Generated functions never call
 * each other: they return a status to the driver loop (ts_run).
 *
 * Nothing here aborts: a bound or an unsupported request ends the path
 * with TS_FAIL; the portal entry then runs the plain interpreter (a failed
 * compile) or resumes it at the global merge point (ts_resume_NAME).
 */
#ifndef TSRT_H
#define TSRT_H

#include <stdint.h>
#include <string.h>
#include "../../codegen/x86/x86.h"

/* Status of a specialisation function (read by the driver loop). */
enum {
	TS_STOP,   /* this path ended (jumped to existing code, left, returned) */
	TS_CALL,   /* a frame was pushed: run it */
	TS_RETURN, /* the frame returned; its result is in the state */
	TS_FAIL,   /* a bound or an error: the path fails */
};

/* Box kinds. */
enum {
	TB_NONE,  /* dead slot */
	TB_CONST, /* value known at compile time: val */
	TB_VAR,   /* run-time value: ref in the unit being built */
	TB_VIRT,  /* pointer to virtual object ref (index) plus val bytes */
};

/* A red value at compile time, copied by value (16 bytes). */
typedef struct {
	uint8_t kind;  /* TB_* */
	uint8_t type;  /* X86Type of the value */
	uint16_t pad;  /* unused */
	uint32_t ref;  /* TB_VAR: X86Ref; TB_VIRT: object index */
	int64_t val;   /* TB_CONST: raw value; TB_VIRT: byte offset */
} TsBox;

typedef struct TsState TsState;
/* What JIT code hands to ts_resume_NAME when it leaves at the global
 * merge point: the live values of the merge point (greens then reds, in
 * TsMerge order) and the contents of the portal's live allocas (opaque). */
typedef struct TsLeave TsLeave;
typedef struct TsFrame TsFrame;

/* A specialisation: generated, one per HaSpec. */
typedef struct {
	const char *name;                   /* e.g. "tlr_interp" */
	int (*fn)(TsState *, TsFrame *);    /* its generated function */
	int nslot;                          /* slots (= flow-graph values) */
} TsSpec;

/* A live set: red slots live at a point (generated, static). */
typedef struct {
	int n;            /* count */
	const int *slot;  /* red slot numbers */
} TsLive;

/* A merge point: a block marked HM_GLOBAL, HM_LOOP or HM_JOIN (generated). */
typedef struct {
	int id;           /* unique in the extension */
	int global;       /* the global merge point (of the portal) */
	int ng;           /* live green slots: the key */
	const int *gslot; /* their numbers */
	TsLive red;       /* live red slots */
	const char *where; /* file:line, for TS_LOG */
	int join;         /* a join after a red split (HM_JOIN): merge.c */
} TsMerge;

/* The generic path of a promotion site (generated; drive.c): past
 * TS_MAXCASES values one bridge, shared by every later value, runs spec
 * (the same function coloured with this TS_PROMOTE a plain copy) from its
 * resume point at the promotion, the value red; the live slots green here
 * and red there (slot[i]) become constant boxes of x86 type type[i]. */
typedef struct {
	const TsSpec *spec;   /* the generic variant */
	int resume;           /* its resume point at the promotion */
	int n;                /* slots that turn red */
	const int *slot;      /* their numbers */
	const uint8_t *type;  /* their x86 types */
} TsGeneric;

/* The portal (generated). */
typedef struct {
	const char *name;        /* the portal's name */
	const TsSpec *spec;      /* its specialisation (specs[0]) */
	int nparam;              /* parameters */
	const uint8_t *ptype;    /* X86Type of each parameter */
	const uint8_t *pgreen;   /* 1 if the parameter is green */
	int ret;                 /* X86Type of the result (X86_VOID: none) */
	const int *pslot;        /* slot of each parameter */
	int64_t (*resume)(const TsLeave *);   /* ts_resume_NAME */
	const TsMerge *mp;       /* the global merge point, or NULL */
	void (*entry)(void);     /* the JIT entry NAME (direct guest calls) */
} TsPortal;

/* A frame: one per specialisation call in progress. */
struct TsFrame {
	const TsSpec *spec; /* the specialisation */
	int resume;         /* where its function continues (generated label) */
	int retslot;        /* caller's red slot for the result, -1 if none */
	int64_t *g;         /* green slots */
	TsBox *r;           /* red slots */
};


/* --- driver and portal (drive.c, portal.c) ------------------------ */

/* The JIT entry: look up (or compile) machine code for the portal's green
 * arguments and run it with args (raw, all parameters).  Returns 0 with
 * the raw result in *res, or -1: run the plain portal instead. */
int ts_enter(const TsPortal *p, const int64_t *args, int64_t *res);
/* Inside ts_resume_NAME: place the alloca of op `origin` at mem (size
 * bytes) and fill it with its contents at the leave. */
void ts_leave_place(const TsLeave *lv, int origin, void *mem, int size);
/* The i-th value of the leave, pointers to placed allocas rebased. */
int64_t ts_leave_get(const TsLeave *lv, int i);

/* --- operations called by generated code (ops.c) ---------------------- */

TsBox ts_const(int type, int64_t v);
/* Binary (x86 op XR_*), result type from a; compares give i8 0/1. */
TsBox ts_op2(TsState *st, int op, TsBox a, TsBox b);
/* Unary: fneg and casts to type. */
TsBox ts_op1(TsState *st, int op, int type, TsBox a);
TsBox ts_select(TsState *st, TsBox c, TsBox a, TsBox b);
/* Division by a possibly zero value: fails the path when it is not
 * known to be safe (never traps at compile time). */
TsBox ts_div(TsState *st, int op, TsBox a, TsBox b);
/* Pointer plus a byte count. */
TsBox ts_ptradd(TsState *st, TsBox p, TsBox n);
TsBox ts_load(TsState *st, int type, TsBox p);
void ts_store(TsState *st, TsBox p, TsBox v);
/* An alloca: virtual (virt = 1) or a residual stack slot. */
TsBox ts_alloca(TsState *st, int origin, int size, int align, int virt);
/* A residual call of fn (a box) with n argument boxes; ret type. */
TsBox ts_call(TsState *st, int ret, TsBox fn, int n, const TsBox *args);
/* A call of the portal itself (a guest call) with args[] for its n
 * parameters: 1 when its frame was pushed (inlined: return TS_CALL, the
 * result comes from ts_result), 0 to emit it with ts_call. */
int ts_inline(TsState *st, int n, const TsBox *args);
/* memset/memcpy/memmove(d, s, n) as residual calls. */
void ts_mem(TsState *st, int which, TsBox d, TsBox s, TsBox n);
/* Box a green value of an IR-typed slot for a red use. */
static inline TsBox ts_g(int type, int64_t v)
{
	TsBox b;
	b.kind = TB_CONST;
	b.type = (uint8_t)type;
	b.pad = 0;
	b.ref = 0;
	b.val = v;
	return b;
}

/* --- control (drive.c, merge.c) ------------------------------------- */

/* A red branch on c at the exit of the current block (fr->resume already
 * names that exit); live: red slots live there.  Returns 1 (true side) or
 * 0 (false side) for this path; the other side becomes a continuation.
 * hot: the side this path takes when c is a run-time value (the generator
 * predicts the side that does not lead to a residual failure call). */
int ts_split(TsState *st, TsFrame *fr, TsBox c, const TsLive *live, int hot);
/* Promotion of red v (a red switch, TS_PROMOTE) at the exit of the
 * current block: returns 0 with its value as a green in *out, or 1 when
 * this path ended (the value is known only at run time: a flexswitch
 * compiles each value when first seen, resuming at the same exit). */
int ts_promote(TsState *st, TsFrame *fr, TsBox v, const TsLive *live, int64_t *out);
/* Merge point: returns 0 to continue compiling here, 1 when the path
 * ended (jumped to existing code, or left to the interpreter). */
int ts_merge(TsState *st, TsFrame *fr, const TsMerge *mp);
/* ts_promote at a site with a generic path (TsGeneric). */
int ts_gpromote(TsState *st, TsFrame *fr, TsBox v, const TsLive *live, const TsGeneric *gen,
                int64_t *out);
/* Return v from the frame: TS_STOP (emitted the unit's return) or
 * TS_RETURN (inlined callee: result for the caller). */
int ts_return(TsState *st, TsFrame *fr, TsBox v);
/* Push a frame for an inlined callee; its red arguments are args[]. */
TsFrame *ts_push(TsState *st, const TsSpec *sp, int retslot);
/* The result box of the last returned callee. */
TsBox ts_result(TsState *st);
/* Unreachable code: the residual block ends; TS_STOP. */
int ts_unreachable(TsState *st);
/* End the path as failed (why: printed under TS_LOG); returns TS_FAIL. */
int ts_fail(TsState *st, const char *why);
/* Count compile work; nonzero when the bound is hit (the path fails). */
int ts_tick(TsState *st);

/* --- raw value helpers for generated green code ---------------------- */

static inline double ts_r2f(int64_t v)
{
	double d;
	memcpy(&d, &v, sizeof d);
	return d;
}
static inline int64_t ts_f2r(double d)
{
	int64_t v;
	memcpy(&v, &d, sizeof v);
	return v;
}

#endif
