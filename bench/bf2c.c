/* bf2c.c: translate a Brainfuck program into C, one statement per command
 * (a benchmark peer: the program compiled with gcc -O2 is the practical
 * limit a Brainfuck JIT can approach; it is not part of the JIT).
 *
 *   bf2c FILE.b > FILE.c
 *
 * The semantics are bin/bf's (interpreters/bf/bf.c): a tape of 30000
 * unsigned bytes that wrap, ',' stores 0 at end of input, moving off either
 * end of the tape is an error (exit 1), characters other than the eight
 * commands are comments.  Unbalanced brackets are reported here.
 */
#include <stdio.h>
#include <stdlib.h>

enum { BF_TAPE = 30000 };

/* The C text for each command, with the indentation depth it changes. */
#define BF2C_CMDS(_) \
	_('>', 0, "if (p == TAPE - 1) oob(); p++;") \
	_('<', 0, "if (p == 0) oob(); p--;") \
	_('+', 0, "t[p]++;") \
	_('-', 0, "t[p]--;") \
	_('.', 0, "putchar(t[p]);") \
	_(',', 0, "{ int c = getchar(); t[p] = c == EOF ? 0 : c; }") \
	_('[', 1, "while (t[p]) {") \
	_(']', -1, "}")

static const char prologue[] =
	"#include <stdio.h>\n"
	"#include <stdlib.h>\n"
	"enum { TAPE = %d };\n"
	"static unsigned char t[TAPE];\n"
	"static void oob(void)\n"
	"{\n"
	"\tfputs(\"bf: error: moved off the tape\\n\", stderr);\n"
	"\texit(1);\n"
	"}\n"
	"int main(void)\n"
	"{\n"
	"\tlong p = 0;\n";

/* Print one command's statement at depth `depth`; returns the depth change
 * (0 for comment characters, which print nothing). */
static int emit(FILE *out, int c, int depth)
{
	int d = 0, i;
	const char *s = NULL;

	switch (c) {
#define C(ch, dd, text) \
	case ch: \
		s = text; \
		d = dd; \
		break;
		BF2C_CMDS(C)
#undef C
	default:
		return 0;
	}
	for (i = 0; i < depth + 1 + (d < 0 ? d : 0); i++)
		fputc('\t', out);
	fprintf(out, "%s\n", s);
	return d;
}

int main(int argc, char **argv)
{
	FILE *f;
	int c, depth = 0;
	long off = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: bf2c FILE.b\n");
		return 2;
	}
	if (!(f = fopen(argv[1], "rb"))) {
		perror(argv[1]);
		return 1;
	}
	printf(prologue, BF_TAPE);
	for (; (c = fgetc(f)) != EOF; off++) {
		if (c == ']' && depth == 0) {
			fprintf(stderr, "bf2c: error: unbalanced ']' at offset %ld\n", off);
			return 1;
		}
		depth += emit(stdout, c, depth);
	}
	fclose(f);
	if (depth) {
		fprintf(stderr, "bf2c: error: unbalanced '['\n");
		return 1;
	}
	printf("\tfflush(stdout);\n\treturn 0;\n}\n");
	return 0;
}
