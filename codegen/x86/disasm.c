/*
 * disasm.c: disassembly of compiled code with Capstone, for dumps and for
 * counting emitted instructions (the benchmark's denominator).
 */
#include <capstone/capstone.h>

#include "internal.h"
#include "backend.h"

/* Print code[0..len) one instruction a line: address, bytes, Intel text.
 * Returns the instruction count, -1 when Capstone is unavailable. */
int x86_disasm(const void *code, size_t len, FILE *out)
{
	csh h;
	cs_insn *insn;
	size_t i, n;
	int j;

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return -1;
	n = cs_disasm(h, code, len, (uintptr_t)code, 0, &insn);
	for (i = 0; i < n; i++) {
		fprintf(out, "%12lx: ", (unsigned long)insn[i].address);
		for (j = 0; j < 10; j++)
			j < insn[i].size ? fprintf(out, "%02x ", insn[i].bytes[j])
			                 : fprintf(out, "   ");
		fprintf(out, " %s %s\n", insn[i].mnemonic, insn[i].op_str);
	}
	if (n)
		cs_free(insn, n);
	cs_close(&h);
	return (int)n;
}

/* The number of instructions in code[0..len), -1 on failure. */
int x86_insncount(const void *code, size_t len)
{
	csh h;
	cs_insn *insn;
	size_t n;

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return -1;
	n = cs_disasm(h, code, len, 0, 0, &insn);
	if (n)
		cs_free(insn, n);
	cs_close(&h);
	return (int)n;
}
