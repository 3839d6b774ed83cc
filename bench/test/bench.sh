#!/bin/sh
# bench.sh: the benchmark tools (docs/bench.md): bf2c's C translation gives
# bin/bf's answers; the runner checks outputs, writes the JSON result, gives
# 'n/a' for a missing JIT VM, and plot.py draws the SVGs and the dashboard.
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
export BENCH_OUT="$tmp/out"
trap 'rm -rf "$tmp"' EXIT
BF=${BF_PROGRAMS:-../shared/bench/bf}
pass() { echo "PASS bench-$1"; }
fail() {
	echo "FAIL bench-$1"
	shift
	for l in "$@"; do echo "    $l"; done
}

mkdir -p build/bench
if ! gcc -O2 -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Werror \
	-o "$tmp/bf2c" bench/bf2c.c 2>"$tmp/cc.err"; then
	fail bf2c-build "$(head -3 "$tmp/cc.err")"
	exit 1
fi

# bf2c PROG INPUT: the translation's output equals bin/bf's
for t in "factor 9876543" "factor 360" "hello -"; do
	set -- $t
	if [ "$1" = hello ]; then
		# Hello World with a nested loop and moves both ways
		printf '++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.' >"$tmp/hello.b"
		prog=$tmp/hello.b
	else
		prog=$BF/$1.b
	fi
	if ! "$tmp/bf2c" "$prog" >"$tmp/$1.c" || ! gcc -O2 -w -o "$tmp/$1" "$tmp/$1.c"; then
		fail "bf2c-$1-$2" "translation or compilation failed"
		continue
	fi
	echo "$2" | "$tmp/$1" >"$tmp/c.out" 2>&1
	echo "$2" | bin/bf "$prog" >"$tmp/bf.out" 2>&1
	if cmp -s "$tmp/c.out" "$tmp/bf.out" && [ -s "$tmp/c.out" ]; then
		pass "bf2c-$1-$2"
	else
		fail "bf2c-$1-$2" "C: $(head -c 60 "$tmp/c.out")" "bf: $(head -c 60 "$tmp/bf.out")"
	fi
done
printf '+[>+' >"$tmp/bad.b"
if "$tmp/bf2c" "$tmp/bad.b" >/dev/null 2>"$tmp/err" || ! grep -q "unbalanced" "$tmp/err"; then
	fail bf2c-unbalanced "no error for an unbalanced program"
else
	pass bf2c-unbalanced
fi
printf '>' >"$tmp/off.b"; printf '<' >"$tmp/left.b"
"$tmp/bf2c" "$tmp/left.b" >"$tmp/left.c" && gcc -O2 -w -o "$tmp/left" "$tmp/left.c"
if "$tmp/left" 2>/dev/null; then
	fail bf2c-tape "moving off the left end did not fail"
else
	pass bf2c-tape
fi

# the runner with a bin folder that has the plain tl but no tl-jit
mkdir -p "$tmp/bin"
ln -s "$(pwd)/bin/tl" "$tmp/bin/tl"
if BENCH_BIN=$tmp/bin python3 bench/run.py --quick --reps 2 --json "$tmp/r.json" tl/fib \
	>"$tmp/run.out" 2>"$tmp/run.err"; then
	if python3 - "$tmp/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rows = {x["variant"]: x for x in r["rows"]}
p, j = rows["plain"], rows["jit"]
assert r["machine"]["nproc"] >= 1 and r["machine"]["model"] is not None and r["commit"]
assert p["status"] == "ok" and p["runs"] == 2 and p["cpu_median_s"] > 0 and p["ratio"] == 1.0
assert j["status"] == "missing" and j["ratio"] is None and j["cpu_median_s"] is None
PY
	then
		pass runner-missing-jit
	else
		fail runner-missing-jit "$(cat "$tmp/run.out" | head -5)"
	fi
	if grep -q 'tl/fib.*jit.*n/a' "$tmp/run.out"; then pass runner-na; else fail runner-na "no n/a row"; fi
else
	fail runner-missing-jit "$(tail -3 "$tmp/run.err")"
fi

# a wrong answer is a failure, not a time
mkdir -p "$tmp/bad"
printf '#!/bin/sh\necho 42\n' >"$tmp/bad/tl"
chmod +x "$tmp/bad/tl"
if BENCH_BIN=$tmp/bad python3 bench/run.py --quick --reps 1 --no-plots --json "$tmp/b.json" tl/fib \
	>"$tmp/bad.out" 2>&1; then
	fail runner-check "a wrong output was timed"
elif grep -q 'FAILED: wrong output' "$tmp/bad.out"; then
	pass runner-check
else
	fail runner-check "$(head -3 "$tmp/bad.out")"
fi

# plots and dashboard from the runner's JSON
if [ -f "$tmp/r.json" ] && python3 bench/plot.py "$tmp/r.json" >/dev/null 2>"$tmp/plot.err" &&
   grep -q '<svg' $BENCH_OUT/speedup.svg && grep -q '<svg' $BENCH_OUT/times.svg &&
   grep -q '<svg' $BENCH_OUT/history.svg && grep -q 'tl/fib' $BENCH_OUT/times.svg &&
   grep -q "<td>tl/fib</td>" $BENCH_OUT/index.html && grep -q "src='speedup.svg'" $BENCH_OUT/index.html &&
   grep -q 'Recorded runs' $BENCH_OUT/index.html; then
	pass plots
else
	fail plots "$(head -3 "$tmp/plot.err")"
fi
