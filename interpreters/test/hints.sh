#!/bin/sh
# hints.sh: the hints of each interpreter cost nothing in a plain build and
# are all there in an analysis build.
#  - "free": the interpreter compiled -O2 with hints.h, and a copy with
#    every hint stripped out by sed, give the same machine code (objdump);
#  - "markers": compiled with -DTS_ANALYZE (as tsgen does), the object
#    calls the marker functions the interpreter's hints stand for, and
#    some function carries the ts.residual annotation.
. interpreters/testlib.sh

strip_hints() {
	sed -e '/TS_MERGE_POINT(/d' -e '/#include "hints.h"/d' \
	    -e 's/TS_GREEN(/(/g; s/TS_PROMOTE(/(/g; s/TS_DEEPFREEZE(/(/g; s/TS_RESIDUAL //g' "$1"
}

disasm() {
	objdump -d --no-show-raw-insn "$1" | tail -n +4
}

for build in tlr tl tlc bf bf:-DCOMPUTED_GOTO; do
	i=${build%%:*} flag=
	[ "$build" != "$i" ] && flag=${build#*:}
	name="$i${flag:+ $flag}"
	strip_hints interpreters/$i/$i.c >"$T_TMP/nohints.c"
	if grep -q 'TS_[A-Z]*(' "$T_TMP/nohints.c"; then
		echo "FAIL $name hints free"
		echo "    hints left after stripping"
		continue
	fi
	cc -O2 -std=gnu11 $flag -I hintannotator -c interpreters/$i/$i.c -o "$T_TMP/with.o" &&
	cc -O2 -std=gnu11 $flag -I interpreters/$i -c "$T_TMP/nohints.c" -o "$T_TMP/without.o" 2>"$T_TMP/err"
	disasm "$T_TMP/with.o" >"$T_TMP/with.s"
	disasm "$T_TMP/without.o" >"$T_TMP/without.s"
	if [ -s "$T_TMP/with.s" ] && cmp -s "$T_TMP/with.s" "$T_TMP/without.s"; then
		echo "PASS $name hints free"
	else
		echo "FAIL $name hints free"
		diff "$T_TMP/with.s" "$T_TMP/without.s" >"$T_TMP/diff"
		t_show "$T_TMP/diff"
	fi
done

# interpreter: markers its analysis build must call
for want in "tlr:ts_merge_point ts_hint_green ts_hint_deepfreeze" \
            "tl:ts_merge_point ts_hint_green ts_hint_deepfreeze ts_hint_promote" \
            "tlc:ts_merge_point ts_hint_green ts_hint_deepfreeze ts_hint_promote" \
            "bf:ts_merge_point ts_hint_green ts_hint_deepfreeze"; do
	i=${want%%:*}
	if ! clang-14 -O0 -DTS_ANALYZE -I hintannotator -c interpreters/$i/$i.c \
	    -o "$T_TMP/an.o" 2>"$T_TMP/err"; then
		echo "FAIL $i hint markers"
		t_show "$T_TMP/err"
		continue
	fi
	missing=
	for m in ${want#*:}; do
		nm "$T_TMP/an.o" | grep -q " U $m\$" || missing="$missing $m"
	done
	clang-14 -O0 -DTS_ANALYZE -I hintannotator -S -emit-llvm -o "$T_TMP/an.ll" \
		interpreters/$i/$i.c 2>/dev/null
	grep -q 'ts\.residual' "$T_TMP/an.ll" || missing="$missing TS_RESIDUAL"
	if [ -n "$missing" ]; then
		echo "FAIL $i hint markers"
		echo "    not called:$missing"
	else
		echo "PASS $i hint markers"
	fi
done
