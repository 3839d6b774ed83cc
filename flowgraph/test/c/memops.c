/* memcpy, memmove, memset (llvm intrinsics) and struct copies. */
#include <stdio.h>
#include <string.h>

struct rec {
	char name[12];
	int vals[4];
};

int main(void)
{
	char a[32], b[32];
	struct rec r1 = {"first", {1, 2, 3, 4}}, r2;
	int n = 10;

	memset(a, 'x', sizeof a);
	a[31] = 0;
	memcpy(b, "0123456789", 11);
	memmove(b + 2, b, 8);
	memset(a + 5, '-', n);
	r2 = r1;
	r2.vals[0] = 9;
	strcpy(r2.name, "second");
	printf("%s\n%s\n%s %d %s %d\n", a, b, r1.name, r1.vals[0], r2.name, r2.vals[0] + r2.vals[3]);
	return 0;
}
