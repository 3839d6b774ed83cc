/* flowgraph.h: the low-level flow-graph IR and everything that reads or
 * writes it (importer, text format, verifier, executor, dumps).
 *
 * A module holds functions and globals.  A function is an array of blocks;
 * block 0 is the entry and its arguments are the function's parameters.
 * Each block has typed input arguments (no phi nodes: an exit passes
 * arguments to its target, like PyPy's links), a list of operations, and
 * one exit.  Values are referenced by small integers (Ref), never pointers,
 * so a function can be copied and specialised cheaply.
 *
 * All arrays are vectors (fg_vnew/fg_vgrow: a hidden header keeps the
 * length) owned by the module; strings live in the module's arena.  A whole
 * module is freed at once with fg_freemodule.
 */
#ifndef FLOWGRAPH_H
#define FLOWGRAPH_H

#include <stdint.h>
#include <stdio.h>
#include <stddef.h>

/* Value types.  Aggregates live only in memory (allocas, globals). */
typedef enum {
	TY_VOID, TY_I1, TY_I8, TY_I16, TY_I32, TY_I64, TY_PTR, TY_F32, TY_F64,
	TY_N
} FgType;

/* Operations: the enum comes from the table in ops.h. */
typedef enum {
#define OP(name, text, nargs, props) FG_##name,
#include "ops.h"
#undef OP
	FG_NOP
} FgOpcode;

enum {
	P_PURE = 1 << 0,  /* no side effect */
	P_FOLD = 1 << 1,  /* constant-foldable */
	P_COMM = 1 << 2,  /* commutative */
	P_CMP = 1 << 3,   /* comparison, i1 result */
	P_CAST = 1 << 4,  /* conversion */
	P_LOAD = 1 << 5,  /* reads memory */
	P_STORE = 1 << 6, /* writes memory */
	P_CALL = 1 << 7,  /* may call arbitrary code */
	P_HINT = 1 << 8,  /* hint of hints.h */
};

typedef struct {
	const char *name; /* text-format name */
	int nargs;        /* operand count, -1 if variadic */
	unsigned props;   /* P_* bits */
} FgOpInfo;

extern const FgOpInfo fg_opinfo[FG_NOP];

/* Ref: a reference to a value of the current function.
 *
 *   31 30 29                               0
 *   +-----+---------------------------------+
 *   |kind |             index               |
 *   +-----+---------------------------------+
 *
 *   RK_NONE  (Ref 0) no value
 *   RK_VAL   fn->vals[index]: a block argument or an operation's result
 *   RK_CON   fn->cons[index]: a constant
 */
typedef uint32_t Ref;
enum { RK_NONE, RK_VAL, RK_CON };
#define REF_NONE ((Ref)0)
#define MKREF(kind, idx) ((Ref)((uint32_t)(kind) << 30 | (uint32_t)(idx)))
#define REFKIND(r) ((r) >> 30)
#define REFIDX(r) ((r) & 0x3fffffffu)

/* Source position: index into module->files (0 = unknown) and line. */
typedef struct {
	uint32_t file; /* module->files index, 0 if unknown */
	uint32_t line; /* 1-based, 0 if unknown */
} FgLoc;

/* Constant kinds. */
enum {
	CK_INT,    /* integer, pointer or float bits in `bits` */
	CK_GLOBAL, /* address of module->globals[sym] plus `bits` bytes */
	CK_FUNC,   /* address of module->funcs[sym] */
	CK_UNDEF,  /* undefined value (LLVM undef/poison) */
};

typedef struct {
	uint8_t type;  /* FgType */
	uint8_t kind;  /* CK_* */
	uint32_t sym;  /* global or function index for CK_GLOBAL/CK_FUNC */
	int64_t bits;  /* value (floats by their bit pattern) or byte offset */
} FgConst;

/* Value kinds: where a value is defined. */
enum { VK_ARG, VK_OP };

typedef struct {
	uint8_t type;     /* FgType */
	uint8_t kind;     /* VK_ARG or VK_OP */
	uint32_t block;   /* defining block */
	uint32_t index;   /* argument number or operation index in the block */
	const char *name; /* source-level name, may be NULL */
} FgVal;

typedef struct {
	uint16_t op;    /* FgOpcode */
	uint8_t type;   /* result type, TY_VOID if none */
	uint8_t aux;    /* ALLOCA: log2 of the alignment */
	Ref res;        /* result value (RK_VAL), REF_NONE if none */
	uint32_t arg;   /* first operand: fn->refs[arg .. arg+narg) */
	uint32_t narg;  /* operand count */
	int64_t imm;    /* ALLOCA size, FCMP predicate, CALL fixed params */
	FgLoc loc;      /* source position */
} FgOp;

/* Exit kinds. */
enum {
	EX_NONE,        /* not yet set (an unfinished block) */
	EX_GOTO,        /* links[0] */
	EX_BRANCH,      /* cond true: links[0], false: links[1] */
	EX_SWITCH,      /* links[0] is the default; others carry case values */
	EX_RETURN,      /* cond = returned value, or REF_NONE */
	EX_UNREACHABLE,
};

/* A link: control passes to `target`, binding its arguments. */
typedef struct {
	uint32_t target; /* block index */
	uint32_t arg;    /* values passed: fn->refs[arg .. arg+narg) */
	uint32_t narg;   /* equals the target's argument count */
	int64_t value;   /* switch case value */
} FgLink;

typedef struct {
	uint8_t kind;   /* EX_* */
	Ref cond;       /* branch condition, switch value, returned value */
	uint32_t link;  /* successors: fn->links[link .. link+nlink) */
	uint32_t nlink; /* successor count */
	FgLoc loc;      /* source position */
} FgExit;

typedef struct {
	const char *name; /* label, may be NULL */
	Ref *args;        /* vector of RK_VAL refs: the block's arguments */
	FgOp *ops;        /* vector of operations */
	FgExit exit;      /* how control leaves */
} FgBlock;

/* Function flags. */
enum {
	FN_DEFINED = 1 << 0,  /* has a body */
	FN_VARARGS = 1 << 1,  /* takes `...` */
	FN_STATIC = 1 << 2,   /* internal linkage */
	FN_RESIDUAL = 1 << 3, /* TS_RESIDUAL */
	FN_ELIDABLE = 1 << 4, /* TS_ELIDABLE */
};

typedef struct {
	const char *name; /* symbol name */
	uint32_t flags;   /* FN_* */
	uint8_t ret;      /* return type */
	uint8_t *params;  /* vector of parameter types */
	FgBlock *blocks;  /* vector; blocks[0] is the entry */
	FgVal *vals;      /* vector; RK_VAL refs index it */
	FgConst *cons;    /* vector; RK_CON refs index it */
	uint32_t *conhash; /* vector: hash index of cons (index + 1, 0 = empty), or NULL */
	Ref *refs;        /* vector; operand and link-argument pool */
	FgLink *links;    /* vector; exit successors */
	FgLoc loc;        /* source position of the definition */
} FgFunc;

/* A pointer stored inside a global's initial contents. */
typedef struct {
	uint64_t off;   /* byte offset inside the global */
	uint8_t kind;   /* CK_GLOBAL or CK_FUNC */
	uint32_t sym;   /* global or function index */
	int64_t addend; /* bytes added to the address */
} FgReloc;

/* Global flags. */
enum {
	GL_DEFINED = 1 << 0, /* has contents (else extern) */
	GL_CONST = 1 << 1,   /* never written: deep-frozen */
	GL_STATIC = 1 << 2,  /* internal linkage */
};

typedef struct {
	const char *name; /* symbol name */
	uint32_t flags;   /* GL_* */
	uint64_t size;    /* bytes */
	uint32_t align;   /* bytes */
	uint8_t *init;    /* size bytes (vector), NULL when extern */
	FgReloc *relocs;  /* vector of pointers inside init */
	FgLoc loc;        /* source position */
} FgGlobal;

typedef struct FgArena FgArena;

typedef struct {
	FgFunc *funcs;     /* vector */
	FgGlobal *globals; /* vector */
	const char **files; /* vector; files[0] is "" (unknown) */
	FgArena *arena;    /* strings and other small data */
} FgModule;

/* util.c: allocation, vectors, diagnostics */
void *fg_alloc(size_t n);                 /* zeroed; dies when out of memory */
void *fg_realloc(void *p, size_t n);
void fg_free(void *p);
void *fg_vnew(size_t n, size_t elsize);   /* vector of n zeroed elements */
void fg_vgrow(void *pv, size_t n);        /* resize *(T **)pv to n elements */
size_t fg_vlen(const void *v);            /* element count; 0 for NULL */
void *fg_vdup(const void *v);               /* copy of a vector */
void fg_vfree(void *v);
/* Append x to the vector *pv (x must not point into *pv). */
#define fg_vpush(pv, x) (fg_vgrow((pv), fg_vlen(*(pv)) + 1), (*(pv))[fg_vlen(*(pv)) - 1] = (x))
FgArena *fg_newarena(void);
void fg_freearena(FgArena *a);
char *fg_strdup(FgArena *a, const char *s);
char *fg_readfile(const char *path, size_t *len); /* NUL-terminated; NULL, errno */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
int fg_errorat(const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));    /* prints file:line: error: ...; returns -1 */
int fg_error(const FgModule *m, FgLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));    /* same, at a module location */
extern int fg_nerrors;                    /* errors printed so far */

/* ir.c: building and querying modules */
FgModule *fg_newmodule(void);
void fg_freemodule(FgModule *m);
uint32_t fg_addfile(FgModule *m, const char *path);          /* interned */
uint32_t fg_addfunc(FgModule *m, const char *name, FgType ret, const uint8_t *params,
	uint32_t nparam, uint32_t flags);
uint32_t fg_addglobal(FgModule *m, const char *name, uint64_t size, uint32_t align, uint32_t flags);
int fg_findfunc(const FgModule *m, const char *name);         /* -1 if absent */
int fg_findglobal(const FgModule *m, const char *name);
uint32_t fg_addblock(FgFunc *f, const char *name);
Ref fg_addarg(FgModule *m, FgFunc *f, uint32_t b, FgType t, const char *name);
Ref fg_con(FgFunc *f, FgType t, int64_t bits);                /* deduplicated */
Ref fg_consym(FgFunc *f, int kind, uint32_t sym, int64_t off); /* pointer constant */
Ref fg_undef(FgFunc *f, FgType t);
Ref fg_emit(FgModule *m, FgFunc *f, uint32_t b, FgOpcode op, FgType t, const Ref *args,
	uint32_t narg, int64_t imm, FgLoc loc);                  /* returns the result or REF_NONE */
void fg_setexit(FgFunc *f, uint32_t b, int kind, Ref cond, FgLoc loc);
void fg_addlink(FgFunc *f, uint32_t b, uint32_t target, const Ref *args, uint32_t narg,
	int64_t value);                                          /* after fg_setexit */
FgType fg_reftype(const FgFunc *f, Ref r);
const char *fg_typename(FgType t);
int fg_typesize(FgType t);                                   /* bytes; i1 is 1 */
int fg_typebits(FgType t);
int64_t fg_normalize(FgType t, int64_t bits);                /* sign-extend to the type's width */
FgOp *fg_defop(const FgFunc *f, Ref r);                      /* defining op or NULL */
const char *fg_locfile(const FgModule *m, FgLoc loc);
FgFunc *fg_copyfunc(FgModule *m, const FgFunc *f, const char *newname); /* appended */

/* text.c: the text format (print -> parse -> print is the identity) */
void fg_print(FILE *out, const FgModule *m);
void fg_printfunc(FILE *out, const FgModule *m, const FgFunc *f);
void fg_printref(FILE *out, const FgModule *m, const FgFunc *f, Ref r);
FgModule *fg_parse(const char *text, size_t len, const char *filename); /* NULL on error */

/* verify.c */
int fg_verify(const FgModule *m); /* prints each problem; returns their count */

/* import.c: C or LLVM IR/bitcode -> IR through clang and LLVM-C.
 * Each file is .c (compiled by clang with ccargs and -DTS_ANALYZE), .ll
 * or .bc; all are linked into one module.  NULL on error (printed). */
FgModule *fg_import(const char *const *files, int nfiles, const char *const *ccargs, int nccargs);

/* exec.c: the reference executor.  Runs main(argc, argv) of the module with
 * real memory and real calls into native code (libffi).  Returns main's
 * result (the process status is it & 255; exit() simply exits), or -1
 * (status 255) after printing an error. */
int fg_run(FgModule *m, int argc, char **argv);

/* Styling hooks for the dumps, so that later stages (binding times) can
 * colour values, operations and blocks.  Any callback may be NULL. */
typedef struct {
	void *ctx;
	const char *(*valclass)(void *ctx, const FgFunc *f, Ref r);      /* "green", "red", ... */
	const char *(*opclass)(void *ctx, const FgFunc *f, uint32_t b, uint32_t i);
	const char *(*blockclass)(void *ctx, const FgFunc *f, uint32_t b); /* "merge", "split" */
	const char *(*funcnote)(void *ctx, const FgFunc *f);              /* shown with the name */
} FgStyle;

/* xml.c: XML through libxml2; schema in docs/flowgraph.rng */
int fg_writexml(FILE *out, const FgModule *m, const FgFunc *only, const FgStyle *st);

/* dot.c: DOT text, and SVG through libgvc (in process) */
int fg_writedot(FILE *out, const FgModule *m, const FgFunc *only, const FgStyle *st);
int fg_writesvg(FILE *out, const FgModule *m, const FgFunc *only, const FgStyle *st);

#endif
