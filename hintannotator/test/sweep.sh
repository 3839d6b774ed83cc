#!/bin/sh
# sweep.sh: annotate every defined function of the importer's C tests and
# of the interpreters as the portal (robustness; see sweep.c).
cd "$(dirname "$0")/../.." || exit 2
t=build/hintannotator/test/sweep
if [ ! -x $t ]; then
	echo "FAIL hint-sweep (not built: make $t)"
	exit 1
fi
for f in flowgraph/test/c/*.c $(ls interpreters/*/*.c | grep -v /test/); do
	[ -f "$f" ] || continue
	$t "$f" 2>/dev/null || echo "FAIL hint-sweep $f (exit $?)"
done
