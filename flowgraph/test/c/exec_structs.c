/* Structs: nested, copied, passed and returned by value (small and large),
 * arrays of structs, unions, bit-fields, a linked list on the heap, and a
 * global graph of structs pointing at each other and at functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vec { double x, y; };
struct pair { int a; short b; char c; };
struct big { long v[6]; char tag[8]; };
struct node { int val; struct node *next; };
union num { int i; float f; unsigned char b[4]; };
struct flags { unsigned a : 3, b : 5, c : 1; signed d : 4; };

struct shape {
	const char *name;
	struct vec pos;
	double (*area)(const struct shape *);
	double size;
	const struct shape *parent;
};

static double square_area(const struct shape *s) { return s->size * s->size; }
static double circle_area(const struct shape *s) { return 3.0 * s->size * s->size; }

static const struct shape root = {"root", {0, 0}, square_area, 2.0, NULL};
static struct shape shapes[] = {
	{"sq", {1, 2}, square_area, 3.0, &root},
	{"ci", {-1, 0.5}, circle_area, 1.5, &shapes[0]},
	{"ci2", {4, 4}, circle_area, 0.5, &shapes[1]},
};

static void vadd(struct vec *r, const struct vec *a, const struct vec *b)
{
	struct vec t = {a->x + b->x, a->y + b->y};
	*r = t;
}

static struct pair mkpair(int a, int b, int c)
{
	struct pair p = {a, (short)b, (char)c};
	return p;
}

static struct big mkbig(long seed)
{
	struct big b;
	int i;

	for (i = 0; i < 6; i++)
		b.v[i] = seed * (i + 1);
	strcpy(b.tag, "big");
	return b;
}

static long sumbig(struct big *bp)
{
	struct big b = *bp; /* a copy: the caller's must not change */
	long s = 0;
	int i;

	for (i = 0; i < 6; i++)
		s += b.v[i];
	b.v[0] = -1;
	bp->v[5] += b.v[0];
	return s;
}

static struct node *push(struct node *list, int v)
{
	struct node *n = malloc(sizeof *n);

	n->val = v;
	n->next = list;
	return n;
}

int main(void)
{
	struct vec v, va = {1.5, 2}, vb = {-0.25, 10};
	struct pair p = mkpair(70000, 70000, 300), q;
	struct big b = mkbig(3), b2;
	struct node *list = NULL, *n;
	union num u;
	struct flags fl = {0};
	struct vec grid[3][4];
	size_t i, j;
	long total;

	vadd(&v, &va, &vb);
	printf("vadd %g %g\n", v.x, v.y);
	printf("pair %d %d %d size %zu\n", p.a, p.b, p.c, sizeof p);
	q = p;
	q.a++;
	printf("copy %d orig %d\n", q.a, p.a);
	b2 = b;
	total = sumbig(&b2);
	printf("sumbig %ld then v0 %ld v5 %ld tag %s\n", total, b2.v[0], b2.v[5], b2.tag);
	for (i = 0; i < 10; i++)
		list = push(list, (int)(i * i));
	for (total = 0, n = list; n; n = n->next)
		total += n->val;
	printf("list total %ld head %d\n", total, list->val);
	while (list) {
		n = list->next;
		free(list);
		list = n;
	}
	u.f = 1.0f;
	printf("union %08x %d %d\n", u.i, u.b[3], u.b[0]);
	fl.a = 6;
	fl.b = 31;
	fl.c = 1;
	fl.d = -3;
	printf("bits %u %u %u %d\n", fl.a, fl.b, fl.c, fl.d);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++)
			grid[i][j] = (struct vec){(double)i, (double)j * 0.5};
	printf("grid %g %g\n", grid[2][3].x + grid[1][1].y, grid[0][2].y);
	for (i = 0; i < 3; i++) {
		const struct shape *s = &shapes[i];
		printf("%s at (%g,%g) area %g parent %s grandparent %s\n", s->name, s->pos.x, s->pos.y,
			s->area(s), s->parent->name, s->parent->parent ? s->parent->parent->name : "-");
	}
	return 0;
}
