#!/bin/sh
# tlc.sh: TLC end to end on its JIT VM (docs/timeshift.md §2: virtual
# malloc'd objects, inlined guest calls).
#
#  * every TLC program and error case gives the same stdout, stderr and
#    exit status under bin/tlc and bin/tlc-jit, as x86, through the
#    residual-IR interpreter (TS_INTERP=1), with every bridge leaving to
#    the interpreter (TS_LEAVE=1), with eager splits (TS_EAGER=1),
#    without guest-call inlining (TS_INLINE=0) and with megamorphic
#    promotion sites (TS_MAXCASES=1 and 0: generic bridges);
#  * the loops of factorial, counter and poly (found as cycles of the
#    residual code of every unit and bridge by tlc/loops.py) hold no call
#    at all: no malloc (the boxed integers stay virtual), no SEND (inlined
#    after class promotion), no indirect call; factorial's loop is one
#    multiply and one subtract;
#  * a program of objects and sends without a loop compiles with no
#    flexswitch (the classes of virtual objects are constants) and one
#    malloc (its result, returned).
T=$(mktemp -d build/timeshift/test/tlc.XXXXXX)
trap 'rm -rf "$T"' EXIT
D=interpreters/tlc
P=$D/programs
E=$D/test/err
L=timeshift/test/tlc
cp bin/tlc bin/tlc-jit $T/ || exit 1  # private copies (others relink bin/)

# same NAME ARGS...: plain and JIT agree in every mode
same() {
	name=$1
	shift
	timeout 20 $T/tlc "$@" > $T/want.out 2> $T/want.err
	echo "status $?" >> $T/want.out
	bad=
	for mode in TS_INTERP=0 TS_INTERP=1 TS_LEAVE=1 TS_EAGER=1 TS_INLINE=0 TS_MAXCASES=1 TS_MAXCASES=0; do
		env $mode timeout 20 $T/tlc-jit "$@" > $T/got.out 2> $T/got.err
		echo "status $?" >> $T/got.out
		if ! cmp -s $T/want.out $T/got.out || ! cmp -s $T/want.err $T/got.err; then
			bad="$bad
    $mode: $(diff $T/want.out $T/got.out | head -4 | tr '\n' ' ') $(diff $T/want.err $T/got.err | head -4 | tr '\n' ' ')"
		fi
	done
	if [ -z "$bad" ]; then
		echo "PASS tlc-jit $name"
	else
		echo "FAIL tlc-jit $name$bad"
	fi
}

for n in 0 1 5 20 100000; do same "factorial $n" $P/factorial.tlc $n; done
for n in 0 1 2 -1 -2 3; do same "nth $n" $P/nth.tlc $n; done
for n in 0 5 200; do same "lists $n" $P/lists.tlc $n; done
for n in 0 10 1000 100000; do same "counter $n" $P/counter.tlc $n; done
for n in 0 3 100 100000; do same "poly $n" $P/poly.tlc $n; done
same "virtual" $L/virtual.tlc 1
for n in 0 100 2000; do same "mega $n" $L/mega.tlc $n; done
for f in $E/*.tlc; do
	[ "$(basename $f)" = oom.tlc ] && continue  # the JIT allocates less
	same "error $(basename $f .tlc)" $f 1
done

# loop NAME PROGRAM N PATTERN...: the loops' line matches every pattern
loop() {
	name=$1 prog=$2 n=$3
	shift 3
	TS_LOG=ir $T/tlc-jit $prog $n > /dev/null 2> $T/ir
	line=$(python3 $L/loops.py < $T/ir)
	bad=
	for pat in "$@"; do
		echo " $line " | grep -q -- " $pat " || bad="$bad $pat"
	done
	echo " $line " | grep -q " loops=0 " && bad="$bad (no loop compiled)"
	if [ -z "$bad" ]; then
		echo "PASS tlc-jit loop $name: $line"
	else
		echo "FAIL tlc-jit loop $name: want$bad
    got $line"
	fi
}

loop "factorial: no malloc, one mul, one sub" $P/factorial.tlc 100 calls=0 icalls=0 mul=1 sub=1
loop "counter: no malloc, no send, no indirect call" $P/counter.tlc 100 calls=0 icalls=0
loop "poly: no malloc, no send, no indirect call" $P/poly.tlc 100 calls=0 icalls=0

# the straight program: 0 flexswitches, the returned result's malloc only
TS_LOG=units $T/tlc-jit $L/virtual.tlc 1 > $T/out 2> $T/log
flex=$(sed -n 's/.* \([0-9]*\) flexswitches).*/\1/p' $T/log | awk '{s += $1} END {print s + 0}')
calls=$(grep -o 'call=[0-9]*' $T/log | awk -F= '{s += $2} END {print s + 0}')
units=$(grep -c '^ts: \(unit\|bridge\)' $T/log)
# one call: the malloc (the depth checks' cold sides, calls of tlc_fail,
# are exit stubs, never taken)
if [ "$(cat $T/out)" = 84 ] && [ "$flex" = 0 ] && [ "$units" -ge 1 ] && [ "$calls" = 1 ]; then
	echo "PASS tlc-jit virtual objects: no flexswitch, one malloc"
else
	echo "FAIL tlc-jit virtual objects: result $(cat $T/out), $flex flexswitches (want 0), $calls calls (want 1: the malloc)"
	sed 's/^/    /' $T/log | head -5
fi

# megamorphic sites: under TS_MAXCASES=0 every class promotion with a
# generic path (GETATTR, SETATTR, SEND, ...) compiles one generic bridge
# (the class red) instead of a case per class; the others leave
TS_MAXCASES=0 TS_LOG=units $T/tlc-jit $P/poly.tlc 100 > $T/out 2> $T/log
gen=$(grep -c '^ts: bridge (generic)' $T/log)
if [ "$(cat $T/out)" = "$($T/tlc $P/poly.tlc 100)" ] && [ "$gen" -ge 1 ]; then
	echo "PASS tlc-jit poly under TS_MAXCASES=0: $gen generic bridges"
else
	echo "FAIL tlc-jit poly under TS_MAXCASES=0: result $(cat $T/out), $gen generic bridges (want >= 1)"
fi

# a SEND site meeting 20 classes (mega.tlc): 16 full cases, then one
# generic bridge for the last 4 classes (no leave); a leave-mode bridge
# under TS_GENERIC=0
for g in 1 0; do
	TS_GENERIC=$g TS_LOG=units $T/tlc-jit $L/mega.tlc 1000 > $T/out 2> $T/log
	gen=$(grep -c '^ts: bridge (generic)' $T/log)
	lv=$(grep -c '^ts: bridge (leave)' $T/log)
	want="1 0"
	[ $g = 0 ] && want="0 1"
	if [ "$(cat $T/out)" = 510000 ] && [ "$gen $lv" = "$want" ]; then
		echo "PASS tlc-jit mega.tlc (20 classes at one SEND) TS_GENERIC=$g: $gen generic, $lv leave"
	else
		echo "FAIL tlc-jit mega.tlc TS_GENERIC=$g: result $(cat $T/out) (want 510000), generic and leave bridges $gen $lv (want $want)"
	fi
done
