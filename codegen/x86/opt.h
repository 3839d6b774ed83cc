/*
 * opt.h: the residual-IR clean-up pass run before lowering (opt.c) and
 * what it tells instruction selection (isel.c) about the unit being
 * compiled.  The backend compiles one unit at a time, so this is one
 * global state, valid from x86_opt until the next compilation.
 *
 * Environment: X86_OPT (read once) selects the parts, a sum of OPT_*
 * bits: unset or 7 all, 0 none, 1 the IR rewrites, 2 the selection rules
 * (they need the use counts, which the pass computes either way), 4 the
 * guard chains.
 */
#ifndef X86_OPT_H
#define X86_OPT_H

#include <stdint.h>

#include "internal.h"

#define OPT_IR   1 /* rewrite the IR (dead stores, chains, addresses) */
#define OPT_ISEL 2 /* narrow values, memory operands, flag reuse */
#define OPT_GUARD 4 /* chains of pointer-step guards: one range test */
#define OPT_SINK 8 /* ops only exit stubs use move into the stub block */
#define OPT_ALL 15

#define LZ_CAND 2 /* lazy[]: a narrow add sub mul and or xor result */
#define LZ_RAW 1  /* lazy[]: some use reads the raw 64-bit register */

/* What the pass leaves for the lowering of the current unit. */
typedef struct OptState {
	uint32_t *nuse;    /* per value: its uses (ops, terminators, exits) */
	uint8_t *lazy;     /* per value: LZ_* bits; == LZ_CAND: its register
	                      may hold garbage above its width (every use
	                      reads only the low bits) */
	uint32_t cap;      /* values the arrays hold */
	uint32_t nskip;    /* ops lw_op skips: fused into the one before */
	RIns *flagsin;     /* the compare whose flags the code just set */
	uint32_t flagspos; /* code offset right after that (0: none) */
	int flagscc;       /* the condition that tells the compare is true */
	int mode;          /* OPT_* bits in effect (X86_OPT) */
} OptState;

extern OptState x86_os;

/* Counts of what the pass did, over every compilation of the process
 * (tests read them before and after a compile). */
typedef struct X86OptStats {
	uint64_t dse;     /* dead stores removed */
	uint64_t boolean; /* compare chains shortened (zext/sext/ne 0 peeled) */
	uint64_t addr;    /* address arithmetic folded into loads and stores */
	uint64_t addk;    /* add-constant chains folded */
	uint64_t dead;    /* dead pure ops removed */
	uint64_t lazy;    /* narrow results left unnormalised */
	uint64_t guards;  /* guard tests taken off the fast path (chains) */
	uint64_t sunk;    /* ops moved into exit stub blocks */
} X86OptStats;

extern X86OptStats x86_optstats;

/* The X86_OPT bits (read once, or set by a test before compiling). */
int x86_optmode(void);
void x86_setoptmode(int mode);

#endif
