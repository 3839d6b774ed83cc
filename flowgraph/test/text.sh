#!/bin/sh
# text.sh: the flow-graph text format and the verifier.
#
#   golden/NAME     flowgraph/test/ir/NAME.fg parses, verifies and prints as
#                   NAME.expect (or as itself without its '#' lines)
#   identity/NAME   print -> parse -> print is the identity
#   parse/NAME      ir/parse/NAME.fg fails to parse with exactly NAME.err
#   verify/NAME     ir/verify/NAME.fg parses and the verifier prints NAME.err
#   builders/...    text_verify and text_names (modules made with the builders)
#   import/FILE     bin/tsgen's text dump of each C test program and bundled
#                   interpreter reads back and prints identically
#   fuzz/NAME       seeded corruptions of each golden file: a clean error or a
#                   clean success (whose printout again round-trips), no crash
#   valgrind/...    a few of those under valgrind: no memory error or leak
# Run from the top folder (tools/runtests.sh does).
B=build/flowgraph/test
IR=flowgraph/test/ir
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; }
# fail with the first lines of a file as details
failf() { echo "FAIL $1"; sed -n '1,15s/^/    /p' "$2"; }

for p in text_roundtrip text_verify text_names text_fuzz; do
	[ -x $B/$p ] || { fail "build/$p" "$B/$p is missing (make tests)"; exit 1; }
done

# --- golden files and identity ---------------------------------------------
for f in $IR/*.fg; do
	n=$(basename "$f" .fg)
	if [ -f $IR/$n.expect ]; then cp $IR/$n.expect "$T/want"; else grep -v '^#' "$f" >"$T/want"; fi
	if ! $B/text_roundtrip "$f" >"$T/out" 2>"$T/err"; then
		failf "golden/$n" "$T/err"
		continue
	fi
	if diff -u "$T/want" "$T/out" >"$T/diff"; then pass "golden/$n"; else failf "golden/$n" "$T/diff"; fi
	cp "$T/out" "$T/once.fg"
	if $B/text_roundtrip "$T/once.fg" >"$T/twice" 2>"$T/err" && cmp -s "$T/once.fg" "$T/twice"; then
		pass "identity/$n"
	else
		diff -u "$T/once.fg" "$T/twice" >>"$T/err"
		failf "identity/$n" "$T/err"
	fi
done

# --- parser and verifier errors ---------------------------------------------
for kind in parse verify; do
	want=1
	[ $kind = verify ] && want=2
	for f in $IR/$kind/*.fg; do
		n=$(basename "$f" .fg)
		$B/text_roundtrip "$f" >/dev/null 2>"$T/err"
		rc=$?
		if [ $rc -ne $want ]; then
			fail "$kind/$n" "exit status $rc, expected $want"
		elif diff -u "${f%.fg}.err" "$T/err" >"$T/diff"; then
			pass "$kind/$n"
		else
			failf "$kind/$n" "$T/diff"
		fi
	done
done

# --- modules made with the builders ------------------------------------------
$B/text_verify >"$T/out" 2>&1
rc=$?
if [ $rc -eq 0 ] && diff -u $IR/verify.expect "$T/out" >"$T/diff"; then
	pass builders/verify
else
	echo "exit status $rc" >>"$T/diff"
	failf builders/verify "$T/diff"
fi
$B/text_names >"$T/out" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ] && diff -u $IR/names.expect "$T/out" >"$T/diff"; then
	pass builders/names
else
	cat "$T/err" >>"$T/diff"
	failf builders/names "$T/diff"
fi

# --- importer output round-trips ----------------------------------------------
if [ -x bin/tsgen ]; then
	for c in flowgraph/test/c/*.c $(ls interpreters/*/*.c | grep -v /test/); do
		[ -f "$c" ] || continue
		rm -f "$T/a.fg" "$T/b.fg"
		if ! bin/tsgen dump --format text -Ihintannotator "$c" -o "$T/a.fg" 2>"$T/err"; then
			# an import failure is the importer's suite's business
			grep -q 'error:' "$T/err" && continue
			failf "import/$c" "$T/err"
			continue
		fi
		if bin/tsgen dump --format text "$T/a.fg" -o "$T/b.fg" 2>"$T/err" &&
		   cmp -s "$T/a.fg" "$T/b.fg"; then
			pass "import/$c"
		else
			diff -u "$T/a.fg" "$T/b.fg" >>"$T/err"
			failf "import/$c" "$T/err"
		fi
	done
fi

# --- fuzz ------------------------------------------------------------------------
# 80 variants of each golden file (seeded); exit status 0 (accepted), 1 (one
# parse error line) or 2 (verifier errors); accepted text prints stably.
mkdir "$T/fz"
seed=1
for f in $IR/*.fg; do
	n=$(basename "$f" .fg)
	rm -f "$T"/fz/*
	$B/text_fuzz $seed 80 "$T/fz" "$f"
	seed=$((seed + 1))
	bad=""
	i=0
	while [ $i -lt 80 ]; do
		v="$T/fz/v$i.fg"
		$B/text_roundtrip "$v" >"$T/out" 2>"$T/err"
		rc=$?
		case $rc in
		0)
			$B/text_roundtrip "$T/out" >"$T/out2" 2>>"$T/err"
			cmp -s "$T/out" "$T/out2" || bad="$bad v$i:not-stable"
			;;
		1)
			[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "^$v:[0-9]*: error: " "$T/err" ||
				bad="$bad v$i:bad-message"
			;;
		2)
			grep -q "error: " "$T/err" || bad="$bad v$i:no-message"
			;;
		*)
			bad="$bad v$i:exit-$rc"
			cp "$v" "/tmp/text-fuzz-$n-v$i.fg" 2>/dev/null
			;;
		esac
		i=$((i + 1))
	done
	if [ -z "$bad" ]; then pass "fuzz/$n (80 variants, seed $((seed - 1)))"; else fail "fuzz/$n" "$bad"; fi
done

# --- valgrind ------------------------------------------------------------------
if command -v valgrind >/dev/null; then
	rm -f "$T"/fz/*
	$B/text_fuzz 99 6 "$T/fz" $IR/all.fg $IR/cgoto.fg
	for v in $IR/all.fg "$T"/fz/v*.fg; do
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			$B/text_roundtrip "$v" >/dev/null 2>"$T/err"
		if [ $? -eq 99 ]; then failf "valgrind/$(basename $v)" "$T/err"; else pass "valgrind/$(basename $v)"; fi
	done
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		$B/text_names >/dev/null 2>"$T/err"
	if [ $? -eq 99 ]; then failf valgrind/text_names "$T/err"; else pass valgrind/text_names; fi
fi
exit 0
