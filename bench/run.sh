#!/usr/bin/env bash
# The benchmarks in one command, from a fresh clone: installs what they need
# (Debian packages), builds build-bench/ in Release with the benchmark
# programs, and prints the report (also written to build-bench/results.md).
#   bench/run.sh [--reps N] [--update-docs]
# --update-docs writes the report into docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh bench
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILDINFO_BENCH=ON -DBUILDINFO_TESTS=OFF > /dev/null
cmake --build build-bench
python3 bench/run.py --build-dir build-bench "$@"
