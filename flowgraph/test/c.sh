#!/bin/sh
# c.sh: the importer's differential suite.  Each flowgraph/test/c/NAME.c is
# built natively (cc -O0 -I hintannotator) and run, then run through the
# flow-graph interpreter (bin/tsgen run NAME.c -- ARGS); stdout, stderr and
# the exit status must be identical.  Optional NAME.args holds the command
# line, NAME.stdin the standard input.  NAME.ll programs (LLVM IR written
# by hand) are built natively by clang-14.  One PASS/FAIL line per program.
cd "$(dirname "$0")/../.." || exit 2
dir=flowgraph/test/c
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tsgen=${TSGEN:-bin/tsgen}
# a private copy: a concurrent `make` may relink bin/tsgen while we run
if [ -z "$TSGEN" ] && [ -x bin/tsgen ]; then
	cp bin/tsgen "$tmp/tsgen" && tsgen=$tmp/tsgen
fi

for src in "$dir"/*.c "$dir"/*.ll; do
	[ -f "$src" ] || continue
	name=$(basename "$src"); name=${name%.*}
	cc=cc
	case $src in *.ll) cc=clang-14 ;; esac
	args=""
	[ -f "$dir/$name.args" ] && args=$(cat "$dir/$name.args")
	input=/dev/null
	[ -f "$dir/$name.stdin" ] && input="$dir/$name.stdin"
	if ! $cc -O0 -w -I hintannotator -o "$tmp/native" "$src" -lm 2>"$tmp/cc.err"; then
		echo "FAIL c/$name"
		echo "    native build failed:"
		sed 's/^/    /' "$tmp/cc.err" | head -10
		continue
	fi
	# shellcheck disable=SC2086
	(cd "$tmp" && ./native $args) <"$input" >"$tmp/n.out" 2>"$tmp/n.err"
	nrc=$?
	# shellcheck disable=SC2086
	timeout 120 "$tsgen" run "$src" -Ihintannotator -- $args <"$input" >"$tmp/t.out" 2>"$tmp/t.err"
	trc=$?
	why=""
	[ "$nrc" -eq "$trc" ] || why="exit status: native $nrc, tsgen run $trc"
	cmp -s "$tmp/n.out" "$tmp/t.out" || why="$why${why:+; }stdout differs"
	cmp -s "$tmp/n.err" "$tmp/t.err" || why="$why${why:+; }stderr differs"
	if [ -z "$why" ]; then
		echo "PASS c/$name"
		continue
	fi
	echo "FAIL c/$name"
	echo "    $why"
	diff "$tmp/n.out" "$tmp/t.out" | head -10 | sed 's/^/    stdout: /'
	diff "$tmp/n.err" "$tmp/t.err" | head -10 | sed 's/^/    stderr: /'
done
