# testlib.sh: helpers for the interpreters' test suites (sourced, not run).
# Each helper runs one command and prints "PASS name" or "FAIL name"
# followed by indented details.  Run from the top folder.
#
#   t_out NAME EXPECTFILE CMD...        stdout equals EXPECTFILE, exit 0
#   t_err NAME STATUS MESSAGE CMD...    exit STATUS, stderr is MESSAGE
#   t_tsgen NAME EXPECTFILE FILES ARGS...
#                                       same through `bin/tsgen run` (FILES:
#                                       the .c files, separated by spaces);
#                                       nothing when bin/tsgen is missing
#   t_tsgen_err NAME STATUS MESSAGE FILES ARGS...    (same for t_err)
#   t_tsgen_all LANG FILES "PROG N"...  t_tsgen of interpreters/LANG/programs/
#                                       PROG.LANG N against test/PROG-N.expect
#   t_fuzz NAME COUNT CMD...            COUNT random files: no signal, no hang
#   t_guestfuzz                         builds $T_TMP/guestfuzz (the random
#                                       guest programs) or prints a FAIL
#   t_same NAME MODES PLAIN JIT ARGS... PLAIN ARGS and, under each test mode
#                                       of MODES (e.g. "TS_INTERP=1"), JIT
#                                       ARGS agree: stdout, stderr, status
# Set T_IN=FILE to feed FILE on stdin (default: /dev/null).

T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT
T_TIMEOUT=${T_TIMEOUT:-300}  # generous: the machine is shared

# Print the indented details of a failure: the first lines of file $1.
t_show() {
	head -n 20 "$1" | sed 's/^/    /'
}

t_out() {
	name=$1 expect=$2
	shift 2
	timeout "$T_TIMEOUT" "$@" <"${T_IN:-/dev/null}" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL $name"
		echo "    exit status $rc: $*"
		t_show "$T_TMP/err"
	elif ! cmp -s "$expect" "$T_TMP/out"; then
		echo "FAIL $name"
		echo "    output differs from $expect: $*"
		diff "$expect" "$T_TMP/out" >"$T_TMP/diff" 2>&1
		t_show "$T_TMP/diff"
	else
		echo "PASS $name"
	fi
}

t_err() {
	name=$1 status=$2 msg=$3
	shift 3
	timeout "$T_TIMEOUT" "$@" <"${T_IN:-/dev/null}" >"$T_TMP/out" 2>"$T_TMP/err"
	rc=$?
	printf '%s\n' "$msg" >"$T_TMP/msg"
	if [ $rc -ne "$status" ]; then
		echo "FAIL $name"
		echo "    exit status $rc, expected $status: $*"
		t_show "$T_TMP/err"
	elif ! cmp -s "$T_TMP/msg" "$T_TMP/err"; then
		echo "FAIL $name"
		echo "    stderr differs: $*"
		diff "$T_TMP/msg" "$T_TMP/err" >"$T_TMP/diff" 2>&1
		t_show "$T_TMP/diff"
	else
		echo "PASS $name"
	fi
}

# True when bin/tsgen exists and has a `run` subcommand.
t_havetsgen() {
	[ -x bin/tsgen ] && bin/tsgen run --help >/dev/null 2>&1
}

t_tsgen() {
	name=$1 expect=$2 src=$3
	shift 3
	t_havetsgen || return 0
	t_out "$name" "$expect" bin/tsgen run $src -Ihintannotator -- "$@"
}

t_tsgen_err() {
	name=$1 status=$2 msg=$3 src=$4
	shift 4
	t_havetsgen || return 0
	t_err "$name" "$status" "$msg" bin/tsgen run $src -Ihintannotator -- "$@"
}

t_tsgen_all() {
	lang=$1 srcs=$2
	shift 2
	for c in "$@"; do
		set -- $c
		t_tsgen "$lang tsgen $1 $2" interpreters/$lang/test/$1-$2.expect "$srcs" \
			interpreters/$lang/programs/$1.$lang $2
	done
}

# Write COUNT random files $1.0 .. $1.(COUNT-1): random bytes, or with a
# word list $3, random programs made of those words.  A word NAME:K takes
# K small-number operands, NAME:L one label (l0..l3); mostly right.  Labels
# are defined once, most often all of them (the missing ones at the end,
# on the first word, which should take no operand).  $T_PROLOGUE (lines)
# starts every program.
t_randfiles() {
	awk -v base="$1" -v count="$2" -v words="$3" -v prologue="${T_PROLOGUE:-}" '
	function bytes(f,   n, i) {
		n = int(rand() * 400);
		for (i = 0; i < n; i++) printf "%c", int(rand() * 255) + 1 >f
	}
	function prog(f,   n, i, j, k, lab, nops, r, fld, nl) {
		n = int(rand() * 30) + 1;
		nl = 0;
		if (prologue != "") printf "%s\n", prologue >f;
		for (i = 0; i < n; i++) {
			if (rand() < 0.15 && nl < 4) printf "l%d: ", nl++ >f;
			k = split(w[int(rand() * nw) + 1], fld, ":");
			lab = fld[2] == "L";
			nops = lab ? 1 : fld[2] + 0;
			if (rand() < 0.01) nops = 1 - nops;
			printf "%s", fld[1] >f;
			for (j = 0; j < nops; j++) {
				r = rand();
				if (lab && r < 0.8) printf " l%d", int(rand() * 4) >f;
				else if (r < 0.97) printf " %d", int(rand() * 6) >f;
				else printf " %d", int(rand() * 600) - 300 >f;
			}
			printf "\n" >f
		}
		split(w[1], fld, ":");
		if (rand() < 0.9) for (; nl < 4; nl++) printf "l%d: %s\n", nl, fld[1] >f;
	}
	BEGIN { srand(1); nw = split(words, w, " ");
		for (c = 0; c < count; c++) {
			f = base "." c;
			printf "" >f;
			if (nw) prog(f); else bytes(f);
			close(f)
		} }'
}

# For the word fuzzers of the stack languages (TL, TLF; TLC adds its own
# words): a prologue leaving a few values on the stack, so that programs
# run longer, and TL's instructions with their operand kinds.
T_STACKPRO="PUSHARG
PUSH 1
PUSH 2
PUSHARG
PUSH 3
PUSH 4"
T_STACKWORDS="NOP:0 PUSH:1 POP:0 SWAP:0 ROLL:1 PICK:1 PUT:1 ADD:0 SUB:0 MUL:0 DIV:0 EQ:0
NE:0 LT:0 LE:0 GT:0 GE:0 BR_COND:L BR_COND_STK:0 CALL:L RETURN:0 PUSHARG:0"

# Run CMD FILE on COUNT random files: every run must end by itself within
# 10 s (or, with T_MAYLOOP set, may be cut after 0.5 s) with status 0, 1 or
# 2, never by a signal.  T_GEN is the word list (default: random bytes); T_FUZZARG
# follows the file on the command line.
t_fuzz() {
	name=$1 count=$2
	shift 2
	t_randfiles "$T_TMP/fuzz" "$count" "${T_GEN:-}"
	i=0 bad="" limit=10
	[ -n "${T_MAYLOOP:-}" ] && limit=0.5
	while [ $i -lt "$count" ]; do
		timeout -s KILL "$limit" "$@" "$T_TMP/fuzz.$i" ${T_FUZZARG:-} </dev/null >/dev/null 2>"$T_TMP/err"
		rc=$?
		case $rc in
		0|1|2) ;;
		137) [ -n "${T_MAYLOOP:-}" ] || bad="$bad $i:hang" ;;
		*) bad="$bad $i:$rc" ;;
		esac
		i=$((i + 1))
	done
	if [ -n "$bad" ]; then
		echo "FAIL $name"
		echo "    files with a bad exit status:$bad"
	else
		echo "PASS $name"
	fi
}

# t_same NAME MODES PLAIN JIT ARGS...: the JIT VM agrees with the plain
# interpreter under every mode of MODES (environment settings, one word
# each).  Timeouts: T_PLAIN_TIMEOUT and T_JIT_TIMEOUT seconds.
t_same() {
	name=$1 modes=$2 plain=$3 vm=$4
	shift 4
	timeout "${T_PLAIN_TIMEOUT:-20}" $plain "$@" <"${T_IN:-/dev/null}" >"$T_TMP/want.out" 2>"$T_TMP/want.err"
	echo $? >"$T_TMP/want.rc"
	bad=
	for mode in $modes; do
		env $mode timeout "${T_JIT_TIMEOUT:-60}" $vm "$@" <"${T_IN:-/dev/null}" >"$T_TMP/got.out" 2>"$T_TMP/got.err"
		echo $? >"$T_TMP/got.rc"
		for k in out err rc; do
			cmp -s "$T_TMP/want.$k" "$T_TMP/got.$k" || bad="$bad $mode:$k"
		done
		[ -n "$bad" ] && break
	done
	if [ -z "$bad" ]; then
		echo "PASS $name"
		return
	fi
	echo "FAIL $name"
	echo "    $vm differs from $plain:$bad ($*)"
	echo "    want status $(cat "$T_TMP/want.rc"), got $(cat "$T_TMP/got.rc")"
	diff "$T_TMP/want.out" "$T_TMP/got.out" | head -5 | sed 's/^/    out: /'
	diff "$T_TMP/want.err" "$T_TMP/got.err" | head -5 | sed 's/^/    err: /'
}

# t_guestfuzz: compile interpreters/test/guestfuzz.c (without a warning)
# as $T_TMP/guestfuzz; on failure print "FAIL guestfuzz build" and fail.
t_guestfuzz() {
	if cc -O2 -g -std=gnu11 -Wall -Wextra -Wshadow -Wmissing-prototypes \
	      -Wstrict-prototypes -Wno-unused-parameter -Wno-sign-compare \
	      -o "$T_TMP/guestfuzz" interpreters/test/guestfuzz.c 2>"$T_TMP/cc.err" &&
	   [ ! -s "$T_TMP/cc.err" ]; then
		return 0
	fi
	echo "FAIL guestfuzz build"
	t_show "$T_TMP/cc.err"
	return 1
}
