/* Integer semantics: wrap-around at every width, signed and unsigned
 * division and remainder of negatives, shifts, char and short promotion,
 * 64-bit products, overflow builtins, bit tricks, and a hash. */
#include <stdint.h>
#include <stdio.h>

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

static int popcount(uint64_t x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

int main(void)
{
	signed char sc = 127;
	unsigned char uc = 250;
	short ss = 32767;
	unsigned short us = 65535;
	int i = 2147483647, neg = -7, r;
	unsigned u = 0;
	long long ll = 9223372036854775807LL;
	uint64_t seed = 88172645463325252ULL, acc = 0;
	int64_t m;
	int k;

	sc++;
	uc += 10;
	ss++;
	us++;
	u--;
	printf("wrap %d %u %d %u %u %d\n", sc, uc, ss, us, u, (int)((unsigned)i + 1));
	printf("div %d %d %d %d %u %u\n", neg / 2, neg % 2, -neg / -2, neg % -3, (unsigned)neg / 2,
		(unsigned)neg % 10);
	printf("shift %d %d %u %lld %llu\n", neg >> 1, neg << 3, (unsigned)neg >> 28, ll >> 62,
		(unsigned long long)ll << 1);
	printf("promote %d %d %d\n", sc * 2, uc * uc, (signed char)(uc + 100));
	printf("llmul %lld %llu\n", (long long)(ll * 3), (unsigned long long)ll * 5u);
	printf("ovf %d", __builtin_add_overflow(i, 1, &r));
	printf(" %d", __builtin_mul_overflow(65536, 65536, &r));
	printf(" %d", __builtin_sub_overflow(0u, 1u, &u));
	printf(" %d %d\n", __builtin_add_overflow(ll, 1LL, &m), __builtin_mul_overflow(3, 4, &r));
	printf("fnv %08x %08x\n", fnv1a("hello"), fnv1a("the quick brown fox"));
	for (k = 0; k < 1000; k++)
		acc += xorshift(&seed) % 1000003;
	printf("xorshift %llu %llu pop %d\n", (unsigned long long)acc, (unsigned long long)seed,
		popcount(seed));
	printf("mix %d %u %lld\n", (short)70000, (unsigned char)-1, (long long)(int)0x80000000u);
	printf("bool %d %d %d\n", !!42, !0, (3 > 2) + (2 > 3));
	printf("ternary %d\n", neg < 0 ? -neg : neg);
	return 0;
}
