/* text_roundtrip.c: parse a .fg file, verify it, print it.
 *
 *   text_roundtrip [-n] FILE.fg     (-n: skip the verifier)
 *
 * Exit status: 0 printed, 1 parse error, 2 verifier errors, 3 usage/IO. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flowgraph.h"

int main(int argc, char **argv)
{
	int verify = 1, i = 1, rc = 0;
	size_t len;
	char *text;
	FgModule *m;

	if (i < argc && strcmp(argv[i], "-n") == 0)
		verify = 0, i++;
	if (i + 1 != argc) {
		fprintf(stderr, "usage: text_roundtrip [-n] FILE.fg\n");
		return 3;
	}
	if (!(text = fg_readfile(argv[i], &len))) {
		fprintf(stderr, "%s: cannot read\n", argv[i]);
		return 3;
	}
	m = fg_parse(text, len, argv[i]);
	fg_free(text);
	if (!m)
		return 1;
	if (verify && fg_verify(m) > 0)
		rc = 2;
	else
		fg_print(stdout, m);
	fg_freemodule(m);
	return rc;
}
