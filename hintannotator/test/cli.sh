#!/bin/sh
# cli.sh: the `tsgen annotate` command line: help, errors, graph formats.
cd "$(dirname "$0")/../.." || exit 2
tsgen=${TSGEN:-bin/tsgen}
C=hintannotator/test/cases
out=$(mktemp)
if [ ! -x $tsgen ]; then
	echo "FAIL hint-cli (bin/tsgen not built)"
	exit 1
fi

# check NAME WANT-STATUS PATTERN -- COMMAND...: status and output pattern
check() {
	name=$1 want=$2 pat=$3
	shift 4
	"$@" >"$out" 2>&1
	st=$?
	if [ "$st" -ne "$want" ]; then
		echo "FAIL hint-cli $name (exit $st, want $want)"
		head -5 "$out" | sed 's/^/    /'
	elif ! grep -Eq "$pat" "$out"; then
		echo "FAIL hint-cli $name (no match for $pat)"
		head -5 "$out" | sed 's/^/    /'
	else
		echo "PASS hint-cli $name"
	fi
}

check help 0 'inlining policy' -- $tsgen annotate --help
check no-portal 1 'error: no --portal' -- $tsgen annotate $C/simple.c -Ihintannotator
check bad-portal 1 "simple.c: error: portal function 'nope' is not defined" -- \
	$tsgen annotate $C/simple.c --portal nope -Ihintannotator
check bad-format 1 "unknown format 'pdf'" -- $tsgen annotate $C/simple.c --portal simple --format pdf
check bad-function 1 "no function 'zz' defined" -- \
	$tsgen annotate $C/simple.c --portal simple --function zz -Ihintannotator
check explain-empty 1 'simple.c:2: error: no value is computed' -- \
	$tsgen annotate $C/simple.c --portal simple --explain simple.c:2 -Ihintannotator
check explain-bad 1 'explain wants FILE:LINE' -- \
	$tsgen annotate $C/simple.c --portal simple --explain simple.c -Ihintannotator
check function 0 '^spec h.RR = h\(a:R, b:R\)' -- \
	$tsgen annotate $C/specialise.c --portal spec --function h.RR -Ihintannotator
check dot-spec 0 'h.GR key GR -&gt; red' -- \
	$tsgen annotate $C/specialise.c --portal spec --format dot --function h.GR -Ihintannotator
check svg-green 0 'fill="green"' -- \
	$tsgen annotate $C/mergepoint.c --portal interp --format svg -Ihintannotator
check svg-red 0 'fill="red"' -- \
	$tsgen annotate $C/mergepoint.c --portal interp --format svg -Ihintannotator
check xml 0 'op opcode="mul" name="mul" type="i64" class="red"' -- \
	$tsgen annotate $C/simple.c --portal simple --format xml -Ihintannotator
rm -f "$out"
