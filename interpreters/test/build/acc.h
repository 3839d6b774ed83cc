/* acc.h: what acc.c uses from accops.c. */
long acc_add(long a, long b);
long acc_fail(const char *what, long pc);
int acc_failed(void);
long acc_run(const char *code, long len, long pc, long a);
