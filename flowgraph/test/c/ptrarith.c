/* Pointer arithmetic, differences and comparisons. */
#include <stdio.h>

static int sum(const int *p, const int *end)
{
	int s = 0;

	while (p < end)
		s += *p++;
	return s;
}

int main(void)
{
	int a[10];
	char s[] = "pointer";
	int *p = a, *q;
	char *c;
	int i;

	for (i = 0; i < 10; i++)
		a[i] = i * 3;
	q = p + 7;
	printf("%d %d %d\n", *q, (int)(q - p), sum(a + 2, a + 8));
	for (c = s + sizeof s - 2; c >= s; c--)
		putchar(*c);
	putchar('\n');
	q -= 3;
	printf("%d %d\n", q[-1], *(a + 9));
	return 0;
}
