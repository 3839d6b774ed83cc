/* portal: interp
 * error: the merge point lists a value computed from a red one (the
 * accumulator), through a loop-carried value it does not list. */
#include "hints.h"

long interp(const unsigned char *code, long pc, long acc)
{
	long key;

	code = TS_DEEPFREEZE(code);
	for (;;) {
		key = pc + acc;
		TS_MERGE_POINT(pc, code, key);
		if (code[pc] == 0)
			return acc;
		acc += code[pc + 1];
		pc += 2;
	}
}
