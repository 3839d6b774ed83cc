#!/bin/sh
# run.sh: the backend's compile-cost benchmark (called from tools/bench.sh).
# Two workloads (compile.c): operands drawn from the last 64 values (high
# register pressure, many spills) and from the last 4 (local dataflow).
# Prints CPU ns per emitted machine instruction and, under callgrind, host
# instructions per emitted instruction (compile phase only: the program
# brackets x86_compile with CALLGRIND_START/STOP_INSTRUMENTATION).
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/bench/compile >/dev/null || exit 1
for w in 64 4; do
	build/codegen/x86/bench/compile 200 5 $w | grep -v '^insns'
	command -v valgrind >/dev/null 2>&1 || continue
	out=$(mktemp)
	n=$(valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
		build/codegen/x86/bench/compile 50 1 $w 2>/dev/null | sed -n 's/^insns //p')
	ir=$(sed -n 's/^totals: *//p' "$out" | head -1)
	rm -f "$out"
	[ -n "$n" ] && [ -n "$ir" ] &&
		echo "x86 compile, operand window $w: $ir host instructions / $n emitted = $((ir / n)) per emitted instruction (callgrind)"
done
