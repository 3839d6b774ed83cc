/* String and memory functions of libc, character classes, number parsing
 * and formatting, heap allocation; ends with exit() from a nested call. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *reverse(char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n / 2; i++) {
		char t = s[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = t;
	}
	return s;
}

static char *join(const char **parts, int n, const char *sep)
{
	size_t len = 1;
	char *out;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(parts[i]) + strlen(sep);
	out = malloc(len);
	out[0] = 0;
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, sep);
		strcat(out, parts[i]);
	}
	return out;
}

static int words(const char *s, char out[][16], int max)
{
	int n = 0;

	while (*s && n < max) {
		size_t k;
		while (isspace((unsigned char)*s))
			s++;
		k = strcspn(s, " \t\n,");
		if (k == 0) {
			if (*s)
				s++;
			continue;
		}
		if (k > 15)
			k = 15;
		memcpy(out[n], s, k);
		out[n][k] = 0;
		n++;
		s += k;
	}
	return n;
}

static void finish(int depth)
{
	if (depth > 0) {
		finish(depth - 1);
		return;
	}
	printf("exiting from depth 0 (buffered output must appear)\n");
	exit(42);
}

int main(void)
{
	char buf[128], w[8][16], *dyn, *p;
	const char *parts[] = {"alpha", "beta", "gamma", "delta"};
	unsigned char bytes[16];
	long l;
	double d;
	int i, n;

	strcpy(buf, "Hello, World");
	printf("len %zu, rev '%s'\n", strlen(buf), reverse(buf));
	reverse(buf);
	for (p = buf; *p; p++)
		*p = islower((unsigned char)*p) ? toupper((unsigned char)*p) : tolower((unsigned char)*p);
	printf("swapcase '%s'\n", buf);
	printf("strchr '%s', strrchr '%s', strstr '%s'\n", strchr(buf, 'L'), strrchr(buf, 'O'),
		strstr(buf, "wOR") ? strstr(buf, "wOR") : "(null)");
	printf("cmp %d %d %d\n", strcmp("abc", "abd") < 0, strncmp("abcdef", "abcxyz", 3),
		memcmp("ab\0c", "ab\0d", 4) < 0);
	dyn = join(parts, 4, ", ");
	printf("joined '%s' (%zu)\n", dyn, strlen(dyn));
	dyn = realloc(dyn, 200);
	strncat(dyn, " and epsilon", 9);
	printf("realloc'd '%s'\n", dyn);
	n = words(dyn, w, 8);
	for (i = 0; i < n; i++)
		printf("[%s]", w[i]);
	printf(" %d words\n", n);
	free(dyn);
	l = strtol("  -12345xyz", &p, 10);
	printf("strtol %ld rest '%s', hex %lx, atoi %d\n", l, p, strtol("ff", NULL, 16), atoi("  77"));
	d = strtod("3.25e2", NULL);
	printf("strtod %.3f, atof %g\n", d, atof("-0.125"));
	memset(bytes, 0xab, sizeof bytes);
	memmove(bytes + 2, bytes, 6);
	bytes[0] = 1;
	memcpy(bytes + 10, "xyz", 3);
	for (i = 0; i < 16; i++)
		printf("%02x", bytes[i]);
	printf("\n");
	n = snprintf(buf, 10, "%s-%d-%c", "truncated", 12345, 'q');
	printf("snprintf %d '%s'\n", n, buf);
	sprintf(buf, "%5.2f|%-6s|%+d|%o|%#x|%e", 3.14159, "ab", 7, 64, 255, 12345.678);
	puts(buf);
	dyn = strdup("duplicate");
	printf("%s %d\n", dyn, (int)strspn(dyn, "dupl"));
	free(dyn);
	finish(5);
	printf("not reached\n");
	return 0;
}
