# buildinfo_stamp() reserves the UAPI.8 package note in the slot source it
# generates: by default 512 bytes, PACKAGE_NOTE_SIZE otherwise (a multiple of
# 4 from 16 to 65536, checked at configure time), none with NO_PACKAGE_NOTE,
# and none, saying why, when the target's link writes its own
# (--package-metadata). Configure only: stamping is tested by
# e2e.package_note and package.find_package.
source "$SOURCE_ROOT/tests/e2e/common.sh"

mkdir -p "$WORK/project"
printf 'int main(void) { return 0; }\n' > "$WORK/project/main.c"
# Configures with buildinfo_stamp(app NO_SIGN $1) after the CMake lines $2;
# prints the generated slot source.
configure() {
  cat > "$WORK/project/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.19)
project(notes C)
add_library(buildinfo::headers INTERFACE IMPORTED)
include("$SOURCE_ROOT/cmake/BuildinfoStamp.cmake")
add_executable(app main.c)
$2
buildinfo_stamp(app NO_SIGN $1)
CMAKE
  rm -rf "$WORK/project/build"
  cmake -S "$WORK/project" -B "$WORK/project/build" -DBUILDINFO_TOOL="$BUILDINFO" > "$WORK/configure.log" 2>&1
}

configure "" "" || fail "default: $(cat "$WORK/configure.log")"
grep -qx 'BUILDINFO_DEFINE_PACKAGE_NOTE(512);' "$WORK/project/build/buildinfo/app-slot.c" \
  || fail "no 512-byte package note by default: $(cat "$WORK/project/build/buildinfo/app-slot.c")"
configure "PACKAGE_NOTE_SIZE 1024" "" || fail "PACKAGE_NOTE_SIZE 1024: $(cat "$WORK/configure.log")"
grep -qx 'BUILDINFO_DEFINE_PACKAGE_NOTE(1024);' "$WORK/project/build/buildinfo/app-slot.c" || fail "PACKAGE_NOTE_SIZE ignored"
configure "NO_PACKAGE_NOTE" "" || fail "NO_PACKAGE_NOTE: $(cat "$WORK/configure.log")"
! grep -q PACKAGE_NOTE "$WORK/project/build/buildinfo/app-slot.c" || fail "NO_PACKAGE_NOTE still reserves a note"
grep -q -- '--no-package-note' "$WORK/project/build/build.ninja" "$WORK/project/build/Makefile" 2> /dev/null \
  || grep -rq -- '--no-package-note' "$WORK/project/build/CMakeFiles" || fail "NO_PACKAGE_NOTE does not reach stamp"
configure "" 'target_link_options(app PRIVATE "LINKER:--package-metadata={\"type\":\"deb\"}")' \
  || fail "a link with --package-metadata: $(cat "$WORK/configure.log")"
grep -q 'buildinfo_stamp(app): the link writes a package note (--package-metadata' "$WORK/configure.log" \
  || fail "configure does not say why it reserves no note: $(cat "$WORK/configure.log")"
! grep -q PACKAGE_NOTE "$WORK/project/build/buildinfo/app-slot.c" || fail "a note is reserved beside the linker's"
for size in 13 8 70000 big; do
  ! configure "PACKAGE_NOTE_SIZE $size" "" || fail "PACKAGE_NOTE_SIZE $size configures"
  tr -s ' \n' ' ' < "$WORK/configure.log" | matches "PACKAGE_NOTE_SIZE '$size' must be a multiple of 4 bytes from 16 to 65536" \
    || fail "PACKAGE_NOTE_SIZE $size: $(cat "$WORK/configure.log")"
done
echo "package note: 512 by default, PACKAGE_NOTE_SIZE, NO_PACKAGE_NOTE, none beside --package-metadata; bad sizes refused"
