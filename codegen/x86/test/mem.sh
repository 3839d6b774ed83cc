#!/bin/sh
# mem.sh: executable memory (W^X, reuse, bound) and disassembly tests.
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/test/mem >/dev/null || { echo "FAIL mem-build"; exit 1; }
build/codegen/x86/test/mem
