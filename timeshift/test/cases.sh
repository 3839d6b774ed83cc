#!/bin/sh
# cases.sh: generating-extension tests in the style of PyPy's
# test_timeshift.py.  Each timeshift/test/cases/NAME.c defines the portal
# long NAME(long x, long y) and lists its runs:
#
#   // RUN: [VAR=VALUE...] X Y [REPS] -> RESULT | OPS [| CHECKS]
#
# The case is generated (tsgen gen), compiled with the portal renamed
# ts_plain_NAME in its own translation unit, linked with its extension,
# the runtime and the emitter, and run four ways: plain (TS_JIT=off), as
# x86, through the residual-IR interpreter (TS_INTERP=1, the oracle) and
# with eager splits (TS_EAGER=1).  Every way must print RESULT; the x86 and
# oracle runs must report the root unit's residual operations OPS exactly
# (TS_LOG=units: "add=1 mul=2"; "-" skips the check; "none" means no unit
# was compiled: the bound fell back to the plain function).  REPS repeats
# the call.  CHECKS (PyPy's check_insns over the whole tree) are KEY=N
# words, each compared with totals over every unit and bridge the x86 and
# oracle runs logged: units, bridges (compiled in full), leave (bridges in
# leave mode), generic (a promotion site's generic bridge), failed (bridges that failed), flex and stubs (exits
# emitted), all.OP (residual OP, e.g. all.mul=0), rets (ret instructions
# in the residual IR that TS_LOG=ir prints: code after a join is there
# once).
mkdir -p build/timeshift/test
T=$(mktemp -d build/timeshift/test/cases.XXXXXX)
trap 'rm -rf "$T"' EXIT
CC=${CC:-cc}
CF="-O2 -g -w"

# tally CHECKS < LOG: the checks that do not hold, one per line
tally() {
	awk -v want="$1" '
	/^  ret( |$)/ {
		c["rets"]++
		next
	}
	/^ts: bridge failed/ {
		c["failed"]++
		next
	}
	/^ts: (unit|bridge)/ {
		c[$2 == "unit" ? "units" : $3 == "(leave)" ? "leave" : $3 == "(generic)" ? "generic" : "bridges"]++
		s = $0
		sub(/^ts: [^:]*: [0-9]+ ops \(/, "", s)
		sub(/\).*/, "", s)
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) {
			split(a[i], kv, "=")
			c["all." kv[1]] += kv[2]
		}
		if (match($0, /[0-9]+ stubs/))
			c["stubs"] += substr($0, RSTART, RLENGTH) + 0
		if (match($0, /[0-9]+ flexswitches/))
			c["flex"] += substr($0, RSTART, RLENGTH) + 0
	}
	END {
		n = split(want, w, " ")
		for (i = 1; i <= n; i++) {
			split(w[i], kv, "=")
			if (c[kv[1]] + 0 != kv[2] + 0)
				printf "%s=%d, expected %s\n", kv[1], c[kv[1]] + 0, kv[2]
		}
	}'
}

for c in timeshift/test/cases/*.c; do
	n=$(basename $c .c)
	if ! bin/tsgen gen $c --portal $n -o $T/$n.ext.c 2> $T/$n.err ||
	   ! $CC $CF -I hintannotator -D$n=ts_plain_$n -c $c -o $T/$n.plain.o 2>> $T/$n.err ||
	   ! $CC $CF -fPIC -I timeshift/rt -I codegen/x86 -c $T/$n.ext.c -o $T/$n.ext.o 2>> $T/$n.err ||
	   ! $CC $CF -DPORTAL=$n -c timeshift/test/lib/harness.c -o $T/$n.main.o 2>> $T/$n.err ||
	   ! $CC -o $T/$n $T/$n.main.o $T/$n.plain.o $T/$n.ext.o build/libtsrt.a build/libx86.a \
		-lcapstone -lm 2>> $T/$n.err; then
		echo "FAIL cases/$n build"
		sed 's/^/    /' $T/$n.err | head -20
		continue
	fi
	grep '^// RUN:' $c | while IFS= read -r line; do
		line=${line#// RUN: }
		lhs=${line%%->*}
		rest=${line#*->}
		want=$(echo "${rest%%|*}" | tr -d ' ')
		ops=$(echo "${rest#*|}" | sed 's/|.*//; s/^ *//; s/ *$//')
		checks=
		case ${rest#*|} in *"|"*) checks=${rest#*|*|} ;; esac
		envs=
		args=
		for w in $lhs; do
			case $w in
			*=*) envs="$envs $w" ;;
			*) args="$args $w" ;;
			esac
		done
		name="cases/$n$args"
		bad=
		for mode in "TS_JIT=off" "TS_INTERP=0" "TS_INTERP=1" "TS_EAGER=1"; do
			env $envs $mode TS_LOG=units,ir $T/$n $args > $T/out 2> $T/log
			got=$(cat $T/out)
			if [ "$got" != "$want" ]; then
				bad="$bad
    $mode: result $got, expected $want"
				continue
			fi
			case $mode in TS_JIT=off | TS_EAGER=1) continue ;; esac
			unit=$(sed -n 's/^ts: unit [^:]*: [0-9]* ops (\([^)]*\)).*/\1/p' $T/log | head -1)
			[ -z "$(grep '^ts: unit' $T/log)" ] && unit=none
			if [ "$ops" != "-" ] && [ "$unit" != "$ops" ]; then
				bad="$bad
    $mode: residual ops '$unit', expected '$ops'"
			fi
			miss=$(tally "$checks" < $T/log | tr '\n' ' ')
			[ -n "$miss" ] && bad="$bad
    $mode: $miss"
		done
		if [ -z "$bad" ]; then
			echo "PASS $name"
		else
			echo "FAIL $name$bad"
		fi
	done
done
