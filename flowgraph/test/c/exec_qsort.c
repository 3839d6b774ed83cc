/* Function pointers through libc: qsort and bsearch with interpreted
 * comparators, a global table of named operations, atexit handlers, and a
 * function pointer passed around and compared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct person {
	const char *name;
	int age;
	double score;
};

static struct person people[] = {
	{"mallory", 41, 3.5}, {"alice", 30, 9.25}, {"bob", 25, 7.0}, {"carol", 30, 8.5},
	{"dave", 52, 1.75}, {"eve", 25, 6.0}, {"trent", 33, 5.5}, {"peggy", 30, 8.5},
};
#define NP (sizeof people / sizeof people[0])

static int byname(const void *a, const void *b)
{
	return strcmp(((const struct person *)a)->name, ((const struct person *)b)->name);
}

/* Age ascending, then score descending, then name. */
static int byage(const void *a, const void *b)
{
	const struct person *x = a, *y = b;

	if (x->age != y->age)
		return x->age < y->age ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmpint(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static long add(long a, long b) { return a + b; }
static long sub(long a, long b) { return a - b; }
static long mul(long a, long b) { return a * b; }
static long maxl(long a, long b) { return a > b ? a : b; }

static const struct {
	const char *name;
	long (*fn)(long, long);
} ops[] = {{"add", add}, {"sub", sub}, {"mul", mul}, {"max", maxl}, {"labs?", NULL}};

static long fold(long (*f)(long, long), const long *v, int n)
{
	long acc = v[0];
	int i;

	for (i = 1; i < n; i++)
		acc = f(acc, v[i]);
	return acc;
}

static void bye1(void) { printf("atexit: first registered, runs last\n"); }
static void bye2(void) { printf("atexit: second registered, runs first\n"); }

static void show(const char *title)
{
	size_t i;

	printf("%s:", title);
	for (i = 0; i < NP; i++)
		printf(" %s(%d,%.2f)", people[i].name, people[i].age, people[i].score);
	printf("\n");
}

int main(void)
{
	int nums[64], key, *hit;
	long vals[] = {7, -3, 12, 5, 9};
	size_t i;
	struct person probe = {"eve", 0, 0}, *found;
	int (*cmps[2])(const void *, const void *) = {byname, byage};

	atexit(bye1);
	atexit(bye2);
	qsort(people, NP, sizeof people[0], cmps[0]);
	show("by name");
	found = bsearch(&probe, people, NP, sizeof people[0], byname);
	printf("bsearch eve: %s\n", found ? found->name : "(none)");
	qsort(people, NP, sizeof people[0], cmps[1]);
	show("by age");
	for (i = 0; i < 64; i++)
		nums[i] = (int)((i * 7919u + 13) % 101) - 50;
	qsort(nums, 64, sizeof nums[0], cmpint);
	for (i = 0; i < 64; i += 8)
		printf("%d ", nums[i]);
	printf("\n");
	key = nums[17];
	hit = bsearch(&key, nums, 64, sizeof nums[0], cmpint);
	printf("bsearch %d: %s\n", key, hit && *hit == key ? "found" : "missing");
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (!ops[i].fn) {
			printf("%s: no function\n", ops[i].name);
			continue;
		}
		printf("%s: %ld%s\n", ops[i].name, fold(ops[i].fn, vals, 5),
			ops[i].fn == maxl ? " (is maxl)" : "");
	}
	return 3;
}
