#!/bin/sh
# import.sh: tests of the LLVM-C importer (flowgraph/import.c), through
# build/flowgraph/test/import_smoke, which imports files and prints a
# summary of the module (globals with their bytes and relocations, every
# function's blocks, operations, exits and links).
#   golden/NAME     flowgraph/test/c/NAME.ir is the expected summary of NAME.c
#   bad/FILE        a bad input: exit status 1, and the last line of stderr
#                   is FILE.expect (a file:line: error: message)
#   fuzz/...        truncated and corrupted bitcode and IR text (seeded):
#                   a clean import or a clean error, never a crash
#   link/...        main.c + lib.c of flowgraph/test/link linked (summary in
#                   link.ir, run against the native build), dup.c clashes
#   text/NAME       each program of c/ and interpreters/ verifies, and its
#                   text form round-trips (print -> parse -> print)
#   memcheck/NAME   no memory error or definite leak under valgrind
#   interp/NAME     every interpreters/*/*.c imports (and verifies through
#                   bin/tsgen dump when bin/tsgen is built)
# Set UPDATE=1 to rewrite the golden files.
cd "$(dirname "$0")/../.." || exit 2
smoke=build/flowgraph/test/import_smoke
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$smoke" ]; then
	echo "FAIL import/build"
	echo "    $smoke is missing (make tests)"
	exit 1
fi
# private copies: a concurrent `make` may relink the programs while we run
cp "$smoke" "$tmp/import_smoke" && smoke=$tmp/import_smoke
tsgen=""
[ -x bin/tsgen ] && cp bin/tsgen "$tmp/tsgen" && tsgen=$tmp/tsgen

# --- golden summaries ------------------------------------------------------
for ir in flowgraph/test/c/*.ir; do
	[ -f "$ir" ] || continue
	src=${ir%.ir}.c
	[ -f "$src" ] || src=${ir%.ir}.ll
	name=$(basename "$ir" .ir)
	if ! "$smoke" "$src" -- -I hintannotator >"$tmp/out" 2>"$tmp/err"; then
		echo "FAIL golden/$name"
		sed 's/^/    /' "$tmp/err" | head -10
	elif [ -n "$UPDATE" ]; then
		cp "$tmp/out" "$ir"
		echo "PASS golden/$name (updated)"
	elif cmp -s "$ir" "$tmp/out"; then
		echo "PASS golden/$name"
	else
		echo "FAIL golden/$name"
		diff "$ir" "$tmp/out" | head -20 | sed 's/^/    /'
	fi
done

# --- bad inputs ------------------------------------------------------------
# check FILE LABEL: importing FILE fails cleanly with a file:line: error.
cleanerror()
{
	"$smoke" "$1" >/dev/null 2>"$tmp/err"
	rc=$?
	last=$(tail -n 1 "$tmp/err")
	if [ "$rc" -ne 1 ]; then
		echo "exit status $rc, expected 1"
	elif ! grep -q . "$tmp/err" ; then
		echo "no message"
	elif grep -q "internal error" "$tmp/err"; then
		echo "internal error: $(grep 'internal error' "$tmp/err" | head -1)"
	else
		case $last in
		"$1: error: "* | "$1:"[0-9]*": error: "* | "$1:"[0-9]*:[0-9]*": error: "*) ;;
		*) echo "last line is not '$1[:line]: error: ...': $last" ;;
		esac
	fi
}

for f in flowgraph/test/bad/*.c flowgraph/test/bad/*.ll flowgraph/test/bad/*.bc; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	why=$(cleanerror "$f")
	if [ -z "$why" ] && [ -f "$f.expect" ] && [ "$(tail -n 1 "$tmp/err")" != "$(cat "$f.expect")" ]; then
		why="expected: $(cat "$f.expect")
got:      $(tail -n 1 "$tmp/err")"
	fi
	if [ -z "$why" ]; then
		echo "PASS bad/$name"
	else
		echo "FAIL bad/$name"
		echo "$why" | sed 's/^/    /'
	fi
done

# --- fuzz: truncated and corrupted bitcode and IR text ----------------------
# fuzzone FILE: a clean import (exit 0) or a clean error; else prints why.
fuzzone()
{
	"$smoke" "$1" >/dev/null 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 0 ] && return 0
	cleanerror "$1"
}

# corrupt IN OUT SEED: OUT is IN with 1 to 8 bytes (past the magic) replaced
# by pseudo-random ones; awk's generator, seeded, makes it repeatable.
corrupt()
{
	cp "$1" "$2"
	size=$(wc -c <"$1")
	awk -v seed="$3" -v size="$size" 'BEGIN {
		srand(seed); n = 1 + int(rand() * 8)
		for (i = 0; i < n; i++)
			print 4 + int(rand() * (size - 4)), int(rand() * 256)
	}' | while read -r off val; do
		# shellcheck disable=SC2059
		printf "\\$(printf %03o "$val")" | dd of="$2" bs=1 seek="$off" count=1 conv=notrunc 2>/dev/null
	done
}

src=flowgraph/test/c/cgoto.c
if ! clang-14 -O0 -g -emit-llvm -c "$src" -o "$tmp/real.bc" 2>"$tmp/err" ||
	! clang-14 -O0 -g -emit-llvm -S "$src" -o "$tmp/real.ll" 2>>"$tmp/err"; then
	echo "FAIL fuzz/setup"
	sed 's/^/    /' "$tmp/err"
else
	for kind in bc ll; do
		size=$(wc -c <"$tmp/real.$kind")
		why=""
		for len in 4 20 100 $((size / 3)) $((size / 2)) $((size - 1)); do
			head -c "$len" "$tmp/real.$kind" >"$tmp/trunc$len.$kind"
			w=$(fuzzone "$tmp/trunc$len.$kind")
			[ -n "$w" ] && why="$why
length $len: $w"
		done
		if [ -z "$why" ]; then
			echo "PASS fuzz/truncated-$kind"
		else
			echo "FAIL fuzz/truncated-$kind"
			echo "$why" | sed '/^$/d; s/^/    /'
		fi
	done
	for kind in bc ll; do
		why=""
		seed=1
		n=40
		[ $kind = ll ] && n=20
		while [ "$seed" -le $n ]; do
			corrupt "$tmp/real.$kind" "$tmp/corrupt$seed.$kind" "$seed"
			w=$(fuzzone "$tmp/corrupt$seed.$kind")
			[ -n "$w" ] && why="$why
seed $seed: $w"
			seed=$((seed + 1))
		done
		if [ -z "$why" ]; then
			echo "PASS fuzz/corrupt-$kind ($n seeds)"
		else
			echo "FAIL fuzz/corrupt-$kind"
			echo "$why" | sed '/^$/d; s/^/    /'
		fi
	done
	# the whole file must still import: the fuzz inputs above are really bad
	if "$smoke" "$tmp/real.bc" >/dev/null 2>"$tmp/err"; then
		echo "PASS fuzz/original-bc"
	else
		echo "FAIL fuzz/original-bc"
		sed 's/^/    /' "$tmp/err" | head -5
	fi
fi

# --- linking several files ----------------------------------------------------
l=flowgraph/test/link
if ! "$smoke" $l/main.c $l/lib.c >"$tmp/out" 2>"$tmp/err"; then
	echo "FAIL link/golden"
	sed 's/^/    /' "$tmp/err" | head -10
elif [ -n "$UPDATE" ]; then
	cp "$tmp/out" $l/link.ir
	echo "PASS link/golden (updated)"
elif cmp -s $l/link.ir "$tmp/out"; then
	echo "PASS link/golden"
else
	echo "FAIL link/golden"
	diff $l/link.ir "$tmp/out" | head -20 | sed 's/^/    /'
fi
if [ -n "$tsgen" ]; then
	cc -O0 -w -o "$tmp/native" $l/main.c $l/lib.c
	"$tmp/native" >"$tmp/n.out" 2>&1
	nrc=$?
	"$tsgen" run $l/main.c $l/lib.c >"$tmp/t.out" 2>&1
	trc=$?
	if [ "$nrc" -eq "$trc" ] && cmp -s "$tmp/n.out" "$tmp/t.out"; then
		echo "PASS link/run"
	else
		echo "FAIL link/run"
		echo "    exit status: native $nrc, tsgen run $trc"
		diff "$tmp/n.out" "$tmp/t.out" | head -10 | sed 's/^/    /'
	fi
fi
"$smoke" $l/lib.c $l/dup.c >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(tail -n 1 "$tmp/err")" = "$l/dup.c: error: Linking globals named 'lib_add': symbol multiply defined!" ]; then
	echo "PASS link/duplicate"
else
	echo "FAIL link/duplicate"
	echo "    exit status $rc, stderr:"
	sed 's/^/    /' "$tmp/err" | head -5
fi

# --- every imported program verifies and its text form round-trips -----------
for f in flowgraph/test/c/*.c flowgraph/test/c/*.ll $(ls interpreters/*/*.c | grep -v /test/); do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	"$smoke" -r "$f" -- -I hintannotator >/dev/null 2>"$tmp/err"
	rc=$?
	case $rc in
	0) echo "PASS text/$name" ;;
	1) echo "FAIL text/$name"; echo "    import failed" ;;
	2) echo "FAIL text/$name"; echo "    fg_verify failed" ;;
	3) echo "FAIL text/$name"; echo "    print -> parse -> print differs" ;;
	*) echo "FAIL text/$name"; echo "    exit status $rc" ;;
	esac
	[ "$rc" -eq 0 ] || sed 's/^/    /' "$tmp/err" | head -10
done

# --- memory errors (valgrind memcheck, when installed) -------------------------
if command -v valgrind >/dev/null 2>&1; then
	for f in flowgraph/test/c/cgoto.c; do
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			"$smoke" "$f" >/dev/null 2>"$tmp/err"
		if [ $? -eq 99 ]; then
			echo "FAIL memcheck/$(basename "$f")"
			grep '^==' "$tmp/err" | head -20 | sed 's/^/    /'
		else
			echo "PASS memcheck/$(basename "$f")"
		fi
	done
fi

# --- the interpreters --------------------------------------------------------
for f in $(ls interpreters/*/*.c | grep -v /test/); do
	[ -f "$f" ] || continue
	name=$(basename "$f" .c)
	if ! "$smoke" "$f" -- -I hintannotator >/dev/null 2>"$tmp/err"; then
		echo "FAIL interp/$name"
		sed 's/^/    /' "$tmp/err" | head -10
	elif [ -n "$tsgen" ] && ! "$tsgen" dump --format text "$f" -Ihintannotator >/dev/null 2>"$tmp/err"; then
		echo "FAIL interp/$name"
		echo "    bin/tsgen dump (import + verify) failed:"
		sed 's/^/    /' "$tmp/err" | head -10
	else
		echo "PASS interp/$name"
	fi
done
