/* Function pointers: tables, arguments, returned pointers, libc qsort. */
#include <stdio.h>
#include <stdlib.h>

typedef int (*binop)(int, int);

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }

static const binop ops[] = {add, sub, mul};

static binop pick(int i) { return ops[i % 3]; }

static int apply(binop f, int a, int b) { return f(a, b); }

static int cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int main(void)
{
	int v[6] = {5, -1, 9, 3, 3, 0}, i;

	for (i = 0; i < 4; i++)
		printf("%d ", apply(pick(i), 7, 3));
	printf("\n");
	qsort(v, 6, sizeof v[0], cmp);
	for (i = 0; i < 6; i++)
		printf("%d ", v[i]);
	printf("\n");
	return 0;
}
