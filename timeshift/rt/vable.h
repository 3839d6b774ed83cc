/* vable.h: virtualizable frames (TS_VIRTUALIZABLE), the interface of
 * vable.c for generated code (docs/timeshift.md, "Virtualizable frames").
 *
 * A virtualizable frame is a struct in real memory (the interpreter's
 * frame, passed into the portal by pointer) whose fields JIT code keeps in
 * boxes: a field is loaded on its first use, a store only replaces its box
 * (the field is dirty), and dirty fields are written back when the JIT
 * code returns, leaves to the interpreter, or calls code that may read
 * them; after a call that may write fields, those fields are dropped from
 * the cache and loaded again on their next use.  Which fields a residual
 * call reads and writes comes from the build-time effect analysis
 * (hintannotator/effects.c) as a TsEffect per call site.
 *
 * In the state a frame is an object (Virt) with origin RT_VABLE, forced
 * (its base is the real pointer), whose fields are the cache; pointers into
 * it are TB_VIRT boxes, so that field offsets stay known.  Generated code
 * of a module with TS_VIRTUALIZABLE calls the ts_v* functions below
 * instead of ts_load, ts_store, ts_ptradd, ts_call, ts_merge, ts_return:
 * they handle frames and pass everything else on.  A frame pointer that
 * escapes (stored to memory, offset by a run-time value, passed to code
 * whose effects are unknown and that may keep it) is written back and
 * becomes a plain pointer for the rest of the path.
 */
#ifndef VABLE_H
#define VABLE_H

#include "tsrt.h"

/* Effect kinds of a TsRange. */
enum {
	TE_READ = 1,   /* the callee may read the range */
	TE_WRITE = 2,  /* the callee may write the range */
	TE_ESCAPE = 4, /* the callee may keep the pointer (the frame escapes) */
};

/* What a callee may do through one of its pointer arguments. */
typedef struct {
	int arg;        /* argument index */
	int what;       /* TE_* bits */
	int64_t lo, hi; /* bytes [lo, hi) from the argument pointer */
} TsRange;

/* The effects of a residual call site (generated, static). */
typedef struct {
	const char *callee; /* for TS_LOG */
	const char *where;  /* file:line of the call */
	int n;              /* ranges */
	const TsRange *r;   /* ranges; an argument without any: untouched */
} TsEffect;

/* TS_VIRTUALIZABLE(f): f becomes a virtualizable frame (returned). */
TsBox ts_vable(TsState *st, TsBox f);
TsBox ts_vload(TsState *st, int type, TsBox p);
void ts_vstore(TsState *st, TsBox p, TsBox v);
TsBox ts_vptradd(TsState *st, TsBox p, TsBox n);
/* A residual call; fx NULL: unknown callee (every frame argument is read,
 * written and kept). */
TsBox ts_vcall(TsState *st, int ret, TsBox fn, int n, const TsBox *args, const TsEffect *fx);
int ts_vmerge(TsState *st, TsFrame *fr, const TsMerge *mp);
int ts_vreturn(TsState *st, TsFrame *fr, TsBox v);
/* p used as a plain value (select, ptrtoint, memcpy...): a frame escapes. */
TsBox ts_vesc(TsState *st, TsBox p);

#ifdef RT_H
/* Private to the runtime. */
#define RT_VABLE (-4) /* Virt.origin of a virtualizable frame */
/* Field.off bit of a dirty cached field (offsets are below it). */
#define RT_VDIRTY (1 << 30)

/* merge.c: add the cached fields of object o (a frame) to s. */
void rt_vwalk(TsState *st, int o, Items *s);
#endif

#endif
