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

#endif
