/* timeshift.h: the offline timeshifter (docs/timeshift.md).
 *
 * gen.c turns the coloured specialisations of the hint annotator into the
 * C text of a generating extension; build.c drives `tsgen build`: the plain
 * interpreter with its portal renamed, the extension, the runtime, one
 * executable.  The runtime the extension links with is timeshift/rt/. */
#ifndef TIMESHIFT_H
#define TIMESHIFT_H

#include "../flowgraph/flowgraph.h"
#include "../hintannotator/hintannotator.h"

/* gen.c */
/* Write the generating extension of the annotated module to out.  It
 * defines the JIT entry under the portal's own name, with the portal's C
 * signature, and calls ts_plain_NAME (the original portal, renamed by the
 * build) when it does not run machine code.  Functions and globals of the
 * module with internal linkage are referred to as ts_static_NAME (NAME
 * with every character that is not a letter, digit or '_' replaced by
 * '_').  Returns 0, or -1 after printing an error. */
int ts_gen(FILE *out, const FgModule *m, const HaResult *r);

/* build.c (tsgen build) */
/* One JIT VM build request (docs/timeshift.md §5). */
typedef struct {
	const char *const *files; /* the interpreter's C files, in link order */
	int nfiles;               /* count of files */
	const char *const *ccargs; /* options for clang (-I, -D, ...) */
	int nccargs;              /* count of ccargs */
	const char *portal;       /* --portal NAME */
	const char *out;          /* -o: the executable */
	const char *root;         /* the tree holding build/libtsrt.a, timeshift/rt/ */
	const char *cc;           /* C compiler for the extension and the link */
} TsBuild;

/* Build the JIT VM: the plain interpreter (clang, portal renamed
 * ts_plain_NAME, internal symbols named ts_static_NAME), the generating
 * extension (ts_gen), libtsrt.a and libx86.a, linked into bo->out.
 * Temporary files are removed.  Returns 0, or -1 after printing errors. */
int ts_build(const TsBuild *bo);

#endif
