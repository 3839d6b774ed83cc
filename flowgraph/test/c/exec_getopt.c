/* Extern globals of libc: getopt with optarg/optind/opterr, errno after a
 * failing call, environ, stdin/stdout/stderr as FILE pointers, and the
 * exit status chosen from the options. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	int c, level = 0, status = 0, i, nenv = 0;
	const char *name = "none";
	FILE *f;
	FILE *outs[2];

	opterr = 0;
	while ((c = getopt(argc, argv, "vn:s:")) != -1) {
		switch (c) {
		case 'v':
			level++;
			break;
		case 'n':
			name = optarg;
			break;
		case 's':
			status = atoi(optarg);
			break;
		default:
			fprintf(stderr, "bad option -%c\n", optopt);
		}
	}
	printf("level %d name %s status %d optind %d\n", level, name, status, optind);
	for (i = optind; i < argc; i++)
		printf("operand %s\n", argv[i]);
	errno = 0;
	f = fopen("/nonexistent/dir/file", "r");
	printf("fopen %s, errno %s\n", f ? "opened" : "failed", errno == ENOENT ? "ENOENT" : "other");
	printf("strerror: %s\n", strerror(ENOENT));
	for (i = 0; environ[i]; i++)
		nenv++;
	printf("environ has entries: %s\n", nenv > 0 ? "yes" : "no");
	outs[0] = stdout;
	outs[1] = stderr;
	for (i = 0; i < 2; i++)
		fprintf(outs[i], "to stream %d\n", i);
	fflush(stdout);
	fputs("unbuffered stderr after flushed stdout\n", stderr);
	return status;
}
