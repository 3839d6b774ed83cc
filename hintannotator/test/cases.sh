#!/bin/sh
# cases.sh: golden tests of `tsgen annotate`.  Each hintannotator/test/cases/X.c
# (or X.fg, flow-graph text: independent of clang) names its portal in a
# "portal: NAME" comment line and may add options in an "args: ..." line;
# its stdout, stderr and exit status must equal X.expect.
# UPDATE=1 rewrites the expected files (review the diff before committing).
cd "$(dirname "$0")/../.." || exit 2
tsgen=${TSGEN:-bin/tsgen}
if [ ! -x $tsgen ]; then
	echo "FAIL hint-cases (bin/tsgen not built)"
	exit 1
fi
tmp=$(mktemp)
for c in hintannotator/test/cases/*.c hintannotator/test/cases/*.fg; do
	[ -f "$c" ] || continue
	name=$(basename "$c"); name=${name%.*}
	portal=$(sed -n 's/.*portal: *\([A-Za-z_0-9]*\).*/\1/p' "$c" | head -1)
	args=$(sed -n 's/.*args: *\(.*\)$/\1/p' "$c" | head -1)
	$tsgen annotate "$c" --portal "$portal" $args -Ihintannotator >"$tmp" 2>&1
	echo "exit: $?" >>"$tmp"
	exp=hintannotator/test/cases/$name.expect
	if [ -n "$UPDATE" ]; then
		cp "$tmp" "$exp"
	fi
	if [ ! -f "$exp" ]; then
		echo "FAIL hint-case $name (no $exp)"
	elif cmp -s "$tmp" "$exp"; then
		echo "PASS hint-case $name"
	else
		echo "FAIL hint-case $name"
		diff "$exp" "$tmp" | head -20 | sed 's/^/    /'
	fi
done
rm -f "$tmp"
