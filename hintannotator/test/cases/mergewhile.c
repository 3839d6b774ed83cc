/* portal: run
 * The merge point in the body of a `while` whose condition block is the
 * loop head: the head's loop-carried values are red unless listed (acc),
 * the listed pc is green, the exit test on pc is decided at compile time. */
#include "hints.h"

long run(const unsigned char *code, long len, long pc, long acc)
{
	code = TS_DEEPFREEZE(code);
	while (pc < len) {
		TS_MERGE_POINT(pc, code, len);
		if (code[pc] == 1)
			acc += 3;
		else if (acc > 100)
			acc = 0;
		pc++;
	}
	return acc;
}
