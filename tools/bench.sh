#!/bin/sh
# bench.sh: the benchmarks (`make bench`): the x86 emitter's compile cost,
# then bench/run.py, the one runner (docs/bench.md).
#
#   tools/bench.sh [--quick] [--reps N] [--json FILE] [--no-plots] [FILTER...]
#
# bench/run.py runs every guest program on the plain interpreter, the JIT
# VM (bin/<lang>-jit, when built) and for Brainfuck the peers (beef, the
# program translated to C by bench/bf2c and compiled with gcc -O2); it
# writes the JSON result (bench/results/ for a full run), the SVG plots and
# the dashboard build/bench/index.html.  FILTER words keep the rows whose
# "interp/program" name contains one of them (e.g. `tlc`, `mandelbrot`,
# `bf-cgoto/factor`); --quick runs small workloads (seconds).
cd "$(dirname "$0")/.." || exit 2
sh codegen/x86/bench/run.sh # x86 backend: compile cost per emitted instruction
exec python3 bench/run.py "$@"
