#!/bin/sh
# mem.sh: executable memory (W^X, reuse, bound) and disassembly tests, in
# both W^X modes (dual mapping, and mprotect with X86_MPROTECT set).
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/test/mem >/dev/null || { echo "FAIL mem-build"; exit 1; }
build/codegen/x86/test/mem; X86_MPROTECT=1 build/codegen/x86/test/mem | sed "s/ mem-/ mem-mprotect-/"
