#!/bin/sh
# interps.sh: the TL and Brainfuck interpreters through their generating
# extensions, built with `bin/tsgen build` (as the Makefile does), compared
# with the plain builds (stdout, stderr, exit status) as x86, through the
# residual-IR interpreter and with every bridge leaving to the interpreter
# (TS_LEAVE=1).
. interpreters/testlib.sh
T=$T_TMP
MODES="TS_INTERP=0 TS_INTERP=1 TS_LEAVE=1"

# jit NAME PORTAL FILE.c...: build $T/NAME-jit and copy bin/NAME to $T;
# prints PASS/FAIL
jit() {
	n=$1 p=$2
	shift 2
	cp bin/$n $T/$n
	if CC=${CC:-cc} bin/tsgen build -O2 -I hintannotator -o $T/$n-jit "$@" \
		--portal $p >$T/build.log 2>&1; then
		echo "PASS $n-jit build"
		return 0
	fi
	echo "FAIL $n-jit build"
	t_show $T/build.log
	return 1
}

if jit tl tl_interp interpreters/tl/tl.c interpreters/asm.c; then
for e in interpreters/tl/test/*.expect; do
	b=$(basename $e .expect)
	t_same "tl-jit ${b%-*} ${b##*-}" "$MODES" $T/tl $T/tl-jit interpreters/tl/programs/${b%-*}.tl ${b##*-}
done
for f in interpreters/tl/test/err/*.tl; do
	t_same "tl-jit error $(basename $f .tl)" "$MODES" $T/tl $T/tl-jit $f 3
done
fi

jit bf bf_run interpreters/bf/bf.c || exit 0
for p in hello wrap loops; do
	t_same "bf-jit $p" "$MODES" $T/bf $T/bf-jit interpreters/bf/programs/$p.b
done
T_IN=interpreters/bf/test/cat.in t_same "bf-jit cat" "$MODES" $T/bf $T/bf-jit interpreters/bf/programs/cat.b
for f in interpreters/bf/test/err/*.b; do
	t_same "bf-jit error $(basename $f .b)" "$MODES" $T/bf $T/bf-jit $f
done
