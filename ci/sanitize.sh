#!/usr/bin/env bash
# Builds and runs the whole test suite under AddressSanitizer and
# UndefinedBehaviorSanitizer (CMakePresets.json, preset "sanitize"), and
# builds the runtime library alone with -fno-exceptions -fno-rtti.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh test
cmake --preset sanitize
cmake --build --preset sanitize
ctest --preset sanitize -j "$(nproc)"

cmake --preset runtime-no-exceptions
cmake --build --preset runtime-no-exceptions
