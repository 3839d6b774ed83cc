/* sweep.c: robustness sweep.  For each C file given, import it once and
 * annotate from every defined function as the portal; print the listing
 * and explain every line (to /dev/null).  Annotation may fail with an
 * error (a merge point outside that portal, ...) but must never crash or
 * break the analysis's self-check.  Prints one PASS line per file. */
#include <stdio.h>
#include <string.h>
#include "../hintannotator.h"

static int sweep(const char *path, FILE *null)
{
	const char *cc[] = {"-Ihintannotator"};
	FgModule *m = fg_import(&path, 1, cc, 1);
	uint32_t f, nok = 0, nerr = 0, n = 0, line;

	if (!m) {
		printf("FAIL hint-sweep %s: import failed\n", path);
		return 1;
	}
	for (f = 0; f < fg_vlen(m->funcs); f++) {
		HaResult *r;
		if (!(m->funcs[f].flags & FN_DEFINED))
			continue;
		n++;
		if (!(r = ha_annotate(m, m->funcs[f].name, NULL))) {
			nerr++;
			continue;
		}
		nok++;
		ha_print(null, r, NULL);
		for (line = 1; line < 1200; line++)
			ha_explain(null, r, path, line);
		ha_free(r);
	}
	printf("PASS hint-sweep %s (%u portals: %u annotated, %u rejected)\n", path, n, nok, nerr);
	fg_freemodule(m);
	return 0;
}

int main(int argc, char **argv)
{
	FILE *null = fopen("/dev/null", "w");
	int i, bad = 0;

	if (!null)
		return 2;
	for (i = 1; i < argc; i++)
		bad += sweep(argv[i], null);
	fclose(null);
	return bad != 0;
}
