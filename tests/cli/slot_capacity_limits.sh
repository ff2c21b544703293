# The slot capacity FORMAT.md allows, 256 bytes to 1 MiB, is enforced where
# a slot is made and where it is read: BUILDINFO_DEFINE_SLOT does not
# compile outside it (C89, C99 and C++), buildinfo_stamp(SLOT_SIZE) stops at
# configure time, and a slot whose header claims a capacity outside it is
# refused by the tool (exit 2, naming the capacity) and read as corrupt by
# the runtime.
source "$SOURCE_ROOT/tests/e2e/common.sh"
: "${BUILD_ROOT:?set BUILD_ROOT to the buildinfo build tree}"

# ---- BUILDINFO_DEFINE_SLOT ----
for capacity in 255 1048577 0; do
  for compiler in "cc -std=c89 -pedantic -x c" "cc -std=c99 -x c" "c++ -std=c++17 -x c++"; do
    printf '#include "buildinfo/slot_layout.h"\nBUILDINFO_DEFINE_SLOT(%s);\n' "$capacity" > "$WORK/slot.src"
    # shellcheck disable=SC2086 # the compiler and its flags are words
    if $compiler -fsyntax-only -I"$SOURCE_ROOT/lib/include" "$WORK/slot.src" 2> "$WORK/err.txt"; then
      fail "BUILDINFO_DEFINE_SLOT($capacity) compiles with $compiler"
    fi
    grep -q 'buildinfo_slot_capacity_must_be_256_to_1048576_bytes' "$WORK/err.txt" \
      || fail "$compiler: the error for capacity $capacity does not name the limit: $(cat "$WORK/err.txt")"
  done
done
for capacity in 256 4096 1048576; do
  printf '#include "buildinfo/slot_layout.h"\nBUILDINFO_DEFINE_SLOT(%s);\n' "$capacity" > "$WORK/slot.c"
  cc -std=c89 -pedantic -Werror -fsyntax-only -I"$SOURCE_ROOT/lib/include" "$WORK/slot.c" \
    || fail "BUILDINFO_DEFINE_SLOT($capacity) does not compile"
done
echo "BUILDINFO_DEFINE_SLOT: 255, 1048577 and 0 refused by C89, C99 and C++; 256, 4096, 1048576 compile"

# ---- buildinfo_stamp(SLOT_SIZE) ----
mkdir -p "$WORK/project"
printf 'int main(void) { return 0; }\n' > "$WORK/project/main.c"
for size in 100 2000000 4k; do
  cat > "$WORK/project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(limits C)
add_library(buildinfo::headers INTERFACE IMPORTED)
include("$SOURCE_ROOT/cmake/BuildinfoStamp.cmake")
add_executable(app main.c)
buildinfo_stamp(app NO_SIGN SLOT_SIZE $size)
CMAKE
  rm -rf "$WORK/project/build"
  if cmake -S "$WORK/project" -B "$WORK/project/build" -DBUILDINFO_TOOL="$BUILDINFO" > "$WORK/configure.log" 2>&1; then
    fail "SLOT_SIZE $size configures"
  fi
  grep -q "buildinfo_stamp(app): SLOT_SIZE '$size' must be a whole number of bytes" "$WORK/configure.log" \
    || fail "SLOT_SIZE $size: $(cat "$WORK/configure.log")"
done
sed -i 's/SLOT_SIZE 4k/SLOT_SIZE 256/' "$WORK/project/CMakeLists.txt"
rm -rf "$WORK/project/build"
cmake -S "$WORK/project" -B "$WORK/project/build" -DBUILDINFO_TOOL="$BUILDINFO" > "$WORK/configure.log" 2>&1 \
  || fail "SLOT_SIZE 256 does not configure: $(cat "$WORK/configure.log")"
echo "buildinfo_stamp: SLOT_SIZE 100, 2000000 and 4k refused at configure time; 256 accepted"

# ---- Readers ----
cat > "$WORK/main.c" <<'C'
#include <stdio.h>
#include "buildinfo/buildinfo.h"
#include "buildinfo/slot_layout.h"
BUILDINFO_DEFINE_SLOT(256);
int main(void) {
  printf("status=%s\n", buildinfo_status_text(buildinfo_status()));
  return 0;
}
C
link_with_runtime "$WORK/app" "$WORK/main.c"
[ "$("$WORK/app")" = "status=not stamped" ] || fail "the program with a 256-byte slot reads $("$WORK/app")"
# The header's capacity field (slot offset 12) and the note's descsz (4
# bytes before the note name, 24 before the slot) both set to 255.
python3 - "$WORK/app" "$WORK/app-255" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
at = data.find(b"BLDINFO\0")
assert at > 0 and struct.unpack_from("<I", data, at + 12)[0] == 256
struct.pack_into("<I", data, at + 12, 255)
struct.pack_into("<I", data, at - 20, 255)
open(sys.argv[2], "wb").write(data)
PY
chmod +x "$WORK/app-255"
rc=0
"$BUILDINFO" inspect "$WORK/app-255" > "$WORK/out.txt" 2> "$WORK/err.txt" || rc=$?
[ "$rc" = 2 ] || fail "inspect of a 255-byte slot exited $rc, expected 2"
grep -q "slot capacity 255 is outside 256 to 1048576 bytes" "$WORK/err.txt" || fail "inspect: $(cat "$WORK/err.txt")"
rc=0
"$BUILDINFO" stamp "$WORK/app-255" --no-sign -q 2> "$WORK/err.txt" || rc=$?
[ "$rc" = 2 ] || fail "stamp of a 255-byte slot exited $rc, expected 2"
grep -q "slot capacity 255 is outside 256 to 1048576 bytes" "$WORK/err.txt" || fail "stamp: $(cat "$WORK/err.txt")"
[ "$("$WORK/app-255")" = "status=corrupt record" ] || fail "the program with a 255-byte slot reads $("$WORK/app-255")"
echo "a slot claiming 255 bytes: inspect and stamp exit 2 naming it, the program reads corrupt"
