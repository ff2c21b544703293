#!/usr/bin/env bash
# The main job on a fresh Debian machine: build buildinfo, stamp a sample
# program from this repository's git state with a signing key made for the
# demo, inspect and verify it, and run it so it prints its own build record.
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

keys="$build_dir/demo-keys"
if [ ! -f "$keys/demo.key" ]; then
  echo "== buildinfo keygen"
  mkdir -p "$keys"
  "$tool" keygen --out "$keys/demo"
fi
echo "== buildinfo stamp"
"$tool" stamp "$sample/print_record" --key "$keys/demo.key" --source-dir . --compiler c++ \
  --project-name buildinfo-demo --project-version 0.1.0
echo "== buildinfo inspect"
"$tool" inspect "$sample/print_record"
echo "== buildinfo verify"
"$tool" verify "$sample/print_record" --key "$keys/demo.pub" --expect-revision HEAD --source-dir .
echo "== the program prints its own record"
"$sample/print_record"
