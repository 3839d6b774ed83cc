#!/bin/sh
# interps.sh: the TL and Brainfuck interpreters through their generating
# extensions, built the way `tsgen build` does it (the portal's definition
# renamed ts_plain_NAME, internal functions externalised as
# ts_static_NAME, the extension, libtsrt.a, libx86.a), compared with the
# plain builds (stdout, stderr, exit status) as x86, through the residual-IR
# interpreter and with every bridge leaving to the interpreter (TS_LEAVE=1).
mkdir -p build/timeshift/test
T=$(mktemp -d build/timeshift/test/interps.XXXXXX)
trap 'rm -rf "$T"' EXIT
CC=${CC:-cc}

# jit NAME SRC PORTAL: build $T/NAME-jit; prints PASS/FAIL
jit() {
	n=$1 src=$2 p=$3
	(
		bin/tsgen gen $src --portal $p -o $T/$n-ext.c || exit 1
		defs=
		for s in $(grep -o 'ts_static_[A-Za-z0-9_]*' $T/$n-ext.c | sort -u); do
			defs="$defs -D${s#ts_static_}=$s"
		done
		last=$(grep -n "^long $p(" $src | tail -1 | cut -d: -f1)
		sed -e "${last}s/$p(/ts_plain_$p(/" -e 's/^static \([^=]*\)(/\1(/' $src > $T/$n-plain.c
		$CC -O2 -g -w -I hintannotator $defs -c $T/$n-plain.c -o $T/$n-plain.o &&
		$CC -O2 -g -w -I timeshift/rt -I codegen/x86 -c $T/$n-ext.c -o $T/$n-ext.o &&
		$CC -o $T/$n-jit $T/$n-plain.o $T/$n-ext.o build/libtsrt.a build/libx86.a -lcapstone -lm
	) > $T/build.log 2>&1
	if [ $? -eq 0 ]; then
		echo "PASS $n-jit build"
		return 0
	fi
	echo "FAIL $n-jit build"
	sed 's/^/    /' $T/build.log | head -10
	return 1
}

# same NAME PLAIN JIT ARGS...
same() {
	name=$1 plain=$2 vm=$3
	shift 3
	timeout 20 $plain "$@" < ${T_IN:-/dev/null} > $T/want.out 2> $T/want.err
	echo $? > $T/want.rc
	bad=
	for mode in TS_INTERP=0 TS_INTERP=1 TS_LEAVE=1; do
		env $mode timeout 60 $vm "$@" < ${T_IN:-/dev/null} > $T/got.out 2> $T/got.err
		echo $? > $T/got.rc
		for k in out err rc; do
			cmp -s $T/want.$k $T/got.$k || bad="$bad $mode:$k"
		done
	done
	if [ -z "$bad" ]; then
		echo "PASS $name"
	else
		echo "FAIL $name"
		echo "    differs from $plain:$bad"
	fi
}

if jit tl interpreters/tl/tl.c tl_interp; then
for e in interpreters/tl/test/*.expect; do
	b=$(basename $e .expect)
	same "tl-jit ${b%-*} ${b##*-}" bin/tl $T/tl-jit interpreters/tl/programs/${b%-*}.tl ${b##*-}
done
for f in interpreters/tl/test/err/*.tl; do
	same "tl-jit error $(basename $f .tl)" bin/tl $T/tl-jit $f 3
done
fi

jit bf interpreters/bf/bf.c bf_run || exit 0
for p in hello wrap loops; do
	same "bf-jit $p" bin/bf $T/bf-jit interpreters/bf/programs/$p.b
done
T_IN=interpreters/bf/test/cat.in same "bf-jit cat" bin/bf $T/bf-jit interpreters/bf/programs/cat.b
for f in interpreters/bf/test/err/*.b; do
	same "bf-jit error $(basename $f .b)" bin/bf $T/bf-jit $f
done
