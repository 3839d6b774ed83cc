/* Bit builtins (llvm.ctpop/ctlz/cttz/bswap, expanded into operations),
 * libm intrinsics (llvm.fabs/floor/...) and variable-length arrays
 * (llvm.stacksave/stackrestore). */
#include <math.h>
#include <stdio.h>

static unsigned long long next(unsigned long long x)
{
	return x * 6364136223846793005ULL + 1442695040888963407ULL;
}

static int vla(int n)
{
	int a[n], i, s = 0;

	for (i = 0; i < n; i++)
		a[i] = i * i;
	for (i = 0; i < n; i++)
		s += a[n - 1 - i] - i;
	return s;
}

int main(void)
{
	unsigned long long x = 12345;
	unsigned long h = 0;
	int i;

	for (i = 0; i < 200; i++) {
		unsigned u = (unsigned)(x >> (i % 40));
		unsigned long long l = x >> (i % 64);
		unsigned short w = (unsigned short)(x >> 7);
		h = h * 31 + (unsigned)__builtin_popcount(u);
		h = h * 31 + (unsigned)__builtin_popcountll(l);
		if (u)
			h = h * 31 + (unsigned)(__builtin_clz(u) + 7 * __builtin_ctz(u));
		if (l)
			h = h * 31 + (unsigned)(__builtin_clzll(l) + 7 * __builtin_ctzll(l));
		h = h * 31 + __builtin_bswap32(u) + __builtin_bswap16(w);
		h ^= __builtin_bswap64(l);
		x = next(x);
	}
	printf("hash %lu\n", h);
	printf("edges %d %d %d %d %u %llx\n", __builtin_popcount(0u), __builtin_popcount(~0u),
		__builtin_clz(1u), __builtin_ctzll(1ULL << 63), __builtin_bswap32(0x11223344u),
		(unsigned long long)__builtin_bswap64(0x0102030405060708ULL));
	for (i = 1; i < 40; i += 9)
		printf("vla %d %d\n", i, vla(i));
	for (i = -3; i <= 3; i++) {
		double d = i * 1.75;
		printf("%g %g %g %g %g %g\n", fabs(d), floor(d), ceil(d), trunc(d), round(d),
			sqrt(fabs(d)));
	}
	return 0;
}
