#include <stdio.h>

static int sq(int x) { return x * x; }

int main(int argc, char **argv)
{
	int s = 0;
	for (int i = 0; i < 10; i++)
		s += sq(i);
	printf("sum %d argc %d\n", s, argc);
	return 0;
}
