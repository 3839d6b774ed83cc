/* Globals with initialisers: const tables, pointer tables, strings, structs. */
#include <stdio.h>

struct point {
	int x;
	char tag;
	double w;
};

static const int squares[8] = {0, 1, 4, 9, 16, 25, 36, 49};
static const char *const names[] = {"zero", "one", "two", "three"};
static struct point pts[3] = {{1, 'a', 0.5}, {-2, 'b', 1.25}, {300, 'c', -7.0}};
static int counter = 5;
static int *const pcounter = &counter;
static const int *mid = &squares[4];
static char buf[16] = "hello";
static const struct point *ptab[] = {&pts[2], &pts[0], 0};
static short shorts[] = {-1, 2, -3, 32767};
static long long big = -1234567890123LL;
static unsigned char bytes[5] = {255, 0, 128};
static float fl = 1.5f;

int main(void)
{
	int i, s = 0;

	for (i = 0; i < 8; i++)
		s += squares[i];
	printf("sum %d mid %d %d\n", s, *mid, mid[1]);
	for (i = 0; i < 4; i++)
		printf("%s%c", names[i], i == 3 ? '\n' : ' ');
	for (i = 0; i < 3; i++)
		printf("pt %d %c %g\n", pts[i].x, pts[i].tag, pts[i].w);
	*pcounter += 3;
	printf("counter %d\n", counter);
	buf[5] = '!';
	printf("%s %d\n", buf, (int)sizeof buf);
	for (i = 0; ptab[i]; i++)
		printf("ptab %d\n", ptab[i]->x);
	printf("%d %d %d %d %lld %d %d %d %g\n", shorts[0], shorts[1], shorts[2], shorts[3], big,
		bytes[0], bytes[1], bytes[2], fl);
	return 0;
}
