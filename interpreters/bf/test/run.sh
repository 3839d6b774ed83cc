#!/bin/sh
# run.sh: tests of the Brainfuck interpreter, both builds (bin/bf with a
# switch, bin/bf-cgoto with computed goto): programs with their expected
# output (the public ones of ../shared/bench/bf too), errors, fuzzed input,
# and the small programs through `bin/tsgen run` when it exists.
. interpreters/testlib.sh
D=interpreters/bf
P=$D/programs
E=$D/test/err
B=${BF_PROGRAMS:-../shared/bench/bf}

for bf in bf bf-cgoto; do
	for p in hello wrap loops; do
		t_out "$bf $p" $D/test/$p.expect bin/$bf $P/$p.b
	done
	T_IN=$D/test/cat.in t_out "$bf cat" $D/test/cat.expect bin/$bf $P/cat.b
	t_out "$bf eof reads 0" $D/test/eof.expect bin/$bf $D/test/eof.b
	for n in 1000000 999983; do
		T_IN=$D/test/factor-$n.in t_out "$bf factor $n" $D/test/factor-$n.expect bin/$bf $B/factor.b
	done
	t_err "$bf usage" 2 "usage: bf FILE" bin/$bf
	t_err "$bf missing file" 1 "bf: error: cannot open '$D/nofile.b'" bin/$bf $D/nofile.b
	t_err "$bf unbalanced [" 1 "bf: error: unbalanced '[' at offset 0" bin/$bf $E/open.b
	t_err "$bf unbalanced ]" 1 "bf: error: unbalanced ']' at offset 1" bin/$bf $E/close.b
	t_err "$bf off the left" 1 "bf: error: moved off the left end of the tape at offset 1" bin/$bf $E/left.b
	t_err "$bf off the right" 1 "bf: error: moved off the right end of the tape at offset 2" bin/$bf $E/right.b
done
# The long public programs, once each (about 15 s and 7 s).
t_out "bf mandelbrot" $D/test/mandelbrot.expect bin/bf $B/mandelbrot.b
t_out "bf-cgoto hanoi" $D/test/hanoi.expect bin/bf-cgoto $B/hanoi.b
T_IN=$D/test/factor-123456789.in t_out "bf-cgoto factor 123456789" $D/test/factor-123456789.expect bin/bf-cgoto $B/factor.b

# Random bytes make loops like +[] too: a run may be cut by the timeout.
T_MAYLOOP=1 t_fuzz "bf fuzz bytes" 100 bin/bf
T_MAYLOOP=1 T_GEN="+:0 -:0 <:0 >:0 [:0 ]:0 .:0 ,:0" t_fuzz "bf fuzz commands" 30 bin/bf

for p in hello wrap loops; do
	t_tsgen "bf tsgen $p" $D/test/$p.expect $D/bf.c $P/$p.b
done
T_IN=$D/test/cat.in t_tsgen "bf tsgen cat" $D/test/cat.expect $D/bf.c $P/cat.b
t_tsgen_err "bf tsgen unbalanced [" 1 "bf: error: unbalanced '[' at offset 0" $D/bf.c $E/open.b
t_tsgen_err "bf tsgen off the left" 1 "bf: error: moved off the left end of the tape at offset 1" $D/bf.c $E/left.b
