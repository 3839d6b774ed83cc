/* A signal handler and a comparator are interpreted functions called from
 * native code; the handler changes a global that main then reads.  Also
 * getenv and a function pointer kept in a struct on the heap. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t got;

static void handler(int sig)
{
	got = sig * 10 + got;
}

struct cb {
	void (*fn)(int);
	int arg;
};

int main(void)
{
	struct cb *c = malloc(sizeof *c);

	if (signal(SIGUSR1, handler) == SIG_ERR)
		return 1;
	raise(SIGUSR1);
	printf("after raise: %d\n", (int)got);
	c->fn = handler;
	c->arg = 1;
	c->fn(c->arg);
	printf("direct: %d\n", (int)got);
	signal(SIGUSR2, c->fn);
	raise(SIGUSR2);
	printf("after second raise: %d\n", (int)got);
	printf("PATH set: %s\n", getenv("PATH") ? "yes" : "no");
	free(c);
	return got > 100 ? 0 : 9;
}
