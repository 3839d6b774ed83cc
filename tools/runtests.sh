#!/bin/sh
# runtests.sh: run every test suite (<dir>/test/run.sh) from the top folder.
# A suite prints one line per test, "PASS name" or "FAIL name" (details may
# follow a FAIL, indented).  This script sums them up and ends with the line
# "N passed, N failed"; it fails when any test or suite failed.
# Usage: tools/runtests.sh [SUITE-DIR...]   (default: all suites)
cd "$(dirname "$0")/.." || exit 2
suites=$*
[ -n "$suites" ] || suites=$(ls -d */test */*/test 2>/dev/null)
log=$(mktemp)
status=0
for d in $suites; do
	[ -x "$d/run.sh" ] || [ -f "$d/run.sh" ] || continue
	echo "== $d"
	out=$(mktemp)
	sh "$d/run.sh" >"$out" 2>&1
	rc=$?
	cat "$out"
	cat "$out" >>"$log"
	if [ $rc -ne 0 ] && ! grep -q "^FAIL" "$out"; then
		echo "FAIL $d/run.sh (exit $rc)" | tee -a "$log"
	fi
	rm -f "$out"
done
passed=$(grep -c '^PASS' "$log")
failed=$(grep -c '^FAIL' "$log")
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
