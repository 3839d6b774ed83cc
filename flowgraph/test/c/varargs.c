/* Varargs calls to libc: printf with ints, doubles and strings. */
#include <stdio.h>
#include <string.h>

int main(void)
{
	char buf[64];
	double d = 3.25;
	long l = -9000000000L;
	unsigned u = 4000000000u;

	printf("int %d neg %d\n", 42, -7);
	printf("double %f %.3f %g %e\n", d, d * 2, d / 3, 1e10);
	printf("string %s %10s|%-5s|\n", "abc", "right", "left");
	printf("mixed %d %f %s %c %ld %u %x\n", 1, 2.5, "three", '4', l, u, 255);
	snprintf(buf, sizeof buf, "%d-%s-%.1f", 7, "x", 0.25);
	printf("snprintf %s %d\n", buf, (int)strlen(buf));
	puts("done");
	return 0;
}
