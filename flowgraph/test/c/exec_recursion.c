/* Recursion: mutual recursion, Ackermann, Hanoi, permutations with
 * backtracking, a recursive descent expression parser, and a recursion
 * deep enough (100000) to need real stack frames. */
#include <stdio.h>
#include <string.h>

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static unsigned long ack(unsigned long m, unsigned long n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

static int moves;
static void hanoi(int n, char from, char to, char via)
{
	if (n == 0)
		return;
	hanoi(n - 1, from, via, to);
	if (++moves <= 3)
		printf("move %d: %c -> %c\n", n, from, to);
	hanoi(n - 1, via, to, from);
}

static int nperm;
static void permute(char *s, int k, int n)
{
	int i;

	if (k == n) {
		if (++nperm % 7 == 1)
			printf("perm %d: %s\n", nperm, s);
		return;
	}
	for (i = k; i < n; i++) {
		char t = s[k]; s[k] = s[i]; s[i] = t;
		permute(s, k + 1, n);
		t = s[k]; s[k] = s[i]; s[i] = t;
	}
}

/* expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
 * factor := number | '(' expr ')' | '-' factor */
static const char *src;
static long expr(void);
static long factor(void)
{
	long v = 0;

	if (*src == '(') {
		src++;
		v = expr();
		src++;
		return v;
	}
	if (*src == '-') {
		src++;
		return -factor();
	}
	while (*src >= '0' && *src <= '9')
		v = v * 10 + (*src++ - '0');
	return v;
}
static long term(void)
{
	long v = factor();

	while (*src == '*' || *src == '/') {
		char op = *src++;
		long r = factor();
		v = op == '*' ? v * r : v / r;
	}
	return v;
}
static long expr(void)
{
	long v = term();

	while (*src == '+' || *src == '-') {
		char op = *src++;
		long r = term();
		v = op == '+' ? v + r : v - r;
	}
	return v;
}

static long deep(long n) { return n == 0 ? 0 : (n & 3) + deep(n - 1); }

int main(void)
{
	static const char *exprs[] = {"1+2*3", "(1+2)*3", "-(4-10)*(2+3)/3", "((((7))))-8/3*2"};
	char letters[] = "abcde";
	size_t i;

	printf("even(1001) %d odd(1001) %d\n", is_even(1001), is_odd(1001));
	printf("ack(2,3) %lu ack(3,3) %lu\n", ack(2, 3), ack(3, 3));
	hanoi(12, 'A', 'C', 'B');
	printf("hanoi moves %d\n", moves);
	permute(letters, 0, (int)strlen(letters));
	printf("perms %d\n", nperm);
	for (i = 0; i < 4; i++) {
		src = exprs[i];
		printf("%s = %ld\n", exprs[i], expr());
	}
	printf("deep %ld\n", deep(100000));
	return 0;
}
