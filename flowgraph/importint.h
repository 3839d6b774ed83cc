/* importint.h: private to the importer (import.c, importconst.c). */
#ifndef IMPORTINT_H
#define IMPORTINT_H

#include <llvm-c/Core.h>
#include <llvm-c/Target.h>
#include "flowgraph.h"

#define REF_ERR ((Ref)0xffffffffu) /* conversion failed (error printed) */

/* Pointer -> index hash map (open addressing, linear probing). */
typedef struct {
	const void **keys; /* cap slots, NULL if empty */
	uint32_t *vals;    /* cap values */
	size_t cap;        /* power of two */
	size_t n;          /* slots in use */
} PtrMap;

/* The two results of an llvm.*.with.overflow call, read by extractvalue. */
typedef struct {
	FgOpcode arith; /* field 0: the plain operation */
	FgOpcode ovf;   /* field 1: the overflow test */
	FgType type;    /* operand type */
	Ref a, b;       /* operands */
} OvfPair;

typedef struct {
	FgModule *m;               /* the module being built */
	LLVMModuleRef mod;         /* the linked LLVM module */
	LLVMTargetDataRef td;      /* its data layout */
	const char *const *files;  /* input paths as given */
	char **real;               /* their realpath()s, NULL if unknown */
	int nfiles;                /* input count */
	PtrMap gmap;               /* LLVM global -> module->globals index */
	PtrMap fmap;               /* LLVM function -> module->funcs index */
	PtrMap bbpos;              /* LLVM block -> position in its function */
	uint8_t *badsig;           /* per function: signature not convertible */
	const char *lastfn;        /* debug file name of the last location */
	const char *lastdir;       /* and its directory */
	uint32_t lastfile;         /* module file index for them */
	/* per function */
	FgFunc *f;                 /* function being converted */
	const char *fname;         /* its name */
	PtrMap vmap;               /* LLVM value -> Ref */
	PtrMap ovmap;              /* with.overflow call -> pairs index */
	OvfPair *pairs;            /* vector */
	uint32_t cur;              /* block receiving operations */
	int unreach;               /* block with an unreachable exit, -1 if none */
	FgLoc loc;                 /* location of the instruction at hand */
} Imp;
/* A constant folded at import time. */
typedef struct {
	int kind;     /* CK_INT, CK_GLOBAL, CK_FUNC, CK_UNDEF */
	uint32_t sym; /* global or function index */
	int64_t bits; /* value, or byte offset from the symbol */
} CVal;

/* importconst.c */
void imp_mapinit(PtrMap *p);
void imp_mapfree(PtrMap *p);
void imp_mapput(PtrMap *p, const void *k, uint32_t v);
int imp_mapget(const PtrMap *p, const void *k, uint32_t *v); /* 1 if present */
int imp_type(LLVMTypeRef t);                        /* FgType, -1 if none */
const char *imp_typestr(Imp *c, LLVMTypeRef t);     /* in the module arena */
int imp_hintop(const char *name);                   /* hint op of a marker, or -1 */
int imp_isintrinsic(LLVMValueRef fn);
FgLoc imp_loc(Imp *c, LLVMValueRef v, FgLoc dflt);  /* source location of v */
Ref imp_fail(Imp *c, const char *fmt, ...)          /* error at c->loc; REF_ERR */
	__attribute__((format(printf, 2, 3)));
uint32_t imp_bbpos(Imp *c, LLVMBasicBlockRef bb);  /* position in its function */
LLVMTypeRef imp_gepstep(Imp *c, LLVMTypeRef cur, int first, LLVMValueRef idx, int64_t *off,
	int64_t *stride);
int imp_evalconst(Imp *c, LLVMValueRef v, int symint, CVal *r); /* -1: not foldable */
int imp_addglobals(Imp *c);
int imp_fillglobals(Imp *c);
int imp_addfuncs(Imp *c);
void imp_annotations(Imp *c);

#endif
