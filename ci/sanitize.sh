#!/usr/bin/env bash
# Builds and runs the whole test suite under AddressSanitizer and
# UndefinedBehaviorSanitizer (CMakePresets.json, preset "sanitize"), and
# compiles every C++ header of the runtime with -fno-exceptions -fno-rtti.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh test
if [ -d ../shared ]; then
  export BUILDINFO_FIXTURES_REQUIRED=1
fi
cmake --preset sanitize
cmake --build --preset sanitize
ctest --preset sanitize -j "$(nproc)"

# A program that uses the C++ API without exceptions or RTTI (the runtime
# itself is C).
cmake -S tests/programs/print_record -B build-no-exceptions -G Ninja -DBUILDINFO_SOURCE_DIR="$PWD" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-fno-exceptions -fno-rtti -Werror"
cmake --build build-no-exceptions
