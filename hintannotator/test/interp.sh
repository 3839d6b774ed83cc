#!/bin/sh
# interp.sh: every bundled interpreter annotates without error; its golden
# listing (hintannotator/test/interp/NAME.expect) is unchanged; the portal's
# code and pc are green at the global merge point and its data (named per
# interpreter below) is red.  UPDATE=1 rewrites the listings.
cd "$(dirname "$0")/../.." || exit 2
tsgen=${TSGEN:-bin/tsgen}
if [ ! -x $tsgen ]; then
	echo "FAIL hint-interp (bin/tsgen not built)"
	exit 1
fi
tmp=$(mktemp)
for entry in tlr:tlr_interp tl:tl_interp tlc:tlc_interp bf:bf_run; do
	name=${entry%%:*}
	portal=${entry#*:}
	src=interpreters/$name/$name.c
	[ -f "$src" ] || continue
	case $name in
	tlr) red='\[global merge point\].* a\.addr\.0:R' ;;   # the accumulator
	tl|tlc) red='^spec wrapadd = wrapadd\(b:R, a:R\)' ;; # stack values
	bf) red='^ *[0-9]+ R \| tape\[ptr\]\+\+;' ;;          # tape cells
	esac
	exp=hintannotator/test/interp/$name.expect
	if ! $tsgen annotate "$src" --portal "$portal" -Ihintannotator >"$tmp" 2>&1; then
		echo "FAIL hint-interp $name: annotate failed"
		sed 's/^/    /' "$tmp" | head -20
		continue
	fi
	[ -n "$UPDATE" ] && cp "$tmp" "$exp"
	mp=$(grep '\[global merge point\]' "$tmp" | head -1)
	head=$(grep "^spec $portal = " "$tmp" | head -1)
	if [ ! -f "$exp" ]; then
		echo "FAIL hint-interp $name (no $exp)"
	elif ! cmp -s "$tmp" "$exp"; then
		echo "FAIL hint-interp $name: listing differs"
		diff "$exp" "$tmp" | head -20 | sed 's/^/    /'
	elif ! echo "$mp" | grep -q ' pc[A-Za-z0-9_.]*:G'; then
		echo "FAIL hint-interp $name: pc is not green at the merge point: $mp"
	elif ! grep -Eq "$red" "$tmp"; then
		echo "FAIL hint-interp $name: its data is not red (no line matches $red)"
	elif ! echo "$head" | grep -q 'code:G'; then
		echo "FAIL hint-interp $name: code is not green: $head"
	else
		echo "PASS hint-interp $name"
	fi
done
rm -f "$tmp"
