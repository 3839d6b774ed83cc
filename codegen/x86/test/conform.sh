#!/bin/sh
# conform.sh: conformance tests of the runtime code emitter (adder, loops,
# calls, switches, stubs, flexswitches, bridges, slots, memory, every op at
# every width against C), on the residual-IR interpreter and on x86.
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/test/conform >/dev/null || { echo "FAIL conform-build"; exit 1; }
build/codegen/x86/test/conform
