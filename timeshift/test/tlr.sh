#!/bin/sh
# tlr.sh: TLR end to end through the generating extension.  Builds a JIT
# VM from interpreters/tlr/tlr.c the way `tsgen build` does (the portal's
# definition renamed ts_plain_tlr_interp, internal functions externalised
# as ts_static_NAME, the extension, libtsrt.a, libx86.a), then compares it
# with bin/tlr: stdout, stderr and exit status of the programs, the error
# cases and seeded random programs, as x86, through the residual-IR
# interpreter, with eager splits and with every bridge leaving to the
# interpreter at once (TS_LEAVE=1: ts_resume); and checks the residual code of
# square's loop.
mkdir -p build/timeshift/test
T=$(mktemp -d build/timeshift/test/tlr.XXXXXX)
trap 'rm -rf "$T"' EXIT
D=interpreters/tlr
CC=${CC:-cc}

build() {
	bin/tsgen gen $D/tlr.c --portal tlr_interp -o $T/ext.c &&
	sed -e '/^long tlr_interp(.*)$/s/tlr_interp/ts_plain_tlr_interp/' \
	    -e 's/^static TS_RESIDUAL void tlr_fail/TS_RESIDUAL void tlr_fail/' $D/tlr.c > $T/plain.c &&
	$CC -O2 -g -w -I hintannotator -Dtlr_fail=ts_static_tlr_fail -c $T/plain.c -o $T/plain.o &&
	$CC -O2 -g -Wall -Wno-unused-label -I timeshift/rt -I codegen/x86 -c $T/ext.c -o $T/ext.o &&
	$CC -o $T/tlr-jit $T/plain.o $T/ext.o build/libtsrt.a build/libx86.a -lcapstone -lm
}
if ! build > $T/build.log 2>&1; then
	echo "FAIL tlr-jit build"
	sed 's/^/    /' $T/build.log | head -20
	exit 0
fi
echo "PASS tlr-jit build"

# same NAME ARGS...: bin/tlr and the JIT VM (three ways) agree
same() {
	name=$1
	shift
	timeout 10 bin/tlr "$@" > $T/want.out 2> $T/want.err
	echo $? > $T/want.rc
	bad=
	for mode in TS_INTERP=0 TS_INTERP=1 TS_EAGER=1 TS_LEAVE=1 TS_JIT=off; do
		env $mode timeout 10 $T/tlr-jit "$@" > $T/got.out 2> $T/got.err
		echo $? > $T/got.rc
		for k in out err rc; do
			cmp -s $T/want.$k $T/got.$k || bad="$bad $mode:$k"
		done
	done
	if [ -z "$bad" ]; then
		echo "PASS $name"
	else
		echo "FAIL $name"
		echo "    differs from bin/tlr:$bad"
		sed 's/^/    got: /' $T/got.out $T/got.err | head -5
	fi
}

for n in 0 7 9 1764 100000; do
	same "tlr-jit square $n" $D/programs/square.tlr $n
done
for n in 0 100; do
	same "tlr-jit tri $n" $D/programs/tri.tlr $n
done
for f in $D/test/err/*.tlr; do
	same "tlr-jit error $(basename $f .tlr)" $f 1
done

# The inner loop of square: the registers and the accumulator are
# variables of one reentry block; the register file and nregs are gone.
TS_LOG=units $T/tlr-jit $D/programs/square.tlr 9 > /dev/null 2> $T/log
unit=$(sed -n 's/^ts: unit [^:]*: \(.*\), .*/\1/p' $T/log)
if [ "$unit" = "6 ops (add=3 ne=3)" ]; then
	echo "PASS tlr-jit square residual ops"
else
	echo "FAIL tlr-jit square residual ops"
	echo "    got '$unit', expected '6 ops (add=3 ne=3)'"
fi

# ... in one reentry block (a loop of two blocks: body, back edge)
TS_LOG=ir $T/tlr-jit $D/programs/square.tlr 9 > /dev/null 2> $T/log
n=$(sed -n '/^unit/,/^bridge/p' $T/log | grep -c 'reentry')
if [ "$n" = 1 ]; then
	echo "PASS tlr-jit square one loop block"
else
	echo "FAIL tlr-jit square one loop block"
	echo "    $n reentry blocks in the root unit, expected 1"
fi

# Seeded random programs (valid ones: the assembler accepts them; some
# fail at run time, some loop: those are skipped when bin/tlr times out).
N=${TLR_FUZZ:-60}
awk -v n=$N -v dir=$T 'BEGIN {
	srand(42);
	split("MOV_A_R MOV_R_A JUMP_IF_A SET_A ADD_R_TO_A NEG_A NOP RETURN_A ALLOCATE", ops, " ");
	for (p = 0; p < n; p++) {
		f = dir "/fuzz" p ".tlr";
		len = 3 + int(rand() * 12);
		nr = 1 + int(rand() * 4);
		printf "ALLOCATE %d\n", nr > f;
		for (i = 0; i < len; i++) {
			op = ops[1 + int(rand() * 9)];
			if (op == "RETURN_A" && rand() < 0.7) op = "NOP";
			printf "l%d: %s", i, op > f;
			if (op == "MOV_A_R" || op == "MOV_R_A" || op == "ADD_R_TO_A")
				printf " %d", int(rand() * (nr + (rand() < 0.1))) > f;
			else if (op == "SET_A") printf " %d", int(rand() * 256) > f;
			else if (op == "ALLOCATE") printf " %d", 1 + int(rand() * 4) > f;
			else if (op == "JUMP_IF_A") printf " l%d", int(rand() * len) > f;
			printf "\n" > f;
		}
		close(f);
	}
}'
bad=
i=0
ran=0
while [ $i -lt $N ]; do
	f=$T/fuzz$i.tlr
	i=$((i + 1))
	timeout 0.2 bin/tlr $f 5 > $T/want.out 2> $T/want.err
	rc=$?
	[ $rc -eq 124 ] && continue
	ran=$((ran + 1))
	for mode in TS_INTERP=0 TS_INTERP=1 TS_EAGER=1 TS_LEAVE=1; do
		env $mode timeout 20 $T/tlr-jit $f 5 > $T/got.out 2> $T/got.err
		grc=$?
		if [ $grc -ne $rc ] || ! cmp -s $T/want.out $T/got.out || ! cmp -s $T/want.err $T/got.err; then
			bad="$bad $f($mode)"
		fi
	done
done
if [ -z "$bad" ]; then
	echo "PASS tlr-jit fuzz $N programs ($ran terminate)"
else
	echo "FAIL tlr-jit fuzz $N programs ($ran terminate)"
	echo "    mismatches:$bad"
fi
