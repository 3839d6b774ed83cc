#!/bin/sh
# demo.sh: the main job on the bundled inputs (`make demo`).
# Draws the flow graph of each bundled interpreter's portal, plain and
# coloured with binding times (green: known when machine code is
# generated, red: known only when it runs), as SVG under build/demo/;
# then races Brainfuck mandelbrot on bin/bf and its JIT VM bin/bf-jit.
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

# The race: Brainfuck mandelbrot on the plain interpreter and on its JIT VM.
prog=../shared/bench/bf/mandelbrot.b
if [ ! -f "$prog" ]; then
	echo "demo: $prog not found (shared/ beside the clone): no race"
	exit 0
fi
now() { date +%s.%N; }
t0=$(now)
bin/bf "$prog" >"$out/mandelbrot.plain.txt"
t1=$(now)
bin/bf-jit "$prog" >"$out/mandelbrot.jit.txt"
t2=$(now)
cat "$out/mandelbrot.jit.txt"
cmp -s "$out/mandelbrot.plain.txt" "$out/mandelbrot.jit.txt" && same=same || same=DIFFERENT
awk -v a="$t0" -v b="$t1" -v c="$t2" -v s="$same" 'BEGIN {
	printf "demo: mandelbrot.b: bin/bf %.2f s, bin/bf-jit %.2f s (%.1fx), %s output\n",
		b - a, c - b, (b - a) / (c - b), s }'
