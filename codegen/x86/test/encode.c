/*
 * encode.c: golden test of the x86-64 encoder.
 *
 * Every instruction form the backend emits (the X86_FORMS table and the
 * helpers of ../encode.c) is emitted with a spread of registers, sizes and
 * addressing modes; each case has an Intel-syntax text.  With --asm the
 * texts are printed, and encode-golden.sh turns them into encode.golden
 * with llvm-mc-14 -show-encoding (run once; the file is committed).  With
 * a golden file as argument, the bytes are compared case by case and one
 * PASS/FAIL line is printed per form.  Branches (relative targets) are
 * checked by decoding them with capstone instead.
 */
#include <capstone/capstone.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

enum { MAXCASE = 8192 };

typedef struct Case {
	const char *form; /* form name (test name) */
	char text[80];    /* Intel syntax */
	uint8_t bytes[16];/* our encoding */
	int len;          /* its length */
} Case;

static Case cases[MAXCASE];
static int ncase;
static X86Buf buf;

static const char *r64[] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp",
	"rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *r32[] = {"eax", "ecx", "edx", "ebx", "esp", "ebp",
	"esi", "edi", "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d",
	"r15d"};
static const char *r16[] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
	"r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
static const char *r8[] = {"al", "cl", "dl", "bl", "spl", "bpl", "sil",
	"dil", "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
static const char *ccname[] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
	"s", "ns", "p", "np", "l", "ge", "le", "g"};
static const int sizes[] = {1, 2, 4, 8};

/* Register pairs (dst, src) and memory operands exercised by every form. */
static const int pairs[][2] = {{0, 1}, {1, 0}, {2, 7}, {3, 4}, {5, 6},
	{8, 0}, {0, 9}, {12, 13}, {15, 15}, {7, 11}, {6, 5}, {4, 12}};
static const X86Mem mems[] = {
	{X86_RAX, X86_NOREG, 0, 0}, {X86_RCX, X86_NOREG, 0, 8},
	{X86_RSP, X86_NOREG, 0, 0}, {X86_RSP, X86_NOREG, 0, 16},
	{X86_RBP, X86_NOREG, 0, 0}, {X86_RBP, X86_NOREG, 0, -8},
	{X86_R12, X86_NOREG, 0, 0}, {X86_R13, X86_NOREG, 0, 0},
	{X86_R13, X86_NOREG, 0, 4096}, {X86_R15, X86_NOREG, 0, -129},
	{X86_RDX, X86_RCX, 3, 0}, {X86_RBP, X86_R9, 2, 127},
	{X86_R12, X86_R13, 1, -128}, {X86_RSI, X86_RDI, 0, 100000},
	{X86_NOREG, X86_RCX, 3, 64}, {X86_NOREG, X86_NOREG, 0, 4096},
	{X86_RBX, X86_R12, 0, 1},
};
#define NPAIR (int)(sizeof pairs / sizeof pairs[0])
#define NMEM (int)(sizeof mems / sizeof mems[0])
static const int32_t imms[] = {0, 1, -1, 127, -128, 128, 1000, -100000};

static const char *rname(int sz, int r)
{
	return sz == 1 ? r8[r] : sz == 2 ? r16[r] : sz == 4 ? r32[r] : r64[r];
}

static const char *ptrname(int sz)
{
	return sz == 1 ? "byte" : sz == 2 ? "word" : sz == 4 ? "dword" : "qword";
}

/* Intel text of a memory operand of size sz (0: no size keyword). */
static char *memtext(char *s, int sz, X86Mem m)
{
	char *p = s;

	if (sz)
		p += sprintf(p, "%s ptr ", ptrname(sz));
	p += sprintf(p, "[");
	if (m.base != X86_NOREG)
		p += sprintf(p, "%s", r64[m.base]);
	if (m.index != X86_NOREG)
		p += sprintf(p, "%s%s*%d", m.base != X86_NOREG ? " + " : "",
		             r64[m.index], 1 << m.scale);
	if (m.base == X86_NOREG && m.index == X86_NOREG)
		p += sprintf(p, "%d", m.disp);
	else if (m.disp)
		p += sprintf(p, " %c %d", m.disp < 0 ? '-' : '+',
		             m.disp < 0 ? -m.disp : m.disp);
	sprintf(p, "]");
	return s;
}

/* Start a case: reset the buffer. */
static void begin(void)
{
	buf.len = 0;
	x86_reserve(&buf, 64);
}

/* Record the bytes emitted since begin() under a formatted text. */
static void end(const char *form, const char *fmt, ...)
{
	Case *c;
	va_list ap;

	if (ncase == MAXCASE || buf.err || buf.len > 16) {
		fprintf(stderr, "encode: table overflow\n");
		exit(2);
	}
	c = &cases[ncase++];
	c->form = form;
	va_start(ap, fmt);
	vsnprintf(c->text, sizeof c->text, fmt, ap);
	va_end(ap);
	memcpy(c->bytes, buf.code, buf.len);
	c->len = buf.len;
}

static void alu(const char *f, X86Op op, const char *mn, int imm, int mov)
{
	char m[64];
	int i, s, sz;

	for (s = 0; s < 4; s++) {
		sz = sizes[s];
		for (i = 0; i < NPAIR; i++) {
			begin(), x86_alurr(&buf, op, sz, pairs[i][0], pairs[i][1]);
			end(f, "%s %s, %s", mn, rname(sz, pairs[i][0]),
			    rname(sz, pairs[i][1]));
		}
		for (i = 0; i < NMEM; i++) {
			begin(), x86_alurm(&buf, op, sz, i % 16, mems[i]);
			end(f, "%s %s, %s", mn, rname(sz, i % 16),
			    memtext(m, sz, mems[i]));
			begin(), x86_alumr(&buf, op, sz, mems[i], (i + 3) % 16);
			end(f, "%s %s, %s", mn, memtext(m, sz, mems[i]),
			    rname(sz, (i + 3) % 16));
		}
		for (i = 0; imm && i < (int)(sizeof imms / sizeof imms[0]); i++) {
			int32_t v = sz == 1 ? (int8_t)imms[i] :
			            sz == 2 ? (int16_t)imms[i] : imms[i];
			begin(), x86_aluri(&buf, op, sz, i * 5 % 16, v);
			end(f, "%s %s, %d", mn, rname(sz, i * 5 % 16), v);
		}
		for (i = 0; mov && i < NMEM; i++) {
			int32_t v = sz == 1 ? (int8_t)imms[i % 8] :
			            sz == 2 ? (int16_t)imms[i % 8] : imms[i % 8];
			begin(), x86_movmi(&buf, sz, mems[i], v);
			end(f, "mov %s, %d", memtext(m, sz, mems[i]), v);
		}
	}
}

static void test(const char *f)
{
	char m[64];
	int i, s, sz;

	for (s = 0; s < 4; s++) {
		sz = sizes[s];
		for (i = 0; i < NPAIR; i++) {
			begin(), x86_alurr(&buf, XO_TEST, sz, pairs[i][0], pairs[i][1]);
			end(f, "test %s, %s", rname(sz, pairs[i][0]),
			    rname(sz, pairs[i][1]));
		}
		for (i = 0; i < NMEM; i++) {
			begin(), x86_alumr(&buf, XO_TEST + 2, sz, mems[i], i % 16);
			end(f, "test %s, %s", memtext(m, sz, mems[i]), rname(sz, i % 16));
		}
		for (i = 0; i < 8; i++) {
			int32_t v = sz == 1 ? (int8_t)imms[i] :
			            sz == 2 ? (int16_t)imms[i] : imms[i];
			begin(), x86_testri(&buf, sz, i * 3 % 16, v);
			end(f, "test %s, %d", rname(sz, i * 3 % 16), v);
		}
	}
}

static void shift(const char *f, X86Op op, const char *mn)
{
	int r, s, sz;

	for (s = 0; s < 4; s++) {
		sz = sizes[s];
		for (r = 0; r < 16; r += 3) {
			begin(), x86_shiftrc(&buf, op, sz, r);
			end(f, "%s %s, cl", mn, rname(sz, r));
			begin(), x86_shiftri(&buf, op, sz, r, 1);
			end(f, "%s %s, 1", mn, rname(sz, r));
			begin(), x86_shiftri(&buf, op, sz, r, sz * 8 - 1);
			end(f, "%s %s, %d", mn, rname(sz, r), sz * 8 - 1);
		}
	}
}

static void unary(const char *f, X86Op op, const char *mn)
{
	int r, s, sz;

	for (s = 0; s < 4; s++)
		for (r = 0, sz = sizes[s]; r < 16; r++) {
			begin(), x86_unary(&buf, op, sz, r);
			end(f, "%s %s", mn, rname(sz, r));
		}
}

/* reg <- reg/mem forms of sizes 2-8 (imul, lea: mem only). */
static void rrm(const char *f, X86Op op, const char *mn, int regs)
{
	char m[64];
	int i, s, sz;

	for (s = 1; s < 4; s++) {
		sz = sizes[s];
		for (i = 0; regs && i < NPAIR; i++) {
			begin(), x86_oprr(&buf, op, sz, pairs[i][0], pairs[i][1]);
			end(f, "%s %s, %s", mn, rname(sz, pairs[i][0]),
			    rname(sz, pairs[i][1]));
		}
		for (i = 0; i < NMEM; i++) {
			begin(), x86_oprm(&buf, op, sz, i % 16, mems[i]);
			end(f, "%s %s, %s", mn, rname(sz, i % 16),
			    memtext(m, regs ? sz : 0, mems[i]));
		}
		for (i = 0; regs && i < 8; i++) {
			begin(), x86_imulrri(&buf, sz, pairs[i][0], pairs[i][1],
			                     sz == 2 ? (int16_t)imms[i] : imms[i]);
			end(f, "imul %s, %s, %d", rname(sz, pairs[i][0]),
			    rname(sz, pairs[i][1]), sz == 2 ? (int16_t)imms[i] : imms[i]);
		}
	}
}

/* movzx/movsx/movsxd: from size from to sizes 4, 8 (2 for 8-bit). */
static void ext(const char *f, X86Op op, const char *mn, int from)
{
	char m[64];
	int i, s, sz;

	for (s = 1; s < 4; s++) {
		sz = sizes[s];
		if (sz <= from || (sz == 2 && from != 1) || (from == 4 && sz != 8))
			continue;
		for (i = 0; i < NPAIR; i++) {
			begin(), x86_oprr(&buf, op, sz, pairs[i][0], pairs[i][1]);
			end(f, "%s %s, %s", mn, rname(sz, pairs[i][0]),
			    rname(from, pairs[i][1]));
		}
		for (i = 0; i < NMEM; i++) {
			begin(), x86_oprm(&buf, op, sz, i % 16, mems[i]);
			end(f, "%s %s, %s", mn, rname(sz, i % 16),
			    memtext(m, from, mems[i]));
		}
	}
}

/* SSE forms: xmm <- xmm/mem, stores, conversions, movq. */
static void sse(const char *f, X86Op op, const char *mn, int kind)
{
	char m[64];
	int i, s;

	for (i = 0; i < NPAIR; i++) {
		int a = pairs[i][0], b = pairs[i][1];
		switch (kind) {
		case 0: begin(), x86_oprr(&buf, op, 4, a, b);
			end(f, "%s xmm%d, xmm%d", mn, a, b); break;
		case 2:
			for (s = 2; s < 4; s++) {
				begin(), x86_oprr(&buf, op, sizes[s], a, b);
				end(f, "%s xmm%d, %s", mn, a, rname(sizes[s], b));
			}
			break;
		case 3:
			for (s = 2; s < 4; s++) {
				begin(), x86_oprr(&buf, op, sizes[s], a, b);
				end(f, "%s %s, xmm%d", mn, rname(sizes[s], a), b);
			}
			break;
		case 4: begin(), x86_oprr(&buf, op, 8, a, b);
			end(f, "%s xmm%d, %s", mn, a, r64[b]); break;
		case 5: begin(), x86_oprr(&buf, op, 8, a, b);
			end(f, "%s %s, xmm%d", mn, r64[b], a); break;
		}
	}
	for (i = 0; i < NMEM; i++) {
		switch (kind) {
		case 0:
			if (op == XO_XORPD || op == XO_MOVAPD)
				continue;
			begin(), x86_oprm(&buf, op, 4, i % 16, mems[i]);
			end(f, "%s xmm%d, %s", mn, i % 16, memtext(m, 8, mems[i])); break;
		case 1: begin(), x86_oprm(&buf, op, 4, i % 16, mems[i]);
			end(f, "%s %s, xmm%d", mn, memtext(m, 8, mems[i]), i % 16); break;
		case 2:
			for (s = 2; s < 4; s++) {
				begin(), x86_oprm(&buf, op, sizes[s], i % 16, mems[i]);
				end(f, "%s xmm%d, %s", mn, i % 16,
				    memtext(m, sizes[s], mems[i]));
			}
			break;
		case 3:
			for (s = 2; s < 4; s++) {
				begin(), x86_oprm(&buf, op, sizes[s], i % 16, mems[i]);
				end(f, "%s %s, %s", mn, rname(sizes[s], i % 16),
				    memtext(m, 8, mems[i]));
			}
			break;
		}
	}
}

static void cc(const char *f, X86Op op)
{
	int c, i, s;

	for (c = 0; c < 16; c++)
		for (i = 0; i < NPAIR; i += 3) {
			if (op == XO_SETCC) {
				begin(), x86_setcc(&buf, c, pairs[i][1]);
				end(f, "set%s %s", ccname[c], r8[pairs[i][1]]);
				continue;
			}
			for (s = 1; s < 4; s++) {
				begin(), x86_cmov(&buf, c, sizes[s], pairs[i][0], pairs[i][1]);
				end(f, "cmov%s %s, %s", ccname[c],
				    rname(sizes[s], pairs[i][0]), rname(sizes[s], pairs[i][1]));
			}
		}
}

/* Forms without a table row of their own: moves of constants, stack. */
static void misc(void)
{
	static const int64_t k[] = {0, 1, 0x7fffffff, 0x80000000LL, 0xffffffffLL,
		-1, -2147483648LL, 0x100000000LL, INT64_MIN, 0x123456789abcLL};
	int i, r;

	for (i = 0; i < 10; i++) {
		r = i * 7 % 16;
		begin(), x86_movri(&buf, r, k[i]);
		if (k[i] >= 0 && k[i] <= 0xffffffffLL)
			end("MOVRI", "mov %s, %lld", r32[r], (long long)k[i]);
		else if (k[i] >= INT32_MIN && k[i] <= INT32_MAX)
			end("MOVRI", "mov %s, %lld", r64[r], (long long)k[i]);
		else
			end("MOVRI", "movabs %s, %lld", r64[r], (long long)k[i]);
	}
	for (i = 0; i < 10; i++) {
		begin(), x86_movabs(&buf, i * 7 % 16, k[i]);
		end("MOVABS", "movabs %s, %lld", r64[i * 7 % 16], (long long)k[i]);
	}
	for (r = 0; r < 16; r++)
		begin(), x86_push(&buf, r), end("PUSH", "push %s", r64[r]);
	for (r = 0; r < 16; r++)
		begin(), x86_pop(&buf, r), end("POP", "pop %s", r64[r]);
	for (r = 0; r < 16; r++)
		begin(), x86_callr(&buf, r), end("CALLR", "call %s", r64[r]);
	for (r = 0; r < 16; r++)
		begin(), x86_jmpr(&buf, r), end("JMPR", "jmp %s", r64[r]);
	begin(), x86_byte(&buf, X86_RET), end("RET", "ret");
	begin(), x86_byte(&buf, X86_INT3), end("INT3", "int3");
	begin(), x86_byte(&buf, X86_CDQ), end("CDQ", "cdq");
	begin(), x86_cqo(&buf), end("CQO", "cqo");
}

static void build(void)
{
	X86Op op;

#define ALU(name, op_, kind, mn) \
	op = (op_); \
	if (!strcmp(#kind, "ALU")) alu(#name, op, mn, 1, 0); \
	if (!strcmp(#kind, "MOV")) alu(#name, op, mn, 0, 1); \
	if (!strcmp(#kind, "TEST")) test(#name); \
	if (!strcmp(#kind, "SHIFT")) shift(#name, op, mn); \
	if (!strcmp(#kind, "UNARY")) unary(#name, op, mn); \
	if (!strcmp(#kind, "RRM")) rrm(#name, op, mn, op != XO_LEA); \
	if (!strcmp(#kind, "EXT")) \
		ext(#name, op, mn, op == XO_MOVSXD ? 4 : (op & XF_RM8) ? 1 : 2); \
	if (!strcmp(#kind, "SSE")) sse(#name, op, mn, 0); \
	if (!strcmp(#kind, "SSEST")) sse(#name, op, mn, 1); \
	if (!strcmp(#kind, "I2F")) sse(#name, op, mn, 2); \
	if (!strcmp(#kind, "F2I")) sse(#name, op, mn, 3); \
	if (!strcmp(#kind, "XG")) sse(#name, op, mn, 4); \
	if (!strcmp(#kind, "GX")) sse(#name, op, mn, 5); \
	if (!strcmp(#kind, "CC")) cc(#name, op);
	X86_FORMS(ALU)
#undef ALU
	misc();
}

/* Parse "hex hex ..." into bytes; returns the count. */
static int parsehex(const char *s, uint8_t *out)
{
	int n = 0;
	unsigned v;

	while (n < 16 && sscanf(s, "%x", &v) == 1) {
		out[n++] = (uint8_t)v;
		while (*s == ' ')
			s++;
		while (*s && *s != ' ')
			s++;
	}
	return n;
}

/* Compare every case with the golden file; one line per form. */
static int check(const char *path)
{
	char line[256], *tab;
	uint8_t want[16];
	int i = 0, j, n, nfail = 0, bad = 0, k;
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("FAIL encode-golden\n  cannot open %s\n", path);
		return 1;
	}
	for (k = 0; k < ncase; k++) {
		do
			tab = fgets(line, sizeof line, f);
		while (tab && line[0] == '#');
		if (!tab || !(tab = strchr(line, '\t'))) {
			printf("FAIL encode-golden\n  golden file ends at case %d (%s)\n",
			       k, cases[k].text);
			fclose(f);
			return 1;
		}
		*tab = 0;
		n = parsehex(tab + 1, want);
		if (strcmp(line, cases[k].text) || n != cases[k].len ||
		    memcmp(want, cases[k].bytes, n)) {
			if (bad++ < 5) {
				printf("  %s: golden '%s' %s", cases[k].text, line, tab + 1);
				printf("  ours:");
				for (j = 0; j < cases[k].len; j++)
					printf(" %02x", cases[k].bytes[j]);
				printf("\n");
			}
		}
		if (k + 1 == ncase || strcmp(cases[k + 1].form, cases[k].form)) {
			printf("%s encode-%s (%d cases)\n", bad ? "FAIL" : "PASS",
			       cases[k].form, k + 1 - i);
			nfail += bad != 0;
			bad = 0;
			i = k + 1;
		}
	}
	fclose(f);
	return nfail != 0;
}

/* Relative branches: decode with capstone and compare the targets. */
static int branches(void)
{
	csh h;
	cs_insn *insn;
	uint32_t at;
	int c, bad = 0;
	uint64_t base = 0x1000;

	if (cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return printf("FAIL encode-branches\n  capstone\n"), 1;
	buf.len = 0;
	for (c = 0; c < 16; c++) {
		begin();
		at = x86_jcc(&buf, c, 0);
		x86_setrel32(&buf, at, 300);
		x86_jmp(&buf, 2);
		x86_jcc8(&buf, c ^ 1, 0);
		x86_jmp8(&buf, 100);
		if (cs_disasm(h, buf.code, buf.len, base, 0, &insn) != 4) {
			bad++;
			continue;
		}
		if (strcmp(insn[0].mnemonic + 1, ccname[c]) &&
		    !(c == X86_CC_B && !strcmp(insn[0].mnemonic, "jb")))
			bad += printf("  jcc %d decoded as %s\n", c, insn[0].mnemonic) > 0;
		if (insn[0].size != 6 || insn[1].size != 5 || insn[2].size != 2 ||
		    insn[3].size != 2)
			bad += printf("  cc %d: sizes\n", c) > 0;
		if (strtoull(insn[0].op_str, 0, 16) != base + 300 ||
		    strtoull(insn[1].op_str, 0, 16) != base + 2 ||
		    strtoull(insn[2].op_str, 0, 16) != base + 0 ||
		    strtoull(insn[3].op_str, 0, 16) != base + 100)
			bad += printf("  cc %d: targets %s %s %s %s\n", c, insn[0].op_str,
			              insn[1].op_str, insn[2].op_str, insn[3].op_str) > 0;
		cs_free(insn, 4);
	}
	cs_close(&h);
	printf("%s encode-branches\n", bad ? "FAIL" : "PASS");
	return bad != 0;
}

int main(int argc, char **argv)
{
	int i, rc;

	build();
	if (argc > 1 && !strcmp(argv[1], "--asm")) {
		for (i = 0; i < ncase; i++)
			printf("%s\n", cases[i].text);
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: encode --asm | encode GOLDEN\n");
		return 2;
	}
	rc = check(argv[1]);
	rc |= branches();
	return rc;
}
