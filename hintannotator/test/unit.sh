#!/bin/sh
# unit.sh: the annotator's unit tests on graphs built with the IR builders.
cd "$(dirname "$0")/../.." || exit 2
t=build/hintannotator/test/unit
if [ ! -x $t ]; then
	echo "FAIL hint-unit (not built: make $t)"
	exit 1
fi
$t 2>/dev/null | sed 's/^\(PASS\|FAIL\) /\1 hint-unit: /'
