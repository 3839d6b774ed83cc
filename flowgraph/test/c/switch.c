/* switch: dense, sparse, fallthrough, several cases to one block, negative. */
#include <stdio.h>

static int classify(int x)
{
	switch (x) {
	case -5:
		return 100;
	case 0:
	case 1:
	case 2:
		return 10 + x;
	case 3:
		x *= 2;
		/* fallthrough */
	case 4:
		return x + 1;
	case 1000:
		return -1;
	default:
		return 0;
	}
}

static const char *name(unsigned char c)
{
	switch (c) {
	case 'a': return "A";
	case 'z': return "Z";
	case 200: return "high";
	}
	return "?";
}

int main(void)
{
	int i, s = 0;

	for (i = -6; i < 8; i++)
		s = s * 3 + classify(i);
	printf("%d %d %s %s %s %s\n", s, classify(1000), name('a'), name('z'), name(200), name(1));
	return 0;
}
