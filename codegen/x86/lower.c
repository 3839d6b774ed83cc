/*
 * lower.c: residual IR -> x86-64 (x86_compile).
 *
 * ra_analyse and ra_global (regalloc.c) first look at the whole unit:
 * global values (used outside their defining block, block arguments,
 * values live at a patchable exit) and jump arguments may get a register
 * for their whole live range (rhome[]: rbx r12-r15 r8-r10, xmm8-14), so loop-
 * carried values stay in registers.  The other global values have a home:
 * an 8-byte frame slot at [rbp - off], written when the value is defined
 * (write-through), so a home is always up to date.  Then one forward pass
 * over the blocks in index order lowers each op (isel.c: lw_op) with the
 * fast local allocator of regalloc.c (ra_*); this file holds the control
 * flow: jumps, branches, switches, exits, entries, the driver.
 *
 * Control flow.  A jump binds its target's arguments by a parallel move
 * (pmove: registers and frame slots, cycles through a fresh slot); a
 * bridge's jumpunit into an ancestor's reentry block does the same with
 * the ancestor's locations and jumps to the block (or its entry pad).  A
 * branch to an empty block whose jump would move nothing goes straight to
 * that jump's target.  Blocks are laid out hot first, then a cold
 * section: the exit tail shared by the unit's exits, the blocks ending in
 * exit stubs, the flexswitches' slow paths (layout), so a guard's jcc is
 * not taken.  A stub's bridge finds the values the unit keeps in general
 * registers across blocks in those registers, the others in the frame
 * (BSite.loc: homes, and exit slots shared by the unit's exits for f64
 * registers and constants); its entry moves them where it keeps them
 * (bridgemove).  A flexswitch stores every register value first and its
 * bridges read them all from the frame.
 *
 * Inside a block, values are cached in registers.  A block that the
 * previous one falls into keeps the registers it uses; every other way in
 * (jumps from elsewhere, switch cases, bridges) goes through a small entry
 * pad that loads those registers from their homes and jumps to the block.
 * A jump that falls through loads its arguments into registers the next
 * block keeps; the parameters of a root start in their argument registers.
 * Calls evict caller-saved registers; division evicts rax/rdx; variable
 * shifts evict rcx.  r11 and xmm15 are scratch registers, never allocated.
 *
 * Integer values are kept sign-extended to 64 bits in registers and homes
 * (the raw form of x86.h), so compares of every width use 64-bit cmp and
 * narrow arithmetic is done in 64 bits and re-normalised.
 *
 * Local improvements, all in this pass: constants become immediates and
 * displacements where they fit; a value loaded from its home stays cached
 * for the rest of the block; a branch on a compare that nothing else uses
 * tests the flags (no setcc/movzx/test); a result nobody uses is not kept
 * in a register; jumps to the next block are omitted.
 *
 * Frame (rbp-based, shared with bridges):
 *   [rbp+8] return address   [rbp] caller's rbp
 *   [rbp-8 .. rbp-40] rbx r12 r13 r14 r15   then homes and stack slots.
 * A bridge's homes and slots start at the tree's high-water mark, and its
 * entry moves rsp below them (never up: slots of bridges that ran before
 * live until the root returns; a bridge whose frame lies within its
 * parent's is entered past that move); every exit restores through rbp,
 * so frames of any depth return correctly.  A normal return clears the left-early
 * mark that a nested unit may have set (one fs-relative store).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "backend.h"

/* --- control flow -------------------------------------------------------- */

/* A jump (or jcc when cc >= 0) to block `to` of this unit. */
static void jumpto(X86Ctx *c, int cc, uint32_t to)
{
	uint32_t at;

	if (cc < 0 && to == c->lnext[c->blk])
		return;
	at = cc < 0 ? x86_jmp(&c->b, 0) : x86_jcc(&c->b, cc, 0);
	if (!x86_grow(c->u, &c->fix, &c->capfix, c->nfix + 1, sizeof *c->fix))
		return;
	c->fix[c->nfix].at = at;
	c->fix[c->nfix++].blk = to;
}

/* Return sequence: restore callee-saved registers and rbp, ret. */
static void epilogue(X86Buf *b)
{
	int i;

	x86_oprm(b, XO_LEA, 8, X86_RSP, rbpmem(-SAVEAREA));
	for (i = 4; i >= 0; i--)
		x86_pop(b, lw_calleesaved[i]);
	x86_pop(b, X86_RBP);
	x86_byte(b, X86_RET);
}

/* Load operand r as raw 64 bits into r11. */
static void raw11(X86Ctx *c, X86Ref r)
{
	uint32_t v;

	if (!iscon(r)) {
		v = X86_REFIDX(r);
		if (c->reg[v] >= 16) {
			x86_oprr(&c->b, XO_MOVQGX, 8, c->reg[v] - 16, X86_R11);
			return;
		}
		if (c->reg[v] < 0) {
			if (!c->bu->home[v])
				x86_fail(c->u, X86_EINVAL); /* a lost value: a bug */
			x86_alurm(&c->b, XO_MOV, 8, X86_R11, rbpmem(c->bu->home[v]));
			return;
		}
	}
	if (iscon(r))
		x86_movri(&c->b, X86_R11, conval(c, r));
	else
		x86_alurr(&c->b, XO_MOV, 8, X86_R11, c->reg[v]);
}

/*
 * The offset of the left-early mark (rir.c's __thread leftsite) from the
 * thread pointer, or 1 when it cannot be used.  The module is a static
 * library linked into executables, so the mark is in the executable's
 * static TLS block, at the same (negative) offset from the thread pointer
 * (fs:0 holds its own address) in every thread.
 */
static int64_t leftoff(void)
{
	static int64_t off = 2; /* 2: not computed yet */
	uintptr_t tp;

	if (off == 2) {
		__asm__("mov %%fs:0, %0" : "=r"(tp));
		off = (int64_t)((uintptr_t)x86_leftaddr() - tp);
		if (off < INT32_MIN || off > INT32_MAX - 8)
			off = 1;
	}
	return off;
}

/* A normal return clears the "left early" mark that a nested unit (run by
 * a C function this unit called) may have set: mov qword fs:[off], 0; or
 * where that is not possible, x86_setleft(NULL) keeping the result (rax
 * or xmm0) in rbx, which the epilogue restores anyway. */
static void clearleft(X86Ctx *c)
{
	static const uint8_t movfs[] = {0x64, 0x48, 0xc7, 0x04, 0x25};
	int32_t off = (int32_t)leftoff(), zero = 0;
	int f = ra_isf(c->u->ret);

	if (off != 1) {
		x86_bytes(&c->b, movfs, sizeof movfs);
		x86_bytes(&c->b, &off, 4);
		x86_bytes(&c->b, &zero, 4);
		return;
	}
	if (f)
		x86_oprr(&c->b, XO_MOVQGX, 8, 0, X86_RBX);
	else
		x86_alurr(&c->b, XO_MOV, 8, X86_RBX, X86_RAX);
	x86_alurr(&c->b, XO_XOR, 4, X86_RDI, X86_RDI);
	x86_movabs(&c->b, X86_R11, (int64_t)(uintptr_t)x86_setleft);
	x86_callr(&c->b, X86_R11);
	if (f)
		x86_oprr(&c->b, XO_MOVQXG, 8, 0, X86_RBX);
	else
		x86_alurr(&c->b, XO_MOV, 8, X86_RAX, X86_RBX);
}

/* Store operand r (raw 64 bits) at [rbp + off]. */
static void storehome(X86Ctx *c, X86Ref r, int32_t off)
{
	int reg = iscon(r) ? -1 : c->reg[X86_REFIDX(r)];

	if (iscon(r) && conval(c, r) >= INT32_MIN && conval(c, r) <= INT32_MAX)
		x86_movmi(&c->b, 8, rbpmem(off), (int32_t)conval(c, r));
	else if (reg >= 16)
		x86_oprm(&c->b, XO_MOVSDST, 4, reg - 16, rbpmem(off));
	else if (reg >= 0)
		x86_alumr(&c->b, XO_MOV, 8, rbpmem(off), reg);
	else
		raw11(c, r), x86_alumr(&c->b, XO_MOV, 8, rbpmem(off), X86_R11);
}

/* The home of operand r if it is a value not cached in a register. */
static int32_t memhome(X86Ctx *c, X86Ref r)
{
	uint32_t v = X86_REFIDX(r);

	if (iscon(r) || c->reg[v] >= 0)
		return 0;
	return c->bu->home[v];
}

/* Bind n arguments to the homes dst[i] (0: skip): a parallel copy.  A
 * source whose home another argument overwrites goes through a fresh
 * temporary slot first; a value already in its destination (its own home:
 * homes are always up to date) is not copied. */
static void bindargs(X86Ctx *c, int n, const X86Ref *args, const int32_t *dst,
                     int32_t *tmp)
{
	int32_t h;
	int i, j;

	for (i = 0; i < n; i++) {
		room(c, 64);
		tmp[i] = 0;
		if (!(h = memhome(c, args[i])))
			continue;
		for (j = 0; j < n && (j == i || dst[j] != h); j++)
			;
		if (j < n) {
			tmp[i] = ra_frame(c, 8, 8);
			raw11(c, args[i]);
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(tmp[i]), X86_R11);
		}
	}
	for (i = 0; i < n; i++) {
		room(c, 64);
		h = memhome(c, args[i]);
		if (!dst[i] || (!iscon(args[i]) &&
		                c->bu->home[X86_REFIDX(args[i])] == dst[i]))
			continue;
		if (tmp[i]) {
			x86_alurm(&c->b, XO_MOV, 8, X86_R11, rbpmem(tmp[i]));
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(dst[i]), X86_R11);
		} else if (!h) {
			storehome(c, args[i], dst[i]);
		} else {
			raw11(c, args[i]);
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(dst[i]), X86_R11);
		}
	}
}

/*
 * Arguments of a jump that falls through into the next block (at most 8):
 * every source goes to a register first (so no home is overwritten before
 * it is read), then to the argument's home, and the argument stays cached
 * in that register, which the next block keeps.
 */
static void fallargs(X86Ctx *c, RExit *x, const int32_t *dst, uint32_t targ)
{
	const X86Ref *args = c->u->ref + x->arg;
	int reg[8];
	uint32_t i;

	room(c, 64 * x->narg);
	for (i = 0; i < x->narg; i++)
		reg[i] = dst[i] && !iscon(args[i]) ? lw_use(c, args[i]) : -1;
	for (i = 0; i < x->narg; i++) {
		if (!dst[i] || (reg[i] >= 0 &&
		                c->bu->home[X86_REFIDX(args[i])] == dst[i]))
			continue; /* unused, or already in its home */
		if (reg[i] < 0)
			storehome(c, args[i], dst[i]);
		else if (reg[i] >= 16)
			x86_oprm(&c->b, XO_MOVSDST, 4, reg[i] - 16, rbpmem(dst[i]));
		else
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(dst[i]), reg[i]);
	}
	for (i = 0; i < x->narg; i++) /* not a register a value lives in */
		if (reg[i] >= 0 && c->rhome[X86_REFIDX(args[i])] < 0)
			ra_bind(c, targ + i, reg[i]);
}

/*
 * Locations of a parallel move: > 0 register (loc - 1, xmm from 16), < 0
 * the frame slot [rbp + loc], 0 none (a constant source, or a skipped
 * destination).
 */

/* Where operand r is now: its register, else its home; 0 for a constant. */
static int32_t refloc(X86Ctx *c, X86Ref r)
{
	uint32_t v = X86_REFIDX(r);

	if (iscon(r))
		return 0;
	return c->reg[v] >= 0 ? c->reg[v] + 1 : c->bu->home[v];
}

/* Move source location s (or constant r when s is 0) to location d. */
static void moveloc(X86Ctx *c, X86Ref r, int32_t s, int32_t d)
{
	room(c, 64);
	if (!s && d > 0) {
		lw_loadto(c, r, d - 1);
	} else if (!s) {
		storehome(c, r, d);
	} else if (s > 0 && d > 0) {
		if ((s > 16) == (d > 16))
			lw_movrr(c, d - 1, s - 1);
		else if (d > 16)
			x86_oprr(&c->b, XO_MOVQXG, 8, d - 17, s - 1);
		else
			x86_oprr(&c->b, XO_MOVQGX, 8, s - 17, d - 1);
	} else if (s > 0) {
		if (s > 16)
			x86_oprm(&c->b, XO_MOVSDST, 4, s - 17, rbpmem(d));
		else
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(d), s - 1);
	} else if (d > 0) {
		if (d > 16)
			x86_oprm(&c->b, XO_MOVSD, 4, d - 17, rbpmem(s));
		else
			x86_alurm(&c->b, XO_MOV, 8, d - 1, rbpmem(s));
	} else {
		x86_alurm(&c->b, XO_MOV, 8, X86_R11, rbpmem(s));
		x86_alumr(&c->b, XO_MOV, 8, rbpmem(d), X86_R11);
	}
}

static void movepar(X86Ctx *c, uint32_t n, const X86Ref *args,
                    const int32_t *dst, int32_t *src, int32_t *todo,
                    uint32_t left);

/*
 * The parallel move of n jump arguments to locations dst[] (registers or
 * frame slots; 0 skips).  A move is emitted once no pending move still
 * reads its destination; a cycle is broken by copying one source to a
 * fresh frame slot.  A value already in its destination is not moved (a
 * frame-homed value's home is always up to date).
 */
static void pmove(X86Ctx *c, uint32_t n, const X86Ref *args,
                  const int32_t *dst, int32_t *src, int32_t *todo)
{
	uint32_t i, left = 0, v;

	for (i = 0; i < n; i++) {
		src[i] = refloc(c, args[i]);
		v = X86_REFIDX(args[i]);
		todo[i] = dst[i] && src[i] != dst[i] &&
		          !(!iscon(args[i]) && c->rhome[v] < 0 &&
		            c->bu->home[v] == dst[i]);
		left += todo[i];
	}
	movepar(c, n, args, dst, src, todo, left);
}

/* The moves of pmove: todo[i] says move i (source location src[i], or
 * constant args[i] when src[i] is 0, to dst[i]) is pending; left counts
 * them.  args may be NULL when no source is a constant. */
static void movepar(X86Ctx *c, uint32_t n, const X86Ref *args,
                    const int32_t *dst, int32_t *src, int32_t *todo,
                    uint32_t left)
{
	uint32_t i, j;
	int32_t tmp;
	int progress;

	while (left) {
		progress = 0;
		for (i = 0; i < n; i++) {
			if (!todo[i])
				continue;
			for (j = 0; j < n && !(todo[j] && j != i && src[j] == dst[i]); j++)
				;
			if (j < n)
				continue;
			moveloc(c, args ? args[i] : X86_NONE, src[i], dst[i]);
			todo[i] = 0;
			left--;
			progress = 1;
		}
		if (progress)
			continue;
		/* a cycle: copy the destination of the first pending move to a
		 * fresh slot and read it from there */
		for (i = 0; !todo[i]; i++)
			;
		tmp = ra_frame(c, 8, 8);
		moveloc(c, X86_NONE, dst[i], tmp);
		for (j = 0; j < n; j++)
			if (todo[j] && src[j] == dst[i])
				src[j] = tmp;
	}
}

/* Jump with arguments to block `to` of unit tu (this unit or an
 * ancestor, compiled).  Arguments that live in registers across blocks
 * are bound by a parallel move (pmove); when all live in the frame the
 * older paths (bindargs, fallargs) do it. */
static void jumpargs(X86Ctx *c, RExit *x, X86Unit *tu, uint32_t to)
{
	BUnit *tb = tu->be;
	RBlock *tbk = &tu->blk[to];
	int32_t buf[3 * 64], *dst = buf; /* dst[], then the moves' scratch */
	uint32_t i, a;
	int anyreg = 0;

	if (x->narg > 64 && !(dst = x86_alloc(NULL, 3 * x->narg * sizeof *dst))) {
		x86_fail(c->u, X86_ENOMEM);
		return;
	}
	for (i = 0; i < x->narg; i++) {
		a = tbk->arg + i;
		if (tb->rhome[a] >= 0)
			dst[i] = tb->rhome[a] + 1, anyreg = 1;
		else if (tu != c->u)
			dst[i] = tb->home[a];
		else /* an argument nothing uses needs no copy */
			dst[i] = c->hi[a] ? ra_home(c, a) : 0;
	}
	if (!anyreg && tu == c->u && to == c->lnext[c->blk] && x->narg <= 8) {
		fallargs(c, x, dst, tbk->arg);
	} else {
		if (anyreg)
			pmove(c, x->narg, c->u->ref + x->arg, dst, dst + x->narg,
			      dst + 2 * x->narg);
		else
			bindargs(c, x->narg, c->u->ref + x->arg, dst, dst + x->narg);
		if (tu == c->u) /* the target's arguments are new values now */
			for (i = 0; i < x->narg; i++)
				if (c->rhome[tbk->arg + i] < 0 && c->reg[tbk->arg + i] >= 0)
					ra_drop(c, c->reg[tbk->arg + i]);
	}
	if (dst != buf)
		free(dst);
	if (tu == c->u) {
		jumpto(c, -1, to);
	} else {
		/* into an ancestor: absolute target, resolved when placed */
		uint32_t at = x86_jmp(&c->b, 0);
		if (x86_grow(c->u, &c->far, &c->capfar, c->nfar + 1, sizeof *c->far)) {
			c->far[c->nfar].at = at;
			c->far[c->nfar++].target = (uint8_t *)tu->code + tb->blkoff[to];
		}
	}
}

/*
 * Where a stub's bridge finds live value i (the register protocol): a
 * value the stub's unit keeps in a general register for its whole live
 * range (ra_global: callee-saved, so it survives the slow path's call) is
 * still in that register; every other value is in the frame at loc[i]
 * (constants: the bridge makes them).  Returns the register or -1.  A
 * flexswitch's bridges find every value in the frame.
 */
int x86_sitereg(const X86Exit *s, uint32_t i)
{
	X86Unit *u = s->unit;
	X86Ref r = u->ref[u->blk[s->blk].x.arg + i];
	int h;

	if (s->kind != XE_STUB || X86_REFKIND(r) != XK_VAL)
		return -1;
	h = ((BUnit *)u->be)->rhome[X86_REFIDX(r)];
	return h >= 0 && (GINTREGS >> h & 1) ? h : -1;
}

/*
 * The k-th exit slot of the unit.  An exit stores the values it does not
 * find in their homes (registers across blocks, constants) to exit slots,
 * the k-th such value to the k-th slot, so the unit's exits share them:
 * a slot is read by the slow path's helper, and used by the bridge the
 * exit leads to, which runs only while this unit's code does not (the
 * unit resumes only when a bridge jumps into a reentry block, after which
 * nothing of the bridge is live).  Past 32, fresh slots.
 */
static int32_t exitslot(X86Ctx *c, uint32_t k)
{
	if (k >= 32)
		return ra_frame(c, 8, 8);
	while (c->nxslot <= k)
		c->xslot[c->nxslot++] = ra_frame(c, 8, 8);
	return c->xslot[k];
}

/* The frame locations of an exit's live values (loc[], x86_alloc'd): a
 * value's home, an exit slot for a value in a register across blocks or
 * a constant.  Stores nothing (livestores). */
static int32_t *livelocs(X86Ctx *c, RExit *x)
{
	int32_t *loc = x86_alloc(NULL, (x->narg + 1) * sizeof *loc);
	uint32_t i, k = 0, v;
	X86Ref r;

	if (!loc) {
		x86_fail(c->u, X86_ENOMEM);
		return NULL;
	}
	for (i = 0; i < x->narg; i++) {
		r = c->u->ref[x->arg + i];
		v = X86_REFIDX(r);
		loc[i] = iscon(r) || c->rhome[v] >= 0 ? exitslot(c, k++)
		                                      : ra_home(c, v);
	}
	return loc;
}

/* Store live values of exit x that are not in the frame yet to loc[]:
 * with bridge 1 those a bridge reads from there (values in xmm registers
 * across blocks; every value for a flexswitch), with slow 1 those only
 * the slow path needs (x86_sitereg's registers, constants). */
static void livestores(X86Ctx *c, RExit *x, const int32_t *loc, int bridge,
                       int slow)
{
	uint32_t i;
	X86Ref r;
	int h, sl;

	for (i = 0; i < x->narg; i++) {
		room(c, 64);
		r = c->u->ref[x->arg + i];
		h = iscon(r) ? -1 : c->rhome[X86_REFIDX(r)];
		if (!iscon(r) && h < 0)
			continue; /* in its home */
		sl = x->kind == XE_STUB && (iscon(r) || (GINTREGS >> h & 1));
		if (sl ? slow : bridge)
			storehome(c, r, loc[i]);
	}
}

/*
 * The exit tail of a unit, shared by its exits' slow paths (the start of
 * the cold section): a stub or a flexswitch miss jumps here with esi =
 * its site number and rax = the flexswitch's value.  It calls
 * x86_exithelper(unit, site number, rbp, rax) and jumps to the bridge it
 * returns, or returns 0 from the unit (left early):
 *   movabs rdi, unit; mov rdx, rbp; mov rcx, rax; movabs r11, helper
 *   call r11; test rax, rax; je 1f; jmp rax; 1: xorpd xmm0, xmm0; epilogue
 */
static void exittail(X86Ctx *c)
{
	uint32_t at;

	room(c, 128);
	c->tail = c->b.len;
	if (c->tailfix)
		x86_setrel32(&c->b, c->tailfix - 1, c->tail);
	x86_movabs(&c->b, X86_RDI, (int64_t)(uintptr_t)c->u);
	x86_alurr(&c->b, XO_MOV, 8, X86_RDX, X86_RBP);
	x86_alurr(&c->b, XO_MOV, 8, X86_RCX, X86_RAX);
	x86_movabs(&c->b, X86_R11, (int64_t)(uintptr_t)x86_exithelper);
	x86_callr(&c->b, X86_R11);
	x86_alurr(&c->b, XO_TEST, 8, X86_RAX, X86_RAX);
	at = x86_jcc8(&c->b, X86_CC_E, 0);
	x86_jmpr(&c->b, X86_RAX);
	x86_setrel8(&c->b, at, c->b.len);
	x86_oprr(&c->b, XO_XORPD, 4, 0, 0);
	epilogue(&c->b);
}

/* The slow path of an exit: mov esi, site number; jmp to the exit tail
 * (emitted before, in the cold section; after, for a stub ending block 0,
 * which is never cold). */
static void slowpath(X86Ctx *c, X86Exit *site)
{
	room(c, 16);
	x86_movri(&c->b, X86_RSI, site->id);
	if (!c->tail) {
		if (c->tailfix)
			x86_fail(c->u, X86_EINVAL); /* a bug: one hot stub only */
		c->tailfix = x86_jmp(&c->b, 0) + 1;
	} else if (c->b.len + 2 - c->tail <= 128)
		x86_jmp8(&c->b, c->tail);
	else
		x86_jmp(&c->b, c->tail);
}

/* The backend record of a patchable exit, with where its live values
 * are; NULL when out of memory (the unit failed). */
static BSite *newsite(X86Ctx *c, RExit *x)
{
	BSite *bs = x86_alloc(NULL, sizeof *bs);

	if (!bs) {
		x86_fail(c->u, X86_ENOMEM);
		return NULL;
	}
	memset(bs, 0, sizeof *bs);
	x->site->be = bs;
	bs->loc = livelocs(c, x);
	return bs;
}

/* Exit stub (in the cold section): store the f64 values held in xmm
 * registers, then a patchable jmp, first to the slow path right after
 * it: stores of the other register values and the constants (the helper
 * reads the live values from the frame), mov esi, site; jmp tail.  Once
 * the bridge exists the jmp goes there, and when the stub starts with it,
 * so do the unit's jumps to the stub (BSite.refs, x86_placed). */
static void stub(X86Ctx *c, RExit *x)
{
	BSite *bs = newsite(c, x);
	uint32_t at;

	if (!bs || !bs->loc)
		return;
	livestores(c, x, bs->loc, 1, 0);
	at = x86_jmp(&c->b, 0);
	x86_setrel32(&c->b, at, c->b.len);
	bs->jmpoff = at;
	livestores(c, x, bs->loc, 0, 1);
	slowpath(c, x->site);
}

/* Flexswitch: store live values, rax = value, jmp to the case chain
 * (built when the code is placed, in patch.c); its slow path, where the
 * chain ends, is emitted in the cold section (flexslow). */
static void flex(X86Ctx *c, RExit *x)
{
	BSite *bs = newsite(c, x);

	if (!bs || !bs->loc)
		return;
	livestores(c, x, bs->loc, 1, 1);
	lw_loadto(c, x->val, X86_RAX);
	bs->jmpoff = x86_jmp(&c->b, 0); /* (x86_placed points it) */
}

/* The slow paths of the unit's flexswitches, at the end of the cold
 * section. */
static void flexslow(X86Ctx *c)
{
	X86Unit *u = c->u;
	BSite *bs;
	uint32_t i;

	for (i = 0; i < u->nsite && !u->err; i++) {
		if (u->site[i]->kind != XE_FLEX || !(bs = u->site[i]->be))
			continue;
		bs->slowoff = c->b.len;
		slowpath(c, u->site[i]);
	}
}

/* Record that the rel32 at offset at refers to block blk (resolved when
 * the code is placed). */
static void fixup(X86Ctx *c, uint32_t at, uint32_t blk)
{
	if (!x86_grow(c->u, &c->fix, &c->capfix, c->nfix + 1, sizeof *c->fix))
		return;
	c->fix[c->nfix].at = at;
	c->fix[c->nfix++].blk = blk;
}

/*
 * A switch of many dense cases (value register r, cases in lo..lo+range):
 * an index bounds check, then a table of rel32 entries, each relative to
 * the end of its own slot (so they resolve like jumps):
 *   mov r11, r; sub r11, lo; cmp r11, range; ja default
 *   lea rax, [rip + table]; lea rax, [rax + r11*4 + 4]
 *   movsxd r11, [rax - 4]; add r11, rax; jmp r11
 * rax is free at a terminator (no successor keeps registers from here).
 */
static void jumptable(X86Ctx *c, RExit *x, int r, int64_t lo, uint32_t range)
{
	X86Mem slot = {X86_RAX, X86_R11, 2, 4}, ent = {X86_RAX, X86_NOREG, 0, -4};
	RCase *k = &c->u->cas[x->cas];
	uint32_t i, at, tab;
	int32_t rel;

	room(c, 64 + 4 * (range + 1));
	x86_alurr(&c->b, XO_MOV, 8, X86_R11, r);
	if (lo)
		x86_aluri(&c->b, XO_SUB, 8, X86_R11, (int32_t)lo);
	x86_aluri(&c->b, XO_CMP, 8, X86_R11, (int32_t)range);
	jumpto(c, X86_CC_A, x->to[0]);
	x86_bytes(&c->b, "\x48\x8d\x05\0\0\0\0", 7); /* lea rax, [rip+0] */
	at = c->b.len - 4;
	x86_oprm(&c->b, XO_LEA, 8, X86_RAX, slot);
	x86_oprm(&c->b, XO_MOVSXD, 8, X86_R11, ent);
	x86_alurr(&c->b, XO_ADD, 8, X86_R11, X86_RAX);
	x86_jmpr(&c->b, X86_R11);
	x86_align(&c->b, 4);
	tab = c->b.len;
	rel = (int32_t)(tab - (at + 4));
	if (!c->b.err)
		memcpy(c->b.code + at, &rel, 4);
	for (i = 0; i <= range; i++) {
		x86_bytes(&c->b, "\0\0\0\0", 4);
		fixup(c, tab + 4 * i, x->to[0]);
	}
	if (c->u->err)
		return;
	for (i = x->ncas; i-- > 0;) /* the first of equal cases wins */
		c->fix[c->nfix - 1 - range + (uint32_t)(k[i].val - lo)].blk = k[i].to;
}

/* A switch: a jump table when there are at least 8 cases and the table
 * has at most 8 slots per case, else a chain of compares. */
static void switchop(X86Ctx *c, RExit *x)
{
	int r = lw_use(c, x->val);
	uint32_t i;
	int64_t lo, hi;
	RCase *k;

	if (x->ncas >= 8) {
		k = &c->u->cas[x->cas];
		for (lo = hi = k[0].val, i = 1; i < x->ncas; i++) {
			lo = k[i].val < lo ? k[i].val : lo;
			hi = k[i].val > hi ? k[i].val : hi;
		}
		if (lo >= INT32_MIN && hi <= INT32_MAX &&
		    (uint64_t)(hi - lo) < 8 * (uint64_t)x->ncas) {
			jumptable(c, x, r, lo, (uint32_t)(hi - lo));
			return;
		}
	}

	for (i = 0; i < x->ncas; i++) {
		room(c, 64);
		k = &c->u->cas[x->cas + i];
		if (k->val >= INT32_MIN && k->val <= INT32_MAX) {
			x86_aluri(&c->b, XO_CMP, 8, r, (int32_t)k->val);
		} else {
			x86_movri(&c->b, X86_R11, k->val);
			x86_alurr(&c->b, XO_CMP, 8, r, X86_R11);
		}
		jumpto(c, X86_CC_E, k->to);
	}
	jumpto(c, -1, x->to[0]);
}

/* The integer compare that block bk's branch can test directly: the last
 * op, whose result is used by nothing but the branch.  NULL if none. */
static RIns *fused(X86Ctx *c, RBlock *bk)
{
	RIns *in;

	if (!bk->nins || bk->x.kind != XE_BRANCH)
		return NULL;
	in = &bk->ins[bk->nins - 1];
	if (!(x86_opinfo[in->op].props & XP_CMP) ||
	    (x86_opinfo[in->op].props & XP_FLOAT) || in->res != bk->x.val ||
	    c->glob[X86_REFIDX(in->res)])
		return NULL;
	return in;
}

/* Does jump argument r already sit where the argument arg of its target
 * lives (same register across blocks, same home, or unused)? */
static int inplace(X86Ctx *c, X86Ref r, uint32_t arg)
{
	uint32_t v = X86_REFIDX(r);

	if (!c->hi[arg])
		return 1;
	if (iscon(r))
		return 0;
	if (c->rhome[arg] >= 0)
		return c->rhome[v] == c->rhome[arg];
	return c->rhome[v] < 0 && c->glob[v] && c->bu->home[v] &&
	       c->bu->home[v] == c->bu->home[arg];
}

/* Where a branch to block t may go instead: t's own target when t is
 * empty and its jump moves nothing, and that target does not count on t
 * falling into it (then it has a pad, or keeps no registers). */
static uint32_t thread(X86Ctx *c, uint32_t t)
{
	RBlock *bk = &c->u->blk[t];
	uint32_t i, to = bk->x.to[0];

	if (bk->nins || bk->x.kind != XE_JUMP || to == c->lnext[t] || to == t)
		return t;
	for (i = 0; i < bk->x.narg; i++)
		if (!inplace(c, c->u->ref[bk->x.arg + i], c->u->blk[to].arg + i))
			return t;
	return to;
}

/* Lower the terminator of the current block. */
static void terminator(X86Ctx *c, RExit *x)
{
	RIns *in;
	int r, cc;
	uint32_t t0, t1, nx = c->lnext[c->blk];

	room(c, 512);
	c->lock = 0;
	c->in = NULL;
	c->cur = 2 * (c->base[c->blk] + 1 + c->u->blk[c->blk].nins);
	if (fused(c, &c->u->blk[c->blk]))
		c->cur -= 2; /* the compare's operands are still needed */
	switch (x->kind) {
	case XE_RET:
		if (x->val != X86_NONE)
			lw_loadto(c, x->val, ra_isf(rtype(c, x->val)) ? XMM(0) : X86_RAX);
		clearleft(c);
		epilogue(&c->b);
		break;
	case XE_JUMP:
		jumpargs(c, x, c->u, x->to[0]);
		break;
	case XE_JUMPUNIT:
		jumpargs(c, x, x->unit, x->to[0]);
		break;
	case XE_BRANCH:
		if (iscon(x->val)) {
			jumpto(c, -1, x->to[conval(c, x->val) ? 0 : 1]);
			break;
		}
		if ((in = fused(c, &c->u->blk[c->blk]))) {
			cc = lw_cmpflags(c, in);
		} else {
			r = lw_use(c, x->val);
			x86_alurr(&c->b, XO_TEST, 8, r, r);
			cc = X86_CC_NE;
		}
		t0 = thread(c, x->to[0]);
		t1 = thread(c, x->to[1]);
		if (t0 == nx || (t1 != nx && t1 != x->to[1])) {
			jumpto(c, cc ^ 1, t1); /* the taken edge leaves the loop */
			jumpto(c, -1, t0);
		} else {
			jumpto(c, cc, t0);
			jumpto(c, -1, t1);
		}
		break;
	case XE_SWITCH: switchop(c, x); break;
	case XE_STUB: stub(c, x); break;
	case XE_FLEX: flex(c, x); break;
	default: x86_fail(c->u, X86_EINVAL);
	}
}

/* --- driver -------------------------------------------------------------- */

/* Entry of a root: prologue; parameters used in other blocks go to their
 * homes, and all stay cached in their argument registers for block 0. */
static void rootentry(X86Ctx *c)
{
	X86Unit *u = c->u;
	RBlock *b0 = &u->blk[0];
	int i, ni = 0, nf = 0, t, r, lost;
	uint32_t v;

	room(c, 512);
	x86_push(&c->b, X86_RBP);
	x86_alurr(&c->b, XO_MOV, 8, X86_RBP, X86_RSP);
	for (i = 0; i < 5; i++)
		x86_push(&c->b, lw_calleesaved[i]);
	x86_oprr(&c->b, XO_GRP81 | 5 << 24, 8, 0, X86_RSP); /* sub rsp, imm32 */
	c->framepos = c->b.len;
	x86_bytes(&c->b, "\0\0\0\0", 4);
	for (i = 0; i < (int)b0->narg; i++) {
		v = b0->arg + i;
		t = c->u->val[v].type;
		if (ra_isf(t) ? nf >= 8 : ni >= 6) {
			x86_fail(u, X86_EUNSUP);
			break;
		}
		r = ra_isf(t) ? XMM(nf++) : lw_argregs[ni++];
		if (!ra_isf(t))
			lw_norm(c, r, t);
		if (c->rhome[v] >= 0) { /* to its register (never an argument one) */
			lw_movrr(c, c->rhome[v], r);
			continue;
		}
		/* r8 r9 may be ra_global's (GCALLREGS): then v lives in its home */
		lost = r < 16 && !(c->imask >> r & 1);
		if (lost && c->hi[v])
			c->glob[v] = 1;
		if (c->glob[v] && r >= 16)
			x86_oprm(&c->b, XO_MOVSDST, 4, r - 16, rbpmem(ra_home(c, v)));
		else if (c->glob[v])
			x86_alumr(&c->b, XO_MOV, 8, rbpmem(ra_home(c, v)), r);
		if (c->hi[v] && !lost)
			ra_bind(c, v, r); /* block 0 starts with it in r */
	}
}

/* Entry of a bridge, first part (before ra_global): its arguments' homes
 * are where the site leaves them in the frame (x86_sitereg says which
 * are in registers instead); the stack pointer moves below its frame
 * (skipped by the entry when not needed: place). */
static void bridgeentry(X86Ctx *c)
{
	BSite *bs = c->u->from->be;
	RBlock *b0 = &c->u->blk[0];
	uint32_t i;

	room(c, 64);
	for (i = 0; i < b0->narg; i++)
		c->bu->home[b0->arg + i] = bs->loc[i];
	/* rsp = min(rsp, rbp - frame): never above a slot of a bridge that
	 * ran before (slots live until the root returns) */
	x86_oprm(&c->b, XO_LEA, 8, X86_R11, rbpmem(-0x10000)); /* disp32 */
	c->framepos = c->b.len - 4;
	x86_alurr(&c->b, XO_CMP, 8, X86_RSP, X86_R11);
	x86_cmov(&c->b, X86_CC_A, 8, X86_RSP, X86_R11);
	c->rspend = c->b.len;
}

/* Constant v (raw) to location d (register or frame slot, as pmove's). */
static void conto(X86Ctx *c, int64_t v, int32_t d)
{
	room(c, 32);
	if (d > 16) {
		x86_movri(&c->b, X86_R11, v);
		x86_oprr(&c->b, XO_MOVQXG, 8, d - 17, X86_R11);
	} else if (d > 0) {
		x86_movri(&c->b, d - 1, v);
	} else if (v >= INT32_MIN && v <= INT32_MAX) {
		x86_movmi(&c->b, 8, rbpmem(d), (int32_t)v);
	} else {
		x86_movri(&c->b, X86_R11, v);
		x86_alumr(&c->b, XO_MOV, 8, rbpmem(d), X86_R11);
	}
}

/* Entry of a bridge, second part (after ra_global): one parallel move of
 * its used arguments from where the site leaves them (a register of the
 * parent, or the frame) to where the bridge keeps them (its registers,
 * else those frame slots); then the constants the site passes. */
static void bridgemove(X86Ctx *c)
{
	X86Exit *site = c->u->from;
	X86Unit *pu = site->unit;
	RExit *px = &pu->blk[site->blk].x;
	BSite *bs = site->be;
	RBlock *b0 = &c->u->blk[0];
	int32_t buf[3 * 64], *dst = buf, *src, *todo;
	uint32_t i, a, left = 0, n = b0->narg;
	X86Ref r;
	int h;

	if (n > 64 && !(dst = x86_alloc(NULL, 3 * n * sizeof *dst))) {
		x86_fail(c->u, X86_ENOMEM);
		return;
	}
	src = dst + n, todo = src + n;
	for (i = 0; i < n; i++) {
		a = b0->arg + i;
		r = pu->ref[px->arg + i];
		h = x86_sitereg(site, i);
		src[i] = h >= 0 ? h + 1 : bs->loc[i];
		dst[i] = !c->hi[a] ? 0 : c->rhome[a] >= 0 ? c->rhome[a] + 1
		                                          : bs->loc[i];
		todo[i] = dst[i] && src[i] != dst[i] && !iscon(r);
		left += todo[i];
	}
	movepar(c, n, NULL, dst, src, todo, left);
	for (i = 0; i < n; i++)
		if (dst[i] && iscon(pu->ref[px->arg + i]))
			conto(c, x86_conval(pu, pu->ref[px->arg + i]), dst[i]);
	if (dst != buf)
		free(dst);
}

/* Block b falls from lprev[b] and keeps the registers it uses; other entries
 * will need a pad that loads them (recorded, emitted after the blocks). */
static void keep(X86Ctx *c, uint32_t b)
{
	uint32_t m, first = c->npadreg;
	int r;

	ra_keepused(c, b);
	if (!c->used || !ra_needpad(c, b))
		return;
	for (m = c->used; m; m &= m - 1) {
		r = __builtin_ctz(m);
		if (!x86_grow(c->u, &c->padreg, &c->cappadreg, c->npadreg + 2,
		              sizeof *c->padreg))
			return;
		c->padreg[c->npadreg++] = (uint32_t)r;
		c->padreg[c->npadreg++] = c->vreg[r];
	}
	if (!x86_grow(c->u, &c->pad, &c->cappad, c->npad + 1, sizeof *c->pad))
		return;
	c->pad[c->npad].blk = b;
	c->pad[c->npad].body = c->b.len;
	c->pad[c->npad].reg = first;
	c->pad[c->npad++].n = (c->npadreg - first) / 2;
}

/* Emit an entry pad: load the registers its block keeps, jump to the
 * body; the block's entry address becomes the pad's. */
static void emitpad(X86Ctx *c, const Pad *p)
{
	uint32_t i, r, v;

	room(c, 16 * p->n + 16);
	c->bu->blkoff[p->blk] = c->b.len;
	for (i = 0; i < p->n; i++) {
		r = c->padreg[p->reg + 2 * i];
		v = c->padreg[p->reg + 2 * i + 1];
		if (r >= 16)
			x86_oprm(&c->b, XO_MOVSD, 4, r - 16, rbpmem(c->bu->home[v]));
		else
			x86_alurm(&c->b, XO_MOV, 8, r, rbpmem(c->bu->home[v]));
	}
	x86_jmp(&c->b, p->body);
}

/* Is block b cold: does it end in an exit stub, or did opt.c mark it
 * (a merged guard chain's slow path)?  Block 0 never is. */
static int iscold(X86Ctx *c, uint32_t b)
{
	return b && (c->u->blk[b].x.kind == XE_STUB || c->u->blk[b].cold);
}

/*
 * The block layout: the hot blocks in index order, then the cold section
 * (after the entry pads): the blocks that end in an exit stub and those
 * opt.c marks cold (the slow path of a merged guard chain).  A guard is
 * then a jcc to its stub that is not taken, and the hot path falls
 * through.  lnext[b] is the block lowered right after b when b may fall
 * into it; the last hot block and the first cold one fall nowhere.
 */
static void layout(X86Ctx *c)
{
	uint32_t b, last = X86_NOBLK;
	int cold;

	c->cold = X86_NOBLK;
	for (cold = 0; cold < 2; cold++) {
		for (b = 0; b < c->u->nblk; b++) {
			if (iscold(c, b) != cold)
				continue;
			if (cold && c->cold == X86_NOBLK)
				c->cold = b, last = X86_NOBLK;
			c->lprev[b] = last;
			if (last != X86_NOBLK)
				c->lnext[last] = b;
			c->lnext[b] = X86_NOBLK;
			last = b;
		}
	}
}

/* Lower block b. */
static void lowerblock(X86Ctx *c, uint32_t b)
{
	X86Unit *u = c->u;
	uint32_t cur;
	RBlock *bk;
	RIns *in, *end;

	c->blk = b;
	c->bu->blkoff[b] = c->b.len;
	c->zfpos = 0; /* other ways in: flags unknown */
	if (b == 0 && !u->from)
		; /* the prologue left the parameters in registers */
	else if (ra_falls(c, b))
		keep(c, b);
	else
		ra_reset(c);
	bk = &u->blk[b];
	cur = 2 * (c->base[b] + 1); /* (ra_global) */
	for (in = bk->ins, end = in + bk->nins; in < end && !u->err;
	     in++, cur += 2) {
		c->cur = cur;
		if (in + 1 == end && fused(c, bk))
			break; /* the branch compares */
		lw_op(c, in);
		if (!in->pad)
			continue;
		if (in->pad & 1)
			ra_release(c, in->a);
		if (in->pad & 2)
			ra_release(c, in->b);
		if (in->pad & 4)
			ra_release(c, in->c);
	}
	terminator(c, &bk->x);
}

/* Lower every block in layout order: the hot blocks, their entry pads,
 * then the cold section (the exit tail, the stubs' blocks, the
 * flexswitches' slow paths); returns 0 when the unit failed. */
static int lowerall(X86Ctx *c)
{
	X86Unit *u = c->u;
	uint32_t b, i;

	layout(c);
	for (b = 0; b != X86_NOBLK && !u->err; b = c->lnext[b])
		lowerblock(c, b);
	for (i = 0; i < c->npad && !u->err; i++)
		emitpad(c, &c->pad[i]);
	if (u->nsite)
		exittail(c);
	for (b = c->cold; b != X86_NOBLK && !u->err; b = c->lnext[b])
		lowerblock(c, b);
	flexslow(c);
	for (; i < c->npad && !u->err; i++) /* (cold blocks never keep) */
		emitpad(c, &c->pad[i]);
	return !u->err && !c->b.err;
}

/* The code buffer of the last compilation, kept for the next one (a
 * buffer per compilation costs a malloc and, for big ones, a brk). */
static X86Buf spare;

/* The compile state's arrays of the last compilation, kept for the next
 * one like the code buffer: the per-value and per-block arrays (one
 * block, `temp`), ra_global's work area and the growing lists. */
static __thread struct {
	void *temp;                  /* setup's arrays */
	size_t captemp;              /* its size in bytes */
	void *glob;                  /* ra_global's work area (x86_scratch) */
	size_t capglob;              /* its size in bytes */
	uint32_t *xuse, *calls, *padreg; /* X86Ctx's lists, ... */
	uint32_t capxuse, capcall, cappadreg; /* ... their capacities */
	Pad *pad;                    /* entry pads */
	uint32_t cappad;             /* its capacity */
	Fix *fix;                    /* forward jumps */
	uint32_t capfix;             /* its capacity */
	Far *far;                    /* jumps into ancestors */
	uint32_t capfar;             /* its capacity */
} kept;

/* Room for n bytes in the area *p of *cap bytes (grown without copying),
 * NULL when out of memory. */
static void *scratch(void **p, size_t *cap, size_t n)
{
	void *q;

	if (n <= *cap && *p)
		return *p;
	free(*p);
	*p = NULL;
	*cap = 0;
	if (!(q = x86_alloc(NULL, n)))
		return NULL;
	*p = q;
	*cap = n;
	return q;
}

/* ra_global's work area of n bytes, reused across compilations (not
 * zeroed; NULL when out of memory). */
void *x86_scratch(size_t n)
{
	return scratch(&kept.glob, &kept.capglob, n);
}

/* Zeroed memory from x86_alloc (so tests can make it fail). */
static void *zalloc(size_t n)
{
	void *p = x86_alloc(NULL, n);

	if (p)
		memset(p, 0, n);
	return p;
}

/* Allocate the per-value and per-block arrays. */
static int setup(X86Ctx *c, X86Unit *u)
{
	BUnit *bu;
	uint32_t i;
	int32_t base;
	size_t nv = (size_t)u->nval + 1, nb = (size_t)u->nblk + 1, n;
	uint32_t *w;

	memset(c, 0, sizeof *c);
	c->u = u;
	c->b = spare; /* reuse the last code buffer */
	memset(&spare, 0, sizeof spare);
	c->b.len = 0;
	c->b.err = 0;
	c->xuse = kept.xuse, c->capxuse = kept.capxuse;
	c->calls = kept.calls, c->capcall = kept.capcall;
	c->padreg = kept.padreg, c->cappadreg = kept.cappadreg;
	c->pad = kept.pad, c->cappad = kept.cappad;
	c->fix = kept.fix, c->capfix = kept.capfix;
	c->far = kept.far, c->capfar = kept.capfar;
	kept.xuse = kept.calls = kept.padreg = NULL, kept.pad = NULL;
	kept.fix = NULL, kept.far = NULL;
	/* the BUnit and its arrays in one block: home blkoff rhome */
	n = sizeof *bu + nv * sizeof *bu->home + nb * sizeof *bu->blkoff + nv;
	if (!(bu = zalloc(n)))
		return x86_fail(u, X86_ENOMEM);
	u->be = c->bu = bu;
	bu->home = (int32_t *)(bu + 1);
	bu->blkoff = (uint32_t *)(bu->home + nv);
	c->rhome = bu->rhome = (int8_t *)(bu->blkoff + nb);
	/* slotoff base lnext lprev npred hi (32-bit), then glob jumparg reg;
	 * zero from npred to reg (ra_frame, ra_analyse and layout set
	 * slotoff, base, lnext and lprev) */
	n = 4 * (u->nslot + 1 + 4 * nb + nv) + 3 * nv;
	if (!(w = scratch(&kept.temp, &kept.captemp, n)))
		return x86_fail(u, X86_ENOMEM);
	c->slotoff = (int32_t *)w, w += u->nslot + 1;
	c->base = w, w += nb;
	c->lnext = w, w += nb;
	c->lprev = w, w += nb;
	c->npred = w, w += nb;
	c->hi = w, w += nv;
	c->glob = (uint8_t *)w;
	c->jumparg = c->glob + nv;
	c->reg = (int8_t *)c->jumparg + nv;
	memset(c->npred, 0, (size_t)((uint8_t *)c->reg - (uint8_t *)c->npred));
	memset(c->reg, -1, nv);
	memset(c->rhome, -1, nv);
	base = SAVEAREA;
	if (u->from)
		base = ((BUnit *)u->root->be)->treeframe;
	bu->frame = base;
	for (i = 0; i < u->nslot; i++)
		c->slotoff[i] = ra_frame(c, u->slot[i].size, u->slot[i].align);
	return 1;
}

/* Free the compile state (the unit's BUnit stays; the arrays and the code
 * buffer are kept for the next compilation). */
static void cleanup(X86Ctx *c)
{
	kept.xuse = c->xuse, kept.capxuse = c->capxuse;
	kept.calls = c->calls, kept.capcall = c->capcall;
	kept.padreg = c->padreg, kept.cappadreg = c->cappadreg;
	kept.pad = c->pad, kept.cappad = c->cappad;
	kept.fix = c->fix, kept.capfix = c->capfix;
	kept.far = c->far, kept.capfar = c->capfar;
	if (!spare.code && c->b.cap <= (1u << 20))
		spare = c->b;
	else
		x86_buffree(&c->b);
}

/* Record the jump whose rel32 is at offset at as one to block blk: when
 * blk is a stub that starts with its patchable jmp, the jump is
 * re-pointed to the bridge with it (patch.c). */
static void stubref(X86Ctx *c, uint32_t at, uint32_t blk)
{
	RExit *x = &c->u->blk[blk].x;
	BSite *bs;
	uint32_t *p;

	if (x->kind != XE_STUB || !(bs = x->site->be) ||
	    bs->jmpoff != c->bu->blkoff[blk] + 1)
		return;
	if (!(p = x86_alloc(bs->refs, (bs->nref + 1) * sizeof *p))) {
		x86_fail(c->u, X86_ENOMEM);
		return;
	}
	bs->refs = p;
	p[bs->nref++] = at;
}

/* Copy the code to executable memory, resolving jumps. */
static int place(X86Ctx *c)
{
	X86Unit *u = c->u;
	BUnit *bu = c->bu, *rb = u->root->be;
	int32_t frame, imm;
	uint32_t i;
	uint8_t *at;

	frame = (bu->frame + 15) & ~15;
	imm = u->from ? -frame : frame - SAVEAREA;
	memcpy(c->b.code + c->framepos, &imm, 4);
	if (frame > rb->treeframe)
		rb->treeframe = frame;
	bu->rspframe = frame;
	if (u->from && frame <= ((BUnit *)u->from->unit->be)->rspframe) {
		/* rsp is already below the frame: enter after the move */
		bu->rspframe = ((BUnit *)u->from->unit->be)->rspframe;
		bu->entry = c->rspend;
	}
	for (i = 0; i < c->nfix; i++) {
		x86_setrel32(&c->b, c->fix[i].at, bu->blkoff[c->fix[i].blk]);
		stubref(c, c->fix[i].at, c->fix[i].blk);
	}
	if (u->err)
		return 0;
	if (!(bu->code = x86_codereserve(c->b.len)))
		return x86_fail(u, X86_ECODE);
	at = x86_codeaddr(bu->code);
	for (i = 0; i < c->nfar; i++) {
		imm = (int32_t)((uint8_t *)c->far[i].target - (at + c->far[i].at + 4));
		memcpy(c->b.code + c->far[i].at, &imm, 4);
	}
	if (!x86_codewrite(at, c->b.code, c->b.len))
		return x86_fail(u, X86_ECODE);
	bu->len = c->b.len;
	u->code = at;
	return x86_placed(u);
}

/* The pipeline: verify, analyse liveness, lower every block, place the
 * code and build the flexswitch chains (x86.h). */
void *x86_compile(X86Unit *u)
{
	static int dump = -1; /* X86_DUMP is set (read once) */
	X86Ctx c;
	int ok;

	if (!u || u->err)
		return NULL;
	if (u->compiled)
		return (uint8_t *)u->code + ((BUnit *)u->be)->entry;
	if (x86_verify(u) != X86_OK)
		return NULL;
	if (u->from && (!u->from->unit->compiled || !u->from->be))
		return x86_fail(u, X86_EINVAL), NULL;
	if (!x86_opt(u)) /* opt.c: clean up the IR first */
		return NULL;
	ok = setup(&c, u);
	if (ok) {
		ra_analyse(&c);
		if (u->from)
			bridgeentry(&c); /* its arguments' homes first */
		ra_global(&c);
		if (u->from)
			bridgemove(&c);
		if (!u->from)
			rootentry(&c);
		ok = lowerall(&c) && place(&c);
	}
	cleanup(&c);
	if (!ok) {
		if (!u->err)
			x86_fail(u, X86_ENOMEM);
		return NULL;
	}
	u->compiled = 1;
	u->frozen = 1;
	x86_perfmap(c.bu->code, u->from ? "jit-bridge" : "jit-unit");
	if (dump < 0)
		dump = getenv("X86_DUMP") != NULL;
	if (dump) {
		x86_print(stderr, u);
		x86_disasm(u->code, c.bu->len, stderr);
	}
	return (uint8_t *)u->code + c.bu->entry;
}
