#include "lib.h"

struct counter lib_counter = {0, 0};
const char *const lib_names[] = {"alpha", "beta", "gamma"};
static long bias = 3;

long lib_add(long v)
{
	lib_counter.n++;
	lib_counter.sum += twice(v) + bias;
	return lib_counter.sum;
}
