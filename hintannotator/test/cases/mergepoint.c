/* portal: interp
 * A small dispatch loop: pc and code are green at the global merge point,
 * the accumulator is red; a red branch in the loop is a split. */
#include "hints.h"

long interp(const unsigned char *code, long pc, long acc)
{
	code = TS_DEEPFREEZE(code);
	for (;;) {
		TS_MERGE_POINT(pc, code);
		switch (code[pc]) {
		case 0:
			return acc;
		case 1:
			acc += code[pc + 1];
			pc += 2;
			break;
		case 2:
			if (acc)
				pc = code[pc + 1];
			else
				pc += 2;
			break;
		default:
			acc = -acc;
			pc += 1;
		}
	}
}
