/* Reads argv and returns a non-zero exit status. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	long s = 0;
	int i;

	for (i = 1; i < argc; i++) {
		printf("arg %d: %s\n", i, argv[i]);
		s += atol(argv[i]);
	}
	printf("sum %ld\n", s);
	return (int)(s % 7) + 3;
}
