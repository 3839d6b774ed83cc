/* Structs and arrays on the stack, passed by pointer. */
#include <stdio.h>

struct vec {
	int n;
	long items[8];
	struct {
		short a, b;
	} inner;
};

static void fill(struct vec *v, int n)
{
	int i;

	v->n = n;
	for (i = 0; i < n; i++)
		v->items[i] = (long)i * i - 3;
	v->inner.a = 7;
	v->inner.b = -7;
}

static long total(const struct vec *v)
{
	long s = 0;
	int i;

	for (i = 0; i < v->n; i++)
		s += v->items[i];
	return s + v->inner.a * v->inner.b;
}

int main(void)
{
	struct vec v, w;
	int grid[3][4], i, j, s = 0;

	fill(&v, 6);
	w = v;
	w.items[0] = 100;
	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++)
			grid[i][j] = i * 10 + j;
	for (i = 0; i < 3; i++)
		s += grid[i][3 - i];
	printf("%ld %ld %d %d\n", total(&v), total(&w), s, (int)sizeof v);
	return 0;
}
