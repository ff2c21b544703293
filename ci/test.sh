#!/usr/bin/env bash
# Sets up a fresh Debian machine and runs the whole test suite, then the
# same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh test
build_dir=${BUILD_DIR:-build}
# Tests forced on: the build folder may hold a cache without them (ci/demo.sh).
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILDINFO_TESTS=ON
cmake --build "$build_dir"
# The real-project and SDK fixtures beside the repository (../shared) are
# required where they exist: their tests may skip only in a clone without
# them.
if [ -d ../shared ]; then
  export BUILDINFO_FIXTURES_REQUIRED=1
fi
BUILDINFO_NO_SKIP=1 ctest --test-dir "$build_dir" --output-on-failure --no-tests=error -j "$(nproc)"

ci/sanitize.sh
