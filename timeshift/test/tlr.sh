#!/bin/sh
# tlr.sh: TLR end to end through the generating extension.  Builds a JIT
# VM with `bin/tsgen build` (as the Makefile does), then compares it with
# bin/tlr: stdout, stderr and exit status of the programs, the error cases
# and seeded random programs (interpreters/test/guestfuzz.c), as x86,
# through the residual-IR interpreter, with eager splits and with every
# bridge leaving to the interpreter at once (TS_LEAVE=1: ts_resume); and
# checks the residual code of square's loop.
. interpreters/testlib.sh
T=$T_TMP
D=interpreters/tlr

mkdir -p $T/bin
cp bin/tlr $T/bin/tlr
if ! CC=${CC:-cc} bin/tsgen build -O2 -I hintannotator -o $T/bin/tlr-jit \
	$D/tlr.c interpreters/asm.c --portal tlr_interp >$T/build.log 2>&1; then
	echo "FAIL tlr-jit build"
	t_show $T/build.log
	exit 0
fi
echo "PASS tlr-jit build"

MODES="TS_INTERP=0 TS_INTERP=1 TS_EAGER=1 TS_LEAVE=1 TS_JIT=off"
T_PLAIN_TIMEOUT=10 T_JIT_TIMEOUT=10
for n in 0 7 9 1764 100000; do
	t_same "tlr-jit square $n" "$MODES" $T/bin/tlr $T/bin/tlr-jit $D/programs/square.tlr $n
done
for n in 0 100; do
	t_same "tlr-jit tri $n" "$MODES" $T/bin/tlr $T/bin/tlr-jit $D/programs/tri.tlr $n
done
for f in $D/test/err/*.tlr; do
	t_same "tlr-jit error $(basename $f .tlr)" "$MODES" $T/bin/tlr $T/bin/tlr-jit $f 1
done

# The inner loop of square: the registers and the accumulator are
# variables of one reentry block; the register file and nregs are gone.
TS_LOG=units $T/bin/tlr-jit $D/programs/square.tlr 9 > /dev/null 2> $T/log
unit=$(sed -n 's/^ts: unit [^:]*: \([^,]*\),.*/\1/p' $T/log)
if [ "$unit" = "6 ops (add=3 ne=3)" ]; then
	echo "PASS tlr-jit square residual ops"
else
	echo "FAIL tlr-jit square residual ops"
	echo "    got '$unit', expected '6 ops (add=3 ne=3)'"
fi

# ... in one reentry block (a loop of two blocks: body, back edge)
TS_LOG=ir $T/bin/tlr-jit $D/programs/square.tlr 9 > /dev/null 2> $T/log
n=$(sed -n '/^unit/,/^bridge/p' $T/log | grep -c 'reentry')
if [ "$n" = 1 ]; then
	echo "PASS tlr-jit square one loop block"
else
	echo "FAIL tlr-jit square one loop block"
	echo "    $n reentry blocks in the root unit, expected 1"
fi

# Seeded random programs (a third broken on purpose), every one in each
# test mode.
N=${TLR_FUZZ:-60}
t_guestfuzz || exit 0
for mode in "" TS_INTERP=1 TS_EAGER=1 TS_LEAVE=1; do
	TMPDIR=$T $T/guestfuzz -b $T/bin -l tlr -s 42 -n $N -m "$mode" >$T/fuzz.log 2>&1
	sum=$(grep '^lang tlr:' $T/fuzz.log)
	case "$sum" in
	*" 0 mismatches") echo "PASS tlr-jit fuzz ${mode:-x86}: $sum" ;;
	*)	echo "FAIL tlr-jit fuzz ${mode:-x86}"
		t_show $T/fuzz.log ;;
	esac
done
