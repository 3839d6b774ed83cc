#!/bin/sh
# view.sh: `tsgen view` in a real browser (docs/viewer.md).  For each
# bundled interpreter the site is written, headless Chromium loads the
# index from disk (--dump-dom) and every specialisation of the annotated
# listing must be linked there; the portal's page must render its graph
# (an inline <svg> with Graphviz nodes) under its name; a callee link
# (href of an inline call) is followed and that page loaded too; a failed
# annotation shows its error chain.  Screenshots go to build/hintannotator/view/.
# FAIL when Chromium is missing (tools/deps.sh installs it unless
# TS_BROWSER_TESTS=no).
cd "$(dirname "$0")/../.." || exit 2
tsgen=${TSGEN:-bin/tsgen}
art=build/hintannotator/view
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p $art
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
if [ -z "$browser" ]; then
	echo "FAIL view-browser (no chromium: run tools/deps.sh without TS_BROWSER_TESTS=no)"
	exit 1
fi
if [ ! -x "$tsgen" ]; then
	echo "FAIL view (bin/tsgen not built)"
	exit 1
fi

# chrome ARGS... URL: headless Chromium with a private profile
chrome() {
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chrome.log"
}

# dom FILE OUT: the DOM of a page after loading (scripts would have run)
dom() {
	chrome --dump-dom "file://$(realpath "$1")" >"$2"
}

pass() { echo "PASS view-$1"; }
fail() {
	echo "FAIL view-$1"
	shift
	for l in "$@"; do echo "    $l"; done
}

# site NAME FILE PORTAL: the site of one interpreter, navigated
site() {
	name=$1 file=$2 portal=$3 d=$tmp/$1
	if ! $tsgen view "$file" --portal "$portal" -o "$d" >"$tmp/$name.err" 2>&1; then
		fail "$name-write" "$(head -3 "$tmp/$name.err")"
		return
	fi
	$tsgen annotate "$file" --portal "$portal" | sed -n 's/^spec \([^ ]*\) = .*/\1/p' >"$tmp/$name.specs"
	n=$(wc -l <"$tmp/$name.specs")
	pages=$(ls "$d"/spec*.html 2>/dev/null | wc -l)
	if [ "$n" -gt 0 ] && [ "$pages" -eq "$n" ]; then
		pass "$name-write"
	else
		fail "$name-write" "$pages pages for $n specialisations"
	fi
	# the index loads and lists the portal and every specialisation with a link
	dom "$d/index.html" "$tmp/$name.index"
	missing=""
	while read -r s; do
		grep -q "class=\"spec\" href=\"spec[0-9]*.html\">$s</a>" "$tmp/$name.index" ||
			missing="$missing $s"
	done <"$tmp/$name.specs"
	if grep -q "<code>$portal</code>" "$tmp/$name.index" && [ -z "$missing" ]; then
		pass "$name-index"
	else
		fail "$name-index" "missing in the loaded index:${missing:- the portal}"
	fi
	# follow the index's link to the portal's page: the graph renders
	href=$(sed -n "s/.*class=\"spec\" href=\"\([^\"]*\)\">$portal<.*/\1/p" "$tmp/$name.index" | head -1)
	if [ -n "$href" ] && dom "$d/$href" "$tmp/$name.spec" &&
	   grep -q '<svg' "$tmp/$name.spec" && grep -q 'class="node"' "$tmp/$name.spec" &&
	   grep -q "<h1 class=\"spec\">$portal = $portal(" "$tmp/$name.spec" &&
	   grep -q 'class="[GR]"' "$tmp/$name.spec"; then
		pass "$name-graph"
	else
		fail "$name-graph" "portal page '$href' has no rendered svg, title or coloured listing"
	fi
	case $name in tl | bf) # screenshots of two indexes (each launch costs seconds)
		chrome --window-size=1400,1000 --screenshot="$(realpath $art)/$name-index.png" \
			"file://$(realpath "$d/index.html")" >/dev/null ;;
	esac
	rm -rf "$art/$name-site" && cp -r "$d" "$art/$name-site"
}

# callee NAME: follow the first inline call's link from the portal's page
callee() {
	name=$1 d=$tmp/$1
	link=$(grep -o 'class="callee" href="[^"]*">[^<]*<' "$tmp/$name.spec" | head -1)
	href=$(echo "$link" | sed 's/.*href="\([^"]*\)".*/\1/')
	target=$(echo "$link" | sed 's/.*">\([^<]*\)<$/\1/')
	if [ -n "$href" ] && dom "$d/$href" "$tmp/$name.callee" &&
	   grep -q "<h1 class=\"spec\">$target = " "$tmp/$name.callee" &&
	   grep -q '<svg' "$tmp/$name.callee"; then
		pass "$name-callee-link"
		[ "$name" = tl ] && chrome --window-size=1400,1000 \
			--screenshot="$(realpath $art)/$name-callee.png" "file://$(realpath "$d/$href")" >/dev/null
	else
		fail "$name-callee-link" "link '$link' from the portal's page does not load a graph of its callee"
	fi
}

# svglink NAME: a call drawn in the portal's graph links to its callee's page
svglink() {
	name=$1 d=$tmp/$1
	href=$(grep -o '<a class="calllink" href="spec[1-9][0-9]*.html"><text[^>]*>[^<]*call @[^(]*(' \
		"$tmp/$name.spec" | head -1)
	target=$(echo "$href" | sed 's/.*call @\([^(]*\)($/\1/')
	href=$(echo "$href" | sed 's/.*href="\([^"]*\)".*/\1/')
	if [ -n "$href" ] && dom "$d/$href" "$tmp/$name.svglink" &&
	   grep -q "<h1 class=\"spec\">$target = " "$tmp/$name.svglink"; then
		pass "$name-graph-link"
	else
		fail "$name-graph-link" "no call in the portal's graph links to a page of its callee ('$href')"
	fi
}

site tlr interpreters/tlr/tlr.c tlr_interp
site tl interpreters/tl/tl.c tl_interp
site tlc interpreters/tlc/tlc.c tlc_interp
site bf interpreters/bf/bf.c bf_run
callee tl
callee tlc
svglink tl

# a failed hint: status 1, and the index shows the error and its chain
C=hintannotator/test/cases
if $tsgen view $C/err-unsat.c --portal portal -Ihintannotator -o "$tmp/err" >/dev/null 2>&1; then
	fail "error-chain" "tsgen view succeeded on err-unsat.c"
else
	dom "$tmp/err/index.html" "$tmp/err.dom"
	if grep -q 'The annotation failed' "$tmp/err.dom" &&
	   grep -q 'err-unsat.c:17: error: TS_GREEN' "$tmp/err.dom" &&
	   grep -q 'red origin: a load from mutable memory' "$tmp/err.dom"; then
		pass "error-chain"
	else
		fail "error-chain" "the loaded index does not show the error and its chain"
	fi
fi

# the screenshots are PNG files
ok=1
for p in tl-index tl-callee bf-index; do
	[ "$(head -c 8 "$art/$p.png" 2>/dev/null | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ] || ok=0
done
if [ $ok = 1 ]; then pass screenshots; else fail screenshots "no PNG under $art"; fi
