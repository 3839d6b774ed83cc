/* argv and stdin: options from the command line, lines read with fgets,
 * numbers with scanf, characters with getchar; a report on stdout,
 * diagnostics on stderr, and the exit status returned from main. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int verbose, upper;

static void parse(int argc, char **argv, const char **sep, int *nlines)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-u") == 0)
			upper = 1;
		else if (strncmp(argv[i], "--sep=", 6) == 0)
			*sep = argv[i] + 6;
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			*nlines = atoi(argv[++i]);
		else
			fprintf(stderr, "warning: unknown argument '%s' (#%d)\n", argv[i], i);
	}
}

int main(int argc, char **argv)
{
	const char *sep = " ";
	char line[256];
	int nlines = 2, i, n, sum = 0, count = 0, c, letters[26] = {0};
	double avg;

	parse(argc, argv, &sep, &nlines);
	printf("argc %d, first arg %s\n", argc, argc > 1 ? argv[1] : "-");
	for (i = 0; i < nlines && fgets(line, sizeof line, stdin); i++) {
		line[strcspn(line, "\n")] = 0;
		if (upper) {
			char *p;
			for (p = line; *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p -= 32;
		}
		printf("line %d%s[%s] (%zu)\n", i + 1, sep, line, strlen(line));
	}
	while (scanf("%d", &n) == 1) {
		sum += n;
		count++;
		if (verbose)
			fprintf(stderr, "read %d\n", n);
	}
	avg = count ? (double)sum / count : 0;
	printf("numbers: %d, sum %d, avg %.3f\n", count, sum, avg);
	while ((c = getchar()) != EOF)
		if (c >= 'a' && c <= 'z')
			letters[c - 'a']++;
	for (i = 0; i < 26; i++)
		if (letters[i])
			printf("%c%d ", 'a' + i, letters[i]);
	printf("\n");
	if (sum > 100) {
		fprintf(stderr, "error: sum %d is over 100\n", sum);
		return 4;
	}
	return 0;
}
