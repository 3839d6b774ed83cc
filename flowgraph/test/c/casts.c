/* Integer casts, unsigned arithmetic, shifts, select, bit reinterpretation. */
#include <stdio.h>
#include <string.h>

static unsigned bits(float f)
{
	unsigned u;

	memcpy(&u, &f, sizeof u);
	return u;
}

static double frombits(unsigned long long u)
{
	union {
		unsigned long long u;
		double d;
	} x;

	x.u = u;
	return x.d;
}

static int maxi(int a, int b) { return a > b ? a : b; }

int main(void)
{
	signed char c = -100;
	unsigned char uc = 200;
	short s = -30000;
	unsigned short us = 60000;
	long l = -1;
	unsigned long ul = ~0UL;
	int i = -17;

	printf("%d %d %d %d\n", c + uc, (unsigned char)c, (signed char)uc, s + us);
	printf("%ld %lu %d %u\n", l >> 3, ul >> 60, i / 4, (unsigned)i / 4);
	printf("%d %d %u %d\n", i % 5, -i % 5, (unsigned)i % 5, i << 3);
	printf("%x %g %d %d\n", bits(1.0f), frombits(0x4008000000000000ULL), maxi(3, 9), maxi(-3, -9));
	printf("%d %lld %d\n", (int)(long long)3000000000LL, (long long)(int)3000000000LL,
		(short)70000);
	return 0;
}
