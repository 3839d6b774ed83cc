#!/bin/sh
# fuzz.sh: random differential testing of the x86 backend against the
# residual-IR interpreter (codegen/x86/test/fuzz.c), a few thousand seeded
# programs.  A mismatch prints its seed and a minimised program.
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/test/fuzz >/dev/null || { echo "FAIL fuzz-build"; exit 1; }
N=${X86_FUZZ_N:-3000}
out=$(build/codegen/x86/test/fuzz -n "$N" -s 1 2>&1)
rc=$?
last=$(echo "$out" | tail -n 1)
if [ $rc -eq 0 ] && echo "$last" | grep -q ", 0 mismatches$"; then
	echo "PASS x86-fuzz ($last)"
else
	echo "FAIL x86-fuzz ($last)"
	echo "$out" | head -n 300 | sed 's/^/  /'
fi
