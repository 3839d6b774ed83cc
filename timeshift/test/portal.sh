#!/bin/sh
# portal.sh: the portal (timeshift/rt/portal.c, docs/timeshift.md §5-§6).
#   direct   guest calls of the portal with constant greens are direct calls
#            of the callee's code: TL fib's residual IR calls the JIT entry
#            0 times (TS_DIRECT=0: every guest CALL does), and results agree
#            with the plain interpreter as x86, through the residual-IR
#            interpreter, in leave mode and with eager splits
#   threshold TS_THRESHOLD=N: keys entered fewer than N times run plain
#   evict    TS_MAXCODE=4096: every program of every interpreter agrees
#            with the plain build; calls.tl (five guest functions) evicts
#            and recompiles keys under half the code it needs (and, run
#            300000 times, settles after a few dozen evictions), and
#            evicts none under the default bound
#   log      TS_LOG=units,summary line formats, and the summary's totals
#            are the sums of the unit lines
# PORTAL_BIN=DIR takes the interpreters and JIT VMs from DIR (default bin).
mkdir -p build/timeshift/test
T=$(mktemp -d build/timeshift/test/portal.XXXXXX)
trap 'rm -rf "$T"' EXIT
I=interpreters
BF=${BF_PROGRAMS:-../shared/bench/bf}
for vm in tl tlc tlr bf; do
	cp ${PORTAL_BIN:-bin}/$vm ${PORTAL_BIN:-bin}/$vm-jit $T/ 2>/dev/null
done

# agree NAME ENV VM ARGS...: $T/VM and $T/VM-jit under ENV agree (stdout,
# stderr, status); stdin from $T_IN.  Silent on success (returns 0).
agree() {
	name=$1 envs=$2 vm=$3
	shift 3
	timeout 60 $T/$vm "$@" <"${T_IN:-/dev/null}" >$T/w.out 2>$T/w.err
	echo $? >>$T/w.out
	env $envs timeout 60 $T/$vm-jit "$@" <"${T_IN:-/dev/null}" >$T/g.out 2>$T/g.err
	echo $? >>$T/g.out
	grep -v '^ts: ' $T/g.err >$T/g.err2
	if cmp -s $T/w.out $T/g.out && cmp -s $T/w.err $T/g.err2; then
		return 0
	fi
	echo "FAIL $name"
	echo "    $envs $vm-jit $* differs from $vm"
	diff $T/w.out $T/g.out | head -4 | sed 's/^/    out: /'
	diff $T/w.err $T/g.err2 | head -4 | sed 's/^/    err: /'
	return 1
}

# summary FIELD FILE: the number before FIELD in the summary line of FILE
summary() {
	grep '^ts: summary:' "$2" | grep -o "[0-9]* $1" | head -1 | cut -d' ' -f1
}

# ---- direct guest calls ------------------------------------------------------
# entrycalls FILE: residual calls of TL's JIT entry (five arguments, the
# greens code, len and pc constant); direct: calls through a value
entrycalls() {
	grep -c 'call 0x[0-9a-f]*(0x[0-9a-f]*, -*[0-9]*, -*[0-9]*, ' "$1"
}
direct() {
	grep -c '= call %[0-9]*(' "$1"
}
TS_LOG=ir $T/tl-jit $I/tl/programs/fib.tl 10 >$T/fib.out 2>$T/fib.ir
TS_DIRECT=0 TS_LOG=ir $T/tl-jit $I/tl/programs/fib.tl 10 >$T/fib0.out 2>$T/fib0.ir
e1=$(entrycalls $T/fib.ir) d1=$(direct $T/fib.ir)
e0=$(entrycalls $T/fib0.ir) d0=$(direct $T/fib0.ir)
if [ "$(cat $T/fib.out)" = 55 ] && [ "$e1" -eq 0 ] && [ "$d1" -eq 3 ] && [ "$e0" -eq 3 ] && [ "$d0" -eq 0 ]; then
	echo "PASS direct: tl fib compiles its 3 guest CALLs to direct calls"
else
	echo "FAIL direct: tl fib compiles its 3 guest CALLs to direct calls"
	echo "    result $(cat $T/fib.out) (want 55); entry calls $e1 (want 0), direct $d1 (want 3);"
	echo "    with TS_DIRECT=0: entry calls $e0 (want 3), direct $d0 (want 0)"
fi

for mode in TS_JIT=on TS_INTERP=1 TS_LEAVE=1 TS_EAGER=1 TS_DIRECT=0 "TS_LEAVE=1 TS_INTERP=1"; do
	ok=1
	for n in 0 1 2 3 7 12 18; do
		agree "direct fib $n ($mode)" "$mode" tl $I/tl/programs/fib.tl $n || ok=0
	done
	for n in 0 5 20; do
		agree "direct factorial $n ($mode)" "$mode" tl $I/tl/programs/factorial.tl $n || ok=0
	done
	agree "direct calls.tl 40 ($mode)" "$mode" tl timeshift/test/portal/calls.tl 40 || ok=0
	for p in "counter.tlc 100" "poly.tlc 30" "lists.tlc 5" "nth.tlc 2" "factorial.tlc 12"; do
		agree "direct tlc $p ($mode)" "$mode" tlc $I/tlc/programs/$p || ok=0
	done
	[ $ok = 1 ] && echo "PASS direct: tl and tlc programs agree with plain ($mode)"
done

# ---- threshold ---------------------------------------------------------------
# fib 15: the main key is entered once, the fib key 1973 times
for t in "100000 0 0" "1973 0 0" "1972 1 1" "1 1 1" "0 2 2"; do
	set -- $t
	TS_THRESHOLD=$1 TS_LOG=summary $T/tl-jit $I/tl/programs/fib.tl 15 >$T/th.out 2>$T/th.err
	roots=$(summary roots $T/th.err)
	if [ "$(cat $T/th.out)" = 610 ] && [ "$roots" = "$2" ]; then
		echo "PASS threshold $1: fib 15 compiles $2 keys"
	else
		echo "FAIL threshold $1: fib 15 compiles $2 keys"
		echo "    result $(cat $T/th.out) (want 610), roots compiled: '$roots'"
		sed 's/^/    /' $T/th.err | head -3
	fi
done

# ---- eviction under a tiny code budget ----------------------------------------
ev=0
ok=1
run() { # run NAME VM ARGS...: agree under the budget, add the evictions
	name=$1
	shift
	agree "evict $name" "TS_MAXCODE=4096 TS_LOG=summary" "$@" || ok=0
	n=$(summary evictions $T/g.err)
	ev=$((ev + ${n:-0}))
}
for n in 0 9 1000; do run "tlr square $n" tlr $I/tlr/programs/square.tlr $n; done
run "tlr tri 100" tlr $I/tlr/programs/tri.tlr 100
for n in 0 7 20; do run "tl factorial $n" tl $I/tl/programs/factorial.tl $n; done
for n in 0 2 20; do run "tl fib $n" tl $I/tl/programs/fib.tl $n; done
for n in 0 9; do run "tl roll $n" tl $I/tl/programs/roll.tl $n; done
for n in 3 98 1000; do run "tl stackops $n" tl $I/tl/programs/stackops.tl $n; done
for n in 0 20; do run "tlc factorial $n" tlc $I/tlc/programs/factorial.tlc $n; done
for n in 0 3 -2; do run "tlc nth $n" tlc $I/tlc/programs/nth.tlc $n; done
for n in 0 5; do run "tlc lists $n" tlc $I/tlc/programs/lists.tlc $n; done
for n in 10 1000; do run "tlc counter $n" tlc $I/tlc/programs/counter.tlc $n; done
for n in 3 100; do run "tlc poly $n" tlc $I/tlc/programs/poly.tlc $n; done
for p in hello wrap loops; do run "bf $p" bf $I/bf/programs/$p.b; done
T_IN=$I/bf/test/cat.in run "bf cat" bf $I/bf/programs/cat.b
if [ -f $BF/factor.b ]; then
	T_IN=$I/bf/test/factor-999983.in run "bf factor" bf $BF/factor.b
fi
if [ $ok = 1 ]; then
	echo "PASS evict: every program agrees under TS_MAXCODE=4096 ($ev evictions)"
else
	echo "FAIL evict: every program agrees under TS_MAXCODE=4096 ($ev evictions)"
fi
# calls.tl: five guest functions called in turn; under a budget of half
# the code they need (the peak of a run under the default bound, which
# evicts nothing) keys evict each other and are compiled again
C=timeshift/test/portal/calls.tl
ok=1
agree "evict calls.tl (default bound)" "TS_LOG=summary" tl $C 300 || ok=0
big=$(summary evictions $T/g.err)
half=$(( $(summary "bytes peak" $T/g.err) / 2 ))
agree "evict calls.tl" "TS_MAXCODE=$half TS_LOG=summary" tl $C 300 || ok=0
small=$(summary evictions $T/g.err)
agree "evict calls.tl (leave mode)" "TS_MAXCODE=$half TS_LEAVE=1" tl $C 300 || ok=0
if [ $ok = 1 ] && [ "${small:-0}" -gt 0 ] && [ "$big" = 0 ]; then
	echo "PASS evict: calls.tl agrees with $small evictions under $half bytes, $big by default"
else
	echo "FAIL evict: calls.tl agrees with evictions under half its code ($half bytes), none by default"
	echo "    evictions: '$small' under TS_MAXCODE=$half, '$big' by default"
fi

# the backoff: 300000 iterations under the same budget evict a few dozen
# times, not on every entry (about 1.5 million times without it)
agree "evict calls.tl backoff" "TS_MAXCODE=$half TS_LOG=summary" tl $C 300000 || ok=0
many=$(summary evictions $T/g.err)
if [ $ok = 1 ] && [ "${many:-0}" -gt 0 ] && [ "${many:-0}" -lt 300 ]; then
	echo "PASS evict: calls.tl 300000 under $half bytes settles after $many evictions"
else
	echo "FAIL evict: calls.tl 300000 under $half bytes settles after $many evictions (want 1..299)"
fi

# ---- TS_LOG formats and totals ------------------------------------------------
TS_LOG=units,summary $T/tlc-jit $I/tlc/programs/poly.tlc 50 >/dev/null 2>$T/log
unit='^ts: (unit|bridge|bridge \(leave\)) tlc_interp: [0-9]+ ops \([a-z0-9= ]*\), [0-9.]+ ms, [0-9]+ guards \([0-9]+ stubs, [0-9]+ flexswitches\), [0-9]+ bytecodes \([0-9]+ new\), [0-9.]+ ops/bytecode, [0-9.]+ guards/bytecode, [0-9]+ bytes$'
sum='^ts: summary: [0-9]+ units \([0-9]+ roots, [0-9]+ bridges, [0-9]+ failed\), [0-9]+ bytes, [0-9.]+ ms, [0-9]+ ops, [0-9]+ guards, [0-9]+ bytecodes \([0-9]+ keys\), [0-9.]+ ops/bytecode, [0-9.]+ guards/bytecode, [0-9]+ direct calls, [0-9]+ evictions, [0-9]+ bytes peak$'
bad=$(grep '^ts: ' $T/log | grep -Ev '^ts: (summary|evict|.*failed)' | grep -Evc "$unit")
nsum=$(grep -Ec "$sum" $T/log)
got=$(grep -E "$unit" $T/log | sed 's/ (leave)//' | awk '
	{ n++; ops += $4; for (i = 1; i <= NF; i++) {
		if ($i == "guards") { g += $(i-1); s = $(i+1); sub(/\(/, "", s); f = $(i+3); if ($(i-1) != s + f) badg++ }
		if ($i ~ /^bytecodes/) bc += $(i-1)
		if ($i == "bytes" && i == NF) by += $(i-1) } }
	END { printf "%d units, %d ops, %d guards, %d bytecodes, %d bytes, %d", n, ops, g, bc, by, badg }')
want="$(summary units $T/log) units, $(summary ops $T/log) ops, $(summary guards $T/log) guards, $(summary bytecodes $T/log) bytecodes, $(summary bytes, $T/log) bytes, 0"
if [ "$bad" = 0 ] && [ "$nsum" = 1 ] && [ "$got" = "$want" ] && [ "$(summary units $T/log)" -gt 1 ]; then
	echo "PASS log: unit lines and the summary agree ($got)"
else
	echo "FAIL log: unit lines and the summary agree"
	echo "    malformed unit lines: $bad, summary lines: $nsum"
	echo "    sums of the unit lines: $got"
	echo "    summary:                $want"
	grep '^ts: ' $T/log | head -3 | sed 's/^/    /'
fi
