/*
 * internal.h: the residual IR's data structures, shared by the files of
 * codegen/x86/ (builder rir.c, check rcheck.c, printer rprint.c,
 * interpreter rinterp.c and the backend).  Engineer A owns the IR part; the backend adds its own
 * section at the end (or keeps its types in backend.h).
 *
 * A unit keeps everything in arrays indexed by small integers:
 *
 *   blk[]   blocks; blk[0] is the entry.  A block's arguments are the
 *           consecutive values val[arg .. arg+narg); its operations are
 *           its own array ins[0 .. nins) (blocks fill in any order); its
 *           terminator is x.
 *   val[]   values: where each is defined (block, op index or arg number)
 *           and its type.  XK_VAL refs index it.  val[0] is unused, so a
 *           value ref is never 0.
 *   con[]   constants (type, raw 64-bit value); XK_CON refs index it.
 *   ref[]   operand pool: call arguments, jump arguments, live values.
 *   cas[]   switch cases.
 *   slot[]  stack slots (size, alignment), numbered by SLOT ops.
 *   site[]  the unit's patchable exits.
 *
 * A bridge is a unit with `from` set (the site it continues) and `root` the
 * unit whose frame it runs in.  The root owns all bridges of its tree in
 * bridges[] and frees them with itself.
 */
#ifndef X86_INTERNAL_H
#define X86_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "x86.h"

#define X86_NOBLK 0xffffffffu /* no block */

/* An operation.  Operand slots per op are listed in x86.h (X86_ROPS). */
typedef struct {
	uint8_t op;     /* X86ROp */
	uint8_t type;   /* result type; STORE: stored type; else X86_VOID */
	uint8_t scale;  /* LOAD/STORE: log2 of the index scale (0..3) */
	uint8_t pad;    /* backend scratch: last-use flags of a, b, c */
	X86Ref a;       /* first operand (see x86.h) */
	X86Ref b;       /* second operand */
	X86Ref c;       /* third operand */
	X86Ref res;     /* result value, X86_NONE if none */
	int32_t off;    /* LOAD/STORE displacement; SLOT slot number */
	uint32_t arg;   /* CALL: arguments are ref[arg .. arg+narg) */
	uint32_t narg;  /* CALL: argument count */
} RIns;

/* Terminator kinds. */
enum {
	XE_NONE,     /* not terminated yet */
	XE_RET,      /* val = returned value or X86_NONE */
	XE_JUMP,     /* to[0], arguments ref[arg .. arg+narg) */
	XE_BRANCH,   /* val != 0: to[0], else to[1] */
	XE_SWITCH,   /* val: cas[cas .. cas+ncas), else to[0] */
	XE_STUB,     /* site; live values ref[arg .. arg+narg) */
	XE_FLEX,     /* site; val; live values ref[arg .. arg+narg) */
	XE_JUMPUNIT, /* block to[0] of unit `unit`, arguments as XE_JUMP */
};

typedef struct {
	uint8_t kind;   /* XE_* */
	X86Ref val;     /* returned value, condition, switch value */
	uint32_t to[2]; /* successor blocks (see XE_*) */
	uint32_t arg;   /* first ref of the arguments / live values */
	uint32_t narg;  /* their count */
	uint32_t cas;   /* XE_SWITCH: first case in cas[] */
	uint32_t ncas;  /* XE_SWITCH: case count */
	X86Exit *site;  /* XE_STUB, XE_FLEX */
	X86Unit *unit;  /* XE_JUMPUNIT: the target unit */
} RExit;

/* A switch case. */
typedef struct {
	int64_t val; /* case value (raw, normalised to the switch type) */
	uint32_t to; /* target block */
} RCase;

typedef struct {
	uint32_t arg;     /* arguments are values val[arg .. arg+narg) */
	uint32_t narg;    /* argument count */
	RIns *ins;        /* operations (x86_alloc'd) */
	uint32_t nins;    /* operation count */
	uint32_t capins;  /* allocated operations */
	RExit x;          /* terminator */
	uint8_t reentry;  /* bridges may jump here (x86_reentry) */
	uint8_t cold;     /* rarely run: laid out in the cold section (opt.c) */
} RBlock;

/* Where a value comes from. */
enum { XV_ARG, XV_OP };

typedef struct {
	uint8_t type;  /* X86Type */
	uint8_t kind;  /* XV_ARG or XV_OP */
	uint32_t blk;  /* defining block */
	uint32_t idx;  /* argument number or op index in the block */
} RVal;

typedef struct {
	uint8_t type; /* X86Type */
	int64_t v;    /* raw value: normalised integer, or f64 bits */
} RCon;

typedef struct {
	int32_t size; /* bytes */
	int32_t align; /* 1..16 */
} RSlot;

/* A case of a flexswitch, added at build time or at run time. */
typedef struct {
	int64_t val;      /* case value (normalised raw) */
	uint32_t to;      /* block of the site's unit, or X86_NOBLK */
	X86Unit *bridge;  /* else the bridge compiled for it */
} RFlexCase;

/* A patchable exit (x86.h). */
struct X86Exit {
	uint8_t kind;      /* XE_STUB or XE_FLEX */
	X86Unit *unit;     /* unit containing it */
	uint32_t blk;      /* block it terminates */
	uint32_t id;       /* index in unit->site[] */
	X86ExitFn *fn;     /* callback */
	void *opaque;      /* its first argument */
	X86Unit *bridge;   /* XE_STUB: bridge once the callback returned one */
	RFlexCase *cases;  /* XE_FLEX: cases so far (x86_alloc'd) */
	uint32_t ncase;    /* case count */
	uint32_t capcase;  /* allocated cases */
	void *be;          /* backend data (patch addresses, ...) */
};

struct X86Unit {
	int err;            /* X86_OK, or why the unit failed */
	uint8_t ret;        /* return type */
	uint8_t nparam;     /* parameter count (block 0's arguments) */
	uint8_t compiled;   /* x86_compile succeeded */
	uint8_t frozen;     /* compiled or run: no more build-time changes */
	RBlock *blk;        /* blocks */
	uint32_t nblk, capblk;   /* count, allocated */
	RVal *val;          /* values; val[0] unused */
	uint32_t nval, capval;   /* count, allocated */
	RCon *con;          /* constants */
	uint32_t ncon, capcon;   /* count, allocated */
	X86Ref *ref;        /* operand pool */
	uint32_t nref, capref;   /* count, allocated */
	RCase *cas;         /* switch cases */
	uint32_t ncas, capcas;   /* count, allocated */
	RSlot *slot;        /* stack slots */
	uint32_t nslot, capslot; /* count, allocated */
	X86Exit **site;     /* patchable exits (each x86_alloc'd) */
	uint32_t nsite, capsite; /* count, allocated */
	X86Unit *root;      /* root unit of the tree (itself for a root) */
	X86Exit *from;      /* bridge: the site it continues; NULL for a root */
	X86Unit **bridges;  /* root: every bridge of the tree */
	uint32_t nbridge, capbridge; /* count, allocated */
	uint32_t id;        /* root: 0; bridge: its index + 1 in bridges[] */
	void *code;         /* entry address once compiled */
	void *be;           /* backend data */
};

/* rir.c */
/* Fail the unit with err (keeps the first error); returns 0. */
int x86_fail(X86Unit *u, int err);
/* Grow *pp (elements of size) to hold n elements; 0 and fails u on error. */
int x86_grow(X86Unit *u, void *pp, uint32_t *cap, uint32_t n, size_t size);
/* Width in bits of an integer type (64 for ptr), 0 for f64/void. */
int x86_bits(int type);
/* Type class: 0 void, 1 integer (incl. ptr), 2 f64. */
int x86_class(int type);
/* The raw value of constant ref r. */
int64_t x86_conval(const X86Unit *u, X86Ref r);
/* Add a run-time case to a flexswitch site; 0 when out of memory. */
int x86_addcase(X86Exit *site, int64_t value, X86Unit *bridge);
/* Find the case of a flexswitch for value: its index, or -1. */
int x86_findcase(const X86Exit *site, int64_t value);
/* Set the per-thread "left early" site. */
void x86_setleft(X86Exit *site);
/* The address of this thread's "left early" mark. */
X86Exit **x86_leftaddr(void);
/* Backend hook, called by x86_free for every unit of the tree before its
 * memory goes (weak: absent while the backend is missing). */
void x86_befree(X86Unit *u) __attribute__((weak));

/* ==== backend section (engineer B) ===================================== */

#endif
