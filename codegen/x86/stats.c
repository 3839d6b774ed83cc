/*
 * stats.c: what compiled code costs, for the runtime's TS_LOG and its code
 * memory bound: machine code bytes of a unit or a whole tree, its patchable
 * exits, its root.  (The bytes in use overall are counted by mem.c:
 * x86_codeused.)
 */
#include "internal.h"
#include "backend.h"

/* Machine code bytes of unit u (0 before x86_compile or when it failed). */
uint32_t x86_codesize(const X86Unit *u)
{
	const BUnit *bu = u ? u->be : NULL;

	return u && u->compiled && bu ? bu->len : 0;
}

/* Machine code bytes of a root and all its bridges (flexswitch case
 * chains aside). */
uint32_t x86_treesize(const X86Unit *root)
{
	uint32_t i, n;

	if (!root || root->root != root)
		return 0;
	n = x86_codesize(root);
	for (i = 0; i < root->nbridge; i++)
		n += x86_codesize(root->bridges[i]);
	return n;
}

/* Patchable exits of unit u: exit stubs, and flexswitches in *nflex. */
int x86_countexits(const X86Unit *u, int *nflex)
{
	uint32_t i;
	int n = 0, f = 0;

	for (i = 0; u && i < u->nsite; i++) {
		if (u->site[i]->kind == XE_FLEX)
			f++;
		else
			n++;
	}
	if (nflex)
		*nflex = f;
	return n;
}

/* The root unit of u's tree (u itself for a root). */
X86Unit *x86_root(const X86Unit *u)
{
	return u ? u->root : NULL;
}

/* Bridges of a root's tree. */
int x86_nbridges(const X86Unit *root)
{
	return root && root->root == root ? (int)root->nbridge : 0;
}
