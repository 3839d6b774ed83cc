/* __builtin_*_overflow: llvm.*.with.overflow and extractvalue.  The
 * operands come through functions so that clang cannot fold them. */
#include <limits.h>
#include <stdio.h>

static void sadd(int a, int b)
{
	int r, o = __builtin_add_overflow(a, b, &r);
	printf("sadd %d %d\n", o, r);
}

static void ssub(int a, int b)
{
	int r, o = __builtin_sub_overflow(a, b, &r);
	printf("ssub %d %d\n", o, r);
}

static void smul(int a, int b)
{
	int r;
	if (__builtin_mul_overflow(a, b, &r))
		printf("smul overflow\n");
	else
		printf("smul %d\n", r);
}

static void uops(unsigned a, unsigned b)
{
	unsigned r1, r2, r3;
	int o1 = __builtin_add_overflow(a, b, &r1);
	int o2 = __builtin_sub_overflow(a, b, &r2);
	int o3 = __builtin_mul_overflow(a, b, &r3);
	printf("u %d %u %d %u %d %u\n", o1, r1, o2, r2, o3, r3);
}

static void longs(long a, long b)
{
	long r;
	unsigned long ur;
	printf("l %d", __builtin_saddl_overflow(a, b, &r));
	printf(" %ld", r);
	printf(" %d", __builtin_umull_overflow((unsigned long)a, (unsigned long)b, &ur));
	printf(" %lu\n", ur);
}

int main(void)
{
	sadd(INT_MAX, 1);
	sadd(5, -7);
	ssub(INT_MIN, 1);
	ssub(10, 3);
	smul(65536, 65536);
	smul(-1000, 1000);
	uops(4000000000u, 400000000u);
	uops(1u, 2u);
	longs(LONG_MAX - 1, 1);
	longs(LONG_MAX, 1);
	longs(1L << 40, 1L << 30);
	return 0;
}
