/* Writes to stderr and stdout, and exits through exit(). */
#include <stdio.h>
#include <stdlib.h>

static void check(int v)
{
	if (v > 2) {
		fprintf(stderr, "error: value %d too large\n", v);
		exit(4);
	}
}

int main(void)
{
	int i;

	fputs("warning: starting\n", stderr);
	for (i = 0; i < 5; i++) {
		printf("value %d\n", i);
		fflush(stdout);
		check(i);
	}
	return 0;
}
