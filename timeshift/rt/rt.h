/* rt.h: the runtime of generating extensions, private part (docs/timeshift.md
 * §2-§5; generated code sees only tsrt.h).  Its files: state.c, ops.c,
 * merge.c, drive.c, portal.c; functions shared between them are prefixed rt_.
 *
 * A state is the frame stack plus the virtual objects plus the position in
 * the residual code (unit, block).  Generated specialisation functions run
 * over the top frame and call the ts_* operations below, which fold
 * (constant boxes) or emit residual IR.  Copying a state gives a
 * continuation: the pending side of a red split (attached to an exit stub,
 * compiled in a bridge when it first runs; or queued, under TS_EAGER=1),
 * the pending values of a promotion (a flexswitch), or a leave record.
 *
 * Merge points.  At a merge point the live red boxes and the virtual
 * objects they reach are flattened into items (walk): box kinds, constants,
 * object shapes.  The state is looked up by (merge point, live greens).
 * A stored version whose items match (its variables accept anything, its
 * constants need the same constant, its objects the same shape) gets a
 * jump and the path ends.  Otherwise, the first time a path meets the key
 * it simply goes on (the first iteration of a loop is peeled and keeps its
 * constants); the second time it opens a reentry block whose arguments are
 * the variables of the generalisation of the two visits (constants that
 * differ become variables) and records it as a new version.  Past
 * TS_MAXVERSIONS versions every constant becomes a variable.
 *
 * Nothing here aborts: failures end the path with TS_FAIL.  A failed
 * root compile makes the portal run the plain interpreter for that key; a
 * failed bridge is compiled again in leave mode, which stops at the next
 * global merge point and leaves to ts_resume_NAME with the live values.
 */
#ifndef RT_H
#define RT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tsrt.h"

enum {
	TS_MAXVERSIONS = 4,  /* versions of one merge key before full generality */
	TS_MAXWORK = 200000, /* ticks (blocks run) per compile */
	TS_MAXBLOCKS = 100000, /* residual blocks per unit */
	TS_MAXFRAMES = 16,   /* inline depth */
	TS_MAXCASES = 16,    /* cases per promotion site compiled in full */
	RT_MAXHEAPOBJ = 4096, /* bytes of a malloc'd object kept virtual */
	RT_MAXHEAPDEPTH = 2, /* heap objects on a path kept virtual at a merge */
	RT_MAXGUESTINLINE = 3, /* guest calls (portal calls) inlined in one another */
	RT_MAXGUESTSTEPS = 2000, /* their merge points met between two outer ones */
	RT_MAXGUESTSTATE = 200, /* boxes of a state that may inline a guest call */
	RT_MAXMERGEVARS = 192, /* run-time values at a merge before objects are forced */
};

/* A field of a virtual object. */
typedef struct {
	int32_t off; /* byte offset */
	TsBox b;     /* its value (b.type gives the width) */
} Field;

/* Origin of a malloc'd (heap) object: not an alloca of any function. */
#define RT_HEAP (-2)

/* A virtual object: an alloca or a malloc'd object whose pointer never
 * escaped yet. */
typedef struct {
	int origin;  /* alloca op number in its function, RT_HEAP: malloc'd */
	int zero;    /* heap: calloc'd (forcing zero-fills) */
	int size;    /* bytes */
	int align;   /* bytes */
	int forced;  /* materialised: base is its address */
	TsBox base;  /* address after forcing */
	Field *f;    /* fields, unsorted */
	int nf;      /* count */
	int cap;     /* capacity */
} Virt;

/* One item of a flattened state (walk). */
typedef struct {
	TsBox b;    /* the box (TB_VIRT: ref is the object's canonical number) */
	int32_t k;  /* IT_* */
	int32_t x;  /* IT_OBJ: size; IT_FIELD: offset */
	int32_t y;  /* IT_OBJ: origin; */
	int32_t z;  /* IT_OBJ: field count | forced << 30 */
	TsBox *at;  /* where the box lives in the state */
} Item;

enum { IT_BOX, IT_OBJ, IT_FIELD, IT_BASE };

typedef struct {
	Item *it; /* items */
	int n;    /* count */
	int cap;  /* capacity */
} Items;

/* A key of the merge cache: a merge point and its live greens. */
typedef struct {
	const TsMerge *mp; /* the merge point */
	int64_t *g;        /* its live greens */
} Key;

/* A first visit of a key on this path. */
typedef struct {
	Key key;   /* the key */
	Items sh;  /* the state's items then (at pointers unused) */
} Seen;

/* A compiled version of a merge key. */
typedef struct {
	X86Unit *u; /* unit holding the block */
	int blk;    /* the reentry block */
	Items sh;   /* its items (generalised) */
} Version;

typedef struct {
	Key key;      /* the key */
	Version *v;   /* versions */
	int nv;       /* count */
	int visits;   /* paths that met it */
	int path;     /* the first of them */
	Items first;  /* that path's items there (at pointers unused) */
} Entry;

/* TsBox.pad flag: a constant that a promotion made known (kept constant
 * when merge points generalise). */
#define RT_PROMOTED 1

typedef struct Ctx Ctx;

struct TsState {
	Ctx *cx;          /* the compile (shared, not copied) */
	X86Unit *u;       /* unit being built */
	int blk;          /* current block */
	TsFrame **fr;     /* frame stack */
	int nfr;          /* depth */
	Virt *vo;         /* virtual objects */
	int nvo;          /* count */
	int decided;      /* a resumed split or promotion: its value is known */
	int64_t dval;     /* that value */
	Seen *seen;       /* keys first visited since the last opened block */
	int nseen;        /* count */
	TsBox ret;        /* result of a returned inlined callee */
	int leave;        /* leave mode: leave at the next global merge point */
	int path;         /* this path's number (continuations get new ones) */
	X86Unit *cu;      /* peephole cache: valid in this unit and block */
	int cblk;         /* its block */
	int ncse;         /* pure operations remembered */
	struct {
		int op;       /* XR_* */
		X86Ref a, b;  /* operands */
		X86Ref r;     /* result */
	} cse[16];        /* ring of pure operations of the block */
	int mvalid;       /* the last memory access is remembered */
	X86Ref mbase;     /* its base */
	int32_t moff;     /* its offset */
	TsBox mval;       /* the value there */
	int gsteps;       /* global merge points met in inlined guest calls */
	uint64_t splitmask; /* RT_SPLITBIT(d): the path split at run time in
	                       its frame at depth d (a callee's bit moves to
	                       its caller when it returns): joins merge */
};

/* The bit of frame depth d (1..) in TsState.splitmask. */
#define RT_SPLITBIT(d) ((uint64_t)1 << ((d) < 63 ? (d) : 63))

extern int rt_npaths; /* paths numbered so far */

/* A unit and its parent (for x86_jumpunit reachability). */
typedef struct {
	X86Unit *u;      /* a unit of this tree */
	X86Unit *parent; /* its parent, NULL for the root */
	int done;        /* finished (compiled or run): other units may jump in */
} Tree;

/* One compile tree: the root unit of a portal key and its bridges. */
struct Ctx {
	const TsPortal *p; /* the portal */
	X86Unit *root;     /* the root unit */
	Entry *e;          /* merge cache */
	int ne;            /* count */
	Tree *t;           /* units of the tree */
	int nt;            /* count */
	int *th;           /* hash of units -> index in t (open addressing) */
	int thcap;         /* its capacity (power of 2) */
	int *eh;           /* hash of keys -> index in e */
	int ehcap;         /* its capacity (power of 2) */
	X86Unit *ancof;    /* the unit whose ancestors are in anc */
	int *anc;          /* per t index: 1 if an ancestor of ancof */
	TsState **work;    /* pending continuations (eager policy) */
	int nwork;         /* count */
	long ticks;        /* compile work of the current compile */
	int failed;        /* a path failed */
	const char *why;   /* why */
};

extern int rt_logunits, rt_logir, rt_eager, rt_interp, rt_jitoff, rt_threshold, rt_forceleave;
extern long rt_maxwork;

/* state.c */
void *rt_xalloc(void *p, size_t n);
TsBox rt_mkbox(int kind, int type, uint32_t ref, int64_t val);
TsBox rt_var(int type, X86Ref r);
void rt_readenv(void);
void rt_itemsfree(Items *s);
Items rt_itemsdup(const Items *s);
TsFrame *rt_newframe(const TsSpec *sp);
void rt_freestate(TsState *st);
TsState *rt_copystate(const TsState *s);
void rt_clearseen(TsState *st);

/* ops.c */
X86Ref rt_cref(TsState *st, TsBox b);
int rt_newblock(TsState *st, int n, const uint8_t *types);
int rt_typesize(int t);
TsBox rt_force(TsState *st, TsBox p);
void rt_forceheap(TsState *st);
void rt_forcedeep(TsState *st);
int rt_guestmerge(TsState *st, const TsMerge *mp);
extern int rt_inlineguest; /* TS_INLINE: inline guest calls (default 1) */

/* merge.c */
int rt_walk(TsState *st, const TsLive *sel, Items *s);

/* drive.c */
extern __thread TsLeave *rt_leaving;
int rt_runall(Ctx *cx, TsState *st);
void rt_cleardead(TsState *st, const TsLive *live);
uint32_t rt_phash(const void *p);
void rt_addunit(Ctx *cx, X86Unit *u, X86Unit *parent);
int rt_ancestor(Ctx *cx, X86Unit *a, X86Unit *u);
int rt_reachable(Ctx *cx, X86Unit *a, X86Unit *u);
void rt_unitdone(Ctx *cx, X86Unit *u);
int rt_leave(TsState *st, const TsMerge *mp);

/* portal.c */
int rt_portalcall(TsState *st, int ret, TsBox fn, int n, const TsBox *args, TsBox *res);
void rt_logops(const char *what, const char *name, X86Unit *u, clock_t t0);

#endif
