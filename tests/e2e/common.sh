# Shared helpers for the end-to-end tests; sourced by each tests/e2e/*.sh.
# ctest passes BUILDINFO (the tool), SOURCE_ROOT and WORK_ROOT in the environment.
set -euo pipefail

: "${BUILDINFO:?set BUILDINFO to the buildinfo tool}"
: "${SOURCE_ROOT:?set SOURCE_ROOT to the source tree}"
: "${WORK_ROOT:=${TMPDIR:-/tmp}}"
TEST_NAME=$(basename "$0" .sh)
WORK="$WORK_ROOT/e2e-$TEST_NAME"
rm -rf "$WORK"
mkdir -p "$WORK"
export SOURCE_DATE_EPOCH=1700000000

fail() {
  echo "FAIL($TEST_NAME): $*" >&2
  exit 1
}

# `grep -q "$@"` for the end of a pipeline: it reads the rest of its input
# after grep has decided, so that under pipefail the command writing to it
# never dies of SIGPIPE, which would fail the pipeline (or, negated, pass it).
matches() {
  local status=0
  grep -q "$@" || status=$?
  cat > /dev/null
  return "$status"
}

# Exits with ctest's skip code (see SKIP_RETURN_CODE in tests/CMakeLists.txt),
# or fails under ci/test.sh, which installs every toolchain: there a skip
# would hide a broken setup.
skip() {
  [ -n "${BUILDINFO_NO_SKIP:-}" ] && fail "cannot run: $* (ci/install-deps.sh should have installed it)"
  echo "SKIP($TEST_NAME): $*" >&2
  exit 77
}

# Test fixtures that are not part of the repository live in ../shared
# beside it (real projects, the opentelemetry-cpp SDK). Sets FIXTURE to the
# first file matching glob $1 there, or skips (ctest code 77) saying why, as
# in a user's clone; where they must be present (ci/test.sh sets
# BUILDINFO_FIXTURES_REQUIRED when ../shared exists), their absence fails.
SHARED_FIXTURES="${BUILDINFO_FIXTURES:-$SOURCE_ROOT/../shared}"
require_fixture() {
  FIXTURE=$(ls $SHARED_FIXTURES/$1 2> /dev/null | head -1 || true)
  [ -n "$FIXTURE" ] && return 0
  [ -n "${BUILDINFO_FIXTURES_REQUIRED:-}" ] && fail "the fixture $SHARED_FIXTURES/$1 is missing"
  echo "SKIP($TEST_NAME): $SHARED_FIXTURES/$1 is absent (fixtures live in ../shared beside the repository;" \
    "a clone without it cannot run this test)" >&2
  exit 77
}

# ---- Toolchains ----
# Every tool a test needs beyond the host compiler and binutils is looked
# up here, once, when a test starts: each variable holds the tool's path,
# or is empty when it is missing. A script asks for what it needs with
# require_tools (which skips, saying what to install, or fails under
# BUILDINFO_NO_SKIP) or tests for it with have_tools; neither probes again.
source "$SOURCE_ROOT/ci/wine.sh"

# The path of the first of the commands $@ that exists, or nothing.
first_command() {
  local name
  for name; do
    command -v "$name" 2> /dev/null && return 0
  done
  return 0
}

# The path of the tool clang runs as $1 (-fuse-ld=lld runs the one next to
# clang), or nothing.
clang_program() {
  [ -n "$CLANG" ] || return 0
  local path
  path=$("$CLANG" -print-prog-name="$1" 2> /dev/null || true)
  [ -n "$path" ] && [ -x "$path" ] && echo "$path"
  return 0
}

MINGW_TRIPLE=x86_64-w64-mingw32
MINGW_GCC=$(first_command "$MINGW_TRIPLE-gcc")
MINGW_GXX=$(first_command "$MINGW_TRIPLE-g++")
MINGW_OBJDUMP=$(first_command "$MINGW_TRIPLE-objdump")
MINGW_NM=$(first_command "$MINGW_TRIPLE-nm")
WINE64=$(wine_launcher || true)

AARCH64_TRIPLE=aarch64-linux-gnu
AARCH64_SYSROOT=/usr/$AARCH64_TRIPLE
AARCH64_GCC=$(first_command "$AARCH64_TRIPLE-gcc")
AARCH64_GXX=$(first_command "$AARCH64_TRIPLE-g++")
AARCH64_STRIP=$(first_command "$AARCH64_TRIPLE-strip")
AARCH64_OBJCOPY=$(first_command "$AARCH64_TRIPLE-objcopy")
AARCH64_READELF=$(first_command "$AARCH64_TRIPLE-readelf")
AARCH64_NM=$(first_command "$AARCH64_TRIPLE-nm")
QEMU_AARCH64=$(first_command qemu-aarch64)

CLANG=$(first_command clang)
LD_LLD=$(clang_program ld.lld)      # ELF lld, for clang -fuse-ld=lld
LD64_LLD=$(clang_program ld64.lld)  # Mach-O lld, for clang -target *-apple-* -fuse-ld=lld
LLVM_LIPO=$(first_command llvm-lipo llvm-lipo-14)
LLVM_OBJDUMP=$(first_command llvm-objdump llvm-objdump-14)
LLVM_NM=$(first_command llvm-nm llvm-nm-14)
LLVM_AR=$(first_command llvm-ar llvm-ar-14)
LLVM_OBJCOPY=$(first_command llvm-objcopy llvm-objcopy-14)
LLVM_STRIP=$(first_command llvm-strip llvm-strip-14)
MOLD=$(first_command mold)

PYTHON3=$(first_command python3)
STRACE=$(first_command strace)
VALGRIND=$(first_command valgrind)
OPENSSL=$(first_command openssl)
OSSLSIGNCODE=$(first_command osslsigncode)
SETPRIV=$(first_command setpriv)
PKG_CONFIG=$(first_command pkg-config)
FLOCK=$(first_command flock)
# The version .clang-format is written for: another formats differently.
CLANG_FORMAT=$(first_command clang-format-14)
SYSTEMD_ANALYZE=$(first_command systemd-analyze)
GO=$(first_command go)
RUSTC=$(first_command /usr/bin/rustc rustc)
NODE=$(first_command node)
NPM=$(first_command npm)

# Prints why tool $1 (a name of the list below) cannot be used, or returns
# 1 when it can.
tool_missing() {
  local found message
  case $1 in
    mingw-gcc) found=$MINGW_GCC message="$MINGW_TRIPLE-gcc not installed (Debian: gcc-mingw-w64-x86-64)" ;;
    mingw-g++) found=$MINGW_GXX message="$MINGW_TRIPLE-g++ not installed (Debian: g++-mingw-w64-x86-64)" ;;
    mingw-objdump) found=$MINGW_OBJDUMP message="$MINGW_TRIPLE-objdump not installed (Debian: binutils-mingw-w64-x86-64)" ;;
    wine) found=$WINE64 message="wine64 not installed (Debian: wine64)" ;;
    aarch64-gcc) found=$AARCH64_GCC message="$AARCH64_TRIPLE-gcc not installed (Debian: gcc-aarch64-linux-gnu)" ;;
    aarch64-g++) found=$AARCH64_GXX message="$AARCH64_TRIPLE-g++ not installed (Debian: g++-aarch64-linux-gnu)" ;;
    aarch64-binutils)
      found=$([ -n "$AARCH64_STRIP" ] && [ -n "$AARCH64_OBJCOPY" ] && [ -n "$AARCH64_READELF" ] && echo yes || true)
      message="$AARCH64_TRIPLE-strip, -objcopy or -readelf not installed (Debian: binutils-aarch64-linux-gnu)" ;;
    aarch64-sysroot)
      found=$([ -d "$AARCH64_SYSROOT/lib" ] && echo yes || true)
      message="no aarch64 sysroot at $AARCH64_SYSROOT (Debian: libc6-dev-arm64-cross)" ;;
    qemu-aarch64) found=$QEMU_AARCH64 message="qemu-aarch64 not installed (Debian: qemu-user)" ;;
    clang) found=$CLANG message="clang is not installed (Debian: clang)" ;;
    ld.lld) found=$LD_LLD message="ld.lld (package lld) is not installed next to clang" ;;
    ld64.lld) found=$LD64_LLD message="ld64.lld (package lld) is not installed next to clang" ;;
    llvm-lipo) found=$LLVM_LIPO message="llvm-lipo (package llvm) is not installed" ;;
    llvm-objdump) found=$LLVM_OBJDUMP message="llvm-objdump (package llvm) is not installed" ;;
    llvm-nm) found=$LLVM_NM message="llvm-nm (package llvm) is not installed" ;;
    llvm-ar) found=$LLVM_AR message="llvm-ar (package llvm) is not installed" ;;
    llvm-objcopy) found=$LLVM_OBJCOPY message="llvm-objcopy (package llvm) is not installed" ;;
    llvm-strip) found=$LLVM_STRIP message="llvm-strip (package llvm) is not installed" ;;
    mold) found=$MOLD message="mold is not installed (Debian: mold)" ;;
    python3) found=$PYTHON3 message="python3 is not installed (Debian: python3)" ;;
    strace) found=$STRACE message="strace is not installed (Debian: strace)" ;;
    valgrind) found=$VALGRIND message="valgrind is not installed (Debian: valgrind)" ;;
    openssl) found=$OPENSSL message="openssl not installed (Debian: openssl)" ;;
    osslsigncode) found=$OSSLSIGNCODE message="osslsigncode not installed (Debian: osslsigncode)" ;;
    setpriv) found=$SETPRIV message="setpriv is not installed (Debian: util-linux)" ;;
    pkg-config) found=$PKG_CONFIG message="pkg-config not installed (Debian: pkg-config)" ;;
    flock) found=$FLOCK message="flock (util-linux) is missing" ;;
    systemd-analyze) found=$SYSTEMD_ANALYZE message="systemd-analyze not installed (Debian: systemd)" ;;
    go) found=$GO message="go is not installed (Debian: golang-go)" ;;
    rustc) found=$RUSTC message="rustc is not installed (Debian: rustc)" ;;
    node) found=$NODE message="node is not installed (Debian: nodejs)" ;;
    npm) found=$NPM message="npm is not installed (Debian: npm)" ;;
    clang-format) found=$CLANG_FORMAT message="clang-format-14 not installed (Debian: clang-format-14)" ;;
    *) found="" message="tests/e2e/common.sh knows no tool '$1'" ;;
  esac
  [ -n "$found" ] && return 1
  echo "$message"
}

# Skips the test (ctest code 77; a failure under BUILDINFO_NO_SKIP) unless
# every tool named is there, saying which one is missing and its package.
require_tools() {
  local tool why
  for tool; do
    why=$(tool_missing "$tool") && skip "$why"
  done
  return 0
}

# Succeeds when every tool named is there; skips nothing.
have_tools() {
  local tool
  for tool; do
    tool_missing "$tool" > /dev/null && return 1
  done
  return 0
}

# Runs an aarch64 Linux program under qemu with the cross sysroot's loader
# and libraries.
run_aarch64() {
  "$QEMU_AARCH64" -L "$AARCH64_SYSROOT" "$@"
}

# Runs Windows program $1 (with arguments $3...) under wine: stdout (CRLF
# line ends turned into LF) to $2, stderr to $2.err; returns its exit status.
run_windows() {
  local rc=0
  wine_run "$1" "${@:3}" > "$2.raw" 2> "$2.err" || rc=$?
  tr -d '\r' < "$2.raw" > "$2"
  return "$rc"
}

# The same, failing the test (with the exit status, what the program wrote
# on stderr and the start of its output) unless it exits 0.
expect_windows_run() {
  local rc=0
  run_windows "$@" || rc=$?
  [ "$rc" = 0 ] || { cat "$2.err" >&2; fail "$(basename "$1") failed under wine (exit $rc): $(head -3 "$2")"; }
}

# Links C program $2 with this build's runtime library into $1, with this
# build's flags (the sanitizers', under the sanitize preset).
link_with_runtime() {
  : "${BUILD_ROOT:?set BUILD_ROOT to the buildinfo build tree}"
  # shellcheck disable=SC2086 # the flags are words
  cc ${CONSUMER_C_FLAGS:-} -O2 -o "$1" "$2" -I"$SOURCE_ROOT/lib/include" "$BUILD_ROOT/lib/libbuildinfo_runtime.a" \
    ${CONSUMER_LINKER_FLAGS:-} || fail "cannot link $2 with the runtime"
}

# Creates a git repository with one commit in $1; prints nothing.
make_repo() {
  local dir=$1
  mkdir -p "$dir"
  git -C "$dir" init -q -b main
  git -C "$dir" config user.email test@example.invalid
  git -C "$dir" config user.name "buildinfo test"
  echo "hello" > "$dir/README"
  git -C "$dir" add README
  GIT_COMMITTER_DATE="2026-01-02T03:04:05Z" GIT_AUTHOR_DATE="2026-01-02T03:04:05Z" \
    git -C "$dir" commit -q -m "first"
}

# Configures and builds the sample program in $1 with extra cmake arguments.
build_sample() {
  local build_dir=$1
  shift
  cmake -S "$SOURCE_ROOT/tests/programs/print_record" -B "$build_dir" -G Ninja \
    -DBUILDINFO_SOURCE_DIR="$SOURCE_ROOT" -DCMAKE_BUILD_TYPE=Release "$@" > "$build_dir.configure.log" 2>&1 \
    || { cat "$build_dir.configure.log" >&2; fail "configure of $build_dir failed"; }
  cmake --build "$build_dir" > "$build_dir.build.log" 2>&1 \
    || { cat "$build_dir.build.log" >&2; fail "build of $build_dir failed"; }
}

# The value of payload key $2 in the JSON `inspect` printed, from file $1.
json_record_value() {
  jq -r --arg k "$2" '.record[$k] // empty' "$1"
}

# Checks that key $2 has value $3 in inspect JSON file $1.
expect_record() {
  local got
  got=$(json_record_value "$1" "$2")
  [ "$got" = "$3" ] || fail "inspect: $2 is '$got', expected '$3'"
}

# Checks that every record key in inspect JSON $1 appears with the same
# value in the program output $2 (key=value lines).
expect_output_matches_record() {
  local json=$1 output=$2 key value
  grep -qx 'status=ok' "$output" || fail "program did not report a stamped record: $(head -3 "$output")"
  while IFS=$'\t' read -r key value; do
    grep -qxF "$key=$value" "$output" || fail "program output lacks $key=$value"
  done < <(jq -r '.record | to_entries[] | "\(.key)\t\(.value)"' "$json")
}

# Builds $1: a native program with a default slot and $2 MiB of initialized
# read-only data, so that a stamp of it takes long enough to be interrupted.
make_big_binary() {
  cat > "$1.c" <<C
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(4096);
const unsigned char big[$2u << 20] = {1};
int main(void) { return big[12345]; }
C
  cc -O1 -I"$SOURCE_ROOT/lib/include" -o "$1" "$1.c" || fail "cannot build the $2 MiB test binary"
}

# Prints the SHA-256 of file $1.
file_hash() {
  sha256sum "$1" | cut -d' ' -f1
}

# Checks that `readelf -n` output in file $1 lists a note owned by
# "buildinfo" in section .note.buildinfo. (awk reads to the end: `| grep -q`
# under pipefail can fail with SIGPIPE when it stops reading early.)
expect_buildinfo_note() {
  awk '/^Displaying notes found in: / { in_slot = ($NF == ".note.buildinfo") }
       in_slot && $1 == "buildinfo" { found = 1 }
       END { exit !found }' "$1"
}

# After a stamp of $1/app was killed at a random moment: checks that the
# directory holds app alone, or else exactly what a SIGKILL between the
# link of the unnamed temporary file and its rename leaves (the one window
# tool/support/file_io.h names: app still the original $2, beside it the
# hidden name of a complete stamp that verifies), and then that the next
# stamp of app removes that name. $3 says which kill, for the failure.
expect_nothing_left_by_kill() {
  local dir=$1 original=$2 what=$3 others
  others=$(ls -A "$dir" | grep -vx app || true)
  [ -z "$others" ] && return 0
  [[ "$others" =~ ^\.app\.buildinfo-[A-Za-z0-9]{6}$ ]] && cmp -s "$dir/app" "$original" \
    && "$BUILDINFO" verify "$dir/$others" --key "$WORK/keys/ed25519.pub" > /dev/null 2>&1 \
    || fail "$what left a file beside app: $(ls -lA "$dir")"
  "$BUILDINFO" stamp "$dir/app" --key "$WORK/keys/ed25519.key" --source-dir "$WORK/repo" -q \
    || fail "$what: the next stamp failed"
  [ "$(ls -A "$dir")" = app ] || fail "$what: the next stamp did not remove the hidden name: $(ls -lA "$dir")"
  echo "$what: killed between the link and the rename; the next stamp removed the hidden name" >&2
}

# Creates Ed25519 and ECDSA P-256 key pairs as $WORK/keys/<alg>.{key,pub}.
make_keys() {
  [ -f "$WORK/keys/ecdsa-p256.pub" ] && return 0
  mkdir -p "$WORK/keys"
  local alg
  for alg in ed25519 ecdsa-p256; do
    "$BUILDINFO" keygen --out "$WORK/keys/$alg" --alg "$alg" > "$WORK/keys/$alg.id" 2> /dev/null \
      || fail "keygen --alg $alg failed"
  done
}

# Signs binary $1 with each algorithm and checks that `verify` accepts it
# with the matching key and expected os $2, arch $3 and revision $4, and
# rejects it (exit 1) with the other key. Stamps from $WORK/repo.
sign_and_verify() {
  local bin=$1 os=$2 arch=$3 revision=$4 alg other rc
  make_keys
  for alg in ed25519 ecdsa-p256; do
    other=ed25519
    [ "$alg" = ed25519 ] && other=ecdsa-p256
    "$BUILDINFO" stamp "$bin" --key "$WORK/keys/$alg.key" --source-dir "$WORK/repo" -q
    "$BUILDINFO" verify "$bin" --key "$WORK/keys/$alg.pub" --expect-os "$os" --expect-arch "$arch" \
      --expect-revision "$revision" > "$WORK/verify.txt" 2>&1 \
      || fail "verify of $bin signed with $alg failed: $(cat "$WORK/verify.txt")"
    rc=0
    "$BUILDINFO" verify "$bin" --key "$WORK/keys/$other.pub" > "$WORK/verify.txt" 2>&1 || rc=$?
    [ "$rc" = 1 ] || fail "verify of $bin with the wrong key exited $rc, expected 1"
    grep -q 'FAIL  signature' "$WORK/verify.txt" || fail "verify with the wrong key did not name the signature check"
  done
}

# Inverts the byte at offset $2 of file $1.
flip_byte() {
  python3 - "$1" "$2" <<'PY'
import sys
path, offset = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    f.seek(offset)
    b = f.read(1)
    f.seek(offset)
    f.write(bytes([b[0] ^ 0xff]))
PY
}

# The file offset of ELF section $2 in binary $1, in decimal (readelf $3,
# default readelf). The "[ N]" index column is dropped first, since its inner
# space shifts awk's fields; mawk has no strtonum, so bash converts the hex.
elf_section_offset() {
  local hex
  hex=$("${3:-readelf}" -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] *//p' | awk -v name="$2" '$1 == name { print $4; exit }')
  [ -n "$hex" ] || fail "$1: no section $2"
  echo $(( 16#$hex ))
}

# The file offset of section $2 of binary $1 as inspect (LIEF) reports it.
section_file_offset() {
  "$BUILDINFO" inspect "$1" --json | jq -r --arg n "$2" '[.binary.sections[] | select(.name == $n)][0].offset // empty'
}

# The file offset of section $2 (e.g. __text) of thin Mach-O file $1, read
# from its load commands (LIEF cannot describe every Mach-O, e.g. dylibs).
macho_section_offset() {
  python3 - "$1" "$2" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
ncmds = struct.unpack_from("<I", data, 16)[0]
at = 32
for _ in range(ncmds):
    cmd, size = struct.unpack_from("<II", data, at)
    if cmd == 0x19:  # LC_SEGMENT_64
        for i in range(struct.unpack_from("<I", data, at + 64)[0]):
            sect = at + 72 + 80 * i
            if data[sect:sect + 16].rstrip(b"\0").decode() == sys.argv[2]:
                print(struct.unpack_from("<I", data, sect + 48)[0])
                sys.exit(0)
    at += size
sys.exit("no section " + sys.argv[2])
PY
}

# Copies signed binary $1 to $1.tampered with the byte at offset $2 inverted
# and checks that verify with key $3 exits 1 naming check $4.
expect_tamper_detected() {
  local bin=$1 offset=$2 key=$3 check=$4 rc=0
  cp "$bin" "$bin.tampered"
  flip_byte "$bin.tampered" "$offset"
  "$BUILDINFO" verify "$bin.tampered" --key "$key" > "$WORK/tamper.txt" 2>&1 || rc=$?
  [ "$rc" = 1 ] || fail "tampered $bin (offset $offset): verify exited $rc, expected 1: $(cat "$WORK/tamper.txt")"
  grep -q "FAIL  $check" "$WORK/tamper.txt" || fail "tampered $bin: verify did not name the $check check"
}

# Compiler flags of this build (the sanitize preset's), for projects that
# link the installed runtime library.
consumer_flags=(-DCMAKE_C_FLAGS="${CONSUMER_C_FLAGS:-}" -DCMAKE_CXX_FLAGS="${CONSUMER_CXX_FLAGS:-}"
  -DCMAKE_EXE_LINKER_FLAGS="${CONSUMER_LINKER_FLAGS:-}" -DCMAKE_SHARED_LINKER_FLAGS="${CONSUMER_LINKER_FLAGS:-}"
  -DCMAKE_MODULE_LINKER_FLAGS="${CONSUMER_LINKER_FLAGS:-}")

# Installs this build of buildinfo into $WORK/prefix (once per test).
install_buildinfo() {
  : "${BUILD_ROOT:?set BUILD_ROOT to the buildinfo build tree}"
  [ -f "$WORK/prefix/lib/cmake/buildinfo/buildinfo-config.cmake" ] && return 0
  cmake --install "$BUILD_ROOT" --prefix "$WORK/prefix" > "$WORK/install.log" 2>&1 \
    || { cat "$WORK/install.log" >&2; fail "cmake --install failed"; }
}

# Copies project $1 (a directory) into a new git repository $2 with one commit.
copy_into_repo() {
  mkdir -p "$2"
  cp -r "$1"/. "$2"/
  git -C "$2" init -q -b main
  git -C "$2" config user.email test@example.invalid
  git -C "$2" config user.name "buildinfo test"
  printf 'build*/\n' > "$2/.gitignore"
  git -C "$2" add -A
  git -C "$2" commit -q -m "import"
}

# OpenTelemetry checks for stamped binary $1 whose `otel` output (from
# print_record, run under its emulator) is in file $2: the encoded value
# equals `inspect --otel-env`, the revision, os.type and host.arch match the
# record, the build-id matches readelf (ELF), and merging into an
# environment that already sets keys keeps them.
expect_otel_matches() {
  local bin=$1 output=$2 json="$WORK/otel.inspect.json"
  tr -d '\r' < "$output" > "$output.lf"
  "$BUILDINFO" inspect "$bin" --json --no-describe > "$json"
  [ "$(sed -n 's/^encoded=//p' "$output.lf")" = "$("$BUILDINFO" inspect "$bin" --otel-env)" ] \
    || fail "the program's OTEL_RESOURCE_ATTRIBUTES differs from inspect --otel-env"
  grep -qx "attribute vcs.ref.head.revision=$(json_record_value "$json" vcs.revision)" "$output.lf" \
    || fail "vcs.ref.head.revision differs from the stamped revision"
  grep -qx "attribute os.type=$(json_record_value "$json" target.os)" "$output.lf" || fail "os.type differs"
  grep -qx "attribute host.arch=$(json_record_value "$json" target.arch)" "$output.lf" || fail "host.arch differs"
  grep -qx "attribute buildinfo.stamped=true" "$output.lf" || fail "buildinfo.stamped is not true"
  if [ "$(json_record_value "$json" target.format)" = elf ]; then
    local build_id
    build_id=$(readelf -n "$bin" | sed -n 's/.*Build ID: //p')
    [ -n "$build_id" ] || fail "$bin has no GNU build-id"
    grep -qx "attribute process.executable.build_id.gnu=$build_id" "$output.lf" \
      || fail "process.executable.build_id.gnu differs from readelf's $build_id"
  fi
  # The user's keys set beforehand stay as they were.
  grep -q "^merged=service.version=user-set,team=a%2Cb,.*vcs.ref.head.revision=" "$output.lf" \
    || fail "merging did not keep the user's keys first and unchanged: $(grep '^merged=' "$output.lf")"
  ! grep -q "^merged=.*,service.version=" "$output.lf" || fail "merging overrode the user's service.version"
}

# Builds and installs buildinfo's runtime for cross toolchain $1 (a file of
# toolchains/) into $WORK/target-$1 and prints that prefix.
install_target_runtime() {
  local name=$1 dir="$WORK/buildinfo-$1" prefix="$WORK/target-$1"
  if [ ! -f "$prefix/lib/cmake/buildinfo/buildinfo-config.cmake" ]; then
    cmake -S "$SOURCE_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILDINFO_TESTS=OFF \
      -DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/toolchains/$name.cmake" > "$dir.log" 2>&1 \
      && cmake --build "$dir" >> "$dir.log" 2>&1 && cmake --install "$dir" --prefix "$prefix" >> "$dir.log" 2>&1 \
      || { cat "$dir.log" >&2; fail "cannot build and install the $name runtime"; }
  fi
  echo "$prefix"
}

# cmake arguments of a cross build for toolchain $1 through find_package:
# the installed host package's toolchain file, the target runtime in the
# root path, the host tool from the host prefix.
cross_args() {
  local prefix
  prefix=$(install_target_runtime "$1")
  echo "-DCMAKE_TOOLCHAIN_FILE=$WORK/prefix/share/buildinfo/toolchains/$1.cmake" \
    "-DCMAKE_FIND_ROOT_PATH=$prefix" "-DCMAKE_PREFIX_PATH=$WORK/prefix"
}

# ---- Image digest checks (tests/e2e/digest_survives_*.sh) ----
# Each script stamps binaries signed, applies a step that legitimately
# follows stamping, and checks that the digest recomputed by
# $IMAGE_DIGEST_TOOL stays the record's image.sha256 and `verify` passes;
# a flipped covered byte changes the digest and fails verify's image check.

# Sets up a digest test: the repository $WORK/repo, the keys, $key and
# $pub (Ed25519), $include, and $WORK/main.c, a program with a 1 KiB slot
# and read-only data.
start_digest_test() {
  : "${IMAGE_DIGEST_TOOL:?set IMAGE_DIGEST_TOOL to tests/image_digest_tool}"
  require_tools python3
  make_repo "$WORK/repo"
  make_keys
  key="$WORK/keys/ed25519.key"
  pub="$WORK/keys/ed25519.pub"
  include="$SOURCE_ROOT/lib/include"
  cat > "$WORK/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(1024);
const char greeting[] = "a string in read-only data";
int main(void) {
  uint32_t capacity = 0;
  const unsigned char* slot = buildinfo_slot_bytes(&capacity);
  printf("%s %u\n", greeting, (unsigned)slot[capacity - 1]);
  return 0;
}
C
}

# The digest of every slot of $1, one per line.
digests() {
  "$IMAGE_DIGEST_TOOL" "$1" || fail "image_digest_tool failed on $1"
}

# Stamps $1 (signed), and checks that the record's image.sha256 is the
# recomputed digest of the stamped file; prints it.
stamp_and_digest() {
  local bin=$1 recorded computed
  "$BUILDINFO" stamp "$bin" --key "$key" --source-dir "$WORK/repo" -q
  recorded=$("$BUILDINFO" inspect "$bin" --json | jq -r '.record["image.sha256"] // empty')
  [[ "$recorded" =~ ^[0-9a-f]{64}$ ]] || fail "$bin: the record has no image.sha256 (got '$recorded')"
  computed=$(digests "$bin")
  [ "$computed" = "$recorded" ] || fail "$bin: record says image.sha256 $recorded, recomputed $computed"
  echo "$recorded"
}

# Checks that $2 (a transformed copy, described by $3) keeps digest $1 and verifies.
expect_survives() {
  local want=$1 bin=$2 what=$3 got
  got=$(digests "$bin")
  [ "$got" = "$want" ] || fail "$what changed the image digest: $want -> $got"
  "$BUILDINFO" verify "$bin" --key "$pub" > "$WORK/verify.txt" 2>&1 \
    || fail "verify fails after $what: $(cat "$WORK/verify.txt")"
  echo "ok: digest and verify survive $what"
}

# Checks that $2 (a copy with one covered byte flipped, described by $3) has
# another digest than $1 and that verify names the image check.
expect_caught() {
  local want=$1 bin=$2 what=$3 got rc=0
  got=$(digests "$bin")
  [ "$got" != "$want" ] || fail "flipping $what did not change the image digest"
  "$BUILDINFO" verify "$bin" --key "$pub" > "$WORK/verify.txt" 2>&1 || rc=$?
  [ "$rc" = 1 ] || fail "verify exited $rc after flipping $what, expected 1: $(cat "$WORK/verify.txt")"
  grep -q 'FAIL  image' "$WORK/verify.txt" || fail "verify did not name the image check after flipping $what"
  echo "ok: flipping $what changes the digest"
}

# Copies $1 to $2 with the byte at offset $3 inverted.
flip_copy() {
  cp "$1" "$2"
  flip_byte "$2" "$3"
}

# ---- FORMAT.md's checked parts (tests/cli/format_*.sh) ----
# A part of FORMAT.md that a test checks follows a line
# `<!-- checked by tests/cli/SCRIPT: NAME -->`.

# Prints the fenced code block after the marker of this script's part $1.
format_block() {
  awk -v marker="<!-- checked by tests/cli/$TEST_NAME.sh: $1 -->" '
    $0 == marker { found = 1; next }
    found == 1 && /^```/ { found = 2; next }
    found == 2 && /^```/ { exit }
    found == 2 { print }' "$SOURCE_ROOT/FORMAT.md" | grep '' || fail "FORMAT.md has no code block marked '$1' for $TEST_NAME.sh"
}

# Prints the lines after the marker of this script's part $1 up to the next
# empty line (a table).
format_lines() {
  awk -v marker="<!-- checked by tests/cli/$TEST_NAME.sh: $1 -->" '
    $0 == marker { found = 1; next }
    found && $0 == "" { exit }
    found { print }' "$SOURCE_ROOT/FORMAT.md" | grep '' || fail "FORMAT.md has no lines marked '$1' for $TEST_NAME.sh"
}
# The sample program (tests/programs/print_record) cross-built for Linux
# target $1 (a toolchains/ file and Debian's $1-g++, binutils and sysroot)
# at -O2 and -O2 with LTO, run under qemu $3: unstamped it says so; stamped,
# inspect, $1-readelf, the LIEF oracle and the program's own output (C++
# and C APIs, and a stripped copy) agree on the record, whose target.arch
# is $2; signed with both algorithms it verifies, and its OpenTelemetry
# attributes match. `file` must call the binaries "$4".
cross_linux_sample() {
  local triple=$1 arch=$2 qemu=$3 machine=$4 prefix=${1%%-*} revision readelf strip
  [ -x "$(command -v "$triple-g++")" ] || skip "$triple-g++ is not installed (Debian: g++-$triple)"
  [ -d "/usr/$triple/lib" ] || skip "no $triple sysroot at /usr/$triple"
  command -v "$qemu" > /dev/null || skip "$qemu is not installed (Debian: qemu-user)"
  readelf=$(command -v "$triple-readelf") || skip "$triple-readelf is not installed (Debian: binutils-$triple)"
  strip=$(command -v "$triple-strip") || skip "$triple-strip is not installed (Debian: binutils-$triple)"
  make_repo "$WORK/repo"
  revision=$(git -C "$WORK/repo" rev-parse HEAD)

  cross_linux_variant "$prefix-O2" OFF
  cross_linux_variant "$prefix-lto" ON

  # Signed round trip with both algorithms; the program still runs and reads it.
  sign_and_verify "$WORK/$prefix-lto/print_record" linux "$arch" "$revision"
  run_cross "$WORK/$prefix-lto/print_record" > "$WORK/signed.txt" || fail "signed program failed under qemu"
  grep -qx "vcs.revision=$revision" "$WORK/signed.txt" || fail "signed program does not print its revision"

  # OpenTelemetry attributes under qemu.
  OTEL_RESOURCE_ATTRIBUTES="service.version=user-set,team=a%2Cb" run_cross "$WORK/$prefix-lto/print_record" otel \
    > "$WORK/otel.txt" || fail "print_record otel failed under qemu"
  expect_otel_matches "$WORK/$prefix-lto/print_record" "$WORK/otel.txt"
}

# Runs a program of cross_linux_sample's target under its qemu.
run_cross() { "$qemu" -L "/usr/$triple" "$@"; }

# One variant ($1: its name, $2: LTO ON or OFF) of cross_linux_sample,
# which sets triple, arch, machine, readelf, strip and revision.
cross_linux_variant() {
  local name=$1 lto=$2
  local dir="$WORK/$name"
  build_sample "$dir" -DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/toolchains/$triple.cmake" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2" -DCMAKE_C_FLAGS_RELEASE="-O2" \
    -DCMAKE_INTERPROCEDURAL_OPTIMIZATION="$lto" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
  local app="$dir/print_record"
  file -b "$app" | matches "$machine" || fail "$name: $app is not a $machine ELF: $(file -b "$app")"
  if [ "$lto" = ON ]; then
    # Prove that the LTO variant really is one.
    grep -q -- '-flto' "$dir/compile_commands.json" || fail "$name: sources were not compiled with -flto"
  fi

  # Before stamping the program reports an empty slot and exits 3.
  local rc=0
  run_cross "$app" > "$dir.before.txt" || rc=$?
  [ "$rc" = 3 ] || fail "$name: unstamped program exited $rc under qemu, expected 3"
  grep -qx 'status=not stamped' "$dir.before.txt" || fail "$name: unstamped program did not say 'not stamped'"

  "$BUILDINFO" stamp "$app" --no-sign --source-dir "$WORK/repo" --compiler-id GNU --compiler-version 12 \
    --project-name demo --project-version 1.0 --set variant="$name" > /dev/null
  "$BUILDINFO" inspect "$app" --json > "$dir.json"
  expect_record "$dir.json" target.os linux
  expect_record "$dir.json" target.arch "$arch"
  expect_record "$dir.json" target.format elf
  expect_record "$dir.json" vcs.revision "$revision"
  expect_record "$dir.json" vcs.modified false
  expect_record "$dir.json" project.name demo
  expect_record "$dir.json" project.version 1.0
  expect_record "$dir.json" custom.variant "$name"
  expect_record "$dir.json" build.time 2023-11-14T22:13:20Z

  # readelf sees a real note in .note.buildinfo owned by "buildinfo".
  "$readelf" -n "$app" > "$dir.notes.txt" || fail "$name: readelf -n failed on the stamped program"
  expect_buildinfo_note "$dir.notes.txt" || fail "$name: readelf -n does not list the buildinfo note"

  # Our locator agrees with LIEF.
  "$LIEF_SLOT_ORACLE" "$app" > "$dir.oracle.txt" 2>&1 || { cat "$dir.oracle.txt" >&2; fail "$name: locator and LIEF disagree"; }

  # The program reads the same record from memory: the optimizer did not
  # fold the slot's initializer (zeros) into the reads.
  run_cross "$app" > "$dir.after.txt" || fail "$name: stamped program failed under qemu"
  expect_output_matches_record "$dir.json" "$dir.after.txt"

  # The C API reads the same record.
  "$BUILDINFO" stamp "$dir/print_record_c" --no-sign --source-dir "$WORK/repo" --compiler-id GNU --compiler-version 12 \
    --project-name demo --project-version 1.0 --set variant="$name" > /dev/null
  run_cross "$dir/print_record_c" > "$dir.c-api.txt" || fail "$name: stamped C program failed under qemu"
  "$BUILDINFO" inspect "$dir/print_record_c" --json --no-describe > "$dir.c.json"
  expect_output_matches_record "$dir.c.json" "$dir.c-api.txt"

  # A stripped copy still carries and reads its record.
  "$strip" -o "$dir/stripped" "$app"
  run_cross "$dir/stripped" > "$dir.stripped.txt" || fail "$name: stripped program failed under qemu"
  expect_output_matches_record "$dir.json" "$dir.stripped.txt"
  "$BUILDINFO" inspect "$dir/stripped" --json > "$dir.stripped.json"
  expect_record "$dir.stripped.json" vcs.revision "$revision"
  echo "ok: $name"
}


# ---- Other Linux targets (tests/e2e/linux_riscv64.sh, linux_armhf.sh) ----
# Builds, with toolchains/$1.cmake, a project whose program links a shared
# library, both with buildinfo_stamp() signed by $WORK/keys/ed25519.key;
# runs the program under qemu ($3, with the sysroot /usr/$1), which lists
# every loaded module with its record; checks that both are there with the
# repository's revision and target.arch $2, and that verify passes.
cross_linux_modules() {
  local triple=$1 arch=$2 qemu=$3 project="$WORK/modules" build="$WORK/modules-build" revision
  [ -x "$(command -v "$triple-g++")" ] || skip "$triple-g++ is not installed (Debian: g++-$triple)"
  [ -d "/usr/$triple/lib" ] || skip "no $triple sysroot at /usr/$triple"
  command -v "$qemu" > /dev/null || skip "$qemu is not installed (Debian: qemu-user)"
  make_keys
  make_repo "$project"
  cat > "$project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.19)
project(modules VERSION 3.1.4 LANGUAGES C)
add_subdirectory("$SOURCE_ROOT" buildinfo)
add_library(plug SHARED plug.c)
add_executable(app app.c)
target_link_libraries(app PRIVATE plug)
buildinfo_stamp(plug KEY "$WORK/keys/ed25519.key" PROJECT_NAME plug)
buildinfo_stamp(app KEY "$WORK/keys/ed25519.key")
CMAKE
  echo 'int plug_answer(void) { return 42; }' > "$project/plug.c"
  cat > "$project/app.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "buildinfo/modules.h"
int plug_answer(void);
static void show(const buildinfo_module* module, void* context) {
  const char* path = buildinfo_module_path(module);
  const char* slash = strrchr(path, '/');
  const char* name = buildinfo_module_get(module, "project.name");
  const char* revision = buildinfo_module_get(module, "vcs.revision");
  const char* arch = buildinfo_module_get(module, "target.arch");
  (void)context;
  printf("module %s %s %s %s %s\n", slash ? slash + 1 : path, buildinfo_status_text(buildinfo_module_status(module)),
         name ? name : "-", revision ? revision : "-", arch ? arch : "-");
}
int main(void) {
  printf("answer %d, %zu modules\n", plug_answer(), buildinfo_for_each_module(show, NULL));
  return 0;
}
C
  git -C "$project" add -A && git -C "$project" commit -qm modules
  revision=$(git -C "$project" rev-parse HEAD)
  cmake -S "$project" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$SOURCE_ROOT/toolchains/$triple.cmake" \
    -DBUILDINFO_BUILD_TOOL=OFF -DBUILDINFO_TOOL="$BUILDINFO" -DBUILDINFO_TESTS=OFF > "$WORK/configure.log" 2>&1 \
    || { cat "$WORK/configure.log" >&2; fail "the $triple project does not configure"; }
  cmake --build "$build" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "the $triple project does not build"; }
  "$qemu" -L "/usr/$triple" "$build/app" > "$WORK/run.txt" 2> "$WORK/run.err" \
    || { cat "$WORK/run.err" >&2; fail "the $triple program failed under $qemu"; }
  grep -qx "module app ok modules $revision $arch" "$WORK/run.txt" \
    && grep -qx "module libplug.so ok plug $revision $arch" "$WORK/run.txt" \
    || fail "under $qemu the program lists:"$'\n'"$(cat "$WORK/run.txt")"
  local file
  for file in "$build/app" "$build/libplug.so"; do
    "$BUILDINFO" verify "$file" --key "$WORK/keys/ed25519.pub" --expect-os linux --expect-arch "$arch" \
      --expect-revision "$revision" > "$WORK/verify.txt" 2>&1 || fail "verify of $file failed: $(cat "$WORK/verify.txt")"
  done
  echo "$triple: $(paste -sd' ' "$WORK/run.txt")"
}
