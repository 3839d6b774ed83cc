/* textint.h: the printed names of symbols, values and blocks, shared by the
 * text printer (text.c) and the dumps (xml.c, dot.c) so that every output
 * names a value the same way.  Private to flowgraph/.
 *
 * Names are made unique deterministically: a name that occurs once is kept;
 * the first of several equal names keeps it and the others get ".1", ".2",
 * ...; a missing name gets a number ("%0", "@b1", "@anon.0").  Printing the
 * parse of a printout therefore gives the same names again.
 */
#ifndef FLOWGRAPH_TEXTINT_H
#define FLOWGRAPH_TEXTINT_H

#include "flowgraph.h"

typedef struct {
	FgArena *arena;	    /* generated strings */
	const char **sym;   /* vector: globals then functions, without '@' */
	const char **val;   /* vector: each value of the function, without '%' */
	const char **block; /* vector: each block's label, without '@' */
} FgNames;

void fg_namesyms(FgNames *n, const FgModule *m); /* sets sym (and arena) */
void fg_namefunc(FgNames *n, const FgFunc *f);	 /* sets val and block */
void fg_freenames(FgNames *n);
void fg_printname(FILE *out, int sigil, const char *name); /* quoted if needed */
void fg_printtype(FILE *out, FgType t);
void fg_printloc(FILE *out, const FgModule *m, FgLoc loc); /* " !file:line" or nothing */
void fg_printvalue(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n, Ref r);
/* An operation or exit without indentation or location. */
void fg_printopbody(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n, const FgOp *o);
void fg_printexitbody(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n,
		      const FgExit *e);
void fg_printlinkargs(FILE *out, const FgModule *m, const FgFunc *f, const FgNames *n,
		      const FgLink *l); /* "(%a, i32 1)" */
const char *fg_exitname(int kind);	/* "goto", "br", ...; "" for EX_NONE */
const char *fg_fpredname(int64_t pred); /* "olt", ...; NULL if out of range */

#endif
