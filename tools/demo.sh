#!/bin/sh
# demo.sh: the main job on the bundled inputs (`make demo`).
# Draws the flow graph of each bundled interpreter's portal, plain and
# coloured with binding times (green: known when machine code is
# generated, red: known only when it runs), as SVG under build/demo/.
set -e
cd "$(dirname "$0")/.."
out=build/demo
mkdir -p "$out"
for pair in tlr:tlr_interp tl:tl_interp tlc:tlc_interp bf:bf_run; do
	name=${pair%%:*}
	portal=${pair#*:}
	src=interpreters/$name/$name.c
	bin/tsgen dump --format svg "$src" --function "$portal" -o "$out/$name-graph.svg"
	bin/tsgen annotate --format svg "$src" --portal "$portal" --function "$portal" \
		-o "$out/$name-bt.svg"
	bin/tsgen annotate "$src" --portal "$portal" >"$out/$name-bt.txt"
	echo "demo: $name: $out/$name-graph.svg (flow graph of $portal)," \
		"$out/$name-bt.svg and $out/$name-bt.txt (binding times)"
done
