#!/bin/sh
# backend.sh: the x86 backend's own tests (flexswitch chains, calls from
# bridges, lazy loops, register pressure, eviction, code memory bound).
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/test/backend >/dev/null || { echo "FAIL backend-build"; exit 1; }
build/codegen/x86/test/backend
