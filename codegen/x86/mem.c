/*
 * mem.c: executable memory for compiled code, W^X.
 *
 * All code lives in one region reserved once at the first allocation, so
 * any two pieces of code reach each other with a rel32 jump (stubs are
 * re-pointed to bridges that way).  Pieces are carved out first-fit from a
 * free list, else from the end of the used part.  The region size is the
 * code memory bound (x86_codelimit, default 64 MB): when it is full,
 * allocation fails and the unit fails with X86_ECODE.
 *
 * W^X, two ways.  Normally the region is a memfd mapped twice: a
 * read+execute view that runs, and a read+write view at another address
 * through which code is written and patched; no mapping is ever writable
 * and executable, and writing costs no system call.  Where that is not
 * possible (or with the environment variable X86_MPROTECT set) the region
 * is private memory whose pages are flipped with mprotect: writable while
 * bytes are copied in, then read+execute.
 *
 * With the environment variable X86_PERFMAP set (or x86_perfmap called
 * with perf on), each named piece is appended to /tmp/perf-PID.map so that
 * `perf report` names JIT code.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"
#include "backend.h"

struct X86Code {
	uint8_t *addr;  /* first byte */
	uint32_t size;  /* bytes reserved (multiple of 16) */
	X86Code *next;  /* free list link */
};

static uint8_t *region;          /* reserved code region (executable view) */
static uint8_t *wregion;         /* its writable view, NULL: mprotect mode */
static size_t regsize = 64 << 20; /* its size: the code memory bound */
static size_t used;              /* bytes handed out from its start */
static X86Code *freelist;        /* freed pieces, first-fit */
static int perfon = -1;          /* perf map: -1 unknown, 0 off, 1 on */
static size_t inuse;             /* bytes handed out and not freed */

/* Set the code memory bound (before the first allocation). */
void x86_codelimit(size_t bytes)
{
	if (!region)
		regsize = (bytes + 4095) & ~(size_t)4095;
}

/* Change the protection of the pages covering [p, p+n). */
static int protect(void *p, size_t n, int prot)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)4095;
	uintptr_t e = ((uintptr_t)p + n + 4095) & ~(uintptr_t)4095;

	return mprotect((void *)a, e - a, prot) == 0;
}

/* Copy bytes to code memory at `at` (through the writable view, or with a
 * W^X flip); 0 on failure. */
int x86_codewrite(void *at, const void *bytes, uint32_t len)
{
	if (wregion) {
		memcpy(wregion + ((uint8_t *)at - region), bytes, len);
		return 1;
	}
	if (!protect(at, len, PROT_READ | PROT_WRITE))
		return 0;
	memcpy(at, bytes, len);
	__builtin___clear_cache((char *)at, (char *)at + len);
	return protect(at, len, PROT_READ | PROT_EXEC);
}

/* Map the region twice from a memfd (1), else reserve private memory for
 * the mprotect mode (1), else 0. */
static int reserve(void)
{
	int fd = getenv("X86_MPROTECT") ? -1 : memfd_create("x86-jit", MFD_CLOEXEC);
	void *x, *w;

	if (fd >= 0) {
		if (ftruncate(fd, (off_t)regsize) == 0) {
			x = mmap(NULL, regsize, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
			w = mmap(NULL, regsize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			if (x != MAP_FAILED && w != MAP_FAILED) {
				close(fd);
				region = x, wregion = w;
				return 1;
			}
			if (x != MAP_FAILED)
				munmap(x, regsize);
			if (w != MAP_FAILED)
				munmap(w, regsize);
		}
		close(fd);
	}
	x = mmap(NULL, regsize, PROT_NONE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (x == MAP_FAILED)
		return 0;
	region = x;
	return 1;
}

/* A piece of size bytes: first fit from the free list, else the end. */
static X86Code *carve(uint32_t size)
{
	X86Code **pp, *c;

	for (pp = &freelist; (c = *pp); pp = &c->next)
		if (c->size >= size) {
			*pp = c->next;
			inuse += c->size;
			return c;
		}
	if (!region && !reserve())
		return NULL;
	if (used + size > regsize || !(c = x86_alloc(NULL, sizeof *c)))
		return NULL;
	c->addr = region + used;
	c->size = size;
	c->next = NULL;
	used += size;
	inuse += size;
	return c;
}

/* Reserve len bytes of code memory (to be filled by x86_codewrite); NULL
 * when out of memory or over the bound. */
X86Code *x86_codereserve(uint32_t len)
{
	return carve((len + 15) & ~15u);
}

/* Copy len bytes of code to executable memory; NULL when out of memory or
 * over the bound. */
X86Code *x86_codealloc(const void *bytes, uint32_t len)
{
	X86Code *c = carve((len + 15) & ~15u);

	if (!c)
		return NULL;
	if (!x86_codewrite(c->addr, bytes, len)) {
		x86_codefree(c);
		return NULL;
	}
	return c;
}

void *x86_codeaddr(const X86Code *c)
{
	return c->addr;
}

/* Return a piece to the free list (its pages stay executable, filled with
 * int3 so a stale jump into it traps). */
void x86_codefree(X86Code *c)
{
	if (!c)
		return;
	if (wregion) {
		memset(wregion + (c->addr - region), X86_INT3, c->size);
	} else if (protect(c->addr, c->size, PROT_READ | PROT_WRITE)) {
		memset(c->addr, X86_INT3, c->size);
		protect(c->addr, c->size, PROT_READ | PROT_EXEC);
	}
	c->next = freelist;
	freelist = c;
	inuse -= c->size;
}

/* Bytes of code memory in use (handed out and not freed). */
size_t x86_codeused(void)
{
	return inuse;
}

/* Turn the perf map on (1) or off (0). */
void x86_perfmapon(int on)
{
	perfon = on;
}

/* Name a piece of code in /tmp/perf-PID.map when the perf map is on. */
void x86_perfmap(const X86Code *c, const char *name)
{
	char path[64];
	FILE *f;

	if (perfon < 0)
		perfon = getenv("X86_PERFMAP") != NULL;
	if (!perfon || !c)
		return;
	snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
	if ((f = fopen(path, "a"))) {
		fprintf(f, "%lx %x %s\n", (unsigned long)(uintptr_t)c->addr,
		        c->size, name);
		fclose(f);
	}
}
