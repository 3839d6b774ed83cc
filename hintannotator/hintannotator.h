/* hintannotator.h: the hint annotator, a binding-time analysis over the
 * flow-graph IR (docs/annotator.md).
 *
 * Given a module and its portal function, every value of every function
 * reachable from the portal is coloured green (known when machine code is
 * generated) or red (known only when it runs), and every call is classified.
 *
 * The result is explicit data for the timeshifter.  It is a vector of
 * specialisations: a function together with the colour pattern of its
 * parameters (its key) and whether its result must be green.  specs[0] is
 * the portal.  For each specialisation:
 *
 *   col[v]      colour of value v (index into fn->vals); constants are green
 *   deep[v]     v is a deep-frozen pointer: loads through it at a green
 *               address give green values
 *   opcol[i]    what op i does at compile time (OC_*); ops are numbered
 *               block by block: op j of block b is opbase[b] + j
 *   virt[i]     op i (an alloca or malloc-like call) is a virtualisation
 *               candidate: its pointer is used only at green offsets
 *   exit[b]     how block b's exit is treated (HX_*)
 *   merge[b]    merge point marks of block b (HM_*)
 *   calls       one HaCall per CALL op: its class, why, the callee and the
 *               specialisations the generating extension runs for it
 *
 * The analysis never modifies the module.
 */
#ifndef HINTANNOTATOR_H
#define HINTANNOTATOR_H

#include "../flowgraph/flowgraph.h"

/* Colours. */
enum { BT_RED, BT_GREEN };

/* What an operation does when the generating extension runs. */
enum {
	OC_GREEN,   /* computed at compile time (green result or green call) */
	OC_RED,     /* emitted into the residual code */
	OC_INLINE,  /* a call whose callee's specialisation runs inline */
	OC_PROMOTE, /* TS_PROMOTE: a guard that turns a red value green */
	OC_HINT,    /* other hints: no code */
};

/* Call classes. */
enum {
	HC_GREEN,    /* runs at compile time; its result is green */
	HC_INLINE,   /* the callee's coloured copy runs in the extension */
	HC_RESIDUAL, /* emitted as a machine call */
};

/* Why a call got its class: the printable inlining policy. */
#define HA_WHYS(_) \
	_(ELIDABLE, "TS_ELIDABLE callee, green arguments") \
	_(PURE, "pure callee, green arguments") \
	_(SMALL, "defined, non-recursive, within the size bound") \
	_(GREENPTR, "through a green function pointer") \
	_(EXTERNAL, "external function") \
	_(RESIDUAL, "TS_RESIDUAL callee") \
	_(RECURSIVE, "recursive cycle") \
	_(TOOBIG, "callee larger than the size bound") \
	_(VARARGS, "varargs callee") \
	_(REDPTR, "through a red function pointer") \
	_(PORTAL, "call of the portal")

enum {
#define W(name, text) HW_##name,
	HA_WHYS(W)
#undef W
	HW_N
};

extern const char *const ha_whytext[HW_N];

/* Exits. */
enum {
	HX_GOTO,   /* one successor (or unreachable) */
	HX_GREEN,  /* branch or switch decided at compile time */
	HX_SPLIT,  /* branch or switch on a red value: the state splits */
	HX_RETURN, /* return */
};

/* Merge point marks (bits). */
enum {
	HM_GLOBAL = 1, /* holds the global merge point (mpblock) */
	HM_LOOP = 2,   /* loop head whose loop holds a red split */
	HM_HEAD = 4,   /* loop head (target of a back edge) */
	HM_JOIN = 8,   /* join of paths after a red split, in no loop */
};

/* The inlining policy (printed by ha_printpolicy). */
typedef struct {
	uint32_t maxinline; /* callees with more ops than this are residual */
} HaPolicy;

typedef struct {
	uint32_t block;  /* block of the CALL op */
	uint32_t op;     /* its index in the block */
	uint8_t kind;    /* HC_* */
	uint8_t why;     /* HW_* */
	int32_t callee;  /* module function index, -1 when unknown */
	int32_t *specs;  /* vector of specialisation indices (HC_INLINE); one
	                    per possible target of a green function pointer */
} HaCall;

typedef struct {
	uint32_t func;     /* module->funcs index */
	const char *name;  /* function name, plus ".KEY" if not the first spec */
	uint8_t *key;      /* vector: BT_* of each parameter */
	uint8_t retgreen;  /* the result must be green (a hint needs it) */
	uint8_t retcol;    /* colour of the result (BT_GREEN if no result) */
	uint8_t *col;      /* vector over fn->vals: BT_* */
	uint8_t *deep;     /* vector over fn->vals: 1 if deep-frozen pointer */
	uint32_t *opbase;  /* vector over blocks: number of the block's op 0 */
	uint8_t *opcol;    /* vector over ops: OC_* */
	uint8_t *virt;     /* vector over ops: 1 if virtualisation candidate */
	uint8_t *exit;     /* vector over blocks: HX_* */
	uint8_t *merge;    /* vector over blocks: HM_* bits */
	HaCall *calls;     /* vector, in block and op order */
	Ref vframe;        /* operand of TS_VIRTUALIZABLE here, or REF_NONE */
	uint8_t busy;      /* (internal) being analysed */
	int32_t redop;     /* a generic variant: op number of the TS_PROMOTE
	                      whose result keeps its operand's colour (the
	                      generic path of a megamorphic promotion site;
	                      named "f.pOP"), -1 for an ordinary spec */
	int32_t *gvar;     /* vector over ops: per OC_PROMOTE op, the spec of
	                      its generic variant (same function and key), -1
	                      if none (not consistent: a hint needs the
	                      promoted value green) */
} HaSpec;

typedef struct {
	const FgModule *m; /* the analysed module (not owned) */
	uint32_t portal;   /* portal function index */
	HaPolicy policy;   /* the policy used */
	HaSpec *specs;     /* vector; specs[0] is the portal */
	int32_t mpfunc;    /* function of the global merge point, -1 if none */
	uint32_t mpblock;  /* block holding the merge point */
	uint32_t mpop;     /* its op index */
	uint32_t mphead;   /* innermost loop head around the merge point (or
	                      mpblock): its unlisted arguments are red */
	uint8_t **fixed;   /* per function, per value: a hint requires it green */
	uint8_t *retfixed; /* per function: its result must be green */
	uint8_t *reach;    /* per function: reachable from the portal */
	void *priv;        /* internal analysis state */
} HaResult;

/* annotate.c */
void ha_defaultpolicy(HaPolicy *p);
void ha_printpolicy(FILE *out, const HaPolicy *p);
/* Annotate from the portal named `portal`.  Returns NULL after printing
 * errors (file:line: error: ... with the dependency chain of a failed
 * hint).  pol may be NULL for the default policy. */
HaResult *ha_annotate(const FgModule *m, const char *portal, const HaPolicy *pol);
void ha_free(HaResult *r);
uint32_t ha_nops(const FgFunc *f);               /* op count of a function */
int ha_spec(const HaResult *r, const char *name); /* index by name, -1 */
/* Why value v of function f must be green: *hint is the position of the
 * hint that required it, (*pf, *pv) the value that needed it (*pv is
 * REF_NONE when the hint itself did).  Returns 0 if v is not required. */
int ha_fixedby(const HaResult *r, uint32_t f, Ref v, FgLoc *hint, uint32_t *pf, Ref *pv);

/* listing.c */
/* The annotated listing of every specialisation, or only of those of the
 * function or specialisation named `only` (when not NULL). */
void ha_print(FILE *out, const HaResult *r, const char *only);

/* explain.c */
/* Print why the values computed on FILE:LINE have their colours.
 * Returns the number of values explained (0: nothing on that line). */
int ha_explain(FILE *out, const HaResult *r, const char *file, unsigned line);

/* view.c */
/* A module of one coloured copy per specialisation (a function's first
 * specialisation takes its index, so function constants name it; functions
 * without one are declarations) and the style that colours it, for
 * fg_writexml/dot/svg.  Free with ha_freeview. */
FgModule *ha_view(const HaResult *r, FgStyle *st);
const FgFunc *ha_viewfunc(const FgModule *v, const FgStyle *st, int32_t spec);
void ha_freeview(FgModule *v, FgStyle *st);

/* effects.c */
/* What a function may do through a pointer parameter (the effect analysis
 * of virtualizable frames; the bits are vable.h's TE_*). */
enum { HE_READ = 1, HE_WRITE = 2, HE_ESCAPE = 4 };
typedef struct {
	uint32_t param; /* parameter index */
	uint8_t what;   /* one HE_* bit */
	int64_t lo, hi; /* bytes [lo, hi) from the parameter; INT64_MIN and
	                   INT64_MAX: the whole object */
} HaRange;
/* The effects of module function func through its pointer parameters
 * (vector; conservative for declarations, recursion, unknown uses). */
HaRange *ha_effects(const FgModule *m, uint32_t func);

/* site.c */
/* Write the binding-time viewer's HTML site into folder dir: index.html
 * and spec<N>.html per specialisation (docs/viewer.md).  r is NULL when
 * the annotation failed; errors (may be NULL) is the annotator's captured
 * output, shown on the index.  Returns 0, or -1 after printing an error. */
int ha_site(const char *dir, const FgModule *m, const HaResult *r, const char *portal,
            const char *errors);

#endif
