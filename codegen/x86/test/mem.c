/*
 * mem.c: tests of executable memory: code runs, no mapping is ever
 * writable and executable at once (checked in /proc/self/maps after
 * allocating and patching), freed pieces are reused, the bound is kept,
 * the perf map names code, and the disassembler counts instructions.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "backend.h"

/* 1 when some mapping of the process is both writable and executable. */
static int haswx(void)
{
	char line[512], perm[8];
	FILE *f = fopen("/proc/self/maps", "r");
	int bad = 0;

	if (!f)
		return 1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%*s %7s", perm) == 1 && perm[1] == 'w' &&
		    perm[2] == 'x')
			bad = 1;
	fclose(f);
	return bad;
}

static int nfail; /* failed tests */

/* Does /tmp/perf-PID.map name address a as name? */
static int inmap(void *a, const char *name)
{
	char path[64], line[256], want[128];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof path, "/tmp/perf-%d.map", (int)getpid());
	snprintf(want, sizeof want, "%lx ", (unsigned long)(uintptr_t)a);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, want, strlen(want)) && strstr(line, name))
			found = 1;
	fclose(f);
	remove(path);
	return found;
}

static void report(const char *name, int ok)
{
	printf("%s mem-%s\n", ok ? "PASS" : "FAIL", name);
	nfail += !ok;
}

int main(void)
{
	/* mov eax, 42; ret */
	static const uint8_t ret42[] = {0xb8, 42, 0, 0, 0, 0xc3};
	static const uint8_t ret7[] = {0xb8, 7, 0, 0, 0, 0xc3};
	X86Code *c, *d, *big[64];
	int (*fn)(void);
	int i, n;
	FILE *devnull = fopen("/dev/null", "w");

	x86_codelimit(1 << 20);
	c = x86_codealloc(ret42, sizeof ret42);
	fn = (int (*)(void))x86_codeaddr(c);
	report("run", c && fn() == 42);
	report("wx-alloc", !haswx());
	x86_codewrite((uint8_t *)x86_codeaddr(c) + 1, ret7 + 1, 1);
	report("patch", fn() == 7 && !haswx());
	x86_codefree(c);
	d = x86_codealloc(ret7, sizeof ret7);
	report("reuse", d && x86_codeaddr(d) == (void *)fn);
	for (i = 0, n = 0; i < 64; i++)
		n += (big[i] = x86_codereserve(64 << 10)) != NULL;
	report("bound", n > 0 && n < 64);
	for (i = 0; i < 64; i++)
		x86_codefree(big[i]);
	x86_perfmapon(1);
	c = x86_codealloc(ret42, sizeof ret42);
	x86_perfmap(c, "mem-test-fn");
	report("perfmap", c && inmap(x86_codeaddr(c), "mem-test-fn"));
	x86_codefree(c);
	n = x86_disasm(ret42, sizeof ret42, devnull);
	report("disasm", n == 2 && x86_insncount(ret42, sizeof ret42) == 2);
	fclose(devnull);
	return nfail != 0;
}
