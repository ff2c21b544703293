#!/usr/bin/env bash
# The main job on a fresh Debian machine: build buildinfo, stamp a sample
# program from this repository's git state, inspect it, and run it so it
# prints its own build record.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh build
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILDINFO_TESTS=OFF
cmake --build "$build_dir"
tool="$build_dir/tool/buildinfo"

sample="$build_dir/demo"
cmake -S tests/programs/print_record -B "$sample" -G Ninja -DBUILDINFO_SOURCE_DIR="$PWD" -DCMAKE_BUILD_TYPE=Release
cmake --build "$sample"

echo "== buildinfo stamp"
"$tool" stamp "$sample/print_record" --source-dir . --compiler c++ --project-name buildinfo-demo --project-version 0.1.0
echo "== buildinfo inspect"
"$tool" inspect "$sample/print_record"
echo "== the program prints its own record"
"$sample/print_record"
