/* text_fuzz.c: write corrupted variants of flow-graph text files.
 *
 *   text_fuzz SEED N OUTDIR FILE...
 *
 * Writes OUTDIR/v0.fg .. v<N-1>.fg, each a file of the list (in turn) with
 * one to three seeded mutations: truncation, a random byte, a deleted,
 * duplicated or swapped line, a deleted range, a changed digit, or an
 * inserted token that the grammar knows.  The same seed gives the same
 * variants, so a failure can be replayed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "flowgraph.h"

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return n ? (uint32_t)(rng >> 33) % n : 0;
}

typedef struct {
	char *p;  /* bytes */
	size_t n; /* length */
} Buf;

static void splice(Buf *b, size_t at, size_t del, const char *ins, size_t nins)
{
	char *q = fg_alloc(b->n - del + nins + 1);

	memcpy(q, b->p, at);
	memcpy(q + at, ins, nins);
	memcpy(q + at + nins, b->p + at + del, b->n - at - del);
	fg_free(b->p);
	b->p = q;
	b->n = b->n - del + nins;
}

/* Start and length of a random line. */
static void randline(Buf *b, size_t *start, size_t *len)
{
	size_t at = rnd(b->n + 1), s = at, e = at;

	while (s > 0 && b->p[s - 1] != '\n')
		s--;
	while (e < b->n && b->p[e] != '\n')
		e++;
	if (e < b->n)
		e++;
	*start = s;
	*len = e - s;
}

static const char *const tokens[] = {
    "%x",
    "@entry",
    "@f",
    ",",
    "i32 ",
    "i1 ",
    "ptr ",
    "(",
    ")",
    "\"",
    "!",
    "x\"",
    "c\"0",
    "-",
    "+",
    "99999999999999999999",
    "...",
    ":",
    "=",
    "{",
    "}",
    "\n",
    "\\",
    "#",
    " undef ",
    "goto @entry()",
    "ret",
    "br %c, @a(), @b()",
    "switch ",
    "add ",
    "call ",
    "fixed 7",
    "align 0",
    "size 1099511627776",
    "reloc 0 = @x",
    "\t",
    "\0",
    "\xff",
    "%0",
    "@\"\\00\"",
    "0x",
    "f64 0x",
    "merge_point ",
    "alloca ",
    "define void @g() {\n@b():\n\tret\n}\n",
};

static void mutate(Buf *b)
{
	size_t s, l, s2, l2, at;
	char c, *tmp;
	const char *t;

	switch (rnd(8)) {
	case 0: /* truncate */
		b->n = rnd(b->n + 1);
		break;
	case 1: /* random byte */
		if (b->n) {
			c = rnd(256);
			b->p[rnd(b->n)] = c;
		}
		break;
	case 2: /* delete a line */
		randline(b, &s, &l);
		splice(b, s, l, "", 0);
		break;
	case 3: /* duplicate a line */
		randline(b, &s, &l);
		tmp = fg_alloc(l + 1);
		memcpy(tmp, b->p + s, l);
		splice(b, s, 0, tmp, l);
		fg_free(tmp);
		break;
	case 4: /* insert a token */
		t = tokens[rnd(sizeof tokens / sizeof *tokens)];
		at = rnd(b->n + 1);
		splice(b, at, 0, t, *t ? strlen(t) : 1);
		break;
	case 5: /* swap two lines: move one line elsewhere */
		randline(b, &s, &l);
		tmp = fg_alloc(l + 1);
		memcpy(tmp, b->p + s, l);
		splice(b, s, l, "", 0);
		randline(b, &s2, &l2);
		splice(b, s2, 0, tmp, l);
		fg_free(tmp);
		break;
	case 6: /* delete a range */
		at = rnd(b->n + 1);
		l = rnd(40);
		if (at + l > b->n)
			l = b->n - at;
		splice(b, at, l, "", 0);
		break;
	case 7: /* change a digit */
		for (l = 0; l < 20 && b->n; l++) {
			at = rnd(b->n);
			if (b->p[at] >= '0' && b->p[at] <= '9') {
				b->p[at] = '0' + rnd(10);
				break;
			}
		}
		break;
	}
}

int main(int argc, char **argv)
{
	int i, n, k, nfiles = argc - 4;
	char path[4096];

	if (argc < 5)
		return fprintf(stderr, "usage: text_fuzz SEED N OUTDIR FILE...\n"), 3;
	rng = strtoull(argv[1], NULL, 0);
	n = atoi(argv[2]);
	for (i = 0; i < n; i++) {
		Buf b;
		FILE *f;
		if (!(b.p = fg_readfile(argv[4 + i % nfiles], &b.n)))
			return fprintf(stderr, "%s: cannot read\n", argv[4 + i % nfiles]), 3;
		for (k = 1 + rnd(3); k > 0; k--)
			mutate(&b);
		snprintf(path, sizeof path, "%s/v%d.fg", argv[3], i);
		if (!(f = fopen(path, "wb")) || fwrite(b.p, 1, b.n, f) != b.n || fclose(f))
			return fprintf(stderr, "%s: cannot write\n", path), 3;
		fg_free(b.p);
	}
	return 0;
}
