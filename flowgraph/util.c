/* util.c: allocation, vectors, arenas and diagnostics for the offline tool.
 * Every allocation of the offline side goes through fg_alloc/fg_realloc,
 * so a test can make them fail (FG_ALLOC_FAIL_AFTER=n in the environment
 * makes the n-th allocation fail, to check that failure is reported). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "flowgraph.h"

int fg_nerrors;

static long failafter = -2; /* -2: not read yet, -1: never fail */

static void checkfail(void)
{
	if (failafter == -2) {
		const char *s = getenv("FG_ALLOC_FAIL_AFTER");
		failafter = s ? atol(s) : -1;
	}
	if (failafter >= 0 && failafter-- == 0)
		die("out of memory");
}

void *fg_alloc(size_t n)
{
	void *p;

	checkfail();
	p = calloc(1, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

void *fg_realloc(void *p, size_t n)
{
	checkfail();
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

void fg_free(void *p)
{
	free(p);
}

/* A vector is a pointer to its first element, preceded by this header. */
typedef struct {
	size_t len;    /* elements in use */
	size_t cap;    /* elements allocated */
	size_t elsize; /* bytes per element */
	size_t pad;    /* keeps the data 16-byte aligned */
} VecHdr;

#define HDR(v) ((VecHdr *)(v) - 1)

void *fg_vnew(size_t n, size_t elsize)
{
	size_t cap = n < 4 ? 4 : n;
	VecHdr *h = fg_alloc(sizeof(VecHdr) + cap * elsize);

	h->len = n;
	h->cap = cap;
	h->elsize = elsize;
	return h + 1;
}

/* Resize the vector *pv to n elements; new elements are zeroed.
 * Requires *pv made by fg_vnew. */
void fg_vgrow(void *pv, size_t n)
{
	void **p = pv;
	VecHdr *h = HDR(*p);

	if (n > h->cap) {
		size_t cap = h->cap * 2 > n ? h->cap * 2 : n;
		h = fg_realloc(h, sizeof(VecHdr) + cap * h->elsize);
		memset((char *)(h + 1) + h->cap * h->elsize, 0, (cap - h->cap) * h->elsize);
		h->cap = cap;
	}
	if (n < h->len)
		memset((char *)(h + 1) + n * h->elsize, 0, (h->len - n) * h->elsize);
	h->len = n;
	*p = h + 1;
}

size_t fg_vlen(const void *v)
{
	return v ? HDR(v)->len : 0;
}

void *fg_vdup(const void *v)
{
	void *c;

	if (!v)
		return NULL;
	c = fg_vnew(HDR(v)->len, HDR(v)->elsize);
	memcpy(c, v, HDR(v)->len * HDR(v)->elsize);
	return c;
}

void fg_vfree(void *v)
{
	if (v)
		free(HDR(v));
}

/* Arena: a list of chunks, freed all at once with the module. */
struct FgArena {
	FgArena *next; /* older chunk */
	size_t used;   /* bytes used in data */
	size_t size;   /* bytes in data */
	char data[];   /* the chunk */
};

/* The head is a sentinel; a->next is the chunk being filled. */
static void *arenaalloc(FgArena *a, size_t n)
{
	FgArena *c = a->next;

	n = (n + 15) & ~(size_t)15;
	if (!c || c->used + n > c->size) {
		size_t sz = n > 65536 ? n : 65536;
		c = fg_alloc(sizeof(FgArena) + sz);
		c->size = sz;
		c->next = a->next;
		a->next = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

FgArena *fg_newarena(void)
{
	return fg_alloc(sizeof(FgArena));
}

void fg_freearena(FgArena *a)
{
	while (a) {
		FgArena *n = a->next;
		free(a);
		a = n;
	}
}

char *fg_strdup(FgArena *a, const char *s)
{
	size_t n;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = arenaalloc(a, n);
	memcpy(p, s, n);
	return p;
}

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("tsgen: internal error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

static void verror(const char *file, unsigned line, const char *fmt, va_list ap)
{
	fflush(stdout);
	if (file && *file && line)
		fprintf(stderr, "%s:%u: error: ", file, line);
	else if (file && *file)
		fprintf(stderr, "%s: error: ", file);
	else
		fputs("tsgen: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	fg_nerrors++;
}

int fg_errorat(const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(file, line, fmt, ap);
	va_end(ap);
	return -1;
}

int fg_error(const FgModule *m, FgLoc loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fg_locfile(m, loc), loc.line, fmt, ap);
	va_end(ap);
	return -1;
}

/* Read a whole file into a NUL-terminated buffer (free with fg_free);
 * *len gets its size.  NULL with errno set when it cannot be opened or
 * read. */
char *fg_readfile(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, k;
	int err;

	if (!f)
		return NULL;
	do {
		if (n + 1 >= cap)
			buf = fg_realloc(buf, cap = cap ? 2 * cap : 4096);
		k = fread(buf + n, 1, cap - n - 1, f);
		n += k;
	} while (k > 0);
	err = ferror(f) ? errno : 0;
	fclose(f);
	if (err) {
		fg_free(buf);
		errno = err;
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}
