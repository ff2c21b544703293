#!/usr/bin/env bash
# Sets up a fresh Debian machine and runs the whole test suite, then the
# same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh test
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build_dir"
BUILDINFO_NO_SKIP=1 ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)"

ci/sanitize.sh
