/* haint.h: types and functions shared by the files of the hint annotator
 * (internal; the public interface is hintannotator.h). */
#ifndef HAINT_H
#define HAINT_H

#include "hintannotator.h"

/* Colour-independent facts about one function. */
typedef struct {
	uint32_t *predoff;  /* per block + 1: offsets into predlink */
	uint32_t *predlink; /* fn->links indices, grouped by target block */
	uint32_t *linkfrom; /* per link: its source block */
	uint32_t *opbase;   /* per block: number of its op 0 */
	uint32_t nops;      /* op count */
	uint32_t *heads;    /* vector: loop head blocks */
	int32_t *headof;    /* per block: index into heads, or -1 */
	uint64_t *member;   /* per head, `words` words: blocks of its loop */
	uint32_t words;     /* words per member row */
	uint32_t *exitoff;  /* per head + 1: offsets into exitblk */
	uint32_t *exitblk;  /* blocks of each loop with a successor outside it */
	uint8_t *deep;      /* per value: deep-frozen pointer */
	uint8_t *listed;    /* per value: listed by the merge point */
} FnInfo;

typedef struct {
	uint32_t func;  /* caller */
	uint32_t block; /* block of the CALL op */
	uint32_t op;    /* op index */
} Site;

/* Why a value was fixed: the value that needed it, or a hint. */
typedef struct {
	uint32_t func;  /* function of the needing value */
	Ref val;        /* the needing value, REF_NONE for a hint */
	uint32_t seed;  /* index of the hint in Priv.seeds (for hints) */
} Parent;

typedef struct {
	uint32_t func;  /* function of the hint */
	uint32_t block; /* its block */
	uint32_t op;    /* its op index */
	uint8_t failed; /* an error was reported for it */
} Seed;

typedef struct {
	uint32_t func; /* function */
	Ref val;       /* value to fix */
} Work;

typedef struct {
	FnInfo *fi;        /* per function */
	uint8_t *pure;     /* per function: pure (or TS_ELIDABLE) */
	uint8_t *rec;      /* per function: in a recursive call cycle */
	uint8_t *taken;    /* per function: address taken */
	Site **callers;    /* per function: vector of direct call sites */
	Site *indirect;    /* vector of indirect call sites */
	Parent **par;      /* per function, per value: why fixed */
	Seed *seeds;       /* vector of hints */
	Work *work;        /* fixing worklist */
	uint8_t *split;    /* per spec: holds a split (or inlines one) */
} Priv;

static inline uint32_t nfuncs(const FgModule *m) { return fg_vlen(m->funcs); }

static inline int defined(const FgFunc *f) { return (f->flags & FN_DEFINED) && fg_vlen(f->blocks) > 0; }

static inline const FgOp *opat(const FgFunc *f, uint32_t b, uint32_t i) { return &f->blocks[b].ops[i]; }

static inline Ref operand(const FgFunc *f, const FgOp *o, uint32_t k) { return f->refs[o->arg + k]; }

static inline int inloop(const FnInfo *fi, uint32_t h, uint32_t b)
{
	return fi->member[h * fi->words + b / 64] >> (b % 64) & 1;
}

static inline int colof(const FgFunc *f, const uint8_t *col, Ref a)
{
	(void)f;
	return REFKIND(a) == RK_VAL ? col[REFIDX(a)] : BT_GREEN;
}

/* facts.c: colour-independent facts */
void ha_buildpreds(const FgFunc *f, FnInfo *fi);
void ha_buildloops(const FgFunc *f, FnInfo *fi);
int32_t ha_nextin(const FnInfo *fi, uint32_t h, uint32_t b); /* next block of loop h from b, -1 */
int32_t ha_directcallee(const FgFunc *f, const FgOp *o);   /* callee of a direct call, -1 */
void ha_reachable(HaResult *r, Priv *p);
void ha_callsites(HaResult *r, Priv *p);
void ha_deepfixpoint(HaResult *r, Priv *p);
void ha_purefixpoint(HaResult *r, Priv *p);
void ha_cycles(HaResult *r, Priv *p);
int ha_refdeep(const FgModule *m, const FgFunc *f, const FnInfo *fi, Ref a);
int ha_policy(const HaResult *r, const Priv *p, uint32_t c, uint8_t *why); /* HC_INLINE or HC_RESIDUAL */

/* fix.c: what the hints require green */
int ha_findhints(HaResult *r, Priv *p);  /* returns the errors found */
void ha_findmphead(HaResult *r, Priv *p);
int ha_fixall(HaResult *r, Priv *p);     /* returns the errors found */

/* colour.c: specialisations */
int32_t ha_getspec(HaResult *r, Priv *p, uint32_t fnum, const uint8_t *key, uint32_t nkey);
void ha_generics(HaResult *r, Priv *p); /* generic variants of promotion sites */
void ha_compact(HaResult *r);
void ha_selfcheck(const HaResult *r);
void ha_freespec(HaSpec *s);

#endif
