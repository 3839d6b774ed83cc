/* ops.h: the operations of the flow-graph IR, defined once.
 *
 * Each row is OP(NAME, "text", nargs, props): the enum FG_NAME, the name
 * used by the text format and the dumps, the number of operands (-1 for
 * variadic), and the property columns that passes read instead of testing
 * op names:
 *
 *   P_PURE   no side effect, result depends on the operands only
 *   P_FOLD   can be computed at compile time when all operands are constant
 *            (division folds only with a non-zero divisor)
 *   P_COMM   commutative
 *   P_CMP    comparison; the result is i1
 *   P_CAST   conversion of its single operand to the op's type
 *   P_LOAD   reads memory
 *   P_STORE  writes memory
 *   P_CALL   may call arbitrary code
 *   P_HINT   a hint of hints.h; an identity or a no-op at run time
 *
 * Operand conventions (the verifier checks them):
 *   binary ops    a, b of the op's type (shift amounts too)
 *   *O overflow   a, b of one integer type; i1 result: the op overflowed
 *   compares      a, b of one type; FCMP keeps the LLVM predicate in imm
 *   ALLOCA        no operand, or a run-time element count; imm = size in
 *                 bytes (per element), aux = alignment
 *   LOAD p        the op's type is the loaded type
 *   STORE p, v
 *   PTRADD p, n   p + n bytes, n is i64
 *   MEM* d, s, n  memcpy/memmove(d, s, n), memset(d, s:i8, n); n is i64
 *   CALL f, a...  f is a function constant (direct) or a value (indirect);
 *                 imm = number of fixed parameters for a varargs callee,
 *                 -1 otherwise
 *   HGREEN x, HPROMOTE x, HDEEPFREEZE p   return their operand
 *   HVIRTUALIZABLE f, MERGEPOINT g...     no result
 */
OP(ADD,      "add",      2, P_PURE | P_FOLD | P_COMM)
OP(SUB,      "sub",      2, P_PURE | P_FOLD)
OP(MUL,      "mul",      2, P_PURE | P_FOLD | P_COMM)
OP(SDIV,     "sdiv",     2, P_FOLD)
OP(UDIV,     "udiv",     2, P_FOLD)
OP(SREM,     "srem",     2, P_FOLD)
OP(UREM,     "urem",     2, P_FOLD)
OP(AND,      "and",      2, P_PURE | P_FOLD | P_COMM)
OP(OR,       "or",       2, P_PURE | P_FOLD | P_COMM)
OP(XOR,      "xor",      2, P_PURE | P_FOLD | P_COMM)
OP(SHL,      "shl",      2, P_PURE | P_FOLD)
OP(LSHR,     "lshr",     2, P_PURE | P_FOLD)
OP(ASHR,     "ashr",     2, P_PURE | P_FOLD)
OP(SADDO,    "saddo",    2, P_PURE | P_FOLD | P_COMM)
OP(UADDO,    "uaddo",    2, P_PURE | P_FOLD | P_COMM)
OP(SSUBO,    "ssubo",    2, P_PURE | P_FOLD)
OP(USUBO,    "usubo",    2, P_PURE | P_FOLD)
OP(SMULO,    "smulo",    2, P_PURE | P_FOLD | P_COMM)
OP(UMULO,    "umulo",    2, P_PURE | P_FOLD | P_COMM)
OP(EQ,       "eq",       2, P_PURE | P_FOLD | P_COMM | P_CMP)
OP(NE,       "ne",       2, P_PURE | P_FOLD | P_COMM | P_CMP)
OP(SLT,      "slt",      2, P_PURE | P_FOLD | P_CMP)
OP(SLE,      "sle",      2, P_PURE | P_FOLD | P_CMP)
OP(SGT,      "sgt",      2, P_PURE | P_FOLD | P_CMP)
OP(SGE,      "sge",      2, P_PURE | P_FOLD | P_CMP)
OP(ULT,      "ult",      2, P_PURE | P_FOLD | P_CMP)
OP(ULE,      "ule",      2, P_PURE | P_FOLD | P_CMP)
OP(UGT,      "ugt",      2, P_PURE | P_FOLD | P_CMP)
OP(UGE,      "uge",      2, P_PURE | P_FOLD | P_CMP)
OP(FADD,     "fadd",     2, P_PURE | P_FOLD | P_COMM)
OP(FSUB,     "fsub",     2, P_PURE | P_FOLD)
OP(FMUL,     "fmul",     2, P_PURE | P_FOLD | P_COMM)
OP(FDIV,     "fdiv",     2, P_PURE | P_FOLD)
OP(FREM,     "frem",     2, P_PURE | P_FOLD)
OP(FNEG,     "fneg",     1, P_PURE | P_FOLD)
OP(FCMP,     "fcmp",     2, P_PURE | P_FOLD | P_CMP)
OP(ZEXT,     "zext",     1, P_PURE | P_FOLD | P_CAST)
OP(SEXT,     "sext",     1, P_PURE | P_FOLD | P_CAST)
OP(TRUNC,    "trunc",    1, P_PURE | P_FOLD | P_CAST)
OP(FPTOSI,   "fptosi",   1, P_PURE | P_FOLD | P_CAST)
OP(FPTOUI,   "fptoui",   1, P_PURE | P_FOLD | P_CAST)
OP(SITOFP,   "sitofp",   1, P_PURE | P_FOLD | P_CAST)
OP(UITOFP,   "uitofp",   1, P_PURE | P_FOLD | P_CAST)
OP(FPEXT,    "fpext",    1, P_PURE | P_FOLD | P_CAST)
OP(FPTRUNC,  "fptrunc",  1, P_PURE | P_FOLD | P_CAST)
OP(PTRTOINT, "ptrtoint", 1, P_PURE | P_FOLD | P_CAST)
OP(INTTOPTR, "inttoptr", 1, P_PURE | P_FOLD | P_CAST)
OP(BITCAST,  "bitcast",  1, P_PURE | P_FOLD | P_CAST)
OP(SELECT,   "select",   3, P_PURE | P_FOLD)
OP(COPY,     "copy",     1, P_PURE | P_FOLD)
OP(PTRADD,   "ptradd",   2, P_PURE | P_FOLD)
OP(ALLOCA,   "alloca",  -1, 0)
OP(LOAD,     "load",     1, P_LOAD)
OP(STORE,    "store",    2, P_STORE)
OP(MEMCPY,   "memcpy",   3, P_LOAD | P_STORE)
OP(MEMMOVE,  "memmove",  3, P_LOAD | P_STORE)
OP(MEMSET,   "memset",   3, P_STORE)
OP(CALL,     "call",    -1, P_LOAD | P_STORE | P_CALL)
OP(HGREEN,   "hint_green",         1, P_HINT)
OP(HPROMOTE, "hint_promote",       1, P_HINT)
OP(HDEEPFREEZE, "hint_deepfreeze", 1, P_HINT)
OP(HVIRTUALIZABLE, "hint_virtualizable", 1, P_HINT)
OP(MERGEPOINT, "merge_point",     -1, P_HINT)
