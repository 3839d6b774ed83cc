#!/bin/sh
# vable.sh: virtualizable frames (TS_VIRTUALIZABLE, docs/timeshift.md §9).
#
# Small portals under timeshift/test/vable/ (each with its own main) and
# the TLF interpreter (interpreters/tlf) are built with `tsgen build` and
# compared with their plain builds: stdout, stderr and exit status, as x86,
# through the residual-IR interpreter (TS_INTERP=1), with every bridge
# leaving to the interpreter (TS_LEAVE=1) and with eager splits
# (TS_EAGER=1).  Residual loads and stores are counted over every unit
# (TS_LOG=units), and the write-backs per call site (TS_LOG=vable) are
# compared with golden files.
mkdir -p build/timeshift/test
T=$(mktemp -d build/timeshift/test/vable.XXXXXX)
trap 'rm -rf "$T"' EXIT
D=timeshift/test/vable
CC=${CC:-cc}

# A private tsgen (others relink bin/tsgen): it finds the tree beside bin/.
mkdir -p $T/root/bin
cp bin/tsgen $T/root/bin/tsgen
for d in timeshift codegen hintannotator build flowgraph; do
	ln -s "$PWD/$d" $T/root/$d
done

# build NAME "SRC..." PORTAL: $T/NAME (plain) and $T/NAME-jit
build() {
	if $CC -O2 -w -I hintannotator -o $T/$1 $2 > $T/$1.log 2>&1 &&
	   $T/root/bin/tsgen build -O2 -I hintannotator -o $T/$1-jit $2 --portal $3 >> $T/$1.log 2>&1; then
		echo "PASS vable build $1"
		return 0
	fi
	echo "FAIL vable build $1"
	sed 's/^/    /' $T/$1.log | head -10
	return 1
}

# same NAME PROG ARGS...: plain and JIT agree in every mode
same() {
	name=$1 p=$2
	shift 2
	$T/$p "$@" > $T/want.out 2> $T/want.err
	ws=$?
	for mode in x86 TS_INTERP=1 TS_LEAVE=1 TS_EAGER=1; do
		e=
		[ $mode = x86 ] || e=$mode
		env $e timeout 60 $T/$p-jit "$@" > $T/got.out 2> $T/got.err
		gs=$?
		if [ $gs -ne $ws ] || ! cmp -s $T/want.out $T/got.out || ! cmp -s $T/want.err $T/got.err; then
			echo "FAIL vable $name ($mode)"
			echo "    status $gs, expected $ws"
			diff $T/want.out $T/got.out | head -5 | sed 's/^/    /'
			diff $T/want.err $T/got.err | head -5 | sed 's/^/    /'
			return
		fi
	done
	echo "PASS vable $name"
}

# ops KEY LOG: the total of residual op KEY (load, store...) over every
# unit and bridge of TS_LOG=units output
ops() {
	awk -v k="$1" '/^ts: (unit|bridge)/ && match($0, "[ (]" k "=[0-9]+") {
		s = substr($0, RSTART + 1, RLENGTH - 1); sub(/.*=/, "", s); n += s
	} END { print n + 0 }' $2
}

# count NAME PROG ARG KEY=N...: residual op totals of one run
count() {
	name=$1 p=$2 a=$3
	shift 3
	TS_LOG=units $T/$p-jit $a > /dev/null 2> $T/log
	bad=
	for kv in "$@"; do
		got=$(ops ${kv%=*} $T/log)
		[ "$got" = "${kv#*=}" ] || bad="$bad ${kv%=*}=$got (expected ${kv#*=})"
	done
	if [ -z "$bad" ]; then
		echo "PASS vable $name"
	else
		echo "FAIL vable $name"
		echo "   $bad"
		sed 's/^/    /' $T/log | head -10
	fi
}

# golden NAME PROG ARG EXPECT: the TS_LOG=vable lines equal EXPECT
golden() {
	TS_LOG=vable $T/$2-jit $3 2>&1 > /dev/null | grep '^ts: vable' > $T/vlog
	if cmp -s $T/vlog $4; then
		echo "PASS vable $1"
	else
		echo "FAIL vable $1"
		diff $4 $T/vlog | head -10 | sed 's/^/    /'
	fi
}

# 1. A loop that only touches the frame: 3 fields read once, the 2
#    changed ones written once (at the return), nothing in the loop.
if build vloop $D/vloop.c vloop; then
	for n in 0 1 5 1000; do
		same "vloop $n" vloop $n
	done
	count "vloop loads and stores" vloop 100000 load=3 store=2
	golden "vloop write-back" vloop 1000 $D/vloop.expect
fi

# 2. Residual calls: peek_a reads a (only a written back), poke_b writes b
#    (b reloaded), sum reads all; only changed fields are written back.
if build vcalls $D/vcalls.c vcalls; then
	for n in 0 1 7 -3; do
		same "vcalls $n" vcalls $n
	done
	count "vcalls loads and stores" vcalls 1 load=3 store=4 call=3
	golden "vcalls write-back per call" vcalls 1 $D/vcalls.expect
fi

# 3. Escapes: a run-time index, an indirect call, a store of the pointer.
if build vescape $D/vescape.c vescape; then
	for n in 0 1 2 9; do
		same "vescape $n" vescape $n
	done
	golden "vescape write-back" vescape 1 $D/vescape.expect
fi

# 4. A callee that keeps the frame pointer: the frame escapes there.
if build vstash $D/vstash.c vstash; then
	for n in 0 1 -4; do
		same "vstash $n" vstash $n
	done
	golden "vstash write-back" vstash 1 $D/vstash.expect
fi

# 5. The effect analysis: the ranges gen.c writes per residual call site.
for n in vcalls vstash; do
	if $T/root/bin/tsgen gen $D/$n.c --portal $n -o $T/$n.ext.c 2> $T/gen.err; then
		grep -A1 '^static const TsRange' $T/$n.ext.c | grep -v '^--' > $T/$n.fx
		if cmp -s $T/$n.fx $D/$n.fx; then
			echo "PASS vable effects $n"
		else
			echo "FAIL vable effects $n"
			diff $D/$n.fx $T/$n.fx | head -10 | sed 's/^/    /'
		fi
	else
		echo "FAIL vable effects $n"
		sed 's/^/    /' $T/gen.err | head -5
	fi
done

# 6. TLF: TL with its stack in a frame struct, plain vs JIT.
F=interpreters/tlf
if build tlf "$F/tlf.c interpreters/asm.c" tlf_interp; then
	for n in 0 1 2 10 20; do
		same "tlf fib $n" tlf $F/programs/fib.tlf $n
	done
	for n in 0 1 5 20 100000; do
		same "tlf factorial $n" tlf $F/programs/factorial.tlf $n
	done
	for n in 3 20 98 1000; do
		same "tlf stackops $n" tlf $F/programs/stackops.tlf $n
	done
	for n in 0 5 9; do
		same "tlf roll $n" tlf $F/programs/roll.tlf $n
	done
	for n in 0 1 5 100 1000; do
		same "tlf frame $n" tlf $F/programs/frame.tlf $n
	done
	for e in $F/test/err/*.tlf; do
		same "tlf error $(basename $e .tlf)" tlf $e 1
	done
	same "tlf bad N" tlf $F/programs/fib.tlf x
	# deep stacks: at most 128 cached fields (the emitter's jumps take 256)
	same "tlf deep stack" tlf $D/deepstack.tlf 3
	same "tlf deep stack 2" tlf $D/deepstack2.tlf 3
	# the frame is read once (sp, at the entry): the stack lives in registers
	count "tlf factorial frame loads" tlf "$F/programs/factorial.tlf 50" load=1
	# DEPTH's helper reads sp only: nothing else is written back for it
	TS_LOG=vable $T/tlf-jit $F/programs/frame.tlf 5 2>&1 > /dev/null | grep 'tlf_depth' > $T/dlog
	if [ -s $T/dlog ] && ! grep -v 'arg 0: \[r 0\.\.8: wrote back [0-]\]$' $T/dlog > /dev/null; then
		echo "PASS vable tlf DEPTH writes back sp only"
	else
		echo "FAIL vable tlf DEPTH writes back sp only"
		sed 's/^/    /' $T/dlog | head -5
	fi
fi
