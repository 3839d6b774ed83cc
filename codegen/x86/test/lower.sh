#!/bin/sh
# lower.sh: golden machine code of small units (lower.golden; after a
# deliberate change of the code generated, rewrite it with
# `build/codegen/x86/test/lower -u codegen/x86/test/lower.golden`).
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/test/lower >/dev/null || { echo "FAIL lower-build"; exit 1; }
build/codegen/x86/test/lower codegen/x86/test/lower.golden
