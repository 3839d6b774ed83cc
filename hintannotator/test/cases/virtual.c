/* portal: virt
 * Virtualisation candidates: a local array indexed at green offsets is
 * virtual; one indexed by a red value, or passed to an external function,
 * escapes; TS_VIRTUALIZABLE names the frame. */
#include "hints.h"

struct frame {
	long acc;
	long regs[4];
};

extern void show(long *p);

long virt(long g, long r)
{
	long a[4], b[4], c[4];
	struct frame f;

	g = TS_GREEN(g) & 3;
	TS_VIRTUALIZABLE(&f);
	f.acc = r;
	f.regs[g] = r;
	a[g] = r;
	b[r & 3] = r;
	c[0] = r;
	show(c);
	return a[g] + b[0] + c[1] + f.acc + f.regs[g];
}
