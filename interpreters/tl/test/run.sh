#!/bin/sh
# run.sh: tests of the TL interpreter (bin/tl): programs with their
# expected output, assembler and run-time errors, fuzzed input, and the
# small programs through `bin/tsgen run` when it exists.
. interpreters/testlib.sh
D=interpreters/tl
P=$D/programs
E=$D/test/err
S="$D/tl.c interpreters/asm.c"  # the sources, for bin/tsgen run

for n in 0 1 5 7 20; do
	t_out "tl factorial $n" $D/test/factorial-$n.expect bin/tl $P/factorial.tl $n
done
for n in 0 1 2 10 20; do
	t_out "tl fib $n" $D/test/fib-$n.expect bin/tl $P/fib.tl $n
done
for n in 0 5 9; do
	t_out "tl roll $n" $D/test/roll-$n.expect bin/tl $P/roll.tl $n
done
for n in 3 10 20 98 100 1000; do
	t_out "tl stackops $n" $D/test/stackops-$n.expect bin/tl $P/stackops.tl $n
done

t_err "tl usage" 2 "usage: tl FILE N" bin/tl $P/fib.tl
t_err "tl bad N" 2 "tl: error: not an integer: 'x'" bin/tl $P/fib.tl x
t_err "tl missing file" 1 "tl: error: cannot open '$D/nofile.tl'" bin/tl $D/nofile.tl 1
t_err "tl unknown opcode" 1 "tl: $E/badop.tl:2: error: unknown opcode 'FOO'" bin/tl $E/badop.tl 1
t_err "tl operand too big" 1 "tl: $E/bigarg.tl:1: error: bad operand '128'" bin/tl $E/bigarg.tl 1
t_err "tl extra operand" 1 "tl: $E/extra.tl:1: error: unexpected text after 'PUSH'" bin/tl $E/extra.tl 1
t_err "tl branch too far" 1 "tl: $E/far.tl:2: error: branch too far to 'far'" bin/tl $E/far.tl 1
t_err "tl jump out of range" 1 "tl: $E/jumprange.tl:2: error: jump out of range by '100'" bin/tl $E/jumprange.tl 1
t_err "tl jump into instruction" 1 "tl: $E/jumpmid.tl:2: error: jump into an instruction by '-1'" bin/tl $E/jumpmid.tl 1
t_err "tl undefined label" 1 "tl: $E/nolabel.tl:1: error: undefined label 'nowhere'" bin/tl $E/nolabel.tl 1
t_err "tl label twice" 1 "tl: $E/twice.tl:2: error: label defined twice 'x'" bin/tl $E/twice.tl 1
t_err "tl stack underflow POP" 1 "tl: error: stack underflow at pc 0" bin/tl $E/underflow.tl 1
t_err "tl stack underflow ADD" 1 "tl: error: stack underflow at pc 2" bin/tl $E/underflow2.tl 1
t_err "tl stack underflow PICK" 1 "tl: error: stack underflow at pc 2" bin/tl $E/pick.tl 1
t_err "tl stack underflow ROLL" 1 "tl: error: stack underflow at pc 2" bin/tl $E/roll.tl 1
t_err "tl stack overflow" 1 "tl: error: stack overflow at pc 2" bin/tl $E/overflow.tl 1
t_err "tl BR_COND_STK out of range" 1 "tl: error: jump out of range at pc 4" bin/tl $E/stkrange.tl 1
t_err "tl division by zero" 1 "tl: error: division by zero at pc 4" bin/tl $E/divzero.tl 1
t_err "tl calls too deep" 1 "tl: error: calls nested too deep at pc 1" bin/tl $E/deep.tl 1
t_err "tl INVALID" 1 "tl: error: invalid opcode at pc 0" bin/tl $E/invalid.tl 1

T_FUZZARG=3 t_fuzz "tl fuzz bytes" 100 bin/tl
T_FUZZARG=3 T_MAYLOOP=1 T_GEN="$T_STACKWORDS" T_PROLOGUE="$T_STACKPRO" t_fuzz "tl fuzz words" 100 bin/tl

t_tsgen_all tl "$S" "factorial 7" "fib 10" "stackops 100" "roll 5"
t_tsgen_err "tl tsgen stack underflow" 1 "tl: error: stack underflow at pc 2" "$S" $E/underflow2.tl 1
t_tsgen_err "tl tsgen jump out of range" 1 "tl: $E/jumprange.tl:2: error: jump out of range by '100'" "$S" $E/jumprange.tl 1
