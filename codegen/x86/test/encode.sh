#!/bin/sh
# encode.sh: the encoder's golden test (bytes of every instruction form
# against llvm-mc-14's, stored in encode.golden) and branch decoding.
cd "$(dirname "$0")/../../.." || exit 2
make -s build/codegen/x86/test/encode >/dev/null || { echo "FAIL encode-build"; exit 1; }
build/codegen/x86/test/encode codegen/x86/test/encode.golden
