/* verify.c: the structural rules of the flow-graph IR.
 *
 * fg_verify checks a module that may come from anywhere (importer, parser,
 * a pass with a bug), so it never trusts an index before checking it.  Per
 * function it checks, in order: the value table (each value is where it
 * says it is defined), every operation (operand count from fg_opinfo,
 * operand and result types by the conventions of ops.h, calls against the
 * callee's signature), every exit (link count per kind, each link passes
 * exactly the target's argument types, switch cases unique), block 0
 * against the parameters, and last that every use is dominated by its
 * definition.  Dominators are computed by the iterative algorithm of
 * Cooper, Harvey and Kennedy over a reverse post-order; blocks that cannot
 * be reached from the entry are not checked for dominance.
 *
 * Each problem is one `file:line: error:` line at the op's location (or
 * `function @f:` when it has none); the result is the number of problems.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include "textint.h"

typedef struct {
	const FgModule *m; /* module */
	const FgFunc *f;   /* function being checked */
	FgNames *n;	   /* printed names, for messages */
	int nerr;	   /* problems found */
	FgLoc loc;	   /* location of the construct being checked */
	uint32_t block;	   /* block being checked */
	int32_t *idom;	   /* vector: immediate dominator, -1 if unreachable */
	uint32_t *rpo;	   /* vector: reverse post-order number */
} Verifier;

static void err(Verifier *V, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report at the current location (else the function's), naming the
 * function and block. */
static void err(Verifier *V, const char *fmt, ...)
{
	char msg[512], where[256] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (V->f) {
		const char *fn = V->f->name ? V->f->name : "?";
		if (V->block != UINT32_MAX && V->n && V->block < fg_vlen(V->n->block))
			snprintf(where, sizeof where, "in @%.100s, block @%.100s: ", fn,
				 V->n->block[V->block]);
		else
			snprintf(where, sizeof where, "in @%.100s: ", fn);
	}
	if (V->loc.line || V->loc.file)
		fg_error(V->m, V->loc, "%s%s", where, msg);
	else if (V->f && (V->f->loc.line || V->f->loc.file))
		fg_error(V->m, V->f->loc, "%s%s", where, msg);
	else
		fg_errorat("", 0, "%s%s", where, msg);
	V->nerr++;
}

static int isint(int t)
{
	return t >= TY_I1 && t <= TY_I64;
}

static int isfloat(int t)
{
	return t == TY_F32 || t == TY_F64;
}

static int isvaluetype(int t)
{
	return t >= TY_I1 && t < TY_N;
}

/* Is r a usable operand?  Reports and returns 0 if not. */
static int checkref(Verifier *V, Ref r, const char *what)
{
	const FgFunc *f = V->f;
	uint32_t i = REFIDX(r);

	switch (REFKIND(r)) {
	case RK_VAL:
		if (i < fg_vlen(f->vals))
			return 1;
		err(V, "%s: value %u out of range", what, i);
		return 0;
	case RK_CON:
		if (i < fg_vlen(f->cons))
			return 1;
		err(V, "%s: constant %u out of range", what, i);
		return 0;
	}
	err(V, "%s: missing operand", what);
	return 0;
}

static const char *tyname(int t)
{
	return fg_typename(t);
}

/* Check that operand k of o has type t. */
static int wanttype(Verifier *V, const FgOp *o, uint32_t k, int t)
{
	int have = fg_reftype(V->f, V->f->refs[o->arg + k]);

	if (have == t)
		return 1;
	err(V, "'%s': operand %u has type %s, expected %s", fg_opinfo[o->op].name, k + 1,
	    tyname(have), tyname(t));
	return 0;
}

static int wantres(Verifier *V, const FgOp *o, int ok, const char *what)
{
	if (!ok)
		err(V, "'%s': result type %s, expected %s", fg_opinfo[o->op].name, tyname(o->type),
		    what);
	return ok;
}

static void checkcall(Verifier *V, const FgOp *o)
{
	const FgModule *m = V->m;
	Ref callee = V->f->refs[o->arg];
	const FgFunc *g;
	uint32_t np, nfix, i, nargs = o->narg - 1;

	if (fg_reftype(V->f, callee) != TY_PTR) {
		err(V, "'call': the callee is not a pointer");
		return;
	}
	if (REFKIND(callee) != RK_CON || V->f->cons[REFIDX(callee)].kind != CK_FUNC)
		return;
	if (V->f->cons[REFIDX(callee)].sym >= fg_vlen(m->funcs))
		return; /* reported with the constants */
	g = &m->funcs[V->f->cons[REFIDX(callee)].sym];
	np = fg_vlen(g->params);
	if (g->flags & FN_VARARGS) {
		if (nargs < np)
			err(V, "call to @%s passes %u arguments, it takes at least %u", g->name,
			    nargs, np);
		if (o->imm != (int64_t)np)
			err(V,
			    "call to varargs @%s: 'fixed %" PRId64
			    "' but it has %u fixed parameters",
			    g->name, o->imm, np);
	} else if (nargs != np) {
		err(V, "call to @%s passes %u arguments, it takes %u", g->name, nargs, np);
	}
	nfix = nargs < np ? nargs : np;
	for (i = 0; i < nfix; i++) {
		int t = fg_reftype(V->f, V->f->refs[o->arg + 1 + i]);
		if (t != g->params[i])
			err(V, "call to @%s: argument %u has type %s, expected %s", g->name, i + 1,
			    tyname(t), tyname(g->params[i]));
	}
	if (o->type != g->ret)
		err(V, "call to @%s: result type %s, the function returns %s", g->name,
		    tyname(o->type), tyname(g->ret));
}

/* Operand and result types of op o (operands already known valid). */
static void checktypes(Verifier *V, const FgOp *o)
{
	unsigned p = fg_opinfo[o->op].props;
	int t = o->type, a = TY_VOID, b = TY_VOID;
	uint32_t k;

	if (o->narg > 0)
		a = fg_reftype(V->f, V->f->refs[o->arg]);
	if (o->narg > 1)
		b = fg_reftype(V->f, V->f->refs[o->arg + 1]);
	switch (o->op) {
	case FG_ADD:
	case FG_SUB:
	case FG_MUL:
	case FG_SDIV:
	case FG_UDIV:
	case FG_SREM:
	case FG_UREM:
	case FG_AND:
	case FG_OR:
	case FG_XOR:
	case FG_SHL:
	case FG_LSHR:
	case FG_ASHR:
		if (wantres(V, o, isint(t), "an integer type"))
			wanttype(V, o, 0, t), wanttype(V, o, 1, t);
		return;
	case FG_SADDO:
	case FG_UADDO:
	case FG_SSUBO:
	case FG_USUBO:
	case FG_SMULO:
	case FG_UMULO:
		wantres(V, o, t == TY_I1, "i1");
		if (!isint(a))
			err(V, "'%s': operands must be integers, not %s", fg_opinfo[o->op].name,
			    tyname(a));
		else
			wanttype(V, o, 1, a);
		return;
	case FG_FADD:
	case FG_FSUB:
	case FG_FMUL:
	case FG_FDIV:
	case FG_FREM:
		if (wantres(V, o, isfloat(t), "f32 or f64"))
			wanttype(V, o, 0, t), wanttype(V, o, 1, t);
		return;
	case FG_FNEG:
		if (wantres(V, o, isfloat(t), "f32 or f64"))
			wanttype(V, o, 0, t);
		return;
	case FG_FCMP:
		wantres(V, o, t == TY_I1, "i1");
		if (!isfloat(a))
			err(V, "'fcmp': operands must be f32 or f64, not %s", tyname(a));
		else
			wanttype(V, o, 1, a);
		if (o->imm < 0 || o->imm > 15)
			err(V, "'fcmp': bad predicate %" PRId64, o->imm);
		return;
	case FG_ZEXT:
	case FG_SEXT:
		if (!isint(a) || !isint(t) || fg_typebits(a) >= fg_typebits(t))
			err(V, "'%s' from %s to %s: must widen an integer", fg_opinfo[o->op].name,
			    tyname(a), tyname(t));
		return;
	case FG_TRUNC:
		if (!isint(a) || !isint(t) || fg_typebits(a) <= fg_typebits(t))
			err(V, "'trunc' from %s to %s: must narrow an integer", tyname(a),
			    tyname(t));
		return;
	case FG_FPTOSI:
	case FG_FPTOUI:
		if (!isfloat(a) || !isint(t))
			err(V, "'%s' from %s to %s: must go from float to integer",
			    fg_opinfo[o->op].name, tyname(a), tyname(t));
		return;
	case FG_SITOFP:
	case FG_UITOFP:
		if (!isint(a) || !isfloat(t))
			err(V, "'%s' from %s to %s: must go from integer to float",
			    fg_opinfo[o->op].name, tyname(a), tyname(t));
		return;
	case FG_FPEXT:
		if (a != TY_F32 || t != TY_F64)
			err(V, "'fpext' from %s to %s: must be f32 to f64", tyname(a), tyname(t));
		return;
	case FG_FPTRUNC:
		if (a != TY_F64 || t != TY_F32)
			err(V, "'fptrunc' from %s to %s: must be f64 to f32", tyname(a), tyname(t));
		return;
	case FG_PTRTOINT:
		if (a != TY_PTR || !isint(t))
			err(V, "'ptrtoint' from %s to %s: must be ptr to integer", tyname(a),
			    tyname(t));
		return;
	case FG_INTTOPTR:
		if (!isint(a) || t != TY_PTR)
			err(V, "'inttoptr' from %s to %s: must be integer to ptr", tyname(a),
			    tyname(t));
		return;
	case FG_BITCAST:
		if (!isvaluetype(t) || fg_typebits(a) != fg_typebits(t))
			err(V, "'bitcast' from %s to %s: sizes differ", tyname(a), tyname(t));
		return;
	case FG_SELECT:
		if (wantres(V, o, isvaluetype(t), "a value type"))
			wanttype(V, o, 0, TY_I1), wanttype(V, o, 1, t), wanttype(V, o, 2, t);
		return;
	case FG_COPY:
	case FG_HGREEN:
	case FG_HPROMOTE:
		if (wantres(V, o, isvaluetype(t), "a value type"))
			wanttype(V, o, 0, t);
		return;
	case FG_PTRADD:
		wantres(V, o, t == TY_PTR, "ptr");
		wanttype(V, o, 0, TY_PTR), wanttype(V, o, 1, TY_I64);
		return;
	case FG_ALLOCA:
		wantres(V, o, t == TY_PTR, "ptr");
		if (o->narg == 1 && !isint(a))
			err(V, "'alloca': the element count must be an integer, not %s", tyname(a));
		if (o->imm < 0)
			err(V, "'alloca': negative size %" PRId64, o->imm);
		if (o->aux > 30)
			err(V, "'alloca': alignment 2^%u too large", o->aux);
		return;
	case FG_LOAD:
		wantres(V, o, isvaluetype(t), "a value type");
		wanttype(V, o, 0, TY_PTR);
		return;
	case FG_STORE:
		wanttype(V, o, 0, TY_PTR);
		if (!isvaluetype(b))
			err(V, "'store': bad value type %s", tyname(b));
		return;
	case FG_MEMCPY:
	case FG_MEMMOVE:
	case FG_MEMSET:
		wanttype(V, o, 0, TY_PTR);
		wanttype(V, o, 1, o->op == FG_MEMSET ? TY_I8 : TY_PTR);
		wanttype(V, o, 2, TY_I64);
		return;
	case FG_CALL:
		checkcall(V, o);
		return;
	case FG_HDEEPFREEZE:
		wantres(V, o, t == TY_PTR, "ptr");
		wanttype(V, o, 0, TY_PTR);
		return;
	case FG_HVIRTUALIZABLE:
		wanttype(V, o, 0, TY_PTR);
		return;
	case FG_MERGEPOINT:
		for (k = 0; k < o->narg; k++)
			if (!isvaluetype(fg_reftype(V->f, V->f->refs[o->arg + k])))
				err(V, "'merge_point': operand %u has no value type", k + 1);
		return;
	}
	if (p & P_CMP) {
		wantres(V, o, t == TY_I1, "i1");
		if (!isint(a) && a != TY_PTR)
			err(V, "'%s': operands must be integers or pointers, not %s",
			    fg_opinfo[o->op].name, tyname(a));
		else
			wanttype(V, o, 1, a);
	}
}

/* Does o produce a result?  (CALL: when its callee returns a value.) */
static int producesresult(int op)
{
	switch (op) {
	case FG_STORE:
	case FG_MEMCPY:
	case FG_MEMMOVE:
	case FG_MEMSET:
	case FG_HVIRTUALIZABLE:
	case FG_MERGEPOINT:
		return 0;
	case FG_CALL:
		return -1;
	}
	return 1;
}

static void checkop(Verifier *V, uint32_t b, uint32_t i)
{
	const FgFunc *f = V->f;
	const FgOp *o = &f->blocks[b].ops[i];
	const char *name;
	uint32_t k;
	int want, ok = 1;

	V->loc = o->loc;
	if (o->op >= FG_NOP) {
		err(V, "operation %u: bad opcode %u", i, o->op);
		return;
	}
	name = fg_opinfo[o->op].name;
	if (o->arg + (uint64_t)o->narg > fg_vlen(f->refs)) {
		err(V, "'%s': operands out of range", name);
		return;
	}
	if (fg_opinfo[o->op].nargs >= 0 && o->narg != (uint32_t)fg_opinfo[o->op].nargs) {
		err(V, "'%s' takes %d operands, has %u", name, fg_opinfo[o->op].nargs, o->narg);
		return;
	}
	if ((o->op == FG_ALLOCA && o->narg > 1) || (o->op == FG_CALL && o->narg < 1)) {
		err(V, "'%s' has %u operands", name, o->narg);
		return;
	}
	for (k = 0; k < o->narg; k++)
		ok &= checkref(V, f->refs[o->arg + k], name);
	want = producesresult(o->op);
	if (o->type == TY_VOID) {
		if (want == 1)
			err(V, "'%s' needs a result", name);
		if (o->res != REF_NONE)
			err(V, "'%s': void operation with a result value", name);
	} else if (want == 0) {
		err(V, "'%s' has no result", name);
	} else if (REFKIND(o->res) != RK_VAL || REFIDX(o->res) >= fg_vlen(f->vals)) {
		err(V, "'%s': bad result value", name);
	} else {
		const FgVal *v = &f->vals[REFIDX(o->res)];
		if (v->kind != VK_OP || v->block != b || v->index != i)
			err(V, "'%s': result value does not point back to its operation", name);
		if (v->type != o->type)
			err(V, "'%s': result value has type %s, the operation %s", name,
			    tyname(v->type), tyname(o->type));
	}
	if (ok)
		checktypes(V, o);
}

static void checklink(Verifier *V, const FgLink *l, uint32_t k)
{
	const FgFunc *f = V->f;
	const FgBlock *t;
	uint32_t i, na;

	if (l->target >= fg_vlen(f->blocks)) {
		err(V, "exit target %u out of range", l->target);
		return;
	}
	if (l->arg + (uint64_t)l->narg > fg_vlen(f->refs)) {
		err(V, "link arguments out of range");
		return;
	}
	t = &f->blocks[l->target];
	na = fg_vlen(t->args);
	if (l->narg != na) {
		err(V, "link %u to @%s passes %u arguments, the block takes %u", k + 1,
		    V->n->block[l->target], l->narg, na);
		return;
	}
	for (i = 0; i < na; i++) {
		int want, have;
		if (!checkref(V, f->refs[l->arg + i], "link argument"))
			continue;
		want = fg_reftype(f, t->args[i]);
		have = fg_reftype(f, f->refs[l->arg + i]);
		if (want != have)
			err(V, "link to @%s: argument %u has type %s, the block takes %s",
			    V->n->block[l->target], i + 1, tyname(have), tyname(want));
	}
}

static void checkexit(Verifier *V, uint32_t b)
{
	const FgFunc *f = V->f;
	const FgExit *e = &f->blocks[b].exit;
	static const int nlinks[] = {0, 1, 2, -1, 0, 0};
	uint32_t i, j;

	V->loc = e->loc;
	if (e->kind == EX_NONE) {
		err(V, "block has no exit");
		return;
	}
	if (e->kind > EX_UNREACHABLE) {
		err(V, "bad exit kind %u", e->kind);
		return;
	}
	if (e->link + (uint64_t)e->nlink > fg_vlen(f->links)) {
		err(V, "exit links out of range");
		return;
	}
	if (nlinks[e->kind] >= 0 && e->nlink != (uint32_t)nlinks[e->kind])
		err(V, "'%s' has %u targets, expected %d", fg_exitname(e->kind), e->nlink,
		    nlinks[e->kind]);
	if (e->kind == EX_SWITCH && e->nlink < 1)
		err(V, "'switch' has no default target");
	for (i = 0; i < e->nlink; i++)
		checklink(V, &f->links[e->link + i], i);
	if (e->kind == EX_BRANCH && checkref(V, e->cond, "br condition") &&
	    fg_reftype(f, e->cond) != TY_I1)
		err(V, "'br' condition has type %s, expected i1", tyname(fg_reftype(f, e->cond)));
	if (e->kind == EX_SWITCH && checkref(V, e->cond, "switch value")) {
		int t = fg_reftype(f, e->cond);
		if (!isint(t))
			err(V, "'switch' value has type %s, expected an integer", tyname(t));
		for (i = 1; i < e->nlink; i++) {
			int64_t v = f->links[e->link + i].value;
			if (isint(t) && fg_normalize(t, v) != v)
				err(V, "switch case %" PRId64 " does not fit in %s", v, tyname(t));
			for (j = 1; j < i; j++)
				if (f->links[e->link + j].value == v) {
					err(V, "duplicate switch case %" PRId64, v);
					break;
				}
		}
	}
	if (e->kind == EX_RETURN) {
		if (f->ret == TY_VOID && e->cond != REF_NONE)
			err(V, "'ret' with a value in a void function");
		else if (f->ret != TY_VOID && e->cond == REF_NONE)
			err(V, "'ret' without a value, the function returns %s", tyname(f->ret));
		else if (e->cond != REF_NONE && checkref(V, e->cond, "returned value") &&
			 fg_reftype(f, e->cond) != f->ret)
			err(V, "'ret' of %s, the function returns %s",
			    tyname(fg_reftype(f, e->cond)), tyname(f->ret));
	}
}

/* ---- dominance ------------------------------------------------------ */

/* Reverse post-order numbers and immediate dominators (CHK).  Requires
 * the exits' links to be in range (checked before). */
static void dominators(Verifier *V)
{
	const FgFunc *f = V->f;
	uint32_t nb = fg_vlen(f->blocks), i, k, n = 0, sp = 0;
	uint32_t *order = fg_alloc((nb + 1) * sizeof *order);
	uint32_t *stack = fg_alloc((nb + 1) * sizeof *stack);
	uint32_t *next = fg_alloc((nb + 1) * sizeof *next);
	uint32_t *pstart = fg_alloc((nb + 2) * sizeof *pstart);
	uint32_t *preds;
	int changed = 1;

	/* predecessor lists, CSR: preds[pstart[b] .. pstart[b+1]) */
	for (i = 0; i < nb; i++)
		for (k = 0; k < f->blocks[i].exit.nlink; k++)
			pstart[f->links[f->blocks[i].exit.link + k].target + 2]++;
	for (i = 0; i < nb; i++)
		pstart[i + 2] += pstart[i + 1];
	preds = fg_alloc((pstart[nb + 1] + 1) * sizeof *preds);
	for (i = 0; i < nb; i++)
		for (k = 0; k < f->blocks[i].exit.nlink; k++)
			preds[pstart[f->links[f->blocks[i].exit.link + k].target + 1]++] = i;
	V->idom = fg_vnew(nb, sizeof(int32_t));
	V->rpo = fg_vnew(nb, sizeof(uint32_t));
	for (i = 0; i < nb; i++)
		V->idom[i] = -1, V->rpo[i] = UINT32_MAX;
	/* iterative DFS: next[b] is the next link to follow */
	stack[sp++] = 0;
	V->rpo[0] = 0;
	while (sp) {
		uint32_t b = stack[sp - 1];
		const FgExit *e = &f->blocks[b].exit;
		if (next[b] < e->nlink) {
			uint32_t t = f->links[e->link + next[b]++].target;
			if (V->rpo[t] == UINT32_MAX) {
				V->rpo[t] = 0;
				stack[sp++] = t;
			}
		} else {
			order[n++] = b;
			sp--;
		}
	}
	for (i = 0; i < n; i++)
		V->rpo[order[i]] = n - 1 - i;
	V->idom[0] = 0;
	while (changed) {
		changed = 0;
		for (i = n; i-- > 0;) {
			uint32_t b = order[i];
			int32_t nd = -1;
			if (b == 0)
				continue;
			for (k = pstart[b]; k < pstart[b + 1]; k++) {
				uint32_t x, y = preds[k];
				if (V->idom[y] < 0)
					continue;
				if (nd < 0) {
					nd = y;
					continue;
				}
				x = nd;
				while (x != y) {
					while (V->rpo[x] > V->rpo[y])
						x = V->idom[x];
					while (V->rpo[y] > V->rpo[x])
						y = V->idom[y];
				}
				nd = x;
			}
			if (nd != V->idom[b]) {
				V->idom[b] = nd;
				changed = 1;
			}
		}
	}
	fg_free(order);
	fg_free(stack);
	fg_free(next);
	fg_free(pstart);
	fg_free(preds);
}

static int dominates(Verifier *V, uint32_t a, uint32_t b)
{
	while (b != a && b != 0)
		b = V->idom[b];
	return b == a;
}

/* A use of r in block b, before operation `pos` (UINT32_MAX: at the exit). */
static void checkuse(Verifier *V, Ref r, uint32_t b, uint32_t pos)
{
	const FgFunc *f = V->f;
	const FgVal *v;

	if (REFKIND(r) != RK_VAL || REFIDX(r) >= fg_vlen(f->vals))
		return;
	v = &f->vals[REFIDX(r)];
	if (v->block >= fg_vlen(f->blocks))
		return; /* reported with the value table */
	if (v->block == b) {
		if (v->kind == VK_OP && v->index >= pos)
			err(V, "%%%s is used before its definition", V->n->val[REFIDX(r)]);
		return;
	}
	if (V->idom[v->block] < 0 || !dominates(V, v->block, b))
		err(V, "%%%s (defined in @%s) does not dominate its use", V->n->val[REFIDX(r)],
		    V->n->block[v->block]);
}

static void checkdominance(Verifier *V)
{
	const FgFunc *f = V->f;
	uint32_t b, i, k;

	dominators(V);
	for (b = 0; b < fg_vlen(f->blocks); b++) {
		const FgBlock *bl = &f->blocks[b];
		const FgExit *e = &bl->exit;
		if (V->idom[b] < 0)
			continue;
		V->block = b;
		for (i = 0; i < fg_vlen(bl->ops); i++) {
			const FgOp *o = &bl->ops[i];
			V->loc = o->loc;
			for (k = 0; k < o->narg; k++)
				checkuse(V, f->refs[o->arg + k], b, i);
		}
		V->loc = e->loc;
		if (e->kind == EX_BRANCH || e->kind == EX_SWITCH || e->kind == EX_RETURN)
			checkuse(V, e->cond, b, UINT32_MAX);
		for (i = 0; i < e->nlink; i++) {
			const FgLink *l = &f->links[e->link + i];
			for (k = 0; k < l->narg; k++)
				checkuse(V, f->refs[l->arg + k], b, UINT32_MAX);
		}
	}
	fg_vfree(V->idom);
	fg_vfree(V->rpo);
	V->idom = NULL;
	V->rpo = NULL;
}

/* ---- functions and globals ------------------------------------------ */

/* Each value is where it says it is defined; block arguments are values. */
static void checkvals(Verifier *V)
{
	const FgFunc *f = V->f;
	uint32_t i, b;

	for (b = 0; b < fg_vlen(f->blocks); b++) {
		const FgBlock *bl = &f->blocks[b];
		V->block = b;
		for (i = 0; i < fg_vlen(bl->args); i++) {
			Ref r = bl->args[i];
			const FgVal *v;
			if (REFKIND(r) != RK_VAL || REFIDX(r) >= fg_vlen(f->vals)) {
				err(V, "argument %u is not a value", i + 1);
				continue;
			}
			v = &f->vals[REFIDX(r)];
			if (v->kind != VK_ARG || v->block != b || v->index != i)
				err(V, "argument %%%s does not point back to its block",
				    V->n->val[REFIDX(r)]);
			if (!isvaluetype(v->type))
				err(V, "argument %%%s has type %s", V->n->val[REFIDX(r)],
				    tyname(v->type));
		}
	}
	V->block = UINT32_MAX;
	for (i = 0; i < fg_vlen(f->vals); i++) {
		const FgVal *v = &f->vals[i];
		int ok = v->block < fg_vlen(f->blocks);
		if (ok && v->kind == VK_ARG)
			ok = v->index < fg_vlen(f->blocks[v->block].args) &&
			     f->blocks[v->block].args[v->index] == MKREF(RK_VAL, i);
		else if (ok && v->kind == VK_OP)
			ok = v->index < fg_vlen(f->blocks[v->block].ops) &&
			     f->blocks[v->block].ops[v->index].res == MKREF(RK_VAL, i);
		else
			ok = 0;
		if (!ok)
			err(V, "value %%%s is defined nowhere", V->n->val[i]);
	}
	for (i = 0; i < fg_vlen(f->cons); i++) {
		const FgConst *c = &f->cons[i];
		if ((c->kind == CK_GLOBAL && c->sym >= fg_vlen(V->m->globals)) ||
		    (c->kind == CK_FUNC && c->sym >= fg_vlen(V->m->funcs)))
			err(V, "constant %u names symbol %u, out of range", i, c->sym);
		else if (c->kind > CK_UNDEF || !isvaluetype(c->type) ||
			 ((c->kind == CK_GLOBAL || c->kind == CK_FUNC) && c->type != TY_PTR))
			err(V, "constant %u has a bad kind or type", i);
	}
}

static void checkfunc(Verifier *V, const FgFunc *f)
{
	uint32_t b, i, nb = fg_vlen(f->blocks), np = fg_vlen(f->params);
	int before;

	V->f = f;
	V->block = UINT32_MAX;
	V->loc = f->loc;
	if (f->ret >= TY_N)
		err(V, "bad return type");
	for (i = 0; i < np; i++)
		if (!isvaluetype(f->params[i]))
			err(V, "parameter %u has type %s", i + 1, tyname(f->params[i]));
	if (!(f->flags & FN_DEFINED))
		return;
	if (!nb) {
		err(V, "defined function without blocks");
		return;
	}
	fg_namefunc(V->n, f);
	if (fg_vlen(f->blocks[0].args) != np)
		err(V, "the entry block takes %zu arguments, the function %u parameters",
		    fg_vlen(f->blocks[0].args), np);
	else
		for (i = 0; i < np; i++)
			if (fg_reftype(f, f->blocks[0].args[i]) != f->params[i])
				err(V, "entry argument %u has type %s, parameter %u is %s", i + 1,
				    tyname(fg_reftype(f, f->blocks[0].args[i])), i + 1,
				    tyname(f->params[i]));
	before = V->nerr;
	checkvals(V);
	for (b = 0; b < nb; b++) {
		V->block = b;
		for (i = 0; i < fg_vlen(f->blocks[b].ops); i++)
			checkop(V, b, i);
		checkexit(V, b);
	}
	/* dominance needs sound links and values */
	if (V->nerr == before)
		checkdominance(V);
	V->block = UINT32_MAX;
}

static void checkglobal(Verifier *V, const FgGlobal *g)
{
	uint32_t i;

	V->f = NULL;
	V->loc = g->loc;
	if (g->align == 0 || (g->align & (g->align - 1)))
		err(V, "global @%s: alignment %u is not a power of two", g->name, g->align);
	if ((g->flags & GL_DEFINED) && fg_vlen(g->init) != g->size)
		err(V, "global @%s: contents have %zu bytes, size is %" PRIu64, g->name,
		    fg_vlen(g->init), g->size);
	for (i = 0; i < fg_vlen(g->relocs); i++) {
		const FgReloc *r = &g->relocs[i];
		if (r->off > g->size || g->size - r->off < 8)
			err(V, "global @%s: relocation at %" PRIu64 " beyond its size", g->name,
			    r->off);
		if (r->kind == CK_GLOBAL ? r->sym >= fg_vlen(V->m->globals)
		    : r->kind == CK_FUNC ? r->sym >= fg_vlen(V->m->funcs)
					 : 1)
			err(V, "global @%s: relocation %u names a bad symbol", g->name, i + 1);
	}
}

int fg_verify(const FgModule *m)
{
	Verifier V = {0};
	FgNames n = {0};
	size_t i;

	V.m = m;
	V.n = &n;
	V.block = UINT32_MAX;
	fg_namesyms(&n, m);
	for (i = 0; i < fg_vlen(m->globals); i++)
		checkglobal(&V, &m->globals[i]);
	for (i = 0; i < fg_vlen(m->funcs); i++)
		checkfunc(&V, &m->funcs[i]);
	fg_freenames(&n);
	return V.nerr;
}
