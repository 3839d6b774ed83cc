#!/bin/sh
# exec.sh: unit tests of the reference executor (flowgraph/exec.c).
# Runs each build/flowgraph/test/exec_* program (built by `make tests` from
# flowgraph/test/exec_*.c); each prints its own PASS/FAIL lines.  A program
# that dies without saying FAIL is a FAIL here.
cd "$(dirname "$0")/../.." || exit 2
for src in flowgraph/test/exec_*.c; do
	name=$(basename "$src" .c)
	bin=build/flowgraph/test/$name
	if [ ! -x "$bin" ]; then
		echo "FAIL $name (not built: $bin)"
		continue
	fi
	# Once as is, once with the executor's specialised opcodes turned off.
	for generic in "" 1; do
		out=$(mktemp)
		FG_EXEC_NOSPECIAL=$generic timeout 300 "$bin" >"$out" 2>&1
		rc=$?
		[ -n "$generic" ] && sed -i 's/^\(PASS\|FAIL\) /\1 generic:/' "$out"
		cat "$out"
		if [ $rc -ne 0 ] && ! grep -q '^FAIL' "$out"; then
			echo "FAIL ${generic:+generic:}$name (exit $rc)"
			tail -5 "$out" | sed 's/^/  /'
		fi
		rm -f "$out"
	done
done

# Programs in the IR's text format run by `bin/tsgen run`: stdout and
# stderr, then "exit STATUS", must equal NAME.expect.  NAME.args holds the
# program's arguments.
for fg in flowgraph/test/exec/*.fg; do
	name=exec/$(basename "$fg" .fg)
	args=""
	[ -f "${fg%.fg}.args" ] && args=$(cat "${fg%.fg}.args")
	out=$(mktemp)
	# shellcheck disable=SC2086
	timeout 60 bin/tsgen run "$fg" -- $args >"$out" 2>&1 </dev/null
	echo "exit $?" >>"$out"
	if cmp -s "$out" "${fg%.fg}.expect"; then
		echo "PASS $name"
	else
		echo "FAIL $name"
		diff "${fg%.fg}.expect" "$out" | head -10 | sed 's/^/  /'
	fi
	rm -f "$out"
done
