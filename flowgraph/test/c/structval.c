/* Structs passed and returned by value: small ones (in registers), big
 * ones (byval copies and sret pointers). */
#include <stdio.h>

struct small {
	int a;
	short b;
};

struct big {
	long v[6];
	char name[8];
};

static struct small mksmall(int a) { struct small s = {a, (short)(a * 2)}; return s; }

static int sumsmall(struct small s) { return s.a + s.b; }

static struct big mkbig(long base)
{
	struct big b;
	int i;

	for (i = 0; i < 6; i++)
		b.v[i] = base + i;
	snprintf(b.name, sizeof b.name, "b%ld", base);
	return b;
}

/* Modifies its copy only. */
static long sumbig(struct big b)
{
	long s = 0;
	int i;

	for (i = 0; i < 6; i++) {
		s += b.v[i];
		b.v[i] = 0;
	}
	return s;
}

int main(void)
{
	struct big b = mkbig(10);
	struct small s = mksmall(7);
	long (*f)(struct big) = sumbig;

	printf("%d %ld %ld %ld %s\n", sumsmall(s), sumbig(b), f(b), b.v[5], b.name);
	return 0;
}
