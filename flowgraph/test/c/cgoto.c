/* A computed-goto dispatch loop (GNU labels as values). */
#include <stdio.h>

enum { PUSH, ADD, DUP, JNZ, DEC, PRINT, HALT };

static int run(const int *code)
{
	static const void *const labels[] = {&&op_push, &&op_add, &&op_dup, &&op_jnz, &&op_dec,
		&&op_print, &&op_halt};
	int stack[16], sp = 0, pc = 0;

#define NEXT goto *labels[code[pc++]]
	NEXT;
op_push:
	stack[sp++] = code[pc++];
	NEXT;
op_add:
	sp--;
	stack[sp - 1] += stack[sp];
	NEXT;
op_dup:
	stack[sp] = stack[sp - 1];
	sp++;
	NEXT;
op_jnz:
	if (stack[--sp])
		pc = code[pc];
	else
		pc++;
	NEXT;
op_dec:
	stack[sp - 1]--;
	NEXT;
op_print:
	printf("%d\n", stack[sp - 1]);
	NEXT;
op_halt:
	return stack[sp - 1];
}

int main(void)
{
	/* acc = 0; n = 5; loop: acc += n; n--; if n goto loop */
	static const int prog[] = {
		PUSH, 0, PUSH, 5,          /* acc n */
		DUP, PRINT, DEC, DUP, JNZ, 4, /* print n, n--, loop while n */
		PUSH, 42, ADD, PRINT, HALT,
	};
	int r = run(prog);
	printf("result %d\n", r);
	return 0;
}
