#!/bin/sh
# run.sh: tests of the TLC interpreter (bin/tlc): programs with their
# expected output, assembler and run-time errors, fuzzed input, and the
# small programs through `bin/tsgen run` when it exists.
. interpreters/testlib.sh
D=interpreters/tlc
P=$D/programs
E=$D/test/err
S="$D/tlc.c interpreters/asm.c"  # the sources, for bin/tsgen run

for n in 0 1 5 20; do
	t_out "tlc factorial $n" $D/test/factorial-$n.expect bin/tlc $P/factorial.tlc $n
done
for n in 0 1 2 -1 -2; do
	t_out "tlc nth $n" $D/test/nth-$n.expect bin/tlc $P/nth.tlc $n
done
for n in 0 5; do
	t_out "tlc lists $n" $D/test/lists-$n.expect bin/tlc $P/lists.tlc $n
done
for n in 0 10 1000; do
	t_out "tlc counter $n" $D/test/counter-$n.expect bin/tlc $P/counter.tlc $n
done
for n in 0 3 100; do
	t_out "tlc poly $n" $D/test/poly-$n.expect bin/tlc $P/poly.tlc $n
done

t_err "tlc usage" 2 "usage: tlc FILE N" bin/tlc $P/nth.tlc
t_err "tlc bad N" 2 "tlc: error: not an integer: ''" bin/tlc $P/nth.tlc ""
t_err "tlc missing file" 1 "tlc: error: cannot open '$D/nofile.tlc'" bin/tlc $D/nofile.tlc 1
t_err "tlc nth past the end" 1 "tlc: error: not a pair at pc 28" bin/tlc $P/nth.tlc 3
t_err "tlc unknown opcode" 1 "tlc: $E/badop.tlc:2: error: unknown opcode 'FOO'" bin/tlc $E/badop.tlc 1
t_err "tlc unknown class" 1 "tlc: $E/noclass.tlc:1: error: unknown class 'Nope'" bin/tlc $E/noclass.tlc 1
t_err "tlc class twice" 1 "tlc: $E/classtwice.tlc:2: error: class defined twice 'C'" bin/tlc $E/classtwice.tlc 1
t_err "tlc method label" 1 "tlc: $E/nolabel.tlc:2: error: undefined label 'nowhere'" bin/tlc $E/nolabel.tlc 1
t_err "tlc jump out of range" 1 "tlc: $E/jumprange.tlc:2: error: jump out of range by '50'" bin/tlc $E/jumprange.tlc 1
t_err "tlc BR_COND_STK out of range" 1 "tlc: error: jump out of range at pc 4" bin/tlc $E/stk.tlc 1
t_err "tlc stack underflow" 1 "tlc: error: stack underflow at pc 0" bin/tlc $E/underflow.tlc 1
t_err "tlc bad operand types" 1 "tlc: error: bad operand types at pc 3" bin/tlc $E/types.tlc 1
t_err "tlc not a pair" 1 "tlc: error: not a pair at pc 2" bin/tlc $E/car.tlc 1
t_err "tlc no field" 1 "tlc: error: no field 'zz' at pc 2" bin/tlc $E/nofield.tlc 1
t_err "tlc no method" 1 "tlc: error: no method 'foo' at pc 2" bin/tlc $E/nomethod.tlc 1
t_err "tlc division by zero" 1 "tlc: error: division by zero at pc 4" bin/tlc $E/divzero.tlc 1
t_err "tlc index out of range" 1 "tlc: error: index out of range at pc 6" bin/tlc $E/index.tlc 1
t_err "tlc no argument" 1 "tlc: error: no such argument at pc 0" bin/tlc $E/noarg.tlc 1
t_err "tlc sends too deep" 1 "tlc: error: calls nested too deep at pc 8" bin/tlc $E/deep.tlc 1
t_err "tlc out of memory" 1 "tlc: error: out of memory" sh -c "ulimit -v 300000; exec bin/tlc $E/oom.tlc 1"

# Fuzzing under a memory limit: boxes are never freed.
W="$T_STACKWORDS
NIL:0 CONS:0 CAR:0 CDR:0 PUSHARGN:1 PRINT:0 BR:L"
(ulimit -v 400000; T_FUZZARG=3 t_fuzz "tlc fuzz bytes" 100 bin/tlc)
(ulimit -v 400000; T_FUZZARG=3 T_MAYLOOP=1 T_GEN="$W" T_PROLOGUE="$T_STACKPRO" t_fuzz "tlc fuzz words" 100 bin/tlc)

t_tsgen_all tlc "$S" "factorial 5" "nth 1" "lists 5" "counter 10" "poly 3"
t_tsgen_err "tlc tsgen no method" 1 "tlc: error: no method 'foo' at pc 2" "$S" $E/nomethod.tlc 1
t_tsgen_err "tlc tsgen bad operand types" 1 "tlc: error: bad operand types at pc 3" "$S" $E/types.tlc 1
