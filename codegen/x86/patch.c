/*
 * patch.c: patchable code: exit stubs, flexswitches and bridges.
 *
 * An exit (lower.c) executes a `jmp rel32`.  For a stub it first points
 * at the slow path right after it, which stores the live values held in
 * registers and the constants to frame slots; for a flexswitch (value in
 * rax, every live value in the frame) at the case chain.  The slow path
 * (`mov esi, site number; jmp` to the unit's exit tail) calls
 * x86_exithelper(unit, site number, rbp, rax), which reads the live
 * values from the frame, calls the site's callback, compiles the bridge it
 * returns (whose entry takes the values where the exit leaves them) and
 * patches the code:
 *
 *   stub:  the jmp is re-pointed to the bridge, so the next execution goes
 *          straight there; when the stub starts with that jmp (no f64
 *          register to store first), so are the unit's jumps to the stub
 *          (a guard's jcc), and the bridge takes the values where the
 *          unit has them (register protocol: lower.c, x86_sitereg);
 *   flex:  a `cmp rax, value; je bridge` entry is appended to the case
 *          chain, in place of the chain's final `jmp slowpath`, followed by
 *          a new final jmp.  The chain lives in separate code pieces
 *          (chunks); when one is full the final jmp goes to a new chunk.
 *
 * The helper returns the bridge's address and the slow path jumps there,
 * or NULL (the callback gave up or the bridge failed to compile): the slow
 * path then returns 0 from the unit and x86_leftearly() names the site.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "backend.h"

enum { CHUNK = 512 }; /* bytes of one case-chain chunk */

/* Bytes of a chain entry for value at address at: cmp rax, value;
 * je target.  Returns the length (at most 19) written to out. */
static uint32_t caseentry(uint8_t *out, uint8_t *at, int64_t value,
                          uint8_t *target)
{
	X86Buf b = {0};
	uint32_t n, rel;
	int32_t d;

	x86_reserve(&b, 64);
	if (value >= INT32_MIN && value <= INT32_MAX) {
		x86_aluri(&b, XO_CMP, 8, X86_RAX, (int32_t)value);
	} else {
		x86_movri(&b, X86_R11, value);
		x86_alurr(&b, XO_CMP, 8, X86_RAX, X86_R11);
	}
	rel = x86_jcc(&b, X86_CC_E, 0);
	n = b.err ? 0 : b.len;
	if (n) {
		d = (int32_t)(target - (at + rel + 4));
		memcpy(b.code + rel, &d, 4);
		memcpy(out, b.code, n);
	}
	x86_buffree(&b);
	return n;
}

/* Bytes of `jmp target` placed at address at (5). */
static uint32_t jmpto(uint8_t *out, uint8_t *at, uint8_t *target)
{
	int32_t d = (int32_t)(target - (at + 5));

	out[0] = 0xe9;
	memcpy(out + 1, &d, 4);
	return 5;
}

/* Start a new chunk of the chain of site s; 0 when out of code memory. */
static int newchunk(X86Exit *s)
{
	BSite *bs = s->be;
	X86Code **cs, *ch;

	cs = x86_alloc(bs->chunks, (bs->nchunk + 1) * sizeof *cs);
	if (!cs)
		return 0;
	bs->chunks = cs;
	if (!(ch = x86_codereserve(CHUNK)))
		return 0;
	cs[bs->nchunk++] = ch;
	bs->tail = x86_codeaddr(ch);
	bs->end = bs->tail + CHUNK;
	x86_perfmap(ch, "jit-flexswitch");
	return 1;
}

/* Append the case value -> target to the chain of flexswitch s. */
static int addentry(X86Exit *s, int64_t value, uint8_t *target)
{
	BSite *bs = s->be;
	uint8_t code[32], *slow = (uint8_t *)s->unit->code + bs->slowoff;
	uint8_t *oldtail = bs->tail;
	uint32_t n;

	if (bs->tail + 19 + 5 > bs->end) {
		if (!newchunk(s))
			return 0;
		jmpto(code, oldtail, bs->tail);
		if (!x86_codewrite(oldtail, code, 5))
			return 0;
	}
	n = caseentry(code, bs->tail, value, target);
	if (!n)
		return 0;
	n += jmpto(code + n, bs->tail + n, slow);
	if (!x86_codewrite(bs->tail, code, n))
		return 0;
	bs->tail += n - 5;
	return 1;
}

/* Re-point the jmp rel32 at offset off of unit u's code to target. */
static int repoint(X86Unit *u, uint32_t off, void *target)
{
	uint8_t *at = (uint8_t *)u->code + off;
	int32_t d = (int32_t)((uint8_t *)target - (at + 4));

	return x86_codewrite(at, &d, 4);
}

/* Called when unit u's code is placed: build the flexswitch chains with
 * their build-time cases.  Returns 0 (and fails u) on error. */
int x86_placed(X86Unit *u)
{
	BUnit *bu = u->be;
	uint32_t i, k;
	X86Exit *s;
	BSite *bs;
	uint8_t code[8], *slow;

	for (i = 0; i < u->nsite; i++) {
		s = u->site[i];
		bs = s->be;
		if (s->kind != XE_FLEX || !bs)
			continue;
		slow = (uint8_t *)u->code + bs->slowoff;
		if (!newchunk(s))
			return x86_fail(u, X86_ECODE);
		jmpto(code, bs->tail, slow);
		if (!x86_codewrite(bs->tail, code, 5))
			return x86_fail(u, X86_ECODE);
		for (k = 0; k < s->ncase; k++)
			if (s->cases[k].to != X86_NOBLK &&
			    !addentry(s, s->cases[k].val,
			              (uint8_t *)u->code + bu->blkoff[s->cases[k].to]))
				return x86_fail(u, X86_ECODE);
		if (!repoint(u, bs->jmpoff, x86_codeaddr(bs->chunks[0])))
			return x86_fail(u, X86_ECODE);
	}
	return 1;
}

/*
 * The slow path of every exit (called from the exit tail of unit u,
 * System V): site u->site[id]; read the live values from the frame at
 * rbp, ask the callback for a bridge, compile it and patch the exit.
 * Returns the bridge's address, or NULL after recording the site with
 * x86_setleft.
 */
void *x86_exithelper(X86Unit *u, uint32_t id, uint8_t *rbp, int64_t value)
{
	X86Exit *site = u->site[id];
	BSite *bs = site->be;
	X86Unit *br;
	RExit *x = &u->blk[site->blk].x;
	int64_t small[64], *live = small;
	uint32_t i;
	void *entry;

	if (x->narg > 64 && !(live = x86_alloc(NULL, x->narg * sizeof *live))) {
		x86_setleft(site);
		return NULL;
	}
	for (i = 0; i < x->narg; i++)
		memcpy(&live[i], rbp + bs->loc[i], 8);
	if (site->kind == XE_STUB)
		value = 0;
	br = site->fn(site->opaque, site, value, live);
	if (live != small)
		free(live);
	if (!br || !(entry = x86_compile(br))) {
		x86_setleft(site);
		return NULL;
	}
	if (site->kind == XE_STUB) {
		site->bridge = br;
		repoint(u, bs->jmpoff, entry);
		for (i = 0; i < bs->nref; i++) /* the guards' jumps too */
			repoint(u, bs->refs[i], entry);
	} else if (x86_findcase(site, value) < 0) {
		if (x86_addcase(site, value, br))
			addentry(site, value, entry);
	}
	return entry;
}

/* Free the backend data and code of unit u (called by x86_free). */
void x86_befree(X86Unit *u)
{
	BUnit *bu = u->be;
	BSite *bs;
	uint32_t i, k;

	for (i = 0; i < u->nsite; i++) {
		if (!(bs = u->site[i]->be))
			continue;
		for (k = 0; k < bs->nchunk; k++)
			x86_codefree(bs->chunks[k]);
		free(bs->chunks);
		free(bs->refs);
		free(bs->loc);
		free(bs);
		u->site[i]->be = NULL;
	}
	if (!bu)
		return;
	x86_codefree(bu->code);
	free(bu); /* with its arrays (lower.c: setup) */
	u->be = NULL;
}
