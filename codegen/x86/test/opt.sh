#!/bin/sh
# opt.sh: the residual-IR clean-up pass and the selection rules that use it
# (codegen/x86/opt.c, isel.c): each case against the interpreter, its IR
# after the pass and its rewrite counts (test/opt.c); then the same cases
# with the pass off (X86_OPT=0 path); then the differential fuzzer on
# programs rich in the patterns the pass rewrites.
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/test/opt build/codegen/x86/test/fuzz >/dev/null ||
	{ echo "FAIL opt-build"; exit 1; }
build/codegen/x86/test/opt
build/codegen/x86/test/opt -0
# fuzz NAME MODE N: the fuzzer with X86_OPT=MODE (15 all; 13 the IR rewrites,
# guard chains and sinking; 2 the selection rules only)
fuzz() {
	out=$(X86_OPT=$2 build/codegen/x86/test/fuzz -n "$3" -q -s 500000 2>&1 | tail -1)
	case "$out" in
	*" 0 mismatches") echo "PASS $1 ($out)" ;;
	*) echo "FAIL $1"; echo "  $out" ;;
	esac
}
fuzz opt-fuzz 15 3000
fuzz opt-fuzz-pass 13 1000
fuzz opt-fuzz-isel 2 1000
