/* portal: deep
 * Loads through a deep-frozen pointer at a green address are green,
 * recursively through pointers loaded that way; const globals are
 * deep-frozen without a hint; loads from mutable memory are red. */
#include "hints.h"

struct node {
	long val;
	const struct node *next;
};

static const long table[4] = {10, 20, 30, 40};
static long counter[4];

long deep(const struct node *n, long i)
{
	long a, b, c;

	n = TS_DEEPFREEZE(n);
	i = TS_GREEN(i);
	a = n->next->val;
	b = table[i & 3];
	c = counter[i & 3];
	return TS_GREEN(a + b) + c;
}
