#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, skipping those
# already present. Usage: ci/install-deps.sh [build|test|bench]
set -euo pipefail

build_packages=(
  cmake ninja-build pkg-config g++ git
  libgit2-dev liblief-dev libcli11-dev nlohmann-json3-dev doctest-dev libssl-dev
  # cargo-auditable's .dep-v0 section is zlib-compressed (tool/embedded/cargo_auditable.cc)
  zlib1g-dev
)
test_packages=(
  jq python3 binutils clang lld llvm mold strace
  # the tool under memcheck (tests/cli/under_valgrind.sh)
  valgrind
  # an XFS image with reflinks, loop-mounted (tests/e2e/large_file_replace.sh)
  xfsprogs
  # the style every C and C++ file follows (tests/cli/code_style.sh)
  clang-format-14
  g++-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-user
  # riscv64 and 32-bit ARM Linux (tests/e2e/linux_riscv64.sh, linux_armhf.sh)
  g++-riscv64-linux-gnu g++-arm-linux-gnueabihf
  g++-mingw-w64-x86-64 wine64
  # Authenticode-signed PE files (tests/e2e/foreign_signatures.sh)
  osslsigncode openssl
  # a reader of PE files that is not ours (tests/e2e/package_note.sh)
  python3-pefile
  # the JSON Schemas of docs/ and of the exports (tests/cli/dependency_inventory.sh, tests/e2e/sbom_exports.sh)
  python3-jsonschema
  # a DSSE signature checker that is not ours (tests/e2e/sbom_exports.sh)
  python3-securesystemslib
  # a pkg-config module that a consumer links (tests/e2e/cmake_dependencies.sh)
  libexpat1-dev
  # a MinGW DLL built with a version resource (tests/e2e/pe_version_records.sh)
  libz-mingw-w64
  # Go's build info in Debian's own Go binary, compared with go version -m (tests/e2e/go_buildinfo.sh)
  golang-go
  # a Rust binary with a cargo-auditable .dep-v0 section (tests/e2e/cargo_auditable.sh)
  rustc
  # what a program linking opentelemetry-cpp's OTLP/HTTP exporter needs (tests/otel)
  libprotobuf-dev protobuf-compiler libcurl4-openssl-dev
)
bench_packages=(
  libbenchmark-dev openssl binutils strace python3 git xfsprogs
)

packages=("${build_packages[@]}")
case "${1:-test}" in
  build) ;;
  test) packages+=("${test_packages[@]}") ;;
  bench) packages+=("${bench_packages[@]}") ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
