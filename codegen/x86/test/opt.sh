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
