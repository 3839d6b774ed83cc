#!/bin/sh
# fuzz.sh: random differential testing of the x86 backend against the
# residual-IR interpreter (codegen/x86/test/fuzz.c): a few thousand seeded
# programs, then programs with a random third of their items skipped (the
# minimiser's programs must stay valid).  A mismatch prints its seed and a
# minimised program.
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/test/fuzz >/dev/null || { echo "FAIL fuzz-build"; exit 1; }
N=${X86_FUZZ_N:-3000}
run() {
	name=$1
	shift
	out=$(build/codegen/x86/test/fuzz "$@" 2>&1)
	rc=$?
	last=$(echo "$out" | tail -n 1)
	if [ $rc -eq 0 ] && echo "$last" | grep -q ", 0 mismatches$"; then
		echo "PASS $name ($last)"
	else
		echo "FAIL $name ($last)"
		echo "$out" | head -n 300 | sed 's/^/  /'
	fi
}
run x86-fuzz -n "$N" -s 1
run x86-fuzz-skip -k -q -n $((N / 6)) -s 1000001
# Seeds that failed in long runs (make fuzz), kept as regression tests.
for s in 9001977; do
	run "x86-fuzz-seed-$s" -n 1 -s "$s"
done
