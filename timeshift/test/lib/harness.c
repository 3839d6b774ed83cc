/* harness.c: main of a generating-extension test (timeshift/test/cases.sh).
 * Calls the portal PORTAL(x, y), a JIT entry when linked with its
 * extension, with the integers of argv and prints the result. */
#include <stdio.h>
#include <stdlib.h>

long PORTAL(long x, long y);

int main(int argc, char **argv)
{
	long x = argc > 1 ? atol(argv[1]) : 0, y = argc > 2 ? atol(argv[2]) : 0;
	int i, reps = argc > 3 ? atoi(argv[3]) : 1;
	long r = 0;

	for (i = 0; i < reps; i++)
		r = PORTAL(x, y);
	printf("%ld\n", r);
	return 0;
}
