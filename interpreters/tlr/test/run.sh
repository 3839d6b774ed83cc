#!/bin/sh
# run.sh: tests of the TLR interpreter (bin/tlr): programs with their
# expected output, assembler and run-time errors, fuzzed input, and the
# small programs through `bin/tsgen run` when it exists.
. interpreters/testlib.sh
D=interpreters/tlr
P=$D/programs
E=$D/test/err
S="$D/tlr.c interpreters/asm.c"  # the sources, for bin/tsgen run

for n in 0 7 9 1764; do
	t_out "tlr square $n" $D/test/square-$n.expect bin/tlr $P/square.tlr $n
done
for n in 0 100; do
	t_out "tlr tri $n" $D/test/tri-$n.expect bin/tlr $P/tri.tlr $n
done

t_err "tlr usage" 2 "usage: tlr FILE N" bin/tlr $P/square.tlr
t_err "tlr bad N" 2 "tlr: error: not an integer: '12x'" bin/tlr $P/square.tlr 12x
t_err "tlr missing file" 1 "tlr: error: cannot open '$D/nofile.tlr'" bin/tlr $D/nofile.tlr 1
t_err "tlr unknown opcode" 1 "tlr: $E/badop.tlr:3: error: unknown opcode 'FOO'" bin/tlr $E/badop.tlr 1
t_err "tlr jump out of range" 1 "tlr: $E/jumprange.tlr:2: error: jump out of range to '200'" bin/tlr $E/jumprange.tlr 1
t_err "tlr jump into instruction" 1 "tlr: $E/jumpmid.tlr:2: error: jump into an instruction at '1'" bin/tlr $E/jumpmid.tlr 1
t_err "tlr undefined label" 1 "tlr: $E/nolabel.tlr:2: error: undefined label 'nowhere'" bin/tlr $E/nolabel.tlr 1
t_err "tlr label twice" 1 "tlr: $E/twice.tlr:2: error: label defined twice 'x'" bin/tlr $E/twice.tlr 1
t_err "tlr missing operand" 1 "tlr: $E/noarg.tlr:1: error: missing operand for 'SET_A'" bin/tlr $E/noarg.tlr 1
t_err "tlr operand too big" 1 "tlr: $E/bigarg.tlr:1: error: bad operand '256'" bin/tlr $E/bigarg.tlr 1
t_err "tlr extra operand" 1 "tlr: $E/extra.tlr:1: error: unexpected text after 'NEG_A'" bin/tlr $E/extra.tlr 1
t_err "tlr program too long" 1 "tlr: $E/long.tlr:257: error: program too long" bin/tlr $E/long.tlr 1
t_err "tlr no register" 1 "tlr: error: no register 2 at pc 2" bin/tlr $E/noreg.tlr 1
t_err "tlr no allocate" 1 "tlr: error: no register 0 at pc 0" bin/tlr $E/noalloc.tlr 1

T_FUZZARG=3 t_fuzz "tlr fuzz bytes" 100 bin/tlr
T_FUZZARG=3 T_MAYLOOP=1 T_GEN="MOV_A_R:1 MOV_R_A:1 JUMP_IF_A:L SET_A:1 ADD_R_TO_A:1 RETURN_A:0 ALLOCATE:1 NEG_A:0 NOP:0" \
	t_fuzz "tlr fuzz words" 100 bin/tlr

t_tsgen_all tlr "$S" "square 9" "tri 100"
t_tsgen_err "tlr tsgen unknown opcode" 1 "tlr: $E/badop.tlr:3: error: unknown opcode 'FOO'" "$S" $E/badop.tlr 1
t_tsgen_err "tlr tsgen no register" 1 "tlr: error: no register 2 at pc 2" "$S" $E/noreg.tlr 1
