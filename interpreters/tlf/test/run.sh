#!/bin/sh
# run.sh: tests of the TLF interpreter (bin/tlf): TL's programs with
# their expected output, errors, the frame opcodes (DEPTH, SUM, INCALL),
# fuzzed input, and the small programs through `bin/tsgen run`.
. interpreters/testlib.sh
D=interpreters/tlf
P=$D/programs
E=$D/test/err
S="$D/tlf.c interpreters/asm.c"  # the sources, for bin/tsgen run

for n in 0 1 5 7 20; do
	t_out "tlf factorial $n" $D/test/factorial-$n.expect bin/tlf $P/factorial.tlf $n
done
for n in 0 1 2 10 20; do
	t_out "tlf fib $n" $D/test/fib-$n.expect bin/tlf $P/fib.tlf $n
done
for n in 0 5 9; do
	t_out "tlf roll $n" $D/test/roll-$n.expect bin/tlf $P/roll.tlf $n
done
for n in 3 10 20 98 100 1000; do
	t_out "tlf stackops $n" $D/test/stackops-$n.expect bin/tlf $P/stackops.tlf $n
done
for n in 0 1 5 100 1000; do
	t_out "tlf frame $n" $D/test/frame-$n.expect bin/tlf $P/frame.tlf $n
done

t_err "tlf usage" 2 "usage: tlf FILE N" bin/tlf $P/fib.tlf
t_err "tlf bad N" 2 "tlf: error: not an integer: 'x'" bin/tlf $P/fib.tlf x
t_err "tlf missing file" 1 "tlf: error: cannot open '$D/nofile.tlf'" bin/tlf $D/nofile.tlf 1
t_err "tlf unknown opcode" 1 "tlf: $E/badop.tlf:2: error: unknown opcode 'FOO'" bin/tlf $E/badop.tlf 1
t_err "tlf operand too big" 1 "tlf: $E/bigarg.tlf:1: error: bad operand '128'" bin/tlf $E/bigarg.tlf 1
t_err "tlf extra operand" 1 "tlf: $E/extra.tlf:1: error: unexpected text after 'PUSH'" bin/tlf $E/extra.tlf 1
t_err "tlf branch too far" 1 "tlf: $E/far.tlf:2: error: branch too far to 'far'" bin/tlf $E/far.tlf 1
t_err "tlf jump out of range" 1 "tlf: $E/jumprange.tlf:2: error: jump out of range by '100'" bin/tlf $E/jumprange.tlf 1
t_err "tlf jump into instruction" 1 "tlf: $E/jumpmid.tlf:2: error: jump into an instruction by '-1'" bin/tlf $E/jumpmid.tlf 1
t_err "tlf undefined label" 1 "tlf: $E/nolabel.tlf:1: error: undefined label 'nowhere'" bin/tlf $E/nolabel.tlf 1
t_err "tlf label twice" 1 "tlf: $E/twice.tlf:2: error: label defined twice 'x'" bin/tlf $E/twice.tlf 1
t_err "tlf stack underflow POP" 1 "tlf: error: stack underflow at pc 0" bin/tlf $E/underflow.tlf 1
t_err "tlf stack underflow ADD" 1 "tlf: error: stack underflow at pc 2" bin/tlf $E/underflow2.tlf 1
t_err "tlf stack underflow PICK" 1 "tlf: error: stack underflow at pc 2" bin/tlf $E/pick.tlf 1
t_err "tlf stack underflow ROLL" 1 "tlf: error: stack underflow at pc 2" bin/tlf $E/roll.tlf 1
t_err "tlf stack overflow" 1 "tlf: error: stack overflow at pc 2" bin/tlf $E/overflow.tlf 1
t_err "tlf BR_COND_STK out of range" 1 "tlf: error: jump out of range at pc 4" bin/tlf $E/stkrange.tlf 1
t_err "tlf division by zero" 1 "tlf: error: division by zero at pc 4" bin/tlf $E/divzero.tlf 1
t_err "tlf calls too deep" 1 "tlf: error: calls nested too deep at pc 1" bin/tlf $E/deep.tlf 1
t_err "tlf INVALID" 1 "tlf: error: invalid opcode at pc 0" bin/tlf $E/invalid.tlf 1

T_FUZZARG=3 t_fuzz "tlf fuzz bytes" 100 bin/tlf
T_FUZZARG=3 T_MAYLOOP=1 T_GEN="$T_STACKWORDS" T_PROLOGUE="$T_STACKPRO" t_fuzz "tlf fuzz words" 100 bin/tlf

t_tsgen "tlf tsgen factorial 7" $D/test/factorial-7.expect "$S" $P/factorial.tlf 7
t_tsgen "tlf tsgen fib 10" $D/test/fib-10.expect "$S" $P/fib.tlf 10
t_tsgen "tlf tsgen stackops 100" $D/test/stackops-100.expect "$S" $P/stackops.tlf 100
t_tsgen "tlf tsgen roll 5" $D/test/roll-5.expect "$S" $P/roll.tlf 5
t_tsgen "tlf tsgen frame 5" $D/test/frame-5.expect "$S" $P/frame.tlf 5
t_tsgen_err "tlf tsgen stack underflow" 1 "tlf: error: stack underflow at pc 2" "$S" $E/underflow2.tlf 1
t_tsgen_err "tlf tsgen jump out of range" 1 "tlf: $E/jumprange.tlf:2: error: jump out of range by '100'" "$S" $E/jumprange.tlf 1
