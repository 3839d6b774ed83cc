#include <stdio.h>
#include "lib.h"

static long bias = 100; /* same name as lib.c's static: both must survive */

int main(void)
{
	int i;

	for (i = 0; i < 3; i++)
		printf("%s %ld\n", lib_names[i], lib_add(i + bias));
	printf("%d calls, sum %ld, twice %ld\n", lib_counter.n, lib_counter.sum, twice(21));
	return lib_counter.n;
}
