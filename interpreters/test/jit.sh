#!/bin/sh
# jit.sh: the JIT VMs end to end.  Every program of every interpreter (the
# cases of interpreters/*/test/run.sh, error cases included) gives the same
# stdout, stderr and exit status under bin/NAME and bin/NAME-jit, and under
# bin/NAME-jit with TS_JIT=off.  Also: the JIT VMs hold no LLVM, and
# `tsgen build` itself (usage, errors, temporary files, an interpreter in
# two files whose static names must agree between the importer and the
# plain build).  JITS lists the interpreters checked (default: all four);
# a JIT VM that is missing is a FAIL.  JIT_LONG=1 adds mandelbrot and hanoi.
. interpreters/testlib.sh
JITS=${JITS:-tlr tl tlc bf}
B=${BF_PROGRAMS:-../shared/bench/bf}
T=$T_TMP
TO=${JIT_TIMEOUT:-60}

# same NAME INTERP ARGS...: bin/INTERP and bin/INTERP-jit (JIT on and off)
# agree.  Stdin is $T_IN (default /dev/null).
T_PLAIN_TIMEOUT=$TO T_JIT_TIMEOUT=$TO
same() {
	name=$1 vm=$2
	shift 2
	t_same "$name" "TS_JIT=on TS_JIT=off" bin/$vm bin/$vm-jit "$@"
}

# Each interpreter's cases, as in its own run.sh.
cases_tlr() {
	D=interpreters/tlr P=$D/programs E=$D/test/err
	for n in 0 7 9 1764 100000; do same "tlr-jit square $n" tlr $P/square.tlr $n; done
	for n in 0 100; do same "tlr-jit tri $n" tlr $P/tri.tlr $n; done
	same "tlr-jit usage" tlr $P/square.tlr
	same "tlr-jit bad N" tlr $P/square.tlr 12x
	same "tlr-jit missing file" tlr $D/nofile.tlr 1
	for f in $E/*.tlr; do same "tlr-jit error $(basename $f .tlr)" tlr $f 1; done
}

cases_tl() {
	D=interpreters/tl P=$D/programs E=$D/test/err
	for n in 0 1 5 7 20; do same "tl-jit factorial $n" tl $P/factorial.tl $n; done
	for n in 0 1 2 10 20; do same "tl-jit fib $n" tl $P/fib.tl $n; done
	for n in 0 5 9; do same "tl-jit roll $n" tl $P/roll.tl $n; done
	for n in 3 10 20 98 100 1000; do same "tl-jit stackops $n" tl $P/stackops.tl $n; done
	same "tl-jit usage" tl $P/fib.tl
	same "tl-jit bad N" tl $P/fib.tl x
	same "tl-jit missing file" tl $D/nofile.tl 1
	for f in $E/*.tl; do same "tl-jit error $(basename $f .tl)" tl $f 1; done
}

cases_tlc() {
	D=interpreters/tlc P=$D/programs E=$D/test/err
	for n in 0 1 5 20; do same "tlc-jit factorial $n" tlc $P/factorial.tlc $n; done
	for n in 0 1 2 3 -1 -2; do same "tlc-jit nth $n" tlc $P/nth.tlc $n; done
	for n in 0 5; do same "tlc-jit lists $n" tlc $P/lists.tlc $n; done
	for n in 0 10 1000; do same "tlc-jit counter $n" tlc $P/counter.tlc $n; done
	for n in 0 3 100; do same "tlc-jit poly $n" tlc $P/poly.tlc $n; done
	same "tlc-jit usage" tlc $P/nth.tlc
	same "tlc-jit bad N" tlc $P/nth.tlc ""
	same "tlc-jit missing file" tlc $D/nofile.tlc 1
	for f in $E/*.tlc; do
		[ "$(basename $f)" = oom.tlc ] && continue
		same "tlc-jit error $(basename $f .tlc)" tlc $f 1
	done
	# out of memory: both under the same address-space limit.  The JIT VM
	# may run out while materialising an object it kept virtual, where the
	# program's own test of malloc was folded: it then says so itself, with
	# the same status (docs/timeshift.md §2).
	for vm in tlc tlc-jit; do
		(ulimit -v 300000; exec timeout "$TO" bin/$vm $E/oom.tlc 1) >$T/$vm.out 2>$T/$vm.err
		echo $? >>$T/$vm.err
	done
	sed '1s/^ts: error: out of memory (.*)$/tlc: error: out of memory/' $T/tlc-jit.err >$T/tlc-jit.err2
	if cmp -s $T/tlc.out $T/tlc-jit.out && cmp -s $T/tlc.err $T/tlc-jit.err2; then
		echo "PASS tlc-jit error oom"
	else
		echo "FAIL tlc-jit error oom"
		diff $T/tlc.err $T/tlc-jit.err | head -5 | sed 's/^/    /'
	fi
}

cases_bf() {
	D=interpreters/bf P=$D/programs E=$D/test/err
	for p in hello wrap loops; do same "bf-jit $p" bf $P/$p.b; done
	T_IN=$D/test/cat.in same "bf-jit cat" bf $P/cat.b
	same "bf-jit eof reads 0" bf $D/test/eof.b
	for n in 1000000 999983; do
		T_IN=$D/test/factor-$n.in same "bf-jit factor $n" bf $B/factor.b
	done
	same "bf-jit usage" bf
	same "bf-jit missing file" bf $D/nofile.b
	for f in $E/*.b; do same "bf-jit error $(basename $f .b)" bf $f; done
	if [ -n "${JIT_LONG:-}" ]; then
		same "bf-jit mandelbrot" bf $B/mandelbrot.b
		same "bf-jit hanoi" bf $B/hanoi.b
	fi
}

for vm in $JITS; do
	if [ ! -x bin/$vm-jit ]; then
		echo "FAIL $vm-jit build"
		echo "    bin/$vm-jit is missing (make bin/$vm-jit)"
		continue
	fi
	if ldd bin/$vm-jit | grep -qi llvm; then
		echo "FAIL $vm-jit no LLVM"
		ldd bin/$vm-jit | grep -i llvm | sed 's/^/    /'
	else
		echo "PASS $vm-jit no LLVM"
	fi
	cases_$vm
done

# ---- tsgen build itself ----------------------------------------------------
X=interpreters/test/build
mkdir -p $T/tmp

# check NAME STATUS PATTERN CMD...: exit status STATUS, stderr matches
# PATTERN (grep), no temporary file left in $T/tmp, no output $T/out.vm
check() {
	name=$1 status=$2 pat=$3
	shift 3
	rm -f $T/out.vm
	TMPDIR=$T/tmp "$@" >$T/b.out 2>$T/b.err
	rc=$?
	left=$(ls $T/tmp)
	if [ $rc -ne "$status" ] || { [ -n "$pat" ] && ! grep -q -- "$pat" $T/b.err; } || [ -n "$left" ] ||
	   { [ "$status" -ne 0 ] && [ -e $T/out.vm ]; }; then
		echo "FAIL $name"
		echo "    status $rc (want $status), temporaries left: '$left'"
		sed 's/^/    /' $T/b.err | head -5
	else
		echo "PASS $name"
	fi
}

if bin/tsgen build --help | grep -q "^usage: tsgen build"; then
	echo "PASS tsgen build --help"
else
	echo "FAIL tsgen build --help"
fi
check "tsgen build no portal" 1 "no --portal" bin/tsgen build $X/acc.c -o $T/out.vm
check "tsgen build no -o" 1 "no -o" bin/tsgen build $X/acc.c --portal acc_run
check "tsgen build C only" 1 "acc.h.*not an input file" bin/tsgen build $X/acc.h --portal acc_run -o $T/out.vm
check "tsgen build unknown portal" 1 "acc.c:.*error:.*'nope'" \
	bin/tsgen build -I hintannotator $X/acc.c $X/accops.c --portal nope -o $T/out.vm
printf 'long f(long x) { return x +; }\n' >$T/bad.c
check "tsgen build C error" 1 "bad.c:1:.*error:" bin/tsgen build $T/bad.c --portal f -o $T/out.vm
check "tsgen build names disagree" 1 "refers to 'ts_static_seen'.*names disagree" \
	bin/tsgen build $X/skew.c --portal skew -o $T/out.vm

# acc: an interpreter in two files whose static functions and globals share
# names (out, calls): the JIT VM must call the right ones.
check "tsgen build acc (two files)" 0 "" \
	bin/tsgen build -O2 -I hintannotator $X/acc.c $X/accops.c --portal acc_run -o $T/acc-jit
if ! cc -O2 -I hintannotator -o $T/acc $X/acc.c $X/accops.c 2>$T/cc.err; then
	echo "FAIL acc plain build"
	sed 's/^/    /' $T/cc.err | head -5
elif [ -x $T/acc-jit ]; then
	if ldd $T/acc-jit | grep -qi llvm; then echo "FAIL acc-jit no LLVM"; else echo "PASS acc-jit no LLVM"; fi
	SUM=s0l1a0s1l0d1s0j1l1p0r0
	for args in "$SUM 1" "$SUM 100" "$SUM 100000" "i5p0i2p0r0 1" "s7r0 1" "s0x1 3" \
		    "s0j9 1" "s0q 2" "d1j0r0 5" "p0"; do
		bad=
		for mode in TS_JIT=on TS_JIT=off; do
			timeout "$TO" $T/acc $args >$T/a.out 2>$T/a.err; echo $? >>$T/a.out
			env $mode timeout "$TO" $T/acc-jit $args >$T/j.out 2>$T/j.err; echo $? >>$T/j.out
			cmp -s $T/a.out $T/j.out && cmp -s $T/a.err $T/j.err || bad="$bad $mode"
		done
		if [ -z "$bad" ]; then
			echo "PASS acc-jit $args"
		else
			echo "FAIL acc-jit $args"
			echo "    differs from the plain build:$bad"
			cat $T/j.out $T/j.err | head -4 | sed 's/^/    got: /'
		fi
	done
fi
