#!/bin/sh
# dump.sh: the XML, DOT and SVG dumps.
#
#   xml/NAME[+style]  the XML dump of flowgraph/test/ir/NAME.fg validates
#                     against docs/flowgraph.rng (and a corrupted copy does not)
#   dot/...           the styled DOT dump of all.fg equals ir/dump/all.dot,
#                     Graphviz reads it, and the style shows (colours, double
#                     border of merge blocks, bold split exits)
#   svg/NAME          the SVG (laid out in process by libgvc) is well-formed
#                     and shows every block's label and every function
#   tsgen/...         the same through bin/tsgen dump on bundled interpreters
# Run from the top folder (tools/runtests.sh does).
B=build/flowgraph/test
IR=flowgraph/test/ir
RNG=docs/flowgraph.rng
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; }
failf() { echo "FAIL $1"; sed -n '1,15s/^/    /p' "$2"; }

[ -x $B/text_dump ] || { fail build/text_dump "$B/text_dump is missing (make tests)"; exit 1; }
command -v xmllint >/dev/null || { fail xmllint "xmllint is missing (libxml2-utils)"; exit 1; }

# The labels a .fg file defines ("@name(" at the start of a line), one a line.
labels() { grep -o '^@[A-Za-z0-9_.$]*(' "$1" | sed 's/($//'; }
funcs() { grep -o '^define [^@]*@[A-Za-z0-9_.$]*' "$1" | sed 's/.*@/@/'; }

for f in $IR/*.fg; do
	n=$(basename "$f" .fg)
	for s in "" --style; do
		if $B/text_dump xml "$f" $s >"$T/x.xml" 2>"$T/err" &&
		   xmllint --relaxng $RNG --noout "$T/x.xml" >>"$T/err" 2>&1; then
			pass "xml/$n${s:++style}"
		else
			failf "xml/$n${s:++style}" "$T/err"
		fi
	done
	if ! $B/text_dump svg "$f" >"$T/x.svg" 2>"$T/err" || ! xmllint --noout "$T/x.svg" 2>>"$T/err"; then
		failf "svg/$n" "$T/err"
		continue
	fi
	missing=""
	for l in $(labels "$f") $(funcs "$f"); do
		grep -qF ">$l<" "$T/x.svg" || missing="$missing $l"
	done
	if [ -z "$missing" ] && grep -q '<svg' "$T/x.svg"; then pass "svg/$n"; else fail "svg/$n" "not shown:$missing"; fi
done

# The schema rejects what it should: a misspelt attribute, a bad type.
$B/text_dump xml $IR/all.fg >"$T/x.xml"
ok=1
for bad in 's/opcode="add"/opkode="add"/' 's/type="i32"/type="i33"/' 's/<exit /<exot /'; do
	sed "$bad" "$T/x.xml" >"$T/bad.xml"
	xmllint --relaxng $RNG --noout "$T/bad.xml" >/dev/null 2>&1 && ok=0
done
if [ $ok = 1 ]; then pass xml/schema-rejects; else fail xml/schema-rejects "a corrupted dump validated"; fi

# The style: classes reach the XML; the DOT golden file; Graphviz reads it.
$B/text_dump xml $IR/all.fg --style >"$T/x.xml"
if grep -q 'class="green"' "$T/x.xml" && grep -q 'class="merge"' "$T/x.xml" &&
   grep -q 'note="(styled)"' "$T/x.xml"; then
	pass xml/style-classes
else
	fail xml/style-classes "class or note attributes missing"
fi
$B/text_dump dot $IR/all.fg --style >"$T/x.dot" 2>"$T/err"
if diff -u $IR/dump/all.dot "$T/x.dot" >"$T/diff"; then pass dot/golden; else failf dot/golden "$T/diff"; fi
if grep -q 'peripheries=2' "$T/x.dot" && grep -q 'color="green"' "$T/x.dot" &&
   grep -q 'color="red"' "$T/x.dot" && grep -q 'style=bold' "$T/x.dot" &&
   grep -q 'label=<true (' "$T/x.dot" && grep -q 'label=<-7: (' "$T/x.dot"; then
	pass dot/style
else
	fail dot/style "expected colours, double border, bold split edges, edge labels"
fi
if command -v dot >/dev/null; then
	if dot -Tcanon "$T/x.dot" >/dev/null 2>"$T/err"; then pass dot/graphviz-reads; else failf dot/graphviz-reads "$T/err"; fi
fi
$B/text_dump dot $IR/all.fg --function hints >"$T/h.dot"
if [ "$(grep -c 'subgraph' "$T/h.dot")" = 1 ] && grep -q 'cluster_f8' "$T/h.dot"; then
	pass dot/one-function
else
	fail dot/one-function "--function hints did not give exactly that function"
fi

# Through the driver, on bundled C interpreters.
if [ -x bin/tsgen ]; then
	for c in $(ls interpreters/*/*.c | grep -v /test/); do
		[ -f "$c" ] || continue
		n=$(basename "$c" .c)
		bin/tsgen dump --format text -Ihintannotator "$c" -o "$T/t.fg" 2>/dev/null || continue
		if bin/tsgen dump --format xml -Ihintannotator "$c" -o "$T/t.xml" 2>"$T/err" &&
		   xmllint --relaxng $RNG --noout "$T/t.xml" >>"$T/err" 2>&1; then
			pass "tsgen/xml/$n"
		else
			failf "tsgen/xml/$n" "$T/err"
		fi
		fn=$(funcs "$T/t.fg" | grep -x '@main' || funcs "$T/t.fg" | head -1)
		fn=${fn#@}
		if bin/tsgen dump --format svg -Ihintannotator "$c" --function "$fn" -o "$T/t.svg" 2>"$T/err" &&
		   xmllint --noout "$T/t.svg" 2>>"$T/err" && grep -qF ">@$fn<" "$T/t.svg" &&
		   grep -qF '>@entry<' "$T/t.svg"; then
			pass "tsgen/svg/$n"
		else
			failf "tsgen/svg/$n" "$T/err"
		fi
	done
	if bin/tsgen dump --format dot $IR/all.fg -o "$T/d.dot" 2>"$T/err" && grep -q 'digraph' "$T/d.dot"; then
		pass tsgen/dot-from-fg
	else
		failf tsgen/dot-from-fg "$T/err"
	fi
	if bin/tsgen dump --format text $IR/verify/dominance.fg >/dev/null 2>"$T/err"; then
		fail tsgen/verifies "a .fg that does not verify was dumped"
	elif grep -q 'does not dominate' "$T/err"; then
		pass tsgen/verifies
	else
		failf tsgen/verifies "$T/err"
	fi
fi
exit 0
