# A cross build through the installed package: buildinfo's runtime built
# for aarch64 and installed into a target prefix, found by find_package()
# in a consumer built with the installed toolchain file (the target prefix
# in CMAKE_FIND_ROOT_PATH, the host tool from the host prefix); the program
# runs under qemu and prints its record. The host package, given to a cross
# build, is refused with a message that names both targets.
source "$SOURCE_ROOT/tests/e2e/common.sh"

require_tools aarch64-gcc qemu-aarch64
install_buildinfo
make_repo "$WORK/repo"
revision=$(git -C "$WORK/repo" rev-parse HEAD)
[ -f "$WORK/prefix/share/buildinfo/toolchains/aarch64-linux-gnu.cmake" ] || fail "the package does not install the toolchain files"

mkdir -p "$WORK/consumer"
cat > "$WORK/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.19)
project(cross_consumer VERSION 1.0 LANGUAGES C)
find_package(buildinfo 0.1 CONFIG REQUIRED)
add_executable(app main.c)
buildinfo_stamp(app NO_SIGN SOURCE_DIR "$WORK/repo")
CMAKE
cat > "$WORK/consumer/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/buildinfo.h"
int main(void) {
  const char* revision = buildinfo_get("vcs.revision");
  printf("revision=%s arch=%s\n", revision ? revision : "", buildinfo_get("target.arch"));
  return buildinfo_status();
}
C

read -ra args < <(cross_args aarch64-linux-gnu)
cmake -S "$WORK/consumer" -B "$WORK/build" -G Ninja "${args[@]}" > "$WORK/configure.log" 2>&1 \
  || { cat "$WORK/configure.log" >&2; fail "the cross consumer does not configure"; }
cmake --build "$WORK/build" > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; fail "the cross consumer does not build"; }
run_aarch64 "$WORK/build/app" > "$WORK/run.txt" || fail "the program failed under qemu"
grep -qx "revision=$revision arch=arm64" "$WORK/run.txt" || fail "the program prints $(cat "$WORK/run.txt")"

# The host's (x86_64) package in an aarch64 build: refused at configure.
rc=0
cmake -S "$WORK/consumer" -B "$WORK/build-wrong" -G Ninja \
  -DCMAKE_TOOLCHAIN_FILE="$WORK/prefix/share/buildinfo/toolchains/aarch64-linux-gnu.cmake" \
  -Dbuildinfo_DIR="$WORK/prefix/lib/cmake/buildinfo" > "$WORK/wrong.log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "an aarch64 build accepted the x86_64 runtime"
tr -s ' \n' ' ' < "$WORK/wrong.log" | matches "its runtime is built for Linux x86_64, this build targets Linux aarch64" \
  || fail "the refusal does not name both targets: $(cat "$WORK/wrong.log")"
echo ok
