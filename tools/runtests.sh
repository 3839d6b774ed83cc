#!/bin/sh
# runtests.sh: run every test suite (<dir>/test/*.sh) from the top folder.
# A suite prints one line per test, "PASS name" or "FAIL name" (details may
# follow a FAIL, indented).  This script sums them up and ends with the line
# "N passed, N failed"; it fails when any test or suite failed.
# Usage: tools/runtests.sh [SUITE...]   (default: all suites)
cd "$(dirname "$0")/.." || exit 2
suites=$*
[ -n "$suites" ] || suites=$(ls */test/*.sh */*/test/*.sh 2>/dev/null)
log=$(mktemp)
for d in $suites; do
	out=$(mktemp)
	t0=$(date +%s)
	sh "$d" >"$out" 2>&1
	rc=$?
	echo "== $d ($(($(date +%s) - t0)) s)"
	cat "$out"
	cat "$out" >>"$log"
	if [ $rc -ne 0 ] && ! grep -q "^FAIL" "$out"; then
		echo "FAIL $d (exit $rc)" | tee -a "$log"
	fi
	rm -f "$out"
done
passed=$(grep -c '^PASS' "$log")
failed=$(grep -c '^FAIL' "$log")
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
