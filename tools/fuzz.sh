#!/bin/sh
# fuzz.sh: run every random tester of the project with N programs each
# (`make fuzz FUZZ_N=...`) and end with "fuzz: N programs, M mismatches".
# Each fuzzer ends its output with its own "fuzz: N programs, M
# mismatches" line.  Add a fuzzer by adding a line "name|target|command"
# to the list below (the count is appended to the command).  A second
# argument picks fuzzers by name (`make fuzz FUZZ=x86`): the emitter's
# fuzzer runs ~4000 programs a second, the guest fuzzer (two processes
# and a compile per program) ~6, so FUZZ_N=100000 is 25 s for x86 and
# hours for guest.
cd "$(dirname "$0")/.." || exit 2
N=${1:-100000}
ONLY=$2
FUZZERS='x86|build/codegen/x86/test/fuzz|build/codegen/x86/test/fuzz -q -s 1 -n
guest|bin/tlc-jit|sh interpreters/test/guestfuzz.sh -n'
sum=$(mktemp)
echo "$FUZZERS" | while IFS='|' read -r name target cmd; do
	[ -n "$name" ] || continue
	case " $ONLY " in "  "|*" $name "*) ;; *) continue ;; esac
	if ! make -s "$target" >/dev/null; then
		echo "$name: build failed"
		echo "0 1" >>"$sum"
		continue
	fi
	echo "== $name ($N programs)"
	out=$($cmd "$N" 2>&1)
	echo "$out" | grep -v '^fuzz:' | head -n 200
	line=$(echo "$out" | grep '^fuzz:' | tail -n 1)
	n=$(echo "$line" | sed -n 's/^fuzz: \([0-9]*\) programs, \([0-9]*\) mismatches$/\1/p')
	m=$(echo "$line" | sed -n 's/^fuzz: \([0-9]*\) programs, \([0-9]*\) mismatches$/\2/p')
	if [ -z "$n" ]; then
		echo "$name: no summary line (crashed?)"
		echo "0 1" >>"$sum"
	else
		echo "$name: $n programs, $m mismatches"
		echo "$n $m" >>"$sum"
	fi
done
total=$(awk '{n += $1} END {print n + 0}' "$sum")
bad=$(awk '{m += $2} END {print m + 0}' "$sum")
rm -f "$sum"
echo "fuzz: $total programs, $bad mismatches"
[ "$bad" -eq 0 ]
