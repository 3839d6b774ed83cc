/* Reads its standard input. */
#include <stdio.h>

int main(void)
{
	char line[128];
	int n = 0, ch;
	long chars = 0;

	while (fgets(line, sizeof line, stdin)) {
		n++;
		printf("%d: %s", n, line);
	}
	rewind(stdin);
	while ((ch = getchar()) != EOF)
		chars++;
	printf("%d lines\n", n);
	return chars > 0 ? 0 : 1;
}
